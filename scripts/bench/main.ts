/**
 * `npm run bench`: the built modular input against the CloudWatch Logs emulator (its own process,
 * pages pre-serialized), measuring
 *   - backlog: 1,000,000 records read as fast as the input can: records/s, CPU seconds per
 *     million, peak RSS (backlog.ts);
 *   - scheme: `--scheme` cold start (scheme.ts);
 *   - steady: fleets of 60 HSM streams idle or receiving records, at the default budget: requests/s
 *     by API, events and bytes served, latency ingestion → stdout, CPU (fleet.ts, steady.ts);
 *   - latency (only when asked): the earlier 4-stream latency measurement (latency.ts);
 *   - kills (only when asked): records a kill -9 doubles, at steady state and in a backlog (kills.ts);
 *   - kvstore (only when asked): the file and KV checkpoint stores side by side (kvstore.ts).
 * With `--before <dir>` every backlog run and every fleet is run for that build too, interleaved
 * with this one, on the same Node binary: the before/after comparison BENCHMARKS.md quotes.
 * Options: options.ts. Raw figures: test-output/bench/results.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, requireLauncher } from '../../test/collector/support/collectorProcess';
import { backlogRun, loadBacklog, type BacklogRun } from './backlog';
import { currentBuild, resolveBuild, runtime, type Build, type Runtime } from './collectors';
import { startEmulator, type Emulator } from './emulator/control';
import { buildTimeline, fleetSpec } from './fleet';
import { backlogKills, steadyKills, type KillResult } from './kills';
import { latencyRun } from './latency';
import { machine, median, percentile } from './measure';
import { parseOptions, type BenchOptions } from './options';
import { backlogLine, backlogTable, killLine, steadyLine, steadyTable } from './report';
import { schemeRuns } from './scheme';
import { steadyRun, type SteadyResult } from './steady';

const OUT = path.join(REPO, 'test-output/bench');
/** Steady state: time allowed for the history to be read, and after the window for delivery. */
const CATCH_UP_ALLOWANCE_SECONDS = 240;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Context {
  opt: BenchOptions;
  rt: Runtime;
  builds: Build[];
  emu: Emulator;
  dir: string;
  results: Record<string, unknown>;
}

async function backlogSection({ opt, rt, builds, emu, dir, results }: Context): Promise<void> {
  const t = Date.now();
  const loaded = await loadBacklog(emu, opt.records);
  log(
    `backlog: ${loaded.records} records, ${loaded.clusters} clusters, ${loaded.streams} streams, ${loaded.pages} pages of <= 1 MB pre-serialized (${((Date.now() - t) / 1000).toFixed(0)} s to generate)`,
  );
  const runs: BacklogRun[] = [];
  for (let r = 0; r < opt.runs; r++) {
    // Interleaved: before, after, before, after … so drifting load hits both alike.
    for (const build of builds) {
      const res = await backlogRun(
        emu,
        loaded.records,
        build,
        rt,
        `backlog-${build.label}-${r}`,
        dir,
        r === 0,
      );
      runs.push(res);
      log(backlogLine(res, r + 1));
    }
  }
  if (opt.nodeFlags) log(`  (experiment: node ${opt.nodeFlags} collector.js)`);
  results.backlog = { ...loaded, runs, emulator: await emu.stats() };
  log(
    `\nbacklog, median of ${opt.runs} runs per build:\n${backlogTable(
      runs,
      builds.map((b) => b.label),
    )}\n`,
  );
}

async function steadySection({ opt, rt, builds, emu, dir, results }: Context): Promise<void> {
  const all: SteadyResult[] = [];
  for (const name of opt.fleets) {
    const spec = fleetSpec(name);
    const liveSeconds =
      CATCH_UP_ALLOWANCE_SECONDS +
      opt.warmupSeconds +
      opt.steadySeconds +
      CATCH_UP_ALLOWANCE_SECONDS;
    const timeline = buildTimeline(spec, liveSeconds);
    log(
      `steady ${name}: ${timeline.streams} streams, ${timeline.history.length} records of history, ${spec.ratePerStream} new records/s per stream, max_requests_per_second ${spec.budget}, window ${opt.steadySeconds} s after ${opt.warmupSeconds} s of warm-up`,
    );
    for (const build of builds) {
      const res = await steadyRun(emu, spec, timeline, build, rt, dir, {
        warmupSeconds: opt.warmupSeconds,
        windowSeconds: opt.steadySeconds,
        logDir: path.join(OUT, 'logs'),
      });
      all.push(res);
      log(steadyLine(res));
    }
  }
  results.steady = all;
  log(`\nsteady state:\n${steadyTable(all)}\n`);
}

