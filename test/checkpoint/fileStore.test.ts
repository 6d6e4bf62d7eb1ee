import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileCheckpointStore } from '../../src/checkpoint/fileStore';
import { CheckpointError } from '../../src/collector/errors';

async function save(store: FileCheckpointStore, key: string, state: unknown, now = 1) {
  await (await store.prepare(key, state, now)).commit();
}

describe('FileCheckpointStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns undefined for a key never saved, and the state after a save', async () => {
    const store = new FileCheckpointStore(dir);
    expect(await store.load('stream|a')).toBeUndefined();
    await save(store, 'stream|a', { n: 1 }, 5);
    expect(await store.load('stream|a')).toEqual({ n: 1 });
  });

  it('names files by a hash, never by the key', async () => {
    const store = new FileCheckpointStore(dir);
    await save(store, 'stream|prod|us-east-1|/aws/cloudhsm/cluster-x|hsm-y', { n: 1 });
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.json$/);
  });

  it('shows nothing of a prepared state until commit, and nothing after abort', async () => {
    const store = new FileCheckpointStore(dir);
    await save(store, 'k', { n: 1 });
    const prepared = await store.prepare('k', { n: 2 }, 2);
    expect(await store.load('k')).toEqual({ n: 1 });
    await prepared.commit();
    expect(await store.load('k')).toEqual({ n: 2 });
    await (await store.prepare('k', { n: 3 }, 3)).abort();
    expect(await store.load('k')).toEqual({ n: 2 });
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });

  it('gives every prepared state its own temporary file, so two writers never share one', async () => {
    const store = new FileCheckpointStore(dir);
    const a = await store.prepare('k', { n: 'a' }, 1);
    const b = await store.prepare('k', { n: 'b' }, 2);
    const temps = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(temps).toHaveLength(2);
    expect(temps.every((f) => f.includes(`.${process.pid}.`))).toBe(true);
    await b.commit();
    await a.commit(); // the older one lands last, whole: never a 0-byte checkpoint
    expect(await store.load('k')).toEqual({ n: 'a' });
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, text.length / 2), /not valid JSON/],
    ['garbage', () => '\u0000\u0001garbage', /not valid JSON/],
    ['empty', () => '', /not valid JSON/],
    ['another format', () => JSON.stringify({ hello: 1 }), /not a cloudhsm_audit checkpoint/],
    ['another version', (text: string) => text.replace('"version":1', '"version":9'), /version 9/],
  ])('refuses a %s checkpoint loudly', async (_name, mangle, message) => {
    const store = new FileCheckpointStore(dir);
    await save(store, 'k', { n: 1 });
    const file = store.fileFor('k');
    fs.writeFileSync(file, mangle(fs.readFileSync(file, 'utf8')));
    await expect(store.load('k')).rejects.toThrow(CheckpointError);
    await expect(store.load('k')).rejects.toThrow(message);
  });

  it('refuses a checkpoint copied from another key', async () => {
    const store = new FileCheckpointStore(dir);
    await save(store, 'a', { n: 1 });
    fs.copyFileSync(store.fileFor('a'), store.fileFor('b'));
    await expect(store.load('b')).rejects.toThrow(/belongs to another stream/);
  });

  it('reports a failed write as an error from prepare, leaving the old checkpoint intact', async () => {
    const folder = path.join(dir, 'checkpoints');
    fs.mkdirSync(folder);
    const store = new FileCheckpointStore(folder);
    await save(store, 'k', { n: 1 });
    // The folder gone for a moment (unmounted, say): the write fails and nothing is half-written.
    fs.renameSync(folder, `${folder}.away`);
    await expect(store.prepare('k', { n: 2 }, 2)).rejects.toThrow(/ENOENT/);
    fs.renameSync(`${folder}.away`, folder);
    expect(await store.load('k')).toEqual({ n: 1 });
    expect(fs.readdirSync(folder)).toHaveLength(1);
  });

  it('removes temporary files of processes that are gone, and only those', async () => {
    const store = new FileCheckpointStore(dir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    const file = store.fileFor('k');
    fs.writeFileSync(`${file}.${deadPid}.0.tmp`, '{');
    const mine = await store.prepare('k', { n: 1 }, 1);
    const legacy = `${file}.tmp`;
    fs.writeFileSync(legacy, '');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(legacy, old, old);
    expect(store.removeStaleTemps(Date.now())).toBe(2);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([
      path.basename(file) + `.${process.pid}.0.tmp`,
    ]);
    await mine.commit();
    expect(await store.load('k')).toEqual({ n: 1 });
  });

  it('a commit whose rename failed fails again when retried: it never reports a rename it did not make', async () => {
    const store = new FileCheckpointStore(dir);
    await save(store, 'k', { n: 1 });
    const prepared = await store.prepare('k', { n: 2 }, 2);
    // The collector retries a failed commit (src/collector/delivery.ts); the rename must be retried too.
    const checkpoint = store.fileFor('k');
    fs.rmSync(checkpoint);
    fs.mkdirSync(checkpoint);
    fs.writeFileSync(path.join(checkpoint, 'x'), '');
    await expect(prepared.commit()).rejects.toThrow();
    await expect(prepared.commit()).rejects.toThrow();
    fs.rmSync(checkpoint, { recursive: true });
    await prepared.commit();
    expect(await store.load('k')).toEqual({ n: 2 });
  });
});
