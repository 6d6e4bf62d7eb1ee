/**
 * `npm run bench`: the built modular input (build/cloudhsm_audit/bin/cloudhsm_audit.sh, run as
 * splunkd runs it: <input> XML on stdin, stdout to a file) against the CloudWatch Logs emulator
 * (its own process, pages pre-serialized), measuring:
 *   1. a backlog of --records (1,000,000) over several clusters and streams: records/s end to
 *      end, CPU seconds per million records, peak RSS (VmHWM), ratio to the 50,000 events/s ceiling;
 *   2. `--scheme` cold start (median of --scheme-runs);
 *   3. latency from ingestion into the emulator to the record's appearance on stdout at the
 *      default poll interval (10 s), records appended at a modest rate (median, p95).
 * Each measurement is repeated (--runs, --latency-runs) and the median quoted. Writes the raw
 * figures to test-output/bench/results.json. Options: --records N --runs N --scheme-runs N
 * --latency-runs N --latency-seconds S --rate R --only backlog,scheme,latency,kvstore (kvstore:
 * the file and KV checkpoint stores side by side, scripts/bench/kvstore.ts; not in the default).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../../src/simulator';
import { escapeXmlText } from '../../src/modinput/xmlText';
import {
  LAUNCHER,
  REPO,
  requireLauncher,
  startCollector,
  type CollectorRun,
  type InputOptions,
} from '../../test/collector/support/collectorProcess';
import { startEmulator, type Emulator } from './emulator/control';
import { GrowingFileCounter, machine, median, percentile, sampleProc, sleep } from './measure';

const API_CEILING = 50_000;
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
};
/** The budget the bench gives the collector (the input's maximum): the emulator has no quota. */
const REQUESTS_PER_SECOND = '100';
const DEFAULT_POLL_SECONDS = 10;

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else out[a.slice(2)] = argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true';
  }
  return out;
}

const opt = args();
const RECORDS = Number(opt.records ?? 1_000_000);
const RUNS = Number(opt.runs ?? 3);
const SCHEME_RUNS = Number(opt['scheme-runs'] ?? 20);
const LATENCY_RUNS = Number(opt['latency-runs'] ?? 3);
const LATENCY_SECONDS = Number(opt['latency-seconds'] ?? 60);
const RATE = Number(opt.rate ?? 20);
const ONLY = new Set((opt.only ?? 'backlog,scheme,latency').split(','));
const OUT = path.join(REPO, 'test-output/bench');
const NODE_FLAGS = opt['node-flags'];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface BacklogRun {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  steadyRecordsPerSecond: number;
  cpuSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  cpuSecondsPerMillion: number;
  peakRssMB: number;
  verified?: string;
  emulatorCpuSeconds?: number;
}

/** Distinct (host, data) pairs and total records in a finished stream file, read as it streams. */
function verifyIdentities(file: string): { total: number; distinct: number } {
  const seen = new Set<string>();
  let total = 0;
  const fd = fs.openSync(file, 'r');
  let carry = '';
  const buf = Buffer.allocUnsafe(16 << 20);
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const text = carry + buf.toString('utf8', 0, n);
    const last = text.lastIndexOf('</event>');
    const body = last < 0 ? '' : text.slice(0, last + 8);
    carry = last < 0 ? text : text.slice(last + 8);
    for (const m of body.matchAll(
      /<host>([^<]*)<\/host><source>[^<]*<\/source><sourcetype>aws:cloudwatch:cloudhsm[^<]*<\/sourcetype>(?:<index>[^<]*<\/index>)?<data>([\s\S]*?)<\/data>/g,
    )) {
      total++;
      seen.add(`${m[1]}\u0000${createHash('sha1').update(m[2]!).digest('base64')}`);
    }
  }
  fs.closeSync(fd);
  return { total, distinct: seen.size };
}

/**
 * `--node-flags=--max-semi-space-size=2`: an experiment only — runs `node <flags> collector.js`
 * instead of the launcher (which passes no flags), same stdin and stdout.
 */
function startDirect(
  input: InputOptions,
  dir: string,
  runId: string,
  flags: string[],
): CollectorRun {
  return startCollector(input, dir, runId, AWS_ENV, {
    file: process.execPath,
    args: [...flags, path.join(path.dirname(LAUNCHER), 'collector.js')],
  });
}

