/**
 * Index-time settings of props.conf, checked with PCRE2 as far as they can be outside Splunk:
 *   - LINE_BREAKER: Splunk ends an event where the first capture group starts and begins the next
 *     where it ends. A file of many records (LF, CRLF and blank lines between them) must come back
 *     as exactly the records; a single record must never be split.
 *   - TIME_PREFIX: the timestamp text starts where the match ends; the next MAX_TIMESTAMP_LOOKAHEAD
 *     characters must be the usecs digits. TIME_FORMAT %s%6N (epoch seconds + 6 fraction digits,
 *     TZ UTC) is then applied by hand here, since strptime is Splunk's: the test shows it gives the
 *     record's own UTC "Time:" text, which is what choosing usecs and UTC promises.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './harness/conf';
import { runPcre2 } from './harness/pcre2';
import { props } from './harness/searchTime';
import { SAMPLE_CASES } from './expectations/samples';
import { VARIANT_CASES } from './expectations/variants';

const text = props.stanzas.get('aws:cloudwatch:cloudhsm')!;
const certstore = props.stanzas.get('aws:cloudwatch:cloudhsm:certstore')!;
const collector = props.stanzas.get('cloudhsm:audit:collector')!;
const records = SAMPLE_CASES.map((c) => readFileSync(join(SAMPLES_DIR, c.name)));

/** Splits a stream the way Splunk applies LINE_BREAKER. */
function breakEvents(lineBreaker: string, stream: Buffer): Buffer[] {
  const [res] = runPcre2(lineBreaker, [stream], { offsets: true });
  const events: Buffer[] = [];
  let start = 0;
  for (const m of res!.matches) {
    const g = m[1];
    if (!g) throw new Error('LINE_BREAKER needs a first capture group');
    events.push(stream.subarray(start, g.start));
    start = g.end;
  }
  events.push(stream.subarray(start));
  return events.filter((e) => e.length > 0);
}

describe('aws:cloudwatch:cloudhsm index time', () => {
  test('one record stays one event; no line merging', () => {
    expect(text.get('SHOULD_LINEMERGE')).toBe('false');
    expect(Number(text.get('TRUNCATE'))).toBeGreaterThanOrEqual(256 * 1024);
  });

  test('a file of many records breaks before each Time: line, and only there', () => {
    const seps = ['\n', '\r\n', '\n\n', '\r\n\r\n', '\n\r\n'];
    const parts: Buffer[] = [];
    records.forEach((r, i) => {
      if (i) parts.push(Buffer.from(seps[i % seps.length]!));
      parts.push(r);
    });
    const events = breakEvents(text.get('LINE_BREAKER')!, Buffer.concat(parts));
    expect(events.map((e) => e.toString())).toEqual(records.map((r) => r.toString()));
  });

  test('no record (samples, variants) contains a break', () => {
    const all = [...records, ...VARIANT_CASES.map((v) => Buffer.from(v.raw.replace(/\r\n$/, '')))];
    const res = runPcre2(text.get('LINE_BREAKER')!, all, { offsets: true });
    expect(res.map((r) => r.matches.length)).toEqual(all.map(() => 0));
  });

  test('CRLF records in a file lose only the line end between them', () => {
    const crlf = VARIANT_CASES.find((v) => v.name.startsWith('\\r\\n'))!.raw;
    const events = breakEvents(text.get('LINE_BREAKER')!, Buffer.from(crlf + crlf + crlf));
    expect(events.map((e) => e.toString())).toEqual([crlf.slice(0, -2), crlf.slice(0, -2), crlf]);
  });

  test('EVENT_BREAKER (universal forwarders) breaks the same way', () => {
    expect(text.get('EVENT_BREAKER_ENABLE')).toBe('true');
    expect(text.get('EVENT_BREAKER')).toBe(text.get('LINE_BREAKER'));
  });

  test.each(SAMPLE_CASES.map((c, i) => [c.name, c, i] as const))(
    '%s: timestamp from usecs, UTC',
    (_n, c, i) => {
      expect(text.get('TIME_FORMAT')).toBe('%s%6N');
      expect(text.get('TZ')).toBe('UTC');
      const lookahead = Number(text.get('MAX_TIMESTAMP_LOOKAHEAD'));
      expect(lookahead).toBe(16);
      const record = records[i]!;
      const [res] = runPcre2(text.get('TIME_PREFIX')!, [record], { offsets: true, global: false });
      expect(res!.matches).toHaveLength(1);
      const end = res!.matches[0]![0]!.end;
      const ts = record.subarray(end, end + lookahead).toString();
      expect(ts).toBe(c.fields.time_usecs);
      // %s%6N by hand: 10 digits of epoch seconds, 6 of microseconds
      const date = new Date(Number(ts.slice(0, 10)) * 1000);
      const [datePart = '', timePart] = (record.toString().split('\n')[0] ?? '')
        .slice('Time: '.length)
        .split(',')[0]!
        .split(' ');
      const [mm, dd, yy] = datePart.split('/');
      const pad = (n: number): string => String(n).padStart(2, '0');
      expect(
        `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${String(date.getUTCFullYear()).slice(2)}`,
      ).toBe(`${mm}/${dd}/${yy}`);
      expect(
        `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${ts.slice(10)}`,
      ).toBe(timePart);
    },
  );

  test('TIME_PREFIX finds usecs with TAB and no-space separators too', () => {
    const subjects = VARIANT_CASES.slice(0, 2).map((v) => Buffer.from(v.raw));
    const res = runPcre2(text.get('TIME_PREFIX')!, subjects, { offsets: true, global: false });
    expect(
      res.map((r, i) =>
        subjects[i]!.subarray(r.matches[0]![0]!.end, r.matches[0]![0]!.end + 16).toString(),
      ),
    ).toEqual(['1516067379437708', '1516067379437708']);
  });
});

describe('aws:cloudwatch:cloudhsm:certstore index time', () => {
  const json = ['34-certstore-CreateObject-OK.json', '35-certstore-DestroyObject-OK.json'].map(
    (f) => readFileSync(join(SAMPLES_DIR, f)),
  );
  test('pretty-printed records stay whole; a file of them breaks between records', () => {
    expect(certstore.get('SHOULD_LINEMERGE')).toBe('false');
    const events = breakEvents(
      certstore.get('LINE_BREAKER')!,
      Buffer.concat([json[0]!, Buffer.from('\n'), json[1]!]),
    );
    expect(events.map((e) => e.toString())).toEqual([json[0]!.toString(), json[1]!.toString()]);
  });
  test('timestamp: epoch milliseconds after "timestamp":', () => {
    expect(certstore.get('TIME_FORMAT')).toBe('%s%3N');
    const res = runPcre2(certstore.get('TIME_PREFIX')!, json, { offsets: true, global: false });
    const look = Number(certstore.get('MAX_TIMESTAMP_LOOKAHEAD'));
    expect(
      res.map((r, i) =>
        json[i]!.subarray(r.matches[0]![0]!.end, r.matches[0]![0]!.end + look).toString(),
      ),
    ).toEqual(['1725482483671', '1725482484559']);
  });
});

test('cloudhsm:audit:collector: one JSON object per line', () => {
  const stream = Buffer.from(
    '{"kind":"health","input":"a"}\n{"kind":"stream_added","stream":"hsm-x"}\r\n',
  );
  expect(breakEvents(collector.get('LINE_BREAKER')!, stream).map(String)).toEqual([
    '{"kind":"health","input":"a"}',
    '{"kind":"stream_added","stream":"hsm-x"}',
  ]);
});
