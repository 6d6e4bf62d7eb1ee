import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ApiStats, attachApiBudget, TokenBucket } from '../../src/cloudwatch/apiBudget';

describe('TokenBucket', () => {
  it('lets a burst through at once, then one request per 1/rate seconds, in arrival order', async () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const bucket = new TokenBucket(2, 2, () => now);
      const done: number[] = [];
      const takes = [0, 1, 2, 3].map((i) => bucket.take().then(() => done.push(i)));
      await jest.advanceTimersByTimeAsync(0);
      expect(done).toEqual([0, 1]);
      now = 500;
      await jest.advanceTimersByTimeAsync(500);
      expect(done).toEqual([0, 1, 2]);
      now = 1000;
      await jest.advanceTimersByTimeAsync(500);
      await Promise.all(takes);
      expect(done).toEqual([0, 1, 2, 3]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops waiting when the caller aborts', async () => {
    const bucket = new TokenBucket(0.001, 1, () => 0);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});

describe('attachApiBudget', () => {
  it('counts every attempt per log group, throttled ones apart, and takes a token for each', async () => {
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    let calls = 0;
    const taken: number[] = [];
    const bucket = { take: async () => void taken.push(1) } as unknown as TokenBucket;
    const stats = new ApiStats();
    attachApiBudget(client, bucket, stats);
    // Added after the budget, so it sits inside it: answers instead of the network.
    client.middlewareStack.add(
      () => async () => {
        calls++;
        if (calls === 2)
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        if (calls === 3)
          throw Object.assign(new Error('boom'), { name: 'ServiceUnavailableException' });
        return { output: { $metadata: {}, events: [] }, response: {} };
      },
      { step: 'finalizeRequest', priority: 'low', name: 'fakeTransport' },
    );

    const get = () =>
      client.send(
        new GetLogEventsCommand({ logGroupName: '/aws/cloudhsm/a', logStreamName: 'hsm-1' }),
      );
    await get();
    await expect(get()).rejects.toThrow('Rate exceeded');
    await expect(get()).rejects.toThrow('boom');
    await client.send(new DescribeLogGroupsCommand({}));

    expect(stats.for('/aws/cloudhsm/a')).toEqual({
      apiCalls: 3,
      throttledCalls: 1,
      errors: 1,
      byApi: { GetLogEvents: 3 },
    });
    expect(stats.for('')).toEqual({
      apiCalls: 1,
      throttledCalls: 0,
      errors: 0,
      byApi: { DescribeLogGroups: 1 },
    });
    expect(taken).toHaveLength(4);
  });
});