async function backlogRun(
  emu: Emulator,
  expected: number,
  run: number,
  dir: string,
  verify: boolean,
): Promise<BacklogRun> {
  const checkpointDir = path.join(dir, `checkpoints-${run}`);
  const input: InputOptions = {
    name: 'bench',
    checkpointDir,
    params: {
      regions: 'us-east-1',
      endpoint_url: emu.endpoint,
      max_requests_per_second: REQUESTS_PER_SECOND,
    },
  };
  const collector = NODE_FLAGS
    ? startDirect(input, dir, `backlog-${run}`, NODE_FLAGS.split(' '))
    : startCollector(input, dir, `backlog-${run}`, AWS_ENV);
  const t0 = Date.now();
  const pid = collector.child.pid as number;
  const counter = new GrowingFileCounter(
    collector.stdoutFile,
    Buffer.from('<sourcetype>aws:cloudwatch:cloudhsm'),
  );
  let firstAt: number | undefined;
  let firstCount = 0;
  let sample = sampleProc(pid);
  for (;;) {
    const n = counter.poll();
    if (n > 0 && firstAt === undefined) {
      firstAt = Date.now();
      firstCount = n;
    }
    if (n >= expected) break;
    if (collector.child.exitCode !== null)
      throw new Error(`collector exited early:\n${collector.stderr().slice(-3000)}`);
    if (Date.now() - t0 > 600_000)
      throw new Error(`backlog not read in 10 minutes: ${n}/${expected}`);
    sample = sampleProc(pid);
    await sleep(20);
  }
  // The figures at the moment the last record landed (before the idle polls that follow).
  sample = sampleProc(pid);
  const endAt = counter.mtimeMs();
  counter.close();
  collector.child.kill('SIGTERM');
  const { code } = await collector.exited;
  if (code !== 0)
    throw new Error(`collector exit code ${code}:\n${collector.stderr().slice(-3000)}`);
  const seconds = (endAt - t0) / 1000;
  const result: BacklogRun = {
    records: expected,
    seconds,
    recordsPerSecond: expected / seconds,
    steadyRecordsPerSecond: (expected - firstCount) / ((endAt - (firstAt as number)) / 1000),
    cpuSeconds: sample.cpuSeconds,
    userSeconds: sample.userSeconds,
    sysSeconds: sample.sysSeconds,
    cpuSecondsPerMillion: (sample.cpuSeconds / expected) * 1e6,
    peakRssMB: sample.peakRssBytes / 2 ** 20,
  };
  if (verify) {
    const v = verifyIdentities(collector.stdoutFile);
    result.verified = `${v.total} records written, ${v.distinct} distinct`;
    if (v.total !== expected || v.distinct !== expected)
      throw new Error(`backlog output wrong: ${result.verified}, expected ${expected}`);
  }
  fs.rmSync(collector.stdoutFile, { force: true });
  return result;
}

