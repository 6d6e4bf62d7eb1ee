#!/usr/bin/env node
/**
 * `npm run demo`: the app's main job end to end on this machine, with nothing from AWS or Splunk.
 *
 *   1. starts a local CloudWatch Logs emulator (moto, from the project's .venv);
 *   2. simulates two CloudHSM clusters writing a few hundred audit records into it (with one
 *      sequence gap and two records ingested late, as real clusters sometimes do);
 *   3. runs the built modular input through its launcher exactly as splunkd does: the <input> XML
 *      on stdin, a checkpoint folder, stdout to a file — until every record is collected, then
 *      SIGTERM;
 *   4. prints what a Splunk admin would look at: records per HSM and opcode, integrity findings,
 *      and where the raw event stream was written.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build', 'demo');
// The package an x86-64 (or ARM64) Linux host installs: its launcher runs the bundled Node 24, so
// the demo needs no Node 22 of its own.
const variant = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x86_64';
const launcher = path.join(root, 'build', variant, 'cloudhsm_audit', 'bin', 'cloudhsm_audit.sh');
const simulator = path.join(root, 'build', 'tools', 'simulator.js');
const motoServer = path.join(root, '.venv', 'bin', 'moto_server');
// moto accepts any credentials; these are placeholders, not secrets.
const awsEnv = {
  AWS_ACCESS_KEY_ID: 'AKIDEMOEXAMPLE000000',
  AWS_SECRET_ACCESS_KEY: 'demo-not-a-secret',
};

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

for (const [file, hint] of [
  [launcher, 'npm run package'],
  [simulator, 'npm run package'],
  [motoServer, 'bash scripts/setup.sh demo'],
]) {
  if (!fs.existsSync(file)) fail(`${path.relative(root, file)} is missing: run ${hint}`);
}

/** Starts moto on a free loopback port; resolves with its endpoint once it answers. */
async function startMoto() {
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('moto did not start within 60 s')), 60_000);
    const onData = (chunk) => {
      seen += chunk.toString();
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`moto exited with code ${code}: ${seen.slice(-500)}`)),
    );
  });
  child.stdout.resume();
  child.stderr.resume();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args[0] ?? ''} exited with ${code}`)),
    );
  });
}

const xmlEscape = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Whole <event>s of a (possibly still growing) stream, parsed with a strict XML parser. */
function parseEvents(text) {
  const last = text.lastIndexOf('</event>');
  const body = last < 0 ? '<stream></stream>' : `${text.slice(0, last + 8)}</stream>`;
  const events = [];
  let current;
  let field;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if (tag.name === 'event') current = {};
    else if (current) {
      field = tag.name;
      current[field] = '';
    }
  });
  parser.on('text', (t) => {
    if (current && field) current[field] += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'event') {
      events.push(current);
      current = undefined;
    }
    field = undefined;
  });
  parser.write(body).close();
  return events;
}

async function main() {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const moto = await startMoto();
  try {
    const manifestFile = path.join(out, 'manifest.json');
    process.stdout.write(`demo: local CloudWatch Logs emulator at ${moto.endpoint}\n\n`);
    await run(
      process.execPath,
      [
        simulator,
        '--endpoint',
        moto.endpoint,
        '--region',
        'us-east-1',
        '--clusters',
        '2',
        '--hsms',
        '3',
        '--records',
        '200',
        '--gaps',
        '1',
        '--late',
        '2',
        '--seed',
        'demo',
        '--manifest',
        manifestFile,
      ],
      { env: { ...process.env, ...awsEnv } },
    );
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const expected = manifest.records.length;

    const eventsFile = path.join(out, 'events.xml');
    const logFile = path.join(out, 'collector.log');
    const input =
      `<input><server_host>demo</server_host><server_uri>https://127.0.0.1:8089</server_uri>` +
      `<session_key>demo</session_key><checkpoint_dir>${xmlEscape(path.join(out, 'checkpoints'))}</checkpoint_dir>` +
      `<configuration><stanza name="cloudhsm_audit://demo">` +
      `<param name="regions">us-east-1</param><param name="endpoint_url">${xmlEscape(moto.endpoint)}</param>` +
      `<param name="poll_interval">2</param><param name="health_interval">5</param>` +
      `</stanza></configuration></input>`;
    process.stdout.write(`\ndemo: running ${path.relative(root, launcher)} as splunkd would\n`);
    const stdout = fs.openSync(eventsFile, 'w');
    const stderr = fs.openSync(logFile, 'w');
    const collector = spawn(launcher, [], {
      stdio: ['pipe', stdout, stderr],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...awsEnv },
    });
    collector.stdin.end(input);
    const exited = new Promise((resolve) => collector.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 120_000;
    let records = [];
    let health = false;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const events = parseEvents(fs.readFileSync(eventsFile, 'utf8'));
      records = events.filter((e) => e.sourcetype !== 'cloudhsm:audit:collector');
      health = events.some(
        (e) => e.sourcetype === 'cloudhsm:audit:collector' && JSON.parse(e.data).kind === 'health',
      );
      if (records.length >= expected && health) break;
    }
    collector.kill('SIGTERM');
    const code = await exited;
    const events = parseEvents(fs.readFileSync(eventsFile, 'utf8'));
    records = events.filter((e) => e.sourcetype !== 'cloudhsm:audit:collector');
    const findings = events
      .filter((e) => e.sourcetype === 'cloudhsm:audit:collector')
      .map((e) => JSON.parse(e.data));

    const byHsm = new Map();
    for (const e of records) {
      const opcode = e.sourcetype.endsWith(':certstore')
        ? `certstore ${/"op_code"\s*:\s*"([^"]*)"/.exec(e.data)?.[1] ?? '?'}`
        : (/^Opcode[ \t]*:[ \t]*(\S+)/m.exec(e.data)?.[1] ?? '(unreadable)');
      const hsm = byHsm.get(e.host) ?? new Map();
      hsm.set(opcode, (hsm.get(opcode) ?? 0) + 1);
      byHsm.set(e.host, hsm);
    }
    const lines = [
      '',
      `Collected ${records.length} of ${expected} simulated records (collector exit code ${code}).`,
      '',
    ];
    for (const [hsm, opcodes] of [...byHsm].sort()) {
      const total = [...opcodes.values()].reduce((a, b) => a + b, 0);
      lines.push(`${hsm}: ${total} records`);
      for (const [op, n] of [...opcodes].sort((a, b) => b[1] - a[1]))
        lines.push(`    ${String(n).padStart(4)}  ${op}`);
    }
    lines.push('', 'Audit integrity (cloudhsm:audit:collector events):');
    const gaps = findings.filter((f) => f.kind === 'sequence_gap');
    const resolved = findings.filter((f) => f.kind === 'sequence_gap_resolved');
    for (const g of gaps) {
      const filled = resolved.some(
        (r) => r.stream === g.stream && r.first_missing_sequence_no === g.first_missing_sequence_no,
      );
      lines.push(
        `  gap in ${g.stream}: sequence ${g.first_missing_sequence_no}..${g.last_missing_sequence_no} (${g.missing_count} missing)` +
          (filled
            ? ' — filled later by late records'
            : ' — never filled: records missing from the audit trail'),
      );
    }
    if (gaps.length === 0) lines.push('  no sequence gap');
    const h = findings.filter((f) => f.kind === 'health');
    lines.push(
      `  ${h.length} health events; ${findings.filter((f) => f.kind === 'error').length} error events`,
    );
    lines.push('', `Raw event stream (what splunkd indexes): ${path.relative(root, eventsFile)}`);
    lines.push(`Collector log (what splunkd.log shows):   ${path.relative(root, logFile)}`);
    lines.push(
      `Simulation manifest:                      ${path.relative(root, manifestFile)}`,
      '',
    );
    process.stdout.write(lines.join('\n'));
    if (records.length < expected || code !== 0) process.exitCode = 1;
  } finally {
    moto.stop();
  }
}

main().catch((err) => fail(err.message));
