/**
 * Opens the packages `npm run package` wrote to dist/ and checks what Splunk and AppInspect rely
 * on: one top folder named after the app id, layout, file modes, app.conf identity and version,
 * nothing that must not ship; then extracts the package into an `etc/apps/` folder and runs the
 * launcher from there. The -linux-x86_64 variant must carry the Node runtime, declare it in its
 * README, stay under 128 MB, and run with no other Node on PATH.
 */

import { spawnSync } from 'node:child_process';
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

const ROOT = path.resolve(__dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const BASE = path.join(ROOT, 'dist', `cloudhsm_audit-${version}.tgz`);
const RUNTIME = path.join(ROOT, 'dist', `cloudhsm_audit-${version}-linux-x86_64.tgz`);

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

function readEntry(file: string, entryPath: string): string {
  let text = '';
  tar.t({
    file,
    sync: true,
    filter: (p) => p === entryPath,
    onReadEntry: (e) => e.on('data', (d: Buffer) => (text += d.toString('utf8'))),
  });
  return text;
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
    if (withNode) symlinkSync(process.execPath, path.join(dir, 'node'));
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

describe.each([
  ['plain', BASE],
  ['linux-x86_64', RUNTIME],
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

  maybe('app.conf carries the identity and the version from package.json', () => {
    const conf = parseConf(readEntry(file, 'cloudhsm_audit/default/app.conf'));
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
    maybe(
      'carries the Linux x64 Node runtime, its license, and the Binary File Declaration',
      () => {
        const node = entries.find((e) => rel(e) === 'bin/runtime/linux-x64/node');
        expect(node?.mode).toBe(0o755);
        expect(node?.size).toBeGreaterThan(10_000_000);
        expect(entries.map(rel)).toContain('bin/runtime/linux-x64/LICENSE');
        const readme = readEntry(file, 'cloudhsm_audit/README.md');
        expect(readme).toMatch(/^# Binary File Declaration$/m);
        expect(readme).toContain('bin/runtime/linux-x64/node');
      },
    );

    maybe('stays under the 128 MB limit of Splunk Cloud', () => {
      expect(statSync(file).size).toBeLessThan(128 * 1024 * 1024);
    });

    (present && process.platform === 'linux' && process.arch === 'x64' ? test : test.skip)(
      'runs its launcher with the bundled Node when no other Node is on PATH',
      () => {
        const app = extract(file, 'runtime');
        const launcher = path.join(app, 'bin/cloudhsm_audit.sh');
        const res = spawnSync(launcher, ['--scheme'], {
          env: { PATH: pathWith(false) },
          encoding: 'utf8',
        });
        expect(res.stderr).toBe('');
        expect(res.status).toBe(0);
        expect(parseStrict(res.stdout).elements[0]).toBe('scheme');
        const version = spawnSync(path.join(app, 'bin/runtime/linux-x64/node'), ['--version'], {
          encoding: 'utf8',
        });
        expect(version.stdout.trim()).toBe('v24.21.0');
      },
    );
  }
});
