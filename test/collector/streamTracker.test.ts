import { StreamTracker, type ReadPass } from '../../src/collector/streamTracker';
import { newStreamState, streamStateFrom } from '../../src/collector/streamState';

const MIN = 60_000;
const WINDOW = 30 * MIN;
const T0 = 1_700_000_000_000;

/** A text audit record, ingested `ingestDelayMs` after its timestamp. */
function record(seq: number, timestampMs: number, reboot = 0xe8, ingestDelayMs = 2_000) {
  const usecs = `${timestampMs}000`;
  return {
    timestamp: timestampMs,
    ingestionTime: timestampMs + ingestDelayMs,
    message: [
      `Time: 01/24/18 00:39:23.172777, usecs:${usecs}`,
      `Sequence No : 0x${seq.toString(16)}`,
      `Reboot counter : 0x${reboot.toString(16)}`,
      'Command Type(hex) : CN_MGMT_CMD (0x0)',
      'Opcode : CN_LOGIN (0xd)',
    ].join('\n'),
  };
}

const seqs = (from: number, to: number, reboot = 0xe8) =>
  Array.from({ length: to - from + 1 }, (_, i) => record(from + i, T0 + (from + i) * 1000, reboot));

/** A tracker for a stream seen for the first time; `floor` is the input's start position. */
const fresh = (expectFromZero = true, floor = T0) =>
  new StreamTracker(newStreamState(floor, expectFromZero), WINDOW);

/** Accepts a page as one read pass of its own. */
const accept = (t: StreamTracker, events: ReturnType<typeof record>[] | object[], now = T0) =>
  t.accept(new Map(), events, now);

const seqOf = (message: string) => parseInt(/Sequence No : 0x([0-9a-f]+)/.exec(message)![1]!, 16);

describe('StreamTracker: what is new', () => {
  it('writes every record once, skipping what overlapping reads return again', () => {
    const t = fresh();
    expect(accept(t, seqs(0, 9)).records).toHaveLength(10);
    const again = accept(t, seqs(5, 14));
    expect(again.records.map((r) => seqOf(r.message))).toEqual([10, 11, 12, 13, 14]);
    expect(again.duplicates).toBe(5);
    expect(again.notices).toEqual([]);
  });

  it('reports a gap once, then its resolution when late records fill it', () => {
    const t = fresh();
    accept(t, seqs(0, 4));
    const withGap = accept(t, seqs(8, 9), T0 + MIN);
    expect(withGap.notices).toEqual([
      {
        kind: 'sequence_gap',
        rebootCounter: 0xe8,
        expected: 5,
        found: 8,
        from: 5,
        to: 7,
        missing: 3,
      },
    ]);
    expect(t.openGaps).toBe(1);
    expect(accept(t, seqs(8, 9), T0 + 2 * MIN).notices).toEqual([]);
    expect(accept(t, [record(6, T0 + 6000)], T0 + 3 * MIN).notices).toEqual([]);
    const filled = accept(t, [record(5, T0 + 5000), record(7, T0 + 7000)], T0 + 4 * MIN);
    expect(filled.records).toHaveLength(2);
    expect(filled.notices).toEqual([
      {
        kind: 'sequence_gap_resolved',
        rebootCounter: 0xe8,
        from: 5,
        to: 7,
        filled: 2,
        openSeconds: 180,
      },
    ]);
    expect(t.openGaps).toBe(0);
  });

  it('reports the missing beginning of a stream created after the start position', () => {
    expect(accept(fresh(true), seqs(3, 4)).notices).toMatchObject([
      { kind: 'sequence_gap', from: 0, to: 2 },
    ]);
  });

  it('starts counting from the first record of a stream older than the start position', () => {
    expect(accept(fresh(false), seqs(40, 45)).notices).toEqual([]);
  });

  it('reports a reboot counter change and tracks the new epoch separately', () => {
    const t = fresh();
    accept(t, seqs(0, 3));
    const after = accept(t, [record(0, T0 + 10_000, 0xe9), record(1, T0 + 11_000, 0xe9)]);
    expect(after.records).toHaveLength(2);
    expect(after.notices).toEqual([
      { kind: 'reboot_counter_changed', previous: 0xe8, current: 0xe9, sequenceNo: 0 },
    ]);
  });

  it('survives a round trip through its snapshot: nothing written twice after a restart', () => {
    const t = fresh();
    accept(t, seqs(0, 4));
    accept(t, seqs(7, 9));
    const restored = new StreamTracker(JSON.parse(JSON.stringify(t.snapshot(T0))), WINDOW);
    const page = accept(restored, seqs(0, 12), T0 + MIN);
    expect(page.records.map((r) => seqOf(r.message))).toEqual([5, 6, 10, 11, 12]);
    expect(page.notices).toMatchObject([{ kind: 'sequence_gap_resolved', from: 5, to: 6 }]);
  });

  it('keeps the sourcetype and time of each kind of record', () => {
    const page = accept(fresh(false), [
      record(1, T0),
      {
        timestamp: T0,
        message: '{\n  "object_handle": 463180677312929947,\n  "timestamp": 1725482483671\n}',
      },
      { timestamp: 1725482483999, message: 'garbage' },
    ]);
    expect(page.records.map((r) => [r.sourcetype, r.time])).toEqual([
      ['aws:cloudwatch:cloudhsm', `${T0 / 1000}.000000`],
      ['aws:cloudwatch:cloudhsm:certstore', '1725482483.671'],
      ['aws:cloudwatch:cloudhsm', '1725482483.999'],
    ]);
  });
});

