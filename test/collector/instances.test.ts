/**
 * Two copies of one input at once (splunkd restarts that overlap, an admin starting it by hand),
 * through the built launcher on one checkpoint folder: one runs, the other waits and says so once;
 * when the first stops (SIGTERM) or dies (kill -9) the other takes over. Together they write every
 * record, none twice (a kill: at most the slice in flight), and leave every checkpoint readable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../src/checkpoint/fileStore';
import { generate, type SimulatedRecord } from '../../src/simulator';
import {
  parseStream,
  startCollector,
  type CollectorRun,
  type StreamEvent,
} from './support/collectorProcess';
import {
  AWS_ENV,
  checkIdentities,
  countIdentities,
  openTorture,
  putAll,
  sleep,
  waitUntil,
  type TortureSession,
} from '../torture/support/torture';

jest.setTimeout(150_000);

const WAITING = /^WARN another instance of this input is running: waiting for it to stop/m;
/** Records a slice holds at most (src/collector/streamPoller.ts). */
const SLICE_SIZE = 500;

describe('two instances of one input', () => {
  let t: TortureSession;
  const runs: CollectorRun[] = [];
  beforeAll(async () => {
    t = await openTorture('instances');
  });
  afterAll(async () => {
    for (const r of runs)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await t?.close();
  });
  beforeEach(async () => t.emu.reset());

  function startPair(name: string) {
    const input = {
      ...t.input({ health_interval: '3600' }, t.emu.endpoint, path.join(t.dir, `cp-${name}`)),
      name,
    };
    const pair = [0, 1].map((i) => startCollector(input, t.dir, `${name}-${i}`, AWS_ENV));
    runs.push(...pair);
    return { pair: pair as [CollectorRun, CollectorRun], checkpointDir: input.checkpointDir };
  }

  const eventsOf = (runsOf: CollectorRun[]) =>
    runsOf.flatMap((r) => parseStream(r.stdout(), { complete: false }));

  async function waitForAll(records: SimulatedRecord[], runsOf: CollectorRun[], what: string) {
    await waitUntil(
      () => checkIdentities(records, countIdentities(eventsOf(runsOf))).missing === 0,
      60_000,
      what,
    );
  }

  /** Every checkpoint file is a whole, readable checkpoint, and no temporary file is left. */
  async function checkpointsReadable(dir: string): Promise<string[]> {
    const problems: string[] = [];
    const store = new FileCheckpointStore(dir);
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.tmp')) problems.push(`temporary file left: ${name}`);
      if (!name.endsWith('.json')) continue;
      const { key } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { key: string };
      await store.load(key).catch((err: Error) => problems.push(`${name}: ${err.message}`));
    }
    return problems;
  }

  it('runs one copy at a time: 0 lost, 0 doubled, every checkpoint readable', async () => {
    const sim = generate({ seed: 'instances', clusters: 1, hsms: 3, records: 4_000 });
    const first = sim.records.slice(0, 3_000);
    const rest = sim.records.slice(3_000);
    await putAll(t.emu, first);
    const { pair, checkpointDir } = startPair('twice');
    await waitForAll(first, pair, 'the first records');
    await sleep(2_000);
    const waiting = pair.filter((r) => WAITING.test(r.stderr()));
    expect(waiting).toHaveLength(1);
    const waiter = waiting[0]!;
    const holder = pair.find((r) => r !== waiter)!;
    // The waiter read and wrote nothing, and said so once.
    expect(parseStream(waiter.stdout(), { complete: false })).toEqual([]);
    expect(waiter.stderr().match(new RegExp(WAITING.source, 'gm'))).toHaveLength(1);

    // The holder stops as splunkd stops it; the waiter takes over and reads what came since.
    holder.child.kill('SIGTERM');
    expect((await holder.exited).code).toBe(0);
    await putAll(t.emu, rest);
    await waitForAll(sim.records, pair, 'the rest, read by the second copy');
    waiter.child.kill('SIGTERM');
    expect((await waiter.exited).code).toBe(0);

    const all: StreamEvent[] = pair.flatMap((r) => parseStream(r.stdout()));
    expect(checkIdentities(sim.records, countIdentities(all))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(checkIdentities(rest, countIdentities(parseStream(waiter.stdout()))).missing).toBe(0);
    expect(await checkpointsReadable(checkpointDir)).toEqual([]);
  });

  it('takes over from a copy killed with kill -9, removing its stale lock: nothing lost', async () => {
    const sim = generate({ seed: 'instances-kill', clusters: 1, hsms: 3, records: 20_000 });
    // A backlog the holder is killed in, and records put after the kill: only a copy that took
    // over can deliver those (the holder may have written the whole backlog before it died).
    const backlog = sim.records.slice(0, 16_000);
    const afterKill = sim.records.slice(16_000);
    await putAll(t.emu, backlog);
    const { pair, checkpointDir } = startPair('killed');
    await waitUntil(
      () => pair.some((r) => WAITING.test(r.stderr())),
      30_000,
      'one copy waiting for the other',
    );
    const waiter = pair.find((r) => WAITING.test(r.stderr()))!;
    const holder = pair.find((r) => r !== waiter)!;
    await waitUntil(
      () => parseStream(holder.stdout(), { complete: false }).length > 2_000,
      30_000,
      'the holder writing',
    );
    holder.child.kill('SIGKILL');
    await holder.exited;
    await putAll(t.emu, afterKill);
    const stale = /^WARN removed a stale lock: the instance that held it is gone .*stale_pid=\d+/m;
    // Bounded waits that return rather than throw: a failure shows the counts and both logs.
    const deadline = Date.now() + 60_000;
    const allThere = () =>
      checkIdentities(sim.records, countIdentities(eventsOf(pair))).missing === 0;
    while (!(stale.test(waiter.stderr()) && allThere()) && Date.now() < deadline) await sleep(100);
    waiter.child.kill('SIGTERM');
    expect((await waiter.exited).code).toBe(0);
    // Both logs in the message, should this fail: which copy did what, and when.
    expect({
      staleLockRemoved: stale.test(waiter.stderr()),
      logs: stale.test(waiter.stderr())
        ? ''
        : `waiter:\n${waiter.stderr()}\nholder:\n${holder.stderr()}`,
    }).toEqual({ staleLockRemoved: true, logs: '' });
    const report = checkIdentities(sim.records, countIdentities(eventsOf(pair)));
    expect({ missing: report.missing, unexpected: report.unexpected }).toEqual({
      missing: 0,
      unexpected: 0,
    });
    // The records put after the kill came through the copy that took over.
    const taken = countIdentities(parseStream(waiter.stdout(), { complete: false }));
    expect(checkIdentities(afterKill, taken).missing).toBe(0);
    // stdout is a file here: a write that returned is read, so only the slice in flight can double.
    expect(report.duplicated).toBeLessThanOrEqual(SLICE_SIZE);
    expect(await checkpointsReadable(checkpointDir)).toEqual([]);
  });
});
