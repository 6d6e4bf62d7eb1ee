/**
 * Reading only what is new, through the built launcher against the CloudWatch Logs emulator,
 * whose log of GetLogEvents requests shows which time ranges the input asked for:
 * - a late record that leaves a gap is fetched by a re-read of the gap's range, and nothing else
 *   behind the newest record is read again;
 * - a late record at the head of the stream is read forward, and one in the newest record's own
 *   millisecond by the full read;
 * - with the listing's hints frozen (stale), a record waits for the stream's full read and is
 *   not lost;
 * - a certificate-storage record ingested late is collected by its window;
 * - nothing before `start_position = now` is ever read;
 * - 20 reboot counters: every record once, however often the stream is read;
 * - a record stamped 40 minutes ahead hides none of the records after it, and is reported;
 * - two identical certificate-storage records are both delivered.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { collectorEvents, parseStream, startCollector } from './support/collectorProcess';
import type { PutRecord } from '../../scripts/bench/emulator/control';
import {
  AWS_ENV,
  checkIdentities,
  countIdentities,
  openTorture,
  sleep,
  waitUntil,
  type Expected,
  type TortureSession,
} from '../torture/support/torture';

jest.setTimeout(120_000);

const GROUP = '/aws/cloudhsm/cluster-readtest0001';
const HSM = 'hsm-readtest0001';

function audit(seq: number, timestampMs: number, reboot = 0xe8): PutRecord {
  const usecs = `${timestampMs}000`;
  return {
    logGroupName: GROUP,
    logStreamName: HSM,
    timestamp: timestampMs,
    message: [
      `Time: 12/05/26 10:00:00.000000, usecs:${usecs}`,
      `Sequence No : 0x${seq.toString(16)}`,
      `Reboot counter : 0x${reboot.toString(16)}`,
      'Command Type(hex) : CN_MGMT_CMD (0x0)',
      'Opcode : CN_LOGIN (0xd)',
      'Session Handle : 0x1004001',
      'Response : 0:HSM Return: SUCCESS',
      'Log type : MINIMAL_LOG_ENTRY (0)',
    ].join('\n'),
  };
}

function certstore(
  timestampMs: number,
  response = 'OK',
  stream = 'cluster-readtest0001',
): PutRecord {
  return {
    logGroupName: GROUP,
    logStreamName: stream,
    timestamp: timestampMs,
    message: JSON.stringify(
      {
        object_handle: null,
        op_code: 'CreateObject',
        response,
        attributes: null,
        timestamp: timestampMs,
      },
      null,
      2,
    ),
  };
}

const expected = (records: PutRecord[]): Expected[] =>
  records.map((r) => ({ logStreamName: r.logStreamName, message: r.message ?? '' }));

describe('reading only what is new, through the launcher', () => {
  let t: TortureSession;
  const runs: ChildProcess[] = [];
  beforeAll(async () => {
    t = await openTorture('reading');
  });
  afterAll(async () => {
    for (const c of runs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await t?.close();
  });
  beforeEach(async () => {
    await t.emu.reset();
    await t.emu.freezeHints(false);
  });

  /** Starts the input on a checkpoint folder of its own; helpers to wait for records and stop. */
  function start(runId: string, params: Record<string, string> = {}) {
    const input = t.input(
      { health_interval: '3600', start_position: '-1d', ...params },
      t.emu.endpoint,
      path.join(t.dir, `checkpoints-${runId}`),
    );
    const run = startCollector(input, t.dir, runId, AWS_ENV);
    runs.push(run.child);
    const events = () => parseStream(run.stdout(), { complete: false });
    const waitFor = (records: PutRecord[], what: string) =>
      waitUntil(
        () => checkIdentities(expected(records), countIdentities(events())).missing === 0,
        60_000,
        `${what}\n${run.stderr().slice(-2000)}`,
      );
    const stop = async () => {
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      return parseStream(run.stdout());
    };
    return { run, events, waitFor, stop };
  }

  it('fetches a late record that leaves a gap by re-reading the gap’s range only', async () => {
    const T0 = Date.now() - 10 * 60_000;
    const all = Array.from({ length: 10 }, (_, i) => audit(i, T0 + i * 1000));
    const late = all[5]!;
    await t.emu.put(all.filter((r) => r !== late));
    const c = start('gap');
    await c.waitFor(
      all.filter((r) => r !== late),
      'the records around the gap',
    );
    await t.emu.takeReadLog();
    await t.emu.put([late]);
    await c.waitFor(all, 'the late record');
    await sleep(2_500); // a few more polls
    const events = await c.stop();
    expect(checkIdentities(expected(all), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(collectorEvents(events, 'sequence_gap_resolved')).toHaveLength(1);
    const reads = (await t.emu.takeReadLog()).filter((r) => r.logStreamName === HSM);
    // The gap's range: from the record before it to the record after it.
    expect(reads).toContainEqual(
      expect.objectContaining({ startTime: T0 + 4000, endTime: T0 + 6001 }),
    );
    // Nothing else behind the newest record was read again: no standing re-read window.
    const behind = reads.filter((r) => r.endTime === undefined && (r.startTime ?? 0) < T0 + 9000);
    expect(behind).toEqual([]);
  });

  it('reads a late record at the head forward, and one in the newest millisecond at the full read', async () => {
    const T0 = Date.now() - 10 * 60_000;
    const first = Array.from({ length: 10 }, (_, i) => audit(i, T0 + i * 1000));
    await t.emu.put(first);
    const c = start('head', { full_read_interval: '5' });
    await c.waitFor(first, 'the first records');
    await t.emu.takeReadLog();
    // Ingested late, stamped after the newest record: found by the next forward read.
    const ahead = audit(10, T0 + 9500);
    await t.emu.put([ahead]);
    await c.waitFor([...first, ahead], 'the record after the newest');
    // Stamped in the newest record's own millisecond: a forward read starts after it, the full
    // read (every full_read_interval) at it.
    const sameMs = audit(11, T0 + 9500);
    await t.emu.put([sameMs]);
    await c.waitFor([...first, ahead, sameMs], 'the record in the newest millisecond');
    const events = await c.stop();
    expect(checkIdentities(expected([...first, ahead, sameMs]), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    const reads = (await t.emu.takeReadLog()).filter(
      (r) => r.logStreamName === HSM && !r.nextToken,
    );
    expect(reads).toContainEqual(expect.objectContaining({ startTime: T0 + 9001 }));
    expect(reads).toContainEqual(expect.objectContaining({ startTime: T0 + 9500 }));
    expect(collectorEvents(events, 'sequence_gap')).toEqual([]);
  });

  it('waits for the full read when the listing’s hints are stale, and loses nothing', async () => {
    const T0 = Date.now() - 10 * 60_000;
    const first = Array.from({ length: 5 }, (_, i) => audit(i, T0 + i * 1000));
    await t.emu.put(first);
    const c = start('stale', { full_read_interval: '20' });
    await c.waitFor(first, 'the first records');
    await sleep(1_500);
    await t.emu.freezeHints(true);
    await t.emu.takeReadLog();
    const put = Date.now();
    const later = [audit(5, T0 + 5000), audit(6, T0 + 6000)];
    await t.emu.put(later);
    // The listing shows nothing new: the polls right after the put do not read the stream.
    await sleep(2_500);
    expect(checkIdentities(expected(later), countIdentities(c.events())).missing).toBe(2);
    await c.waitFor([...first, ...later], 'the records behind the stale hint');
    const delaySeconds = (Date.now() - put) / 1000;
    const events = await c.stop();
    expect(checkIdentities(expected([...first, ...later]), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    // They came with the full read: the one read that starts at the newest record, inclusive.
    const reads = (await t.emu.takeReadLog()).filter(
      (r) => r.logStreamName === HSM && !r.nextToken,
    );
    expect(reads[0]).toMatchObject({ startTime: T0 + 4000 });
    process.stdout.write(
      `stale hint: records collected ${delaySeconds.toFixed(1)} s after the put\n`,
    );
  });

  it('collects a certificate-storage record ingested late, within its window', async () => {
    const T0 = Date.now() - 10 * 60_000;
    const first = [certstore(T0), certstore(T0 + 60_000, 'DuplicateAttribute')];
    await t.emu.put(first);
    const c = start('certstore-late');
    await c.waitFor(first, 'the first certificate-storage records');
    const late = certstore(T0 + 30_000, 'ObjectNotFound');
    await t.emu.put([late]);
    await c.waitFor([...first, late], 'the late certificate-storage record');
    await sleep(2_000);
    const events = await c.stop();
    expect(checkIdentities(expected([...first, late]), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
  });

  it('delivers two identical certificate-storage records in one millisecond as two', async () => {
    const ts = Date.now() - 60_000;
    const twin = certstore(ts, 'MaxObjectsReached');
    await t.emu.put([twin, { ...twin }]);
    const c = start('twins');
    await c.waitFor([twin, twin], 'both twins');
    await sleep(2_500);
    const events = await c.stop();
    expect(checkIdentities(expected([twin, twin]), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
  });

  it('never reads before start_position = now', async () => {
    const before = [audit(0, Date.now() - 5 * 60_000), audit(1, Date.now() - 60_000)];
    const beforeCert = certstore(Date.now() - 2 * 60_000);
    await t.emu.put([...before, beforeCert]);
    const startedAt = Date.now();
    const c = start('now', { start_position: 'now' });
    await sleep(2_500);
    const after = [
      audit(2, Date.now() + 1_000),
      certstore(Date.now() + 1_000, 'DuplicateAttribute'),
    ];
    await t.emu.put(after);
    await c.waitFor(after, 'the records after the start');
    await sleep(2_000);
    const events = await c.stop();
    expect(
      checkIdentities(expected([...before, beforeCert]), countIdentities(events)).missing,
    ).toBe(3);
    const reads = await t.emu.takeReadLog();
    expect(reads.filter((r) => !r.nextToken && (r.startTime ?? 0) < startedAt - 5_000)).toEqual([]);
  });

  it('writes every record once across 20 reboot counters, however often the stream is read', async () => {
    const T0 = Date.now() - 10 * 60_000;
    const all: PutRecord[] = [];
    for (let r = 0; r < 20; r++)
      for (let s = 0; s < 3; s++) all.push(audit(s, T0 + (r * 3 + s) * 1000, 0x100 + r));
    await t.emu.put(all);
    const c = start('reboots', { full_read_interval: '5' });
    await c.waitFor(all, 'every record');
    await sleep(12_000); // two full reads and a dozen polls
    const events = await c.stop();
    expect(checkIdentities(expected(all), countIdentities(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(collectorEvents(events, 'reboot_counter_changed')).toHaveLength(19);
  });

  it('reads the correctly stamped records after one stamped 40 minutes ahead, and reports it', async () => {
    const now = Date.now();
    const first = Array.from({ length: 5 }, (_, i) => audit(i, now - 60_000 + i * 1000));
    await t.emu.put(first);
    const c = start('skew');
    await c.waitFor(first, 'the first records');
    const ahead = audit(5, now + 40 * 60_000);
    await t.emu.put([ahead]);
    await sleep(1_500);
    const after = Array.from({ length: 10 }, (_, i) => audit(6 + i, Date.now() - 500 + i));
    await t.emu.put(after);
    await c.waitFor([...first, ahead, ...after], 'the records after the skewed one');
    const events = await c.stop();
    expect(checkIdentities(expected([...first, ahead, ...after]), countIdentities(events))).toEqual(
      {
        missing: 0,
        duplicated: 0,
        unexpected: 0,
      },
    );
    expect(collectorEvents(events, 'clock_skew')).toEqual([
      expect.objectContaining({ stream: HSM, sequence_no: 5, skew_seconds: expect.any(Number) }),
    ]);
    expect(c.run.stderr()).toMatch(/^WARN record stamped after CloudWatch received it/m);
  });
});
