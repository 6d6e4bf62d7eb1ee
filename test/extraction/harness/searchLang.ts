/**
 * The slice of the Splunk search language that eventtypes.conf and the app's searches use:
 * `field=value` / `field="value"` (value may hold `*` wildcards; values compare case-insensitively,
 * as in Splunk; `field=*` means the field exists), `field!=value` (the field exists and differs),
 * `field<n` / `<=` / `>` / `>=` (numbers compare as numbers), `field IN ("a", "b")`,
 * `eventtype=name`, bare words and quoted phrases (matched in `_raw`, case-insensitively), AND
 * (implicit), OR, NOT and parentheses. Anything else throws.
 */
export type FieldValues = (field: string) => string[] | undefined;

interface GlobOptions {
  /** props.conf source patterns: `*` stops at '/', `...` crosses it. */
  slashStops: boolean;
  caseInsensitive: boolean;
}

/** Wildcard match without regular expressions. */
export function globMatch(pattern: string, text: string, opts: GlobOptions): boolean {
  const p = opts.caseInsensitive ? pattern.toLowerCase() : pattern;
  const t = opts.caseInsensitive ? text.toLowerCase() : text;
  type Tok = { kind: 'lit'; c: string } | { kind: 'star' } | { kind: 'any' };
  const toks: Tok[] = [];
  for (let i = 0; i < p.length; i++) {
    if (opts.slashStops && p.startsWith('...', i)) {
      toks.push({ kind: 'any' });
      i += 2;
    } else if (p.charAt(i) === '*') toks.push(opts.slashStops ? { kind: 'star' } : { kind: 'any' });
    else toks.push({ kind: 'lit', c: p.charAt(i) });
  }
  // reachable[j] = pattern prefix matches text prefix of length j
  let reach = new Array<boolean>(t.length + 1).fill(false);
  reach[0] = true;
  for (const tok of toks) {
    const next = new Array<boolean>(t.length + 1).fill(false);
    for (let j = 0; j <= t.length; j++) {
      if (!reach[j]) continue;
      if (tok.kind === 'lit') {
        if (t.charAt(j) === tok.c) next[j + 1] = true;
      } else {
        next[j] = true;
        for (let k = j; k < t.length; k++) {
          if (tok.kind === 'star' && t.charAt(k) === '/') break;
          next[k + 1] = true;
        }
      }
    }
    reach = next;
  }
  return reach[t.length] === true;
}

