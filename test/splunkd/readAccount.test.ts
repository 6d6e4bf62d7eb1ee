import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import type { Logger, LogLevel, SplunkdSession } from '../../src/collector/ports';
import { passwordId, readAccount, Secret, SplunkdError, type Account } from '../../src/splunkd';
import { splunkdTls } from '../../src/splunkd/tls';
import {
  makeSelfSignedCert,
  startFakeSplunkd,
  type FakeSplunkd,
  type FakeSplunkdState,
} from './fakeSplunkd';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_KEY = 'sess-Z0pQ9xT4-not-a-real-key-7c1f';

interface Line {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}
function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
}

const tls = makeSelfSignedCert();
let splunkd: FakeSplunkd;
let logger: ReturnType<typeof recordingLogger>;

// As under splunkd: $SPLUNK_HOME/etc/auth/cacert.pem holds the CA of splunkd's certificate (here
// the fake's self-signed one), so the process's TLS decision (src/splunkd/tls.ts) verifies it.
const splunkHome = fs.mkdtempSync(path.join(os.tmpdir(), 'splunk-home-'));
fs.mkdirSync(path.join(splunkHome, 'etc/auth'), { recursive: true });
fs.writeFileSync(path.join(splunkHome, 'etc/auth/cacert.pem'), tls.cert);
const savedSplunkHome = process.env.SPLUNK_HOME;
process.env.SPLUNK_HOME = splunkHome;
afterAll(() => {
  if (savedSplunkHome === undefined) delete process.env.SPLUNK_HOME;
  else process.env.SPLUNK_HOME = savedSplunkHome;
  fs.rmSync(splunkHome, { recursive: true, force: true });
});

function session(uri = splunkd.uri, sessionKey = SESSION_KEY): SplunkdSession {
  return { serverHost: 'sh1', serverUri: uri, sessionKey, checkpointDir: os.tmpdir() };
}

function freshState(): FakeSplunkdState {
  return {
    sessionKey: SESSION_KEY,
    accounts: {
      prod: { auth_type: 'access_key', access_key_id: 'AKIAIOSFODNN7EXAMPLE' },
      'team:blue': { auth_type: 'access_key', access_key_id: 'AKIAIOSFODNN7EXAMPLE' },
      chain: { auth_type: 'default_chain', access_key_id: '', role_arn: '', external_id: '' },
      role: {
        auth_type: 'default_chain',
        role_arn: 'arn:aws:iam::123456789012:role/CloudHsmAuditReader',
        external_id: 'ext-4711',
        role_session_name: 'sh1-audit',
        endpoint_url: 'https://logs.eu-west-1.amazonaws.com',
        https_proxy: 'http://proxy.internal:3128',
      },
      nosecret: { auth_type: 'access_key', access_key_id: 'AKIAIOSFODNN7EXAMPLE' },
      badproxy: {
        auth_type: 'default_chain',
        https_proxy: 'http://user:Hunter2Proxy@proxy.internal:3128',
      },
    },
    passwords: { 'cloudhsm_audit:prod:': SECRET, 'cloudhsm_audit:team\\:blue:': SECRET },
    failNext: [],
  };
}

/** Runs `promise` to completion with fake timers: real socket I/O in between, backoffs skipped. */
async function drive<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5000 && !done; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (jest.getTimerCount() > 0) jest.advanceTimersToNextTimer();
  }
  return promise;
}

async function rejection(promise: Promise<unknown>): Promise<SplunkdError> {
  const err = await drive(promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SplunkdError);
  return err as SplunkdError;
}

/** Every way the error, the logs or the account could be printed contains neither secret. */
function expectNoSecrets(...things: unknown[]): void {
  for (const thing of [...things, logger.lines]) {
    for (const printed of [
      JSON.stringify(thing),
      util.inspect(thing, { depth: 10, showHidden: true }),
      String(thing),
      thing instanceof Error ? `${thing.message} ${thing.stack}` : '',
    ]) {
      expect(printed).not.toContain(SECRET);
      expect(printed).not.toContain(SESSION_KEY);
    }
  }
}

beforeEach(async () => {
  jest.useFakeTimers({
    doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  });
  splunkd = await startFakeSplunkd(freshState(), tls);
  logger = recordingLogger();
});

afterEach(async () => {
  jest.useRealTimers();
  await splunkd.close();
});

