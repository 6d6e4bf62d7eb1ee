/**
 * The launcher bin/cloudhsm_audit.sh as a process: which Node it picks (bundled runtime, then
 * $SPLUNK_HOME/bin/node, then PATH), the FATAL line when none is usable, the environment it
 * cleans, and — with the built app and a real Node — that it execs Node (same PID), so SIGTERM
 * stops the input cleanly: exit 0 and a closed `</stream>`.
 *
 * Fake `node` executables are shell scripts that answer `--version` and print who they are.
 */

import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseStrict } from '../modinput/support/strictXml';
import { hostRuntimeNode, RUNTIMES } from '../package/runtimes';

const ROOT = path.resolve(__dirname, '../..');
const LAUNCHER = path.join(ROOT, 'app/bin/cloudhsm_audit.sh');
const BUILT_APP = path.join(ROOT, 'build/cloudhsm_audit');
const PLATFORM = `${process.platform === 'darwin' ? 'darwin' : 'linux'}-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-launcher-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder with only the tools the launcher needs (uname, dirname), plus optional extras. */
function toolsDir(extra: Record<string, string> = {}): string {
  const dir = path.join(tmp, `tools-${Object.keys(extra).join('-') || 'none'}`);
  mkdirSync(dir, { recursive: true });
  for (const tool of ['uname', 'dirname']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, path.join(dir, tool));
  }
  for (const [name, target] of Object.entries(extra)) symlinkSync(target, path.join(dir, name));
  return dir;
}

function fakeNode(file: string, identity: string, version: string, runs = true): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      runs ? '' : 'exit 126',
      `if [ "$1" = --version ]; then echo ${version}; exit 0; fi`,
      `echo "identity=${identity}"`,
      'for a in "$@"; do echo "arg=$a"; done',
      'echo "ld=${LD_LIBRARY_PATH-unset} node_options=${NODE_OPTIONS-unset}"',
      'echo "pid=$$"',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

/** An app folder with the launcher under test and a placeholder bundle. */
function fakeApp(): string {
  const bin = path.join(tmp, 'etc/apps/cloudhsm_audit/bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(LAUNCHER, path.join(bin, 'cloudhsm_audit.sh'));
  chmodSync(path.join(bin, 'cloudhsm_audit.sh'), 0o755);
  writeFileSync(path.join(bin, 'collector.js'), '// placeholder\n');
  return bin;
}

function runLauncher(launcher: string, args: string[], env: Record<string, string>) {
  const res = spawnSync(launcher, args, { env, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('finding Node', () => {
  test('1st: the runtime shipped in the app, with arguments passed through and the environment cleaned', () => {
    const bin = fakeApp();
    fakeNode(path.join(bin, 'runtime', PLATFORM, 'node'), 'bundled', `v${RUNTIMES.version}`);
    const splunkHome = path.join(tmp, 'splunk');
    fakeNode(path.join(splunkHome, 'bin/node'), 'splunk', 'v22.0.0');
    const pathNode = fakeNode(path.join(tmp, 'path-node'), 'path', 'v22.0.0');
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), ['--scheme', 'two words'], {
      PATH: toolsDir({ node: pathNode }),
      SPLUNK_HOME: splunkHome,
      LD_LIBRARY_PATH: '/opt/splunk/lib',
      NODE_OPTIONS: '--inspect',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('identity=bundled\n');
    expect(r.stdout).toContain(
      `arg=${path.join(bin, 'collector.js')}\narg=--scheme\narg=two words\n`,
    );
    expect(r.stdout).toContain('ld=unset node_options=unset\n');
  });

  test('2nd: $SPLUNK_HOME/bin/node when new enough', () => {
    const bin = fakeApp();
    const splunkHome = path.join(tmp, 'splunk');
    fakeNode(path.join(splunkHome, 'bin/node'), 'splunk', 'v22.0.0');
    const pathNode = fakeNode(path.join(tmp, 'path-node'), 'path', 'v22.0.0');
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), [], {
      PATH: toolsDir({ node: pathNode }),
      SPLUNK_HOME: splunkHome,
    });
    expect(r.stdout).toContain('identity=splunk\n');
  });

  test("3rd: node on PATH, when the bundled one does not run here and Splunk's is too old", () => {
    const bin = fakeApp();
    fakeNode(path.join(bin, 'runtime', PLATFORM, 'node'), 'bundled', `v${RUNTIMES.version}`, false);
    const splunkHome = path.join(tmp, 'splunk');
    fakeNode(path.join(splunkHome, 'bin/node'), 'splunk', 'v20.19.5');
    const pathNode = fakeNode(path.join(tmp, 'path-node'), 'path', 'v22.12.0');
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), ['--validate-arguments'], {
      PATH: toolsDir({ node: pathNode }),
      SPLUNK_HOME: splunkHome,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('identity=path\n');
    expect(r.stdout).toContain('arg=--validate-arguments\n');
  });

  test('Node 20 (past its end of life) is refused with one FATAL line that says what to install', () => {
    const bin = fakeApp();
    const splunkHome = path.join(tmp, 'splunk');
    fakeNode(path.join(splunkHome, 'bin/node'), 'splunk', 'v18.19.1');
    const pathNode = fakeNode(path.join(tmp, 'path-node'), 'path', 'v20.19.5');
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), ['--scheme'], {
      PATH: toolsDir({ node: pathNode }),
      SPLUNK_HOME: splunkHome,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^FATAL cloudhsm_audit: no Node\.js runtime >= 22 found/);
    expect(lines[0]).toContain('v20.19.5, too old');
    expect(lines[0]).toContain('v18.19.1, too old');
    expect(lines[0]).toContain('Install Node.js 22 or later');
    expect(lines[0]).toContain('-linux-x86_64 or -linux-arm64');
  });

  test('no Node at all: the FATAL line, non-zero exit', () => {
    const bin = fakeApp();
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), [], { PATH: toolsDir() });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^FATAL cloudhsm_audit: no Node\.js runtime >= 22 found .*\n$/);
  });

  test('a version that is not a number is refused', () => {
    const bin = fakeApp();
    const pathNode = fakeNode(path.join(tmp, 'path-node'), 'path', 'garbage');
    const r = runLauncher(path.join(bin, 'cloudhsm_audit.sh'), [], {
      PATH: toolsDir({ node: pathNode }),
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown version garbage');
  });
});

describe('launcher files', () => {
  test('the shell launcher is POSIX sh with LF endings and mode 755', () => {
    const text = readFileSync(LAUNCHER, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toMatch(/^MIN_MAJOR=22$/m);
    expect(text).not.toContain('\r');
    expect(spawnSync('sh', ['-n', LAUNCHER]).status).toBe(0);
    const dash = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim();
    if (dash) expect(spawnSync(dash, ['-n', LAUNCHER]).status).toBe(0);
  });
  test('the Windows launcher has CRLF endings and the same search order', () => {
    const text = readFileSync(path.join(ROOT, 'app/bin/cloudhsm_audit.cmd'), 'utf8');
    expect(
      text
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
    const order = [
      'call :usable "%APP_BIN%runtime\\win-%ARCH%\\node.exe"',
      'call :usable "%SPLUNK_HOME%\\bin\\node.exe"',
      "('where node",
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('"%NODE%" --max-semi-space-size=2 "%BUNDLE%" %*');
    expect(text).toContain('set "MIN_MAJOR=22"');
    expect(text).toMatch(/echo FATAL cloudhsm_audit: no Node\.js runtime/);
  });
});

describe('with the built app and a real Node', () => {
  const launcher = path.join(BUILT_APP, 'bin/cloudhsm_audit.sh');
  beforeAll(() => {
    if (!existsSync(path.join(BUILT_APP, 'bin/collector.js'))) {
      throw new Error('build/cloudhsm_audit is missing: run npm run package first');
    }
  });
  // The plain package with a Node >= 22 on PATH: the runtime the packages carry (this host's may
  // be 20, which the launcher refuses).
  const env = () => ({ PATH: toolsDir({ node: hostRuntimeNode() }) });

  test('--scheme prints the scheme', () => {
    const r = runLauncher(launcher, ['--scheme'], env());
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      readFileSync(path.join(__dirname, '../modinput/fixtures/scheme.xml'), 'utf8'),
    );
  });

  test('--validate-arguments refuses a bad argument with <error><message>, exit 1', () => {
    const res = spawnSync(launcher, ['--validate-arguments'], {
      env: env(),
      input: readFileSync(path.join(__dirname, '../modinput/fixtures/items_invalid.xml')),
      encoding: 'utf8',
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(
      /^<error><message>regions: &quot;us-east-x&quot; is not an AWS region code/,
    );
  });

  test('SIGTERM reaches Node (exec: same PID): exit 0 and the stream ends with </stream>', async () => {
    const checkpoints = path.join(tmp, 'checkpoints');
    mkdirSync(checkpoints);
    const stdin =
      '<input><server_host>hf1</server_host><server_uri>https://127.0.0.1:1</server_uri>' +
      `<session_key>k</session_key><checkpoint_dir>${checkpoints}</checkpoint_dir><configuration>` +
      '<stanza name="cloudhsm_audit://sigterm"><param name="regions">us-east-1</param>' +
      // Port 9 (discard) refuses connections: the collector keeps retrying and never finishes.
      '<param name="endpoint_url">http://127.0.0.1:9</param></stanza></configuration></input>';
    const child = spawn(launcher, [], {
      env: {
        ...env(),
        HOME: tmp,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const started = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('INFO input starting')) resolve();
      });
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdin.end(stdin);
    await Promise.race([started, exited]);
    if (process.platform === 'linux') {
      // The launcher's PID now runs Node on collector.js: the shell replaced itself.
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain(path.join(BUILT_APP, 'bin/collector.js'));
    }
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect({ code, signal, stderr }).toMatchObject({ code: 0, signal: null });
    expect(stdout.startsWith('<stream>')).toBe(true);
    expect(stdout.endsWith('</stream>\n')).toBe(true);
    parseStrict(stdout);
    expect(stderr).toMatch(/INFO stopping on signal .*signal=SIGTERM/);
    for (const line of stderr.split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(/^(DEBUG|INFO|WARN|ERROR|FATAL) /);
    }
  }, 60_000);
});