describe('StreamTracker: records without a sequence number', () => {
  const json = {
    timestamp: T0,
    ingestionTime: T0 + 1000,
    message:
      '{"object_handle": null, "op_code": "CreateObject", "response": "MaxObjectsReached", "timestamp": 1}',
  };
  const bad = { timestamp: T0, ingestionTime: T0 + 1000, message: 'not a record at all' };

  it('de-duplicates them by time and text across reads and restarts', () => {
    const t = fresh(false);
    expect(accept(t, [json, bad]).records).toHaveLength(2);
    expect(accept(t, [json, bad]).records).toHaveLength(0);
    const restored = new StreamTracker(t.snapshot(T0), WINDOW);
    expect(accept(restored, [json, bad]).duplicates).toBe(2);
  });

  it('counts occurrences: two identical failures in one millisecond are two records', () => {
    const t = fresh(false);
    expect(accept(t, [json, json]).records).toHaveLength(2);
    // Read again, both are known; a third identical one ingested later is new.
    expect(accept(t, [json, json]).records).toHaveLength(0);
    expect(accept(t, [json, json, json]).records).toHaveLength(1);
    const restored = new StreamTracker(JSON.parse(JSON.stringify(t.snapshot(T0))), WINDOW);
    expect(accept(restored, [json, json, json]).records).toHaveLength(0);
  });

  it('counts occurrences across the pages of one read', () => {
    const t = fresh(false);
    accept(t, [json]);
    const pass: ReadPass = new Map();
    expect(t.accept(pass, [json], T0).records).toHaveLength(0);
    expect(t.accept(pass, [json], T0).records).toHaveLength(1);
  });
});

