/**
 * The transforming and statistics commands: stats, eventstats, streamstats, chart and timechart,
 * modelled on the Search Reference. Events missing a by-field are left out of stats and chart
 * (and get nothing from eventstats and streamstats); groups come out sorted by their by-values;
 * chart and timechart keep the `limit` (default 10) largest series and put the rest in OTHER.
 */
import {
  aggregate,
  compareValues,
  emptyValue,
  groupKeys,
  readAggregations,
  type Aggregation,
} from './aggregate';
import type { CommandContext } from './commands';
import { first, numberOf, options, present, words, type Row } from './lex';
import { spanSeconds } from './time';

function byFields(rest: string[], command: string): string[] {
  if (!rest.length) return [];
  if (!/^by$/i.test(rest[0]!)) throw new Error(`${command}: expected "by": ${rest.join(' ')}`);
  return rest.slice(1).map((w) => w.replace(/,$/, ''));
}

function groups(rows: Row[], by: string[]): Map<string, { key: string[]; rows: Row[] }> {
  const out = new Map<string, { key: string[]; rows: Row[] }>();
  for (const row of rows) {
    for (const key of groupKeys(row, by)) {
      const k = JSON.stringify(key);
      const g = out.get(k) ?? { key, rows: [] };
      g.rows.push(row);
      out.set(k, g);
    }
  }
  return out;
}

const sortKeys = (a: string[], b: string[]) => {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
};

export function statsCommand(args: string): (rows: Row[]) => Row[] {
  const { aggs, rest } = readAggregations(words(args));
  const by = byFields(rest, 'stats');
  return (rows) => {
    if (!by.length) {
      const out: Row = new Map();
      for (const a of aggs) {
        const v = aggregate(a, rows);
        if (v) out.set(a.as, v);
      }
      return [out];
    }
    return [...groups(rows, by).values()]
      .sort((x, y) => sortKeys(x.key, y.key))
      .map(({ key, rows: g }) => {
        const out: Row = new Map(by.map((f, i) => [f, [key[i]!]]));
        for (const a of aggs) {
          const v = aggregate(a, g);
          if (v) out.set(a.as, v);
        }
        return out;
      });
  };
}

export function eventstatsCommand(args: string): (rows: Row[]) => Row[] {
  const { aggs, rest } = readAggregations(words(args));
  const by = byFields(rest, 'eventstats');
  return (rows) => {
    for (const { rows: g } of groups(rows, by).values()) {
      const results = aggs.map((a) => [a.as, aggregate(a, g)] as const);
      for (const row of g) for (const [name, v] of results) if (v) row.set(name, [...v]);
    }
    return rows;
  };
}

export function streamstatsCommand(args: string): (rows: Row[]) => Row[] {
  const { opts, rest: afterOpts } = options(words(args), [
    'current',
    'window',
    'time_window',
    'global',
  ]);
  const { aggs, rest } = readAggregations(afterOpts);
  const by = byFields(rest, 'streamstats');
  const current = !/^(f|false|0)$/i.test(opts.current ?? 't');
  const window = Number(opts.window ?? 0);
  const timeWindow = opts.time_window ? spanSeconds(opts.time_window) : undefined;
  return (rows) => {
    const seen = new Map<string, Row[]>();
    for (const row of rows) {
      const keys = groupKeys(row, by);
      if (keys.length !== 1) continue;
      const k = JSON.stringify(keys[0]);
      const before = seen.get(k) ?? [];
      let scope = current ? [...before, row] : [...before];
      if (timeWindow !== undefined) {
        const t = numberOf(first(row, '_time')) ?? 0;
        scope = scope.filter((r) => Math.abs(t - (numberOf(first(r, '_time')) ?? 0)) < timeWindow);
      }
      if (window > 0) scope = scope.slice(-window);
      // Computed before the row gets its own results, so a result never feeds the next one.
      const results = aggs.map((a) => [a.as, aggregate(a, scope)] as const);
      before.push(new Map(row));
      seen.set(k, before);
      for (const [name, v] of results) {
        if (v) row.set(name, [...v]);
        else row.delete(name);
      }
    }
    return rows;
  };
}

/** Series names kept by chart/timechart: the `limit` largest by total, the rest in OTHER. */
function keptSeries(totals: Map<string, number>, limit: number): string[] {
  const names = [...totals.keys()];
  if (limit <= 0 || names.length <= limit) return names.sort();
  return names
    .sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : 1))
    .slice(0, limit)
    .sort();
}

interface SplitOptions {
  limit: number;
  useother: boolean;
}

function splitOptions(opts: Record<string, string>): SplitOptions {
  return {
    limit: Number(opts.limit ?? 10),
    useother: !/^(f|false|0)$/i.test(opts.useother ?? 't'),
  };
}

