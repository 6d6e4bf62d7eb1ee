/**
 * Runs an SPL search over a set of events, as a search head would over an index:
 *   - macros expanded from macros.conf;
 *   - the leading search terms select events (searchLang.ts) within the event-time range
 *     [earliest, latest) and the index-time range [index_earliest, index_latest) of the dispatch,
 *     which time modifiers in the search text override (`earliest=`, `latest=`,
 *     `_index_earliest=`, `_index_latest=`, resolved against the search's `now`); as the Search
 *     Reference says, a subsearch gets the dispatch range, not the modifiers of the outer search,
 *     and its own modifiers apply to it alone;
 *   - `index=*` does not match internal indexes (`_internal`), which must be named;
 *   - events come out newest first, then each command of commands.ts and stats.ts runs in turn.
 * A command the harness does not model throws.
 */
import { matchSearch } from '../searchLang';
import {
  appendCommand,
  appendpipeCommand,
  binCommand,
  copy,
  dedupCommand,
  evalCommand,
  fieldsCommand,
  fillnullCommand,
  headCommand,
  makeresultsCommand,
  renameCommand,
  rexCommand,
  searchCommand,
  sortCommand,
  tableCommand,
  whereCommand,
  type CommandContext,
} from './commands';
import { commandOf, expandMacros, first, numberOf, pipeline, type Row } from './lex';
import {
  chartCommand,
  eventstatsCommand,
  statsCommand,
  streamstatsCommand,
  timechartCommand,
} from './stats';
import { resolveTime } from './time';

export interface TimeRange {
  earliest?: number;
  latest?: number;
  indexEarliest?: number;
  indexLatest?: number;
}

export interface SearchContext extends TimeRange {
  /** Every event of the "index": `_time`, `_indextime`, `index`, `sourcetype`, `source`, `host`, `_raw` and the search-time fields. */
  events: readonly Row[];
  /** The search's `now`, epoch seconds. */
  now: number;
}

const MODIFIERS: Record<string, keyof TimeRange> = {
  earliest: 'earliest',
  latest: 'latest',
  _index_earliest: 'indexEarliest',
  _index_latest: 'indexLatest',
};

/** Takes the time modifiers out of search terms: the range they set and the remaining terms. */
export function timeModifiers(terms: string, now: number): { range: TimeRange; rest: string } {
  const range: TimeRange = {};
  const rest = terms.replace(
    /(^|[\s(])(earliest|latest|_index_earliest|_index_latest)\s*=\s*("[^"]*"|[^\s)]+)/g,
    (_whole, lead: string, name: string, value: string) => {
      range[MODIFIERS[name]!] = resolveTime(value.replace(/^"|"$/g, ''), now);
      return lead;
    },
  );
  return { range, rest: rest.trim() };
}

function inRange(t: number | null, from?: number, to?: number): boolean {
  if (from === undefined && to === undefined) return true;
  if (t === null) return false;
  return (from === undefined || t >= from) && (to === undefined || t < to);
}

function selectEvents(terms: string, ctx: SearchContext): { rows: Row[]; range: TimeRange } {
  const { range: own, rest } = timeModifiers(terms, ctx.now);
  const range: TimeRange = {
    earliest: ctx.earliest,
    latest: ctx.latest,
    indexEarliest: ctx.indexEarliest,
    indexLatest: ctx.indexLatest,
    ...own,
  };
  const namesInternal = /\bindex\s*=\s*"?_/.test(rest);
  const rows = ctx.events
    .filter((e) => namesInternal || !first(e, 'index')?.startsWith('_'))
    .filter((e) => inRange(numberOf(first(e, '_time')), range.earliest, range.latest))
    .filter((e) =>
      inRange(numberOf(first(e, '_indextime')), range.indexEarliest, range.indexLatest),
    )
    .filter(
      (e) =>
        rest === '' ||
        matchSearch(
          rest,
          (f) => e.get(f),
          (name) => e.get('eventtype')?.includes(name) ?? false,
        ),
    )
    .map(copy)
    .sort((a, b) => (numberOf(first(b, '_time')) ?? 0) - (numberOf(first(a, '_time')) ?? 0));
  return { rows, range };
}

function runCommands(segments: string[], rows: Row[], ctx: SearchContext, range: TimeRange): Row[] {
  const commandContext: CommandContext = {
    now: ctx.now,
    range: { earliest: range.earliest, latest: range.latest },
    pipe: (spl, input) => runCommands(pipeline(spl), input, ctx, range),
    subsearch: (spl) => runSearch(spl.replace(/^\s*search\s+/, ''), ctx),
  };
  let out = rows;
  for (const segment of segments) {
    const { command, args } = commandOf(segment);
    out = runCommand(command, args, out, commandContext);
  }
  return out;
}

function runCommand(command: string, args: string, rows: Row[], ctx: CommandContext): Row[] {
  switch (command) {
    case 'eval':
      return evalCommand(args, rows, ctx);
    case 'where':
      return whereCommand(args, rows, ctx);
    case 'search':
      return searchCommand(args, rows);
    case 'fillnull':
      return fillnullCommand(args, rows);
    case 'fields':
      return fieldsCommand(args, rows);
    case 'table':
      return tableCommand(args, rows);
    case 'rename':
      return renameCommand(args, rows);
    case 'head':
      return headCommand(args, rows);
    case 'reverse':
      return [...rows].reverse();
    case 'dedup':
      return dedupCommand(args, rows);
    case 'rex':
      return rexCommand(args, rows);
    case 'bin':
    case 'bucket':
      return binCommand(args, rows);
    case 'sort':
      return sortCommand(args, rows);
    case 'appendpipe':
      return appendpipeCommand(args, rows, ctx);
    case 'append':
      return appendCommand(args, rows, ctx);
    case 'makeresults':
      return makeresultsCommand(args, rows, ctx);
    case 'stats':
      return statsCommand(args)(rows);
    case 'eventstats':
      return eventstatsCommand(args)(rows);
    case 'streamstats':
      return streamstatsCommand(args)(rows);
    case 'chart':
      return chartCommand(args)(rows);
    case 'timechart':
      return timechartCommand(args, ctx)(rows);
    default:
      throw new Error(`SPL command not modelled by the test harness: ${command}`);
  }
}

/**
 * Runs a search: leading search terms (or a leading `|` and a generating command), then commands.
 */
export function runSearch(spl: string, ctx: SearchContext): Row[] {
  const expanded = expandMacros(spl).trim();
  const segments = pipeline(expanded);
  if (expanded.startsWith('|'))
    return runCommands(segments, [], ctx, { earliest: ctx.earliest, latest: ctx.latest });
  const { rows, range } = selectEvents(segments[0] ?? '', ctx);
  return runCommands(segments.slice(1), rows, ctx, range);
}

/** Runs commands (a search without leading terms) on rows the caller gives. */
export function runPipeline(spl: string, rows: Row[], ctx: SearchContext): Row[] {
  return runCommands(pipeline(expandMacros(spl)), rows.map(copy), ctx, {
    earliest: ctx.earliest,
    latest: ctx.latest,
  });
}