describe('readAccount', () => {
  it('reads a key pair account: stanza, then the secret under the escaped realm:name id', async () => {
    const account = await drive(readAccount(session(), 'prod', logger));
    expect(account).toMatchObject({
      name: 'prod',
      authType: 'access_key',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      roleSessionName: 'splunk-cloudhsm-audit',
    });
    expect(account.secretAccessKey?.reveal()).toBe(SECRET);
    expect(account.roleArn).toBeUndefined();
    expect(splunkd.requests).toEqual([
      '/servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts/prod',
      '/servicesNS/nobody/cloudhsm_audit/storage/passwords/cloudhsm_audit:prod:',
    ]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'account read from splunkd' }),
    );
    expectNoSecrets(account);
  });

  it('escapes a colon in the account name with a backslash and URL-encodes the segment', async () => {
    expect(passwordId('cloudhsm_audit', 'team:blue')).toBe('cloudhsm_audit:team\\:blue:');
    const account = await drive(readAccount(session(), 'team:blue', logger));
    expect(account.secretAccessKey?.reveal()).toBe(SECRET);
    expect(splunkd.requests[1]).toBe(
      '/servicesNS/nobody/cloudhsm_audit/storage/passwords/cloudhsm_audit:team\\:blue:',
    );
  });

  it('reads a default-chain account without asking storage/passwords', async () => {
    const account = await drive(readAccount(session(), 'chain', logger));
    expect(account).toEqual({
      name: 'chain',
      authType: 'default_chain',
      roleSessionName: 'splunk-cloudhsm-audit',
    });
    expect(splunkd.requests).toHaveLength(1);
  });

  it('reads the role, external id, session name, endpoint and proxy', async () => {
    const account = await drive(readAccount(session(), 'role', logger));
    expect(account).toEqual<Account>({
      name: 'role',
      authType: 'default_chain',
      roleArn: 'arn:aws:iam::123456789012:role/CloudHsmAuditReader',
      externalId: 'ext-4711',
      roleSessionName: 'sh1-audit',
      endpointUrl: 'https://logs.eu-west-1.amazonaws.com',
      httpsProxy: 'http://proxy.internal:3128',
    });
  });

  it('rejects a proxy URL with credentials, naming the key without echoing the URL', async () => {
    const err = await rejection(readAccount(session(), 'badproxy', logger));
    expect(err.code).toBe('ACCOUNT_INVALID');
    expect(err.message).toContain('https_proxy must not contain a user name or password');
    expect(util.inspect(err, { showHidden: true })).not.toContain('Hunter2Proxy');
    expect(JSON.stringify(logger.lines)).not.toContain('Hunter2Proxy');
  });

  it('names a missing stanza and how to fix it, without retrying the 404', async () => {
    const err = await rejection(readAccount(session(), 'ghost', logger));
    expect(err.code).toBe('ACCOUNT_NOT_CONFIGURED');
    expect(err.message).toBe('account "ghost" is not configured: add it on the setup page');
    expect(splunkd.requests).toHaveLength(1);
  });

  it('says so when an access_key account has no secret in storage/passwords', async () => {
    const err = await rejection(readAccount(session(), 'nosecret', logger));
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toMatch(
      /secret access key of account "nosecret" is missing from storage\/passwords.*setup page/,
    );
  });

  it('reports a rejected session key (401) without printing it, and does not retry', async () => {
    const err = await rejection(
      readAccount(session(splunkd.uri, 'expired-session-key-0000'), 'prod', logger),
    );
    expect(err.code).toBe('SESSION_REJECTED');
    expect(err.status).toBe(401);
    expect(err.message).toContain('session key');
    expect(err.message).not.toContain('expired-session-key-0000');
    expect(JSON.stringify(logger.lines)).not.toContain('expired-session-key-0000');
    expect(splunkd.requests).toHaveLength(1);
  });

  it('retries a 500 with backoff, then succeeds', async () => {
    splunkd.state.failNext.push(500, 503);
    const account = await drive(readAccount(session(), 'prod', logger));
    expect(account.secretAccessKey?.reveal()).toBe(SECRET);
    expect(splunkd.requests).toHaveLength(4);
    const warns = logger.lines.filter((l) => l.level === 'WARN');
    expect(warns.map((w) => w.fields?.status)).toEqual([500, 503]);
    expectNoSecrets(account);
  });

  it('reports a 403 as missing capability, without retrying', async () => {
    splunkd.state.failNext.push(403);
    const err = await rejection(readAccount(session(), 'prod', logger));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain('list_storage_passwords');
    expect(splunkd.requests).toHaveLength(1);
  });

  it('reports an answer without entry[0].content as a bad response', async () => {
    splunkd.state.failNext.push(200); // answers 200 with only messages[]
    const err = await rejection(readAccount(session(), 'prod', logger));
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('entry[0].content');
  });

  it('gives up after the retries on persistent 5xx', async () => {
    splunkd.state.failNext.push(500, 500, 500, 500, 500);
    const err = await rejection(readAccount(session(), 'prod', logger));
    expect(err.code).toBe('SPLUNKD_ERROR');
    expect(err.status).toBe(500);
    expect(splunkd.requests).toHaveLength(4);
  });

  it('reports splunkd down after retrying the refused connections', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const err = await rejection(readAccount(session(`https://127.0.0.1:${port}`), 'prod', logger));
    expect(err.code).toBe('SPLUNKD_UNREACHABLE');
    expect(err.causeCode).toBe('ECONNREFUSED');
    expect(err.message).toContain('check that splunkd is running');
    expect(logger.lines.filter((l) => l.level === 'WARN')).toHaveLength(3);
    expectNoSecrets(err);
  });

  it('stops at once when aborted during a backoff', async () => {
    splunkd.state.failNext.push(500, 500, 500, 500);
    const controller = new AbortController();
    const pending = readAccount(session(), 'prod', logger, controller.signal);
    const outcome = pending.then(
      () => 'resolved',
      (e: Error) => e.name,
    );
    while (jest.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(outcome).resolves.toBe('AbortError');
    expect(splunkd.requests).toHaveLength(1);
  });

  it('never prints the secret: JSON, inspect, template strings, spreads', async () => {
    const account = await drive(readAccount(session(), 'prod', logger));
    expect(JSON.stringify(account)).toContain('"secretAccessKey":"[redacted]"');
    expect(util.inspect(account)).toContain('[redacted]');
    expect(`${account.secretAccessKey}`).toBe('[redacted]');
    expect(Object.keys(account.secretAccessKey as Secret)).toEqual([]);
    expectNoSecrets(account, { ...account }, account.secretAccessKey);
  });

  it("trusts splunkd's CA only through its own agent, verified", async () => {
    await drive(readAccount(session(), 'chain', logger));
    expect(splunkdTls(logger).ca).toBe(tls.cert);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    const viaDefaultAgent = await new Promise<string>((resolve) => {
      https
        .get(`${splunkd.uri}/services`, (res) => resolve(`status ${res.statusCode}`))
        .on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(viaDefaultAgent).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });
});
