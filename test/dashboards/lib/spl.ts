/**
 * A small SPL reader for one purpose: list the field names a search refers to, in order, and tell
 * which of them neither the data (the allow-list) nor an earlier part of the search provides.
 *
 * It follows the pipeline: macros are expanded from macros.conf, subsearches (`[...]`) are read
 * with the fields known at that point, eval/rex/rename/stats AS create fields, and a transforming
 * command (stats, chart, timechart, table, fields) replaces the set of fields that exist after it,
 * so `| stats count by opcode | where user_name="x"` is reported too. After `chart ... by` or
 * `timechart ... by` the columns are data values, so checking stops there.
 * A command it does not know is an error, never silently passed: teach it the command instead.
 */

import {
  expandMacros,
  expressionFields,
  searchTermFields,
  splitTopLevel,
  unquote,
  words,
} from './splLexer';

/** Splunk's internal fields, which `fields` keeps unless told otherwise (and `table` drops). */
export const SPLUNK_INTERNAL_FIELDS = [
  '_time',
  '_raw',
  '_indextime',
  '_cd',
  '_bkt',
  '_serial',
  '_si',
  '_sourcetype',
];

export { expandMacros, expressionFields, splitTopLevel } from './splLexer';

export interface FieldProblem {
  field: string;
  command: string;
}

export interface SplContext {
  /** Fields events have before any command: built-ins plus what the conf files extract. */
  known: ReadonlySet<string>;
  /** Macro name → definition (from macros.conf); a macro is expanded before reading. */
  macros: ReadonlyMap<string, string>;
}

/** The fields that exist at a point of the pipeline. `raw` = events: the allow-list applies. */
type Available =
  | { kind: 'raw'; created: Set<string> }
  | { kind: 'set'; fields: Set<string> }
  | { kind: 'dynamic' };

interface Reader {
  use(field: string, command: string): void;
  create(field: string): void;
  replace(fields: Iterable<string>): void;
  dynamic(): void;
  available: Available;
  /** Reads a subsearch; `merge`: the fields it ends with exist after it (appendpipe, append). */
  subsearch(spl: string, startsWithSearch: boolean, merge?: boolean): void;
}

/** Options (`name=value`) at the head of a command's arguments; returns the rest. */
function leadingOptions(args: string[]): { options: Map<string, string>; rest: string[] } {
  const options = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i += 1) {
    const m = /^([a-z_]+)=(.*)$/.exec(args[i] as string);
    if (!m) break;
    options.set(m[1] as string, m[2] as string);
  }
  return { options, rest: args.slice(i) };
}

/** stats / eventstats / streamstats / chart / timechart. */
function readStats(command: string, text: string, r: Reader): void {
  const { rest } = leadingOptions(words(text));
  const produced: string[] = [];
  let byFields: string[] = [];
  let overField: string | undefined;
  let i = 0;
  while (i < rest.length) {
    const w = rest[i] as string;
    const lw = w.toLowerCase();
    if (lw === 'by') {
      // Options may follow the by clause too (timechart ... by x limit=10).
      byFields = rest.slice(i + 1).filter((f) => !f.includes('='));
      break;
    }
    if (lw === 'over') {
      overField = rest[i + 1];
      i += 2;
      continue;
    }
    if (/^[a-z_]+=/.test(w)) {
      i += 1;
      continue;
    }
    const agg = /^([a-z_0-9]+)(?:\((.*)\))?$/is.exec(w.replace(/,$/, ''));
    if (!agg) throw new Error(`${command}: cannot read "${w}"`);
    const [, fn, inner] = agg;
    let name = inner === undefined ? (fn as string) : `${fn}(${inner})`;
    if (inner !== undefined) {
      const evalMatch = /^eval\((.*)\)$/s.exec(inner);
      if (evalMatch) expressionFields(evalMatch[1] as string).forEach((f) => r.use(f, command));
      else if (inner.trim() && !inner.includes('*')) r.use(inner.trim(), command);
    }
    if ((rest[i + 1] ?? '').toLowerCase() === 'as' && rest[i + 2]) {
      name = (rest[i + 2] as string).replace(/,$/, '');
      i += 3;
    } else i += 1;
    produced.push(name);
  }
  for (const f of [...byFields, ...(overField ? [overField] : [])]) r.use(f, command);
  if (command === 'eventstats' || command === 'streamstats') {
    produced.forEach((f) => r.create(f));
  } else if (command === 'stats') {
    r.replace([...byFields, ...produced]);
  } else if (command === 'timechart') {
    if (byFields.length) r.dynamic();
    else r.replace(['_time', '_span', ...produced]);
  } else if (command === 'chart') {
    if (byFields.length) r.dynamic();
    else r.replace([...(overField ? [overField] : []), ...produced]);
  }
}

