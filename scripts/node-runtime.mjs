/**
 * The Node.js runtimes the -linux-x86_64 and -linux-arm64 packages carry, fetched with `npm pack`
 * into .cache/ (never installed as a dependency: its `node` bin link would take over npm scripts)
 * and checked against the sha256 sums pinned in scripts/node-runtimes.json every time they are
 * used: the npm tarball, then the node binary taken out of it. A cached copy is checked like a
 * fresh one; a mismatch stops packaging and names the file.
 */

import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The pins: `{ version, runtimes: [{ variant, npmPackage, dir, tarballSha256, nodeSha256 }] }`. */
export const RUNTIMES = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'scripts', 'node-runtimes.json'), 'utf8'),
);

export function sha256(file) {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let read;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0)
      hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function verify(file, expected, what) {
  const actual = sha256(file);
  if (actual !== expected) {
    throw new Error(
      `${file} (${what}) has sha256 ${actual}, but scripts/node-runtimes.json ` +
        `pins ${expected}: it is not the file the repository was built with. Delete it to fetch it ` +
        'again; if the new copy differs too, do not ship it.',
    );
  }
}

/**
 * The verified node binary and license of one runtime; fetches the npm tarball once into `cache`
 * (.cache/ of the repository). `log` reports what it does.
 */
export async function fetchRuntime(runtime, log, cache = path.join(ROOT, '.cache')) {
  const { version } = RUNTIMES;
  const name = `${runtime.npmPackage}-${version}`;
  const tgz = path.join(cache, `${name}.tgz`);
  const dir = path.join(cache, name);
  const node = path.join(dir, 'bin', 'node');
  const license = path.join(dir, 'LICENSE');
  if (!fs.existsSync(tgz)) {
    log(`fetching ${runtime.npmPackage}@${version} with npm pack`);
    fs.mkdirSync(cache, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const res = spawnSync(
      npm,
      ['pack', `${runtime.npmPackage}@${version}`, '--pack-destination', cache, '--silent'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (res.status !== 0 || !fs.existsSync(tgz))
      throw new Error(`npm pack ${runtime.npmPackage}@${version} failed`);
  }
  verify(tgz, runtime.tarballSha256, `npm package ${runtime.npmPackage}@${version}`);
  if (!fs.existsSync(node) || !fs.existsSync(license)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    await tar.x({
      file: tgz,
      cwd: dir,
      strip: 1,
      filter: (p) => p === 'package/bin/node' || p === 'package/LICENSE',
    });
    if (!fs.existsSync(node) || !fs.existsSync(license))
      throw new Error(`${tgz} holds no bin/node and LICENSE`);
  }
  verify(node, runtime.nodeSha256, `node binary of ${runtime.npmPackage}@${version}`);
  return { node, license };
}
