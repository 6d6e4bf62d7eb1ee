/**
 * `npm run bench -- --only kvstore`: the cost of keeping checkpoints in the KV store, beside the
 * file store, measured side by side in one run on the same backlog (main.ts's: --records,
 * 1,000,000 by default, 20 log groups, 90 streams) and the same emulator.
 *
 * Each round runs the built launcher twice, once per store, in alternating order (so a drift in
 * the machine's load favours neither): `checkpoint_store = file` with a checkpoint folder of its
 * own, and `checkpoint_store = kvstore` against the KV store double (test/splunkd/fakeKvStore.ts,
 * HTTPS, in this process). Both get the same server_uri and session key, so everything else the
 * input does is the same. Measured per run: records/s end to end (process start to the last
 * record's write), CPU seconds per million records, peak RSS, and checkpoint writes per second —
 * renames for files (the input's `checkpoint_commits_total`), `batch_save` requests for the KV
 * store (counted by the double, with the records they carried) — plus the lease's requests.
 * The first run of each store also checks its output: every record once.
 * Raw figures: test-output/bench/kvstore.json. Options: --records N --runs N.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  REPO,
  requireLauncher,
  startCollector,
  type InputOptions,
} from '../../test/collector/support/collectorProcess';
import { startFakeKvSplunkd, type FakeKvSplunkd } from '../../test/splunkd/fakeKvStore';
import { loadBacklog } from './backlog';
import { startEmulator, type Emulator } from './emulator/control';
import { GrowingFileCounter, machine, median, sampleProc, sleep } from './measure';

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
};
const SESSION_KEY = 'bench-session-key-0123456789';
type Store = 'file' | 'kvstore';

interface StoreRun {
  store: Store;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  cpuSecondsPerMillion: number;
  peakRssMB: number;
  /** Renames (file) or batch_save requests (kvstore) while the backlog was read. */
  checkpointWrites: number;
  checkpointWritesPerSecond: number;
  /** KV store only: records the batch_saves carried, and the lease's requests. */
  checkpointRecords?: number;
  /** KV store only: the largest checkpoint record saved, in bytes of JSON. */
  largestCheckpointBytes?: number;
  leaseRequests?: number;
  verified?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Records written and distinct (host, data) pairs in a finished stream file, read as it streams. */
function verify(file: string): { total: number; distinct: number } {
  const seen = new Set<string>();
  let total = 0;
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  let carry = '';
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const text = carry + buf.toString('utf8', 0, n);
    const last = text.lastIndexOf('</event>');
    carry = last < 0 ? text : text.slice(last + 8);
    for (const m of text
      .slice(0, last < 0 ? 0 : last + 8)
      .matchAll(
        /<host>([^<]*)<\/host><source>[^<]*<\/source><sourcetype>aws:cloudwatch:cloudhsm[^<]*<\/sourcetype>(?:<index>[^<]*<\/index>)?<data>([\s\S]*?)<\/data>/g,
      )) {
      total++;
      seen.add(`${m[1]}\u0000${createHash('sha1').update(m[2]!).digest('base64')}`);
    }
  }
  fs.closeSync(fd);
  return { total, distinct: seen.size };
}

async function backlogRun(
  emu: Emulator,
  kv: FakeKvSplunkd,
  store: Store,
  expected: number,
  run: number,
  dir: string,
  check: boolean,
): Promise<StoreRun> {
  const input: InputOptions = {
    name: `bench-${store}-${run}`,
    checkpointDir: path.join(dir, `checkpoints-${store}-${run}`),
    serverUri: kv.uri,
    sessionKey: SESSION_KEY,
    serverHost: 'bench-host',
    params: {
      regions: 'us-east-1',
      endpoint_url: emu.endpoint,
      max_requests_per_second: '100',
      checkpoint_store: store,
    },
  };
  const requestsBefore = kv.requests.length;
  const collector = startCollector(input, dir, `${store}-${run}`, AWS_ENV);
  const t0 = Date.now();
  const pid = collector.child.pid as number;
  const counter = new GrowingFileCounter(
    collector.stdoutFile,
    Buffer.from('<sourcetype>aws:cloudwatch:cloudhsm'),
  );
  let sample = sampleProc(pid);
  for (;;) {
    if (counter.poll() >= expected) break;
    if (collector.child.exitCode !== null)
      throw new Error(`collector exited early:\n${collector.stderr().slice(-3000)}`);
    if (Date.now() - t0 > 600_000) throw new Error('backlog not read in 10 minutes');
    sample = sampleProc(pid);
    await sleep(20);
  }
  sample = sampleProc(pid);
  const endAt = counter.mtimeMs();
  counter.close();
  const during = kv.requests.slice(requestsBefore);
  collector.child.kill('SIGTERM');
  const { code } = await collector.exited;
  if (code !== 0)
    throw new Error(`collector exit code ${code}:\n${collector.stderr().slice(-3000)}`);
  const seconds = (endAt - t0) / 1000;
  const saves = during.filter((r) => r.path.endsWith('/batch_save'));
  const commits = Number(/checkpoint_commits_total=(\d+)/.exec(collector.stderr())?.[1] ?? NaN);
  const checkpointWrites = store === 'file' ? commits : saves.length;
  const result: StoreRun = {
    store,
    records: expected,
    seconds,
    recordsPerSecond: expected / seconds,
    cpuSecondsPerMillion: (sample.cpuSeconds / expected) * 1e6,
    peakRssMB: sample.peakRssBytes / 2 ** 20,
    checkpointWrites,
    checkpointWritesPerSecond: checkpointWrites / seconds,
  };
  if (store === 'kvstore') {
    const saved = kv.writes
      .filter((w) => w.op === 'batch_save' && w.docs[0]?.input === input.name)
      .flatMap((w) => w.docs);
    result.checkpointRecords = saved.length;
    result.largestCheckpointBytes = Math.max(...saved.map((d) => JSON.stringify(d).length));
    result.leaseRequests = during.filter((r) => r.path.includes('cloudhsm_audit_leases')).length;
  }
  if (check) {
    const v = verify(collector.stdoutFile);
    result.verified = `${v.total} records written, ${v.distinct} distinct`;
    if (v.total !== expected || v.distinct !== expected)
      throw new Error(`${store} backlog output wrong: ${result.verified}, expected ${expected}`);
  }
  fs.rmSync(collector.stdoutFile, { force: true });
  return result;
}

