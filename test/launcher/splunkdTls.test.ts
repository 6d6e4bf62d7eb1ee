/**
 * TLS to splunkd, through the built launcher as splunkd runs it: the input reads its account over
 * splunkd's management port and verifies splunkd's certificate against the CA splunkd itself is
 * configured with (server.conf [sslConfig] sslRootCAPath, else $SPLUNK_HOME/etc/auth/cacert.pem).
 * The fake splunkd's certificates come from CAs made at test time (testPki.ts), issued like
 * splunkd's default one to "SplunkServerDefaultCert", which never matches server_uri's 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollector, waitFor, type CollectorRun } from '../collector/support/collectorProcess';
import { startFakeSplunkd, type FakeSplunkd } from '../splunkd/fakeSplunkd';
import { issueServerCert, makeCa, SPLUNK_DEFAULT_CN, type Pem } from '../splunkd/testPki';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYTLSTESTKEY';
const SESSION_KEY = 'session-key-tls-test-0123456789abcdef';

const ca = makeCa('Test Splunk CA');
const otherCa = makeCa('Some Other CA');
const issuedByCa = issueServerCert(ca, SPLUNK_DEFAULT_CN);
const issuedByOther = issueServerCert(otherCa, SPLUNK_DEFAULT_CN);

let tmp: string;
let splunkd: FakeSplunkd | undefined;
let run: CollectorRun | undefined;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-splunkd-tls-'));
});
afterEach(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
  run = undefined;
  await splunkd?.close();
  splunkd = undefined;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A $SPLUNK_HOME holding only `files` (paths relative to it). */
function splunkHome(files: Record<string, string>): string {
  const home = path.join(tmp, 'splunk');
  fs.mkdirSync(home, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    fs.writeFileSync(path.join(home, rel), text);
  }
  return home;
}

/** Starts a fake splunkd presenting `tls`, then the input reading account "prod" from it. */
async function startInput(tls: Pem, home: string): Promise<CollectorRun> {
  splunkd = await startFakeSplunkd(
    {
      sessionKey: SESSION_KEY,
      accounts: { prod: { auth_type: 'access_key', access_key_id: 'AKIAIOSFODNN7EXAMPLE' } },
      passwords: { 'cloudhsm_audit:prod:': SECRET },
      failNext: [],
    },
    tls,
  );
  run = startCollector(
    {
      name: 'tls',
      checkpointDir: path.join(tmp, 'checkpoints'),
      // Port 9 refuses: after reading the account the input keeps retrying AWS until stopped.
      params: { regions: 'us-east-1', account: 'prod', endpoint_url: 'http://127.0.0.1:9' },
      serverUri: splunkd.uri,
      sessionKey: SESSION_KEY,
    },
    tmp,
    'tls',
    {
      PATH: process.env.PATH ?? '',
      HOME: tmp,
      SPLUNK_HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  );
  return run;
}

const lines = (r: CollectorRun, pattern: RegExp) =>
  r
    .stderr()
    .split('\n')
    .filter((l) => pattern.test(l));
const tail = (r: CollectorRun) => () => r.stderr().slice(-3000);

function expectNoSecret(r: CollectorRun): void {
  const out = r.stdout() + r.stderr();
  expect({ secret: out.includes(SECRET), sessionKey: out.includes(SESSION_KEY) }).toEqual({
    secret: false,
    sessionKey: false,
  });
}

test('accepts a certificate chained to sslRootCAPath, which wins over cacert.pem', async () => {
  const home = splunkHome({
    'etc/system/local/server.conf':
      '[sslConfig]\nsslRootCAPath = $SPLUNK_HOME/etc/auth/mine/ca.pem\n',
    'etc/auth/mine/ca.pem': ca.cert,
    'etc/auth/cacert.pem': otherCa.cert,
  });
  const r = await startInput(issuedByCa, home);
  await waitFor(
    () => lines(r, /^INFO account read from splunkd/).length > 0,
    30_000,
    'the account read over verified TLS',
    tail(r),
  );
  expect(lines(r, /^INFO splunkd TLS: verifying/)).toEqual([
    expect.stringContaining(`ca_file=${path.join(home, 'etc/auth/mine/ca.pem')}`),
  ]);
  expect(lines(r, /^(WARN|ERROR) /).filter((l) => /splunkd|account|TLS/.test(l))).toEqual([]);
  expectNoSecret(r);
});

test('accepts a certificate chained to the default $SPLUNK_HOME/etc/auth/cacert.pem', async () => {
  const home = splunkHome({ 'etc/auth/cacert.pem': ca.cert });
  const r = await startInput(issuedByCa, home);
  await waitFor(
    () => lines(r, /^INFO account read from splunkd/).length > 0,
    30_000,
    'the account read over verified TLS',
    tail(r),
  );
  expect(lines(r, /^INFO splunkd TLS: verifying/)).toHaveLength(1);
});

test('refuses a certificate from another CA: a clear ERROR, no secret sent or written, retried', async () => {
  const home = splunkHome({ 'etc/auth/cacert.pem': ca.cert });
  const r = await startInput(issuedByOther, home);
  // The input retries a failed account read after 10 s, then 20 s, …: wait for the second try.
  await waitFor(
    () => lines(r, /^ERROR cannot read the account/).length >= 2,
    30_000,
    'two refused attempts to read the account',
    tail(r),
  );
  const [first] = lines(r, /^ERROR cannot read the account/);
  expect(first).toContain("splunkd's TLS certificate does not verify against the CA in");
  expect(first).toContain(path.join(home, 'etc/auth/cacert.pem'));
  expect(first).toContain('sslRootCAPath');
  expect(first).toMatch(/retry_in_seconds=\d+/);
  // No HTTP request (and so no session key) ever went over the refused connections.
  expect(splunkd?.requests).toEqual([]);
  expect(splunkd?.connections()).toBeGreaterThanOrEqual(2);
  // The choice is made once per process, not once per attempt.
  expect(lines(r, /^INFO splunkd TLS: verifying/)).toHaveLength(1);
  expectNoSecret(r);
});

test('no CA to be found: exactly one WARN saying what to configure, and the input still reads its account', async () => {
  const home = splunkHome({ 'etc/system/local/server.conf': '[general]\nserverName = sh1\n' });
  const r = await startInput(issuedByOther, home);
  await waitFor(
    () => lines(r, /^INFO account read from splunkd/).length > 0,
    30_000,
    'the account read over unverified TLS',
    tail(r),
  );
  const warns = lines(r, /^WARN .*(TLS|certificate)/);
  expect(warns).toHaveLength(1);
  expect(warns[0]).toMatch(/^WARN splunkd TLS: certificate NOT verified/);
  expect(warns[0]).toContain(path.join(home, 'etc/auth/cacert.pem'));
  expect(warns[0]).toContain('sslRootCAPath');
  expectNoSecret(r);
});
