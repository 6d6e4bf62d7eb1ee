/**
 * splunkd going away: the reader of the collector's stdout closes the pipe in the middle of the
 * stream. The collector must notice (EPIPE), stop writing, exit on its own within seconds — never
 * hang — and lose nothing: what it could not deliver was never checkpointed, so the next run
 * writes it. As with a kill, only the slice in flight can be delivered twice (≤ 500 records).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/simulator';
import { inputXml, parseStream, requireLauncher } from '../collector/support/collectorProcess';
import {
  AWS_ENV,
  LONG,
  checkIdentities,
  countIdentities,
  openTorture,
  putAll,
  recordCount,
  startPiped,
  waitUntil,
  type TortureSession,
} from './support/torture';

jest.setTimeout(LONG ? 900_000 : 180_000);

const CLOSES = LONG ? 10 : 2;

describe('torture: stdout closed by its reader', () => {
  let t: TortureSession;
  beforeAll(async () => {
    t = await openTorture('output');
    await t.emu.setPageBytes(256 * 1024);
  });
  afterAll(async () => t?.close());

  it(`exits on its own and loses nothing when the reader goes away (${CLOSES} times)`, async () => {
    const sim = generate({
      seed: 'torture-output',
      clusters: 2,
      hsms: 3,
      records: LONG ? 100_000 : 20_000,
      hsmType: 'mixed',
      meanIntervalMs: 200,
      startTime: Date.now() - 6 * 3_600_000,
    });
    await putAll(t.emu, sim.records);
    const received: string[] = [];
    const params = { max_requests_per_second: '10', health_interval: '3600' };
    for (let i = 0; i < CLOSES; i++) {
      const child = spawn(requireLauncher(), [], {
        stdio: ['pipe', 'pipe', fs.openSync(path.join(t.dir, `close-${i}.stderr.log`), 'w')],
        env: { PATH: process.env.PATH ?? '', ...AWS_ENV },
      });
      child.stdin!.end(inputXml(t.input(params)));
      const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
        child.on('exit', (code) => resolve({ code, at: Date.now() })),
      );
      // Read about 300 KB (a few hundred events), then close the read end like a dying splunkd.
      const chunks: Buffer[] = [];
      let bytes = 0;
      const closedAt = await new Promise<number>((resolve) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (bytes >= 300_000) return;
          chunks.push(chunk);
          bytes += chunk.length;
          if (bytes >= 300_000) {
            child.stdout!.destroy();
            resolve(Date.now());
          }
        });
      });
      const { code, at } = await exited;
      const stderr = fs.readFileSync(path.join(t.dir, `close-${i}.stderr.log`), 'utf8');
      // It stopped by itself, quickly, saying why.
      expect({ exitedBySelf: code !== null, seconds: (at - closedAt) / 1000 < 15 }).toEqual({
        exitedBySelf: true,
        seconds: true,
      });
      expect(stderr).toMatch(/stdout closed: splunkd stopped reading the event stream/);
      received.push(Buffer.concat(chunks).toString('utf8'));
    }
    const last = startPiped(t.input(params), t.dir, 'after-close');
    const before = received.flatMap((text) => parseStream(text, { complete: false }));
    const beforeRecords = before.filter((e) => e.sourcetype !== 'cloudhsm:audit:collector').length;
    await waitUntil(
      // A cheap count first: a full strict parse of the growing output on every check is slow
      // on a loaded machine (seen timing out while the long kill torture ran beside it).
      () =>
        recordCount(last.stdoutFile) + beforeRecords >= sim.records.length &&
        checkIdentities(
          sim.records,
          countIdentities([...before, ...parseStream(last.stdout(), { complete: false })]),
        ).missing === 0,
      LONG ? 600_000 : 240_000,
      'every record after the reader came back',
    );
    last.child.kill('SIGTERM');
    expect((await last.done).code).toBe(0);
    const report = checkIdentities(
      sim.records,
      countIdentities([...before, ...parseStream(last.stdout())]),
    );
    process.stdout.write(
      `stdout-closed torture: ${CLOSES} closes, ${sim.records.length} records, ${JSON.stringify(report)}\n`,
    );
    expect({ missing: report.missing, unexpected: report.unexpected }).toEqual({
      missing: 0,
      unexpected: 0,
    });
    expect(report.duplicated).toBeLessThanOrEqual(500 * CLOSES);
  });
});
