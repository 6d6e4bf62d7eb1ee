/**
 * Applies this app's props.conf and transforms.conf to events the way Splunk does at search time:
 *   1. the [<sourcetype>] stanza and every matching [source::<pattern>] stanza are merged, source
 *      settings winning (props.conf precedence);
 *   2. REPORT-<class> in ASCII order of class, transforms left to right: REGEX run by PCRE2 over
 *      SOURCE_KEY (default _raw), every match (like /g), FORMAT `name::value` with $n, CLEAN_KEYS,
 *      empty values dropped (KEEP_EMPTY_VALS=false), a field already set keeps its first value
 *      unless MV_ADD = true;
 *   3. KV_MODE (none, or json);
 *   4. FIELDALIAS-<class> (`a AS b`);
 *   5. EVAL-<field>: all evaluated against the same input, then assigned (they cannot see each
 *      other's results), null removes the field;
 *   6. LOOKUP-<class> in ASCII order: CSV lookups, OUTPUT overwrites, min_matches/default_match;
 *   7. eventtypes (eventtypes.conf) and their tags (tags.conf).
 * Every REGEX comes from the conf files; this file holds none of the app's regexes.
 */
import { evaluate, parseEval, toFieldValues } from './evalExpr';
import { readConf, readCsv, type Stanza } from './conf';
import { runPcre2, type Match } from './pcre2';
import { globMatch, matchSearch } from './searchLang';

export interface SplunkEvent {
  raw: string | Buffer;
  sourcetype: string;
  source: string;
  host: string;
  /** epoch seconds, for the actor macro tests */
  time?: number;
}

export type Fields = Map<string, string[]>;

export interface Result {
  fields: Fields;
  eventtypes: string[];
  tags: string[];
}

const props = readConf('props.conf');
const transforms = readConf('transforms.conf');
const eventtypes = readConf('eventtypes.conf');
const tags = readConf('tags.conf');

const SEARCH_TIME_PREFIXES = ['REPORT-', 'FIELDALIAS-', 'EVAL-', 'LOOKUP-', 'EXTRACT-'];
const TRANSFORM_KEYS = new Set([
  'SOURCE_KEY',
  'REGEX',
  'FORMAT',
  'MV_ADD',
  'CLEAN_KEYS',
  'KEEP_EMPTY_VALS',
]);
const LOOKUP_KEYS = new Set(['filename', 'case_sensitive_match', 'min_matches', 'default_match']);

/** Which source:: stanza patterns match a source (props.conf: `...` any, `*` any but '/'). */
export function sourceStanzas(source: string): string[] {
  return [...props.stanzas.keys()].filter(
    (name) =>
      name.startsWith('source::') && sourcePatternMatches(name.slice('source::'.length), source),
  );
}

export function sourcePatternMatches(pattern: string, source: string): boolean {
  if (/[|[\]()]/.test(pattern)) throw new Error(`source pattern syntax not modelled: ${pattern}`);
  return globMatch(pattern, source, { slashStops: true, caseInsensitive: false });
}

export function effectiveProps(ev: SplunkEvent): Stanza {
  const merged: Stanza = new Map();
  const st = props.stanzas.get(ev.sourcetype);
  for (const [k, v] of st ?? []) merged.set(k, v);
  for (const name of sourceStanzas(ev.source))
    for (const [k, v] of props.stanzas.get(name)!) merged.set(k, v);
  return merged;
}

