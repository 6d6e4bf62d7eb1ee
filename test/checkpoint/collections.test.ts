/**
 * The KV store collections the input uses are declared by the app (default/collections.conf), with
 * field types AppInspect accepts, and only admins read or change them (metadata/default.meta,
 * resolved as splunkd resolves an object's ACL: its own stanza, then its type's, then the app's).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LEASE_COLLECTION } from '../../src/checkpoint/kvLease';
import { CHECKPOINT_COLLECTION } from '../../src/checkpoint/kvStore';
import { parseConf } from '../package/conf';

const ROOT = path.resolve(__dirname, '../..');
const collections = parseConf(readFileSync(path.join(ROOT, 'default/collections.conf'), 'utf8'));
const meta = parseConf(readFileSync(path.join(ROOT, 'metadata/default.meta'), 'utf8'));

function effective(object: string, key: string): string | undefined {
  for (const stanza of [object, object.split('/')[0] as string, ''])
    if (meta.get(stanza)?.has(key)) return meta.get(stanza)?.get(key);
  return undefined;
}

test('the collections the input uses are the ones the app declares', () => {
  const declared = [...collections.keys()].filter((name) => name !== '' && name !== 'default');
  expect(declared.sort()).toEqual([CHECKPOINT_COLLECTION, LEASE_COLLECTION].sort());
});

test.each([CHECKPOINT_COLLECTION, LEASE_COLLECTION])(
  '%s: field types AppInspect accepts',
  (name) => {
    const fields = [...(collections.get(name)?.entries() ?? [])].filter(([k]) =>
      k.startsWith('field.'),
    );
    expect(fields.length).toBeGreaterThan(0);
    for (const [field, type] of fields)
      expect({ field, type: ['number', 'bool', 'string', 'time'].includes(type) }).toEqual({
        field,
        type: true,
      });
  },
);

test.each([CHECKPOINT_COLLECTION, LEASE_COLLECTION])(
  '%s: only admins read or change it',
  (name) => {
    expect(effective(`collections/${name}`, 'access')).toBe(
      'read : [ admin, sc_admin ], write : [ admin, sc_admin ]',
    );
    expect(effective(`collections/${name}`, 'export')).toBe('none');
  },
);
