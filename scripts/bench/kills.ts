/**
 * `--only kills`: how many records a `kill -9` makes the input write twice, with stdout a socket
 * pair read as splunkd reads it (everything the collector got into the socket before dying is
 * read). Each run is killed at a random moment and restarted at once on the same checkpoint
 * folder; a record read again is charged to the kill of the run that wrote it before. The union
 * of all runs must hold every record (missing is reported, and should be 0).
 *
 * - steady: a fleet (default 2 records/s per stream, budget 10) caught up, then killed 3–20 s into
 *   each run, i.e. anywhere in or between polls;
 * - backlog: 1 MB pages at 100 requests/s, killed 0.5–2.5 s into each run, while it reads
 *   (kills after the backlog was read hit a caught-up input: `killsMidBacklog` counts the others).
 *
 * The new delivery commits a slice once a stdout capacity of later bytes was accepted after it
 * (and pushes the buffer through a second after writes), so what a kill doubles is bounded by the
 * capacity plus the slice in progress; the old build committed as soon as the socket took a slice.
 */
import * as path from 'node:path';
import seedrandom from 'seedrandom';
import { generate } from '../../src/simulator';
import { startToSocket, type Build, type Runtime } from './collectors';
import type { Emulator } from './emulator/control';
import { EventStreamReader } from './eventStream';
import { Feeder } from './feeder';
import { recordKey, type FleetSpec, type Timeline } from './fleet';
import { sleep } from './measure';

export interface KillResult {
  scenario: 'steady' | 'backlog';
  build: string;
  kills: number;
  /** Backlog: kills that hit a run still reading it (the others hit a caught-up input). */
  killsMidBacklog?: number;
  /** Kills after which the next run wrote at least one record again. */
  killsWithDoubles: number;
  doubled: number;
  maxPerKill: number;
  perKill: number[];
  records: number;
  missing: number;
  unexpected: number;
}

/** Record identities across runs: which run last wrote each, and the doubles per kill. */
class Ledger {
  readonly lastRun = new Map<string, number>();
  readonly perKill: number[];
  unexpected = 0;

  constructor(
    readonly kills: number,
    private readonly expected: Set<string>,
  ) {
    this.perKill = new Array<number>(kills).fill(0);
  }

  reader(run: number): EventStreamReader {
    return new EventStreamReader((stream, seq) => {
      const key = recordKey(stream, seq);
      if (!this.expected.has(key)) this.unexpected++;
      const last = this.lastRun.get(key);
      if (last !== undefined && last < this.kills) this.perKill[last]!++;
      this.lastRun.set(key, run);
    });
  }

  result(scenario: KillResult['scenario'], build: string, missing: number): KillResult {
    const doubled = this.perKill.reduce((a, b) => a + b, 0);
    return {
      scenario,
      build,
      kills: this.kills,
      killsWithDoubles: this.perKill.filter((n) => n > 0).length,
      doubled,
      maxPerKill: Math.max(0, ...this.perKill),
      perKill: this.perKill,
      records: this.expected.size,
      missing,
      unexpected: this.unexpected,
    };
  }
}

interface KillPlan {
  emu: Emulator;
  build: Build;
  rt: Runtime;
  dir: string;
  budget: number;
  kills: number;
  /** Milliseconds to wait in run `i` before the kill. */
  killAfter: (i: number) => number;
  /** Called after the last kill, before the final run starts. */
  settle?: () => Promise<void>;
  /** True once the final run has written everything expected. */
  everything: (ledger: Ledger) => boolean;
}

