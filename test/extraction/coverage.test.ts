/**
 * Every field of the dictionary (docs/fields.md: the search-time table, the
 * certificate-storage list and the CIM table) is asserted with a value by some hand-written
 * expectation that the extraction tests compare against.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './harness/conf';
import { SAMPLE_CASES } from './expectations/samples';
import { VARIANT_CASES } from './expectations/variants';
import { CERTSTORE_EXPECTED } from './expectations/json';
import { ACTOR_COLUMNS } from './expectations/actor';

const dictionary = readFileSync(join(REPO_ROOT, 'docs', 'fields.md'), 'utf8');

function section(title: string): string {
  const start = dictionary.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`fields.md has no section "${title}"`);
  const end = dictionary.indexOf('\n## ', start + 3);
  return dictionary.slice(start, end < 0 ? undefined : end);
}

function dictionaryFields(): string[] {
  const names = new Set<string>();
  // search-time table: first column lists the names
  for (const line of section('Extracted at search time').split('\n')) {
    if (!line.startsWith('| `')) continue;
    for (const m of (line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) names.add(m[1]!);
  }
  // certificate-storage list: every backticked word of the first paragraph
  const cert = section('Certificate-storage JSON records').split('\n').slice(1).join(' ');
  for (const m of cert.matchAll(/`([a-z_{}]+)`/g)) names.add(m[1]!);
  // CIM table: the first backticked name of each comma-separated item of the Fields column
  for (const line of section('CIM (Common Information Model) mapping').split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| Data model') || line.startsWith('|---'))
      continue;
    const cells = line.split('|');
    for (const item of (cells[3] ?? '').split(/,(?![^(]*\))/)) {
      const m = /`([a-z_]+)`/.exec(item);
      if (m) names.add(m[1]!);
    }
  }
  return [...names].sort();
}

test('the dictionary parses into a plausible list', () => {
  const names = dictionaryFields();
  expect(names).toEqual(
    expect.arrayContaining([
      'sequence_no_hex',
      'actor_user_type',
      'object_handle',
      'change_type',
      'vendor_product',
    ]),
  );
  expect(names.length).toBeGreaterThan(60);
});

test('every dictionary field is asserted with a value somewhere', () => {
  const asserted = new Set<string>();
  const addKeys = (o: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) asserted.add(k);
  };
  SAMPLE_CASES.forEach((c) => addKeys(c.fields));
  VARIANT_CASES.forEach((c) => addKeys(c.fields));
  CERTSTORE_EXPECTED.forEach(addKeys);
  ACTOR_COLUMNS.forEach((c) => asserted.add(c));
  const missing = dictionaryFields().filter((f) => !asserted.has(f));
  expect(missing).toEqual([]);
});

test('every field the conf files extract is in the dictionary', () => {
  // The README's field reference is generated from props.conf and transforms.conf: its first
  // column names every extracted field.
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'field-reference.mjs')], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const extracted = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('| `')) continue;
    for (const m of (line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) extracted.add(m[1]!);
  }
  expect(extracted.size).toBeGreaterThan(50);
  const documented = new Set([...dictionary.matchAll(/`([a-z_{}]+)`/g)].map((m) => m[1]!));
  expect([...extracted].filter((f) => !documented.has(f)).sort()).toEqual([]);
});
