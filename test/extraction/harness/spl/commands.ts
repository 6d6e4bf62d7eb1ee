/**
 * The row-by-row and reshaping SPL commands the app's searches use, modelled on the Search
 * Reference: eval, where, search, fillnull, fields, table, rename, head, reverse, dedup, rex, bin,
 * sort, makeresults, appendpipe and append. Each reads its arguments strictly and throws on an
 * option it does not model.
 */
import { evaluate, parseEval, toFieldValues, truthy } from '../evalExpr';
import { matchSearch } from '../searchLang';
import {
  first,
  matchFields,
  numberOf,
  options,
  present,
  splitTop,
  unquote,
  words,
  type Row,
} from './lex';
import { spanSeconds } from './time';

export interface CommandContext {
  now: number;
  /** The search's event-time range, for timechart's buckets. */
  range: { earliest?: number; latest?: number };
  /** Runs a pipeline (without leading search terms) on rows. */
  pipe(spl: string, rows: Row[]): Row[];
  /** Runs a subsearch (`search ...`) on its own events. */
  subsearch(spl: string): Row[];
}

const copy = (row: Row): Row => new Map([...row].map(([k, v]) => [k, [...v]]));

function assignmentSplit(a: string): [string, string] {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '"') {
      i = a.indexOf('"', i + 1);
      continue;
    }
    if (a[i] === '=' && a[i + 1] !== '=' && !'=!<>'.includes(a[i - 1] ?? '')) {
      return [unquote(a.slice(0, i).trim()), a.slice(i + 1)];
    }
  }
  throw new Error(`eval assignment without '=': ${a}`);
}

export function evalCommand(args: string, rows: Row[], ctx: CommandContext): Row[] {
  const assignments = splitTop(args, ',').map((a) => {
    const [name, expr] = assignmentSplit(a);
    return [name, parseEval(expr)] as const;
  });
  for (const row of rows) {
    for (const [name, expr] of assignments) {
      const v = toFieldValues(evaluate(expr, (f) => row.get(f), { now: ctx.now }));
      if (v === null) row.delete(name);
      else row.set(name, v);
    }
  }
  return rows;
}

export function whereCommand(args: string, rows: Row[], ctx: CommandContext): Row[] {
  const expr = parseEval(args);
  return rows.filter((row) => truthy(evaluate(expr, (f) => row.get(f), { now: ctx.now })));
}

export function searchCommand(args: string, rows: Row[]): Row[] {
  return rows.filter((row) =>
    matchSearch(
      args,
      (f) => row.get(f),
      () => false,
    ),
  );
}

export function fillnullCommand(args: string, rows: Row[]): Row[] {
  const { opts, rest } = options(words(args), ['value']);
  const value = opts.value ?? '0';
  const fields = rest.length
    ? rest
    : [...new Set(rows.flatMap((r) => [...r.keys()]))].filter((f) => !f.startsWith('_'));
  for (const row of rows) for (const f of fields) if (!present(row, f)) row.set(f, [value]);
  return rows;
}

/** The row's fields in the given order; `keepEmpty`: a missing field stays as a null column. */
function reorder(row: Row, names: string[], keepEmpty = false): Row {
  const out: Row = new Map();
  for (const n of names) if (present(row, n) || keepEmpty) out.set(n, row.get(n) ?? []);
  return out;
}

export function fieldsCommand(args: string, rows: Row[]): Row[] {
  const list = words(args.replace(/,/g, ' '));
  const remove = list[0] === '-';
  const patterns = list.filter((w) => w !== '-' && w !== '+').map(unquote);
  return rows.map((row) => {
    const names = matchFields(patterns, row.keys());
    if (remove) {
      for (const n of names) row.delete(n);
      return row;
    }
    // `fields` keeps Splunk's internal fields (_time, _raw ...) unless told otherwise.
    return reorder(row, [...names, ...[...row.keys()].filter((k) => k.startsWith('_'))]);
  });
}

export function tableCommand(args: string, rows: Row[]): Row[] {
  const patterns = words(args.replace(/,/g, ' ')).map(unquote);
  // table shows every column it names, in its order, even where a row has no value.
  const names = matchFields(patterns, new Set(rows.flatMap((r) => [...r.keys()])));
  return rows.map((row) => reorder(row, names, true));
}

export function renameCommand(args: string, rows: Row[]): Row[] {
  const pairs = splitTop(args, ',').map((pair) => {
    const m = /^\s*("[^"]+"|\S+)\s+as\s+("[^"]+"|\S+)\s*$/i.exec(pair);
    if (!m) throw new Error(`rename: cannot read "${pair.trim()}"`);
    return [unquote(m[1]!), unquote(m[2]!)] as const;
  });
  return rows.map((row) => {
    const out: Row = new Map();
    for (const [k, v] of row) {
      const to = pairs.find(([from]) => from === k)?.[1];
      out.set(to ?? k, v);
    }
    return out;
  });
}

