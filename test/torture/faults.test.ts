/**
 * The collector behind the fault-injecting proxy (test/support/faultProxy.ts) in front of the
 * emulator, through one run: seeded random throttling, 500 and 503 answers, connection resets and
 * responses cut mid-body on every call; a burst of consecutive throttles; stalled requests (3 s in
 * the short form, 30 s — beyond the client's 20 s request timeout — in the long form); and the
 * endpoint down (connection refused) then up again. Records keep arriving throughout. At the end
 * every record is on stdout exactly once and the input stops cleanly on SIGTERM.
 */
import { generate } from '../../src/simulator';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import {
  LONG,
  checkIdentities,
  collectorEvents,
  countIdentities,
  eventsOf,
  openTorture,
  putAll,
  recordCount,
  sleep,
  waitForRecords,
  waitUntil,
  type TortureSession,
} from './support/torture';

jest.setTimeout(LONG ? 900_000 : 240_000);

const STALL_MS = LONG ? 30_000 : 3_000;
const DOWN_MS = LONG ? 30_000 : 4_000;
const OPERATIONS = ['GetLogEvents', 'DescribeLogStreams', 'DescribeLogGroups'];

describe('torture: faults between the collector and CloudWatch Logs', () => {
  let t: TortureSession;
  let proxy: FaultProxy;
  beforeAll(async () => {
    t = await openTorture('faults');
    await t.emu.setPageBytes(128 * 1024);
    proxy = await startFaultProxy(t.emu.endpoint, { seed: 'torture-faults' });
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  it('loses and doubles nothing through throttling, 5xx, resets, cut bodies, stalls and an outage', async () => {
    const sim = generate({
      seed: 'torture-faults',
      clusters: 2,
      hsms: 3,
      records: LONG ? 40_000 : 4_000,
      hsmType: 'mixed',
      meanIntervalMs: 500,
      startTime: Date.now() - 3 * 3_600_000,
    });
    const half = Math.floor(sim.records.length / 2);
    await putAll(t.emu, sim.records.slice(0, half));
    proxy.setPlan({
      seed: 'torture-faults-plan',
      rules: [
        // First, so the random rules below do not consume the requests they count.
        {
          fault: 'stall',
          operation: 'GetLogEvents',
          after: 8,
          every: 12,
          times: 2,
          stallMs: STALL_MS,
        },
        // Each fault once at a fixed position, so every kind is exercised whatever the timing; the
        // seeded random rules below draw per request, and how many requests a run makes depends on
        // the machine's speed, so on their own they may never fire a rare kind.
        { fault: 'truncate', operation: 'GetLogEvents', after: 2, times: 1 },
        { fault: 'reset', operation: 'GetLogEvents', after: 3, times: 1 },
        { fault: 'serviceUnavailable', operation: 'GetLogEvents', after: 4, times: 1 },
        // A burst: 25 throttles in a row.
        { fault: 'throttle', operation: 'GetLogEvents', after: 15, times: 25 },
        { fault: 'throttle', operation: OPERATIONS, probability: 0.08 },
        { fault: 'serviceUnavailable', operation: OPERATIONS, probability: 0.04 },
        { fault: 'serviceUnavailable', status: 500, operation: OPERATIONS, probability: 0.04 },
        { fault: 'reset', operation: OPERATIONS, probability: 0.04 },
        { fault: 'truncate', operation: 'GetLogEvents', probability: 0.04 },
      ],
    });
    const run = t.startFile(
      'faults',
      { max_requests_per_second: '20', health_interval: '3600' },
      proxy.url,
    );
    await waitUntil(
      () => recordCount(run.stdoutFile) > half / 3,
      120_000,
      'a third of the first half',
    );

    // The endpoint goes away (connection refused), then comes back.
    await proxy.down();
    await sleep(DOWN_MS);
    await proxy.up();
    // The second half arrives while faults continue.
    await putAll(t.emu, sim.records.slice(half));
    await waitForRecords(
      sim.records,
      run.stdout,
      LONG ? 600_000 : 180_000,
      'every record through the faults',
    );
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(0);
    const events = eventsOf(run.stdoutFile, true);
    expect(checkIdentities(sim.records, countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });

    const injected = proxy.stats.injected;
    process.stdout.write(
      `fault torture: ${sim.records.length} records; injected ${JSON.stringify(injected)}\n`,
    );
    for (const fault of ['throttle', 'serviceUnavailable', 'reset', 'truncate', 'stall'])
      expect({ fault, injected: (injected[fault] ?? 0) > 0 }).toEqual({ fault, injected: true });
    // Failures were reported (collector events and ERROR/WARN lines), never silently swallowed.
    expect(collectorEvents(events, 'error').length).toBeGreaterThan(0);
    expect(run.stderr()).toMatch(/^(WARN|ERROR) read failed, will retry/m);
  });
});
