/**
 * The input lease (src/checkpoint/kvLease.ts) against the KV store double, over real HTTPS, with
 * lease times under a second so each case takes about one: a waiter waits and says so once,
 * racers for a free lease never both win, an expired lease is taken only after its lease time,
 * a holder that cannot renew stops before anyone may take over, and one that finds a higher
 * generation stops at once.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { KvRunnerLock, LEASE_COLLECTION, type LeaseRecord } from '../../src/checkpoint/kvLease';
import { leaseTiming } from '../../src/checkpoint/leaseTiming';
import type { HeldLock } from '../../src/collector/ports';
import { systemClock } from '../../src/modinput/clock';
import { KvCollection } from '../../src/splunkd/kvCollection';
import { MemoryLogger } from '../modinput/support/fakes';
import { startFakeKvSplunkd, type FakeKvSplunkd } from '../splunkd/fakeKvStore';

/** 0.8 s lease: renewed every 133 ms, given up 200 ms before it runs out. */
const TIMING = leaseTiming(0.8);
let kv: FakeKvSplunkd;
/** Session key → host: the double reads it at every request, so a key can be added or revoked. */
const keys: Record<string, string> = {};
const opened: KvCollection[] = [];
const helds: HeldLock[] = [];

beforeAll(async () => {
  kv = await startFakeKvSplunkd({ sessionKeys: keys });
});
afterAll(async () => {
  for (const h of helds) await h.release().catch(() => undefined);
  for (const c of opened) c.close();
  await kv.close();
});
beforeEach(() => {
  for (const records of kv.data.values()) records.clear();
  kv.writes.length = 0;
  kv.unavailable = false;
});

function copy(host: string, input = 'prod') {
  const sessionKey = `key-${host}-${opened.length}`;
  keys[sessionKey] = host;
  const logger = new MemoryLogger();
  const leases = new KvCollection(
    { serverHost: host, serverUri: kv.uri, sessionKey, checkpointDir: '/nonexistent' },
    logger,
    LEASE_COLLECTION,
    { retries: 0, tls: { checkHostName: false } },
  );
  opened.push(leases);
  const lock = new KvRunnerLock(
    leases,
    input,
    { serverHost: host, serverUri: kv.uri, sessionKey, checkpointDir: '' },
    logger,
    systemClock,
    TIMING,
  );
  return { lock, logger };
}

async function acquire(
  lock: KvRunnerLock,
  signal = new AbortController().signal,
): Promise<HeldLock> {
  const held = await lock.acquire(signal);
  helds.push(held);
  return held;
}

const leases = () => [...kv.data.get(LEASE_COLLECTION)!.values()] as unknown as LeaseRecord[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the first copy takes generation 1; a second waits, says so once, and takes over at once on release', async () => {
  const a = copy('host-a');
  const held = await acquire(a.lock);
  expect(leases()).toMatchObject([{ generation: 1, serverHost: 'host-a', released: false }]);
  expect(() => a.lock.guard.check()).not.toThrow();

  const b = copy('host-b');
  const stop = new AbortController();
  let bHeld: HeldLock | undefined;
  const waiting = acquire(b.lock, stop.signal).then((h) => (bHeld = h));
  await sleep(TIMING.ttlMs * 2.5);
  expect(bHeld).toBeUndefined();
  expect(() => b.lock.guard.check()).toThrow(/not held/);
  const waits = b.logger.lines.filter((l) => l.level === 'WARN');
  expect(waits.map((l) => l.message)).toEqual([
    'another copy of this input holds its lease: waiting',
  ]);
  expect(waits[0]?.fields).toMatchObject({ holder_host: 'host-a' });

  const releasedAt = Date.now();
  await held.release();
  expect(() => a.lock.guard.check()).toThrow();
  await waiting;
  expect(Date.now() - releasedAt).toBeLessThan(TIMING.ttlMs);
  expect(b.logger.lines).toContainEqual(
    expect.objectContaining({
      message: 'input lease acquired: this host runs the input',
      fields: expect.objectContaining({ how: 'released', generation: 2, previous_host: 'host-a' }),
    }),
  );
  expect(bHeld?.lost.aborted).toBe(false);
});