export async function benchKvStore(options: { records: number; runs: number }): Promise<void> {
  requireLauncher();
  const out = path.join(REPO, 'test-output/bench');
  fs.mkdirSync(out, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-bench-kv-'));
  const results: Record<string, unknown> = {
    machine: machine(),
    startedAt: new Date().toISOString(),
  };
  log(`machine: ${JSON.stringify(results.machine)}`);
  const emu = await startEmulator();
  const kv = await startFakeKvSplunkd({ sessionKeys: { [SESSION_KEY]: 'bench-host' } });
  try {
    // The same backlog as the main benchmark's (backlog.ts).
    const loaded = await loadBacklog(emu, options.records);
    log(
      `backlog: ${loaded.records} records, ${loaded.clusters} clusters, ${loaded.streams} streams`,
    );
    const runs: StoreRun[] = [];
    for (let r = 0; r < options.runs; r++) {
      const order: Store[] = r % 2 === 0 ? ['file', 'kvstore'] : ['kvstore', 'file'];
      for (const store of order) {
        const res = await backlogRun(emu, kv, store, loaded.records, r, dir, r === 0);
        runs.push(res);
        log(
          `  round ${r + 1} ${store.padEnd(7)}: ${res.recordsPerSecond.toFixed(0)} records/s (${res.seconds.toFixed(2)} s), ` +
            `CPU ${res.cpuSecondsPerMillion.toFixed(2)} s per million, peak RSS ${res.peakRssMB.toFixed(1)} MB, ` +
            `checkpoint writes ${res.checkpointWrites} (${res.checkpointWritesPerSecond.toFixed(1)}/s)` +
            (res.checkpointRecords !== undefined
              ? `, ${res.checkpointRecords} checkpoints in them (largest ${res.largestCheckpointBytes} bytes), lease requests ${res.leaseRequests}`
              : '') +
            (res.verified ? `; ${res.verified}` : ''),
        );
      }
    }
    results.runs = runs;
    const of = (store: Store, f: (r: StoreRun) => number) =>
      median(runs.filter((r) => r.store === store).map(f));
    const file = of('file', (r) => r.recordsPerSecond);
    const kvRate = of('kvstore', (r) => r.recordsPerSecond);
    log(
      `median of ${options.runs}: file ${file.toFixed(0)} records/s, ${of('file', (r) => r.checkpointWritesPerSecond).toFixed(1)} renames/s; ` +
        `kvstore ${kvRate.toFixed(0)} records/s, ${of('kvstore', (r) => r.checkpointWritesPerSecond).toFixed(1)} batch_save/s; ` +
        `KV store ${kvRate >= file ? `${(((kvRate - file) / file) * 100).toFixed(1)} % faster` : `${(((file - kvRate) / file) * 100).toFixed(1)} % slower`} (target: under 20 % slower); ` +
        `CPU per million: file ${of('file', (r) => r.cpuSecondsPerMillion).toFixed(2)} s, kvstore ${of('kvstore', (r) => r.cpuSecondsPerMillion).toFixed(2)} s`,
    );
  } finally {
    await kv.close();
    await emu.stop();
    fs.writeFileSync(path.join(out, 'kvstore.json'), JSON.stringify(results, null, 2));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`raw figures: ${path.relative(REPO, path.join(out, 'kvstore.json'))}`);
}
