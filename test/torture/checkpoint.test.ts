/**
 * The checkpoint folder under attack.
 *
 * Disk full: the checkpoint folder is a tiny tmpfs (mounted when running as root; the case is
 * skipped with a message otherwise) that fills up mid-run. The collector must not write events it
 * cannot checkpoint, must log ERROR, and must catch up by itself once space returns — every record
 * exactly once.
 *
 * Truncated or garbage checkpoint: a loud ERROR line and a `kind=error error_code=checkpoint_unreadable`
 * event per stream, the stream NOT re-ingested (nor read at all) while the file is broken, the
 * other streams unaffected; the documented recovery (RELIABILITY.md: move the file away) re-reads
 * that stream from the start position.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../src/checkpoint/fileStore';
import { streamCheckpointKey } from '../../src/collector/logGroupPoller';
import { generate, type SimulatedRecord } from '../../src/simulator';
import { parseStream } from '../collector/support/collectorProcess';
import {
  checkIdentities,
  collectorEvents,
  countIdentities,
  eventsOf,
  openTorture,
  putAll,
  recordCount,
  sleep,
  waitForRecords,
  waitUntil,
  type TortureSession,
} from './support/torture';

jest.setTimeout(240_000);

function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Fills a file system until ENOSPC; returns the filler's path. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler.bin');
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('torture: checkpoint folder', () => {
  let t: TortureSession;
  beforeAll(async () => {
    t = await openTorture('checkpoint');
  });
  afterAll(async () => t?.close());
  beforeEach(async () => t.emu.reset());

  it('disk full: writes nothing it cannot checkpoint, logs ERROR, recovers when space returns', async () => {
    const mountDir = path.join(t.dir, 'tiny');
    fs.mkdirSync(mountDir);
    if (!tryMount(mountDir, '512k')) {
      process.stdout.write('disk-full torture skipped: cannot mount a tmpfs (not root?)\n');
      return;
    }
    try {
      const sim = generate({
        seed: 'torture-full',
        clusters: 1,
        hsms: 3,
        records: 6_000,
        hsmType: 'hsm1.medium',
        startTime: Date.now() - 3_600_000,
        meanIntervalMs: 300,
      });
      const half = 3_000;
      await putAll(t.emu, sim.records.slice(0, half));
      const input = t.input({ health_interval: '3600' }, t.emu.endpoint, path.join(mountDir, 'cp'));
      const { startCollector } = await import('../collector/support/collectorProcess');
      const { AWS_ENV } = await import('./support/torture');
      const run = startCollector(input, t.dir, 'full', AWS_ENV);
      await waitUntil(() => recordCount(run.stdoutFile) >= half, 60_000, 'the first half');
      await sleep(1_500); // the poll that follows saves its read position
      const filler = fill(mountDir);
      await putAll(t.emu, sim.records.slice(half));
      await waitUntil(
        () => /^ERROR .*(ENOSPC|no space left)/im.test(run.stderr()),
        30_000,
        'an ERROR about the full disk',
      );
      await sleep(3_000);
      // Nothing of the second half went out while no checkpoint could be written.
      const during = parseStream(run.stdout(), { complete: false });
      const secondHalf = sim.records.slice(half);
      expect(checkIdentities(secondHalf, countIdentities(during)).missing).toBe(secondHalf.length);

      fs.rmSync(filler);
      await waitForRecords(
        sim.records,
        () => run.stdout(),
        120_000,
        'catching up after space returned',
      );
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      const events = eventsOf(run.stdoutFile, true);
      expect(checkIdentities(sim.records, countIdentities(events))).toEqual({
        missing: 0,
        duplicated: 0,
        unexpected: 0,
      });
    } finally {
      await sleep(200);
      execFileSync('umount', ['-l', mountDir]);
    }
  });

  it('truncated or garbage checkpoint: loud error, stream not re-ingested; moving the file away re-reads it', async () => {
    const start = Date.now() - 3_600_000;
    const sim = generate({
      seed: 'torture-garbage',
      clusters: 1,
      hsms: 4,
      records: 4_000,
      hsmType: 'hsm1.medium',
      startTime: start,
      meanIntervalMs: 400,
    });
    const stop = Math.floor(sim.records.length * 0.6);
    const first = sim.records.slice(0, stop);
    const later = sim.records.slice(stop);
    await putAll(t.emu, first);
    const run1 = t.startFile('garbage-1', { health_interval: '3600' });
    await waitUntil(
      () => recordCount(run1.stdoutFile) >= first.length,
      60_000,
      'the first records',
    );
    await sleep(1_500);
    run1.child.kill('SIGTERM');
    expect((await run1.exited).code).toBe(0);
    const events1 = eventsOf(run1.stdoutFile, true);
    expect(checkIdentities(first, countIdentities(events1))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    // Break two streams' checkpoints: one cut in half, one overwritten with random bytes.
    const group = sim.clusters[0]!.logGroupName;
    const streams = sim.clusters[0]!.streams.map((s) => s.logStreamName).sort();
    const [cut, garbage] = streams as [string, string];
    const store = new FileCheckpointStore(t.checkpointDir);
    const fileOf = (stream: string) =>
      store.fileFor(streamCheckpointKey('checkpoint', 'us-east-1', group, stream));
    const text = fs.readFileSync(fileOf(cut), 'utf8');
    fs.writeFileSync(fileOf(cut), text.slice(0, Math.floor(text.length / 2)));
    fs.writeFileSync(
      fileOf(garbage),
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x3c, 0x21, 0xff, 0x7b]),
    );
    await putAll(t.emu, later);

    const run2 = t.startFile('garbage-2', { health_interval: '3600' });
    const healthy = (rs: readonly SimulatedRecord[]) =>
      rs.filter((r) => r.logStreamName !== cut && r.logStreamName !== garbage);
    await waitForRecords(healthy(later), () => run2.stdout(), 60_000, 'the healthy streams');
    await sleep(2_500); // a couple more polls: the broken streams must stay untouched
    run2.child.kill('SIGTERM');
    expect((await run2.exited).code).toBe(0);
    const events2 = eventsOf(run2.stdoutFile, true);
    // Loud: an ERROR line naming the file and the recovery, and one error event per broken stream.
    const stderr2 = run2.stderr();
    for (const stream of [cut, garbage]) {
      expect(stderr2).toMatch(
        new RegExp(
          `^ERROR checkpoint unreadable, stream NOT read until it is fixed: .*stream=${stream}`,
          'm',
        ),
      );
      expect(
        collectorEvents(events2, 'error').filter(
          (e) => e.stream === stream && e.error_code === 'checkpoint_unreadable',
        ),
      ).toHaveLength(1);
    }
    // Not re-ingested: no record of the broken streams at all; the others exactly once.
    const broken = sim.records.filter(
      (r) => r.logStreamName === cut || r.logStreamName === garbage,
    );
    expect(checkIdentities(broken, countIdentities(events2)).missing).toBe(broken.length);
    expect(checkIdentities(healthy(later), countIdentities(events2))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    // Recovery as documented: move the broken files away; the streams are read from the start position.
    for (const stream of [cut, garbage]) fs.renameSync(fileOf(stream), `${fileOf(stream)}.broken`);
    const run3 = t.startFile('garbage-3', { health_interval: '3600' });
    await waitForRecords(broken, () => run3.stdout(), 60_000, 'the re-read streams');
    await sleep(1_500);
    run3.child.kill('SIGTERM');
    expect((await run3.exited).code).toBe(0);
    const events3 = eventsOf(run3.stdoutFile, true);
    expect(checkIdentities(broken, countIdentities(events3))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    // Over the three runs: healthy streams once; the broken streams' records read before the damage twice, as documented.
    const all = countIdentities([...events1, ...events2, ...events3]);
    expect(
      checkIdentities(
        healthy(sim.records),
        new Map(
          [...all].filter(
            ([k]) => !k.startsWith(`${cut}\u0000`) && !k.startsWith(`${garbage}\u0000`),
          ),
        ),
      ),
    ).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
  });
});
