/**
 * Opens the packages `npm run package` wrote to dist/ and checks what Splunk, Splunkbase and
 * AppInspect rely on: one top folder named after the app id, layout, file modes, app.conf identity,
 * version and build, app.manifest, icons, LICENSE and CHANGELOG, nothing that must not ship; then
 * extracts the package into an `etc/apps/` folder and runs the launcher from there. The
 * -linux-x86_64 and -linux-arm64 packages must carry the pinned Node runtime (same sha256 as
 * scripts/node-runtimes.json), declare it in their README, stay under 128 MB, and (on a host of
 * their architecture) run with no other Node on PATH.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { parseStrict } from '../modinput/support/strictXml';
import { parseConf } from './conf';
import { hostRuntime, hostRuntimeNode, RUNTIMES, type RuntimePin } from './runtimes';

const ROOT = path.resolve(__dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const BASE = path.join(ROOT, 'dist', `cloudhsm_audit-${version}.tgz`);
const packageOf = (variant: string) =>
  path.join(ROOT, 'dist', `cloudhsm_audit-${version}-${variant}.tgz`);

interface Entry {
  path: string;
  mode: number;
  type: string;
  size: number;
}

function list(file: string): Entry[] {
  const entries: Entry[] = [];
  tar.t({
    file,
    sync: true,
    onReadEntry: (e) =>
      entries.push({ path: e.path, mode: (e.mode ?? 0) & 0o7777, type: e.type, size: e.size ?? 0 }),
  });
  return entries;
}

function readBytes(file: string, entryPath: string): Buffer {
  const chunks: Buffer[] = [];
  tar.t({
    file,
    sync: true,
    filter: (p) => p === entryPath,
    onReadEntry: (e) => e.on('data', (d: Buffer) => chunks.push(d)),
  });
  return Buffer.concat(chunks);
}

function readEntry(file: string, entryPath: string): string {
  return readBytes(file, entryPath).toString('utf8');
}

/** Width and height from a PNG's IHDR chunk; throws unless the bytes are a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let tmp: string;
beforeAll(() => {
  if (!existsSync(BASE))
    throw new Error(`${path.relative(ROOT, BASE)} is missing: run npm run package first`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-package-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PATH with only the tools the launcher needs, and node only if asked. */
function pathWith(withNode: boolean): string {
  const dir = path.join(tmp, withNode ? 'tools-node' : 'tools');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    for (const tool of ['uname', 'dirname']) {
      symlinkSync(
        spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(),
        path.join(dir, tool),
      );
    }
    // A Node >= 22 (the launcher refuses older ones): the runtime the packages carry.
    if (withNode) symlinkSync(hostRuntimeNode(), path.join(dir, 'node'));
  }
  return dir;
}

function extract(file: string, name: string): string {
  const apps = path.join(tmp, name, 'etc', 'apps');
  mkdirSync(apps, { recursive: true });
  tar.x({ file, cwd: apps, sync: true, preserveOwner: false });
  return path.join(apps, 'cloudhsm_audit');
}

const REQUIRED = [
  'app.manifest',
  'LICENSE',
  'CHANGELOG.md',
  'appserver/static/setup.js',
  'appserver/static/setup.css',
  'default/cloudhsm_audit_settings.conf',
  'README/cloudhsm_audit_settings.conf.spec',
  'default/app.conf',
  'default/inputs.conf',
  'metadata/default.meta',
  'README.md',
  'README/inputs.conf.spec',
  'bin/cloudhsm_audit.sh',
  'bin/cloudhsm_audit.cmd',
  'bin/collector.js',
  'LICENSES/THIRD-PARTY-LICENSES-collector.txt',
];
const EXECUTABLE = /^bin\/cloudhsm_audit\.(sh|cmd)$|^bin\/runtime\/[^/]+\/node$/;

/** Icons where Splunk Web and Splunkbase look for them, at the sizes they use. */
const ICONS: [string, number][] = [
  ['static/appIcon.png', 36],
  ['static/appIcon_2x.png', 72],
  ['static/appIconAlt.png', 36],
  ['static/appIconAlt_2x.png', 72],
];

