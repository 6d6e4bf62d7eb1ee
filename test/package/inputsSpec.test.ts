/**
 * One source of truth: README/inputs.conf.spec and default/inputs.conf must agree with
 * src/config/arguments.ts (names, types, descriptions, defaults), which also produces the scheme.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ARGUMENTS } from '../../src/config/arguments';
import { parseConf, parseSpecStanza } from './conf';

const ROOT = path.resolve(__dirname, '../..');
const spec = readFileSync(path.join(ROOT, 'app/README/inputs.conf.spec'), 'utf8');
const settings = parseSpecStanza(spec, 'cloudhsm_audit://<name>');
const defaults = parseConf(readFileSync(path.join(ROOT, 'default/inputs.conf'), 'utf8')).get(
  'cloudhsm_audit',
);

test('the spec documents exactly the scheme arguments, in order', () => {
  expect(settings.map((s) => s.name)).toEqual(ARGUMENTS.map((a) => a.name));
});

test.each(ARGUMENTS.map((a) => [a.name, a] as const))(
  '%s: type, description and default agree',
  (_name, arg) => {
    const setting = settings.find((s) => s.name === arg.name);
    expect(setting?.type).toBe(arg.specType);
    expect(setting?.text).toContain(arg.description);
    expect(setting?.text).toContain(`Default: ${arg.defaultValue ?? '(empty)'}`);
    expect(setting?.text).toContain(arg.requiredOnCreate ? 'Required' : 'Optional');
  },
);

test('default/inputs.conf sets the documented defaults and a restart interval, nothing else', () => {
  expect(defaults).toBeDefined();
  const expected = new Map<string, string>([['interval', '60']]);
  for (const a of ARGUMENTS) if (a.defaultValue !== undefined) expected.set(a.name, a.defaultValue);
  expect(Object.fromEntries(defaults ?? [])).toEqual(Object.fromEntries(expected));
});

test('no secrets can be set in inputs.conf', () => {
  for (const a of ARGUMENTS) expect(a.name).not.toMatch(/secret|password|token|key$/i);
});
