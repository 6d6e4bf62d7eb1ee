/**
 * The browser side of the render test: builds the harness bundle (harness/webpack.config.js)
 * once, and again only when its inputs change, then opens it in headless Debian Chromium through
 * playwright-core. One browser serves a whole test file.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO } from './views';

const HARNESS_DIR = path.resolve(__dirname, '../harness');
export const HARNESS_OUT = path.join(REPO, 'build/dashboard-harness');

/** What the bundle is made of: a change to any of these rebuilds it. */
function inputsDigest(): string {
  const hash = crypto.createHash('sha256');
  const files = [
    ...fs.readdirSync(HARNESS_DIR).map((f) => path.join(HARNESS_DIR, f)),
    path.join(REPO, 'package-lock.json'),
  ].sort();
  for (const f of files) hash.update(f).update(fs.readFileSync(f));
  return hash.digest('hex');
}

/** Builds the harness unless an up-to-date build is there; returns the page's file URL. */
export function buildHarness(): string {
  const stamp = path.join(HARNESS_OUT, 'inputs.sha256');
  const digest = inputsDigest();
  const upToDate =
    fs.existsSync(path.join(HARNESS_OUT, 'harness.js')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === digest;
  if (!upToDate) {
    fs.rmSync(HARNESS_OUT, { recursive: true, force: true });
    const webpack = spawnSync(
      process.execPath,
      [
        require.resolve('webpack-cli/bin/cli.js'),
        '--config',
        path.join(HARNESS_DIR, 'webpack.config.js'),
      ],
      { cwd: REPO, env: { ...process.env, HARNESS_OUT }, encoding: 'utf8' },
    );
    if (webpack.status !== 0)
      throw new Error(`harness build failed:\n${webpack.stdout}\n${webpack.stderr}`);
    fs.writeFileSync(
      path.join(HARNESS_OUT, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="harness.css">' +
        '<style>html,body{margin:0;background:#0b0c0e}#root{min-height:100vh}</style></head>' +
        '<body><div id="root"></div><script src="harness.js"></script></body></html>',
    );
    fs.writeFileSync(stamp, digest);
  }
  return `file://${path.join(HARNESS_OUT, 'index.html')}`;
}

/** The `chromium` on PATH (Debian's package; scripts/setup.sh installs it), or CHROMIUM_PATH. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'chromium');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('chromium not found on PATH: run scripts/setup.sh, or set CHROMIUM_PATH');
}

/** Debian's Chromium, headless, isolated (playwright gives each launch a fresh temporary profile). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
