/**
 * The fault proxy, as the real AWS SDK v3 client sees each fault between it and moto: the error
 * name it raises, whether it retries, and the proxy's counts.
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './faultProxy';
import { logsClient } from './logsClient';
import { startMoto, type MotoServer } from './moto';

let moto: MotoServer;
let proxy: FaultProxy | undefined;
const proxies: FaultProxy[] = [];
const clients: CloudWatchLogsClient[] = [];

const GROUP = '/aws/cloudhsm/cluster-faultproxy1';
const OTHER = '/aws/cloudhsm/cluster-faultproxy2';
const STREAM = 'hsm-faultproxy1';

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  const direct = logsClient(moto.endpoint);
  for (const group of [GROUP, OTHER]) {
    await direct.send(new CreateLogGroupCommand({ logGroupName: group }));
    await direct.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: STREAM }));
  }
  await direct.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: STREAM,
      logEvents: [{ timestamp: Date.now() - 1_000, message: 'one' }],
    }),
  );
  direct.destroy();
});
afterEach(async () => {
  while (clients.length > 0) clients.pop()?.destroy();
  while (proxies.length > 0) await proxies.pop()?.close();
  proxy = undefined;
});

async function through(
  plan: FaultPlan,
  maxAttempts = 3,
  requestTimeout?: number,
): Promise<CloudWatchLogsClient> {
  proxy = await startFaultProxy(moto.endpoint, plan);
  proxies.push(proxy);
  const client = logsClient(proxy.url, {
    maxAttempts,
    // Without throwOnRequestTimeout, @smithy/node-http-handler 4.x only WARNs when requestTimeout passes.
    ...(requestTimeout
      ? { requestHandler: new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true }) }
      : {}),
  });
  clients.push(client);
  return client;
}

const getEvents = (client: CloudWatchLogsClient, group = GROUP) =>
  client.send(
    new GetLogEventsCommand({ logGroupName: group, logStreamName: STREAM, startFromHead: true }),
  );

describe('fault proxy', () => {
  it('forwards untouched and counts calls per operation', async () => {
    const client = await through({});
    const page = await getEvents(client);
    expect(page.events?.map((event) => event.message)).toEqual(['one']);
    await client.send(new DescribeLogGroupsCommand({}));
    expect(proxy?.stats.forwarded).toEqual({ GetLogEvents: 1, DescribeLogGroups: 1 });
    expect(proxy?.stats.injected).toEqual({});
  });

  it('throttles: the SDK retries ThrottlingException and then succeeds', async () => {
    const client = await through({
      rules: [{ operation: 'GetLogEvents', fault: 'throttle', times: 1 }],
    });
    const page = await getEvents(client);
    expect(page.events).toHaveLength(1);
    expect(page.$metadata.attempts).toBe(2);
    expect(proxy?.stats.injected).toEqual({ throttle: 1 });
    expect(proxy?.stats.forwarded).toEqual({ GetLogEvents: 1 });
  });

  it('throttles every call: the SDK gives up with ThrottlingException "Rate exceeded"', async () => {
    const client = await through({ rules: [{ fault: 'throttle' }] }, 2);
    await expect(getEvents(client)).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400, attempts: 2 },
    });
    expect(proxy?.stats.received).toEqual({ GetLogEvents: 2 });
    expect(proxy?.stats.forwarded).toEqual({});
  });

  it.each([503, 500] as const)(
    'answers %i ServiceUnavailableException, which the SDK retries',
    async (status) => {
      const client = await through({ rules: [{ fault: 'serviceUnavailable', status }] }, 2);
      await expect(getEvents(client)).rejects.toMatchObject({
        name: 'ServiceUnavailableException',
        $metadata: { httpStatusCode: status, attempts: 2 },
      });
      expect(proxy?.stats.injectedByOperation).toEqual({ GetLogEvents: { serviceUnavailable: 2 } });
    },
  );

  it.each([
    ['expiredToken', 'ExpiredTokenException'],
    ['accessDenied', 'AccessDeniedException'],
  ] as const)('answers %s as %s, which the SDK does not retry', async (fault, name) => {
    const client = await through({ rules: [{ fault }] }, 3);
    await expect(getEvents(client)).rejects.toMatchObject({
      name,
      $metadata: { httpStatusCode: 400 },
    });
    expect(proxy?.stats.received).toEqual({ GetLogEvents: 1 });
  });

  it('resets the connection: the SDK sees ECONNRESET and retries', async () => {
    const client = await through({ rules: [{ fault: 'reset', times: 1 }] });
    const page = await getEvents(client);
    expect(page.$metadata.attempts).toBe(2);
    expect(proxy?.stats.injected).toEqual({ reset: 1 });

    const once = await through({ rules: [{ fault: 'reset' }] }, 1);
    // Under jest, node's own errors come from another realm, so the SDK wraps them in a plain Error
    // ("AWS SDK error wrapper for …") and `code` is lost; the text still says what happened.
    await expect(getEvents(once)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('cuts a response mid-body after the target ran the call', async () => {
    const client = await through({ rules: [{ operation: 'GetLogEvents', fault: 'truncate' }] }, 1);
    const failure = await getEvents(client).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(String(failure)).toMatch(/aborted/);
    expect(proxy?.stats.forwarded).toEqual({ GetLogEvents: 1 });
    expect(proxy?.stats.injected).toEqual({ truncate: 1 });

    const retrying = await through(
      { rules: [{ operation: 'GetLogEvents', fault: 'truncate', times: 1 }] },
      3,
    );
    const page = await getEvents(retrying);
    expect(page.events).toHaveLength(1);
    expect(page.$metadata.attempts).toBe(2);
  });

  it('cuts a PutLogEvents answer: the SDK retries and moto stores the batch twice', async () => {
    const client = await through(
      { rules: [{ operation: 'PutLogEvents', fault: 'truncate', times: 1 }] },
      3,
    );
    const put = await client.send(
      new PutLogEventsCommand({
        logGroupName: OTHER,
        logStreamName: STREAM,
        logEvents: [{ timestamp: Date.now() - 500, message: 'twice' }],
      }),
    );
    expect(put.$metadata.attempts).toBe(2);
    const page = await getEvents(client, OTHER);
    expect(page.events?.map((event) => event.message)).toEqual(['twice', 'twice']);
  });

  it('stalls a request: forwarded after the stall, or a TimeoutError for a client that gives up first', async () => {
    const client = await through({ rules: [{ fault: 'stall', stallMs: 50, times: 1 }] });
    await expect(getEvents(client)).resolves.toMatchObject({ $metadata: { attempts: 1 } });
    expect(proxy?.stats.injected).toEqual({ stall: 1 });

    const impatient = await through({ rules: [{ fault: 'stall', stallMs: 2_000 }] }, 1, 100);
    await expect(getEvents(impatient)).rejects.toMatchObject({
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
  });

  it('goes down (connection refused) and comes back on the same port', async () => {
    const client = await through({}, 1);
    await proxy?.down();
    await expect(getEvents(client)).rejects.toThrow(/ECONNREFUSED/);
    await proxy?.up();
    await expect(getEvents(client)).resolves.toMatchObject({
      events: [expect.objectContaining({ message: 'one' })],
    });
  });

  it('deletes a log group: ResourceNotFoundException for it, hidden from DescribeLogGroups, others untouched', async () => {
    const client = await through({});
    proxy?.deleteLogGroup(GROUP);
    await expect(getEvents(client)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(getEvents(client, OTHER)).resolves.toBeDefined();
    const groups = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/cloudhsm/' }),
    );
    expect(groups.logGroups?.map((group) => group.logGroupName)).toEqual([OTHER]);
    expect(proxy?.stats.injected).toEqual({ groupDeleted: 1 });
    proxy?.restoreLogGroup(GROUP);
    await expect(getEvents(client)).resolves.toBeDefined();
  });

  it('fires rules by after / every / times and by log group', async () => {
    const client = await through(
      {
        rules: [
          {
            operation: 'GetLogEvents',
            logGroupName: OTHER,
            fault: 'accessDenied',
            after: 1,
            every: 2,
            times: 2,
          },
        ],
      },
      1,
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      outcomes.push(
        await getEvents(client, OTHER).then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      );
    }
    expect(outcomes).toEqual([
      'ok',
      'ok',
      'AccessDeniedException',
      'ok',
      'AccessDeniedException',
      'ok',
      'ok',
      'ok',
    ]);
    await expect(getEvents(client, GROUP)).resolves.toBeDefined();
  });

  it('draws a seeded schedule: the same seed gives the same faults', async () => {
    const run = async () => {
      const client = await through(
        { seed: 'same', rules: [{ fault: 'throttle', probability: 0.5 }] },
        1,
      );
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i += 1)
        outcomes.push(
          await getEvents(client).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      await proxy?.close();
      return outcomes;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('ThrottlingException');
  });
});
