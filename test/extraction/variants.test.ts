/**
 * Simulated records in every layout the reference lists (TAB and no-space separators, \r\n,
 * Version No, reordered lines, Target User lines, TIME_INFO_LOG, unknown opcode and labels, extra
 * key handles, quorum lines) give exactly the hand-written fields of expectations/variants.ts.
 */
import { plain, sorted } from './harness/plain';
import { searchTime } from './harness/searchTime';
import { COLLECTOR_HOST, COLLECTOR_SOURCE } from './expectations/samples';
import { VARIANT_CASES } from './expectations/variants';

const results = searchTime(
  VARIANT_CASES.map((c) => ({
    raw: c.raw,
    sourcetype: 'aws:cloudwatch:cloudhsm',
    source: COLLECTOR_SOURCE,
    host: COLLECTOR_HOST,
  })),
);

describe.each(VARIANT_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
  test('fields', () => {
    expect(plain(results[i]!.fields)).toEqual(sorted(c.fields));
  });
  test('eventtypes', () => {
    expect(results[i]!.eventtypes).toEqual(c.eventtypes);
  });
});