describe.each([
  ['plain', BASE],
  ...RUNTIMES.runtimes.map((r) => [r.variant, packageOf(r.variant)] as [string, string]),
])('%s package', (variant, file) => {
  const present = existsSync(file);
  const maybe = present ? test : test.skip;
  const entries = present ? list(file) : [];
  const rel = (e: Entry) => e.path.replace(/^cloudhsm_audit\/?/, '').replace(/\/$/, '');

  maybe('has one top folder, cloudhsm_audit/, and the required files', () => {
    expect(new Set(entries.map((e) => e.path.split('/')[0]))).toEqual(new Set(['cloudhsm_audit']));
    const files = entries.filter((e) => e.type === 'File').map(rel);
    for (const f of REQUIRED) expect(files).toContain(f);
  });

  maybe('launchers 755, every other file 644, folders 755', () => {
    for (const e of entries) {
      const want = e.type === 'Directory' || EXECUTABLE.test(rel(e)) ? 0o755 : 0o644;
      expect({ path: e.path, mode: e.mode.toString(8) }).toEqual({
        path: e.path,
        mode: want.toString(8),
      });
      expect(['File', 'Directory']).toContain(e.type);
    }
  });

  maybe('ships nothing it must not', () => {
    for (const e of entries) {
      const parts = rel(e).split('/');
      expect({ path: e.path, dotfile: parts.some((p) => p.startsWith('.')) }).toEqual({
        path: e.path,
        dotfile: false,
      });
      expect(parts).not.toContain('local');
      expect(parts).not.toContain('node_modules');
      expect(parts).not.toContain('test');
      expect(parts).not.toContain('__pycache__');
      expect(e.path).not.toMatch(/local\.meta$|\.map$|\.tsx?$|\.test\.|\.pyc$/);
    }
    // splunkd would run a scheme.py or scheme.js with Python; only the launchers may be named so.
    const bin = entries.map(rel).filter((p) => /^bin\/cloudhsm_audit(\.|$)/.test(p));
    expect(bin.sort()).toEqual(['bin/cloudhsm_audit.cmd', 'bin/cloudhsm_audit.sh']);
  });

  maybe('carries the four app icons as PNG files of the sizes Splunkbase asks for', () => {
    for (const [icon, size] of ICONS) {
      expect({ icon, ...pngSize(readBytes(file, `cloudhsm_audit/${icon}`)) }).toEqual({
        icon,
        width: size,
        height: size,
      });
    }
  });

  maybe('app.manifest (schema 2.0.0) names the app and the version', () => {
    const manifest = JSON.parse(readEntry(file, 'cloudhsm_audit/app.manifest')) as {
      schemaVersion: string;
      info: { id: { name: string; version: string }; license: { text: string } };
    };
    expect(manifest.schemaVersion).toBe('2.0.0');
    expect(manifest.info.id).toMatchObject({ name: 'cloudhsm_audit', version });
    expect(readEntry(file, `cloudhsm_audit/${manifest.info.license.text}`)).toMatch(
      /Apache License\s+Version 2\.0/,
    );
    expect(readEntry(file, 'cloudhsm_audit/CHANGELOG.md')).toContain(`## ${version}`);
  });

  maybe('app.conf carries the identity, the version from package.json and a build number', () => {
    const conf = parseConf(readEntry(file, 'cloudhsm_audit/default/app.conf'));
    // The commit time of HEAD: positive, and at least that of the first commit (2025 or later).
    expect(Number(conf.get('install')?.get('build'))).toBeGreaterThan(1_735_689_600);
    expect(conf.get('install')?.get('is_configured')).toBe('false');
    expect(conf.get('ui')?.get('is_visible')).toBe('true');
    expect(conf.get('ui')?.get('label')).toBe('AWS CloudHSM Audit');
    expect(conf.get('ui')?.get('setup_view')).toBe('cloudhsm_audit_setup');
    expect(conf.get('launcher')?.get('version')).toBe(version);
    expect(conf.get('launcher')?.get('author')).toBeTruthy();
    expect(conf.get('launcher')?.get('description')).toBeTruthy();
    expect(conf.get('package')?.get('id')).toBe('cloudhsm_audit');
    expect(conf.get('package')?.get('check_for_updates')).toMatch(/^(true|false)$/);
    expect(conf.get('id')?.get('name')).toBe('cloudhsm_audit');
    expect(conf.get('id')?.get('version')).toBe(version);
    expect(conf.get('triggers')?.get('reload.cloudhsm_audit_accounts')).toBe('simple');
    expect(conf.get('triggers')?.get('reload.cloudhsm_audit_settings')).toBe('simple');
  });

  maybe('launchers keep their line endings', () => {
    expect(readEntry(file, 'cloudhsm_audit/bin/cloudhsm_audit.sh')).not.toContain('\r');
    expect(readEntry(file, 'cloudhsm_audit/bin/cloudhsm_audit.cmd')).toContain('\r\n');
  });

  if (variant === 'plain') {
    maybe('carries no binary runtime', () => {
      expect(entries.map(rel).filter((p) => p.startsWith('bin/runtime'))).toEqual([]);
    });

    maybe(
      'extracted into etc/apps/: --scheme, validation and a bad argument work through the launcher',
      () => {
        const app = extract(file, 'plain');
        const launcher = path.join(app, 'bin/cloudhsm_audit.sh');
        const env = { PATH: pathWith(true) };
        const scheme = spawnSync(launcher, ['--scheme'], { env, encoding: 'utf8' });
        expect(scheme.status).toBe(0);
        expect(parseStrict(scheme.stdout).elements[0]).toBe('scheme');
        const bad = spawnSync(launcher, ['--validate-arguments'], {
          env,
          encoding: 'utf8',
          input: readFileSync(path.join(__dirname, '../modinput/fixtures/items_invalid.xml')),
        });
        expect(bad.status).not.toBe(0);
        expect(bad.stdout).toMatch(/^<error><message>regions: /);
      },
    );
  } else {
    const pin = RUNTIMES.runtimes.find((r) => r.variant === variant) as RuntimePin;

    maybe('carries the pinned Node runtime, its license, and the Binary File Declaration', () => {
      const node = entries.find((e) => rel(e) === `${pin.dir}/node`);
      expect(node?.mode).toBe(0o755);
      const bytes = readBytes(file, `cloudhsm_audit/${pin.dir}/node`);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(pin.nodeSha256);
      expect(entries.map(rel)).toContain(`${pin.dir}/LICENSE`);
      expect(
        entries.map(rel).filter((p) => p.startsWith('bin/runtime/') && p.endsWith('/node')),
      ).toEqual([`${pin.dir}/node`]);
      const readme = readEntry(file, 'cloudhsm_audit/README.md');
      expect(readme).toMatch(/^# Binary File Declaration$/m);
      expect(readme).toContain(`\`${pin.dir}/node\``);
      expect(readme).toContain(`${pin.npmPackage}@${RUNTIMES.version}`);
      expect(readme).toContain(pin.nodeSha256);
      expect(readme).toContain(pin.tarballSha256);
    });

    maybe('stays under the 128 MB limit of Splunk Cloud', () => {
      expect(statSync(file).size).toBeLessThan(128 * 1024 * 1024);
    });

    (present && process.platform === 'linux' && hostRuntime().variant === variant
      ? test
      : test.skip)('runs its launcher with the bundled Node when no other Node is on PATH', () => {
      const app = extract(file, variant);
      const launcher = path.join(app, 'bin/cloudhsm_audit.sh');
      const res = spawnSync(launcher, ['--scheme'], {
        env: { PATH: pathWith(false) },
        encoding: 'utf8',
      });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(parseStrict(res.stdout).elements[0]).toBe('scheme');
      const reported = spawnSync(path.join(app, pin.dir, 'node'), ['--version'], {
        encoding: 'utf8',
      });
      expect(reported.stdout.trim()).toBe(`v${RUNTIMES.version}`);
    });
  }
});
