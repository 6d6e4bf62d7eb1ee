/**
 * The simulator against a real CloudWatch Logs API (moto): every record of the manifest lands
 * once, in the right group and stream; slices can be written apart (new streams appear later);
 * more than 10,000 records page; throttling and 5xx are retried; stale timestamps fail loudly.
 */
import { generate, simulate, SimulatorWriter, type SimulatedRecord } from '../../src/simulator';
import { startFaultProxy } from '../support/faultProxy';
import { logsClient } from '../support/logsClient';
import { startMoto, type MotoServer } from '../support/moto';
import { listStreams, readAll, readStream, type StoredEvent } from '../support/readBack';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(() => moto.reset());

const key = (r: { logGroupName: string; logStreamName: string; message: string }) =>
  `${r.logGroupName}|${r.logStreamName}|${r.message}`;
const seqOf = (message: string) =>
  Number.parseInt(/^Sequence No[ \t]*: 0x([0-9a-f]+)$/m.exec(message)?.[1] ?? 'NaN', 16);

function expectSameRecords(stored: StoredEvent[], records: readonly SimulatedRecord[]): void {
  const storedKeys = stored.map(key).sort();
  expect(new Set(storedKeys).size).toBe(storedKeys.length); // none doubled
  expect(storedKeys).toEqual(records.map(key).sort()); // none missing, none extra
}

describe('simulator → moto', () => {
  it('lands every record of the manifest once, with gaps, late records and a replaced HSM', async () => {
    const client = logsClient(moto.endpoint);
    const { simulation, report } = await simulate({
      client,
      seed: 'landing',
      clusters: 2,
      hsms: 3,
      records: 500,
      gaps: 2,
      late: 3,
      replaceHsm: true,
    });
    const stored = await readAll(client);
    expectSameRecords(stored, simulation.records);
    expect(report.events).toBe(simulation.records.length);
    expect(report.groupsCreated).toBe(2);
    expect(report.streamsCreated).toBe(2 * 4 + 1); // 3 HSMs + 1 replacement each, 1 certstore stream

    // Per stream (moto returns timestamp order), sequence numbers run 0, 1, 2 … except the gaps.
    for (const cluster of simulation.clusters) {
      for (const stream of cluster.streams.filter((s) => s.kind === 'audit')) {
        const seqs = stored
          .filter(
            (e) =>
              e.logGroupName === cluster.logGroupName && e.logStreamName === stream.logStreamName,
          )
          .map((e) => seqOf(e.message));
        const skipped = simulation.gaps
          .filter(
            (g) =>
              g.logGroupName === cluster.logGroupName && g.logStreamName === stream.logStreamName,
          )
          .flatMap((g) => g.skipped.map((r) => r.seq));
        const expected = Array.from({ length: stream.sequenceCount }, (_, i) => i).filter(
          (seq) => !skipped.includes(seq),
        );
        expect(seqs).toEqual(expected);
      }
    }
    expect(simulation.gaps).toHaveLength(2);

    // A late record was ingested no earlier than a record of its stream with a later timestamp.
    for (const late of simulation.late) {
      const mine = stored.find((e) => e.message === late.message) as StoredEvent;
      const overtaken = stored.filter(
        (e) => e.logStreamName === late.logStreamName && e.timestamp > late.timestamp,
      );
      expect(overtaken.some((e) => e.ingestionTime <= mine.ingestionTime)).toBe(true);
    }
    client.destroy();
  });

  it('writes in slices: a stream exists only once its first record is put', async () => {
    const client = logsClient(moto.endpoint);
    const simulation = generate({
      seed: 'slices',
      records: 300,
      hsms: 2,
      replaceHsm: true,
      hsmType: 'hsm1.medium',
    });
    const cluster = simulation.clusters[0];
    const added = cluster?.streams.find((s) => s.addedMidRun);
    const firstOfAdded = simulation.records.findIndex(
      (r) => r.logStreamName === added?.logStreamName,
    );
    expect(firstOfAdded).toBeGreaterThan(0);
    const writer = new SimulatorWriter(client);
    await writer.write(simulation.records.slice(0, firstOfAdded));
    expect(await listStreams(client, cluster?.logGroupName as string)).not.toContain(
      added?.logStreamName,
    );
    await writer.write(simulation.records.slice(firstOfAdded));
    expect(await listStreams(client, cluster?.logGroupName as string)).toContain(
      added?.logStreamName,
    );
    expectSameRecords(await readAll(client), simulation.records);
    client.destroy();
  });

  it('stores a duplicated record twice in CloudWatch, as a retried put does', async () => {
    const client = logsClient(moto.endpoint);
    const { simulation } = await simulate({
      client,
      seed: 'dups',
      records: 100,
      hsms: 2,
      duplicates: 2,
      hsmType: 'hsm1.medium',
    });
    const stored = await readAll(client);
    expect(stored).toHaveLength(simulation.records.length);
    for (const copy of simulation.duplicates)
      expect(stored.filter((e) => e.message === copy.message)).toHaveLength(2);
    client.destroy();
  });

  it('writes more than 10,000 records of one stream in several calls, read back across pages', async () => {
    const client = logsClient(moto.endpoint);
    const { simulation, report } = await simulate({
      client,
      seed: 'big',
      records: 12_000,
      hsms: 1,
      hsmType: 'hsm1.medium',
      meanIntervalMs: 500,
    });
    expect(report.putCalls).toBeGreaterThanOrEqual(2);
    const stream = simulation.clusters[0]?.streams[0];
    const stored = await readStream(
      client,
      simulation.clusters[0]?.logGroupName as string,
      stream?.logStreamName as string,
    );
    expect(stored).toHaveLength(12_000);
    expect(stored.map((e) => seqOf(e.message))).toEqual(
      Array.from({ length: 12_000 }, (_, i) => i),
    );
    client.destroy();
  });

  it('retries throttling and 5xx answers, and still lands every record once', async () => {
    const proxy = await startFaultProxy(moto.endpoint, {
      rules: [
        { operation: 'PutLogEvents', fault: 'throttle', times: 2 },
        { operation: 'CreateLogStream', fault: 'serviceUnavailable', times: 1 },
      ],
    });
    const client = logsClient(proxy.url, { maxAttempts: 1 }); // the writer's own retries, not the SDK's
    const simulation = generate({ seed: 'retry', records: 200, hsms: 2, hsmType: 'hsm1.medium' });
    const report = await new SimulatorWriter(client, { sleep: async () => undefined }).write(
      simulation.records,
    );
    expect(report.retries).toBe(3);
    expect(proxy.stats.injected).toEqual({ throttle: 2, serviceUnavailable: 1 });
    const direct = logsClient(moto.endpoint);
    expectSameRecords(await readAll(direct), simulation.records);
    direct.destroy();
    client.destroy();
    await proxy.close();
  });

  it('fails loudly when CloudWatch refuses timestamps older than 14 days', async () => {
    const client = logsClient(moto.endpoint);
    await expect(
      simulate({
        client,
        seed: 'old',
        records: 20,
        hsms: 1,
        startTime: Date.now() - 30 * 86_400_000,
      }),
    ).rejects.toThrow(/rejected events .*14 days/);
    client.destroy();
  });
});
