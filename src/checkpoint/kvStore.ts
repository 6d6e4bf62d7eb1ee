/**
 * Checkpoints in Splunk's KV store (collection `cloudhsm_audit_checkpoints`), which every member of
 * a search head cluster shares: an input that moves to another host resumes where it stopped.
 *
 * - One record per key: `_key` is a hash of the checkpoint key (no region, group or stream name
 *   reaches a key), the envelope's fields are the record's fields (envelope.ts), with `state` as
 *   its JSON text so the KV store never retypes or renames anything inside it, and `input` so one
 *   query finds an input's records.
 * - Only the holder of the input's lease (kvLease.ts) reads or writes: every call checks the lease
 *   first. Holding it, this process is the only writer of the input's records, so they are read
 *   once, at start (`preload`), and kept in memory with what this process saved since.
 * - `prepare()` only builds the record; `commit()` saves it. Commits that come while a save is
 *   under way wait and go out together as the next `batch_save` (one request, any number of
 *   streams), so requests stay few however many streams commit; a commit that comes while none is
 *   under way goes out in the next turn of the event loop, gathering the commits of that turn.
 * - A failed save rejects every commit in it; the collector retries them (src/collector/delivery.ts).
 * - A save that takes longer than SLOW_SAVE_MS (the KV store answers slowly) holds new slices back
 *   (`prepare` waits for it): what is written but not checkpointed, which a `kill -9` would write
 *   again, stays what one second of writing holds instead of growing with the KV store's delay.
 */

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CheckpointError } from '../collector/errors';
import type { CheckpointStore, PreparedCheckpoint } from '../collector/ports';
import type { KvCollection, KvRecord } from '../splunkd/kvCollection';
import { ENVELOPE_FORMAT, unwrap, wrap } from './envelope';

export const CHECKPOINT_COLLECTION = 'cloudhsm_audit_checkpoints';
/** A save under way longer than this holds new slices back until it ends. */
export const SLOW_SAVE_MS = 1_000;

/** Whether this process may read and write the input's checkpoints; throws when it may not. */
export interface LeaseGuard {
  check(): void;
}

/** A checkpoint as the KV store holds it. */
export interface CheckpointRecord extends KvRecord {
  input: string;
  format: string;
  version: number;
  key: string;
  savedAtMs: number;
  /** The state's JSON text. */
  state: string;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function recordKeyFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function checkpointRecord(
  input: string,
  key: string,
  state: unknown,
  nowMs: number,
): CheckpointRecord {
  const envelope = wrap(key, state, nowMs);
  return { _key: recordKeyFor(key), input, ...envelope, state: JSON.stringify(envelope.state) };
}

export class KvCheckpointStore implements CheckpointStore {
  readonly kind = 'kvstore';
  /** The input's records by `_key`: what the KV store holds, since this process holds the lease. */
  private readonly records = new Map<string, KvRecord>();
  private loaded = false;
  /** Commits for the next save, by `_key`: a newer state of a key replaces the older one. */
  private queue = new Map<string, { record: KvRecord; waiters: Waiter[] }>();
  /** The save under way, and when it started (monotonic ms). */
  private saving: { done: Promise<void>; sinceMs: number } | undefined;
  private scheduled = false;
  /** `batch_save` requests made, and records they carried: for the log and the benchmark. */
  readonly stats = { requests: 0, records: 0 };

  constructor(
    private readonly collection: KvCollection,
    private readonly input: string,
    private readonly lease: LeaseGuard,
  ) {}

  /** Reads every record of the input; call once, holding the lease. Returns how many checkpoints. */
  async preload(signal?: AbortSignal): Promise<number> {
    this.lease.check();
    const found = await this.collection.query({ input: this.input }, signal);
    this.records.clear();
    for (const record of found) this.records.set(record._key, record);
    this.loaded = true;
    return found.filter((r) => r.format === ENVELOPE_FORMAT).length;
  }

  /** Whether the KV store holds a record under this `_key`. */
  hasRecord(recordKey: string): boolean {
    return this.records.has(recordKey);
  }

  /** Saves records as they are (the migration's imports), at once. */
  async saveRecords(records: readonly KvRecord[]): Promise<void> {
    this.lease.check();
    this.stats.requests += await this.collection.batchSave(records);
    this.stats.records += records.length;
    for (const record of records) this.records.set(record._key, record);
  }

  async load<T>(key: string): Promise<T | undefined> {
    this.lease.check();
    if (!this.loaded) throw new Error('KV store checkpoints read before preload()');
    const record = this.records.get(recordKeyFor(key));
    if (!record) return undefined;
    const location = `KV store ${CHECKPOINT_COLLECTION}/${record._key}`;
    let state: unknown;
    try {
      state = typeof record.state === 'string' ? JSON.parse(record.state) : undefined;
    } catch {
      throw new CheckpointError(
        'checkpoint state is not valid JSON (overwritten); delete the record to re-read this stream from the start position',
        location,
      );
    }
    return unwrap<T>({ ...record, state }, key, location);
  }

  async prepare<T>(key: string, state: T, nowMs: number): Promise<PreparedCheckpoint> {
    while (this.saving && performance.now() - this.saving.sinceMs > SLOW_SAVE_MS)
      await this.saving.done;
    this.lease.check();
    const record = checkpointRecord(this.input, key, state, nowMs);
    let done = false;
    return {
      commit: async () => {
        if (done) return;
        await this.enqueue(record);
        done = true;
      },
      abort: async () => {
        done = true;
      },
    };
  }

  private enqueue(record: KvRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = this.queue.get(record._key);
      if (entry) {
        entry.record = record;
        entry.waiters.push({ resolve, reject });
      } else {
        this.queue.set(record._key, { record, waiters: [{ resolve, reject }] });
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.saving || this.scheduled || this.queue.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.saving = { done: this.saveQueued(), sinceMs: performance.now() };
    });
  }

  private async saveQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = new Map();
    const waiters = [...batch.values()].flatMap((e) => e.waiters);
    try {
      this.lease.check();
      const records = [...batch.values()].map((e) => e.record);
      this.stats.requests += await this.collection.batchSave(records);
      this.stats.records += records.length;
      for (const record of records) this.records.set(record._key, record);
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    } finally {
      // Never before the caller has recorded this save as the one under way (a failed lease
      // check gets here without having awaited anything).
      await Promise.resolve();
      this.saving = undefined;
      this.schedule();
    }
  }
}
