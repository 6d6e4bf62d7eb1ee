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
 * Where events go. `write` resolves once every event given is handed to the OS (stdout flushed),
 * which is what makes it safe to advance a checkpoint afterwards. Rejects if the reader is gone.
 */
export interface EventSink {
  write(events: readonly SplunkEvent[]): Promise<void>;
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
