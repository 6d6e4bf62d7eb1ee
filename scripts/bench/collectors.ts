/**
 * The collector builds a bench run measures, and how each is started. Both builds of a
 * before/after comparison run on the same Node binary with the same flags: what the launcher does
 * (`exec "$node" <flags> collector.js`), done here so the runtime is one and the same. By default
 * that binary is the one the package for this host bundles, and the flags are read from its
 * launcher, so a change to either is measured without editing the bench.
 *
 * stdout is either a file (the backlog: the harness counts records as the file grows) or a
 * socket pair (steady state: what a spawning parent like splunkd gives, so the collector's
 * delivery sees the buffer it has in production and pushes it through when idle).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LAUNCHER,
  inputXml,
  startCollector,
  type CollectorRun,
  type InputOptions,
} from '../../test/collector/support/collectorProcess';

export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
};

export interface Build {
  /** `before` or `after`. */
  label: string;
  /** bin/collector.js of the build. */
  bundle: string;
}

export interface Runtime {
  node: string;
  version: string;
  flags: string[];
}

/** The flags the launcher passes to Node: the words between `exec "$node"` and `"$BUNDLE"`. */
export function launcherFlags(launcher = LAUNCHER): string[] {
  const text = fs.readFileSync(launcher, 'utf8');
  const m = /^exec "\$node" (.*?)\s*"\$BUNDLE"/m.exec(text);
  if (!m) throw new Error(`cannot find the exec line of ${launcher}: update launcherFlags()`);
  return m[1]!.split(/\s+/).filter(Boolean);
}

/** The runtime the package for this host bundles (bin/runtime/linux-<arch>/node). */
export function bundledNode(): string {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  return path.join(path.dirname(LAUNCHER), 'runtime', `linux-${arch}`, 'node');
}

export function runtime(node = bundledNode(), flags = launcherFlags()): Runtime {
  if (!fs.existsSync(node)) throw new Error(`--node: ${node} does not exist`);
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  return { node, version, flags };
}

/** A build folder given on the command line: an app folder or a checkout that built one. */
export function resolveBuild(label: string, dir: string): Build {
  const candidates = [
    path.join(dir, 'bin/collector.js'),
    path.join(dir, 'build/cloudhsm_audit/bin/collector.js'),
  ];
  const bundle = candidates.find((c) => fs.existsSync(c));
  if (!bundle)
    throw new Error(
      `--${label} ${dir}: no bin/collector.js or build/cloudhsm_audit/bin/collector.js in it (run "npm ci && npm run package" there)`,
    );
  return { label, bundle: path.resolve(bundle) };
}

/** This checkout's build. */
export function currentBuild(): Build {
  return { label: 'after', bundle: path.join(path.dirname(LAUNCHER), 'collector.js') };
}

function command(build: Build, rt: Runtime): { file: string; args: string[] } {
  return { file: rt.node, args: [...rt.flags, build.bundle] };
}

/** stdout to a file in `dir` (records counted as it grows). */
export function startToFile(
  build: Build,
  rt: Runtime,
  input: InputOptions,
  dir: string,
  runId: string,
): CollectorRun {
  return startCollector(input, dir, runId, AWS_ENV, command(build, rt));
}

export interface SocketRun {
  child: ChildProcess;
  stderrFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once everything the process got into the socket was read (after it exited). */
  drained: Promise<void>;
  stderr(): string;
}

/** stdout a socket pair read by `onData`, as a spawning parent reads it. */
export function startToSocket(
  build: Build,
  rt: Runtime,
  input: InputOptions,
  dir: string,
  runId: string,
  onData: (chunk: Buffer) => void,
): SocketRun {
  const stderrFile = path.join(dir, `${runId}.stderr.log`);
  const err = fs.openSync(stderrFile, 'w');
  const { file, args } = command(build, rt);
  const child = spawn(file, args, {
    stdio: ['pipe', 'pipe', err],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...AWS_ENV },
  });
  fs.closeSync(err);
  child.stdout!.on('data', onData);
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(inputXml(input));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const drained = new Promise<void>((resolve) => child.stdout!.on('close', () => resolve()));
  return {
    child,
    stderrFile,
    exited,
    drained,
    stderr: () => fs.readFileSync(stderrFile, 'utf8'),
  };
}
