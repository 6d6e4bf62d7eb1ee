/**
 * The TLS decision for splunkd (src/splunkd/tls.ts): which CA file server.conf points at, across
 * splunkd's configuration layers; when the host name is checked; the one WARN when no CA can be
 * used; and the REST client refusing, or accepting, real certificates over loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger, LogLevel, SplunkdSession } from '../../src/collector/ports';
import { SplunkdError } from '../../src/splunkd';
import { SplunkdRest } from '../../src/splunkd/rest';
import { chooseSplunkdTls, splunkdTls, type SplunkdTls } from '../../src/splunkd/tls';
import { startFakeSplunkd, type FakeSplunkd } from './fakeSplunkd';
import { issueServerCert, makeCa, SPLUNK_DEFAULT_CN, type Pem } from './testPki';

const SESSION_KEY = 'sess-tls-unit-0123456789';
const ca = makeCa('Unit Test Splunk CA');
const otherCa = makeCa('Unit Test Other CA');

interface Line {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}
function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
}

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'splunk-home-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(home, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
const sslConfig = (settings: string) => `[general]\nserverName = x\n\n[sslConfig]\n${settings}\n`;

describe('which CA: server.conf [sslConfig] as splunkd merges it', () => {
  test('default: $SPLUNK_HOME/etc/auth/cacert.pem', () => {
    const file = write('etc/auth/cacert.pem', ca.cert);
    const logger = recordingLogger();
    const tls = chooseSplunkdTls({ SPLUNK_HOME: home }, logger);
    expect(tls).toEqual({ ca: ca.cert, caFile: file, checkHostName: false });
    expect(logger.lines).toEqual([
      {
        level: 'INFO',
        message: "splunkd TLS: verifying splunkd's certificate against its CA",
        fields: { ca_file: file, from: 'caCertFile', host_name_check: false },
      },
    ]);
  });

  test('precedence: system/local, then app local, then app default (ASCII order), then system/default', () => {
    const layers: [string, string][] = [
      ['etc/system/local/server.conf', 'sys-local.pem'],
      ['etc/apps/B_tls/local/server.conf', 'B-local.pem'],
      ['etc/apps/a_tls/local/server.conf', 'a-local.pem'],
      ['etc/apps/B_tls/default/server.conf', 'B-default.pem'],
      ['etc/system/default/server.conf', 'sys-default.pem'],
    ];
    for (const [, pem] of layers) write(`etc/auth/${pem}`, ca.cert);
    for (const [conf, pem] of layers)
      write(conf, sslConfig(`sslRootCAPath = $SPLUNK_HOME/etc/auth/${pem}`));
    // Each round removes the winner: the next layer must take over.
    for (const [conf, pem] of layers) {
      const tls = chooseSplunkdTls({ SPLUNK_HOME: home }, recordingLogger());
      expect({ conf, caFile: tls.caFile }).toEqual({
        conf,
        caFile: path.join(home, 'etc/auth', pem),
      });
      fs.rmSync(path.join(home, conf));
    }
  });

  test('caCertFile (deprecated) under caPath, when sslRootCAPath is not set; relative paths too', () => {
    write(
      'etc/system/local/server.conf',
      sslConfig('caPath = $SPLUNK_HOME/etc/mycerts\ncaCertFile = root.pem'),
    );
    const file = write('etc/mycerts/root.pem', ca.cert);
    expect(chooseSplunkdTls({ SPLUNK_HOME: home }, recordingLogger()).caFile).toBe(file);
    write(
      'etc/system/local/server.conf',
      sslConfig('caPath = $SPLUNK_HOME/etc/mycerts\nsslRootCAPath = sub/ca.pem'),
    );
    const relative = write('etc/mycerts/sub/ca.pem', ca.cert);
    expect(chooseSplunkdTls({ SPLUNK_HOME: home }, recordingLogger()).caFile).toBe(relative);
  });

  test('a stanza other than [sslConfig] does not count', () => {
    write('etc/system/local/server.conf', '[kvstore]\nsslRootCAPath = /nowhere.pem\n');
    const file = write('etc/auth/cacert.pem', ca.cert);
    expect(chooseSplunkdTls({ SPLUNK_HOME: home }, recordingLogger()).caFile).toBe(file);
  });

  test('the host name is checked only when cliVerifyServerName is true', () => {
    write('etc/auth/cacert.pem', ca.cert);
    for (const [value, expected] of [
      ['true', true],
      ['1', true],
      ['false', false],
      ['', false],
    ] as const) {
      write('etc/system/local/server.conf', sslConfig(`cliVerifyServerName = ${value}`));
      expect({
        value,
        check: chooseSplunkdTls({ SPLUNK_HOME: home }, recordingLogger()).checkHostName,
      }).toEqual({
        value,
        check: expected,
      });
    }
  });
});

describe('no usable CA: not verified, one WARN that says what to configure', () => {
  test.each([
    ['no SPLUNK_HOME', () => ({}), 'SPLUNK_HOME is not set'],
    ['no CA file', () => ({ SPLUNK_HOME: home }), 'cannot read the CA file (ENOENT)'],
    [
      'a CA file without a certificate',
      () => (write('etc/auth/cacert.pem', 'not a certificate\n'), { SPLUNK_HOME: home }),
      'the CA file holds no PEM certificate',
    ],
  ])('%s', (_label, env, reason) => {
    const logger = recordingLogger();
    const tls = chooseSplunkdTls(env(), logger);
    expect(tls.ca).toBeUndefined();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.level).toBe('WARN');
    expect(logger.lines[0]?.message).toMatch(/^splunkd TLS: certificate NOT verified: /);
    expect(logger.lines[0]?.message).toContain(reason);
    expect(logger.lines[0]?.message).toContain('set sslRootCAPath in server.conf [sslConfig]');
  });
});

test('the decision is made and logged once per process', () => {
  const first = recordingLogger();
  const second = recordingLogger();
  const tls = splunkdTls(first);
  expect(splunkdTls(second)).toBe(tls);
  expect(first.lines).toHaveLength(1);
  expect(second.lines).toEqual([]);
});

describe('the REST client against real certificates', () => {
  let splunkd: FakeSplunkd | undefined;
  afterEach(async () => {
    await splunkd?.close();
    splunkd = undefined;
  });

  async function get(server: Pem, tls: SplunkdTls): Promise<number | SplunkdError> {
    splunkd = await startFakeSplunkd(
      { sessionKey: SESSION_KEY, accounts: {}, passwords: {}, failNext: [] },
      server,
    );
    const session: SplunkdSession = {
      serverHost: 'sh1',
      serverUri: splunkd.uri,
      sessionKey: SESSION_KEY,
      checkpointDir: os.tmpdir(),
    };
    const rest = new SplunkdRest(session, recordingLogger(), { tls, retries: 3, minBackoffMs: 1 });
    try {
      return (await rest.getJson('/services/server/info?output_mode=json')).status;
    } catch (err) {
      return err as SplunkdError;
    } finally {
      rest.close();
    }
  }
  const trusting = (pem: Pem, checkHostName = false): SplunkdTls => ({
    ca: pem.cert,
    caFile: '/opt/splunk/etc/auth/cacert.pem',
    checkHostName,
  });

  test('accepts a certificate for SplunkServerDefaultCert chained to the CA: the name is not checked', async () => {
    expect(await get(issueServerCert(ca, SPLUNK_DEFAULT_CN), trusting(ca))).toBe(200);
  });

  test('refuses a certificate of another CA at once: TLS_UNTRUSTED, not retried, no request sent', async () => {
    const err = await get(issueServerCert(otherCa, SPLUNK_DEFAULT_CN), trusting(ca));
    expect(err).toBeInstanceOf(SplunkdError);
    expect((err as SplunkdError).code).toBe('TLS_UNTRUSTED');
    expect((err as SplunkdError).message).toMatch(
      /^splunkd's TLS certificate does not verify against the CA in \/opt\/splunk\/etc\/auth\/cacert\.pem \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set sslRootCAPath/,
    );
    expect(splunkd?.connections()).toBe(1);
    expect(splunkd?.requests).toEqual([]);
  });

  test('refuses a self-signed certificate that is not the CA', async () => {
    const self = makeCa('127.0.0.1');
    const err = await get(self, trusting(ca));
    expect((err as SplunkdError).code).toBe('TLS_UNTRUSTED');
  });

  test('with cliVerifyServerName: refuses a certificate that does not name 127.0.0.1, accepts one that does', async () => {
    const err = await get(issueServerCert(ca, SPLUNK_DEFAULT_CN), trusting(ca, true));
    expect((err as SplunkdError).code).toBe('TLS_UNTRUSTED');
    expect((err as SplunkdError).message).toContain(
      "splunkd's TLS certificate does not name 127.0.0.1, the host of server_uri (ERR_TLS_CERT_ALTNAME_INVALID)",
    );
    await splunkd?.close();
    const named = issueServerCert(ca, SPLUNK_DEFAULT_CN, ['IP:127.0.0.1']);
    expect(await get(named, trusting(ca, true))).toBe(200);
  });

  test('not verified when no CA was found: any certificate is accepted', async () => {
    expect(await get(issueServerCert(otherCa, SPLUNK_DEFAULT_CN), { checkHostName: false })).toBe(
      200,
    );
  });
});