function schemeRuns(): { launcherMs: number[]; nodeDirectMs: number[] } {
  const launcherMs: number[] = [];
  const nodeDirectMs: number[] = [];
  const bundle = path.join(path.dirname(LAUNCHER), 'collector.js');
  for (let i = 0; i < SCHEME_RUNS + 2; i++) {
    for (const [cmd, argv, into] of [
      [LAUNCHER, ['--scheme'], launcherMs],
      [process.execPath, [bundle, '--scheme'], nodeDirectMs],
    ] as const) {
      const t = process.hrtime.bigint();
      const r = spawnSync(cmd, argv, { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0 || !r.stdout.includes('<scheme>'))
        throw new Error(`--scheme failed: ${r.stderr}`);
      // The first two runs warm the page cache (the app was just built): not counted.
      if (i >= 2) (into as number[]).push(ms);
    }
  }
  return { launcherMs, nodeDirectMs };
}

/** Appends records at RATE/s while the collector polls every 10 s; latency ingestion → stdout. */
async function latencyRun(emu: Emulator, run: number, dir: string): Promise<number[]> {
  await emu.reset();
  const sim = generate({
    seed: `latency-${run}`,
    clusters: 2,
    hsms: 2,
    records: Math.ceil((RATE * LATENCY_SECONDS) / 2) + 10,
    hsmType: 'hsm1.medium',
    startTime: Date.now() - 60_000,
    meanIntervalMs: 100,
  });
  const byStream = new Map<string, typeof sim.records>();
  for (const r of sim.records) {
    const list = byStream.get(r.logStreamName) ?? [];
    list.push(r);
    byStream.set(r.logStreamName, list);
  }
  // Every stream exists with its first record before the collector starts.
  const initial = [...byStream.values()].map((list) => list.shift()!);
  await emu.put(initial.map((r) => ({ ...r, timestamp: Date.now() })));
  const queue = sim.records.filter((r) => !initial.includes(r));

  const collector = startCollector(
    {
      name: 'latency',
      checkpointDir: path.join(dir, `latency-checkpoints-${run}`),
      params: {
        regions: 'us-east-1',
        endpoint_url: emu.endpoint,
        max_requests_per_second: REQUESTS_PER_SECOND,
      },
    },
    dir,
    `latency-${run}`,
    AWS_ENV,
  );
  const ingested = new Map<string, number>();
  const latencies: number[] = [];
  const fd = fs.openSync(collector.stdoutFile, 'r');
  let offset = 0;
  let carry = '';
  const scan = () => {
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return;
    const buf = Buffer.allocUnsafe(size - offset);
    offset += fs.readSync(fd, buf, 0, buf.length, offset);
    const now = Date.now();
    const text = carry + buf.toString('utf8');
    const last = text.lastIndexOf('</event>');
    carry = last < 0 ? text : text.slice(last + 8);
    for (const m of text.slice(0, last + 8).matchAll(/<data>([\s\S]*?)<\/data>/g)) {
      const at = ingested.get(m[1]!);
      if (at !== undefined) {
        latencies.push(now - at);
        ingested.delete(m[1]!);
      }
    }
  };
  const waitUntil = async (check: () => boolean, ms: number, what: string) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`latency run: timed out waiting for ${what}`);
      scan();
      await sleep(10);
    }
  };
  await waitUntil(
    () =>
      fs.fstatSync(fd).size > 0 &&
      fs.readFileSync(collector.stdoutFile, 'utf8').split('<sourcetype>aws').length >
        initial.length,
    30_000,
    'the first poll',
  );
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
  const endAt = Date.now() + LATENCY_SECONDS * 1000;
  let next = Date.now();
  while (Date.now() < endAt && queue.length > 0) {
    const batch = queue.splice(0, perTick);
    const { ingestionTime } = await emu.put(batch.map((r) => ({ ...r, timestamp: Date.now() })));
    for (const r of batch) ingested.set(escapeXmlText(r.message, { replaced: 0 }), ingestionTime);
    next += tickMs;
    while (Date.now() < next) {
      scan();
      await sleep(10);
    }
  }
  await waitUntil(
    () => ingested.size === 0,
    (DEFAULT_POLL_SECONDS + 20) * 1000,
    'every appended record',
  );
  fs.closeSync(fd);
  collector.child.kill('SIGTERM');
  await collector.exited;
  return latencies;
}