test('eight copies racing for a free lease, ten times: exactly one wins each generation', async () => {
  for (let round = 0; round < 10; round++) {
    const copies = Array.from({ length: 8 }, (_, i) => copy(`host-${i}`, `race-${round}`));
    const stops = copies.map(() => new AbortController());
    const winners: number[] = [];
    const racing = copies.map((c, i) =>
      acquire(c.lock, stops[i]!.signal).then(
        () => winners.push(i),
        () => undefined,
      ),
    );
    await sleep(300);
    for (const s of stops) s.abort();
    await Promise.all(racing);
    expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
    const inserts = kv.writes.filter(
      (w) => w.op === 'insert' && w.docs[0]?.input === `race-${round}`,
    );
    expect(inserts).toHaveLength(1);
    const holders = copies.filter((c) => {
      try {
        c.lock.guard.check();
        return true;
      } catch {
        return false;
      }
    });
    expect(holders).toHaveLength(1);
  }
});

test('a lease whose holder vanished is taken only after its lease time, watched unrenewed', async () => {
  const a = copy('host-a');
  const aHeld = await acquire(a.lock);
  let aLostAt = Number.POSITIVE_INFINITY;
  aHeld.lost.addEventListener('abort', () => (aLostAt = Date.now()));
  // host-a stalls: the double stops answering it (its renewals fail), while host-b can still ask.
  kv.writes.length = 0;
  const b = copy('host-b');
  const started = Date.now();
  const partitioned = Object.keys(keys).filter((k) => keys[k] === 'host-a');
  for (const k of partitioned) delete keys[k];
  const bHeld = await acquire(b.lock);
  const bHeldAt = Date.now();
  const tookMs = bHeldAt - started;
  expect(tookMs).toBeGreaterThanOrEqual(TIMING.ttlMs);
  expect(bHeld.lost.aborted).toBe(false);
  // host-a gave the lease up before host-b could take it.
  expect(aLostAt).toBeLessThan(bHeldAt);
  expect(a.logger.lines.find((l) => l.message.startsWith('input lease lost'))).toBeDefined();
  expect(() => a.lock.guard.check()).toThrow();
  expect(b.logger.lines).toContainEqual(
    expect.objectContaining({ fields: expect.objectContaining({ how: 'expired', generation: 2 }) }),
  );
});

test('a holder that cannot renew stops before its lease runs out, and its guard refuses from then on', async () => {
  const a = copy('host-a');
  const held = await acquire(a.lock);
  const t0 = Date.now();
  kv.unavailable = true;
  await new Promise<void>((resolve) => held.lost.addEventListener('abort', () => resolve()));
  const lostAfter = Date.now() - t0;
  expect(lostAfter).toBeLessThan(TIMING.ttlMs);
  expect(() => a.lock.guard.check()).toThrow(/no longer held/);
  expect(
    a.logger.lines.filter((l) => l.message === 'cannot renew the input lease, will retry'),
  ).toHaveLength(1);
});

test('a holder that finds a higher generation stops at once', async () => {
  const a = copy('host-a');
  const held = await acquire(a.lock);
  const [mine] = leases();
  kv.data.get(LEASE_COLLECTION)!.set(`${mine!._key.split('-')[0]}-2`, {
    ...mine!,
    _key: `${mine!._key.split('-')[0]}-2`,
    generation: 2,
    serverHost: 'host-z',
    token: 'other',
  });
  await new Promise<void>((resolve) => held.lost.addEventListener('abort', () => resolve()));
  expect(String(held.lost.reason)).toMatch(/taken over by host-z/);
});

test('a lease left by a process of this host that is gone is taken at once', async () => {
  const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
  const prefix = 'f'.repeat(32);
  kv.data.get(LEASE_COLLECTION)!.set(`${prefix}-4`, {
    _key: `${prefix}-4`,
    input: 'prod',
    generation: 4,
    serverHost: 'host-a',
    osHost: os.hostname(),
    pid: dead,
    token: 't',
    acquiredAtMs: Date.now(),
    renewedAtMs: Date.now(),
    renewals: 0,
    ttlMs: 600_000,
    released: false,
  });
  const a = copy('host-a');
  const started = Date.now();
  await acquire(a.lock);
  expect(Date.now() - started).toBeLessThan(TIMING.ttlMs);
  expect(a.logger.lines).toContainEqual(
    expect.objectContaining({
      fields: expect.objectContaining({ how: 'holder_gone', generation: 5 }),
    }),
  );
});
