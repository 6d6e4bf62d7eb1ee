/**
 * The Logs client over real loopback HTTP: SigV4 with the configured key, endpoint and proxy
 * overrides, assume-role through a fake STS (ExternalId, session name, refresh before expiry),
 * the default chain, and TLS verification kept on for AWS.
 */

import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import type { Logger, LogLevel } from '../../src/collector/ports';
import { createLogsClient, DEFAULT_MAX_ATTEMPTS } from '../../src/cloudwatch/client';
import type { AwsAccountSettings } from '../../src/cloudwatch/credentials';
import { describeError } from '../../src/cloudwatch/errors';
import { Secret } from '../../src/splunkd/secret';
import { makeSelfSignedCert } from '../splunkd/fakeSplunkd';
import {
  logsResponder,
  startConnectProxy,
  startFakeSts,
  startRecordingServer,
  verifySigV4,
  type FakeServer,
} from './fakeAws';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ISSUED = {
  accessKeyId: 'ASIAQNZGKEXAMPLE0001',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKENvalueThatIsLongEnough0123456789',
};
const REGION = 'eu-west-1';

const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
const logger: Logger = {
  log: (level, message, fields) => void lines.push({ level, message, fields }),
};

const keyPair = (extra: Partial<AwsAccountSettings> = {}): AwsAccountSettings => ({
  name: 'prod',
  authType: 'access_key',
  accessKeyId: KEY_ID,
  secretAccessKey: new Secret(SECRET),
  roleSessionName: 'splunk-cloudhsm-audit',
  ...extra,
});

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
let logs: FakeServer;
const clients: CloudWatchLogsClient[] = [];
function client(opts: Parameters<typeof createLogsClient>[0]): CloudWatchLogsClient {
  const c = createLogsClient(opts);
  clients.push(c);
  return c;
}

/**
 * Fake clocks for the SDK's retry delays and timeouts; sockets, immediates and ticks stay real so
 * the fake servers still answer. Undone after the test.
 */
