/**
 * Reads Splunk .conf files the way splunkd does for what this app uses: `[stanza]` headers,
 * `key = value` lines, `#` comment lines, and a trailing backslash continuing a value on the next
 * line. Duplicate keys in one stanza are reported (splunkd keeps the last, silently).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Stanza = Map<string, string>;
export interface ConfFile {
  stanzas: Map<string, Stanza>;
  duplicates: string[];
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The real audit records the tests read: the repository's own copy, byte for byte. */
export const SAMPLES_DIR = join(REPO_ROOT, 'test', 'fixtures', 'samples', 'cloudhsm');

export function parseConf(text: string): ConfFile {
  const stanzas = new Map<string, Stanza>();
  const duplicates: string[] = [];
  let current: Stanza = new Map();
  let currentName = 'default';
  stanzas.set(currentName, current);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      currentName = trimmed.slice(1, -1);
      current = stanzas.get(currentName) ?? new Map();
      stanzas.set(currentName, current);
      continue;
    }
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = `${line.slice(0, -1)}\n${lines[++i]}`;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`not a key = value line: ${line}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (current.has(key)) duplicates.push(`[${currentName}] ${key}`);
    current.set(key, value);
  }
  if (stanzas.get('default')?.size === 0) stanzas.delete('default');
  return { stanzas, duplicates };
}

export function readConf(name: string): ConfFile {
  return parseConf(readFileSync(join(REPO_ROOT, 'default', name), 'utf8'));
}

/** Minimal CSV reader for the lookup files (no embedded newlines; quotes allowed). */
export function readCsv(file: string): { header: string[]; rows: string[][] } {
  const text = readFileSync(join(REPO_ROOT, 'app', 'lookups', file), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const parse = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line.charAt(i);
      if (quoted) {
        if (c === '"' && line.charAt(i + 1) === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const [head = [], ...rest] = lines.map(parse);
  for (const r of rest)
    if (r.length !== head.length) throw new Error(`${file}: row width differs: ${r.join(',')}`);
  return { header: head, rows: rest };
}
