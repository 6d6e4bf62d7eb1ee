/**
 * Pins how moto 5.2.5's CloudWatch Logs behaves, through the real AWS SDK, so the facts written at
 * the top of test/support/moto.ts stay true (a moto upgrade that changes one fails here first).
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, type MotoServer } from './moto';
import { logsClient } from './logsClient';

let moto: MotoServer;
let client: CloudWatchLogsClient;

beforeAll(async () => {
  moto = await startMoto();
  client = logsClient(moto.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const GROUP = '/aws/cloudhsm/cluster-abcdefghijk';
const STREAM = 'hsm-abcdefghijk';

async function makeStream(group = GROUP, stream = STREAM): Promise<void> {
  await client.send(new CreateLogGroupCommand({ logGroupName: group })).catch((error: Error) => {
    if (error.name !== 'ResourceAlreadyExistsException') throw error;
  });
  await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

async function put(timestamps: number[], stream = STREAM, group = GROUP): Promise<void> {
  await client.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: timestamps.map((timestamp) => ({ timestamp, message: `m${timestamp}` })),
    }),
  );
}

const base = Date.now() - 60_000;

describe('moto server lifecycle', () => {
  it('gives a loopback endpoint and reset drops every group', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await makeStream();
    await moto.reset();
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({}));
    expect(logGroups).toEqual([]);
  });

  it('keeps each region apart', async () => {
    await makeStream();
    const west = logsClient(moto.endpoint, { region: 'eu-west-1' });
    const { logGroups } = await west.send(new DescribeLogGroupsCommand({}));
    west.destroy();
    expect(logGroups).toEqual([]);
  });

  it('says how to install moto when the virtual environment is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-venv-'));
    try {
      await expect(startMoto({ venv: empty })).rejects.toThrow(
        /moto_server is missing; run bash scripts\/setup\.sh/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('accepts any credentials', async () => {
    const other = logsClient(moto.endpoint, {
      credentials: { accessKeyId: 'x', secretAccessKey: 'y', sessionToken: 'z' },
    });
    await expect(other.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
    other.destroy();
  });
});

describe('moto GetLogEvents', () => {
  it('pages forward with positional tokens and returns the same token at the end', async () => {
    await makeStream();
    await put([base, base + 1, base + 2, base + 3, base + 4]);
    const first = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(first.events?.map((e) => e.timestamp)).toEqual([base, base + 1]);
    expect(first.nextForwardToken).toBe(`f/${'1'.padStart(56, '0')}`);
    expect(first.nextBackwardToken).toBe(`b/${'0'.padStart(56, '0')}`);
    const second = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: first.nextForwardToken,
        limit: 3,
      }),
    );
    expect(second.events).toHaveLength(3);
    const end = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: second.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    // Events appended later come back with the same token.
    await put([base + 5]);
    const more = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: end.nextForwardToken,
      }),
    );
    expect(more.events?.map((e) => e.timestamp)).toEqual([base + 5]);
  });

  it('without startFromHead returns the tail; tokens of an empty stream', async () => {
    await makeStream();
    const empty = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM }),
    );
    expect(empty.events).toEqual([]);
    expect(empty.nextForwardToken).toBe(`f/${'0'.padStart(56, '0')}`);
    const emptyHead = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }),
    );
    expect(emptyHead.nextForwardToken).toBe(`f/-${'1'.padStart(55, '0')}`);
    // The tail token of an empty stream counts index 0 as read: the first event is skipped.
    await put([base - 1]);
    const afterTail = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: empty.nextForwardToken,
      }),
    );
    expect(afterTail.events).toEqual([]);
    const afterHead = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: emptyHead.nextForwardToken,
      }),
    );
    expect(afterHead.events?.map((e) => e.timestamp)).toEqual([base - 1]);
    await put([base, base + 1, base + 2]);
    const tail = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 2 }),
    );
    expect(tail.events?.map((e) => e.timestamp)).toEqual([base + 1, base + 2]);
  });

  it('treats startTime and endTime as inclusive and caps limit at 10,000', async () => {
    await makeStream();
    await put([base, base + 10, base + 20, base + 30]);
    const page = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        startFromHead: true,
        startTime: base + 10,
        endTime: base + 20,
      }),
    );
    expect(page.events?.map((e) => e.timestamp)).toEqual([base + 10, base + 20]);
    await expect(
      client.send(
        new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 10_001 }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('orders by timestamp: a late-put earlier event shifts positions under an old token', async () => {
    await makeStream();
    await put([base + 10, base + 20, base + 30]);
    const first = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }),
    );
    expect(first.events?.map((e) => e.timestamp)).toEqual([base + 10, base + 20, base + 30]);
    await put([base + 15]); // late: put after, timestamp earlier than what was read
    await put([base + 40]);
    const next = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        nextToken: first.nextForwardToken,
      }),
    );
    // The old token points at index 2, which now holds base+20's successor base+30 again.
    expect(next.events?.map((e) => e.timestamp)).toEqual([base + 30, base + 40]);
    const reread = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        startFromHead: true,
        startTime: base + 11,
      }),
    );
    expect(reread.events?.map((e) => e.timestamp)).toEqual([
      base + 15,
      base + 20,
      base + 30,
      base + 40,
    ]);
    expect(reread.events?.[0]?.ingestionTime).toBeGreaterThanOrEqual(
      first.events?.[2]?.ingestionTime ?? 0,
    );
  });

  it('answers ResourceNotFoundException for a missing group or stream', async () => {
    await expect(
      client.send(
        new GetLogEventsCommand({ logGroupName: '/aws/cloudhsm/none', logStreamName: STREAM }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await makeStream();
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'hsm-none' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('moto PutLogEvents', () => {
  it('rejects an out-of-order batch but accepts earlier timestamps in a later batch', async () => {
    await makeStream();
    await expect(put([base + 2, base + 1])).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await put([base + 5]);
    await expect(put([base + 1])).resolves.toBeUndefined();
  });

  it('silently drops events older than 14 days or over 2 hours ahead', async () => {
    await makeStream();
    const now = Date.now();
    const response = await client.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [
          { timestamp: now - 15 * 86_400_000, message: 'old' },
          { timestamp: now, message: 'now' },
          { timestamp: now + 3 * 3_600_000, message: 'future' },
        ],
      }),
    );
    expect(response.rejectedLogEventsInfo).toEqual({
      tooOldLogEventEndIndex: 0,
      tooNewLogEventStartIndex: 2,
    });
    const page = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }),
    );
    expect(page.events?.map((e) => e.message)).toEqual(['now']);
  });

  it('answers ResourceNotFoundException for a missing stream', async () => {
    await makeStream();
    await expect(put([base], 'hsm-missing')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });
});

describe('moto FilterLogEvents', () => {
  it('pages with group@stream@eventId tokens, stream by stream unless interleaved', async () => {
    await makeStream(GROUP, 'hsm-aaaaaaaaaaa');
    await makeStream(GROUP, 'hsm-bbbbbbbbbbb');
    await put([base + 1, base + 3], 'hsm-aaaaaaaaaaa');
    await put([base + 2, base + 4], 'hsm-bbbbbbbbbbb');
    const plain = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }));
    expect(plain.events?.map((e) => e.timestamp)).toEqual([base + 1, base + 3, base + 2]);
    expect(plain.nextToken).toMatch(new RegExp(`^${GROUP}@hsm-bbbbbbbbbbb@\\d+$`));
    const rest = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken: plain.nextToken }),
    );
    expect(rest.events?.map((e) => e.timestamp)).toEqual([base + 4]);
    expect(rest.nextToken).toBeUndefined();
    const interleaved = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, interleaved: true }),
    );
    expect(interleaved.events?.map((e) => e.timestamp)).toEqual([
      base + 1,
      base + 2,
      base + 3,
      base + 4,
    ]);
    expect(interleaved.events?.[0]).toMatchObject({
      logStreamName: 'hsm-aaaaaaaaaaa',
      eventId: expect.any(String),
    });
  });

  it('answers an empty page for a stale token and ignores logStreamNamePrefix', async () => {
    await makeStream();
    await put([base, base + 1]);
    const stale = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: `${GROUP}@${STREAM}@999999` }),
    );
    expect(stale.events).toEqual([]);
    expect(stale.nextToken).toBeUndefined();
    const prefixed = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'zzz' }),
    );
    expect(prefixed.events).toHaveLength(2);
    const inclusive = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, startTime: base, endTime: base }),
    );
    expect(inclusive.events).toHaveLength(1);
  });
});

describe('moto DescribeLogGroups / DescribeLogStreams', () => {
  it('pages 50 at a time with prefixes and rejects limit > 50', async () => {
    for (let i = 0; i < 55; i += 1) {
      await client.send(
        new CreateLogGroupCommand({
          logGroupName: `/aws/cloudhsm/cluster-${String(i).padStart(11, 'a')}`,
        }),
      );
    }
    await client.send(new CreateLogGroupCommand({ logGroupName: '/other/group' }));
    const first = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/cloudhsm/' }),
    );
    expect(first.logGroups).toHaveLength(50);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await client.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: '/aws/cloudhsm/',
        nextToken: first.nextToken,
      }),
    );
    expect(second.logGroups).toHaveLength(5);
    expect(second.nextToken).toBeUndefined();
    await expect(client.send(new DescribeLogGroupsCommand({ limit: 51 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    const group = '/aws/cloudhsm/cluster-aaaaaaaaaa0';
    for (let i = 0; i < 3; i += 1) {
      await client.send(
        new CreateLogStreamCommand({ logGroupName: group, logStreamName: `hsm-${i}` }),
      );
    }
    const streams = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: group, limit: 2 }),
    );
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['hsm-0', 'hsm-1']);
    expect(streams.nextToken).toBe(`${group}@hsm-1`);
    expect(streams.logStreams?.[0]?.lastEventTimestamp).toBeUndefined();
    const prefixed = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'hsm-2' }),
    );
    expect(prefixed.logStreams?.map((s) => s.logStreamName)).toEqual(['hsm-2']);
    await expect(
      client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/cloudhsm/none' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
