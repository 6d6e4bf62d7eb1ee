/**
 * The collector through the built launcher against a real CloudWatch Logs API (moto): every record
 * of every stream, paginated past 10,000 records, new clusters and streams found while running,
 * gaps reported and resolved, records ingested late still collected, health events.
 */
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { generate, SimulatorWriter } from '../../src/simulator';
import { collectorEvents, compareIdentities, identityCounts } from './support/collectorProcess';
import {
  AWS_ENV,
  eventCount,
  eventsSoFar,
  input,
  openSession,
  stopCollector,
  waitFor,
  type TestSession,
} from './support/session';

// Each test runs the real launcher against moto; on a loaded 2-core machine that takes a while.
jest.setTimeout(180_000);

describe('collector against moto, through the launcher', () => {
  let session: TestSession;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(async () => session?.close());
  beforeEach(async () => session.moto.reset());

  it('collects every record of many streams once, paging past 10,000 records per stream', async () => {
    const big = generate({
      seed: 'pagination',
      clusters: 2,
      hsms: 1,
      records: 10_500,
      hsmType: 'hsm1.medium',
    });
    // Many streams: 4 clusters of 4 HSMs, two of them hsm2m with a certificate-storage stream.
    const many = generate({ seed: 'many', clusters: 4, hsms: 4, records: 300, hsmType: 'mixed' });
    const sim = { records: [...big.records, ...many.records] };
    await new SimulatorWriter(session.client).write(sim.records);
    expect(new Set(sim.records.map((r) => r.logStreamName)).size).toBeGreaterThanOrEqual(20);
    expect(sim.records.some((r) => r.kind === 'certstore')).toBe(true);
    const perStream = new Map<string, number>();
    for (const r of sim.records)
      perStream.set(r.logStreamName, (perStream.get(r.logStreamName) ?? 0) + 1);
    expect(Math.max(...perStream.values())).toBeGreaterThan(10_000);

    const run = session.start(input(session, 'pages', {}), 'pages', AWS_ENV);
    await waitFor(() => eventCount(run) >= sim.records.length, 120_000, 'every record');
    const events = await stopCollector(run);
    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    const record = events.find((e) => e.sourcetype === 'aws:cloudwatch:cloudhsm')!;
    const source = sim.records.find((r) => r.message === record.data)!;
    expect(record.host).toBe(source.logStreamName);
    expect(record.source).toBe(`aws:cloudhsm:us-east-1:${source.logGroupName}`);
    expect(record.time).toBe(
      `${String(source.usecs).slice(0, -6)}.${String(source.usecs).slice(-6)}`,
    );
    expect(record.stanza).toBe('cloudhsm_audit://pages');
  });

  it('picks up a cluster created and an HSM stream added while it runs, and reports the new stream', async () => {
    const first = generate({
      seed: 'first',
      clusters: 1,
      hsms: 2,
      records: 200,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(first.records);
    const run = session.start(
      input(session, 'discover', { discovery_interval: '5' }),
      'discover',
      AWS_ENV,
    );
    await waitFor(() => eventCount(run) >= first.records.length, 60_000, 'the first cluster');

    const second = generate({
      seed: 'second',
      clusters: 1,
      hsms: 2,
      records: 150,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(second.records);
    const group = first.clusters[0]!.logGroupName;
    const added = 'hsm-addedmidrun';
    const message = [
      'Time: 11/27/26 10:00:00.000001, usecs:' + `${Date.now() - 1000}000`,
      'Sequence No : 0x0',
      'Reboot counter : 0x1',
      'Command Type(hex) : CN_MGMT_CMD (0x0)',
      'Opcode : CN_LOGIN (0xd)',
      'Session Handle : 0x1004001',
      'Response : 0:HSM Return: SUCCESS',
      'Log type : MGMT_USER_DETAILS_LOG (2)',
      'User Name : admin',
      'User Type : CN_CRYPTO_OFFICER (2)',
    ].join('\n');
    await session.client.send(
      new CreateLogStreamCommand({ logGroupName: group, logStreamName: added }),
    );
    await session.client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: added,
        logEvents: [{ timestamp: Date.now() - 1000, message }],
      }),
    );
    const expected = [...first.records, ...second.records, { logStreamName: added, message }];
    await waitFor(
      () => compareIdentities(expected, identityCounts(eventsSoFar(run))).missing === 0,
      60_000,
      'the new cluster and stream',
    );
    const events = await stopCollector(run);
    expect(compareIdentities(expected, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    const addedEvents = collectorEvents(events, 'stream_added');
    expect(addedEvents.map((e) => e.stream)).toContain(added);
    expect(addedEvents.find((e) => e.stream === added)).toMatchObject({
      log_group: group,
      aws_region: 'us-east-1',
    });
    expect(run.stderr()).toMatch(/^WARN new HSM stream .*stream=hsm-addedmidrun/m);
  });

  it('reports sequence gaps, and collects late records and reports the gaps they fill as resolved', async () => {
    const sim = generate({
      seed: 'gaps-and-late',
      clusters: 1,
      hsms: 3,
      records: 400,
      gaps: 2,
      late: 4,
      lateMaxMinutes: 15,
      hsmType: 'hsm1.medium',
    });
    expect(sim.gaps).toHaveLength(2);
    expect(sim.late.length).toBe(4);
    // The records before the first late one are in CloudWatch when the collector starts; the
    // rest, late ones included, arrive while it runs.
    const firstLate = sim.records.findIndex((r) => r.ingestDelayMs > 0);
    const writer = new SimulatorWriter(session.client);
    await writer.write(sim.records.slice(0, firstLate));
    const run = session.start(input(session, 'late', {}), 'late', AWS_ENV);
    await waitFor(
      () => eventCount(run) >= firstLate,
      60_000,
      'the records put before the late ones',
    );
    await writer.write(sim.records.slice(firstLate));
    await waitFor(
      () => compareIdentities(sim.records, identityCounts(eventsSoFar(run))).missing === 0,
      60_000,
      'the late records',
    );
    const events = await stopCollector(run);
    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    // Every deliberate gap is reported with its exact range, and never as resolved.
    const gaps = collectorEvents(events, 'sequence_gap');
    for (const gap of sim.gaps) {
      expect(gaps).toContainEqual(
        expect.objectContaining({
          stream: gap.logStreamName,
          first_missing_sequence_no: gap.firstSeq,
          last_missing_sequence_no: gap.lastSeq,
          missing_count: gap.lastSeq - gap.firstSeq + 1,
        }),
      );
    }
    const resolved = collectorEvents(events, 'sequence_gap_resolved');
    for (const gap of sim.gaps) {
      expect(
        resolved.filter(
          (r) => r.stream === gap.logStreamName && r.first_missing_sequence_no === gap.firstSeq,
        ),
      ).toEqual([]);
    }
    // A gap opened by a late record's absence is closed when it arrives.
    const lateGaps = gaps.filter(
      (g) =>
        !sim.gaps.some(
          (d) => d.logStreamName === g.stream && d.firstSeq === g.first_missing_sequence_no,
        ),
    );
    for (const g of lateGaps) {
      expect(resolved).toContainEqual(
        expect.objectContaining({
          stream: g.stream,
          first_missing_sequence_no: g.first_missing_sequence_no,
        }),
      );
    }
    expect(run.stderr()).toMatch(
      /^WARN sequence gap: records missing from the audit trail .*missing=/m,
    );
  });

  it('writes a health event and an INFO line per log group', async () => {
    const sim = generate({
      seed: 'health',
      clusters: 1,
      hsms: 2,
      records: 50,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(sim.records);
    const run = session.start(
      input(session, 'health', { health_interval: '5' }),
      'health',
      AWS_ENV,
    );
    await waitFor(
      () => collectorEvents(eventsSoFar(run), 'health').length > 0,
      60_000,
      'a health event',
    );
    const events = await stopCollector(run);
    const health = collectorEvents(events, 'health')[0]!;
    expect(health).toMatchObject({
      log_group: sim.clusters[0]!.logGroupName,
      cluster_id: sim.clusters[0]!.clusterId,
      aws_region: 'us-east-1',
      input: 'health',
      records_written: sim.records.length,
      throttled_calls: 0,
      errors: 0,
      streams: 2,
      open_gaps: 0,
    });
    expect(health.api_calls).toEqual(expect.any(Number));
    expect(health.lag_seconds).toEqual(expect.any(Number));
    expect(run.stderr()).toMatch(/^INFO health .*records_written_total=\d+/m);
  });
});

describe('collector across a graceful restart, against moto', () => {
  let session: TestSession;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(async () => session?.close());

  it('reports a reboot, writes records CloudWatch holds twice only once, and resumes after SIGTERM', async () => {
    const sim = generate({
      seed: 'reboot',
      clusters: 1,
      hsms: 3,
      records: 600,
      rebootHsm: true,
      duplicates: 6,
      hsmType: 'hsm2m.medium',
    });
    expect(sim.duplicates.length).toBe(6);
    const unique = sim.records.filter((r) => !r.duplicate);
    const half = Math.floor(sim.records.length / 2);
    const writer = new SimulatorWriter(session.client);
    await writer.write(sim.records.slice(0, half));
    const options = input(session, 'restart', {});
    const first = session.start(options, 'restart-1', AWS_ENV);
    await waitFor(
      () =>
        compareIdentities(unique.slice(0, half - 6), identityCounts(eventsSoFar(first))).missing ===
        0,
      60_000,
      'the first half',
    );
    const before = await stopCollector(first);

    await writer.write(sim.records.slice(half));
    const second = session.start(options, 'restart-2', AWS_ENV);
    await waitFor(
      () =>
        compareIdentities(unique, identityCounts([...before, ...eventsSoFar(second)])).missing ===
        0,
      60_000,
      'the rest after the restart',
    );
    const after = await stopCollector(second);
    const all = [...before, ...after];
    expect(compareIdentities(unique, identityCounts(all))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    const rebooted = collectorEvents(all, 'reboot_counter_changed');
    expect(rebooted).toHaveLength(1);
    expect(rebooted[0]).toMatchObject({ previous_reboot_counter: expect.stringMatching(/^0x/) });
    expect(collectorEvents(all, 'sequence_gap')).toEqual([]);
    const certstore = all.filter((e) => e.sourcetype === 'aws:cloudwatch:cloudhsm:certstore');
    expect(certstore.length).toBe(unique.filter((r) => r.kind === 'certstore').length);
    expect(certstore.every((e) => e.data.trimStart().startsWith('{'))).toBe(true);
  });
});
