/**
 * Puts simulated records into CloudWatch Logs in the given order, as CloudHSM's agent would:
 * PutLogEvents batches of at most 10,000 events and 1 MB (each event counts its UTF-8 size + 26
 * bytes), events of a batch in timestamp order and spanning at most 24 hours, a batch per stream.
 * A record whose timestamp is earlier than the pending batch's last one (a late record) closes
 * that batch first, so it is put in a later call, after the records it is late behind.
 * Log groups and streams are created on first use, so a stream appears when its first record is put.
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { Rng } from './random';
import type { SimulatedRecord } from './generate';

export const PUT_LIMITS = {
  events: 10_000,
  bytes: 1_048_576,
  eventOverheadBytes: 26,
  spanMs: 24 * 3_600_000,
} as const;

export interface WriteOptions {
  /** Attempts per call on throttling / 5xx / ServiceUnavailable, on top of the SDK's own. Default 8. */
  maxAttempts?: number;
  /** Base backoff, ms; doubled each attempt with seeded jitter, capped at 5 s. Default 100. */
  backoffMs?: number;
  /** Injectable sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Seed for the backoff jitter. */
  seed?: string;
}

export interface WriteReport {
  events: number;
  putCalls: number;
  retries: number;
  groupsCreated: number;
  streamsCreated: number;
}

interface Batch {
  logGroupName: string;
  logStreamName: string;
  events: InputLogEvent[];
  bytes: number;
}

const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
]);

function retryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name && RETRYABLE.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  // A 5xx was answered by the service: it did not store the batch, so a retry duplicates nothing.
  // Network errors are NOT retried for PutLogEvents: the server may have stored the batch.
  return status !== undefined && status >= 500;
}

/** Cuts ordered records into PutLogEvents batches (exported for tests and the benchmark). */
export function planBatches(records: readonly SimulatedRecord[]): Batch[] {
  const planned: Batch[] = [];
  const pending = new Map<string, Batch>();
  const close = (key: string) => {
    const batch = pending.get(key);
    if (batch) planned.push(batch);
    pending.delete(key);
  };
  for (const record of records) {
    const key = `${record.logGroupName}\u0000${record.logStreamName}`;
    const size = Buffer.byteLength(record.message, 'utf8') + PUT_LIMITS.eventOverheadBytes;
    const batch = pending.get(key);
    if (batch) {
      const first = batch.events[0] as InputLogEvent;
      const last = batch.events[batch.events.length - 1] as InputLogEvent;
      if (
        record.timestamp < (last.timestamp as number) ||
        record.timestamp - (first.timestamp as number) > PUT_LIMITS.spanMs ||
        batch.events.length >= PUT_LIMITS.events ||
        batch.bytes + size > PUT_LIMITS.bytes
      ) {
        close(key);
      }
    }
    const open = pending.get(key) ?? {
      logGroupName: record.logGroupName,
      logStreamName: record.logStreamName,
      events: [],
      bytes: 0,
    };
    open.events.push({ timestamp: record.timestamp, message: record.message });
    open.bytes += size;
    pending.set(key, open);
  }
  for (const key of [...pending.keys()]) close(key);
  return planned;
}

/** Writes records in order; each call creates what it needs. Safe to call again with more records. */
export class SimulatorWriter {
  private readonly groups = new Set<string>();
  private readonly streams = new Set<string>();
  private readonly rng: Rng;
  private readonly report: WriteReport = {
    events: 0,
    putCalls: 0,
    retries: 0,
    groupsCreated: 0,
    streamsCreated: 0,
  };

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly options: WriteOptions = {},
  ) {
    this.rng = new Rng(options.seed ?? 'writer');
  }

  async write(records: readonly SimulatedRecord[]): Promise<WriteReport> {
    for (const batch of planBatches(records)) {
      await this.ensureStream(batch.logGroupName, batch.logStreamName);
      const response = await this.withRetry(() =>
        this.client.send(
          new PutLogEventsCommand({
            logGroupName: batch.logGroupName,
            logStreamName: batch.logStreamName,
            logEvents: batch.events,
          }),
        ),
      );
      const rejected = response.rejectedLogEventsInfo;
      if (rejected && Object.values(rejected).some((value) => value !== undefined)) {
        throw new Error(
          `simulator: CloudWatch Logs rejected events of ${batch.logGroupName} ${batch.logStreamName} ` +
            `(${JSON.stringify(rejected)}): timestamps must lie within the last 14 days and at most 2 hours ahead; use --start-time`,
        );
      }
      this.report.putCalls += 1;
      this.report.events += batch.events.length;
    }
    return { ...this.report };
  }

  private async ensureStream(group: string, stream: string): Promise<void> {
    const key = `${group}\u0000${stream}`;
    if (this.streams.has(key)) return;
    if (!this.groups.has(group)) {
      if (
        await this.createIgnoringExisting(() =>
          this.client.send(new CreateLogGroupCommand({ logGroupName: group })),
        )
      ) {
        this.report.groupsCreated += 1;
      }
      this.groups.add(group);
    }
    if (
      await this.createIgnoringExisting(() =>
        this.client.send(
          new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }),
        ),
      )
    ) {
      this.report.streamsCreated += 1;
    }
    this.streams.add(key);
  }

  /** True when created, false when it already existed. */
  private async createIgnoringExisting(create: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.withRetry(create);
      return true;
    } catch (error) {
      if ((error as Error).name === 'ResourceAlreadyExistsException') return false;
      throw error;
    }
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const base = this.options.backoffMs ?? 100;
    const sleep =
      this.options.sleep ??
      ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= maxAttempts || !retryable(error)) throw error;
        this.report.retries += 1;
        const ceiling = Math.min(5_000, base * 2 ** (attempt - 1));
        await sleep(Math.round(ceiling / 2 + this.rng.next() * (ceiling / 2)));
      }
    }
  }
}