describe('StreamTracker: what the next poll reads', () => {
  it('reads a new stream from the start position, then forward from its newest record', () => {
    const t = fresh(true, T0 - 5 * MIN);
    expect(t.plan(T0, false)).toEqual([{ startMs: T0 - 5 * MIN, complete: false, why: 'first' }]);
    accept(t, seqs(0, 9));
    const newest = T0 + 9000;
    expect(t.plan(T0, false)).toEqual([{ startMs: newest + 1, complete: false, why: 'forward' }]);
    // A full read starts at the newest timestamp, inclusive.
    expect(t.plan(T0, true)).toEqual([{ startMs: newest, complete: true, why: 'full' }]);
  });

  it('re-reads the time range around a young gap, and stops once the gap is old', () => {
    const t = fresh();
    accept(t, seqs(0, 4));
    accept(t, seqs(8, 9), T0 + MIN);
    expect(t.plan(T0 + 2 * MIN, false)).toEqual([
      { startMs: T0 + 9001, complete: false, why: 'forward' },
      { startMs: T0 + 4000, endMs: T0 + 8001, complete: true, why: 'gap' },
    ]);
    expect(t.plan(T0 + MIN + WINDOW, false)).toEqual([
      { startMs: T0 + 9001, complete: false, why: 'forward' },
    ]);
    t.snapshot(T0 + MIN + WINDOW);
    expect(t.openGaps).toBe(0);
  });

  it('re-reads a bounded window behind the newest record of a stream without sequence numbers', () => {
    const t = fresh(false, T0 - 60 * MIN);
    accept(t, [{ timestamp: T0, ingestionTime: T0 + 1, message: '{"timestamp": 1}' }]);
    expect(t.plan(T0, false)).toEqual([{ startMs: T0 - WINDOW, complete: true, why: 'window' }]);
  });

  it('never reads before the start position, even for a window or a gap', () => {
    const floor = T0 + 2000;
    const t = fresh(false, floor);
    accept(t, [{ timestamp: T0 + 5000, ingestionTime: T0 + 6000, message: '{"timestamp": 1}' }]);
    expect(t.plan(T0 + 6000, false)[0]!.startMs).toBe(floor);
    const s = fresh(false, floor);
    accept(s, [record(10, floor)]);
    accept(s, [record(14, floor + 4000)]);
    expect(Math.min(...s.plan(floor + 5000, true).map((r) => r.startMs))).toBeGreaterThanOrEqual(
      floor,
    );
  });

  it('watches the boundary of a reboot, where late records of the old counter leave no gap', () => {
    const t = fresh();
    accept(t, seqs(0, 3));
    accept(t, [record(0, T0 + 20_000, 0xe9)]);
    expect(t.plan(T0 + MIN, false)).toContainEqual({
      startMs: T0 + 3000,
      endMs: T0 + 20_001,
      complete: true,
      why: 'probe',
    });
    // Record 4 of the old counter, ingested late, is found there and written.
    expect(accept(t, [record(4, T0 + 4000)]).records).toHaveLength(1);
  });

  it('remembers what it wrote whatever the number of reboots: 20 counters, nothing written twice', () => {
    const t = fresh();
    const all: ReturnType<typeof record>[] = [];
    for (let r = 0; r < 20; r++)
      for (let s = 0; s < 3; s++) all.push(record(s, T0 + (r * 3 + s) * 1000, 0x100 + r));
    const first = accept(t, all);
    expect(first.records).toHaveLength(60);
    expect(first.notices.filter((n) => n.kind === 'reboot_counter_changed')).toHaveLength(19);
    // Every read the plan asks for, and a re-read of everything, write nothing more.
    for (let poll = 1; poll <= 5; poll++) {
      const now = T0 + poll * MIN;
      const state = JSON.parse(JSON.stringify(t.snapshot(now)));
      const again = new StreamTracker(state, WINDOW);
      const replay = accept(again, all, now);
      expect({ poll, records: replay.records.length, notices: replay.notices }).toEqual({
        poll,
        records: 0,
        notices: [],
      });
    }
  });

  it('forgets epochs no read can return once their boundaries are old', () => {
    const t = fresh();
    for (let r = 0; r < 12; r++) accept(t, [record(0, T0 + r * 1000, 0x100 + r)]);
    expect(t.snapshot(T0 + MIN).epochs).toHaveLength(12);
    const later = t.snapshot(T0 + MIN + WINDOW);
    expect(later.epochs.map((e) => e.rebootCounter)).toEqual([0x10b]);
    expect(later.probes).toEqual([]);
  });
});

describe('StreamTracker: clocks', () => {
  it('does not let a record stamped ahead of CloudWatch move the forward position, and reports it', () => {
    const t = fresh();
    accept(t, seqs(0, 4));
    const ahead = record(5, T0 + 40 * MIN, 0xe8, -(40 * MIN - 5000));
    const page = accept(t, [ahead], T0 + 10_000);
    expect(page.records).toHaveLength(1);
    expect(page.notices).toEqual([
      {
        kind: 'clock_skew',
        sequenceNo: 5,
        timestampMs: T0 + 40 * MIN,
        ingestionMs: T0 + 5000,
        skewSeconds: 40 * 60 - 5,
      },
    ]);
    // The next forward read still starts after record 4, so records 6… stamped correctly are read.
    expect(t.plan(T0 + 20_000, false)[0]).toMatchObject({ startMs: T0 + 4001 });
    expect(accept(t, seqs(6, 7), T0 + 20_000).records).toHaveLength(2);
    expect(t.newestAnyMs).toBe(T0 + 40 * MIN);
  });
});

describe('stream checkpoints of version 1 (before reading only what is new)', () => {
  it('are converted: nothing written again, nothing read before the start position', () => {
    const v1 = {
      version: 1,
      readFromMs: T0 - WINDOW,
      maxTimestampMs: T0 + 9000,
      expectFromZero: true,
      epochs: [{ rebootCounter: 0xe8, base: 0, written: [[0, 9]], gaps: [] }],
      unsequenced: [['1700000000000:abc', T0]],
    };
    const state = streamStateFrom(v1, T0 - 60 * MIN, 'k');
    const t = new StreamTracker(state, WINDOW);
    expect(t.plan(T0 + MIN, false)).toEqual([
      { startMs: T0 + 9001, complete: false, why: 'forward' },
    ]);
    expect(accept(t, seqs(0, 11)).records.map((r) => seqOf(r.message))).toEqual([10, 11]);
  });

  it('an unknown version is a loud error', () => {
    expect(() => streamStateFrom({ version: 7 }, T0, 'the-key')).toThrow(/version 7/);
  });
});
