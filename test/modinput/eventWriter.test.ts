import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SplunkEvent } from '../../src/collector/ports';
import { XmlEventWriter } from '../../src/modinput/eventWriter';
import { escapeXmlText } from '../../src/modinput/xmlText';
import { MemoryLogger, MemoryWritable } from './support/fakes';
import { parseStrict } from './support/strictXml';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

const RECORD =
  'Time: 12/19/17 21:01:17.140812, usecs:1513717277140812\nSequence No : 0x1d\nReboot counter : 0xe8\n' +
  'Command Type(hex) : CN_MGMT_CMD (0x0)\nOpcode : CN_LOGIN (0xd)\nResponse : 0:HSM Return: SUCCESS';

/** Every character class the writer must handle; \t \n \r and a valid emoji pair stay. */
const DIRTY =
  'a<b & c>d "q" \'s\' nul:\u0000 esc:\u001b vt:\u000b ff:\u000c tab:\t lf:\n cr:\r ' +
  'fffe:\ufffe ffff:\uffff hi:\ud800 lo:\udc00 pair:\ud83d\ude00 del:\u007f nel:\u0085';

const EVENTS: SplunkEvent[] = [
  {
    time: '1513717277.140812',
    host: 'hsm-nwbbiqbj4jk',
    source: 'aws:cloudhsm:us-east-1:/aws/cloudhsm/cluster-likphkxygsn',
    sourcetype: 'aws:cloudwatch:cloudhsm',
    index: 'cloudhsm',
    data: RECORD,
  },
  { time: '1513717278.000001', sourcetype: 'cloudhsm:audit:collector', data: DIRTY },
  { data: '{"kind":"health"}' },
];

async function writeAll(stanza: string, batches: SplunkEvent[][]) {
  const out = new MemoryWritable();
  const logger = new MemoryLogger();
  const w = new XmlEventWriter(out, stanza, logger);
  await w.open();
  for (const b of batches) await w.write(b);
  await w.close();
  return { text: out.text(), logger };
}

describe('XmlEventWriter', () => {
  test('matches the golden stream fixture', async () => {
    const { text } = await writeAll('cloudhsm_audit://prod & "eu"', [
      EVENTS.slice(0, 2),
      EVENTS.slice(2),
    ]);
    expect(text).toBe(fixture('stream_with_events.xml'));
  });

  test('output is well-formed XML 1.0 for a strict parser, with <done/> per event', async () => {
    const { text } = await writeAll('cloudhsm_audit://prod & "eu"', [EVENTS]);
    const xml = parseStrict(text);
    expect(xml.elements.filter((e) => e === 'event')).toHaveLength(3);
    expect(xml.elements.filter((e) => e === 'done')).toHaveLength(3);
    expect(xml.attributes[1]).toEqual({ stanza: 'cloudhsm_audit://prod & "eu"', unbroken: '1' });
    expect(xml.texts.data?.[0]).toBe(RECORD);
    expect(xml.texts.time?.[0]).toBe('1513717277.140812');
  });

  test('forbidden characters are replaced visibly with U+FFFD, counted and logged', async () => {
    const { text, logger } = await writeAll('s', [[{ data: DIRTY }]]);
    const data = parseStrict(text).texts.data?.[0];
    expect(data).toBe(
      'a<b & c>d "q" \'s\' nul:\ufffd esc:\ufffd vt:\ufffd ff:\ufffd tab:\t lf:\n cr:\r ' +
        'fffe:\ufffd ffff:\ufffd hi:\ufffd lo:\ufffd pair:\ud83d\ude00 del:\u007f nel:\u0085',
    );
    // A raw CR would arrive as LF after XML line-end normalization: it is written as a reference.
    expect(text).toContain(' cr:&#13; ');
    const warn = logger.lines.find((l) => l.level === 'WARN');
    expect(warn?.message).toMatch(/U\+FFFD/);
    expect(warn?.fields).toMatchObject({ replaced: 8, replaced_total: 8, events: 1 });
    expect(logger.lines.at(-1)?.fields).toMatchObject({ events_total: 1, replaced_total: 8 });
  });

  test('clean batches log nothing but the close line', async () => {
    const { logger } = await writeAll('s', [[{ data: 'plain' }]]);
    expect(logger.lines.map((l) => l.level)).toEqual(['INFO']);
  });

  test('write resolves only after the output accepted the bytes (back-pressure)', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger());
    await w.open();
    out.hold();
    let resolved = false;
    const p = w.write([{ data: 'x'.repeat(1000) }]).then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    out.release();
    await p;
    expect(resolved).toBe(true);
    expect(out.text()).toContain('x'.repeat(1000));
  });

  test('close waits for the write in progress, then writes </stream> last', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger());
    await w.open();
    out.hold();
    const write = w.write([{ data: 'last' }]);
    const close = w.close();
    await new Promise((r) => setImmediate(r));
    out.release();
    await Promise.all([write, close]);
    expect(out.text().endsWith('<data>last</data><done/></event>\n</stream>\n')).toBe(true);
    await expect(w.write([{ data: 'late' }])).rejects.toThrow(/closed/);
    await w.close(); // idempotent
    expect(out.text().match(/<\/stream>/g)).toHaveLength(1);
  });

  test('write before open is refused', async () => {
    const w = new XmlEventWriter(new MemoryWritable(), 's', new MemoryLogger());
    await expect(w.write([{ data: 'x' }])).rejects.toThrow(/new/);
  });

  test('EPIPE rejects with a clear error, and every later write too', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger());
    await w.open();
    out.failWith = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    await expect(w.write([{ data: 'x' }])).rejects.toThrow(
      /splunkd stopped reading the event stream \(EPIPE\)/,
    );
    out.failWith = undefined;
    await expect(w.write([{ data: 'y' }])).rejects.toThrow(/EPIPE/);
    await expect(w.close()).rejects.toThrow(/EPIPE/);
  });

  test('a large batch is one write and stays well-formed', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger());
    await w.open();
    const batch = Array.from({ length: 20_000 }, (_, i) => ({
      time: `${1_700_000_000 + i}.000001`,
      data: `${RECORD} #${i}`,
    }));
    await w.write(batch);
    await w.close();
    expect(out.chunks).toHaveLength(3);
    expect(parseStrict(out.text()).elements.filter((e) => e === 'done')).toHaveLength(20_000);
  });
});

