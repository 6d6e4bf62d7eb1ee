/**
 * The KV store unavailable or slow, through the built launcher (support/hosts.ts):
 *
 * - Slow (every answer 3 s late), then down for 6 s (every request answered 503 "KV Store is
 *   initializing", as while splunkd restarts it), shorter than the lease: the input retries with
 *   backoff, writes what it cannot checkpoint only up to the bound, resumes when the KV store is
 *   back, and a `kill -9` after that loses nothing.
 * - Down for longer than the lease: the input gives the lease up and exits; started again (as
 *   splunkd does) while the KV store is still down, it waits, then resumes once it is back.
 *   Nothing is lost.
 */
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

jest.setTimeout(200_000);

const DATA = {
  seed: 'torture-kv-outage',
  clusters: 2,
  hsms: 3,
  records: 7_000,
  hsmType: 'hsm1.medium' as const,
  startTime: Date.now() - 6 * 3_600_000,
};

async function session(
  name: string,
  leaseSeconds: number,
): Promise<{ k: KvTorture; expected: Expected[] }> {
  const k = await openKvTorture(name, leaseSeconds, {
    max_requests_per_second: '4',
    health_interval: '3600',
  });
  await k.t.emu.setPageBytes(131_072);
  await k.t.emu.generate(DATA, 1);
  return { k, expected: generate(DATA).records };
}

const missingOf = (expected: Expected[], runs: HostRun[]) =>
  checkIdentities(expected, countIdentities(runs.flatMap((r) => r.events())));

describe('torture: the KV store slow or unavailable', () => {
  const sessions: KvTorture[] = [];
  afterAll(async () => {
    for (const k of sessions) await k.close();
  });

  it('slow, then down for less than the lease: writing pauses within the bound, and nothing is lost', async () => {
    const { k, expected } = await session('kv-slow-down', 20);
    sessions.push(k);
    const a = k.start('host-a');
    await waitUntil(() => recordCount(a.run.stdoutFile) > 0, 30_000, 'host-a to write');

    k.kv.delayMs = 3_000;
    const slowFrom = recordCount(a.run.stdoutFile);
    await sleep(6_000);
    const duringSlow = recordCount(a.run.stdoutFile) - slowFrom;
    k.kv.delayMs = 0;
    await sleep(2_000);

    k.kv.unavailable = true;
    const downFrom = recordCount(a.run.stdoutFile);
    await waitUntil(
      () => /^ERROR cannot save a checkpoint: writing is paused/m.test(a.run.stderr()),
      15_000,
      'the paused line',
    );
    await sleep(6_000);
    const duringOutage = recordCount(a.run.stdoutFile) - downFrom;
    k.kv.unavailable = false;
    await waitUntil(
      () => /^INFO checkpoints are saved again: writing resumes/m.test(a.run.stderr()),
      70_000,
      'writing to resume',
    );
    const grewAfter = recordCount(a.run.stdoutFile);
    await waitUntil(
      () => recordCount(a.run.stdoutFile) > grewAfter,
      20_000,
      'records after the outage',
    );
    a.run.child.kill('SIGKILL');
    await a.run.done;

    const again = k.start('host-a');
    await waitUntil(
      () => missingOf(expected, [a, again]).missing === 0,
      90_000,
      'every record after the restart',
    );
    again.run.child.kill('SIGTERM');
    expect((await again.run.done).code).toBe(0);

    const bound = uncommittedBound([a]);
    const report = missingOf(expected, [a, again]);
    process.stdout.write(
      `KV store slow (3 s per answer, 6 s): ${duringSlow} records written; down (6 s): ${duringOutage} records written ` +
        `(bound ${bound}); then kill -9 and restart: missing ${report.missing}, doubled ${report.duplicated}\n`,
    );
    expect(a.run.stderr()).toMatch(/^WARN cannot renew the input lease, will retry/m);
    expect(a.run.stderr()).not.toMatch(/input lease lost/);
    expect(duringOutage).toBeLessThanOrEqual(bound);
    expect({ missing: report.missing, unexpected: report.unexpected }).toEqual({
      missing: 0,
      unexpected: 0,
    });
    expect(writesOutsideTheLease(k.kv.writes)).toEqual([]);
  });

  it('down for longer than the lease: the input stops, waits for the KV store when started again, and loses nothing', async () => {
    const { k, expected } = await session('kv-long-down', 4);
    sessions.push(k);
    const a = k.start('host-a');
    await waitUntil(() => recordCount(a.run.stdoutFile) > 0, 30_000, 'host-a to write');
    k.kv.unavailable = true;
    const { code } = await Promise.race([
      a.run.done,
      sleep(20_000).then(() => ({ code: 'still running' })),
    ]);
    expect(code).toBe(1);
    expect(a.run.stderr()).toMatch(
      /^ERROR input lease lost: this copy stops at once .*not renewed for 3 s/m,
    );

    // splunkd starts it again while the KV store is still down: it waits, reading nothing.
    const again = k.start('host-a');
    await waitUntil(
      () =>
        /^ERROR cannot read the input lease from the KV store, will retry/m.test(
          again.run.stderr(),
        ),
      20_000,
      'the retry line',
    );
    await sleep(3_000);
    expect(recordCount(again.run.stdoutFile)).toBe(0);
    k.kv.unavailable = false;
    await waitUntil(() => again.holds(), 40_000, 'the lease once the KV store is back');
    expect(again.run.stderr()).toMatch(/how=holder_gone/);
    await waitUntil(() => missingOf(expected, [a, again]).missing === 0, 90_000, 'every record');
    again.run.child.kill('SIGTERM');
    expect((await again.run.done).code).toBe(0);
    const report = missingOf(expected, [a, again]);
    process.stdout.write(
      `KV store down past the lease: missing ${report.missing}, doubled ${report.duplicated}\n`,
    );
    expect({ missing: report.missing, unexpected: report.unexpected }).toEqual({
      missing: 0,
      unexpected: 0,
    });
    expect(writesOutsideTheLease(k.kv.writes)).toEqual([]);
  });
});
