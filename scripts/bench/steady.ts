/**
 * One steady-state run: a fleet (fleet.ts) against one build, stdout a socket pair read here.
 *
 *   1. the fleet's history is put into a fresh emulator, then the input starts (defaults, except
 *      max_requests_per_second = the fleet's budget) on a fresh checkpoint folder;
 *   2. new records are put as their time comes (every 100 ms), each call stamped with its
 *      ingestion time;
 *   3. once every history record is on stdout, and `warmupSeconds` later, the window opens: for
 *      `windowSeconds` the emulator's counters (requests by API, bytes and events served), the
 *      collector's CPU and the stdout bytes are taken at both ends;
 *   4. latency = when the harness read a record on stdout − when the emulator ingested it, for
 *      every record put during the window (waited for up to two minutes after it closes).
 * The collector's log is kept in `logDir`.
 *
 * The default window is one `full_read_interval` (300 s), so each stream's periodic full read
 * falls in it once: a shorter window shows either none or all of them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startToSocket, type Build, type Runtime } from './collectors';
import type { Emulator } from './emulator/control';
import { EventStreamReader } from './eventStream';
import { Feeder } from './feeder';
import { recordKey, type FleetSpec, type Timeline } from './fleet';
import { percentile, sampleProc, sleep } from './measure';

const CATCH_UP_LIMIT_MS = 600_000;
const DELIVERY_GRACE_MS = 120_000;

export interface SteadyResult {
  fleet: string;
  build: string;
  budget: number;
  ratePerStream: number;
  streams: number;
  historyRecords: number;
  catchUpSeconds: number;
  windowSeconds: number;
  loadavg1m: { start: number; end: number };
  requests: Record<string, number>;
  requestsPerSecond: Record<string, number>;
  requestsPerSecondTotal: number;
  newRecords: number;
  eventsServed: number;
  /** Of which served before (re-read). */
  eventsServedAgain: number;
  eventsServedPerSecond: number;
  /** Events served per new record; null for the idle fleet. */
  eventsServedPerNewRecord: number | null;
  bytesServedPerSecond: number;
  bytesPerSecondByOperation: Record<string, number>;
  latency: { records: number; p50Ms: number; p95Ms: number; maxMs: number; undelivered: number };
  cpuPercentOfCore: number;
  rssMB: number;
  peakRssMB: number;
  stdoutBytesPerSecond: number;
  /** Of which inside events; the rest is newlines written to push the buffer through. */
  eventBytesPerSecond: number;
  /** Records written more than once over the whole run (should be 0). */
  doubled: number;
  /** Records that are not in the fleet (should be 0). */
  unexpected: number;
  /** Collector log lines by level, whole run; and the first WARN/ERROR lines. */
  logLevels: Record<string, number>;
  firstWarnings: string[];
}

function perSecond(
  a: Record<string, number>,
  b: Record<string, number>,
  s: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) out[k] = ((b[k] ?? 0) - (a[k] ?? 0)) / s;
  return out;
}

function logSummary(stderr: string): { levels: Record<string, number>; warnings: string[] } {
  const levels: Record<string, number> = {};
  const warnings: string[] = [];
  for (const line of stderr.split('\n')) {
    const level = /^(DEBUG|INFO|WARN|ERROR|FATAL)\b/.exec(line)?.[1];
    if (!level) continue;
    levels[level] = (levels[level] ?? 0) + 1;
    if (level !== 'INFO' && level !== 'DEBUG' && warnings.length < 5)
      warnings.push(line.slice(0, 300));
  }
  return { levels, warnings };
}

