/**
 * The modular input as a testable function: argv dispatch between `--scheme`,
 * `--validate-arguments` and run mode, with every process resource (stdin, stdout, stderr,
 * signals) and the collector passed in. main.ts wires the real ones; tests wire fakes.
 * Resolves with the process exit code once everything written to stdout was flushed.
 */

import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Clock, Logger } from '../collector/ports';
import { type RunInput, runStanza, type WatchSettings } from './runMode';
import { renderScheme } from './scheme';
import { readDocument } from './stdinXml';
import { type Probe, validateItems } from './validation';

export interface ProcessIo {
  stdin: Readable;
  stdout: Writable;
  /** Subscribes to SIGTERM/SIGINT; returns the unsubscribe function. */
  onTerminate: (handler: (signal: string) => void) => () => void;
}

export interface ModularInputDeps {
  logger: Logger;
  clock: Clock;
  /** The collector (src/collector/run.ts). */
  runInput: RunInput;
  /** Optional AWS access check for `--validate-arguments`. */
  probe?: Probe;
  /** Optional: applies the app settings (log level) in run mode while the input runs. */
  watchSettings?: WatchSettings;
  /** Default 60 s: splunkd writes stdin at once; a minute without it means something is wrong. */
  stdinTimeoutMs?: number;
  /** Default 10 s: splunkd waits a little after SIGTERM before killing; stop well before. */
  shutdownGraceMs?: number;
  /** Bytes stdout can hold unread (outputCapacity.ts); default 0, as for a file. Run mode only. */
  outputCapacity?: () => Promise<number>;
}

const USAGE =
  'usage: cloudhsm_audit [--scheme | --validate-arguments]  (run mode reads <input> XML on stdin)';

export async function runModularInput(
  argv: readonly string[],
  io: ProcessIo,
  deps: ModularInputDeps,
): Promise<number> {
  const { logger } = deps;
  let values: { scheme?: boolean; 'validate-arguments'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { scheme: { type: 'boolean' }, 'validate-arguments': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    logger.log('FATAL', `${(err as Error).message}; ${USAGE}`);
    return 2;
  }
  if (values.scheme && values['validate-arguments']) {
    logger.log('FATAL', `--scheme and --validate-arguments exclude each other; ${USAGE}`);
    return 2;
  }
  if (values.scheme) {
    await writeAll(io.stdout, renderScheme());
    return 0;
  }
  const stdinTimeoutMs = deps.stdinTimeoutMs ?? 60_000;
  if (values['validate-arguments']) {
    let xml: string;
    try {
      xml = await readDocument(io.stdin, 'items', stdinTimeoutMs);
    } catch (err) {
      xml = '';
      logger.log('ERROR', (err as Error).message);
    }
    const outcome = await validateItems(xml, deps.clock.nowMs(), deps.probe);
    if (outcome.exitCode !== 0)
      logger.log('INFO', 'input arguments refused', { reason: outcome.stdout.trim() });
    await writeAll(io.stdout, outcome.stdout);
    return outcome.exitCode;
  }
  let xml: string;
  try {
    xml = await readDocument(io.stdin, 'input', stdinTimeoutMs);
  } catch (err) {
    logger.log('FATAL', (err as Error).message);
    return 1;
  }
  return runStanza(xml, {
    stdout: io.stdout,
    logger,
    clock: deps.clock,
    runInput: deps.runInput,
    watchSettings: deps.watchSettings,
    onTerminate: io.onTerminate,
    shutdownGraceMs: deps.shutdownGraceMs ?? 10_000,
    outputCapacity: deps.outputCapacity ?? (() => 0),
  });
}

/** Writes text and resolves once the stream accepted it (never leaves output behind on exit). */
function writeAll(out: Writable, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    out.write(text, 'utf8', (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}
