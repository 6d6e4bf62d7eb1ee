/**
 * Composition root of the modular input (webpack entry, bundled as bin/collector.js and started by
 * bin/cloudhsm_audit.sh / .cmd). Wires the real process streams, signals, clock, logger, collector
 * and AWS access probe into `runModularInput`, then exits with its code once stdout is flushed
 * (an explicit exit: open AWS SDK sockets or timers must not keep a stopped input alive).
 */

import './processWarnings';
import { runModularInput } from './app';
import { systemClock } from './clock';
import { StderrLogger } from './logger';
import { watchLogLevel } from './logLevel';
import { probeOutputCapacity } from './outputCapacity';

const logger = new StderrLogger((line) => process.stderr.write(line));

function onTerminate(handler: (signal: string) => void): () => void {
  const onTerm = (): void => handler('SIGTERM');
  const onInt = (): void => handler('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return () => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  };
}

process.on('uncaughtException', (err) => {
  logger.log('FATAL', `uncaught exception: ${err.stack ?? err.message}`);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.log(
    'FATAL',
    `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  );
  process.exit(1);
});

runModularInput(
  process.argv.slice(2),
  {
    // A getter: creating process.stdin's stream costs about 30 ms, and `--scheme` never reads it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    onTerminate,
  },
  {
    logger,
    clock: systemClock,
    // Loaded on first use (webpack keeps them in the one bundle file): `--scheme`, which splunkd
    // runs at every start-up and reload, then never evaluates the AWS SDK. Measured in
    // BENCHMARKS.md: about a third of the `--scheme` time went into evaluating these modules.
    runInput: async (ctx) => (await import('../collector/run')).runInput(ctx),
    probe: async (config, session) =>
      (await import('../collector/probe')).probeAccess(config, session, logger),
    outputCapacity: async () => (await probeOutputCapacity(logger)).bytes,
    watchSettings: (session, signal) =>
      watchLogLevel({ session, logger, clock: systemClock, signal }),
  },
).then(
  (code) => process.exit(code),
  (err: unknown) => {
    logger.log(
      'FATAL',
      `modular input failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  },
);
