/**
 * Runs the built modular input exactly as splunkd does: `bin/cloudhsm_audit.sh` of the assembled
 * app, the `<input>` XML on stdin, stdout and stderr to files, SIGTERM or SIGKILL to stop it —
 * and reads back what splunkd would have indexed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SaxesParser } from 'saxes';

export const REPO = path.resolve(__dirname, '../../..');
/**
 * The launcher of the runtime package for this host (-linux-x86_64 or -linux-arm64): it runs the
 * bundled Node 24, so the tests need no Node 22 of their own (the host's may be 20).
 */
export const LAUNCHER = path.join(
  REPO,
  `build/linux-${process.arch === 'arm64' ? 'arm64' : 'x86_64'}/cloudhsm_audit/bin/cloudhsm_audit.sh`,
);

export function requireLauncher(): string {
  if (!fs.existsSync(LAUNCHER)) {
    throw new Error(
      `${path.relative(REPO, LAUNCHER)} is missing: run "npm run package" first (npm test does)`,
    );
  }
  return LAUNCHER;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface InputOptions {
  name: string;
  params: Record<string, string>;
  checkpointDir: string;
  serverUri?: string;
  sessionKey?: string;
  /** splunkd's server name (`server_host`): which Splunk host runs the input. */
  serverHost?: string;
}

/** The `<input>` document splunkd writes on the run's stdin. */
export function inputXml(o: InputOptions): string {
  const params = Object.entries(o.params)
    .map(([k, v]) => `<param name="${esc(k)}">${esc(v)}</param>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><input>` +
    `<server_host>${esc(o.serverHost ?? 'test-host')}</server_host><server_uri>${esc(o.serverUri ?? 'https://127.0.0.1:1')}</server_uri>` +
    `<session_key>${esc(o.sessionKey ?? 'test-session-key')}</session_key>` +
    `<checkpoint_dir>${esc(o.checkpointDir)}</checkpoint_dir>` +
    `<configuration><stanza name="cloudhsm_audit://${esc(o.name)}">${params}</stanza></configuration></input>`
  );
}

export interface CollectorRun {
  child: ChildProcess;
  stdoutFile: string;
  stderrFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts the launcher with `input` on stdin; output goes to files in `outDir` named by `runId`.
 * `command` replaces the launcher (the benchmark's Node-flag experiments run collector.js directly).
 */
export function startCollector(
  input: InputOptions,
  outDir: string,
  runId: string,
  env: Record<string, string> = {},
  command: { file: string; args: string[] } = { file: requireLauncher(), args: [] },
): CollectorRun {
  const stdoutFile = path.join(outDir, `${runId}.stdout.xml`);
  const stderrFile = path.join(outDir, `${runId}.stderr.log`);
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  const child = spawn(command.file, command.args, {
    stdio: ['pipe', out, err],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  fs.closeSync(out);
  fs.closeSync(err);
  child.stdin!.end(inputXml(input));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdoutFile,
    stderrFile,
    exited,
    stdout: () => fs.readFileSync(stdoutFile, 'utf8'),
    stderr: () => fs.readFileSync(stderrFile, 'utf8'),
  };
}

export interface StreamEvent {
  stanza: string;
  time?: string;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  data: string;
}

/**
 * Parses a `<stream>` with a strict XML parser. `complete: false` accepts a stream cut off by a
 * kill: only whole `<event>`s count, as splunkd indexes them; anything after the last is dropped.
 */
export function parseStream(text: string, { complete = true } = {}): StreamEvent[] {
  let body = text;
  if (!complete) {
    const last = text.lastIndexOf('</event>');
    body = last < 0 ? '<stream>' : text.slice(0, last + '</event>'.length);
    if (!body.startsWith('<stream>')) body = body.slice(body.indexOf('<stream>'));
    body += '</stream>';
  }
  const events: StreamEvent[] = [];
  const parser = new SaxesParser();
  let current: StreamEvent | undefined;
  let field: string | undefined;
  let textBuf = '';
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    if (tag.name === 'event') current = { stanza: String(tag.attributes.stanza ?? ''), data: '' };
    else if (current) {
      field = tag.name;
      textBuf = '';
    }
  });
  parser.on('text', (t) => {
    if (field) textBuf += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'event' && current) {
      events.push(current);
      current = undefined;
    } else if (current && field === tag.name) {
      (current as unknown as Record<string, string>)[tag.name] = textBuf;
      field = undefined;
    }
  });
  parser.write(body).close();
  return events;
}

/**
 * Polls `check` until it returns true or `timeoutMs` passes; then throws, naming `what` and adding
 * `detail()` (say, the collector's last log lines) so a failure explains itself.
 */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
  detail?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Collector events (`cloudhsm:audit:collector`), parsed, optionally of one `kind` only. */
export function collectorEvents(
  events: readonly StreamEvent[],
  kind?: string,
): Record<string, unknown>[] {
  return events
    .filter((e) => e.sourcetype === 'cloudhsm:audit:collector')
    .map((e) => JSON.parse(e.data) as Record<string, unknown>)
    .filter((e) => kind === undefined || e.kind === kind);
}

/** Counts occurrences of each `host\u0000data` pair: the identity of an audit record. */
export function identityCounts(events: Iterable<StreamEvent>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.sourcetype === 'cloudhsm:audit:collector') continue;
    const key = `${e.host}\u0000${e.data}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Missing and doubled records of `expected` (stream, message pairs) in `counts`. */
export function compareIdentities(
  expected: Iterable<{ logStreamName: string; message: string }>,
  counts: Map<string, number>,
): { missing: number; duplicated: number; unexpected: number } {
  const want = new Map<string, number>();
  for (const r of expected) {
    const key = `${r.logStreamName}\u0000${r.message}`;
    want.set(key, (want.get(key) ?? 0) + 1);
  }
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [key, n] of want) {
    const got = counts.get(key) ?? 0;
    if (got < n) missing += n - got;
    if (got > n) duplicated += got - n;
  }
  for (const [key, got] of counts) if (!want.has(key)) unexpected += got;
  return { missing, duplicated, unexpected };
}
