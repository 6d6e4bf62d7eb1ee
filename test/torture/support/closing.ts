/**
 * A reader that goes away: the built launcher's stdout is a real FIFO or a socketpair (what
 * `spawn` gives), read by this process as a busy splunkd reads it, then closed at a random point — after
 * a random number of bytes, or after a random time, which may fall while the input is idle; half
 * the time it first stops reading for 50–500 ms, as a splunkd that is shutting down may. The
 * kernel drops whatever the pipe still held; the complete events the reader took before the close
 * count as delivered, as splunkd indexes them.
 *
 * `closeRepeatedly` runs that many times on one checkpoint folder while records keep arriving
 * (identical certificate-storage twins among them), then lets a last run with a patient reader
 * catch up, and reports what is missing, doubled and unexpected over all runs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { PutRecord } from '../../../scripts/bench/emulator/control';
import { inputXml, parseStream, requireLauncher } from '../../collector/support/collectorProcess';
import {
  AWS_ENV,
  checkIdentities,
  countIdentities,
  sleep,
  startPiped,
  type Expected,
  type TortureSession,
} from './torture';

export type Transport = 'fifo' | 'socketpair';

interface ClosingRun {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  received(): Buffer;
  /**
   * Closes the read end, after not reading for `stopReadingMs` (0: at once); returns the bytes the
   * reader had taken but not yet handled.
   */
  closeReader(stopReadingMs: number): Promise<number>;
}

function startClosing(
  transport: Transport,
  t: TortureSession,
  params: Record<string, string>,
  runId: string,
  random: () => number,
): ClosingRun {
  const stderrFile = path.join(t.dir, `${runId}.stderr.log`);
  const errFd = fs.openSync(stderrFile, 'w');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...AWS_ENV };
  let child: ChildProcess;
  let reader: net.Socket;
  if (transport === 'fifo') {
    const fifo = path.join(t.dir, `${runId}.fifo`);
    execFileSync('mkfifo', [fifo]);
    // Open the read end first (non-blocking), so opening the write end does not wait.
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    child = spawn(requireLauncher(), [], { stdio: ['pipe', writeFd, errFd], env });
    fs.closeSync(writeFd);
    reader = new net.Socket({ fd: readFd, readable: true, writable: false });
  } else {
    child = spawn(requireLauncher(), [], { stdio: ['pipe', 'pipe', errFd], env });
    reader = child.stdout as net.Socket;
  }
  fs.closeSync(errFd);
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(inputXml(t.input(params)));
  // A busy reader, as splunkd is while it parses and indexes: it stops reading for a few
  // milliseconds now and then, so the pipe is often full when it goes away.
  const chunks: Buffer[] = [];
  let stopped = false;
  reader.on('data', (c: Buffer) => {
    chunks.push(c);
    if (!stopped && random() < 0.5) {
      reader.pause();
      setTimeout(() => stopped || reader.resume(), 1 + Math.floor(random() * 30));
    }
  });
  reader.on('error', () => undefined);
  return {
    child,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    stderr: () => fs.readFileSync(stderrFile, 'utf8'),
    received: () => Buffer.concat(chunks),
    closeReader: async (stopReadingMs: number) => {
      // A splunkd that is stopping may stop reading a while before it closes: paused, Node reads
      // on only until its own buffer is full and leaves the rest in the kernel, which the close
      // then drops — the pipe is full of whatever the input wrote meanwhile.
      if (stopReadingMs > 0) {
        stopped = true;
        reader.pause();
        await sleep(stopReadingMs);
      }
      // What the reader took from the kernel is the reader's, as what splunkd has read is
      // splunkd's: Node may hold up to one read chunk beyond its high-water mark while paused.
      // Those bytes count as delivered (read() emits them to the 'data' handler above); only what
      // the kernel still held is dropped by the close.
      const heldByReader = reader.readableLength;
      while (reader.read() !== null);
      reader.destroy();
      return heldByReader;
    },
  };
}

export interface CloseReport {
  closes: number;
  closedAfterBytes: number;
  closedAfterTime: number;
  /** Closes that came after the reader had stopped reading for a while. */
  closedAfterStop: number;
  records: number;
  missing: number;
  doubled: number;
  unexpected: number;
  /** Records each close doubled (written by that run, written again later), largest first. */
  doubledPerClose: number[];
  /** What the input said stdout could hold unread, in bytes. */
  capacityBytes: number;
  /** The smallest event the input wrote, in bytes: the bound in records is capacity / this. */
  smallestEventBytes: number;
  /** The most bytes the reader had taken from the kernel but not handled when it closed. */
  maxHeldByReaderBytes: number;
  /** Runs that did not exit by themselves within the wait (each a failure). */
  notExited: string[];
  /** A few of the missing records (stream and first two lines), to explain a failure. */
  missingSample: string[];
  /** Runs whose stderr shows a crash instead of an orderly stop (each a failure). */
  crashed: string[];
}

const CAPACITY_LINE = /stdout capacity: .* capacity_bytes=(\d+)/;

