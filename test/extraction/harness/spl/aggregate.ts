/**
 * Aggregation functions of stats, eventstats, streamstats, chart and timechart, and the reading
 * of an aggregation list (`count`, `sum(x) as total`, `dc(user) AS users` ...), with Splunk's
 * documented behaviour: functions ignore events without the field; values() is distinct and
 * sorted; first/last follow result order; earliest/latest follow _time; count on no events is 0,
 * the others are null.
 */
import { formatNumber } from '../evalExpr';
import { first, numberOf, present, unquote, type Row } from './lex';

export interface Aggregation {
  fn: string;
  field?: string;
  as: string;
}

const FUNCTIONS = new Set([
  'count',
  'dc',
  'sum',
  'avg',
  'min',
  'max',
  'values',
  'list',
  'first',
  'last',
  'earliest',
  'latest',
  'range',
  'per_minute',
]);

/** Reads `fn(field) [as name]` items up to `by`/`over`; returns the aggregations and the rest. */
export function readAggregations(list: string[]): { aggs: Aggregation[]; rest: string[] } {
  const aggs: Aggregation[] = [];
  let i = 0;
  while (i < list.length && !/^(by|over)$/i.test(list[i]!)) {
    const w = list[i]!.replace(/,$/, '');
    const m = /^([a-z_]+)(?:\((.*)\))?$/.exec(w);
    if (!m || !FUNCTIONS.has(m[1]!))
      throw new Error(`aggregation not modelled by the test harness: ${list[i]}`);
    if (m[2] !== undefined && m[2].startsWith('eval('))
      throw new Error('eval() inside an aggregation is not modelled');
    const field = m[2] === undefined || m[2] === '' ? undefined : unquote(m[2]);
    if (field === undefined && m[1] !== 'count') throw new Error(`${m[1]} needs a field`);
    let as = field === undefined ? m[1]! : `${m[1]}(${field})`;
    i++;
    if (/^as$/i.test(list[i] ?? '')) {
      as = unquote(list[i + 1]!.replace(/,$/, ''));
      i += 2;
    }
    aggs.push({ fn: m[1]!, field, as });
  }
  if (!aggs.length) throw new Error(`no aggregation in: ${list.join(' ')}`);
  return { aggs, rest: list.slice(i) };
}

function allValues(rows: Row[], field: string): string[] {
  return rows.flatMap((r) => r.get(field) ?? []);
}

function numbers(vals: string[]): number[] {
  return vals.map(numberOf).filter((n): n is number => n !== null);
}

/** The aggregation over rows (in result order), as field values; null when there is none. */
export function aggregate(agg: Aggregation, rows: Row[], spanSeconds?: number): string[] | null {
  const { fn, field } = agg;
  if (fn === 'count' && field === undefined) return [String(rows.length)];
  const vals = allValues(rows, field!);
  const nums = numbers(vals);
  const num = (n: number) => [formatNumber(n)];
  switch (fn) {
    case 'count':
      return [String(rows.filter((r) => present(r, field!)).length)];
    case 'dc':
      return [String(new Set(vals).size)];
    case 'sum':
      return nums.length ? num(nums.reduce((a, b) => a + b, 0)) : null;
    case 'per_minute': {
      if (!spanSeconds) throw new Error('per_minute() outside timechart');
      const total = nums.reduce((a, b) => a + b, 0);
      return num(total / (spanSeconds / 60));
    }
    case 'avg':
      return nums.length ? num(nums.reduce((a, b) => a + b, 0) / nums.length) : null;
    case 'range':
      return nums.length ? num(Math.max(...nums) - Math.min(...nums)) : null;
    case 'min':
    case 'max': {
      if (!vals.length) return null;
      if (nums.length === vals.length)
        return num(fn === 'min' ? Math.min(...nums) : Math.max(...nums));
      const sorted = [...vals].sort();
      return [fn === 'min' ? sorted[0]! : sorted[sorted.length - 1]!];
    }
    case 'values':
      return vals.length ? [...new Set(vals)].sort() : null;
    case 'list':
      return vals.length ? vals.slice(0, 100) : null;
    case 'first':
    case 'last': {
      const having = rows.filter((r) => present(r, field!));
      const row = fn === 'first' ? having[0] : having[having.length - 1];
      return row ? [...row.get(field!)!] : null;
    }
    case 'earliest':
    case 'latest': {
      let best: Row | undefined;
      let bestTime = 0;
      for (const r of rows) {
        if (!present(r, field!)) continue;
        const t = numberOf(first(r, '_time')) ?? 0;
        if (!best || (fn === 'earliest' ? t < bestTime : t >= bestTime)) {
          best = r;
          bestTime = t;
        }
      }
      return best ? [...best.get(field!)!] : null;
    }
    default:
      throw new Error(`aggregation not modelled: ${fn}`);
  }
}

/** Value used where a group has no events (timechart's empty buckets). */
export function emptyValue(agg: Aggregation): string[] | null {
  return agg.fn === 'count' || agg.fn === 'dc' || agg.fn === 'per_minute' ? ['0'] : null;
}

/** Orders two group-by values as Splunk sorts groups: numbers as numbers, others as text. */
export function compareValues(a: string, b: string): number {
  const an = numberOf(a);
  const bn = numberOf(b);
  if (an !== null && bn !== null) return an - bn;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Group keys of a row: one key per combination of its by-field values; none if one is missing. */
export function groupKeys(row: Row, by: string[]): string[][] {
  let keys: string[][] = [[]];
  for (const f of by) {
    const vals = row.get(f);
    if (!vals || !vals.length) return [];
    keys = keys.flatMap((k) => [...new Set(vals)].map((v) => [...k, v]));
  }
  return keys;
}
