/**
 * The log level of a running input, from the app's `cloudhsm_audit_settings.conf` (`[logging]
 * log_level`, set on the setup page): read through splunkd REST with the session key splunkd gave
 * the input, once before the collector starts and then every minute, so a change takes effect
 * without a restart. Each change is logged at INFO. When splunkd cannot be asked, the level in
 * force stays: one WARN line when that starts, one INFO line when it heals.
 *
 * Polling also keeps the session key in use, which splunkd expires only after a period unused.
 */

import type { Clock, Logger, LogLevel, SplunkdSession } from '../collector/ports';
import { SplunkdRest, splunkdMessages } from '../splunkd/rest';

export const SETTABLE_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type SettableLevel = (typeof SETTABLE_LEVELS)[number];

/** The endpoint the setup page writes and the input reads (default + local, merged by splunkd). */
export const SETTINGS_PATH =
  '/servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_settings/logging?output_mode=json';

/** How often a running input asks again: a change shows within a minute. */
export const REFRESH_MS = 60_000;

/** A logger whose level can change while it runs (StderrLogger). */
export interface LevelledLogger extends Logger {
  readonly level: LogLevel;
  setLevel(level: LogLevel): void;
}

export function parseLogLevel(value: unknown): SettableLevel | undefined {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return (SETTABLE_LEVELS as readonly string[]).includes(text)
    ? (text as SettableLevel)
    : undefined;
}

const ORDER: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * Sets the level and logs the change at INFO under whichever of the two levels shows it: after the
 * change when the new level is more verbose, before it otherwise.
 */
function changeLevel(logger: LevelledLogger, to: SettableLevel): void {
  const from = logger.level;
  const log = () =>
    logger.log('INFO', 'log level changed', { from, to, source: 'cloudhsm_audit_settings.conf' });
  if (ORDER.indexOf(to) < ORDER.indexOf(from)) {
    logger.setLevel(to);
    log();
  } else {
    log();
    logger.setLevel(to);
  }
}

type Reading = { level: SettableLevel } | { problem: string };

async function readOnce(rest: SplunkdRest, signal: AbortSignal): Promise<Reading> {
  try {
    const { status, json } = await rest.getJson(SETTINGS_PATH, signal);
    if (status !== 200) {
      const why = splunkdMessages(json);
      return { problem: `HTTP ${status}${why ? `: ${why}` : ''}` };
    }
    const entry = (json as { entry?: { content?: { log_level?: unknown } }[] })?.entry?.[0];
    const raw = entry?.content?.log_level;
    const level = parseLogLevel(raw);
    if (!level)
      return {
        problem: `log_level ${JSON.stringify(raw ?? null)} is not one of ${SETTABLE_LEVELS.join(', ')}`,
      };
    return { level };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

export interface WatchOptions {
  session: SplunkdSession;
  logger: LevelledLogger;
  clock: Clock;
  signal: AbortSignal;
  refreshMs?: number;
  /** Per request; splunkd on the same host answers in milliseconds. */
  requestTimeoutMs?: number;
}

/**
 * Applies the configured level now (resolves once the first answer is in: `started`), then
 * keeps applying it every `refreshMs` until `signal` aborts (`done`).
 */
export function watchLogLevel(opts: WatchOptions): { started: Promise<void>; done: Promise<void> } {
  const { logger, signal } = opts;
  // No retries: the next refresh is the retry, and a down splunkd must not delay the input's start.
  const rest = new SplunkdRest(opts.session, logger, {
    retries: 0,
    requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
  });
  let failing = false;

  const refresh = async (): Promise<void> => {
    const reading = await readOnce(rest, signal);
    if (signal.aborted) return;
    if ('level' in reading) {
      if (failing) logger.log('INFO', 'log level readable again', { log_level: reading.level });
      failing = false;
      if (reading.level !== logger.level) changeLevel(logger, reading.level);
      return;
    }
    if (!failing)
      logger.log('WARN', 'cannot read the log level from splunkd; keeping the current one', {
        log_level: logger.level,
        detail: reading.problem,
        retry_seconds: Math.round((opts.refreshMs ?? REFRESH_MS) / 1000),
      });
    else logger.log('DEBUG', 'log level still unreadable', { detail: reading.problem });
    failing = true;
  };

  const started = refresh();
  const done = (async () => {
    await started;
    try {
      while (!signal.aborted) {
        await opts.clock.sleep(opts.refreshMs ?? REFRESH_MS, signal);
        await refresh();
      }
    } catch {
      // Aborted while sleeping: the input is stopping.
    } finally {
      rest.close();
    }
  })();
  return { started, done };
}
