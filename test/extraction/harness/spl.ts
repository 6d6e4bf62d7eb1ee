/**
 * Runs the search macros of macros.conf on harness results, for exactly the SPL they use:
 *   - macro expansion (`name`), recursively;
 *   - a base search (the slice of the search language in searchLang.ts) over index, sourcetype,
 *     source, host and extracted fields;
 *   - `eval a=<expr>, b=<expr>` (assignments in order, each seeing the previous; null removes);
 *   - `sort 0 [-]field ...` (stable; numbers compare as numbers, missing values last);
 *   - `streamstats current=t last(x) AS y ... by f ...` (last non-null value so far per group; an
 *     event missing a by-field gets no result);
 *   - `fields - prefix*`.
 * Anything else throws, so a macro cannot use a command the tests do not model and still pass.
 */
import { readConf } from './conf';
import { evaluate, parseEval, toFieldValues } from './evalExpr';
import { matchSearch } from './searchLang';

export type Row = Map<string, string[]>;

const macros = readConf('macros.conf');

export function macroDefinition(name: string): string {
  const m = macros.stanzas.get(name);
  if (!m) throw new Error(`macros.conf has no [${name}]`);
  if ((m.get('iseval') ?? '0') !== '0') throw new Error('eval macros are not modelled');
  return m.get('definition')!;
}

export function expandMacros(spl: string, depth = 0): string {
  if (depth > 10) throw new Error('macro recursion');
  let out = '';
  let i = 0;
  while (i < spl.length) {
    const c = spl[i];
    if (c === '"') {
      const j = spl.indexOf('"', i + 1);
      out += spl.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      const j = spl.indexOf('`', i + 1);
      out += expandMacros(macroDefinition(spl.slice(i + 1, j)), depth + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Splits at top-level occurrences of `sep` (outside quotes and parentheses). */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '"' && s.charAt(i - 1) !== '\\') quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

function asNumber(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function evalCommand(args: string, rows: Row[]): Row[] {
  const assignments = splitTop(args, ',').map((a) => {
    let eq = -1;
    for (let i = 0; i < a.length; i++) {
      if (
        a.charAt(i) === '=' &&
        a.charAt(i + 1) !== '=' &&
        a.charAt(i - 1) !== '=' &&
        a.charAt(i - 1) !== '!'
      ) {
        eq = i;
        break;
      }
    }
    if (eq < 0) throw new Error(`eval assignment without '=': ${a}`);
    return [a.slice(0, eq).trim(), parseEval(a.slice(eq + 1))] as const;
  });
  for (const row of rows) {
    for (const [name, expr] of assignments) {
      const v = toFieldValues(evaluate(expr, (f) => row.get(f)));
      if (v === null) row.delete(name);
      else row.set(name, v);
    }
  }
  return rows;
}

function sortCommand(args: string, rows: Row[]): Row[] {
  const words = args.split(/\s+/).filter(Boolean);
  if (words[0] !== '0') throw new Error('only "sort 0" (no row limit) is modelled');
  const keys = words
    .slice(1)
    .map((w) =>
      w.startsWith('-') ? { f: w.slice(1), desc: true } : { f: w.replace(/^\+/, ''), desc: false },
    );
  const cmp = (a: Row, b: Row): number => {
    for (const { f, desc } of keys) {
      const av = a.get(f)?.[0];
      const bv = b.get(f)?.[0];
      if (av === undefined && bv === undefined) continue;
      if (av === undefined) return 1;
      if (bv === undefined) return -1;
      const an = asNumber(av);
      const bn = asNumber(bv);
      let c: number;
      if (an !== null && bn !== null) c = an - bn;
      else c = av < bv ? -1 : av > bv ? 1 : 0;
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
  return rows
    .map((r, i) => [r, i] as const)
    .sort((x, y) => cmp(x[0], y[0]) || x[1] - y[1])
    .map(([r]) => r);
}

function streamstatsCommand(args: string, rows: Row[]): Row[] {
  const words = args.split(/\s+/).filter(Boolean);
  let i = 0;
  if (words[i] === 'current=t') i++;
  else if (words[i]?.startsWith('current=')) throw new Error('only current=t is modelled');
  const aggs: { src: string; dest: string }[] = [];
  while (i < words.length && words[i] !== 'by') {
    const m = /^last\(([A-Za-z0-9_]+)\)$/.exec(words[i] ?? '');
    if (!m || words[i + 1] !== 'AS')
      throw new Error(`streamstats aggregation not modelled: ${words.slice(i).join(' ')}`);
    aggs.push({ src: m[1]!, dest: words[i + 2]! });
    i += 3;
  }
  const by = words[i] === 'by' ? words.slice(i + 1) : [];
  const state = new Map<string, Map<string, string[]>>();
  for (const row of rows) {
    const keyParts = by.map((f) => row.get(f)?.[0]);
    if (keyParts.some((k) => k === undefined)) continue;
    const key = JSON.stringify(keyParts);
    const s = state.get(key) ?? new Map<string, string[]>();
    state.set(key, s);
    for (const { src, dest } of aggs) {
      const v = row.get(src);
      if (v !== undefined) s.set(dest, [...v]);
    }
    for (const { dest } of aggs) {
      const v = s.get(dest);
      if (v) row.set(dest, [...v]);
      else row.delete(dest);
    }
  }
  return rows;
}

function fieldsCommand(args: string, rows: Row[]): Row[] {
  const words = args.split(/\s+/).filter(Boolean);
  if (words[0] !== '-') throw new Error('only "fields - ..." is modelled');
  const patterns = words.slice(1);
  for (const row of rows) {
    for (const k of [...row.keys()]) {
      if (patterns.some((p) => (p.endsWith('*') ? k.startsWith(p.slice(0, -1)) : k === p)))
        row.delete(k);
    }
  }
  return rows;
}

/**
 * Runs an SPL pipeline. The first segment, when it is not a command, is a base search that filters
 * the rows (their index/sourcetype/source/host must be fields of the row).
 */
export function runSpl(spl: string, input: Row[]): Row[] {
  const segments = splitTop(expandMacros(spl).replace(/\s*\n\s*/g, ' '), '|').filter(
    (s) => s !== '',
  );
  let rows = input.map((r) => new Map([...r].map(([k, v]) => [k, [...v]])));
  segments.forEach((seg, idx) => {
    const sp = seg.indexOf(' ');
    const cmd = sp < 0 ? seg : seg.slice(0, sp);
    const args = sp < 0 ? '' : seg.slice(sp + 1);
    if (cmd === 'eval') rows = evalCommand(args, rows);
    else if (cmd === 'sort') rows = sortCommand(args, rows);
    else if (cmd === 'streamstats') rows = streamstatsCommand(args, rows);
    else if (cmd === 'fields') rows = fieldsCommand(args, rows);
    else if (idx === 0)
      rows = rows.filter((r) =>
        matchSearch(
          seg,
          (f) => r.get(f),
          () => false,
        ),
      );
    else throw new Error(`SPL command not modelled: ${cmd}`);
  });
  return rows;
}
