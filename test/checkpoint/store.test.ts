import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointError, CheckpointStore } from '../../src/checkpoint/store';

describe('CheckpointStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns undefined for a key never saved, and the state after a save', () => {
    const store = new CheckpointStore(dir, 1);
    expect(store.load('stream|a')).toBeUndefined();
    store.save('stream|a', { n: 1 }, 5);
    expect(store.load('stream|a')).toEqual({ n: 1 });
  });

  it('names files by a hash, never by the key', () => {
    const store = new CheckpointStore(dir, 1);
    store.save('stream|prod|us-east-1|/aws/cloudhsm/cluster-x|hsm-y', { n: 1 }, 5);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.json$/);
  });

  it('shows nothing of a prepared state until commit, and nothing after abort', () => {
    const store = new CheckpointStore(dir, 1);
    store.save('k', { n: 1 }, 1);
    const prepared = store.prepare('k', { n: 2 }, 2);
    expect(store.load('k')).toEqual({ n: 1 });
    prepared.commit();
    expect(store.load('k')).toEqual({ n: 2 });
    store.prepare('k', { n: 3 }, 3).abort();
    expect(store.load('k')).toEqual({ n: 2 });
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, text.length / 2), /not valid JSON/],
    ['garbage', () => '\u0000\u0001garbage', /not valid JSON/],
    ['another format', () => JSON.stringify({ hello: 1 }), /not a cloudhsm_audit checkpoint/],
    ['another version', (text: string) => text.replace('"version":1', '"version":9'), /version 9/],
  ])('refuses a %s checkpoint loudly', (_name, mangle, message) => {
    const store = new CheckpointStore(dir, 1);
    store.save('k', { n: 1 }, 1);
    const file = store.fileFor('k');
    fs.writeFileSync(file, mangle(fs.readFileSync(file, 'utf8')));
    expect(() => store.load('k')).toThrow(CheckpointError);
    expect(() => store.load('k')).toThrow(message);
  });

  it('reports a full disk as an error from prepare, leaving the old checkpoint intact', () => {
    const store = new CheckpointStore(dir, 1);
    store.save('k', { n: 1 }, 1);
    // A directory where the temp file should go makes the write fail as a full disk would.
    fs.mkdirSync(`${store.fileFor('k')}.tmp`);
    expect(() => store.prepare('k', { n: 2 }, 2)).toThrow();
    expect(store.load('k')).toEqual({ n: 1 });
  });
});
