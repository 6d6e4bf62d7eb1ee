/**
 * Run mode: read the one stanza splunkd passes, validate it, open the event stream and hand over
 * to the collector (`runInput`). On SIGTERM/SIGINT the AbortController aborts the collector; once
 * it returns (or a grace period passes), the write in progress finishes, `</stream>` is written and
 * the exit code is 0.
 *
 * Exit codes: 0 stopped normally or by signal; 1 bad stdin or arguments, or the collector failed.
 */

import type { Writable } from 'node:stream';
import type { Clock, EventSink, Logger, RunContext, SplunkdSession } from '../collector/ports';
import type { InputConfig } from '../config/inputConfig';
import { parseInputConfig } from '../config/validate';
import { XmlEventWriter } from './eventWriter';
import { parseInputDocument } from './stdinXml';

/** What the collector receives (`runInput` in src/collector/run.ts). */
export type RunInputContext = RunContext;

export type RunInput = (ctx: RunInputContext) => Promise<void>;

/**
 * Starts applying the app settings (logLevel.ts) for the session; `started` resolves once the
 * first reading is applied, and the watching stops when `signal` aborts.
 */
export type WatchSettings = (
  session: SplunkdSession,
  signal: AbortSignal,
) => { started: Promise<void>; done: Promise<void> };

export interface RunModeOptions {
  stdout: Writable;
  logger: Logger;
  clock: Clock;
  runInput: RunInput;
  watchSettings?: WatchSettings;
  /** Subscribes to SIGTERM/SIGINT; returns the unsubscribe function. */
  onTerminate: (handler: (signal: string) => void) => () => void;
  /** How long the collector may take to stop after a signal before the stream is closed anyway. */
  shutdownGraceMs: number;
  /**
   * Bytes stdout can hold unread (or the probe that finds out): checkpoints wait for this many
   * later bytes. Called once the log level applies, so its log line follows the level.
   */
  outputCapacity: () => number | Promise<number>;
}

export async function runStanza(xml: string, opts: RunModeOptions): Promise<number> {
  const { logger } = opts;
  let doc;
  try {
    doc = parseInputDocument(xml);
  } catch (err) {
    logger.log(
      'FATAL',
      `cannot read the input configuration from splunkd: ${(err as Error).message}`,
    );
    return 1;
  }
  if (doc.entries.length !== 1) {
    logger.log('FATAL', 'expected exactly one stanza on stdin (use_single_instance is false)', {
      stanzas: doc.entries.length,
    });
    return 1;
  }
  const entry = doc.entries[0] as (typeof doc.entries)[0];
  const stanza = entry.name;
  const parsed = parseInputConfig({ ...entry.params, name: stanza }, opts.clock.nowMs());
  if (!parsed.ok) {
    for (const e of parsed.errors) logger.log('ERROR', e.message, { stanza, argument: e.argument });
    logger.log('FATAL', 'invalid input arguments: fix the stanza in inputs.conf', { stanza });
    return 1;
  }

  const controller = new AbortController();
  const unsubscribe = opts.onTerminate((signal) => {
    if (controller.signal.aborted) return;
    logger.log('INFO', 'stopping on signal', { stanza, signal });
    controller.abort(new Error(`stopped by ${signal}`));
  });
  const settings = new AbortController();
  try {
    // Before the collector starts, so DEBUG (when set) covers its first requests.
    await opts.watchSettings?.(doc.session, settings.signal).started;
    const writer = new XmlEventWriter(opts.stdout, stanza, logger, {
      capacityBytes: opts.outputCapacity(),
    });
    await writer.open();
    logger.log('INFO', 'input starting', { stanza, regions: parsed.config.regions.join(',') });
    const outcome = await collectUntilStopped(
      parsed.config,
      doc.session,
      stanza,
      writer,
      controller.signal,
      opts,
    );
    try {
      await writer.close();
    } catch (err) {
      logger.log('ERROR', (err as Error).message, { stanza });
      return 1;
    }
    return outcome;
  } finally {
    settings.abort();
    unsubscribe();
  }
}

async function collectUntilStopped(
  config: InputConfig,
  session: SplunkdSession,
  stanza: string,
  sink: EventSink,
  signal: AbortSignal,
  opts: RunModeOptions,
): Promise<number> {
  const { logger } = opts;
  const run = opts
    .runInput({ config, stanza, session, sink, logger, clock: opts.clock, signal })
    .then(
      () => ({ failed: false as const }),
      (err: unknown) => ({ failed: true as const, err }),
    );
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<'grace'>((resolve) => {
    const start = (): void => {
      graceTimer = setTimeout(() => resolve('grace'), opts.shutdownGraceMs);
    };
    if (signal.aborted) start();
    else signal.addEventListener('abort', start, { once: true });
  });
  const result = await Promise.race([run, grace]);
  clearTimeout(graceTimer);
  if (result === 'grace') {
    logger.log(
      'WARN',
      'the collector did not stop in time after the signal; closing the event stream',
      {
        stanza,
        grace_ms: opts.shutdownGraceMs,
      },
    );
    return 0;
  }
  if (!result.failed) {
    logger.log('INFO', signal.aborted ? 'input stopped' : 'input finished', { stanza });
    return 0;
  }
  if (signal.aborted) {
    logger.log('INFO', 'input stopped', { stanza, detail: (result.err as Error)?.message });
    return 0;
  }
  logger.log('FATAL', `input failed: ${(result.err as Error)?.message ?? String(result.err)}`, {
    stanza,
  });
  return 1;
}
