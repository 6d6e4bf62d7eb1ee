/**
 * Reading SPL text: macro expansion from macros.conf, splitting at top-level separators (outside
 * double quotes, parentheses and brackets), words, options (`name=value`), quoted strings.
 */
import { readConf } from '../conf';

export type Row = Map<string, string[]>;

const macros = readConf('macros.conf');

export function macroDefinition(name: string): string {
  const m = macros.stanzas.get(name);
  if (!m) throw new Error(`macros.conf has no [${name}]`);
  if ((m.get('iseval') ?? '0') !== '0') throw new Error('eval macros are not modelled');
  return m.get('definition')!;
}

/** Expands `name` macros (recursively); a macro with arguments is not used by the app. */
export function expandMacros(spl: string, depth = 0): string {
  if (depth > 10) throw new Error('macro recursion');
  let out = '';
  let i = 0;
  while (i < spl.length) {
    const c = spl[i];
    if (c === '"') {
      let j = i + 1;
      while (j < spl.length && spl[j] !== '"') j += spl[j] === '\\' ? 2 : 1;
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

/** Splits at `sep` outside double quotes, parentheses and brackets; parts are trimmed. */
export function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (quoted) {
      if (c === '\\') {
        cur += c + s.charAt(i + 1);
        i++;
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (!quoted && depth === 0 && c === sep) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

/** Whitespace-separated words outside quotes, parentheses and brackets. */
export function words(text: string): string[] {
  return splitTop(text.replace(/\s+/g, ' '), ' ').filter(Boolean);
}

export function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2
    ? text.slice(1, -1).replace(/\\(["\\])/g, '$1')
    : text;
}

/** Leading `name=value` options of a command, and the words after them. */
export function options(
  list: string[],
  known: readonly string[],
): { opts: Record<string, string>; rest: string[] } {
  const opts: Record<string, string> = {};
  let i = 0;
  for (; i < list.length; i++) {
    const m = /^([A-Za-z_]+)=(.*)$/.exec(list[i]!);
    if (!m || !known.includes(m[1]!)) break;
    opts[m[1]!] = unquote(m[2]!);
  }
  return { opts, rest: list.slice(i) };
}

/** The pipeline of a search: its segments, the leading `|` (if any) removed. */
export function pipeline(spl: string): string[] {
  const body = spl.replace(/\s*\n\s*/g, ' ').trim();
  return splitTop(body.startsWith('|') ? body.slice(1) : body, '|').filter((s) => s !== '');
}

export function commandOf(segment: string): { command: string; args: string } {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(segment.trim());
  return { command: m?.[1] ?? '', args: m?.[2] ?? '' };
}

export const first = (row: Row, field: string): string | undefined => row.get(field)?.[0];

/** Whether a row has a value for a field (`table` keeps a column as an empty list: null). */
export const present = (row: Row, field: string): boolean => (row.get(field)?.length ?? 0) > 0;

export function numberOf(v: string | undefined): number | null {
  if (v === undefined || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return null;
  return Number(v);
}

/** Field names a list may give with `*` wildcards, matched against the fields there are. */
export function matchFields(patterns: string[], available: Iterable<string>): string[] {
  const all = [...available];
  const out: string[] = [];
  for (const p of patterns) {
    if (!p.includes('*')) {
      if (!out.includes(p)) out.push(p);
      continue;
    }
    const re = new RegExp(`^${p.split('*').map(escapeRe).join('.*')}$`);
    for (const f of all) if (re.test(f) && !out.includes(f)) out.push(f);
  }
  return out;
}

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
