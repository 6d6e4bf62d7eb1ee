/**
 * The backlog: 1,000,000 records already in CloudWatch Logs when the input starts, read as fast as
 * the collector can (max_requests_per_second 100, the input's maximum: the emulator has no quota,
 * and the default 10/s would measure the request budget). Measured from outside, as splunkd sees
 * the process: records/s from start to the last record's write (the stdout file's mtime), CPU
 * (user + sys from /proc/<pid>/stat) and peak RSS (VmHWM) at that moment.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startToFile, type Build, type Runtime } from './collectors';
import type { Emulator } from './emulator/control';
import { GrowingFileCounter, sampleProc, sleep } from './measure';

export interface BacklogRun {
  build: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  steadyRecordsPerSecond: number;
  cpuSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  cpuSecondsPerMillion: number;
  peakRssMB: number;
  emulatorCpuSeconds: number;
  /** The machine's 1-minute load average when the run started. */
  loadavg1m: number;
  verified?: string;
}

/**
 * 4 clusters x 4 HSMs generated once in the emulator (half of them hsm2m with a
 * certificate-storage stream), repeated under other names to reach `records`, every page built.
 */
export async function loadBacklog(
  emu: Emulator,
  records: number,
): Promise<{ records: number; streams: number; clusters: number; pages: number }> {
  const copies = Math.max(1, Math.round(records / 200_000));
  const perCluster = Math.round(records / copies / 4 / 1.02);
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
  return { ...loaded, pages: warm.pages };
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

/** One run on a fresh checkpoint folder; `verify` also checks every record came exactly once. */
export async function backlogRun(
  emu: Emulator,
  expected: number,
  build: Build,
  rt: Runtime,
  runId: string,
  dir: string,
  verify: boolean,
): Promise<BacklogRun> {
  const emuBefore = sampleProc(emu.pid).cpuSeconds;
  const loadavg1m = os.loadavg()[0]!;
  const collector = startToFile(
    build,
    rt,
    {
      name: 'bench',
      checkpointDir: path.join(dir, `checkpoints-${runId}`),
      params: {
        regions: 'us-east-1',
        endpoint_url: emu.endpoint,
        max_requests_per_second: '100',
      },
    },
    dir,
    runId,
  );
  const t0 = Date.now();
  const pid = collector.child.pid as number;
  const counter = new GrowingFileCounter(
    collector.stdoutFile,
    Buffer.from('<sourcetype>aws:cloudwatch:cloudhsm'),
  );
  let firstAt: number | undefined;
  let firstCount = 0;
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
    await sleep(20);
  }
  // The figures at the moment the last record landed (before the idle polls that follow).
  const sample = sampleProc(pid);
  const endAt = counter.mtimeMs();
  counter.close();
  collector.child.kill('SIGTERM');
  const { code } = await collector.exited;
  if (code !== 0)
    throw new Error(`collector exit code ${code}:\n${collector.stderr().slice(-3000)}`);
  const seconds = (endAt - t0) / 1000;
  const result: BacklogRun = {
    build: build.label,
    records: expected,
    seconds,
    recordsPerSecond: expected / seconds,
    steadyRecordsPerSecond: (expected - firstCount) / ((endAt - (firstAt as number)) / 1000),
    cpuSeconds: sample.cpuSeconds,
    userSeconds: sample.userSeconds,
    sysSeconds: sample.sysSeconds,
    cpuSecondsPerMillion: (sample.cpuSeconds / expected) * 1e6,
    peakRssMB: sample.peakRssBytes / 2 ** 20,
    emulatorCpuSeconds: sampleProc(emu.pid).cpuSeconds - emuBefore,
    loadavg1m,
  };
  if (verify) {
    const v = verifyIdentities(collector.stdoutFile);
    result.verified = `${v.total} records written, ${v.distinct} distinct`;
    if (v.total !== expected || v.distinct !== expected)
      throw new Error(
        `backlog output wrong (${build.label}): ${result.verified}, expected ${expected}`,
      );
  }
  fs.rmSync(collector.stdoutFile, { force: true });
  return result;
}
