/**
 * Every sample record, read through props.conf/transforms.conf with PCRE2, gives exactly the
 * hand-written fields, eventtypes and tags of expectations/samples.ts: no field missing, none extra.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './harness/conf';
import { plain, sorted } from './harness/plain';
import { searchTime } from './harness/searchTime';
import { COLLECTOR_HOST, COLLECTOR_SOURCE, SAMPLE_CASES } from './expectations/samples';

const results = searchTime(
  SAMPLE_CASES.map((c) => ({
    raw: readFileSync(join(SAMPLES_DIR, c.name)),
    sourcetype: 'aws:cloudwatch:cloudhsm',
    source: COLLECTOR_SOURCE,
    host: COLLECTOR_HOST,
  })),
);

test('every .log sample has an expectation', () => {
  const logs = readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.log'))
    .sort();
  expect(SAMPLE_CASES.map((c) => c.name).sort()).toEqual(logs);
});

describe.each(SAMPLE_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
  test('fields', () => {
    expect(plain(results[i]!.fields)).toEqual(sorted(c.fields));
  });
  test('eventtypes and tags', () => {
    expect(results[i]!.eventtypes).toEqual(c.eventtypes);
    expect(results[i]!.tags).toEqual(c.tags);
  });
});