async function until(check: () => boolean, ms: number, what: string, alive: () => void) {
  const end = Date.now() + ms;
  while (!check()) {
    alive();
    if (Date.now() > end) throw new Error(`steady state: timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function steadyRun(
  emu: Emulator,
  spec: FleetSpec,
  timeline: Timeline,
  build: Build,
  rt: Runtime,
  dir: string,
  opts: { warmupSeconds: number; windowSeconds: number; logDir: string },
): Promise<SteadyResult> {
  const runId = `steady-${spec.name}-${build.label}`;
  const feeder = await Feeder.withHistory(emu, timeline);
  const { history, live } = timeline;
  const historyKeys = new Set(history.map((r) => recordKey(r.logStreamName, r.seq)));
  const liveKeys = new Set(live.map((r) => recordKey(r.logStreamName, r.seq)));

  const seenAt = new Map<string, number>();
  let historySeen = 0;
  let doubled = 0;
  let unexpected = 0;
  const reader = new EventStreamReader((stream, seq) => {
    const key = recordKey(stream, seq);
    if (seenAt.has(key)) doubled++;
    else {
      seenAt.set(key, Date.now());
      if (historyKeys.has(key)) historySeen++;
      else if (!liveKeys.has(key)) unexpected++;
    }
  });
  const run = startToSocket(
    build,
    rt,
    {
      name: 'steady',
      checkpointDir: path.join(dir, `${runId}-checkpoints`),
      params: {
        regions: 'us-east-1',
        endpoint_url: emu.endpoint,
        max_requests_per_second: String(spec.budget),
      },
    },
    dir,
    runId,
    (chunk) => reader.take(chunk),
  );
  const pid = run.child.pid as number;
  const alive = () => {
    feeder.check();
    if (run.child.exitCode !== null)
      throw new Error(`${build.label} collector exited early:\n${run.stderr().slice(-3000)}`);
  };

  // What the window's figures are differences of, taken at its start and its end.
  const sampleWindow = async () => ({
    emulator: await emu.stats(),
    proc: sampleProc(pid),
    stdoutBytes: reader.bytes,
    eventBytes: reader.eventBytes,
    put: feeder.put,
    at: Date.now(),
  });

  feeder.start();
  try {
    await until(() => historySeen === history.length, CATCH_UP_LIMIT_MS, 'the history', alive);
    const catchUpSeconds = (Date.now() - feeder.t0) / 1000;
    await sleep(opts.warmupSeconds * 1000);

    const load0 = os.loadavg()[0]!;
    const w0 = await sampleWindow();
    await sleep(opts.windowSeconds * 1000);
    alive();
    const w1 = await sampleWindow();
    const load1 = os.loadavg()[0]!;
    const seconds = (w1.at - w0.at) / 1000;

    // Latency of the records put during the window.
    const windowKeys = live.slice(w0.put, w1.put).map((r) => recordKey(r.logStreamName, r.seq));
    const graceEnd = Date.now() + DELIVERY_GRACE_MS;
    while (Date.now() < graceEnd && windowKeys.some((k) => !seenAt.has(k))) {
      alive();
      await sleep(200);
    }
    const latencies: number[] = [];
    let undelivered = 0;
    for (const k of windowKeys) {
      const seen = seenAt.get(k);
      const ingested = feeder.ingestedAt.get(k);
      if (seen === undefined || ingested === undefined) undelivered++;
      else latencies.push(seen - ingested);
    }
    {
      const requests = perSecond(w0.emulator.requests, w1.emulator.requests, 1);
      const rps = perSecond(w0.emulator.requests, w1.emulator.requests, seconds);
      const newRecords = w1.put - w0.put;
      const eventsServed = w1.emulator.eventsServed - w0.emulator.eventsServed;
      const { levels, warnings } = logSummary(run.stderr());
      return {
        fleet: spec.name,
        build: build.label,
        budget: spec.budget,
        ratePerStream: spec.ratePerStream,
        streams: timeline.streams,
        historyRecords: history.length,
        catchUpSeconds,
        windowSeconds: seconds,
        loadavg1m: { start: load0, end: load1 },
        requests,
        requestsPerSecond: rps,
        requestsPerSecondTotal: Object.values(rps).reduce((a, b) => a + b, 0),
        newRecords,
        eventsServed,
        eventsServedAgain: w1.emulator.eventsServedAgain - w0.emulator.eventsServedAgain,
        eventsServedPerSecond: eventsServed / seconds,
        eventsServedPerNewRecord: newRecords > 0 ? eventsServed / newRecords : null,
        bytesServedPerSecond: (w1.emulator.bytesServed - w0.emulator.bytesServed) / seconds,
        bytesPerSecondByOperation: perSecond(
          w0.emulator.bytesByOperation,
          w1.emulator.bytesByOperation,
          seconds,
        ),
        latency: {
          records: latencies.length,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          maxMs: latencies.length ? Math.max(...latencies) : NaN,
          undelivered,
        },
        cpuPercentOfCore: ((w1.proc.cpuSeconds - w0.proc.cpuSeconds) / seconds) * 100,
        rssMB: w1.proc.rssBytes / 2 ** 20,
        peakRssMB: w1.proc.peakRssBytes / 2 ** 20,
        stdoutBytesPerSecond: (w1.stdoutBytes - w0.stdoutBytes) / seconds,
        eventBytesPerSecond: (w1.eventBytes - w0.eventBytes) / seconds,
        doubled,
        unexpected,
        logLevels: levels,
        firstWarnings: warnings,
      };
    }
  } finally {
    await feeder.stop();
    if (run.child.exitCode === null) run.child.kill('SIGTERM');
    const stop = setTimeout(() => run.child.kill('SIGKILL'), 30_000);
    await run.exited;
    clearTimeout(stop);
    fs.mkdirSync(opts.logDir, { recursive: true });
    fs.copyFileSync(run.stderrFile, path.join(opts.logDir, `${runId}.stderr.log`));
  }
}