function useFakeTimersKeepingIo(): void {
  jest.useFakeTimers({
    doNotFake: [
      'setImmediate',
      'clearImmediate',
      'nextTick',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  cleanups.push(() => void jest.useRealTimers());
}

beforeEach(async () => {
  lines.length = 0;
  logs = await startRecordingServer(logsResponder);
  cleanups.push(() => logs.close());
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  // No log line ever carries a secret, a session token or a signature.
  const printed = JSON.stringify(lines);
  for (const s of [SECRET, ISSUED.secretAccessKey, ISSUED.sessionToken])
    expect(printed).not.toContain(s);
});

describe('createLogsClient', () => {
  it('signs with the configured key pair (SigV4 recomputed with the secret) and uses adaptive retries', async () => {
    const c = client({ region: REGION, account: keyPair(), endpointUrl: logs.url, logger });
    const out = await c.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/cloudhsm/' }),
    );
    expect(out.logGroups?.[0]?.logGroupName).toBe('/aws/cloudhsm/cluster-abc');
    const [req] = logs.requests;
    expect(req?.headers['x-amz-target']).toBe('Logs_20140328.DescribeLogGroups');
    expect(verifySigV4(req!, SECRET)).toMatchObject({
      accessKeyId: KEY_ID,
      region: REGION,
      service: 'logs',
    });
    expect(req?.headers['x-amz-security-token']).toBeUndefined();
    expect(await c.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(await c.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(util.inspect(c.config, { depth: 4 })).not.toContain(SECRET);
  });

  it('lets the input-level endpoint override the account one', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const c = client({
      region: REGION,
      account: keyPair({ endpointUrl: dead }),
      endpointUrl: logs.url,
      logger,
      maxAttempts: 1,
    });
    await c.send(new DescribeLogGroupsCommand({}));
    expect(logs.requests).toHaveLength(1);
  });

  it("uses the account's endpoint and proxy when the input sets none", async () => {
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const c = client({
      region: REGION,
      account: keyPair({ endpointUrl: logs.url, httpsProxy: proxy.url }),
      logger,
    });
    await c.send(new DescribeLogGroupsCommand({}));
    expect(proxy.tunnels).toEqual([new URL(logs.url).host]);
    expect(verifySigV4(logs.requests[0]!, SECRET).accessKeyId).toBe(KEY_ID);
  });

  it('goes through the input-level proxy, overriding the account one', async () => {
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const deadProxy = `http://127.0.0.1:${await closedPort()}`;
    const c = client({
      region: REGION,
      account: keyPair({ httpsProxy: deadProxy }),
      endpointUrl: logs.url,
      httpsProxy: proxy.url,
      logger,
      maxAttempts: 1,
    });
    await c.send(new DescribeLogGroupsCommand({}));
    await c.send(new DescribeLogGroupsCommand({}));
    // Keep-alive: two calls, one tunnel.
    expect(proxy.tunnels).toEqual([new URL(logs.url).host]);
    expect(logs.requests).toHaveLength(2);
  });

  it('refuses a proxy URL with credentials', () => {
    expect(() =>
      createLogsClient({
        region: REGION,
        account: keyPair(),
        httpsProxy: 'http://u:pw@127.0.0.1:3128',
        logger,
      }),
    ).toThrow('https_proxy must not contain a user name or password');
  });

  it.each([
    ['https_proxy', 'alice:s3cr/et@proxy.corp:3128'],
    ['https_proxy', 'http://alice:s3cr/et@proxy.corp:3128'],
    ['https_proxy', 'http://alice:12/s3cret@proxy.corp:3128'],
    ['endpoint_url', 'https://alice:s3cr/et@logs.internal'],
  ])('refuses a bad %s without echoing it', (argument, value) => {
    let caught: unknown;
    try {
      createLogsClient({
        region: REGION,
        account: keyPair(),
        ...(argument === 'https_proxy' ? { httpsProxy: value } : { endpointUrl: value }),
        logger,
      });
    } catch (err) {
      caught = err;
    }
    const message = (caught as Error | undefined)?.message ?? '(no error)';
    expect(message).toMatch(new RegExp(`^${argument} `));
    for (const part of ['s3cr', 'alice', 'proxy.corp', 'logs.internal'])
      expect({ part, echoed: message.includes(part) }).toEqual({ part, echoed: false });
  });

  it('keeps TLS verification on for AWS endpoints, also through the proxy', async () => {
    const tls = makeSelfSignedCert();
    const server = https.createServer(tls, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>(
          (resolve) => (server.closeAllConnections(), server.close(() => resolve())),
        ),
    );
    const endpointUrl = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    for (const httpsProxy of [undefined, proxy.url]) {
      const c = client({
        region: REGION,
        account: keyPair(),
        endpointUrl,
        httpsProxy,
        logger,
        maxAttempts: 1,
      });
      const err = await c.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
      // jest's VM realm makes the SDK wrap node's TLS error, so match the text rather than `code`.
      expect(String((err as Error).message)).toMatch(/self-signed certificate/);
    }
    expect(proxy.tunnels).toEqual([new URL(endpointUrl).host]);
  });

  it('assumes the role through STS with ExternalId and session name, via the proxy, then signs with the issued credentials', async () => {
    const sts = await startFakeSts(ISSUED);
    const proxy = await startConnectProxy();
    cleanups.push(
      () => sts.close(),
      () => proxy.close(),
    );
    const account = keyPair({
      roleArn: 'arn:aws:iam::123456789012:role/CloudHsmAuditReader',
      externalId: 'ext-4711',
      roleSessionName: 'sh1-audit',
    });
    const c = client({
      region: REGION,
      account,
      endpointUrl: logs.url,
      stsEndpointUrl: sts.url,
      httpsProxy: proxy.url,
      logger,
    });
    await c.send(new DescribeLogGroupsCommand({}));

    expect(sts.assumeRoles).toHaveLength(1);
    const form = sts.assumeRoles[0]!;
    expect(form.get('RoleArn')).toBe(account.roleArn);
    expect(form.get('ExternalId')).toBe('ext-4711');
    expect(form.get('RoleSessionName')).toBe('sh1-audit');
    expect(form.get('DurationSeconds')).toBe('3600');
    expect(verifySigV4(sts.requests[0]!, SECRET)).toMatchObject({
      accessKeyId: KEY_ID,
      region: REGION,
      service: 'sts',
    });

    const req = logs.requests[0]!;
    expect(verifySigV4(req, ISSUED.secretAccessKey).accessKeyId).toBe(ISSUED.accessKeyId);
    expect(req.headers['x-amz-security-token']).toBe(ISSUED.sessionToken);
    expect(proxy.tunnels.sort()).toEqual([new URL(logs.url).host, new URL(sts.url).host].sort());
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'aws credentials obtained',
        fields: expect.objectContaining({ source: 'access_key+assume_role' }),
      }),
    );
  });

  it('renews assumed-role credentials before they expire, not on every call', async () => {
    jest.useFakeTimers({
      doNotFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
        'nextTick',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    cleanups.push(() => void jest.useRealTimers());
    const sts = await startFakeSts(ISSUED, 60 * 60_000);
    cleanups.push(() => sts.close());
    const account = keyPair({ roleArn: 'arn:aws:iam::123456789012:role/CloudHsmAuditReader' });
    const c = client({
      region: REGION,
      account,
      endpointUrl: logs.url,
      stsEndpointUrl: sts.url,
      logger,
    });
    await c.send(new DescribeLogGroupsCommand({}));
    jest.setSystemTime(Date.now() + 50 * 60_000);
    await c.send(new DescribeLogGroupsCommand({}));
    expect(sts.assumeRoles).toHaveLength(1);
    // Inside the SDK's 5-minute refresh window of the 60-minute session.
    jest.setSystemTime(Date.now() + 6 * 60_000);
    await c.send(new DescribeLogGroupsCommand({}));
    expect(sts.assumeRoles).toHaveLength(2);
    expect(logs.requests).toHaveLength(3);
  });

  it('uses the AWS default chain (here: environment variables) for a default_chain account', async () => {
    const saved = { ...process.env };
    cleanups.push(() => void (process.env = saved));
    process.env = {
      ...saved,
      AWS_ACCESS_KEY_ID: 'AKIAENVEXAMPLE000001',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), `no-aws-credentials-${process.pid}`),
      AWS_CONFIG_FILE: path.join(os.tmpdir(), `no-aws-config-${process.pid}`),
    };
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const account: AwsAccountSettings = {
      name: 'chain',
      authType: 'default_chain',
      roleSessionName: 'splunk-cloudhsm-audit',
    };
    const c = client({ region: REGION, account, endpointUrl: logs.url, logger });
    await c.send(new DescribeLogGroupsCommand({}));
    expect(verifySigV4(logs.requests[0]!, SECRET).accessKeyId).toBe('AKIAENVEXAMPLE000001');
  });

  it('retries throttling with the SDK backoff, then reports it as throttled and retryable', async () => {
    let throttle = 2;
    const throttling = await startRecordingServer((req, res) => {
      if (throttle-- > 0) {
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
        return res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      }
      logsResponder(req, res);
    });
    cleanups.push(() => throttling.close());
    useFakeTimersKeepingIo();
    const c = client({
      region: REGION,
      account: keyPair(),
      endpointUrl: throttling.url,
      logger,
      requestTimeoutMs: 3_600_000,
      connectionTimeoutMs: 3_600_000,
    });
    await drive(c.send(new DescribeLogGroupsCommand({})));
    expect(throttling.requests).toHaveLength(3);

    throttle = 100;
    const err = await drive(c.send(new DescribeLogGroupsCommand({}))).catch((e: unknown) => e);
    expect(throttling.requests).toHaveLength(3 + DEFAULT_MAX_ATTEMPTS);
    expect(describeError(err)).toMatchObject({
      code: 'ThrottlingException',
      throttled: true,
      retryable: true,
    });
  }, 10_000);

  it('abandons a stalled request after the request timeout (20 s by default)', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const stalled = await startRecordingServer(() => received());
    cleanups.push(() => stalled.close());
    useFakeTimersKeepingIo();
    const c = client({
      region: REGION,
      account: keyPair(),
      endpointUrl: stalled.url,
      logger,
      maxAttempts: 1,
    });
    const outcome = c.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
    await arrived;
    await jest.advanceTimersByTimeAsync(19_000);
    let settled = false;
    void outcome.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    const err = await outcome;
    expect(describeError(err)).toMatchObject({
      code: 'TimeoutError',
      retryable: true,
      throttled: false,
    });
  });
});

/**
 * Runs `promise` to completion with fake timers: one event-loop turn of real socket I/O, then one
 * fake second, so SDK backoffs pass at once. Use with request/connection timeouts far beyond the
 * seconds this can advance, so they never fire spuriously.
 */
async function drive<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let turn = 0; turn < 300 && !done; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    jest.advanceTimersByTime(1000);
  }
  if (!done) throw new Error('drive: still pending after 300 fake seconds');
  return promise;
}
