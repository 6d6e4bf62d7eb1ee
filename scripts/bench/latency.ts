/**
 * The earlier latency measurement, kept for comparison (`--only latency`): records appended at
 * `rate`/s for `seconds` to 4 streams (2 clusters x 2 HSMs) while the launcher polls at the
 * default 10 s with max_requests_per_second 100; latency = time the emulator stamped the record as
 * ingested → time the harness (polling the stdout file every 10 ms) saw it. The steady-state
 * fleets (steady.ts) measure latency at the default budget and a realistic fleet size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/simulator';
import { escapeXmlText } from '../../src/modinput/xmlText';
import { startCollector } from '../../test/collector/support/collectorProcess';
import { AWS_ENV } from './collectors';
import type { Emulator } from './emulator/control';
import { sleep } from './measure';

const POLL_SECONDS = 10;

export async function latencyRun(
  emu: Emulator,
  run: number,
  dir: string,
  rate: number,
  seconds: number,
): Promise<number[]> {
  await emu.reset();
  const sim = generate({
    seed: `latency-${run}`,
    clusters: 2,
    hsms: 2,
    records: Math.ceil((rate * seconds) / 2) + 10,
    hsmType: 'hsm1.medium',
    startTime: Date.now() - 60_000,
    meanIntervalMs: 100,
  });
  const byStream = new Map<string, typeof sim.records>();
  for (const r of sim.records) {
    const list = byStream.get(r.logStreamName) ?? [];
    list.push(r);
    byStream.set(r.logStreamName, list);
  }
  // Every stream exists with its first record before the collector starts.
  const initial = [...byStream.values()].map((list) => list.shift()!);
  await emu.put(initial.map((r) => ({ ...r, timestamp: Date.now() })));
  const queue = sim.records.filter((r) => !initial.includes(r));

  const collector = startCollector(
    {
      name: 'latency',
      checkpointDir: path.join(dir, `latency-checkpoints-${run}`),
      params: {
        regions: 'us-east-1',
        endpoint_url: emu.endpoint,
        max_requests_per_second: '100',
      },
    },
    dir,
    `latency-${run}`,
    AWS_ENV,
  );
  const ingested = new Map<string, number>();
  const latencies: number[] = [];
  const fd = fs.openSync(collector.stdoutFile, 'r');
  let offset = 0;
  let carry = '';
  const scan = () => {
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return;
    const buf = Buffer.allocUnsafe(size - offset);
    offset += fs.readSync(fd, buf, 0, buf.length, offset);
    const now = Date.now();
    const text = carry + buf.toString('utf8');
    const last = text.lastIndexOf('</event>');
    carry = last < 0 ? text : text.slice(last + 8);
    for (const m of text.slice(0, last + 8).matchAll(/<data>([\s\S]*?)<\/data>/g)) {
      const at = ingested.get(m[1]!);
      if (at !== undefined) {
        latencies.push(now - at);
        ingested.delete(m[1]!);
      }
    }
  };
  const waitUntil = async (check: () => boolean, ms: number, what: string) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`latency run: timed out waiting for ${what}`);
      scan();
      await sleep(10);
    }
  };
  await waitUntil(
    () =>
      fs.fstatSync(fd).size > 0 &&
      fs.readFileSync(collector.stdoutFile, 'utf8').split('<sourcetype>aws').length >
        initial.length,
    30_000,
    'the first poll',
  );
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const endAt = Date.now() + seconds * 1000;
  let next = Date.now();
  while (Date.now() < endAt && queue.length > 0) {
    const batch = queue.splice(0, perTick);
    const { ingestionTime } = await emu.put(batch.map((r) => ({ ...r, timestamp: Date.now() })));
    for (const r of batch) ingested.set(escapeXmlText(r.message, { replaced: 0 }), ingestionTime);
    next += tickMs;
    while (Date.now() < next) {
      scan();
      await sleep(10);
    }
  }
  await waitUntil(() => ingested.size === 0, (POLL_SECONDS + 20) * 1000, 'every appended record');
  fs.closeSync(fd);
  collector.child.kill('SIGTERM');
  await collector.exited;
  return latencies;
}
