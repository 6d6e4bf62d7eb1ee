/**
 * Delivering slices and committing their checkpoints: the invariant that makes "nothing lost"
 * hold whether the collector is killed or splunkd closes the pipe.
 *
 * Per slice of one stream:
 *   1. the tracker decides what is new (in memory) and its state is prepared in the store (a file
 *      store writes and fsyncs a temporary file) — if that fails, nothing is written;
 *   2. the events are written: the OS has them, but a pipe may still hold them unread;
 *   3. once the sink says the reader has certainly read them (`readThrough`), the checkpoint is
 *      committed (one rename, or one KV store request).
 * A committed checkpoint therefore never covers bytes the reader could still lose. What was
 * written and not yet committed is written again after a restart: that is what a `kill -9`
 * doubles — what the pipe held unread and the piece being written (each at most the pipe's
 * capacity), plus the slice that straddled the last checkpoint (RELIABILITY.md).
 *
 * Commits of one stream happen in order; when several of its slices are read at once only the
 * newest is committed and the others are dropped. A failed commit is retried with backoff, and
 * until one succeeds no stream writes anything new (`writable()`), so what cannot be
 * checkpointed stays bounded. Once the runner lock is lost nothing is committed any more.
 */
import { OutputError } from './errors';
import type { Clock, EventSink, Logger, PreparedCheckpoint, SplunkEvent } from './ports';

interface Pending {
  prepared: PreparedCheckpoint;
  read: boolean;
  onCommitted?: () => void;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export class Delivery {
  private readonly pending = new Map<string, Pending[]>();
  private readonly committing = new Set<string>();
  private failing: Error | undefined;
  private outputBroken = false;
  private recovered: { promise: Promise<void>; resolve: () => void } | undefined;
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  commitsTotal = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** Aborted when the runner lock is lost: commit nothing more. */
    private readonly lockLost: AbortSignal,
  ) {}

  /** Resolves when writing is allowed: at once, unless commits are failing. */
  async writable(signal: AbortSignal): Promise<void> {
    while (this.failing && !signal.aborted) {
      this.recovered ??= deferred();
      await Promise.race([this.recovered.promise, abortPromise(signal)]);
    }
    signal.throwIfAborted();
  }

  /**
   * Writes a slice and arranges its commit once the reader has it; resolves once written.
   * An output failure drops the prepared state and throws OutputError.
   */
  async deliver(
    key: string,
    prepared: PreparedCheckpoint,
    events: readonly SplunkEvent[],
    onCommitted?: () => void,
  ): Promise<void> {
    let position: number;
    try {
      position = await this.sink.write(events);
    } catch (err) {
      await prepared.abort();
      throw new OutputError(err);
    }
    const entry: Pending = { prepared, read: false, onCommitted };
    const list = this.pending.get(key) ?? [];
    list.push(entry);
    this.pending.set(key, list);
    this.sink.readThrough(position).then(
      () => {
        entry.read = true;
        void this.pump(key);
      },
      () => {
        // The output broke: nothing more is committed, the run ends.
        this.outputBroken = true;
        this.settleIdle();
      },
    );
  }

  /** Slices written and not yet committed, all streams together. */
  get uncommitted(): number {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }

  /** Resolves once every slice written so far is committed (or can never be: output broken). */
  async drain(): Promise<void> {
    while (this.uncommitted > 0 && !this.lockLost.aborted && !this.outputBroken) {
      this.idle ??= deferred();
      await this.idle.promise;
    }
  }

  /** Abandons what is not committed (the output broke or the run ends): a restart re-reads it. */
  async abandon(): Promise<void> {
    const all = [...this.pending.values()].flat();
    this.pending.clear();
    await Promise.all(all.map((p) => p.prepared.abort().catch(() => undefined)));
    this.settleIdle();
  }

  private async pump(key: string): Promise<void> {
    if (this.committing.has(key)) return;
    this.committing.add(key);
    try {
      for (let attempt = 0; ;) {
        const list = this.pending.get(key) ?? [];
        // Slices are read in order: commit the newest read one, drop the older ones it covers.
        let newest = -1;
        while (newest + 1 < list.length && list[newest + 1]!.read) newest++;
        if (newest < 0 || this.lockLost.aborted) break;
        const covered = list.slice(0, newest + 1);
        const entry = covered[newest]!;
        try {
          await entry.prepared.commit();
        } catch (err) {
          attempt++;
          await this.commitFailed(key, err, attempt);
          continue;
        }
        attempt = 0;
        list.splice(0, newest + 1);
        if (list.length === 0) this.pending.delete(key);
        for (const older of covered.slice(0, -1)) await older.prepared.abort();
        this.commitsTotal++;
        for (const c of covered) c.onCommitted?.();
        this.commitSucceeded();
      }
    } finally {
      this.committing.delete(key);
      this.settleIdle();
    }
  }

  private async commitFailed(key: string, err: unknown, attempt: number): Promise<void> {
    this.failing ??= err as Error;
    const waitMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(attempt - 1, 6));
    this.logger.log(
      'ERROR',
      'cannot save a checkpoint: writing is paused until it can, will retry',
      {
        checkpoint: key.split('|').slice(-1)[0],
        error: (err as Error).message,
        retry_in_seconds: Math.round(waitMs / 1000),
      },
    );
    const stop = new AbortController();
    const onLost = () => stop.abort();
    this.lockLost.addEventListener('abort', onLost, { once: true });
    await this.clock.sleep(waitMs, stop.signal).catch(() => undefined);
    this.lockLost.removeEventListener('abort', onLost);
  }

  private commitSucceeded(): void {
    if (!this.failing) return;
    this.failing = undefined;
    this.logger.log('INFO', 'checkpoints are saved again: writing resumes');
    this.recovered?.resolve();
    this.recovered = undefined;
  }

  private settleIdle(): void {
    if (this.idle && (this.uncommitted === 0 || this.lockLost.aborted || this.outputBroken)) {
      this.idle.resolve();
      this.idle = undefined;
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
