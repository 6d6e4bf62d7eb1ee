import type { InputConfig } from '../config/inputConfig';

/**
 * The small interfaces the collector core depends on. The composition root (src/modinput/main.ts)
 * wires real implementations; tests wire fakes.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** One line per message on stderr, level first, `key=value` pairs; never a secret. */
export interface Logger {
  log(
    level: LogLevel,
    message: string,
    fields?: Record<string, string | number | boolean | undefined>,
  ): void;
}

/** One Splunk event as the modular input writes it. */
export interface SplunkEvent {
  /** Epoch seconds with up to 6 decimals, already formatted (e.g. `1513717277.140812`). */
  time?: string;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  /** The event text; for audit records exactly the CloudWatch message. */
  data: string;
}

/**
 * Where events go. The OS taking bytes is not the reader reading them: a pipe holds up to its
 * capacity unread, and the kernel drops those bytes if the reader closes it. So a sink tells the
 * two apart, and a checkpoint advances only past what the reader has certainly read.
 */
export interface EventSink {
  /**
   * Writes the events; resolves once the OS took every byte, with the output position after them
   * (bytes written since the stream opened). Rejects once the reader is gone.
   */
  write(events: readonly SplunkEvent[]): Promise<number>;
  /**
   * Resolves once the reader has certainly read the output up to `position`: the OS took more
   * bytes after it than it can hold unread. Pushes the output through when it stays idle, so a
   * waiting position is not held back forever. Rejects when the output breaks.
   */
  readThrough(position: number): Promise<void>;
}

/**
 * Where checkpoints live (files in splunkd's checkpoint_dir, or the KV store). States are JSON
 * values; each store keeps one per key. Writing is two-phase so that a checkpoint never runs ahead
 * of the events it covers and the step after the reader has them is as short as it can be.
 */
export interface CheckpointStore {
  /** For logs: `file` or `kvstore`. */
  readonly kind: string;
  /** The saved state, or undefined when there is none. Throws CheckpointError when unreadable. */
  load<T>(key: string): Promise<T | undefined>;
  /**
   * Stages a state (a file store writes and fsyncs a temporary file); nothing is visible until
   * `commit()`. Throws when the store cannot take it (disk full, KV store down): the events it
   * would cover are then not written.
   */
  prepare<T>(key: string, state: T, nowMs: number): Promise<PreparedCheckpoint>;
}

export interface PreparedCheckpoint {
  /** Makes the staged state the checkpoint: one rename, or one request. */
  commit(): Promise<void>;
  /** Drops the staged state (superseded, or its events were not written). */
  abort(): Promise<void>;
}

/**
 * One runner per input: held for the whole run, so two copies of an input (an overlapping restart,
 * a failover) never read or write at the same time.
 */
export interface RunnerLock {
  /** Waits until this process holds the lock (saying so once while another holds it). */
  acquire(signal: AbortSignal): Promise<HeldLock>;
}

export interface HeldLock {
  /** Aborts if the lock is lost (taken over after this process stalled): stop writing at once. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** Wall clock, injectable so tests can run simulated time. */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** What splunkd handed the process on stdin, besides the stanza. */
export interface SplunkdSession {
  serverHost: string;
  serverUri: string;
  sessionKey: string;
  checkpointDir: string;
}

/** Everything one run of the collector gets from the composition root (src/modinput). */
export interface RunContext {
  config: InputConfig;
  /** The stanza name as splunkd gave it, `cloudhsm_audit://<name>`. */
  stanza: string;
  session: SplunkdSession;
  sink: EventSink;
  logger: Logger;
  clock: Clock;
  /** Aborted on SIGTERM: the run stops its pollers and returns. */
  signal: AbortSignal;
}
