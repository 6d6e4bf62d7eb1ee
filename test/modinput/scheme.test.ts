import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ARGUMENTS } from '../../src/config/arguments';
import { renderScheme } from '../../src/modinput/scheme';
import { parseStrict } from './support/strictXml';

const golden = readFileSync(path.join(__dirname, 'fixtures', 'scheme.xml'), 'utf8');

test('--scheme output matches the golden fixture', () => {
  expect(renderScheme()).toBe(golden);
});

test('scheme is well-formed and declares every argument, none of the implicit ones', () => {
  const xml = parseStrict(renderScheme());
  const names = xml.attributes.filter((a) => 'name' in a).map((a) => a.name);
  expect(names).toEqual(ARGUMENTS.map((a) => a.name));
  for (const n of names) expect(n).toMatch(/^[0-9a-zA-Z][0-9a-zA-Z_-]*$/);
  for (const implicit of [
    'name',
    'host',
    'index',
    'source',
    'sourcetype',
    'disabled',
    'interval',
  ]) {
    expect(names).not.toContain(implicit);
  }
  expect(xml.texts.use_external_validation).toEqual(['true']);
  expect(xml.texts.use_single_instance).toEqual(['false']);
  expect(xml.texts.streaming_mode).toEqual(['xml']);
  expect(xml.texts.title?.[0]).toBe('AWS CloudHSM Audit');
  expect(xml.texts.required_on_create?.filter((t) => t === 'true')).toHaveLength(1);
});

test('every argument has a title and a description of some substance', () => {
  for (const a of ARGUMENTS) {
    expect(a.title.length).toBeGreaterThan(3);
    expect(a.description.length).toBeGreaterThan(40);
  }
});
