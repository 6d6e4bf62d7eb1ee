/**
 * The Node.js runtimes the -linux-x86_64 and -linux-arm64 packages carry, as pinned in
 * scripts/node-runtimes.json, and the one this host can run: the tests that start the launcher of
 * the plain package put it on PATH, because the host's own Node may be older than the 22 the
 * launcher requires.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface RuntimePin {
  variant: string;
  npmPackage: string;
  dir: string;
  tarballSha256: string;
  nodeSha256: string;
}

export const RUNTIMES = JSON.parse(
  readFileSync(path.join(ROOT, 'scripts/node-runtimes.json'), 'utf8'),
) as { version: string; runtimes: RuntimePin[] };

/** The runtime package for this host's architecture. */
export function hostRuntime(): RuntimePin {
  const variant = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x86_64';
  const pin = RUNTIMES.runtimes.find((r) => r.variant === variant);
  if (!pin) throw new Error(`scripts/node-runtimes.json has no ${variant} runtime`);
  return pin;
}

/** The bundled Node of this host's runtime package, as `npm run package` assembled it. */
export function hostRuntimeNode(): string {
  const pin = hostRuntime();
  const node = path.join(ROOT, 'build', pin.variant, 'cloudhsm_audit', pin.dir, 'node');
  if (!existsSync(node))
    throw new Error(`${path.relative(ROOT, node)} is missing: run npm run package first`);
  return node;
}