export function headCommand(args: string, rows: Row[]): Row[] {
  const n = args.trim() === '' ? 10 : Number(args.trim());
  if (!Number.isInteger(n)) throw new Error(`head: not modelled: ${args}`);
  return rows.slice(0, n);
}

export function dedupCommand(args: string, rows: Row[]): Row[] {
  const list = words(args.replace(/,/g, ' '));
  if (list.some((w) => w.includes('='))) throw new Error(`dedup options not modelled: ${args}`);
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = list.map((f) => (present(row, f) ? row.get(f)!.join('\u0000') : undefined));
    // keepempty=false (the default): an event without one of the fields is dropped.
    if (key.some((k) => k === undefined)) return false;
    const k = JSON.stringify(key);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function rexCommand(args: string, rows: Row[]): Row[] {
  const { opts, rest } = options(words(args), ['field', 'max_match']);
  if (rest.length !== 1) throw new Error(`rex: expected one regular expression: ${args}`);
  if (opts.max_match !== undefined) throw new Error('rex max_match not modelled');
  const re = new RegExp(unquote(rest[0]!));
  const field = opts.field ?? '_raw';
  for (const row of rows) {
    const subject = first(row, field);
    const m = subject === undefined ? null : re.exec(subject);
    for (const [name, value] of Object.entries(m?.groups ?? {}))
      if (value !== undefined && value !== '') row.set(name, [value]);
  }
  return rows;
}

export function binCommand(args: string, rows: Row[]): Row[] {
  const list = words(args);
  const field = list.find((w) => !w.includes('='));
  const span = /^span=(.+)$/.exec(list.find((w) => w.startsWith('span=')) ?? '')?.[1];
  if (!field || !span || list.length !== 2) throw new Error(`bin: only "bin <field> span=<span>"`);
  const seconds = spanSeconds(span);
  for (const row of rows) {
    const t = numberOf(first(row, field));
    if (t !== null) row.set(field, [String(Math.floor(t / seconds) * seconds)]);
  }
  return rows;
}

export function sortCommand(args: string, rows: Row[]): Row[] {
  let list = words(args.replace(/,/g, ' '));
  // Splunk's sort keeps at most 10,000 results unless told how many ("sort 0": all).
  let limit = 10_000;
  if (/^\d+$/.test(list[0] ?? '')) {
    limit = Number(list[0]) === 0 ? Infinity : Number(list[0]);
    list = list.slice(1);
  }
  const keys: { f: string; desc: boolean }[] = [];
  let pending: boolean | undefined;
  for (const w of list) {
    if (w === '-' || w === '+') {
      pending = w === '-';
      continue;
    }
    const desc = w.startsWith('-') ? true : w.startsWith('+') ? false : (pending ?? false);
    keys.push({ f: unquote(w.replace(/^[-+]/, '')), desc });
    pending = undefined;
  }
  const cmp = (a: Row, b: Row): number => {
    for (const { f, desc } of keys) {
      const av = first(a, f);
      const bv = first(b, f);
      if (av === undefined && bv === undefined) continue;
      if (av === undefined) return 1;
      if (bv === undefined) return -1;
      const an = numberOf(av);
      const bn = numberOf(bv);
      const c = an !== null && bn !== null ? an - bn : av < bv ? -1 : av > bv ? 1 : 0;
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
  return rows
    .map((r, i) => [r, i] as const)
    .sort((x, y) => cmp(x[0], y[0]) || x[1] - y[1])
    .map(([r]) => r)
    .slice(0, limit);
}

function bracketed(args: string, command: string): string {
  const m = /^\s*\[([\s\S]*)\]\s*$/.exec(args);
  if (!m) throw new Error(`${command}: expected [ ... ]`);
  return m[1]!;
}

export function appendpipeCommand(args: string, rows: Row[], ctx: CommandContext): Row[] {
  return [...rows, ...ctx.pipe(bracketed(args, 'appendpipe'), rows.map(copy))];
}

export function appendCommand(args: string, rows: Row[], ctx: CommandContext): Row[] {
  return [...rows, ...ctx.subsearch(bracketed(args, 'append'))];
}

export function makeresultsCommand(args: string, rows: Row[], ctx: CommandContext): Row[] {
  if (args.trim() !== '' || rows.length) throw new Error('only a leading "| makeresults"');
  return [new Map([['_time', [String(ctx.now)]]])];
}

export { copy };