/**
 * Runs the input `closes` times against a reader closed at a random point, with `arrivals` put
 * while it runs; then a last patient run; returns the report (callers assert on it).
 */
export async function closeRepeatedly(options: {
  transport: Transport;
  t: TortureSession;
  closes: number;
  random: () => number;
  expected: Expected[];
  /** Records put while the runs go on, a batch every 300 ms (added to `expected` as they go). */
  arrivals: PutRecord[][];
  params: Record<string, string>;
  catchUpMs: number;
}): Promise<CloseReport> {
  const { transport, t, random, expected, params } = options;
  const arrivals = [...options.arrivals];
  let putting = true;
  const putter = (async () => {
    while (putting && arrivals.length > 0) {
      const batch = arrivals.shift()!;
      await t.emu.put(batch);
      for (const r of batch)
        expected.push({ logStreamName: r.logStreamName, message: r.message ?? '' });
      await sleep(300);
    }
  })();

  const lastWriter = new Map<string, number>();
  const doubledBy = new Array<number>(options.closes).fill(0);
  let capacityBytes = 0;
  let smallestEventBytes = Number.POSITIVE_INFINITY;
  const all: ReturnType<typeof parseStream> = [];
  const take = (text: string, run: number) => {
    const events = parseStream(text, { complete: false });
    for (const m of text.matchAll(/<event [\s\S]*?<\/event>/g))
      smallestEventBytes = Math.min(smallestEventBytes, Buffer.byteLength(m[0]));
    for (const e of events) {
      if (e.sourcetype === 'cloudhsm:audit:collector') continue;
      const key = `${e.host}\u0000${e.data}`;
      const last = lastWriter.get(key);
      if (last !== undefined && last < options.closes) doubledBy[last] = (doubledBy[last] ?? 0) + 1;
      lastWriter.set(key, run);
    }
    all.push(...events);
  };

  let maxHeldByReaderBytes = 0;
  let closedAfterStop = 0;
  let byBytes = 0;
  let byTime = 0;
  const notExited: string[] = [];
  const crashed: string[] = [];
  for (let i = 0; i < options.closes; i++) {
    const run = startClosing(transport, t, params, `close-${transport}-${i}`, random);
    if (random() < 0.5) {
      byBytes++;
      const limit = Math.floor(random() * 900_000);
      const deadline = Date.now() + 2_500;
      while (run.received().length < limit && Date.now() < deadline) await sleep(5);
    } else {
      byTime++;
      await sleep(100 + Math.floor(random() * 2_400));
    }
    // Half the closes come after the reader stopped reading for 50–500 ms, so the pipe is full.
    const stopReadingMs = random() < 0.5 ? 50 + Math.floor(random() * 450) : 0;
    if (stopReadingMs > 0) closedAfterStop++;
    maxHeldByReaderBytes = Math.max(maxHeldByReaderBytes, await run.closeReader(stopReadingMs));
    // Records keep arriving, so the input writes within a poll or two and meets the closed pipe.
    const exit = await Promise.race([run.exited, sleep(10_000).then(() => undefined)]);
    if (exit === undefined) {
      notExited.push(`close-${transport}-${i}`);
      run.child.kill('SIGKILL');
      await run.exited;
    }
    // An orderly stop says why; an unhandled rejection (EPIPE while discovery slept) is a crash.
    if (/unhandled rejection|uncaught exception/.test(run.stderr()))
      crashed.push(`close-${transport}-${i}`);
    const m = CAPACITY_LINE.exec(run.stderr());
    if (m) capacityBytes = Number(m[1]);
    take(run.received().toString('utf8'), i);
  }
  putting = false;
  await putter;

  // The last run, read to the end by a patient reader; it stops once nothing is missing.
  const last = startPiped(t.input(params), t.dir, `close-${transport}-final`);
  const deadline = Date.now() + options.catchUpMs;
  const missingNow = () =>
    checkIdentities(
      expected,
      countIdentities([...all, ...parseStream(last.stdout(), { complete: false })]),
    ).missing;
  while (missingNow() > 0 && Date.now() < deadline) await sleep(500);
  last.child.kill('SIGTERM');
  await last.done;
  take(last.stdout(), options.closes);

  const counts = countIdentities(all);
  const report = checkIdentities(expected, counts);
  const want = countIdentities(
    expected.map((r) => ({ stanza: '', host: r.logStreamName, data: r.message })),
  );
  const missingSample: string[] = [];
  for (const [key, n] of want)
    if ((counts.get(key) ?? 0) < n && missingSample.length < 5)
      missingSample.push(key.replace('\u0000', ' ').split('\n').slice(0, 2).join(' | '));
  return {
    missingSample,
    crashed,
    closes: options.closes,
    closedAfterBytes: byBytes,
    closedAfterTime: byTime,
    closedAfterStop,
    records: expected.length,
    missing: report.missing,
    doubled: report.duplicated,
    unexpected: report.unexpected,
    doubledPerClose: doubledBy.filter((n) => n > 0).sort((a, b) => b - a),
    capacityBytes,
    smallestEventBytes,
    maxHeldByReaderBytes,
    notExited,
  };
}
