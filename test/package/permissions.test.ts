/**
 * metadata/default.meta as splunkd applies it: each object's ACL comes from its own
 * `[<type>/<name>]` stanza, else its type's `[<type>]`, else the app-wide `[]`, setting by setting
 * (Splunk's default.meta.conf spec). For every object this app ships: only admins change it, so no
 * other role can switch an alert off or point the `cloudhsm_index` macro elsewhere; everyone can
 * read what searches and dashboards need; only admins read the account settings (access key ids,
 * role ARNs, external ids) and the secrets.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConf, type Stanza } from '../extraction/harness/conf';

const ROOT = path.resolve(__dirname, '../..');
const meta = parseConf(readFileSync(path.join(ROOT, 'metadata/default.meta'), 'utf8'));
const ADMINS = ['admin', 'sc_admin'];

interface Access {
  read: string[];
  write: string[];
}

/** `read : [ a, b ], write : [ c ]` → its role lists; throws on anything splunkd would not read. */
function parseAccess(text: string): Access {
  const m = /^read\s*:\s*\[([^\]]*)\]\s*,\s*write\s*:\s*\[([^\]]*)\]$/.exec(text);
  if (!m) throw new Error(`access = ${text} is not "read : [ roles ], write : [ roles ]"`);
  const roles = (list: string) =>
    list
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
  return { read: roles(m[1] as string), write: roles(m[2] as string) };
}

/** The value of `key` for one object, resolved from the most specific stanza that sets it. */
function effective(type: string, name: string, key: string): string | undefined {
  const object = `${type}/${encodeURIComponent(name)}`;
  for (const stanza of [object, type, '']) {
    const value = meta.stanzas.get(stanza)?.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function stanzasOf(conf: string): string[] {
  const file = path.join(ROOT, 'default', `${conf}.conf`);
  return [...parseConf(readFileSync(file, 'utf8')).stanzas.keys()].filter((s) => s !== 'default');
}
const filesIn = (dir: string, ext: string) =>
  existsSync(path.join(ROOT, dir))
    ? readdirSync(path.join(ROOT, dir))
        .filter((f) => f.endsWith(ext))
        .map((f) => f.slice(0, -ext.length))
    : [];

/** Every object the app ships, as `[type, name]`: conf stanzas, views, nav, lookup files. */
const SEARCH_OBJECTS: [string, string][] = [
  ...(['props', 'transforms', 'eventtypes', 'tags', 'macros', 'savedsearches'] as const).flatMap(
    (conf) => stanzasOf(conf).map((name): [string, string] => [conf, name]),
  ),
  ...filesIn('default/data/ui/views', '.xml').map((n): [string, string] => ['views', n]),
  ...filesIn('default/data/ui/nav', '.xml').map((n): [string, string] => ['nav', n]),
  ...filesIn('app/lookups', '.csv').map((n): [string, string] => ['lookups', `${n}.csv`]),
];
const ACCOUNT_OBJECTS: [string, string][] = [
  ...stanzasOf('cloudhsm_audit_accounts').map((n): [string, string] => [
    'cloudhsm_audit_accounts',
    n,
  ]),
  // What the setup page creates: one stanza per account, one secret per account.
  ['cloudhsm_audit_accounts', 'prod'],
  ['passwords', 'credential:cloudhsm_audit:prod:'],
];

test('every stanza holds only the settings the spec knows, in the documented syntax', () => {
  expect(meta.duplicates).toEqual([]);
  for (const [name, stanza] of meta.stanzas as Map<string, Stanza>) {
    for (const key of stanza.keys()) {
      expect({ stanza: name, key, known: ['access', 'export', 'owner'].includes(key) }).toEqual({
        stanza: name,
        key,
        known: true,
      });
    }
    const access = stanza.get('access');
    if (access !== undefined) expect(() => parseAccess(access)).not.toThrow();
    const exported = stanza.get('export');
    if (exported !== undefined) expect(['system', 'none']).toContain(exported);
  }
});

test('the app ships the objects this test checks', () => {
  const types = new Set(SEARCH_OBJECTS.map(([t]) => t));
  expect([...types].sort()).toEqual(
    [
      'eventtypes',
      'lookups',
      'macros',
      'nav',
      'props',
      'savedsearches',
      'tags',
      'transforms',
      'views',
    ].sort(),
  );
  expect(SEARCH_OBJECTS).toContainEqual(['macros', 'cloudhsm_index']);
});

test.each(SEARCH_OBJECTS)('%s/%s: everyone reads it, only admins change it', (type, name) => {
  const access = parseAccess(effective(type, name, 'access') ?? '');
  expect({ object: `${type}/${name}`, ...access }).toEqual({
    object: `${type}/${name}`,
    read: ['*'],
    write: ADMINS,
  });
});

test.each(ACCOUNT_OBJECTS)('%s/%s: only admins read or change it', (type, name) => {
  const access = parseAccess(effective(type, name, 'access') ?? '');
  expect({ object: `${type}/${name}`, ...access }).toEqual({
    object: `${type}/${name}`,
    read: ADMINS,
    write: ADMINS,
  });
  expect(effective(type, name, 'export')).toBe('none');
});

test('knowledge objects that serve searches in other apps are exported to the system', () => {
  for (const type of ['props', 'transforms', 'lookups', 'eventtypes', 'tags', 'macros']) {
    expect({ type, export: effective(type, 'any', 'export') }).toEqual({ type, export: 'system' });
  }
  for (const type of ['views', 'savedsearches', 'nav']) {
    expect({ type, export: effective(type, 'any', 'export') }).toEqual({ type, export: 'none' });
  }
});