async function latencySection({ opt, emu, dir, results }: Context): Promise<void> {
  const all: { p50: number; p95: number; max: number; n: number }[] = [];
  for (let r = 0; r < opt.latencyRuns; r++) {
    const l = await latencyRun(emu, r, dir, opt.rate, opt.latencySeconds);
    const s = { p50: percentile(l, 50), p95: percentile(l, 95), max: Math.max(...l), n: l.length };
    all.push(s);
    log(
      `  latency run ${r + 1}: ${s.n} records at ${opt.rate}/s over ${opt.latencySeconds} s, median ${(s.p50 / 1000).toFixed(2)} s, p95 ${(s.p95 / 1000).toFixed(2)} s, max ${(s.max / 1000).toFixed(2)} s`,
    );
  }
  results.latency = all;
  log(
    `latency, median of ${opt.latencyRuns} runs: median ${(median(all.map((a) => a.p50)) / 1000).toFixed(2)} s, p95 ${(median(all.map((a) => a.p95)) / 1000).toFixed(2)} s`,
  );
}

async function killsSection({ opt, rt, builds, emu, dir, results }: Context): Promise<void> {
  const all: KillResult[] = [];
  if (opt.killScenarios.has('steady')) {
    const spec = fleetSpec(opt.killFleet);
    // The first run reads the history and runs up to 60 s, every later one up to 20 s.
    const timeline = buildTimeline(spec, 60 + opt.kills * 25 + CATCH_UP_ALLOWANCE_SECONDS);
    for (const build of builds) {
      all.push(await steadyKills(emu, spec, timeline, build, rt, dir, opt.kills));
      log(killLine(all[all.length - 1]!, `fleet ${spec.name}`));
    }
  }
  if (opt.killScenarios.has('backlog')) {
    for (const build of builds) {
      all.push(await backlogKills(emu, opt.killRecords, build, rt, dir, opt.kills));
      log(killLine(all[all.length - 1]!, `${opt.killRecords} records`));
    }
  }
  results.kills = all;
}

function schemeSection({ opt, rt, results }: Context): void {
  const s = schemeRuns(opt.schemeRuns, rt);
  results.scheme = s;
  log(
    `--scheme cold start, median of ${opt.schemeRuns}: launcher ${median(s.launcherMs).toFixed(1)} ms (target <= 150), node collector.js directly ${median(s.nodeDirectMs).toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const opt = parseOptions(process.argv.slice(2));
  requireLauncher();
  const rt = runtime(opt.node, opt.nodeFlags?.split(' '));
  const builds = opt.before
    ? [resolveBuild('before', opt.before), currentBuild()]
    : [currentBuild()];
  if (opt.only.has('kvstore')) {
    await (await import('./kvstore')).benchKvStore({ records: opt.records, runs: opt.runs });
    if (opt.only.size === 1) return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-bench-'));
  const results: Record<string, unknown> = {
    machine: machine(),
    startedAt: new Date().toISOString(),
    runtime: rt,
    builds,
  };
  log(`machine: ${JSON.stringify(results.machine)}`);
  log(`runtime: ${rt.node} ${rt.version} ${rt.flags.join(' ')}`);
  for (const b of builds) log(`${b.label}: ${b.bundle}`);
  const emu = await startEmulator();
  const ctx: Context = { opt, rt, builds, emu, dir, results };
  const file = path.join(OUT, opt.nodeFlags ? 'results-node-flags.json' : 'results.json');
  try {
    if (opt.only.has('scheme')) schemeSection(ctx);
    if (opt.only.has('backlog')) await backlogSection(ctx);
    if (opt.only.has('steady')) await steadySection(ctx);
    if (opt.only.has('latency')) await latencySection(ctx);
    if (opt.only.has('kills')) await killsSection(ctx);
  } finally {
    await emu.stop();
    results.endedAt = new Date().toISOString();
    results.loadavgAtEnd = os.loadavg();
    fs.writeFileSync(file, JSON.stringify(results, null, 2));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`raw figures: ${path.relative(REPO, file)}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
