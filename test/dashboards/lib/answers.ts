/**
 * What a search head would answer each search of a dashboard: every data source's query, tokens
 * substituted, run by the SPL engine (test/extraction/harness) over the demo index, in the time
 * range its queryParameters give. A chain runs on its parent's results, as Splunk's post-process
 * does. Results are handed over as Splunk's REST API gives them: `_time` as ISO 8601 text,
 * multivalue fields as arrays.
 */
import { runPipeline, runSearch, type Row } from '../../extraction/harness/spl';
import { isoTime, resolveTime } from '../../extraction/harness/spl/time';
import { completeQuery, searchIds, substitute } from './tokens';
import type { Definition } from './views';

export interface ColumnData {
  fields: { name: string }[];
  columns: unknown[][];
}

export type Tokens = Readonly<Record<string, string>>;

/** The time range a data source searches, from its own queryParameters or the defaults. */
export function timeRange(def: Definition, id: string, tokens: Tokens, now: number) {
  const own = def.dataSources[id]?.options?.queryParameters as
    { earliest?: string; latest?: string } | undefined;
  const defaults = (
    def.defaults as
      { dataSources?: { 'ds.search'?: { options?: { queryParameters?: typeof own } } } } | undefined
  )?.dataSources?.['ds.search']?.options?.queryParameters;
  const earliest = substitute(own?.earliest ?? defaults?.earliest ?? '', tokens);
  const latest = substitute(own?.latest ?? defaults?.latest ?? 'now', tokens);
  return {
    earliest: earliest === '' || earliest === '0' ? undefined : resolveTime(earliest, now),
    latest: resolveTime(latest, now),
  };
}

/** Results of a data source: a search runs on the events, a chain on its parent's results. */
export function results(
  def: Definition,
  id: string,
  tokens: Tokens,
  events: readonly Row[],
  now: number,
  cache = new Map<string, Row[]>(),
): Row[] {
  const cached = cache.get(id);
  if (cached) return cached;
  const ds = def.dataSources[id];
  if (!ds) throw new Error(`no data source ${id}`);
  const query = substitute(String(ds.options?.query ?? ''), tokens);
  const parent = ds.options?.extend as string | undefined;
  const root = parent ? rootOf(def, parent) : id;
  const range = timeRange(def, root, tokens, now);
  const out = parent
    ? runPipeline(query, results(def, parent, tokens, events, now, cache), {
        events,
        now,
        ...range,
      })
    : runSearch(query, { events, now, ...range });
  cache.set(id, out);
  return out;
}

function rootOf(def: Definition, id: string): string {
  const parent = def.dataSources[id]?.options?.extend as string | undefined;
  return parent ? rootOf(def, parent) : id;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Rows as Splunk's REST API returns them, column-major for the test data source. */
export function toColumnData(rows: Row[]): ColumnData {
  const names: string[] = [];
  for (const r of rows) for (const k of r.keys()) if (!names.includes(k)) names.push(k);
  const cell = (name: string, v: string[] | undefined): unknown => {
    if (!v || !v.length) return null;
    if (name === '_time') return isoTime(Number(v[0]));
    const values = v.map((x) => (NUMBER.test(x) && !/^0\d/.test(x) ? Number(x) : x));
    return values.length === 1 ? values[0] : values;
  };
  return {
    fields: names.map((name) => ({ name })),
    columns: names.map((name) => rows.map((r) => cell(name, r.get(name)))),
  };
}

/** Answers keyed by complete query text, for each token state the test puts the dashboard in. */
export function answersFor(
  def: Definition,
  events: readonly Row[],
  states: Tokens[],
  now: number,
): Record<string, ColumnData> {
  const answers: Record<string, ColumnData> = {};
  for (const tokens of states) {
    const cache = new Map<string, Row[]>();
    for (const id of searchIds(def))
      answers[completeQuery(def, id, tokens)] = toColumnData(
        results(def, id, tokens, events, now, cache),
      );
  }
  return answers;
}
