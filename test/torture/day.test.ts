/**
 * 24 simulated hours of a 4-HSM cluster (hsm2m, so with its certificate-storage stream) with late
 * ingestion and deliberate gaps, at accelerated time: the records of each simulated hour are put
 * into the emulator in one burst, bursts a fraction of a second apart, in ingestion order — so a
 * record delivered late (up to 15 minutes after its timestamp) arrives in a later burst, after
 * records that follow it. The collector polls every second throughout.
 *
 * Checks: every record exactly once, every late record collected, every deliberate gap reported
 * exactly once with its exact range and never resolved, every gap opened by a late record
 * resolved once it arrived.
 */
import { generate } from '../../src/simulator';
import {
  LONG,
  checkIdentities,
  collectorEvents,
  countIdentities,
  eventsOf,
  openTorture,
  putAll,
  sleep,
  waitForRecords,
  type TortureSession,
} from './support/torture';

jest.setTimeout(LONG ? 1_200_000 : 180_000);

const HOUR = 3_600_000;
const RECORDS = LONG ? 40_000 : 8_000;
const BURST_GAP_MS = LONG ? 2_000 : 400;

describe('torture: 24 simulated hours of a 4-HSM cluster', () => {
  let t: TortureSession;
  beforeAll(async () => {
    t = await openTorture('day');
  });
  afterAll(async () => t?.close());

  it('collects every record, reports every deliberate gap once and exactly, never resolves it', async () => {
    const start = Date.now() - 25 * HOUR;
    const options = {
      seed: 'torture-day',
      clusters: 1,
      hsms: 4,
      records: RECORDS,
      hsmType: 'hsm2m.medium' as const,
      startTime: start,
      gaps: LONG ? 24 : 8,
      late: LONG ? 120 : 30,
      lateMaxMinutes: 15,
    };
    // One activity writes several records (mirrored on every HSM): scale the pause to span 24 h.
    const spanOf = (records: { timestamp: number }[]) =>
      records.reduce((m, r) => Math.max(m, r.timestamp), 0) - start;
    let meanIntervalMs = 10_000;
    let sim = generate({ ...options, meanIntervalMs });
    for (let i = 0; i < 6 && Math.abs(spanOf(sim.records) - 24 * HOUR) > HOUR / 2; i++) {
      meanIntervalMs = Math.floor((meanIntervalMs * 24 * HOUR) / spanOf(sim.records));
      sim = generate({ ...options, meanIntervalMs });
    }
    const span = spanOf(sim.records);
    expect(span).toBeGreaterThan(22 * HOUR);
    expect(sim.late.length).toBeGreaterThan(0);

    // Hour h's burst: the records ingested during simulated hour h, in put order.
    const bursts: (typeof sim.records)[] = Array.from({ length: 26 }, () => []);
    for (const r of sim.records)
      bursts[Math.min(25, Math.floor((r.timestamp + r.ingestDelayMs - start) / HOUR))]!.push(r);
    await putAll(t.emu, bursts[0]!);
    const run = t.startFile('day', { health_interval: '3600' });
    for (let h = 1; h < bursts.length; h++) {
      await sleep(BURST_GAP_MS);
      await putAll(t.emu, bursts[h]!);
    }
    await waitForRecords(sim.records, () => run.stdout(), 120_000, 'the whole day');
    await sleep(2_500); // more polls: nothing new may appear, no gap may be resolved
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const events = eventsOf(run.stdoutFile, true);
    expect(checkIdentities(sim.records, countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(checkIdentities(sim.late, countIdentities(events)).missing).toBe(0);

    const gaps = collectorEvents(events, 'sequence_gap');
    const resolved = collectorEvents(events, 'sequence_gap_resolved');
    const isDeliberate = (g: Record<string, unknown>) =>
      sim.gaps.some(
        (d) => d.logStreamName === g.stream && d.firstSeq === g.first_missing_sequence_no,
      );
    for (const gap of sim.gaps) {
      const reports = gaps.filter(
        (g) => g.stream === gap.logStreamName && g.first_missing_sequence_no === gap.firstSeq,
      );
      expect(reports).toEqual([
        expect.objectContaining({
          stream: gap.logStreamName,
          first_missing_sequence_no: gap.firstSeq,
          last_missing_sequence_no: gap.lastSeq,
          missing_count: gap.lastSeq - gap.firstSeq + 1,
        }),
      ]);
      expect(
        resolved.filter(
          (r) => r.stream === gap.logStreamName && r.first_missing_sequence_no === gap.firstSeq,
        ),
      ).toEqual([]);
    }
    // Gaps that only late records caused were closed when those records arrived.
    for (const g of gaps.filter((x) => !isDeliberate(x))) {
      expect(resolved).toContainEqual(
        expect.objectContaining({
          stream: g.stream,
          first_missing_sequence_no: g.first_missing_sequence_no,
        }),
      );
    }
    process.stdout.write(
      `day torture: ${sim.records.length} records over ${(span / HOUR).toFixed(1)} h in 25 bursts, ${sim.late.length} late, ` +
        `${sim.gaps.length} deliberate gaps reported once each, ${gaps.length - sim.gaps.length} transient gaps resolved\n`,
    );
  });
});