/** Kills each run, restarts, lets the last run finish; returns how many kills came before `everything`. */
async function killAndRestart(plan: KillPlan, ledger: Ledger, runId: string): Promise<number> {
  const checkpointDir = path.join(plan.dir, `${runId}-checkpoints`);
  const start = (i: number) => {
    const reader = ledger.reader(i);
    return startToSocket(
      plan.build,
      plan.rt,
      {
        name: 'kills',
        checkpointDir,
        params: {
          regions: 'us-east-1',
          endpoint_url: plan.emu.endpoint,
          max_requests_per_second: String(plan.budget),
        },
      },
      plan.dir,
      `${runId}-${i}`,
      (chunk) => reader.take(chunk),
    );
  };
  let early = 0;
  for (let i = 0; i < plan.kills; i++) {
    const run = start(i);
    await sleep(plan.killAfter(i));
    if (!plan.everything(ledger)) early++;
    run.child.kill('SIGKILL');
    await Promise.all([run.exited, run.drained]);
  }
  await plan.settle?.();
  const last = start(plan.kills);
  const deadline = Date.now() + 300_000;
  while (!plan.everything(ledger) && Date.now() < deadline) await sleep(200);
  last.child.kill('SIGTERM');
  await Promise.all([last.exited, last.drained]);
  return early;
}

export async function steadyKills(
  emu: Emulator,
  spec: FleetSpec,
  timeline: Timeline,
  build: Build,
  rt: Runtime,
  dir: string,
  kills: number,
): Promise<KillResult> {
  const random = seedrandom(`kills-steady-${build.label}`);
  const feeder = await Feeder.withHistory(emu, timeline);
  const history = timeline.history.map((r) => recordKey(r.logStreamName, r.seq));
  const live = timeline.live.map((r) => recordKey(r.logStreamName, r.seq));
  const ledger = new Ledger(kills, new Set([...history, ...live]));
  feeder.start();
  let putAtStop = 0;
  try {
    await killAndRestart(
      {
        emu,
        build,
        rt,
        dir,
        budget: spec.budget,
        kills,
        // The first run reads the history first (about 10–30 s), then is killed like the others.
        killAfter: (i) => (i === 0 ? 40_000 : 0) + 3_000 + Math.floor(random() * 17_000),
        settle: async () => {
          await feeder.stop();
          putAtStop = feeder.put;
        },
        everything: (l) =>
          history.every((k) => l.lastRun.has(k)) &&
          live.slice(0, putAtStop).every((k) => l.lastRun.has(k)),
      },
      ledger,
      `kills-steady-${build.label}`,
    );
  } finally {
    await feeder.stop();
  }
  const expected = [...history, ...live.slice(0, putAtStop)];
  const missing = expected.filter((k) => !ledger.lastRun.has(k)).length;
  const result = ledger.result('steady', build.label, missing);
  result.records = expected.length;
  return result;
}

export async function backlogKills(
  emu: Emulator,
  records: number,
  build: Build,
  rt: Runtime,
  dir: string,
  kills: number,
): Promise<KillResult> {
  const random = seedrandom(`kills-backlog-${build.label}`);
  await emu.reset();
  const copies = Math.max(1, Math.round(records / 200_000));
  const options = {
    seed: 'kills',
    clusters: 4,
    hsms: 4,
    records: Math.round(records / copies / 4),
    meanIntervalMs: 200,
    // Audit records only: every record has a sequence number, its identity here.
    hsmType: 'hsm1.medium' as const,
    startTime: Date.now() - 6 * 3_600_000,
  };
  const loaded = await emu.generate(options, copies);
  await emu.warm(0);
  const expected = new Set<string>();
  for (const r of generate(options).records)
    for (let k = 0; k < copies; k++)
      expected.add(recordKey(`${r.logStreamName}${k === 0 ? '' : `c${k}`}`, r.seq as number));
  if (expected.size !== loaded.records)
    throw new Error(`kills: ${expected.size} identities for ${loaded.records} records`);
  const ledger = new Ledger(kills, expected);
  const midBacklog = await killAndRestart(
    {
      emu,
      build,
      rt,
      dir,
      budget: 100,
      kills,
      killAfter: () => 500 + Math.floor(random() * 2_000),
      everything: (l) => l.lastRun.size >= expected.size,
    },
    ledger,
    `kills-backlog-${build.label}`,
  );
  const missing = [...expected].filter((k) => !ledger.lastRun.has(k)).length;
  return { ...ledger.result('backlog', build.label, missing), killsMidBacklog: midBacklog };
}