async function main(): Promise<void> {
  requireLauncher();
  if (ONLY.has('kvstore')) {
    await (await import('./kvstore')).benchKvStore({ records: RECORDS, runs: RUNS });
    if (ONLY.size === 1) return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-bench-'));
  const results: Record<string, unknown> = {
    machine: machine(),
    startedAt: new Date().toISOString(),
  };
  log(`machine: ${JSON.stringify(results.machine)}`);
  log(
    `launcher: ${path.relative(REPO, LAUNCHER)}; max_requests_per_second=${REQUESTS_PER_SECOND} (the emulator has no quota)`,
  );
  const emu = await startEmulator();
  try {
    if (ONLY.has('scheme')) {
      const s = schemeRuns();
      results.scheme = s;
      log(
        `--scheme cold start, median of ${SCHEME_RUNS}: launcher ${median(s.launcherMs).toFixed(1)} ms (target <= 150), node collector.js directly ${median(s.nodeDirectMs).toFixed(1)} ms`,
      );
    }
    if (ONLY.has('backlog')) {
      // 4 clusters x 4 HSMs generated once (half of them hsm2m with a certificate-storage
      // stream), repeated under other names to reach the backlog size.
      const copies = Math.max(1, Math.round(RECORDS / 200_000));
      const perCluster = Math.round(RECORDS / copies / 4 / 1.02);
      const t = Date.now();
      const loaded = await emu.generate(
        {
          seed: 'bench',
          clusters: 4,
          hsms: 4,
          records: perCluster,
          meanIntervalMs: 200,
          hsmType: 'mixed',
          startTime: Date.now() - 6 * 3_600_000,
        },
        copies,
      );
      const warm = await emu.warm(0);
      log(
        `backlog: ${loaded.records} records, ${loaded.clusters} clusters, ${loaded.streams} streams, ${warm.pages} pages of <= 1 MB pre-serialized (${((Date.now() - t) / 1000).toFixed(0)} s to generate)`,
      );
      const runs: BacklogRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        const emuBefore = sampleProc(emu.pid).cpuSeconds;
        const res = await backlogRun(emu, loaded.records, r, dir, r === 0);
        // The emulator's CPU over the same run: it must stay far from a full core.
        res.emulatorCpuSeconds = sampleProc(emu.pid).cpuSeconds - emuBefore;
        runs.push(res);
        log(
          `  run ${r + 1}: ${res.recordsPerSecond.toFixed(0)} records/s (${res.seconds.toFixed(2)} s; steady ${res.steadyRecordsPerSecond.toFixed(0)}/s), CPU ${res.cpuSecondsPerMillion.toFixed(2)} s per million (user ${res.userSeconds.toFixed(2)} s, sys ${res.sysSeconds.toFixed(2)} s), peak RSS ${res.peakRssMB.toFixed(1)} MB, emulator CPU ${res.emulatorCpuSeconds?.toFixed(2)} s${res.verified ? `; ${res.verified}` : ''}`,
        );
      }
      results.backlog = {
        records: loaded.records,
        clusters: loaded.clusters,
        streams: loaded.streams,
        runs,
        emulator: await emu.stats(),
      };
      const rps = median(runs.map((r) => r.recordsPerSecond));
      if (NODE_FLAGS) log(`  (experiment: node ${NODE_FLAGS} collector.js, not the launcher)`);
      log(
        `backlog median of ${RUNS}: ${rps.toFixed(0)} records/s (target >= 100,000) = ${(rps / API_CEILING).toFixed(2)} x the 50,000 events/s API ceiling; ${median(runs.map((r) => r.cpuSecondsPerMillion)).toFixed(2)} CPU s per million records; peak RSS ${median(runs.map((r) => r.peakRssMB)).toFixed(1)} MB (target <= 150)`,
      );
    }
    if (ONLY.has('latency')) {
      const all: { p50: number; p95: number; max: number; n: number }[] = [];
      for (let r = 0; r < LATENCY_RUNS; r++) {
        const l = await latencyRun(emu, r, dir);
        const s = {
          p50: percentile(l, 50),
          p95: percentile(l, 95),
          max: Math.max(...l),
          n: l.length,
        };
        all.push(s);
        log(
          `  latency run ${r + 1}: ${s.n} records at ${RATE}/s over ${LATENCY_SECONDS} s, median ${(s.p50 / 1000).toFixed(2)} s, p95 ${(s.p95 / 1000).toFixed(2)} s, max ${(s.max / 1000).toFixed(2)} s`,
        );
      }
      results.latency = all;
      log(
        `latency at poll_interval=${DEFAULT_POLL_SECONDS} s, median of ${LATENCY_RUNS} runs: median ${(median(all.map((a) => a.p50)) / 1000).toFixed(2)} s, p95 ${(median(all.map((a) => a.p95)) / 1000).toFixed(2)} s (target <= ${DEFAULT_POLL_SECONDS + 2} s)`,
      );
    }
  } finally {
    await emu.stop();
    fs.writeFileSync(
      path.join(OUT, NODE_FLAGS ? 'results-node-flags.json' : 'results.json'),
      JSON.stringify(results, null, 2),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(
    `raw figures: ${path.relative(REPO, path.join(OUT, NODE_FLAGS ? 'results-node-flags.json' : 'results.json'))}`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