type Tok = {
  k: 'lp' | 'rp' | 'word' | 'cmp' | 'in' | 'term';
  v: string;
  field?: string;
  op?: string;
  list?: string[];
};

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const readValue = (): string => {
    if (src.charAt(i) === '"') {
      let s = '';
      i++;
      while (i < src.length && src.charAt(i) !== '"') {
        if (src.charAt(i) === '\\') i++;
        s += src.charAt(i++);
      }
      i++;
      return s;
    }
    let j = i;
    while (j < src.length && !' \t\r\n(),'.includes(src.charAt(j))) j++;
    const s = src.slice(i, j);
    i = j;
    return s;
  };
  while (i < src.length) {
    const c = src.charAt(i);
    if (' \t\r\n'.includes(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      toks.push({ k: 'lp', v: c });
      i++;
      continue;
    }
    if (c === ')') {
      toks.push({ k: 'rp', v: c });
      i++;
      continue;
    }
    if (c === '"') {
      toks.push({ k: 'term', v: readValue() });
      continue;
    }
    let j = i;
    while (j < src.length && /[A-Za-z0-9_:.{}]/.test(src.charAt(j))) j++;
    const word = src.slice(i, j);
    const op = /^(!=|<=|>=|=|<|>)/.exec(src.slice(j))?.[1];
    if (word && op) {
      i = j + op.length;
      toks.push({ k: 'cmp', v: readValue(), field: word, op });
      continue;
    }
    // field IN (...)
    let k = j;
    while (src.charAt(k) === ' ') k++;
    if (word && src.startsWith('IN', k) && /[\s(]/.test(src.charAt(k + 2) ?? '')) {
      i = k + 2;
      while (src.charAt(i) === ' ') i++;
      if (src.charAt(i) !== '(') throw new Error('IN needs a list');
      i++;
      const list: string[] = [];
      for (;;) {
        while (' ,'.includes(src.charAt(i))) i++;
        if (src.charAt(i) === ')') {
          i++;
          break;
        }
        list.push(readValue());
      }
      toks.push({ k: 'in', v: 'IN', field: word, list });
      continue;
    }
    if (['AND', 'OR', 'NOT'].includes(word)) {
      i = j;
      toks.push({ k: 'word', v: word });
      continue;
    }
    // A bare term: everything up to the next space or parenthesis.
    const term = readValue();
    if (!term) throw new Error(`search syntax not modelled at: ${src.slice(i)}`);
    toks.push({ k: 'term', v: term });
  }
  return toks;
}

export function matchSearch(
  src: string,
  field: FieldValues,
  isEventtype: (name: string) => boolean,
): boolean {
  const toks = tokenize(src);
  let p = 0;
  const valueMatch = (f: string, pattern: string): boolean => {
    if (f === 'eventtype') return isEventtype(pattern);
    const vals = field(f);
    if (!vals) return false;
    return vals.some((v) => globMatch(pattern, v, { slashStops: false, caseInsensitive: true }));
  };
  const compareMatch = (t: Tok): boolean => {
    if (t.op === '=') return valueMatch(t.field!, t.v);
    const vals = field(t.field!);
    if (!vals || !vals.length) return false;
    if (t.op === '!=')
      return !vals.some((v) => globMatch(t.v, v, { slashStops: false, caseInsensitive: true }));
    return vals.some((v) => {
      const a = Number(v);
      const b = Number(t.v);
      const c =
        Number.isFinite(a) && Number.isFinite(b) && v !== ''
          ? a - b
          : v < t.v
            ? -1
            : v > t.v
              ? 1
              : 0;
      return t.op === '<' ? c < 0 : t.op === '<=' ? c <= 0 : t.op === '>' ? c > 0 : c >= 0;
    });
  };
  const termMatch = (term: string): boolean => {
    const raw = field('_raw')?.[0];
    return (
      raw !== undefined && globMatch(`*${term}*`, raw, { slashStops: false, caseInsensitive: true })
    );
  };
  const parseOr = (): boolean => {
    let v = parseAnd();
    while (toks[p]?.k === 'word' && toks[p]?.v === 'OR') {
      p++;
      const r = parseAnd();
      v = v || r;
    }
    return v;
  };
  const parseAnd = (): boolean => {
    let v = parseNot();
    for (;;) {
      const t = toks[p];
      if (!t || t.k === 'rp' || (t.k === 'word' && t.v === 'OR')) return v;
      if (t.k === 'word' && t.v === 'AND') p++;
      const r = parseNot();
      v = v && r;
    }
  };
  const parseNot = (): boolean => {
    if (toks[p]?.k === 'word' && toks[p]?.v === 'NOT') {
      p++;
      return !parseNot();
    }
    const t = toks[p++];
    if (!t) throw new Error(`unexpected end of search: ${src}`);
    if (t.k === 'lp') {
      const v = parseOr();
      if (toks[p++]?.k !== 'rp') throw new Error(`missing ) in ${src}`);
      return v;
    }
    if (t.k === 'cmp') return compareMatch(t);
    if (t.k === 'term') return termMatch(t.v);
    if (t.k === 'in') return t.list!.some((x) => valueMatch(t.field!, x));
    throw new Error(`unexpected ${t.v} in ${src}`);
  };
  const v = parseOr();
  if (p !== toks.length) throw new Error(`trailing search terms in ${src}`);
  return v;
}
