/**
 * What every torture case shares: the CloudWatch Logs emulator in its own process
 * (scripts/bench/emulator), a temp folder, the built launcher started as splunkd starts it — with
 * stdout either a file or a pipe that this process drains into a file, as splunkd reads it — and
 * the identity check that ends each case (none missing, none doubled, nothing unexpected).
 *
 * `TORTURE=long` (npm run torture) selects the long form of each case; the default is the short
 * form that runs inside `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  startEmulator,
  type Emulator,
  type PutRecord,
} from '../../../scripts/bench/emulator/control';
import type { SimulatedRecord } from '../../../src/simulator';
import {
  compareIdentities,
  identityCounts,
  inputXml,
  parseStream,
  requireLauncher,
  startCollector,
  type CollectorRun,
  type InputOptions,
  type StreamEvent,
} from '../../collector/support/collectorProcess';

export const LONG = process.env.TORTURE === 'long';

export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTORTURETORTURE',
  AWS_SECRET_ACCESS_KEY: 'torture-not-a-secret',
};

/** Every collector started here: killed when the session closes, even after a failed test. */
const started: ChildProcess[] = [];

export interface PipedRun {
  child: ChildProcess;
  stdoutFile: string;
  stderrFile: string;
  /** Resolves once the process exited AND every byte it wrote to the pipe is in stdoutFile. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * The launcher with stdout a pipe read by this process, as splunkd reads it: whatever the collector
 * got into the pipe before dying is read and kept (splunkd indexes every whole event of it).
 */
export function startPiped(
  input: InputOptions,
  dir: string,
  runId: string,
  env: Record<string, string> = {},
): PipedRun {
  const stdoutFile = path.join(dir, `${runId}.stdout.xml`);
  const stderrFile = path.join(dir, `${runId}.stderr.log`);
  const err = fs.openSync(stderrFile, 'w');
  const child = spawn(requireLauncher(), [], {
    stdio: ['pipe', 'pipe', err],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...AWS_ENV, ...env },
  });
  fs.closeSync(err);
  const sink = fs.createWriteStream('', { fd: fs.openSync(stdoutFile, 'w') });
  started.push(child);
  child.stdout!.pipe(sink);
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(inputXml(input));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const flushed = new Promise<void>((resolve) => sink.on('finish', () => resolve()));
  return {
    child,
    stdoutFile,
    stderrFile,
    done: Promise.all([exited, flushed]).then(([e]) => e),
    stdout: () => fs.readFileSync(stdoutFile, 'utf8'),
    stderr: () => fs.readFileSync(stderrFile, 'utf8'),
  };
}

export interface TortureSession {
  emu: Emulator;
  dir: string;
  checkpointDir: string;
  input(params?: Record<string, string>, endpoint?: string, checkpointDir?: string): InputOptions;
  startFile(runId: string, params?: Record<string, string>, endpoint?: string): CollectorRun;
  close(): Promise<void>;
}

export async function openTorture(name: string): Promise<TortureSession> {
  requireLauncher();
  const emu = await startEmulator();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `torture-${name}-`));
  const checkpointDir = path.join(dir, 'checkpoints');
  const input = (
    params: Record<string, string> = {},
    endpoint = emu.endpoint,
    cpDir = checkpointDir,
  ): InputOptions => ({
    name,
    checkpointDir: cpDir,
    params: {
      regions: 'us-east-1',
      endpoint_url: endpoint,
      poll_interval: '1',
      max_requests_per_second: '100',
      ...params,
    },
  });
  return {
    emu,
    dir,
    checkpointDir,
    input,
    startFile: (runId, params, endpoint) => {
      const run = startCollector(input(params, endpoint), dir, runId, AWS_ENV);
      started.push(run.child);
      return run;
    },
    close: async () => {
      for (const c of started.splice(0))
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Puts simulated records into the emulator in put order, in IPC-sized chunks. */
export async function putAll(emu: Emulator, records: readonly SimulatedRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 20_000) {
    await emu.put(
      records.slice(i, i + 20_000).map((r): PutRecord => ({
        logGroupName: r.logGroupName,
        logStreamName: r.logStreamName,
        timestamp: r.timestamp,
        message: r.message,
      })),
    );
  }
}

/**
 * Identity checks shared with the collector's integration tests: a record is its (stream, text)
 * pair; counts may come from several runs' output.
 */
export interface Expected {
  logStreamName: string;
  message: string;
}
export {
  identityCounts as countIdentities,
  compareIdentities as checkIdentities,
  collectorEvents,
} from '../../collector/support/collectorProcess';

/** Whole events of a (possibly cut) stream file. */
export function eventsOf(file: string, complete = false): StreamEvent[] {
  return parseStream(fs.readFileSync(file, 'utf8'), { complete });
}

export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every one of `records` is among the complete events `stdout()` holds so far. */
export function waitForRecords(
  records: readonly Expected[],
  stdout: () => string,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return waitUntil(
    () =>
      compareIdentities(records, identityCounts(parseStream(stdout(), { complete: false })))
        .missing === 0,
    timeoutMs,
    what,
  );
}

/** Counts complete audit records in a stream file without parsing it. */
export function recordCount(file: string): number {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
  let n = 0;
  for (
    let i = text.indexOf('<sourcetype>aws:');
    i >= 0;
    i = text.indexOf('<sourcetype>aws:', i + 1)
  )
    n++;
  return n;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
