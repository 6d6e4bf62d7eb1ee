import { StreamTracker } from '../../src/collector/streamTracker';

const MIN = 60_000;
const WINDOW = 30 * MIN;

function record(seq: number, timestampMs: number, reboot = 0xe8) {
  const usecs = `${timestampMs}000`;
  return {
    timestamp: timestampMs,
    message: [
      `Time: 01/24/18 00:39:23.172777, usecs:${usecs}`,
      `Sequence No : 0x${seq.toString(16)}`,
      `Reboot counter : 0x${reboot.toString(16)}`,
      'Command Type(hex) : CN_MGMT_CMD (0x0)',
      'Opcode : CN_LOGIN (0xd)',
    ].join('\n'),
  };
}

const T0 = 1_700_000_000_000;
const seqs = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => record(from + i, T0 + (from + i) * 1000));

describe('StreamTracker', () => {
  it('writes every record once, skipping re-reads', () => {
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    expect(t.accept(seqs(0, 9), T0).records).toHaveLength(10);
    const again = t.accept(seqs(5, 14), T0);
    expect(again.records).toHaveLength(5);
    expect(again.duplicates).toBe(5);
    expect(again.notices).toEqual([]);
  });

  it('reports a gap once, then its resolution when late records fill it', () => {
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    t.accept(seqs(0, 4), T0);
    const withGap = t.accept([...seqs(8, 9)], T0 + MIN);
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
    // The next poll re-reads from before the gap, so late records can still arrive.
    expect(t.nextReadFromMs).toBeLessThanOrEqual(T0 + 4 * 1000);
    expect(t.accept(seqs(8, 9), T0 + 2 * MIN).notices).toEqual([]);
    const partly = t.accept([record(6, T0 + 6000)], T0 + 3 * MIN);
    expect(partly.notices).toEqual([]);
    const filled = t.accept([record(5, T0 + 5000), record(7, T0 + 7000)], T0 + 4 * MIN);
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
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    expect(t.accept(seqs(3, 4), T0).notices).toMatchObject([
      { kind: 'sequence_gap', from: 0, to: 2 },
    ]);
  });

  it('starts counting from the first record of a stream older than the start position', () => {
    const t = new StreamTracker(undefined, T0, false, WINDOW);
    expect(t.accept(seqs(40, 45), T0).notices).toEqual([]);
  });

  it('reports a reboot counter change and tracks the new epoch separately', () => {
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    t.accept(seqs(0, 3), T0);
    const after = t.accept([record(0, T0 + 10_000, 0xe9), record(1, T0 + 11_000, 0xe9)], T0);
    expect(after.records).toHaveLength(2);
    expect(after.notices).toEqual([
      { kind: 'reboot_counter_changed', previous: 0xe8, current: 0xe9, sequenceNo: 0 },
    ]);
  });

  it('survives a round trip through its snapshot: nothing written twice after a restart', () => {
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    t.accept(seqs(0, 4), T0);
    t.accept(seqs(7, 9), T0);
    const restored = new StreamTracker(JSON.parse(JSON.stringify(t.snapshot())), 0, false, WINDOW);
    const page = restored.accept(seqs(0, 12), T0 + MIN);
    expect(page.records.map((r) => /0x([0-9a-f]+)/.exec(r.message.split('\n')[1]!)![1])).toEqual([
      '5',
      '6',
      'a',
      'b',
      'c',
    ]);
    expect(page.notices).toMatchObject([{ kind: 'sequence_gap_resolved', from: 5, to: 6 }]);
  });

  it('de-duplicates records without a sequence number by time and text', () => {
    const t = new StreamTracker(undefined, T0, false, WINDOW);
    const json = {
      timestamp: T0,
      message: '{"object_handle": 1, "op_code": "CreateObject", "timestamp": 1}',
    };
    const bad = { timestamp: T0, message: 'not a record at all' };
    expect(t.accept([json, bad], T0).records).toHaveLength(2);
    expect(t.accept([json, bad], T0).records).toHaveLength(0);
    const restored = new StreamTracker(t.snapshot(), 0, false, WINDOW);
    expect(restored.accept([json, bad], T0).duplicates).toBe(2);
  });

  it('re-reads a late-event window behind the newest record, and no further once gaps are old', () => {
    const t = new StreamTracker(undefined, T0, true, WINDOW);
    t.accept(seqs(0, 2), T0);
    t.accept([record(10, T0 + 60 * MIN)], T0);
    expect(t.nextReadFromMs).toBeLessThan(T0 + 60 * MIN - WINDOW);
    t.accept([], T0 + WINDOW + MIN);
    expect(t.nextReadFromMs).toBe(T0 + 60 * MIN - WINDOW);
  });

  it('keeps the sourcetype and time of each kind of record', () => {
    const t = new StreamTracker(undefined, T0, false, WINDOW);
    const page = t.accept(
      [
        record(1, T0),
        {
          timestamp: T0,
          message: '{\n  "object_handle": 463180677312929947,\n  "timestamp": 1725482483671\n}',
        },
        { timestamp: 1725482483999, message: 'garbage' },
      ],
      T0,
    );
    expect(page.records.map((r) => [r.sourcetype, r.time])).toEqual([
      ['aws:cloudwatch:cloudhsm', `${T0 / 1000}.000000`],
      ['aws:cloudwatch:cloudhsm:certstore', '1725482483.671'],
      ['aws:cloudwatch:cloudhsm', '1725482483.999'],
    ]);
  });
});
