import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseInputDocument, parseItemsDocument, readDocument } from '../../src/modinput/stdinXml';
import { stdinFrom } from './support/fakes';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

describe('parseInputDocument (run mode)', () => {
  test('decodes escaped characters, params and param_lists', () => {
    const doc = parseInputDocument(fixture('input_with_escapes.xml'));
    expect(doc.session).toEqual({
      serverHost: 'hf1 & co',
      serverUri: 'https://127.0.0.1:8089',
      sessionKey: 'abc<123>==',
      checkpointDir: '/opt/splunk/var/lib/splunk/modinputs/cloudhsm_audit',
    });
    expect(doc.entries).toHaveLength(1);
    const [stanza] = doc.entries;
    expect(stanza?.name).toBe(`cloudhsm_audit://prod "eu" & 'us'`);
    expect(stanza?.params).toEqual({
      account: 'prod',
      regions: 'us-east-1,  eu-west-1',
      log_group_prefix: '/aws/cloudhsm/',
      start_position: '2026-01-02T03:04:05Z',
      poll_interval: '10',
      host: 'hf1',
      index: 'cloudhsm',
      interval: '60',
      disabled: '0',
      endpoint_url: 'http://127.0.0.1:5000/?a=1&b=2',
      https_proxy: '',
      clusters: ['cluster-likphkxygsn', '/aws/cloudhsm/cluster-abcdefghijk'],
      note: 'line1\nline2 <tag> \u263a',
    });
  });

  test('a double-escaped entity stays escaped once', () => {
    const doc = parseInputDocument(
      '<input><configuration><stanza name="s"><param name="x">&amp;amp; &amp;#10;</param></stanza></configuration></input>',
    );
    expect(doc.entries[0]?.params.x).toBe('&amp; &#10;');
  });

  test('empty configuration gives no stanzas; missing session fields are empty', () => {
    const doc = parseInputDocument('<input><configuration/></input>');
    expect(doc.entries).toEqual([]);
    expect(doc.session.sessionKey).toBe('');
  });

  test.each([
    ['<input><configuration>', /not well-formed/],
    ['<items></items>', /no <input> root/],
    ['', /no <input> root|not well-formed/],
  ])('refuses %j', (xml, message) => {
    expect(() => parseInputDocument(xml)).toThrow(message);
  });
});

describe('parseItemsDocument (validation)', () => {
  test('reads items with params and param_lists', () => {
    const doc = parseItemsDocument(fixture('items_valid.xml'));
    expect(doc.session.serverHost).toBe('sh1');
    expect(doc.entries).toEqual([
      {
        name: 'prod',
        params: {
          account: 'prod',
          regions: 'us-east-1 eu-west-1',
          start_position: '-1d',
          late_event_window: '900',
          clusters: ['cluster-likphkxygsn'],
        },
      },
    ]);
  });
});

describe('readDocument', () => {
  test('stops at the closing root tag while stdin stays open', async () => {
    const s = stdinFrom('<input><a/></input>', false);
    await expect(readDocument(s, 'input', 60_000)).resolves.toBe('<input><a/></input>');
    s.destroy();
  });

  test('finds a closing tag split across chunks and multi-byte characters split across chunks', async () => {
    const s = new PassThrough();
    const p = readDocument(s, 'items', 60_000);
    const bytes = Buffer.from('<items>\u263a</it', 'utf8');
    s.write(bytes.subarray(0, 8)); // splits the 3-byte character
    s.write(bytes.subarray(8));
    s.write('ems>');
    await expect(p).resolves.toBe('<items>\u263a</items>');
    s.destroy();
  });

  test('resolves at end of input without a closing tag (the parser then reports it)', async () => {
    await expect(readDocument(stdinFrom('<input>'), 'input', 60_000)).resolves.toBe('<input>');
  });

  test('times out when stdin stays silent', async () => {
    jest.useFakeTimers();
    try {
      const s = new PassThrough();
      const p = readDocument(s, 'input', 30_000);
      jest.advanceTimersByTime(30_000);
      await expect(p).rejects.toThrow('no complete <input> document on stdin after 30 s');
      s.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  test('reports a stream error', async () => {
    const s = new PassThrough();
    const p = readDocument(s, 'input', 60_000);
    s.destroy(new Error('boom'));
    await expect(p).rejects.toThrow('cannot read stdin: boom');
  });
});
