/**
 * The KV store checkpoint store against the KV store double (test/splunkd/fakeKvStore.ts), over
 * real HTTPS: what a record looks like, that commits of many streams go out as one batch_save,
 * that a broken record is a loud CheckpointError, failures and the lease guard.
 */
import {
  KvCheckpointStore,
  CHECKPOINT_COLLECTION,
  type LeaseGuard,
} from '../../src/checkpoint/kvStore';
import { CheckpointError } from '../../src/collector/errors';
import { KvCollection } from '../../src/splunkd/kvCollection';
import { MemoryLogger } from '../modinput/support/fakes';
import { startFakeKvSplunkd, type FakeKvSplunkd } from '../splunkd/fakeKvStore';

let kv: FakeKvSplunkd;
const collections: KvCollection[] = [];
const held: LeaseGuard = { check: () => undefined };

beforeAll(async () => {
  kv = await startFakeKvSplunkd({ sessionKeys: { 'key-a': 'host-a' } });
});
afterAll(async () => {
  for (const c of collections) c.close();
  await kv.close();
});
beforeEach(() => {
  for (const records of kv.data.values()) records.clear();
  kv.writes.length = 0;
  kv.requests.length = 0;
  kv.unavailable = false;
  kv.failNext = [];
});

function collection(sessionKey = 'key-a'): KvCollection {
  const c = new KvCollection(
    { serverHost: 'host-a', serverUri: kv.uri, sessionKey, checkpointDir: '/nonexistent' },
    new MemoryLogger(),
    CHECKPOINT_COLLECTION,
    { retries: 0, tls: { checkHostName: false } },
  );
  collections.push(c);
  return c;
}

async function openStore(guard = held): Promise<KvCheckpointStore> {
  const store = new KvCheckpointStore(collection(), 'prod', guard);
  await store.preload();
  return store;
}

const batchSaves = () => kv.requests.filter((r) => r.path.endsWith('/batch_save')).length;
const KEY = 'stream|prod|us-east-1|/aws/cloudhsm/cluster-abcdefghijk|hsm-1';

test('a checkpoint is a record keyed by a hash, holding the envelope and the state as JSON', async () => {
  const store = await openStore();
  expect(await store.load(KEY)).toBeUndefined();
  await (await store.prepare(KEY, { n: 1, ranges: [[0, 9]] }, 1234)).commit();
  expect(await store.load(KEY)).toEqual({ n: 1, ranges: [[0, 9]] });

  const records = [...(kv.data.get(CHECKPOINT_COLLECTION)?.values() ?? [])];
  expect(records).toHaveLength(1);
  const record = records[0]!;
  expect(record._key).toMatch(/^[0-9a-f]{32}$/);
  expect(record).toMatchObject({
    input: 'prod',
    format: 'cloudhsm_audit.checkpoint',
    version: 1,
    key: KEY,
    savedAtMs: 1234,
    state: '{"n":1,"ranges":[[0,9]]}',
  });
  // A second process holding the lease later reads it back from the KV store.
  expect(await (await openStore()).load(KEY)).toEqual({ n: 1, ranges: [[0, 9]] });
});

test('nothing is visible before commit, nothing after abort', async () => {
  const store = await openStore();
  const prepared = await store.prepare(KEY, { n: 1 }, 1);
  expect(kv.writes).toHaveLength(0);
  await prepared.abort();
  await prepared.commit();
  expect(kv.writes).toHaveLength(0);
  expect(await (await openStore()).load(KEY)).toBeUndefined();
});

test('commits of 50 streams in the same turn go out as one batch_save', async () => {
  const store = await openStore();
  const prepared = await Promise.all(
    Array.from({ length: 50 }, (_, i) => store.prepare(`stream|prod|r|g|hsm-${i}`, { i }, 1)),
  );
  await Promise.all(prepared.map((p) => p.commit()));
  expect(batchSaves()).toBe(1);
  expect(kv.data.get(CHECKPOINT_COLLECTION)?.size).toBe(50);
  expect(store.stats).toEqual({ requests: 1, records: 50 });
});

test('commits that come while a save is under way go out together in the next one', async () => {
  const store = await openStore();
  kv.delayMs = 150;
  try {
    const first = (await store.prepare('stream|prod|a', { v: 1 }, 1)).commit();
    await new Promise((r) => setTimeout(r, 30));
    const later = await Promise.all(
      [2, 3, 4].map(async (v) => (await store.prepare('stream|prod|b', { v }, v)).commit()),
    );
    await Promise.all([first, ...later]);
  } finally {
    kv.delayMs = 0;
  }
  expect(batchSaves()).toBe(2);
  // The newest state of a key wins within a batch.
  expect(await (await openStore()).load('stream|prod|b')).toEqual({ v: 4 });
});

