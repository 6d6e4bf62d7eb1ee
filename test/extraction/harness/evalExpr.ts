/**
 * An evaluator for the Splunk eval language this app uses, in its conf files (EVAL-) and in the
 * searches of its dashboards and alerts: string and number literals, field names (also 'quoted'),
 * AND / OR / NOT, comparisons (= == != < <= > >= LIKE), arithmetic (+ - * / %), string
 * concatenation (.), and the functions of evalFunctions.ts. Anything else throws, so a conf file
 * or a search cannot use syntax the tests do not model and still pass.
 *
 * Semantics modelled on Splunk's documentation: a missing field is null; a comparison or an
 * arithmetic operation with null is false or null; `+` adds numbers and concatenates strings;
 * case() without a true branch is null; multivalue fields pass through coalesce/if/case as lists,
 * and in()/== compare against any of their values.
 */
import { callFunction, EVAL_FUNCTIONS } from './evalFunctions';

export type Value = null | string | number | boolean | string[];
export type Lookup = (field: string) => string[] | undefined;
/** What an expression may ask of the search it runs in. */
export interface EvalEnv {
  /** now(): the search's time, epoch seconds. */
  now?: number;
}

export type Node =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'field'; name: string }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'not'; e: Node }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: BinaryOp; l: Node; r: Node };

type BinaryOp =
  'AND' | 'OR' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | '+' | '-' | '*' | '/' | '%' | '.';

type Tok = { k: 'str' | 'num' | 'id' | 'qid' | 'op'; v: string };

const TWO_CHAR_OPS = ['==', '!=', '<=', '>='];

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < src.length && src.charAt(i) !== c) {
        if (src.charAt(i) === '\\' && i + 1 < src.length) {
          // \" and \\ are escapes; any other backslash stays (regular expressions keep theirs).
          const next = src.charAt(i + 1);
          s += next === c || next === '\\' ? next : `\\${next}`;
          i += 2;
        } else s += src.charAt(i++);
      }
      if (src.charAt(i) !== c) throw new Error(`unterminated string in eval: ${src}`);
      i++;
      toks.push({ k: c === '"' ? 'str' : 'qid', v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(src.slice(i));
      toks.push({ k: 'num', v: m![0] });
      i += m![0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src.charAt(j))) j++;
      toks.push({ k: 'id', v: src.slice(i, j) });
      i = j;
    } else if (TWO_CHAR_OPS.includes(src.slice(i, i + 2))) {
      toks.push({ k: 'op', v: src.slice(i, i + 2) });
      i += 2;
    } else if ('(),=<>+-*/%.'.includes(c)) {
      toks.push({ k: 'op', v: c === '=' ? '==' : c });
      i++;
    } else {
      throw new Error(`eval syntax not modelled by the test harness: '${c}' in ${src}`);
    }
  }
  return toks;
}

const KEYWORDS = ['AND', 'OR', 'NOT', 'LIKE'];

export function parseEval(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isWord = (w: string) => peek()?.k === 'id' && peek()?.v.toUpperCase() === w;
  const isOp = (...ops: string[]) => peek()?.k === 'op' && ops.includes(peek()!.v);
  const expect = (v: string): void => {
    const t = toks[p++];
    if (!t || t.v !== v) throw new Error(`expected '${v}' in eval: ${src}`);
  };
  const parseOr = (): Node => {
    let l = parseAnd();
    while (isWord('OR')) {
      p++;
      l = { t: 'bin', op: 'OR', l, r: parseAnd() };
    }
    return l;
  };
  const parseAnd = (): Node => {
    let l = parseNot();
    while (isWord('AND')) {
      p++;
      l = { t: 'bin', op: 'AND', l, r: parseNot() };
    }
    return l;
  };
  const parseNot = (): Node => {
    if (isWord('NOT')) {
      p++;
      return { t: 'not', e: parseNot() };
    }
    return parseCmp();
  };
  const parseCmp = (): Node => {
    const l = parseAdd();
    if (isOp('==', '!=', '<', '<=', '>', '>=')) {
      const op = toks[p++]!.v as BinaryOp;
      return { t: 'bin', op, l, r: parseAdd() };
    }
    if (isWord('LIKE')) {
      p++;
      return { t: 'bin', op: 'LIKE', l, r: parseAdd() };
    }
    return l;
  };
  const parseAdd = (): Node => {
    let l = parseMul();
    while (isOp('+', '-', '.')) {
      const op = toks[p++]!.v as BinaryOp;
      l = { t: 'bin', op, l, r: parseMul() };
    }
    return l;
  };
  const parseMul = (): Node => {
    let l = parseUnary();
    while (isOp('*', '/', '%')) {
      const op = toks[p++]!.v as BinaryOp;
      l = { t: 'bin', op, l, r: parseUnary() };
    }
    return l;
  };
  const parseUnary = (): Node => {
    if (isOp('-')) {
      p++;
      return { t: 'neg', e: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Node => {
    const t = toks[p++];
    if (!t) throw new Error(`unexpected end of eval: ${src}`);
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'num') return { t: 'num', v: Number(t.v) };
    if (t.k === 'qid') return { t: 'field', name: t.v };
    if (t.k === 'op' && t.v === '(') {
      const e = parseOr();
      expect(')');
      return e;
    }
    if (t.k === 'id') {
      if (peek()?.v === '(') {
        if (!EVAL_FUNCTIONS.has(t.v))
          throw new Error(`eval function not modelled by the test harness: ${t.v}()`);
        p++;
        const args: Node[] = [];
        if (peek()?.v !== ')') {
          args.push(parseOr());
          while (peek()?.v === ',') {
            p++;
            args.push(parseOr());
          }
        }
        expect(')');
        return { t: 'call', fn: t.v, args };
      }
      if (KEYWORDS.includes(t.v.toUpperCase())) throw new Error(`misplaced ${t.v} in eval: ${src}`);
      return { t: 'field', name: t.v };
    }
    throw new Error(`unexpected '${t.v}' in eval: ${src}`);
  };
  const node = parseOr();
  if (p !== toks.length) throw new Error(`trailing tokens in eval: ${src}`);
  return node;
}

export function isNull(v: Value): boolean {
  return v === null || (Array.isArray(v) && v.length === 0);
}

export function values(v: Value): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'number') return [formatNumber(v)];
  return [String(v)];
}

