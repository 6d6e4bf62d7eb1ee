/**
 * Fuzzer: mutated and random records through the collector (emulator → SDK → tracker → XML event
 * writer → stdout). Mutations: random bytes, invalid UTF-8 (served as raw bytes in the JSON body),
 * lone surrogates, XML metacharacters and CDATA/comment openers, characters XML 1.0 forbids (C0
 * controls, U+FFFE, U+FFFF), CR and CRLF, huge lines (up to 200 KB). Audit records keep their
 * `Sequence No` and `Reboot counter` lines, so each keeps a distinct identity.
 *
 * Checks: the whole output is well-formed XML for a strict parser (saxes), and every input record
 * is in it exactly once — compared with the record as CloudWatch serves it (bytes decoded as UTF-8
 * with U+FFFD for invalid sequences, as the SDK decodes JSON) after the documented replacement of
 * forbidden characters with U+FFFD (src/modinput/xmlText.ts). The expected text is computed here
 * independently of the collector's code.
 */
import seedrandom from 'seedrandom';
import { generate } from '../../src/simulator';
import type { PutRecord } from '../../scripts/bench/emulator/control';
import {
  LONG,
  checkIdentities,
  countIdentities,
  eventsOf,
  openTorture,
  waitUntil,
  recordCount,
  type Expected,
  type TortureSession,
} from './support/torture';

jest.setTimeout(LONG ? 900_000 : 180_000);

const ROUNDS = LONG ? 10 : 2;
const PER_ROUND = LONG ? 1_500 : 600;

const NASTY = [
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '&amp;',
  '&#0;',
  '&#x1;',
  '</data>',
  '</event>',
  '<done/>',
  '</stream>',
  '\r',
  '\r\n',
  '\t',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufffe',
  '\uffff',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'é',
  '中文',
  '\u{10ffff}',
];

/** What a strict XML parser must read back: forbidden characters and lone surrogates as U+FFFD. */
function expectedText(served: string): string {
  let out = '';
  for (let i = 0; i < served.length; i++) {
    const c = served.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = served.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += served[i]! + served[i + 1]!;
        i++;
      } else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff)
      out += '\ufffd';
    else out += served[i]!;
  }
  return out;
}

function randomString(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) {
    const r = random();
    if (r < 0.3) s += NASTY[Math.floor(random() * NASTY.length)]!;
    else if (r < 0.5) s += String.fromCharCode(Math.floor(random() * 0x80));
    else if (r < 0.9) s += String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
    else s += String.fromCharCode(Math.floor(random() * 0x10000));
  }
  return s;
}

function mutate(random: () => number, message: string): string {
  // Keep the identity lines: mutate only after the Reboot counter line (or after Sequence No).
  const anchor = message.search(/Reboot counter[^\n]*\n/);
  const at =
    anchor >= 0
      ? message.indexOf('\n', anchor) + 1
      : message.indexOf('\n', message.indexOf('Sequence No')) + 1;
  if (at <= 0) return message;
  let tail = message.slice(at);
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const pos = Math.floor(random() * (tail.length + 1));
    const kind = random();
    if (kind < 0.6)
      tail =
        tail.slice(0, pos) + randomString(random, 1 + Math.floor(random() * 20)) + tail.slice(pos);
    else if (kind < 0.8) tail = tail.slice(0, pos) + tail.slice(pos + Math.floor(random() * 10));
    else if (kind < 0.95)
      tail = `${tail.slice(0, pos)}\n${'X<&>'.repeat(Math.floor(random() * 4000))}\n${tail.slice(pos)}`;
    else
      tail = `${tail.slice(0, pos)}${randomString(random, 50_000 + Math.floor(random() * 150_000))}${tail.slice(pos)}`;
  }
  return message.slice(0, at) + tail;
}

/** Random bytes, a third of them invalid UTF-8 sequences; never starting like an audit record. */
function randomBytes(random: () => number, length: number): Buffer {
  const out: number[] = [0x7e];
  while (out.length < length) {
    const r = random();
    if (r < 0.1)
      out.push(0x80 + Math.floor(random() * 0x40)); // stray continuation byte
    else if (r < 0.2)
      out.push(0xc0 + Math.floor(random() * 0x40), 0x41); // lead byte without continuation
    else if (r < 0.25)
      out.push(0xed, 0xa0, 0x80); // an encoded surrogate: invalid UTF-8
    else if (r < 0.3)
      out.push(0xf4, 0x90, 0x80, 0x80); // beyond U+10FFFF
    else if (r < 0.35) out.push(Math.floor(random() * 0x20));
    else out.push(Math.floor(random() * 0x100));
  }
  return Buffer.from(out);
}

describe('torture: fuzzed records through the collector', () => {
  let t: TortureSession;
  beforeAll(async () => {
    t = await openTorture('fuzz');
  });
  afterAll(async () => t?.close());

  it(`keeps the XML well-formed and every record present over ${ROUNDS} rounds`, async () => {
    const random = seedrandom('torture-fuzz');
    let totalRecords = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await t.emu.reset();
      const sim = generate({
        seed: `torture-fuzz-${round}`,
        clusters: 1,
        hsms: 3,
        records: PER_ROUND,
        hsmType: 'hsm2m.medium',
        startTime: Date.now() - 3_600_000,
        meanIntervalMs: 500,
      });
      const group = sim.clusters[0]!.logGroupName;
      const puts: PutRecord[] = [];
      const expected: Expected[] = [];
      for (const r of sim.records) {
        const message = r.kind === 'audit' ? mutate(random, r.message) : r.message;
        puts.push({
          logGroupName: group,
          logStreamName: r.logStreamName,
          timestamp: r.timestamp,
          message,
        });
        expected.push({ logStreamName: r.logStreamName, message: expectedText(message) });
      }
      // A stream of pure noise: random bytes (invalid UTF-8 included), one record per millisecond.
      const t0 = sim.records[0]!.timestamp;
      for (let i = 0; i < PER_ROUND / 3; i++) {
        const bytes = randomBytes(
          random,
          1 + Math.floor(random() * (i % 50 === 0 ? 100_000 : 400)),
        );
        puts.push({
          logGroupName: group,
          logStreamName: 'hsm-fuzznoise',
          timestamp: t0 + i,
          messageBase64: bytes.toString('base64'),
        });
        expected.push({
          logStreamName: 'hsm-fuzznoise',
          message: expectedText(bytes.toString('utf8')),
        });
      }
      for (let i = 0; i < puts.length; i += 2_000) await t.emu.put(puts.slice(i, i + 2_000));

      const run = t.startFile(`fuzz-${round}`, { health_interval: '3600' });
      await waitUntil(
        () => recordCount(run.stdoutFile) >= expected.length,
        120_000,
        'every fuzzed record',
      );
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      // Strict parse of the complete stream: throws on any well-formedness error.
      const events = eventsOf(run.stdoutFile, true);
      expect(checkIdentities(expected, countIdentities(events))).toEqual({
        missing: 0,
        duplicated: 0,
        unexpected: 0,
      });
      expect(run.stderr()).toMatch(/^WARN replaced characters that XML 1\.0 cannot carry/m);
      totalRecords += expected.length;
    }
    process.stdout.write(
      `fuzz torture: ${ROUNDS} rounds, ${totalRecords} mutated or random records, all present, XML well-formed\n`,
    );
  });
});
