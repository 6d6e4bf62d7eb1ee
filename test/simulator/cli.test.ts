/**
 * The simulator's command line: arguments checked with errors naming the bad one, and the built
 * bundle (build/tools/simulator.js) writing into moto what its manifest says, repeatably.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCliArgs, UsageError } from '../../src/simulator/cliArgs';
import type { Simulation } from '../../src/simulator';
import { logsClient } from '../support/logsClient';
import { startMoto, type MotoServer } from '../support/moto';
import { readAll } from '../support/readBack';

const BUNDLE = path.resolve(__dirname, '../../build/tools/simulator.js');

describe('simulator arguments', () => {
  it('parses every option', () => {
    const options = parseCliArgs([
      '--endpoint',
      'http://127.0.0.1:4566',
      '--region',
      'eu-west-1',
      '--clusters',
      '2',
      '--hsms',
      '3',
      '--records',
      '500',
      '--seed',
      '42',
      '--hsm-type',
      'hsm2m.medium',
      '--certstore-records',
      '7',
      '--separator',
      'tab',
      '--extra-lines',
      'on',
      '--gaps',
      '2',
      '--max-gap-size',
      '1',
      '--late',
      '3',
      '--late-max-minutes',
      '20',
      '--duplicates',
      '4',
      '--replace-hsm',
      '--reboot-hsm',
      '--start-time',
      '2026-01-15T08:00:00Z',
      '--mean-interval-ms',
      '100',
      '--manifest',
      'm.json',
    ]);
    expect(options).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-1',
      manifest: 'm.json',
      dryRun: false,
      help: false,
      simulation: {
        seed: '42',
        clusters: 2,
        hsms: 3,
        records: 500,
        hsmType: 'hsm2m.medium',
        certstoreRecords: 7,
        separator: 'tab',
        extraLines: true,
        gaps: 2,
        maxGapSize: 1,
        late: 3,
        lateMaxMinutes: 20,
        duplicates: 4,
        replaceHsm: true,
        rebootHsm: true,
        startTime: Date.UTC(2026, 0, 15, 8),
        meanIntervalMs: 100,
      },
    });
    expect(parseCliArgs([], { AWS_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
  });

  it.each([
    [['--records', 'abc'], '--records must be an integer from 1 to 10000000, got "abc"'],
    [['--hsms', '0'], '--hsms must be an integer'],
    [['--clusters', '-1'], '--clusters'],
    [['--separator', 'comma'], '--separator must be one of space, none, tab, got "comma"'],
    [['--hsm-type', 'hsm3'], '--hsm-type must be one of'],
    [['--extra-lines', 'yes'], '--extra-lines must be one of on, off'],
    [['--start-time', 'yesterday'], '--start-time must be an ISO 8601 date'],
    [['--endpoint', 'ftp://x'], '--endpoint must be an http:// or https:// URL'],
    [['--region', 'Mars'], '--region must be an AWS region'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--records'], "Option '--records <value>' argument missing"],
  ])('rejects %j naming the argument', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulator bundle', () => {
  let moto: MotoServer;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(BUNDLE))
      throw new Error(
        'build/tools/simulator.js is missing: npx webpack --mode production --config-name tools',
      );
    moto = await startMoto();
    dir = mkdtempSync(path.join(tmpdir(), 'simulator-cli-'));
  });
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes what its manifest lists and prints a summary', async () => {
    const manifest = path.join(dir, 'manifest.json');
    const result = await run([
      '--endpoint',
      moto.endpoint,
      '--region',
      'us-east-1',
      '--clusters',
      '2',
      '--hsms',
      '2',
      '--records',
      '80',
      '--seed',
      '7',
      '--gaps',
      '1',
      '--late',
      '1',
      '--manifest',
      manifest,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const simulation = JSON.parse(readFileSync(manifest, 'utf8')) as Simulation;
    expect(result.stdout).toContain(simulation.clusters[0]?.logGroupName);
    expect(result.stdout).toMatch(
      /^gap: \/aws\/cloudhsm\/cluster-\S+ hsm-\S+ seq 0x[0-9a-f]+\.\.0x[0-9a-f]+ not written$/m,
    );
    expect(result.stdout).toContain(`wrote ${simulation.records.length} records`);
    const client = logsClient(moto.endpoint);
    const stored = (await readAll(client))
      .map((e) => `${e.logGroupName}|${e.logStreamName}|${e.message}`)
      .sort();
    client.destroy();
    expect(stored).toEqual(
      simulation.records.map((r) => `${r.logGroupName}|${r.logStreamName}|${r.message}`).sort(),
    );
  });

  it('repeats a dry run exactly for one seed', async () => {
    const args = [
      '--dry-run',
      '--records',
      '50',
      '--seed',
      'again',
      '--start-time',
      '2026-01-15T08:00:00Z',
    ];
    const first = await run(args);
    const second = await run(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout.trim().split('\n')).toHaveLength(50);
  });

  it('exits 2 and names the bad argument', async () => {
    const result = await run(['--hsms', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'simulator: --hsms must be an integer from 1 to 32, got "many"',
    );
    expect(result.stdout).toBe('');
  });
});