function readEval(text: string, r: Reader): void {
  for (const assignment of splitTopLevel(text, ',')) {
    const m = /^\s*("[^"]+"|'[^']+'|[A-Za-z_][\w.]*)\s*=(?!=)([\s\S]*)$/.exec(assignment);
    if (!m) throw new Error(`eval: cannot read "${assignment.trim()}"`);
    expressionFields(m[2] as string).forEach((f) => r.use(f, 'eval'));
    r.create(unquote((m[1] as string).replace(/^'|'$/g, '')));
  }
}

function readCommand(segment: string, isSearch: boolean, r: Reader): void {
  const trimmed = segment.trim();
  if (!trimmed) return;
  const m = /^([A-Za-z_]+)\b\s*([\s\S]*)$/.exec(trimmed);
  const name = m?.[1]?.toLowerCase();
  // A search segment is search terms, with or without the word "search" in front.
  const command = isSearch ? 'search' : name;
  const text = isSearch && name !== 'search' ? trimmed : (m?.[2] ?? '');
  switch (command) {
    case 'search': {
      const { fields, subsearches } = searchTermFields(text);
      fields.forEach((f) => r.use(f, 'search'));
      subsearches.forEach((s) => r.subsearch(s, true));
      return;
    }
    case 'where':
      expressionFields(text).forEach((f) => r.use(f, 'where'));
      return;
    case 'eval':
      readEval(text, r);
      return;
    case 'stats':
    case 'eventstats':
    case 'streamstats':
    case 'chart':
    case 'timechart':
      readStats(command, text, r);
      return;
    case 'table':
    case 'fields': {
      const list = words(text.replace(/,/g, ' '));
      const remove = list[0] === '-';
      const names = list.filter((f) => f !== '-' && f !== '+');
      names.filter((f) => !f.includes('*')).forEach((f) => r.use(f, command));
      if (!remove) {
        if (command === 'table') r.replace(names);
        else r.replace([...names, ...SPLUNK_INTERNAL_FIELDS]);
      }
      return;
    }
    case 'sort':
      for (const w of words(text.replace(/,/g, ' '))) {
        if (/^\d+$/.test(w) || w === '-' || w === '+' || /^(limit=\d+|d|desc)$/i.test(w)) continue;
        const field = w.replace(/^[-+]/, '').replace(/^(?:num|str|ip|auto)\((.*)\)$/, '$1');
        if (field) r.use(field, 'sort');
      }
      return;
    case 'dedup':
    case 'fillnull': {
      const { rest } = leadingOptions(words(text.replace(/,/g, ' ')));
      rest.filter((f) => !/^\d+$/.test(f) && !f.includes('=')).forEach((f) => r.use(f, command));
      return;
    }
    case 'bin':
    case 'bucket': {
      const list = words(text);
      const field = list.find((w) => !w.includes('=') && w.toLowerCase() !== 'as');
      if (field) r.use(field, command);
      const as = list.findIndex((w) => w.toLowerCase() === 'as');
      if (as >= 0 && list[as + 1]) r.create(list[as + 1] as string);
      return;
    }
    case 'rex': {
      const fieldOption = /(?:^|\s)field=("[^"]+"|\S+)/.exec(text);
      if (fieldOption?.[1]) r.use(unquote(fieldOption[1]), 'rex');
      for (const g of text.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)) r.create(g[1] as string);
      return;
    }
    case 'rename':
      for (const pair of splitTopLevel(text, ',')) {
        const p = /^\s*("[^"]+"|\S+)\s+as\s+("[^"]+"|\S+)\s*$/i.exec(pair);
        if (!p) throw new Error(`rename: cannot read "${pair.trim()}"`);
        const from = unquote(p[1] as string);
        if (!from.includes('*')) r.use(from, 'rename');
        r.create(unquote(p[2] as string));
      }
      return;
    case 'appendpipe': {
      const inner = /^\s*(?:\[([\s\S]*)\])\s*$/.exec(text);
      if (!inner) throw new Error('appendpipe: expected [ subpipeline ]');
      r.subsearch(inner[1] as string, false);
      return;
    }
    case 'append': {
      const inner = /^\s*(?:\[([\s\S]*)\])\s*$/.exec(text);
      if (!inner) throw new Error('append: expected [ subsearch ]');
      r.subsearch(inner[1] as string, true, true);
      return;
    }
    case 'head':
    case 'tail':
    case 'reverse':
      return;
    case 'makeresults':
      r.replace(['_time']);
      return;
    default:
      throw new Error(
        `unsupported command "${command}": teach test/dashboards/lib/spl.ts to read it`,
      );
  }
}