export function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  throw new Error(`a non-boolean (${JSON.stringify(v)}) used as a condition`);
}

/** A value as a number: numbers, and strings that are one; anything else is null. */
export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  const first = Array.isArray(v) ? v[0] : v;
  // Decimal only: Number() would also read "0x1d" or "Infinity", which Splunk does not.
  if (typeof first !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(first))
    return null;
  return Number(first);
}

function compare(l: Value, r: Value): number | null {
  if (isNull(l) || isNull(r)) return null;
  const ln = toNumber(l);
  const rn = toNumber(r);
  if (ln !== null && rn !== null) return ln - rn;
  const ls = values(l)[0]!;
  const rs = values(r)[0]!;
  return ls < rs ? -1 : ls > rs ? 1 : 0;
}

export function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

function arithmetic(op: BinaryOp, l: Value, r: Value): Value {
  if (isNull(l) || isNull(r)) return null;
  if (op === '.') return values(l)[0]! + values(r)[0]!;
  const ln = toNumber(l);
  const rn = toNumber(r);
  if (op === '+' && (ln === null || rn === null)) {
    return typeof l === 'number' || typeof r === 'number' ? null : values(l)[0]! + values(r)[0]!;
  }
  if (ln === null || rn === null) return null;
  switch (op) {
    case '+':
      return ln + rn;
    case '-':
      return ln - rn;
    case '*':
      return ln * rn;
    case '/':
      return rn === 0 ? null : ln / rn;
    default:
      return rn === 0 ? null : ln % rn;
  }
}

export function evaluate(node: Node, field: Lookup, env: EvalEnv = {}): Value {
  switch (node.t) {
    case 'str':
      return node.v;
    case 'num':
      return node.v;
    case 'field': {
      const v = field(node.name);
      if (!v || v.length === 0) return null;
      return v.length === 1 ? v[0]! : v;
    }
    case 'not':
      return !truthy(evaluate(node.e, field, env));
    case 'neg': {
      const n = toNumber(evaluate(node.e, field, env));
      return n === null ? null : -n;
    }
    case 'bin': {
      if (node.op === 'AND')
        return truthy(evaluate(node.l, field, env)) && truthy(evaluate(node.r, field, env));
      if (node.op === 'OR')
        return truthy(evaluate(node.l, field, env)) || truthy(evaluate(node.r, field, env));
      const l = evaluate(node.l, field, env);
      const r = evaluate(node.r, field, env);
      if (node.op === '==' || node.op === '!=') {
        if (isNull(l) || isNull(r)) return false;
        const ln = toNumber(l);
        const rn = toNumber(r);
        const eq =
          ln !== null && rn !== null && !Array.isArray(l) && !Array.isArray(r)
            ? ln === rn
            : values(l).some((a) => values(r).includes(a));
        return node.op === '==' ? eq : !eq;
      }
      if (node.op === 'LIKE') {
        if (isNull(l) || isNull(r)) return false;
        return likeToRegExp(values(r)[0]!).test(values(l)[0]!);
      }
      if (['<', '<=', '>', '>='].includes(node.op)) {
        const c = compare(l, r);
        if (c === null) return false;
        return node.op === '<'
          ? c < 0
          : node.op === '<='
            ? c <= 0
            : node.op === '>'
              ? c > 0
              : c >= 0;
      }
      return arithmetic(node.op, l, r);
    }
    case 'call':
      return callFunction(node.fn, node.args, (n) => evaluate(n, field, env), env);
  }
}

/** A number as Splunk prints it: integers without a fraction, others with up to 6 decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(Number(n.toFixed(6)));
}

/** Turns an eval result into field values as Splunk stores them (null removes the field). */
export function toFieldValues(v: Value): string[] | null {
  if (v === null) return null;
  if (typeof v === 'boolean') throw new Error('a boolean cannot be a field value');
  if (Array.isArray(v)) return v.length ? v : null;
  if (typeof v === 'number') return Number.isFinite(v) ? [formatNumber(v)] : null;
  return [v];
}
