/**
 * The collector through the built launcher, with faults injected between it and moto by a proxy:
 * throttling, 5xx, connection resets and cut responses; expired credentials; a log group deleted
 * while it runs; AWS refusing access when splunkd validates a new input. Every record still
 * arrives exactly once, and every failure is logged with a level.
 */
import { spawn } from 'node:child_process';
import { generate, SimulatorWriter } from '../../src/simulator';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import {
  collectorEvents,
  compareIdentities,
  identityCounts,
  LAUNCHER,
  type StreamEvent,
} from './support/collectorProcess';
import {
  AWS_ENV,
  eventsSoFar,
  input,
  openSession,
  stopCollector,
  waitFor,
  type TestSession,
} from './support/session';

jest.setTimeout(180_000);

const allIn = (expected: { logStreamName: string; message: string }[], events: StreamEvent[]) =>
  compareIdentities(expected, identityCounts(events)).missing === 0;

describe('collector under injected faults', () => {
  let session: TestSession;
  let proxy: FaultProxy;
  beforeAll(async () => {
    session = await openSession();
    proxy = await startFaultProxy(session.moto.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    await session?.close();
  });
  beforeEach(async () => {
    await session.moto.reset();
    proxy.setPlan({});
  });

  const viaProxy = (name: string, params: Record<string, string> = {}) => ({
    ...input(session, name, params),
    params: { ...input(session, name, params).params, endpoint_url: proxy.url },
  });

  it('rides out throttling, 5xx, resets and cut responses without losing or doubling a record', async () => {
    const sim = generate({
      seed: 'faults',
      clusters: 2,
      hsms: 3,
      records: 3_000,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(sim.records);
    proxy.setPlan({
      seed: 'faults',
      rules: [
        // Each fault once at a fixed position, so every kind is exercised whatever the timing (how
        // many requests a run makes, and so what the seeded draws below hit, depends on speed).
        { operation: 'GetLogEvents', fault: 'truncate', after: 1, times: 1 },
        { operation: 'GetLogEvents', fault: 'reset', after: 2, times: 1 },
        { operation: 'GetLogEvents', fault: 'serviceUnavailable', after: 3, times: 1 },
        { operation: 'GetLogEvents', fault: 'throttle', after: 4, times: 1 },
        { operation: 'GetLogEvents', fault: 'throttle', probability: 0.2 },
        { operation: 'GetLogEvents', fault: 'serviceUnavailable', probability: 0.1 },
        { operation: 'GetLogEvents', fault: 'serviceUnavailable', status: 500, probability: 0.05 },
        { operation: 'GetLogEvents', fault: 'reset', probability: 0.05 },
        { operation: 'GetLogEvents', fault: 'truncate', probability: 0.05 },
        { operation: 'DescribeLogStreams', fault: 'throttle', probability: 0.2 },
      ],
    });
    const run = session.start(viaProxy('faults', { health_interval: '5' }), 'faults', AWS_ENV);
    await waitFor(
      () => allIn(sim.records, eventsSoFar(run)),
      150_000,
      'every record through the faults',
    );
    await waitFor(
      () => collectorEvents(eventsSoFar(run), 'health').length >= 2,
      30_000,
      'health events',
    );
    const events = await stopCollector(run);

    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    for (const fault of ['throttle', 'serviceUnavailable', 'reset', 'truncate']) {
      expect({ fault, injected: (proxy.stats.injected[fault] ?? 0) > 0 }).toEqual({
        fault,
        injected: true,
      });
    }
    const health = collectorEvents(events, 'health');
    const throttled = health.reduce((n, h) => n + Number(h.throttled_calls), 0);
    expect(throttled).toBeGreaterThan(0);
    expect(run.stderr()).not.toMatch(/^(?!(DEBUG|INFO|WARN|ERROR|FATAL) ).+/m);
  });

  it('logs expired credentials as an error, keeps retrying, and collects once they work again', async () => {
    const sim = generate({
      seed: 'expired',
      clusters: 1,
      hsms: 2,
      records: 200,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(sim.records);
    proxy.setPlan({
      rules: [
        { operation: ['DescribeLogStreams', 'GetLogEvents'], fault: 'expiredToken', times: 4 },
      ],
    });
    const run = session.start(viaProxy('expired'), 'expired', AWS_ENV);
    await waitFor(
      () => allIn(sim.records, eventsSoFar(run)),
      150_000,
      'every record after the credentials work',
      () => run.stderr().slice(-3000),
    );
    const events = await stopCollector(run);
    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(proxy.stats.injected.expiredToken).toBe(4);
    expect(run.stderr()).toMatch(
      /^(ERROR|WARN) read failed, will retry: .*error_code=ExpiredTokenException/m,
    );
    expect(collectorEvents(events, 'error')).toContainEqual(
      expect.objectContaining({
        error_code: 'ExpiredTokenException',
        log_group: sim.clusters[0]!.logGroupName,
      }),
    );
  });

  it('reports a deleted log group once, keeps reading the others, and resumes when it is back', async () => {
    const sim = generate({
      seed: 'deleted',
      clusters: 2,
      hsms: 2,
      records: 300,
      hsmType: 'hsm1.medium',
    });
    const [gone, kept] = sim.clusters.map((c) => c.logGroupName) as [string, string];
    const before = sim.records.filter((_, i) => i < sim.records.length / 2);
    const after = sim.records.filter((_, i) => i >= sim.records.length / 2);
    await new SimulatorWriter(session.client).write(before);
    const run = session.start(viaProxy('deleted'), 'deleted', AWS_ENV);
    await waitFor(() => allIn(before, eventsSoFar(run)), 60_000, 'the first half');

    proxy.deleteLogGroup(gone);
    await new SimulatorWriter(session.client).write(after);
    const keptAfter = after.filter((r) => r.logGroupName === kept);
    await waitFor(
      () => allIn(keptAfter, eventsSoFar(run)),
      60_000,
      'the other group while one is gone',
    );
    await waitFor(() => /log group not found/.test(run.stderr()), 30_000, 'the warning');
    // Several polls with the group gone: still one warning.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(run.stderr().match(/^WARN log group not found/gm)).toHaveLength(1);

    proxy.restoreLogGroup(gone);
    await waitFor(() => allIn(sim.records, eventsSoFar(run)), 60_000, 'the group once it is back');
    const events = await stopCollector(run);
    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(collectorEvents(events, 'error').filter((e) => e.log_group === gone)).toEqual([
      expect.objectContaining({ error_code: 'ResourceNotFoundException' }),
    ]);
  });

  it('refuses to validate an input whose AWS access is denied, with AWS\u2019s reason next to the argument', async () => {
    proxy.setPlan({ rules: [{ operation: 'DescribeLogGroups', fault: 'accessDenied' }] });
    const items =
      `<items><server_host>sh</server_host><server_uri>https://127.0.0.1:1</server_uri>` +
      `<session_key>k</session_key><checkpoint_dir>${session.dir}</checkpoint_dir>` +
      `<item name="denied"><param name="regions">us-east-1</param>` +
      `<param name="endpoint_url">${proxy.url}</param></item></items>`;
    // Asynchronous: the proxy answering the launcher lives in this process's event loop.
    const child = spawn(LAUNCHER, ['--validate-arguments'], {
      env: { PATH: process.env.PATH ?? '', ...AWS_ENV },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stdin.end(items);
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const result = { status, stdout };
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(
      /^<error><message>regions: AWS refused logs:DescribeLogGroups in us-east-1 for the default AWS credentials: AccessDeniedException .*not authorized/,
    );
    expect(result.stdout).toMatch(/<\/message><\/error>\s*$/);
  });
});
