/**
 * The fields a search may use, built at run time from what the app really produces (nothing
 * about the app's own fields is written here):
 *   - props.conf: REPORT- transforms, EXTRACT- named groups, EVAL- names, FIELDALIAS- targets,
 *     LOOKUP- outputs;
 *   - transforms.conf: FORMAT names and REGEX named groups of the transforms props.conf uses,
 *     and the CSV header of each lookup file;
 *   - JSON sourcetypes (KV_MODE = json) have no conf-file names: for the collector's events the
 *     names are the keys src/collector/collectorEvents.ts writes;
 *   - Splunk's own fields (below), which no app file declares.
 * Macros come from macros.conf, to be expanded by the SPL reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SPLUNK_INTERNAL_FIELDS } from './spl';
import { REPO } from './views';

/** Fields Splunk itself gives every event, and search-time modifiers that look like fields. */
export const SPLUNK_BUILTIN_FIELDS = [
  ...SPLUNK_INTERNAL_FIELDS,
  '_span',
  'host',
  'source',
  'sourcetype',
  'index',
  'splunk_server',
  'linecount',
  'punct',
  'eventtype',
  'tag',
  'date_hour',
  'date_mday',
  'date_minute',
  'date_month',
  'date_second',
  'date_wday',
  'date_year',
  'date_zone',
  'timestartpos',
  'timeendpos',
  'earliest',
  'latest',
  '_index_earliest',
  '_index_latest',
  // Splunk's own extractions for its splunkd sourcetype (index=_internal).
  'component',
  'log_level',
];

export interface ConfStanza {
  name: string;
  settings: Map<string, string>;
}

/** Reads a .conf file: stanzas, `key = value`, `\` line continuations, `#` comments. */
export function parseConf(text: string): ConfStanza[] {
  const stanzas: ConfStanza[] = [{ name: 'default', settings: new Map() }];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i] as string;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      line = `${line.slice(0, -1)}\n${lines[i] as string}`;
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(trimmed);
    if (header) {
      stanzas.push({ name: header[1] as string, settings: new Map() });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    (stanzas[stanzas.length - 1] as ConfStanza).settings.set(
      line.slice(0, eq).trim(),
      line.slice(eq + 1).trim(),
    );
  }
  return stanzas.filter((s) => s.name !== 'default' || s.settings.size > 0);
}

function readConf(file: string): ConfStanza[] {
  const full = path.join(REPO, file);
  return fs.existsSync(full) ? parseConf(fs.readFileSync(full, 'utf8')) : [];
}

const namedGroups = (regex: string) =>
  [...regex.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map((m) => m[1] as string);

function csvHeader(file: string): string[] {
  const first = fs.readFileSync(file, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  return first
    .split(',')
    .map((h) => h.trim().replace(/^"|"$/g, ''))
    .filter(Boolean);
}

function lookupFiles(): string[] {
  return ['app/lookups', 'lookups']
    .map((d) => path.join(REPO, d))
    .filter((d) => fs.existsSync(d))
    .flatMap((d) =>
      fs
        .readdirSync(d)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => path.join(d, f)),
    );
}

/** The `{...}` block that starts at the first brace at or after `from`. */
function braceBlock(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; open >= 0 && i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && (depth -= 1) === 0) return text.slice(open + 1, i);
  }
  return '';
}

/**
 * Keys of the JSON objects the collector writes: the object literals given to `collectorEvent(…)`
 * and the `payload` it adds to each, in src/collector/collectorEvents.ts.
 */
function collectorJsonKeys(): string[] {
  const file = path.join(REPO, 'src/collector/collectorEvents.ts');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const keys = new Set<string>();
  for (const call of text.matchAll(/(?<!function )collectorEvent\(|const payload = /g)) {
    const block = braceBlock(text, call.index ?? 0);
    for (const m of block.matchAll(/(?:^|[{,])\s*([a-z][a-z0-9_]*)\s*(?=[:,}]|$)/gm))
      keys.add(m[1] as string);
  }
  return [...keys];
}

export { collectorJsonKeys };

export interface AllowList {
  fields: Set<string>;
  macros: Map<string, string>;
  /** Where each name came from, for messages. */
  sources: Map<string, string>;
}

export function buildAllowList(): AllowList {
  const fields = new Set<string>();
  const sources = new Map<string, string>();
  const add = (name: string, from: string) => {
    if (!name || name.includes('$')) return;
    fields.add(name);
    if (!sources.has(name)) sources.set(name, from);
  };
  SPLUNK_BUILTIN_FIELDS.forEach((f) => add(f, 'Splunk'));

  const transforms = new Map(readConf('default/transforms.conf').map((s) => [s.name, s.settings]));
  for (const stanza of readConf('default/props.conf')) {
    for (const [key, value] of stanza.settings) {
      const from = `props.conf [${stanza.name}] ${key}`;
      if (key.startsWith('EVAL-')) add(key.slice(5), from);
      else if (key.startsWith('EXTRACT-')) namedGroups(value).forEach((f) => add(f, from));
      else if (key.startsWith('FIELDALIAS-')) {
        for (const m of value.matchAll(/(\S+)\s+(?:AS|ASNEW)\s+(\S+)/gi)) {
          add(m[1] as string, from);
          add(m[2] as string, from);
        }
      } else if (key.startsWith('LOOKUP-')) {
        const output = /\bOUTPUT(?:NEW)?\b\s+(.*)$/i.exec(value);
        const list = output?.[1] ?? '';
        for (const item of list.split(',')) {
          const parts = item.trim().split(/\s+/);
          add(
            (parts.length >= 3 && /^as$/i.test(parts[1] ?? '') ? parts[2] : parts[0]) ?? '',
            from,
          );
        }
        // Without OUTPUT every column of the table is added: the CSV headers below cover that.
      } else if (key.startsWith('REPORT-')) {
        for (const name of value.split(',').map((v) => v.trim())) {
          const t = transforms.get(name);
          if (!t) continue;
          const tfrom = `transforms.conf [${name}]`;
          const format = t.get('FORMAT');
          if (format)
            for (const m of format.matchAll(/([A-Za-z_]\w*)::/g)) add(m[1] as string, tfrom);
          namedGroups(t.get('REGEX') ?? '').forEach((f) => add(f, tfrom));
        }
      }
    }
  }
  for (const file of lookupFiles())
    csvHeader(file).forEach((f) => add(f, path.relative(REPO, file)));
  collectorJsonKeys().forEach((f) => add(f, 'src/collector/collectorEvents.ts (JSON keys)'));

  const macros = new Map<string, string>();
  for (const stanza of readConf('default/macros.conf')) {
    const definition = stanza.settings.get('definition');
    if (definition !== undefined) macros.set(stanza.name, definition.replace(/\n/g, ' '));
  }
  return { fields, macros, sources };
}