/** Rows of one x value split by series: the series name each row goes to (NULL if it has none). */
function seriesOf(row: Row, split: string, kept: Set<string>, o: SplitOptions): string | null {
  const v = first(row, split) ?? 'NULL';
  if (kept.has(v)) return v;
  return o.useother ? 'OTHER' : null;
}

/** Each series' total, to rank the series (a rate ranks like the sum it comes from). */
function splitTotals(rows: Row[], split: string, agg: Aggregation): Map<string, number> {
  const ranking = agg.fn === 'per_minute' ? { ...agg, fn: 'sum' } : agg;
  const totals = new Map<string, number>();
  for (const [, g] of groups(
    rows.map((r) => (present(r, split) ? r : new Map([...r, [split, ['NULL']]]))),
    [split],
  ))
    totals.set(g.key[0]!, numberOf(aggregate(ranking, g.rows)?.[0]) ?? 0);
  return totals;
}

export function chartCommand(args: string): (rows: Row[]) => Row[] {
  const { opts, rest: afterOpts } = options(words(args), ['limit', 'useother']);
  const { aggs, rest } = readAggregations(afterOpts);
  if (aggs.length !== 1) throw new Error('chart: one aggregation only');
  const agg = aggs[0]!;
  let over: string;
  let split: string | undefined;
  if (/^over$/i.test(rest[0] ?? '')) {
    over = rest[1]!;
    if (rest[2] !== undefined) {
      if (!/^by$/i.test(rest[2])) throw new Error(`chart: not modelled: ${args}`);
      split = rest[3];
    }
  } else {
    const by = byFields(rest, 'chart');
    [over, split] = [by[0]!, by[1]];
  }
  const o = splitOptions(opts);
  return (rows) => {
    const xs = [...groups(rows, [over]).values()].sort((a, b) => sortKeys(a.key, b.key));
    if (!split) {
      return xs.map(
        ({ key, rows: g }) =>
          new Map([
            [over, [key[0]!]],
            [agg.as, aggregate(agg, g) ?? []],
          ]),
      );
    }
    const kept = new Set(keptSeries(splitTotals(rows, split, agg), o.limit));
    const names = [...kept].sort();
    const hasOther = rows.some((r) => seriesOf(r, split, kept, o) === 'OTHER');
    if (hasOther) names.push('OTHER');
    return xs.map(({ key, rows: g }) => {
      const out: Row = new Map([[over, [key[0]!]]]);
      // Every series is a column of every row; a cell without events is null.
      for (const name of names) {
        const members = g.filter((r) => seriesOf(r, split, kept, o) === name);
        out.set(name, (members.length ? aggregate(agg, members) : null) ?? []);
      }
      return out;
    });
  };
}

/** Splunk's automatic timechart span: the smallest of these that makes at most 100 buckets. */
const AUTO_SPANS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 86400, 604800, 2592000];

export function timechartCommand(args: string, ctx: CommandContext): (rows: Row[]) => Row[] {
  const { opts, rest: afterOpts } = options(words(args), ['span', 'limit', 'useother', 'cont']);
  const { aggs, rest } = readAggregations(afterOpts);
  const split = byFields(rest, 'timechart')[0];
  if (split && aggs.length !== 1) throw new Error('timechart ... by: one aggregation only');
  const o = splitOptions(opts);
  return (rows) => {
    if (!rows.length) return [];
    const times = rows.map((r) => numberOf(first(r, '_time')) ?? 0);
    const from = ctx.range.earliest ?? Math.min(...times);
    const to = ctx.range.latest ?? Math.max(...times) + 1;
    const span = opts.span
      ? spanSeconds(opts.span)
      : (AUTO_SPANS.find((s) => (to - from) / s <= 100) ?? 2592000);
    const bucketOf = (t: number) => Math.floor(t / span) * span;
    const buckets = new Map<number, Row[]>();
    for (let b = bucketOf(from); b < to; b += span) buckets.set(b, []);
    rows.forEach((r, i) => buckets.get(bucketOf(times[i]!))?.push(r));
    const kept = split
      ? new Set(keptSeries(splitTotals(rows, split, aggs[0]!), o.limit))
      : new Set<string>();
    const names = split ? [...kept].sort() : aggs.map((a) => a.as);
    if (split && rows.some((r) => seriesOf(r, split, kept, o) === 'OTHER')) names.push('OTHER');
    return [...buckets.entries()].map(([b, g]) => {
      const out: Row = new Map([['_time', [String(b)]]]);
      names.forEach((name, i) => {
        const agg = split ? aggs[0]! : aggs[i]!;
        const members = split ? g.filter((r) => seriesOf(r, split, kept, o) === name) : g;
        const v = members.length ? aggregate(agg, members, span) : emptyValue(agg);
        out.set(name, v ?? []);
      });
      out.set('_span', [String(span)]);
      return out;
    });
  };
}
