/**
 * The eval functions the app's conf files and searches use, with Splunk's documented behaviour
 * (Search Reference, "Evaluation functions"). A function that is not here makes parseEval throw.
 * Regular expressions (match, replace) run as JavaScript regular expressions: the app's patterns
 * use only syntax both engines read the same way.
 */
import {
  formatNumber,
  isNull,
  likeToRegExp,
  toNumber,
  truthy,
  values,
  type EvalEnv,
  type Node,
  type Value,
} from './evalExpr';
import { resolveTime, strftime } from './spl/time';

export const EVAL_FUNCTIONS = new Set([
  'if',
  'case',
  'coalesce',
  'null',
  'isnull',
  'isnotnull',
  'isnum',
  'in',
  'tonumber',
  'tostring',
  'true',
  'false',
  'match',
  'like',
  'round',
  'floor',
  'ceiling',
  'abs',
  'max',
  'min',
  'len',
  'lower',
  'upper',
  'substr',
  'replace',
  'mvcount',
  'mvjoin',
  'mvindex',
  'mvdedup',
  'split',
  'strftime',
  'relative_time',
  'now',
]);

function parseBase(text: string, base: number): number | null {
  const digits = base === 16 ? '0123456789abcdef' : '0123456789';
  const lower = text.toLowerCase();
  if (lower === '') return null;
  let n = 0;
  for (const ch of lower) {
    const d = digits.indexOf(ch);
    if (d < 0) return null;
    n = n * base + d;
  }
  return n;
}

function durationText(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return days > 0 ? `${days}+${hms}` : hms;
}

function first(v: Value): string | null {
  const list = values(v);
  return list.length ? list[0]! : null;
}

/** Splunk's JavaScript-compatible replacement text: `\1` back-references become `$1`. */
const replacement = (text: string) => text.replace(/\\(\d)/g, '$$$1');

