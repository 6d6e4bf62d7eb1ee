/**
 * One request budget per account and region, shared by every log group the process reads.
 * CloudWatch Logs' read quotas are per account and region and shared with every other tool of the
 * account (GetLogEvents 10–25/s, DescribeLogStreams 5–25/s, FilterLogEvents 5/s): a collector that
 * spends them all starves the console and other readers, and gets throttled itself.
 *
 * The budget is a token bucket applied as SDK middleware *inside* the retry middleware, so every
 * HTTP attempt, retries included, takes a token; the same middleware counts calls, throttled calls
 * and errors per log group for the health events.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface ApiCounters {
  apiCalls: number;
  throttledCalls: number;
  errors: number;
  /** Calls by API name (`GetLogEvents`, `DescribeLogStreams`, `DescribeLogGroups`, …). */
  byApi: Record<string, number>;
}

export class TokenBucket {
  private tokens: number;
  private lastRefillMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.lastRefillMs = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((t - this.lastRefillMs) / 1000) * this.ratePerSecond,
    );
    this.lastRefillMs = t;
  }

  /** Waits for a token; callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
        await abortableDelay(waitMs, signal);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** Counters per log group; calls without a log group (DescribeLogGroups) count under ''. */
export class ApiStats {
  private readonly byGroup = new Map<string, ApiCounters>();

  for(logGroup: string): ApiCounters {
    let c = this.byGroup.get(logGroup);
    if (!c) {
      c = { apiCalls: 0, throttledCalls: 0, errors: 0, byApi: {} };
      this.byGroup.set(logGroup, c);
    }
    return c;
  }
}

/** Adds the budget and the counters to a client: every attempt waits for a token, then is counted. */
export function attachApiBudget(
  client: CloudWatchLogsClient,
  bucket: TokenBucket,
  stats: ApiStats,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { logGroupName?: string } | undefined;
      const counters = stats.for(input?.logGroupName ?? '');
      const api = (context.commandName ?? 'unknown').replace(/Command$/, '');
      // A token is at most 1/rate seconds away: no abort needed here.
      await bucket.take();
      counters.apiCalls++;
      counters.byApi[api] = (counters.byApi[api] ?? 0) + 1;
      try {
        return await next(args);
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        if (THROTTLING_CODES.has(name)) counters.throttledCalls++;
        else counters.errors++;
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'cloudhsmAuditApiBudget' },
  );
}