/** Reads a search; returns each field reference that nothing provides, in order. */
export function unknownFields(spl: string, context: SplContext): FieldProblem[] {
  return readPipeline(
    expandMacros(spl, context.macros),
    context,
    { kind: 'raw', created: new Set() },
    true,
  ).problems;
}

function copy(available: Available): Available {
  if (available.kind === 'raw') return { kind: 'raw', created: new Set(available.created) };
  if (available.kind === 'set') return { kind: 'set', fields: new Set(available.fields) };
  return available;
}

/**
 * `startsWithSearch`: a search or a `[search ...]` subsearch starts with search terms; an
 * appendpipe subpipeline, or a pipeline written with a leading "|", starts with a command.
 */
function readPipeline(
  spl: string,
  context: SplContext,
  start: Available,
  startsWithSearch: boolean,
): { problems: FieldProblem[]; available: Available } {
  const problems: FieldProblem[] = [];
  let available = copy(start);
  const reader: Reader = {
    get available() {
      return available;
    },
    use(field, command) {
      if (available.kind === 'dynamic') return;
      const ok =
        available.kind === 'raw'
          ? context.known.has(field) || available.created.has(field)
          : available.fields.has(field);
      if (!ok) problems.push({ field, command });
    },
    create(field) {
      if (available.kind === 'raw') available.created.add(field);
      else if (available.kind === 'set') available.fields.add(field);
    },
    replace(fields) {
      if (available.kind !== 'dynamic') available = { kind: 'set', fields: new Set(fields) };
    },
    dynamic() {
      available = { kind: 'dynamic' };
    },
    subsearch(inner, startsWithSearch, merge = !startsWithSearch) {
      // A `[search ...]` subsearch runs on its own events; an appendpipe on the results so far.
      const start: Available = startsWithSearch ? { kind: 'raw', created: new Set() } : available;
      const result = readPipeline(inner, context, start, startsWithSearch);
      problems.push(...result.problems);
      if (!merge) return;
      // Fields an appendpipe or append creates may be used after it.
      if (result.available.kind === 'set') result.available.fields.forEach((f) => reader.create(f));
      if (result.available.kind === 'raw')
        result.available.created.forEach((f) => reader.create(f));
    },
  };
  const body = spl.trim();
  const leadingPipe = body.startsWith('|');
  splitTopLevel(leadingPipe ? body.slice(1) : body, '|').forEach((segment, i) => {
    readCommand(segment, i === 0 && startsWithSearch && !leadingPipe, reader);
  });
  return { problems, available };
}
