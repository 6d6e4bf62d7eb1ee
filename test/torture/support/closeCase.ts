/**
 * The closing-reader case shared by the FIFO and socketpair suites (one file each, so jest runs
 * them side by side): data, arrivals with identical certificate-storage twins, the repeated
 * closes, and the assertions, which fail with the counts.
 */
import seedrandom from 'seedrandom';
import type { PutRecord } from '../../../scripts/bench/emulator/control';
import { generate } from '../../../src/simulator';
import { closeRepeatedly, type Transport } from './closing';
import { LONG, openTorture, putAll, type Expected, type TortureSession } from './torture';

/** Records a slice holds at most (src/collector/streamPoller.ts). */
const SLICE_SIZE = 500;
export const CLOSES = LONG ? 200 : 50;

export function closeCase(transport: Transport): void {
  describe(`torture: stdout a ${transport} whose reader closes it`, () => {
    let t: TortureSession;
    beforeAll(async () => {
      t = await openTorture(`close-${transport}`);
      await t.emu.setPageBytes(256 * 1024);
    });
    afterAll(async () => t?.close());

    it(`loses nothing over ${CLOSES} closes at random points`, async () => {
      const sim = generate({
        seed: `torture-close-${transport}`,
        clusters: 2,
        hsms: 2,
        records: LONG ? 60_000 : 6_000,
        hsmType: 'hsm2m.medium',
        meanIntervalMs: 300,
      });
      // A backlog of a few MB, then a few records every 300 ms until the last close.
      const backlog = Math.floor(sim.records.length * 0.5);
      await putAll(t.emu, sim.records.slice(0, backlog));
      const expected: Expected[] = sim.records.slice(0, backlog).map((r) => ({ ...r }));

      // The rest arrives while the runs go on, with two identical certificate-storage failures
      // in one millisecond every tenth batch: both must be delivered.
      const certstore = sim.records.find((r) => r.kind === 'certstore')!;
      const rest = sim.records.slice(backlog);
      const batches: PutRecord[][] = [];
      const perBatch = Math.max(1, Math.floor(rest.length / (CLOSES * 25)));
      for (let i = 0; i * perBatch < rest.length; i++) {
        const batch: PutRecord[] = rest.slice(i * perBatch, (i + 1) * perBatch).map((r) => ({
          logGroupName: r.logGroupName,
          logStreamName: r.logStreamName,
          timestamp: r.timestamp,
          message: r.message,
        }));
        if (i % 10 === 0 && batch.length > 0) {
          // Stamped like the batch's records: the simulation's clock, so nothing arrives late.
          const ts = batch[batch.length - 1]!.timestamp;
          const twin = JSON.stringify(
            {
              object_handle: null,
              op_code: 'CreateObject',
              response: 'MaxObjectsReached',
              attributes: null,
              timestamp: ts,
            },
            null,
            2,
          );
          const at = {
            logGroupName: certstore.logGroupName,
            logStreamName: certstore.logStreamName,
          };
          batch.push(
            { ...at, timestamp: ts, message: twin },
            { ...at, timestamp: ts, message: twin },
          );
        }
        batches.push(batch);
      }

      const report = await closeRepeatedly({
        transport,
        t,
        closes: CLOSES,
        random: seedrandom(`close-moments-${transport}`),
        expected,
        arrivals: batches,
        params: { max_requests_per_second: '20', health_interval: '3600' },
        catchUpMs: LONG ? 600_000 : 150_000,
      });
      process.stdout.write(`${transport} close torture: ${JSON.stringify(report)}\n`);

      expect({
        missing: report.missing,
        unexpected: report.unexpected,
        notExited: report.notExited,
        crashed: report.crashed,
      }).toEqual({ missing: 0, unexpected: 0, notExited: [], crashed: [] });
      // Closes must land both while records stream out and while the input idles.
      expect(report.closedAfterBytes).toBeGreaterThan(CLOSES / 4);
      expect(report.closedAfterTime).toBeGreaterThan(CLOSES / 4);
      expect(report.closedAfterStop).toBeGreaterThan(CLOSES / 4);
      expect(report.capacityBytes).toBeGreaterThan(0);
      // The documented bound (RELIABILITY.md): what the pipe held unread and the piece being
      // written when the reader went, plus the slice that straddled the last checkpoint.
      const bound = Math.ceil((2 * report.capacityBytes) / report.smallestEventBytes) + SLICE_SIZE;
      expect(report.doubledPerClose.filter((n) => n > bound)).toEqual([]);
    });
  });
}