function classes(settings: Stanza, prefix: string): [string, string][] {
  return [...settings.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function transform(name: string): Stanza {
  const t = transforms.stanzas.get(name);
  if (!t) throw new Error(`transforms.conf has no [${name}]`);
  return t;
}

export function cleanKey(key: string): string {
  let out = '';
  for (const ch of key) out += /[A-Za-z0-9]/.test(ch) ? ch : '_';
  let i = 0;
  while (i < out.length && /[_0-9]/.test(out.charAt(i))) i++;
  return out.slice(i);
}

function applyFormat(format: string, match: Match, tr: Stanza): [string, string][] {
  const group = (n: number): string => match[n]?.bytes.toString('utf8') ?? '';
  const subst = (s: string): string => s.replace(/\$(\d+)/g, (_m, d: string) => group(Number(d)));
  const out: [string, string][] = [];
  for (const token of format.split(/\s+/).filter(Boolean)) {
    const sep = token.indexOf('::');
    if (sep < 0) throw new Error(`FORMAT token without '::': ${token}`);
    let name = subst(token.slice(0, sep));
    const value = subst(token.slice(sep + 2));
    if ((tr.get('CLEAN_KEYS') ?? 'true') === 'true') name = cleanKey(name);
    const keepEmpty = (tr.get('KEEP_EMPTY_VALS') ?? 'false') === 'true';
    if (name === '' || (value === '' && !keepEmpty)) continue;
    out.push([name, value]);
  }
  return out;
}

function metaValue(ev: SplunkEvent, key: string): Buffer {
  if (key === '_raw') return typeof ev.raw === 'string' ? Buffer.from(ev.raw, 'utf8') : ev.raw;
  if (key === 'source') return Buffer.from(ev.source, 'utf8');
  if (key === 'host') return Buffer.from(ev.host, 'utf8');
  if (key === 'sourcetype') return Buffer.from(ev.sourcetype, 'utf8');
  throw new Error(`SOURCE_KEY not modelled: ${key}`);
}

/** KV_MODE=json: flattens objects with dots, arrays as name{}; values keep their literal text. */
export function jsonKv(raw: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  const ws = (): void => {
    while (i < raw.length && ' \t\r\n'.includes(raw.charAt(i))) i++;
  };
  const str = (): string => {
    if (raw.charAt(i) !== '"') throw new Error('json: string expected');
    i++;
    let s = '';
    while (raw.charAt(i) !== '"') {
      if (i >= raw.length) throw new Error('json: unterminated string');
      if (raw.charAt(i) === '\\') {
        const e = raw.charAt(i + 1);
        const map: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          b: '\b',
          f: '\f',
          '"': '"',
          '\\': '\\',
          '/': '/',
        };
        if (e === 'u') {
          s += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          s += map[e] ?? e;
          i += 2;
        }
      } else s += raw.charAt(i++);
    }
    i++;
    return s;
  };
  const value = (path: string): void => {
    ws();
    const c = raw.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (raw.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        if (raw.charAt(i++) !== ':') throw new Error('json: colon expected');
        value(path ? `${path}.${k}` : k);
        ws();
        if (raw.charAt(i) === ',') {
          i++;
          continue;
        }
        if (raw.charAt(i++) !== '}') throw new Error('json: } expected');
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (raw.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value(`${path}{}`);
        ws();
        if (raw.charAt(i) === ',') {
          i++;
          continue;
        }
        if (raw.charAt(i++) !== ']') throw new Error('json: ] expected');
        return;
      }
    }
    if (c === '"') {
      out.push([path, str()]);
      return;
    }
    let j = i;
    while (j < raw.length && !' \t\r\n,}]'.includes(raw.charAt(j))) j++;
    out.push([path, raw.slice(i, j)]); // numbers, true, false, null: literal text
    i = j;
  };
  try {
    value('');
  } catch {
    return [];
  }
  return out;
}

function add(fields: Fields, name: string, value: string, mvAdd: boolean): void {
  const cur = fields.get(name);
  if (!cur) fields.set(name, [value]);
  else if (mvAdd) cur.push(value);
}

const csvCache = new Map<string, { header: string[]; rows: string[][] }>();

function applyLookup(spec: string, fields: Fields): void {
  const words = spec.split(/\s+/).filter(Boolean);
  const table = words[0]!;
  const def = transforms.stanzas.get(table);
  if (!def) throw new Error(`no lookup definition [${table}]`);
  for (const k of def.keys())
    if (!LOOKUP_KEYS.has(k)) throw new Error(`lookup setting not modelled: ${k}`);
  const outIdx = words.findIndex((w) => w === 'OUTPUT' || w === 'OUTPUTNEW');
  if (outIdx < 0) throw new Error(`LOOKUP without OUTPUT: ${spec}`);
  const outputNew = words[outIdx] === 'OUTPUTNEW';
  const pairs = (ws: string[]): [string, string][] => {
    const res: [string, string][] = [];
    for (let i = 0; i < ws.length; i++) {
      if (ws[i + 1] === 'AS') {
        res.push([ws[i]!, ws[i + 2]!]);
        i += 2;
      } else res.push([ws[i]!, ws[i]!]);
    }
    return res;
  };
  const inputs = pairs(words.slice(1, outIdx));
  const outputs = pairs(words.slice(outIdx + 1));
  if (inputs.length !== 1) throw new Error('only single-key lookups are modelled');
  const [csvIn, eventIn] = inputs[0]!;
  const inValues = fields.get(eventIn);
  if (!inValues) return; // an event without the input field is not looked up
  const filename = def.get('filename')!;
  if (!csvCache.has(filename)) csvCache.set(filename, readCsv(filename));
  const { header, rows } = csvCache.get(filename)!;
  const caseSensitive = (def.get('case_sensitive_match') ?? 'true') === 'true';
  const minMatches = Number(def.get('min_matches') ?? '0');
  const defaultMatch = def.get('default_match');
  const inCol = header.indexOf(csvIn);
  if (inCol < 0) throw new Error(`${filename} has no column ${csvIn}`);
  const results = new Map<string, string[]>();
  for (const v of inValues) {
    const hits = rows.filter((r) =>
      caseSensitive ? r[inCol] === v : r[inCol]!.toLowerCase() === v.toLowerCase(),
    );
    for (const [csvOut, eventOut] of outputs) {
      const col = header.indexOf(csvOut);
      if (col < 0) throw new Error(`${filename} has no column ${csvOut}`);
      const vals = hits.map((h) => h[col]).filter((x): x is string => x !== undefined && x !== '');
      if (hits.length < minMatches && defaultMatch !== undefined) vals.push(defaultMatch);
      if (vals.length) results.set(eventOut, [...(results.get(eventOut) ?? []), ...vals]);
    }
  }
  for (const [name, vals] of results) {
    if (outputNew && fields.has(name)) continue;
    fields.set(name, vals);
  }
}

function applyFieldAlias(spec: string, fields: Fields): void {
  const words = spec.split(/\s+/).filter(Boolean);
  if (words.length % 3 !== 0) throw new Error(`FIELDALIAS not modelled: ${spec}`);
  const assignments: [string, string[]][] = [];
  for (let i = 0; i < words.length; i += 3) {
    const [from = '', as = '', to = ''] = words.slice(i, i + 3);
    if (as !== 'AS' && as !== 'ASNEW') throw new Error(`FIELDALIAS not modelled: ${spec}`);
    const v = fields.get(from);
    if (!v) continue;
    if (as === 'ASNEW' && fields.has(to)) continue;
    assignments.push([to, [...v]]);
  }
  for (const [to, v] of assignments) fields.set(to, v);
}

/** Search-time fields, eventtypes and tags for each event. Regexes run once per transform. */
export function searchTime(events: SplunkEvent[]): Result[] {
  const settings = events.map(effectiveProps);
  for (const s of settings) {
    for (const k of s.keys()) {
      if (k.startsWith('EXTRACT-')) throw new Error('EXTRACT- is not modelled');
    }
  }
  // Batch: one PCRE2 run per transform over every subject that needs it.
  const plan = settings.map((s) =>
    classes(s, 'REPORT-').flatMap(([, v]) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  );
  const matches = new Map<string, Map<number, Match[]>>();
  const names = new Set(plan.flat());
  for (const name of names) {
    const tr = transform(name);
    for (const k of tr.keys())
      if (!TRANSFORM_KEYS.has(k)) throw new Error(`[${name}] ${k} not modelled`);
    const idx: number[] = [];
    const subjects: Buffer[] = [];
    plan.forEach((p, i) => {
      if (!p.includes(name)) return;
      const subject = metaValue(events[i]!, tr.get('SOURCE_KEY') ?? '_raw');
      if (subject.length === 0) return;
      idx.push(i);
      subjects.push(subject);
    });
    const res = subjects.length ? runPcre2(tr.get('REGEX')!, subjects) : [];
    const byEvent = new Map<number, Match[]>();
    res.forEach((r, j) => {
      if (r.error) throw new Error(`[${name}] PCRE2 error: ${r.error}`);
      byEvent.set(idx[j]!, r.matches);
    });
    matches.set(name, byEvent);
  }

  return events.map((ev, i) => {
    const s = settings[i]!;
    const fields: Fields = new Map();
    for (const name of plan[i]!) {
      const tr = transform(name);
      const mvAdd = (tr.get('MV_ADD') ?? 'false') === 'true';
      for (const m of matches.get(name)!.get(i) ?? []) {
        for (const [k, v] of applyFormat(tr.get('FORMAT') ?? '', m, tr)) add(fields, k, v, mvAdd);
      }
    }
    const kvMode = s.get('KV_MODE');
    if (kvMode === 'json') {
      const raw = typeof ev.raw === 'string' ? ev.raw : ev.raw.toString('utf8');
      for (const [k, v] of jsonKv(raw)) add(fields, k, v, k.endsWith('{}'));
      // An event no stanza of this app applies to (s.size === 0) is someone else's: left alone.
    } else if (kvMode !== 'none' && s.size > 0) {
      throw new Error(`KV_MODE ${kvMode ?? '(unset: auto)'} not modelled for ${ev.sourcetype}`);
    }
    for (const [, spec] of classes(s, 'FIELDALIAS-')) applyFieldAlias(spec, fields);
    const snapshot = new Map([...fields].map(([k, v]) => [k, [...v]]));
    const evals = classes(s, 'EVAL-').map(([k, expr]) => {
      const value = evaluate(parseEval(expr), (f) => snapshot.get(f));
      return [k.slice('EVAL-'.length), toFieldValues(value)] as const;
    });
    for (const [name, v] of evals) {
      if (v === null) fields.delete(name);
      else fields.set(name, v);
    }
    for (const [, spec] of classes(s, 'LOOKUP-')) applyLookup(spec, fields);
    const meta = { sourcetype: ev.sourcetype, source: ev.source, host: ev.host };
    const types = matchEventtypes(fields, meta);
    const tagList = new Set<string>();
    for (const t of types) {
      for (const [tag, state] of tags.stanzas.get(`eventtype=${t}`) ?? [])
        if (state === 'enabled') tagList.add(tag);
    }
    return { fields, eventtypes: types, tags: [...tagList].sort() };
  });
}

function matchEventtypes(fields: Fields, meta: Record<string, string>): string[] {
  const memo = new Map<string, boolean>();
  const isType = (name: string): boolean => {
    if (memo.has(name)) return memo.get(name)!;
    const st = eventtypes.stanzas.get(name);
    if (!st) throw new Error(`unknown eventtype ${name}`);
    memo.set(name, false);
    const ok = matchSearch(
      st.get('search')!,
      (f) => (meta[f] !== undefined ? [meta[f]] : fields.get(f)),
      isType,
    );
    memo.set(name, ok);
    return ok;
  };
  return [...eventtypes.stanzas.keys()].filter(isType).sort();
}

/** Settings that only matter at search time, for stanza-consistency checks. */
export function searchTimeSettings(stanza: Stanza): [string, string][] {
  return [...stanza.entries()].filter(
    ([k]) => SEARCH_TIME_PREFIXES.some((p) => k.startsWith(p)) || k === 'KV_MODE',
  );
}

export { props, transforms, eventtypes, tags };
