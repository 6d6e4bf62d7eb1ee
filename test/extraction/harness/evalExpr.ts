/**
 * A small evaluator for exactly the Splunk eval language this app's conf files use: string and
 * number literals, field names, AND / OR / NOT, == / = / !=, and the functions if, case, coalesce,
 * null, isnull, isnotnull, in, tonumber, true. Anything else throws, so a conf file cannot use a
 * function the tests do not model and still pass.
 *
 * Semantics modelled on Splunk: a missing field is null; comparisons with null are false; case()
 * without a true branch is null; tonumber() of a non-number is null; multivalue fields pass through
 * coalesce/if/case as lists, and in()/== compare against any of their values.
 */
export type Value = null | string | number | boolean | string[];
export type Lookup = (field: string) => string[] | undefined;

type Node =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'field'; name: string }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'not'; e: Node }
  | { t: 'bin'; op: 'AND' | 'OR' | '==' | '!='; l: Node; r: Node };

type Tok = { k: 'str' | 'num' | 'id' | 'op'; v: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src.charAt(i) !== '"') {
        if (src.charAt(i) === '\\' && i + 1 < src.length) {
          s += src.charAt(i + 1);
          i += 2;
        } else s += src.charAt(i++);
      }
      if (src.charAt(i) !== '"') throw new Error(`unterminated string in eval: ${src}`);
      i++;
      toks.push({ k: 'str', v: s });
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < src.length && src.charAt(j) >= '0' && src.charAt(j) <= '9') j++;
      toks.push({ k: 'num', v: src.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src.charAt(j))) j++;
      toks.push({ k: 'id', v: src.slice(i, j) });
      i = j;
    } else if (src.startsWith('==', i) || src.startsWith('!=', i)) {
      toks.push({ k: 'op', v: src.slice(i, i + 2) });
      i += 2;
    } else if ('(),='.includes(c)) {
      toks.push({ k: 'op', v: c === '=' ? '==' : c });
      i++;
    } else {
      throw new Error(`eval syntax not modelled by the test harness: '${c}' in ${src}`);
    }
  }
  return toks;
}

const FUNCTIONS = new Set([
  'if',
  'case',
  'coalesce',
  'null',
  'isnull',
  'isnotnull',
  'in',
  'tonumber',
  'true',
]);

export function parseEval(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const expect = (v: string): void => {
    const t = toks[p++];
    if (!t || t.v !== v) throw new Error(`expected '${v}' in eval: ${src}`);
  };
  const parseOr = (): Node => {
    let l = parseAnd();
    while (peek()?.k === 'id' && peek()?.v === 'OR') {
      p++;
      l = { t: 'bin', op: 'OR', l, r: parseAnd() };
    }
    return l;
  };
  const parseAnd = (): Node => {
    let l = parseNot();
    while (peek()?.k === 'id' && peek()?.v === 'AND') {
      p++;
      l = { t: 'bin', op: 'AND', l, r: parseNot() };
    }
    return l;
  };
  const parseNot = (): Node => {
    if (peek()?.k === 'id' && peek()?.v === 'NOT') {
      p++;
      return { t: 'not', e: parseNot() };
    }
    return parseCmp();
  };
  const parseCmp = (): Node => {
    const l = parsePrimary();
    const t = peek();
    if (t?.k === 'op' && (t.v === '==' || t.v === '!=')) {
      p++;
      return { t: 'bin', op: t.v, l, r: parsePrimary() };
    }
    return l;
  };
  const parsePrimary = (): Node => {
    const t = toks[p++];
    if (!t) throw new Error(`unexpected end of eval: ${src}`);
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'num') return { t: 'num', v: Number(t.v) };
    if (t.k === 'op' && t.v === '(') {
      const e = parseOr();
      expect(')');
      return e;
    }
    if (t.k === 'id') {
      if (peek()?.v === '(') {
        if (!FUNCTIONS.has(t.v))
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
      if (['AND', 'OR', 'NOT'].includes(t.v)) throw new Error(`misplaced ${t.v} in eval: ${src}`);
      return { t: 'field', name: t.v };
    }
    throw new Error(`unexpected '${t.v}' in eval: ${src}`);
  };
  const node = parseOr();
  if (p !== toks.length) throw new Error(`trailing tokens in eval: ${src}`);
  return node;
}

function isNull(v: Value): boolean {
  return v === null || (Array.isArray(v) && v.length === 0);
}

function values(v: Value): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  return [String(v)];
}

function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  throw new Error(`a non-boolean (${JSON.stringify(v)}) used as a condition`);
}

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

export function evaluate(node: Node, field: Lookup): Value {
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
      return !truthy(evaluate(node.e, field));
    case 'bin': {
      if (node.op === 'AND')
        return truthy(evaluate(node.l, field)) && truthy(evaluate(node.r, field));
      if (node.op === 'OR')
        return truthy(evaluate(node.l, field)) || truthy(evaluate(node.r, field));
      const l = evaluate(node.l, field);
      const r = evaluate(node.r, field);
      if (isNull(l) || isNull(r)) return false;
      const eq = values(l).some((a) => values(r).includes(a));
      return node.op === '==' ? eq : !eq;
    }
    case 'call':
      return call(node.fn, node.args, field);
  }
}

function call(fn: string, args: Node[], field: Lookup): Value {
  const arity = (n: number): void => {
    if (args.length !== n) throw new Error(`${fn}() takes ${n} arguments`);
  };
  switch (fn) {
    case 'true':
      arity(0);
      return true;
    case 'null':
      arity(0);
      return null;
    case 'isnull':
      arity(1);
      return isNull(evaluate(args[0]!, field));
    case 'isnotnull':
      arity(1);
      return !isNull(evaluate(args[0]!, field));
    case 'if':
      arity(3);
      return truthy(evaluate(args[0]!, field))
        ? evaluate(args[1]!, field)
        : evaluate(args[2]!, field);
    case 'case':
      if (args.length % 2 !== 0) throw new Error('case() takes condition/value pairs');
      for (let i = 0; i < args.length; i += 2) {
        if (truthy(evaluate(args[i]!, field))) return evaluate(args[i + 1]!, field);
      }
      return null;
    case 'coalesce':
      for (const a of args) {
        const v = evaluate(a, field);
        if (!isNull(v)) return v;
      }
      return null;
    case 'in': {
      if (args.length < 2) throw new Error('in() needs a value and a list');
      const v = evaluate(args[0]!, field);
      if (isNull(v)) return false;
      const list = args.slice(1).map((a) => evaluate(a, field));
      return values(v).some((x) => list.some((y) => values(y).includes(x)));
    }
    case 'tonumber': {
      if (args.length < 1 || args.length > 2) throw new Error('tonumber() takes 1 or 2 arguments');
      const v = evaluate(args[0]!, field);
      if (isNull(v) || Array.isArray(v)) return null;
      const base = args.length === 2 ? evaluate(args[1]!, field) : 10;
      if (base !== 10 && base !== 16) throw new Error('tonumber() base not modelled');
      return parseBase(String(v), base as number);
    }
    default:
      throw new Error(`eval function not modelled by the test harness: ${fn}()`);
  }
}

/** Turns an eval result into field values as Splunk stores them (null removes the field). */
export function toFieldValues(v: Value): string[] | null {
  if (v === null) return null;
  if (typeof v === 'boolean') throw new Error('a boolean cannot be a field value');
  if (Array.isArray(v)) return v.length ? v : null;
  if (typeof v === 'number') return [Number.isInteger(v) ? BigInt(v).toString() : String(v)];
  return [v];
}
