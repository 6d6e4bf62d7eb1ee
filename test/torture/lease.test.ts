/**
 * The input lease through the built launcher, two hosts on one KV store double (support/hosts.ts):
 *
 * - Overlapping starts: the same new input started on two hosts a few milliseconds apart, eight
 *   times. Exactly one holds the lease; the other waits, says so in one line and writes nothing;
 *   when splunkd stops the holder (SIGTERM) it releases the lease and the other takes over at once.
 * - A stalled holder (SIGSTOP, as in a long pause or a partition): the other host takes over once
 *   the lease expires; when the stalled one resumes it stops at once, with no checkpoint written
 *   after the takeover. Nothing is lost.
 */
import seedrandom from 'seedrandom';
import { generate } from '../../src/simulator';
import { writesOutsideTheLease } from '../splunkd/fakeKvStore';
import { openKvTorture, uncommittedBound, type HostRun, type KvTorture } from './support/hosts';
import {
  checkIdentities,
  countIdentities,
  recordCount,
  sleep,
  waitUntil,
  type Expected,
} from './support/torture';

const LEASE_SECONDS = 3;

jest.setTimeout(200_000);

const DATA = {
  seed: 'torture-lease',
  clusters: 2,
  hsms: 2,
  records: 4_000,
  hsmType: 'hsm1.medium' as const,
  startTime: Date.now() - 3_600_000,
};

const leaseInserts = (k: KvTorture, input: string) =>
  k.kv.writes.filter(
    (w) =>
      w.collection === 'cloudhsm_audit_leases' && w.op === 'insert' && w.docs[0]?.input === input,
  );

describe('torture: the input lease through the launcher', () => {
  let k: KvTorture;
  beforeAll(async () => {
    k = await openKvTorture('lease', LEASE_SECONDS, {
      max_requests_per_second: '5',
      health_interval: '3600',
    });
    await k.t.emu.setPageBytes(131_072);
    await k.t.emu.generate(DATA, 1);
  });
  afterAll(async () => k?.close());

  it('two copies started together on two hosts never both hold the lease, eight times', async () => {
    const random = seedrandom('torture-lease-starts');
    for (let round = 0; round < 8; round++) {
      const name = `overlap-${round}`;
      const first = k.start(round % 2 ? 'host-a' : 'host-b', { name });
      await sleep(Math.floor(random() * 150));
      const second = k.start(round % 2 ? 'host-b' : 'host-a', { name });
      const both = [first, second];
      await waitUntil(
        () => both.some((r) => r.holds()) && both.some((r) => r.waits()),
        30_000,
        `round ${round}: one to hold, one to wait`,
      );
      const holder = both.find((r) => r.holds())!;
      const waiter = both.find((r) => r !== holder)!;
      expect({ round, bothHold: waiter.holds(), inserts: leaseInserts(k, name).length }).toEqual({
        round,
        bothHold: false,
        inserts: 1,
      });
      await sleep(500);
      expect({ round, waiterWrote: recordCount(waiter.run.stdoutFile) }).toEqual({
        round,
        waiterWrote: 0,
      });

      // splunkd stops the holder: it releases, and the waiter takes over without waiting it out.
      const stoppedAt = Date.now();
      holder.run.child.kill('SIGTERM');
      expect((await holder.run.done).code).toBe(0);
      await waitUntil(
        () => waiter.holds(),
        LEASE_SECONDS * 1000,
        `round ${round}: the waiter to take the released lease`,
      );
      expect(Date.now() - stoppedAt).toBeLessThan(LEASE_SECONDS * 1000);
      expect(waiter.run.stderr()).toMatch(
        /^INFO input lease acquired: this host runs the input .*how=released/m,
      );
      expect(
        waiter.run.stderr().match(/^WARN another copy of this input holds its lease/gm),
      ).toHaveLength(1);
      waiter.run.child.kill('SIGTERM');
      expect((await waiter.run.done).code).toBe(0);
      expect(leaseInserts(k, name).map((w) => w.writer)).toEqual([holder.writer, waiter.writer]);
    }
    expect(writesOutsideTheLease(k.kv.writes)).toEqual([]);
  });

  it('a stalled holder that resumes after another host took over stops at once, writing no checkpoint', async () => {
    const name = 'stall';
    const expected: Expected[] = generate(DATA).records;
    const a = k.start('host-a', { name });
    await waitUntil(
      () => a.holds() && recordCount(a.run.stdoutFile) > 0,
      30_000,
      'host-a to write',
    );
    const b = k.start('host-b', { name });
    await waitUntil(() => b.waits(), 20_000, 'host-b to wait');

    a.run.child.kill('SIGSTOP');
    const stoppedWith = recordCount(a.run.stdoutFile);
    await waitUntil(
      () => b.holds(),
      LEASE_SECONDS * 1000 + 10_000,
      'host-b to take the expired lease',
    );
    const writesAtTakeover = k.kv.writes.length;
    await sleep(1_000);
    a.run.child.kill('SIGCONT');
    const { code } = await a.run.done;
    const afterResume = recordCount(a.run.stdoutFile) - stoppedWith;

    const runs: HostRun[] = [a, b];
    await waitUntil(
      () =>
        checkIdentities(expected, countIdentities(runs.flatMap((r) => r.events()))).missing === 0,
      60_000,
      'every record after the stall',
    );
    b.run.child.kill('SIGTERM');
    expect((await b.run.done).code).toBe(0);
    const report = checkIdentities(expected, countIdentities(runs.flatMap((r) => r.events())));
    process.stdout.write(
      `stalled holder: resumed and stopped with exit code ${code}, ${afterResume} records written after it resumed, ` +
        `missing ${report.missing}, doubled ${report.duplicated}\n`,
    );
    expect(code).not.toBe(0);
    expect(a.run.stderr()).toMatch(/^ERROR input lease lost: this copy stops at once/m);
    const byA = k.kv.writes.slice(writesAtTakeover).filter((w) => w.writer === a.writer);
    expect(byA.filter((w) => w.collection === 'cloudhsm_audit_checkpoints')).toEqual([]);
    expect(writesOutsideTheLease(k.kv.writes)).toEqual([]);
    expect(report.missing).toBe(0);
    // Only what was on its way out when it stalled can still go out.
    expect(afterResume).toBeLessThanOrEqual(uncommittedBound([a]));
  });
});
