/**
 * Moving an input from files to the KV store (src/checkpoint/migrate.ts): real file checkpoints
 * written by FileCheckpointStore, imported into the KV store double — only the input's own, only
 * where the KV store has none, once per host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../src/checkpoint/fileStore';
import { CHECKPOINT_COLLECTION, KvCheckpointStore } from '../../src/checkpoint/kvStore';
import { importFileCheckpoints } from '../../src/checkpoint/migrate';
import { KvCollection } from '../../src/splunkd/kvCollection';
import { MemoryLogger } from '../modinput/support/fakes';
import { startFakeKvSplunkd, type FakeKvSplunkd } from '../splunkd/fakeKvStore';

let kv: FakeKvSplunkd;
let dir: string;
const opened: KvCollection[] = [];

beforeAll(async () => {
  kv = await startFakeKvSplunkd({ sessionKeys: { k: 'host-a' } });
});
afterAll(async () => {
  for (const c of opened) c.close();
  await kv.close();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
  for (const records of kv.data.values()) records.clear();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function kvStore(): Promise<KvCheckpointStore> {
  const c = new KvCollection(
    { serverHost: 'host-a', serverUri: kv.uri, sessionKey: 'k', checkpointDir: dir },
    new MemoryLogger(),
    CHECKPOINT_COLLECTION,
    { retries: 0, tls: { checkHostName: false } },
  );
  opened.push(c);
  const store = new KvCheckpointStore(c, 'prod', { check: () => undefined });
  await store.preload();
  return store;
}

async function fileSave(key: string, state: unknown, nowMs = 100): Promise<void> {
  const files = new FileCheckpointStore(dir);
  await (await files.prepare(key, state, nowMs)).commit();
}

const S1 = 'stream|prod|us-east-1|/aws/cloudhsm/cluster-aaaaaaaaaaa|hsm-1';
const S2 = 'stream|prod|us-east-1|/aws/cloudhsm/cluster-aaaaaaaaaaa|hsm-2';

test("imports the input's own file checkpoints where the KV store has none, once per host", async () => {
  await fileSave('input|prod', { startMs: 1 });
  await fileSave(S1, { from: 'file' });
  await fileSave(S2, { from: 'file' });
  await fileSave('stream|prod-eu|us-east-1|/aws/cloudhsm/x|hsm-9', { other: true });
  await fileSave('input|production', { other: true });
  fs.writeFileSync(path.join(dir, `${'e'.repeat(32)}.json`), '{"truncat');
  fs.writeFileSync(path.join(dir, `${'d'.repeat(32)}.json.123.0.tmp`), 'x');

  // The KV store already has a newer checkpoint of one stream: that one stays.
  const before = await kvStore();
  await (await before.prepare(S2, { from: 'kvstore' }, 200)).commit();

  const store = await kvStore();
  const logger = new MemoryLogger();
  const result = await importFileCheckpoints({
    dir,
    input: 'prod',
    serverHost: 'host-a',
    target: store,
    logger,
    nowMs: 300,
  });
  expect(result).toEqual({ imported: 2, alreadyInKvStore: 1 });
  expect(await store.load('input|prod')).toEqual({ startMs: 1 });
  expect(await store.load(S1)).toEqual({ from: 'file' });
  expect(await store.load(S2)).toEqual({ from: 'kvstore' });
  const inputs = [...kv.data.get(CHECKPOINT_COLLECTION)!.values()].map((r) => [r.input, r.key]);
  expect(inputs).not.toContainEqual(['prod', 'input|production']);
  expect(inputs.filter(([input]) => input !== 'prod')).toEqual([]);
  expect(logger.lines).toContainEqual(
    expect.objectContaining({
      level: 'INFO',
      message: 'file checkpoints of this host imported into the KV store',
      fields: expect.objectContaining({ imported: 2, already_in_kvstore: 1 }),
    }),
  );
  expect(logger.lines).toContainEqual(
    expect.objectContaining({
      level: 'ERROR',
      message: 'file checkpoint unreadable: not imported into the KV store',
    }),
  );
  // The saved time of an imported checkpoint is the file's.
  const imported = [...kv.data.get(CHECKPOINT_COLLECTION)!.values()].find((r) => r.key === S1);
  expect(imported?.savedAtMs).toBe(100);

  // An admin deletes a KV checkpoint to re-read its stream: the old file is not brought back.
  kv.data.get(CHECKPOINT_COLLECTION)!.delete(String(imported?._key));
  const later = await kvStore();
  expect(
    await importFileCheckpoints({
      dir,
      input: 'prod',
      serverHost: 'host-a',
      target: later,
      logger,
      nowMs: 400,
    }),
  ).toBeUndefined();
  expect(await later.load(S1)).toBeUndefined();
  // Files stay where they are.
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(6);
});

test('another host imports its own files once, too', async () => {
  await fileSave(S1, { host: 'a' });
  const store = await kvStore();
  const logger = new MemoryLogger();
  await importFileCheckpoints({
    dir,
    input: 'prod',
    serverHost: 'host-a',
    target: store,
    logger,
    nowMs: 1,
  });
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-b-'));
  try {
    const files = new FileCheckpointStore(otherDir);
    await (await files.prepare(S2, { host: 'b' }, 1)).commit();
    await (await files.prepare(S1, { host: 'b-older' }, 1)).commit();
    const again = await kvStore();
    expect(
      await importFileCheckpoints({
        dir: otherDir,
        input: 'prod',
        serverHost: 'host-b',
        target: again,
        logger,
        nowMs: 2,
      }),
    ).toEqual({ imported: 1, alreadyInKvStore: 1 });
    expect(await again.load(S1)).toEqual({ host: 'a' });
    expect(await again.load(S2)).toEqual({ host: 'b' });
  } finally {
    fs.rmSync(otherDir, { recursive: true, force: true });
  }
});

test('a host without a checkpoint folder imports nothing and says so', async () => {
  const store = await kvStore();
  const logger = new MemoryLogger();
  expect(
    await importFileCheckpoints({
      dir: path.join(dir, 'missing'),
      input: 'prod',
      serverHost: 'h',
      target: store,
      logger,
      nowMs: 1,
    }),
  ).toEqual({ imported: 0, alreadyInKvStore: 0 });
  expect(logger.lines).toContainEqual(
    expect.objectContaining({ level: 'INFO', fields: expect.objectContaining({ imported: 0 }) }),
  );
});