describe('escapeXmlText', () => {
  test('returns clean strings unchanged (same string)', () => {
    const s = 'Opcode : CN_LOGIN (0xd)\tok\n';
    expect(escapeXmlText(s, { replaced: 0 })).toBe(s);
  });
  test.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&apos;'],
    ['\r\n', '&#13;\n'],
    ['\u0000', '\ufffd'],
    ['\u001f', '\ufffd'],
    ['\ud83d', '\ufffd'],
    ['\ude00\ud83d', '\ufffd\ufffd'],
    ['\ud83d\ude00', '\ud83d\ude00'],
    ['\ud83d\ud83d\ude00', '\ufffd\ud83d\ude00'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeXmlText(input, { replaced: 0 })).toBe(expected);
  });
});

describe('XmlEventWriter: read receipts and pushing the pipe through', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('counts a write read only after the capacity of later bytes, and pushes it through once quiet', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger(), {
      capacityBytes: 4096,
      idlePushMs: 50,
    });
    await w.open();
    const position = await w.write([{ data: 'x'.repeat(100) }]);
    let read = false;
    const receipt = w.readThrough(position).then(() => (read = true));
    await sleep(10);
    expect(read).toBe(false);
    await receipt; // the quiet timer pushes 4096 bytes of newlines
    expect(w.pushedThroughBytes).toBe(4096);
    expect(out.text().endsWith('\n'.repeat(4096))).toBe(true);
    await w.close();
    expect(parseStrict(out.text())).toBeDefined(); // whitespace between events stays well-formed
  });

  it('does not push while writes keep coming: one push after the last one', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger(), {
      capacityBytes: 4096,
      idlePushMs: 80,
    });
    await w.open();
    const receipts: Promise<void>[] = [];
    for (let i = 0; i < 8; i++) {
      receipts.push(w.readThrough(await w.write([{ data: `record ${i}` }])));
      await sleep(30);
    }
    expect(w.pushedThroughBytes).toBe(0);
    await Promise.all(receipts);
    expect(w.pushedThroughBytes).toBeGreaterThan(0);
    expect(w.pushedThroughBytes).toBeLessThanOrEqual(4096);
    await w.close();
  });

  it('writes nothing before the capacity is known', async () => {
    const out = new MemoryWritable();
    let known!: (n: number) => void;
    const capacity = new Promise<number>((r) => (known = r));
    const w = new XmlEventWriter(out, 's', new MemoryLogger(), { capacityBytes: capacity });
    const opened = w.open();
    await sleep(10);
    expect(out.text()).toBe('');
    known(0);
    await opened;
    expect(out.text()).toBe('<stream>\n');
    await w.close();
  });

  it('writes a chunk larger than the capacity in pieces, so receipts follow the reader', async () => {
    const out = new MemoryWritable();
    const w = new XmlEventWriter(out, 's', new MemoryLogger(), { capacityBytes: 16 * 1024 });
    await w.open();
    const before = out.chunks.length;
    await w.write([{ data: 'y'.repeat(100_000) }]);
    const pieces = out.chunks.slice(before);
    expect(pieces.length).toBeGreaterThanOrEqual(7);
    expect(Math.max(...pieces.map((p) => Buffer.byteLength(p)))).toBeLessThanOrEqual(16 * 1024);
    await w.close();
    expect(out.text()).toContain('y'.repeat(100_000));
  });
});