export function callFunction(
  fn: string,
  args: Node[],
  ev: (n: Node) => Value,
  env: EvalEnv,
): Value {
  const arity = (min: number, max = min): void => {
    if (args.length < min || args.length > max)
      throw new Error(`${fn}() takes ${min === max ? min : `${min} to ${max}`} arguments`);
  };
  const arg = (i: number) => ev(args[i]!);
  const num = (i: number) => toNumber(arg(i));
  switch (fn) {
    case 'true':
      arity(0);
      return true;
    case 'false':
      arity(0);
      return false;
    case 'null':
      arity(0);
      return null;
    case 'now':
      arity(0);
      if (env.now === undefined) throw new Error('now() needs the search time');
      return env.now;
    case 'isnull':
      arity(1);
      return isNull(arg(0));
    case 'isnotnull':
      arity(1);
      return !isNull(arg(0));
    case 'isnum':
      arity(1);
      return toNumber(arg(0)) !== null;
    case 'if':
      arity(3);
      return truthy(arg(0)) ? arg(1) : arg(2);
    case 'case':
      if (args.length % 2 !== 0) throw new Error('case() takes condition/value pairs');
      for (let i = 0; i < args.length; i += 2) if (truthy(arg(i))) return arg(i + 1);
      return null;
    case 'coalesce':
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (!isNull(v)) return v;
      }
      return null;
    case 'in': {
      if (args.length < 2) throw new Error('in() needs a value and a list');
      const v = arg(0);
      if (isNull(v)) return false;
      const list = args.slice(1).map((a) => ev(a));
      return values(v).some((x) => list.some((y) => values(y).includes(x)));
    }
    case 'tonumber': {
      arity(1, 2);
      const v = arg(0);
      if (isNull(v) || Array.isArray(v)) return null;
      const base = args.length === 2 ? arg(1) : 10;
      if (base !== 10 && base !== 16) throw new Error('tonumber() base not modelled');
      return base === 10 ? toNumber(v) : parseBase(String(v), 16);
    }
    case 'tostring': {
      arity(1, 2);
      const v = arg(0);
      if (isNull(v)) return null;
      const how = args.length === 2 ? first(arg(1)) : null;
      const n = toNumber(v);
      if (how === null) return typeof v === 'number' ? formatNumber(v) : first(v);
      if (n === null) return first(v);
      if (how === 'commas') return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
      if (how === 'duration') return durationText(n);
      if (how === 'hex') return `0x${Math.trunc(n).toString(16)}`;
      throw new Error(`tostring() format not modelled: ${how}`);
    }
    case 'match': {
      arity(2);
      const s = first(arg(0));
      const re = first(arg(1));
      return s !== null && re !== null && new RegExp(re).test(s);
    }
    case 'like': {
      arity(2);
      const s = first(arg(0));
      const p = first(arg(1));
      return s !== null && p !== null && likeToRegExp(p).test(s);
    }
    case 'round': {
      arity(1, 2);
      const n = num(0);
      const places = args.length === 2 ? (num(1) ?? 0) : 0;
      return n === null ? null : Math.round(n * 10 ** places) / 10 ** places;
    }
    case 'floor':
    case 'ceiling':
    case 'abs': {
      arity(1);
      const n = num(0);
      if (n === null) return null;
      return fn === 'floor' ? Math.floor(n) : fn === 'ceiling' ? Math.ceil(n) : Math.abs(n);
    }
    case 'max':
    case 'min': {
      const ns = args.map((_, i) => num(i)).filter((n): n is number => n !== null);
      if (!ns.length) return null;
      return fn === 'max' ? Math.max(...ns) : Math.min(...ns);
    }
    case 'len': {
      arity(1);
      const s = first(arg(0));
      return s === null ? null : [...s].length;
    }
    case 'lower':
    case 'upper': {
      arity(1);
      const s = first(arg(0));
      if (s === null) return null;
      return fn === 'lower' ? s.toLowerCase() : s.toUpperCase();
    }
    case 'substr': {
      arity(2, 3);
      const s = first(arg(0));
      const start = num(1);
      if (s === null || start === null) return null;
      const from = start > 0 ? start - 1 : Math.max(s.length + start, 0);
      return args.length === 3 ? s.substr(from, num(2) ?? 0) : s.slice(from);
    }
    case 'replace': {
      arity(3);
      const s = first(arg(0));
      const re = first(arg(1));
      const to = first(arg(2));
      if (s === null || re === null || to === null) return null;
      return s.replace(new RegExp(re, 'g'), replacement(to));
    }
    case 'mvcount': {
      arity(1);
      const v = arg(0);
      return isNull(v) ? null : values(v).length;
    }
    case 'mvjoin': {
      arity(2);
      const v = arg(0);
      return isNull(v) ? null : values(v).join(first(arg(1)) ?? '');
    }
    case 'mvindex': {
      arity(2, 3);
      const list = values(arg(0));
      const start = num(1) ?? 0;
      const from = start < 0 ? list.length + start : start;
      if (args.length === 2) return list[from] ?? null;
      const end = num(2) ?? from;
      const to = end < 0 ? list.length + end : end;
      const slice = list.slice(from, to + 1);
      return slice.length ? slice : null;
    }
    case 'mvdedup': {
      arity(1);
      const list = [...new Set(values(arg(0)))];
      return list.length ? list : null;
    }
    case 'split': {
      arity(2);
      const s = first(arg(0));
      const sep = first(arg(1));
      return s === null || sep === null ? null : s.split(sep);
    }
    case 'strftime': {
      arity(2);
      const t = num(0);
      const f = first(arg(1));
      return t === null || f === null ? null : strftime(t, f);
    }
    case 'relative_time': {
      arity(2);
      const t = num(0);
      const spec = first(arg(1));
      return t === null || spec === null ? null : resolveTime(spec, t);
    }
    default:
      throw new Error(`eval function not modelled by the test harness: ${fn}()`);
  }
}