test('a save slower than a second holds new slices back until it ends', async () => {
  const store = await openStore();
  kv.delayMs = 1_600;
  try {
    const started = Date.now();
    const slow = (await store.prepare('stream|prod|a', { v: 1 }, 1)).commit();
    // Under a second into the save, a slice is prepared at once.
    await new Promise((r) => setTimeout(r, 300));
    const quick = Date.now();
    await store.prepare('stream|prod|b', { v: 1 }, 1);
    expect(Date.now() - quick).toBeLessThan(200);
    // Past a second, the next slice waits for the save.
    await new Promise((r) => setTimeout(r, 900));
    await store.prepare('stream|prod|c', { v: 1 }, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_550);
    await slow;
  } finally {
    kv.delayMs = 0;
  }
});

test('more than 1000 commits are split into batch_saves of at most 1000 records', async () => {
  const store = await openStore();
  const prepared = await Promise.all(
    Array.from({ length: 2100 }, (_, i) => store.prepare(`stream|prod|s${i}`, { i }, 1)),
  );
  await Promise.all(prepared.map((p) => p.commit()));
  expect(batchSaves()).toBe(3);
  expect(kv.data.get(CHECKPOINT_COLLECTION)?.size).toBe(2100);
  // …and read back page by page.
  const again = await openStore();
  expect(await again.load('stream|prod|s2099')).toEqual({ i: 2099 });
});

test('a failed save rejects its commits; the same commit succeeds once the KV store is back', async () => {
  const store = await openStore();
  const prepared = await store.prepare(KEY, { n: 1 }, 1);
  kv.unavailable = true;
  await expect(prepared.commit()).rejects.toThrow(/503.*KV Store is initializing/);
  kv.unavailable = false;
  await prepared.commit();
  expect(await (await openStore()).load(KEY)).toEqual({ n: 1 });
});

test.each([
  ['state that is not JSON', { state: '{"n":' }, /not valid JSON/],
  ['a foreign record', { format: 'something.else' }, /not a cloudhsm_audit checkpoint/],
  ['another version', { version: 9 }, /version 9 is not the supported version 1/],
  ['a record copied from another key', { key: 'stream|prod|other' }, /belongs to another stream/],
])('%s is a loud CheckpointError naming the record', async (_what, change, message) => {
  await (await (await openStore()).prepare(KEY, { n: 1 }, 1)).commit();
  const [record] = [...kv.data.get(CHECKPOINT_COLLECTION)!.values()];
  Object.assign(record!, change);
  const store = await openStore();
  const error = await store.load(KEY).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as CheckpointError).message).toMatch(message);
  expect((error as CheckpointError).location).toBe(
    `KV store ${CHECKPOINT_COLLECTION}/${record!._key}`,
  );
});

test('without the lease nothing is read or written, and no request is made', async () => {
  const lost: LeaseGuard = {
    check: () => {
      throw new Error('the input lease is no longer held');
    },
  };
  const store = new KvCheckpointStore(collection(), 'prod', lost);
  await expect(store.preload()).rejects.toThrow(/lease/);
  await expect(store.prepare(KEY, { n: 1 }, 1)).rejects.toThrow(/lease/);
  await expect(store.load(KEY)).rejects.toThrow(/lease/);
  expect(kv.requests).toHaveLength(0);
});

test('a lease lost between prepare and commit stops the commit before any request', async () => {
  let holding = true;
  const store = await openStore({
    check: () => {
      if (!holding) throw new Error('the input lease is no longer held');
    },
  });
  const prepared = await store.prepare(KEY, { n: 1 }, 1);
  holding = false;
  await expect(prepared.commit()).rejects.toThrow(/lease/);
  expect(kv.writes).toHaveLength(0);
});

test('a session key splunkd does not know is refused with a clear error', async () => {
  const store = new KvCheckpointStore(
    (() => {
      const c = new KvCollection(
        { serverHost: 'x', serverUri: kv.uri, sessionKey: 'wrong', checkpointDir: '/nonexistent' },
        new MemoryLogger(),
        CHECKPOINT_COLLECTION,
        { retries: 0, tls: { checkHostName: false } },
      );
      collections.push(c);
      return c;
    })(),
    'prod',
    held,
  );
  await expect(store.preload()).rejects.toMatchObject({ code: 'SESSION_REJECTED' });
});
