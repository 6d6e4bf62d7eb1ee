/**
 * What the collector knows about one log stream (one HSM): which records it has written, which
 * sequence numbers are missing, and what the next poll must read. Pure: no I/O; the caller saves
 * `snapshot()` as the stream's checkpoint once the records it covers are delivered.
 *
 * Reading only what is new (the contract, also in README "How the input reads"):
 * - In a CloudHSM stream sequence numbers follow time, so a record ingested late either comes after
 *   everything already read — a forward read from the newest timestamp finds it — or leaves a
 *   visible gap. Sequenced streams are read forward; the time range around a gap is re-read while
 *   the gap is young (`lateEventWindowMs`), and so is the boundary of a reboot, where late records
 *   of the previous counter would leave no gap.
 * - A forward read starts just after the newest timestamp; a full read (every `full_read_interval`)
 *   starts at it, inclusive, and so also finds a record stamped in that same millisecond but
 *   ingested later.
 * - Streams without sequence numbers (certificate storage) are re-read over a bounded window
 *   behind their newest record.
 * - Nothing before `floorMs` (the start position) is ever read.
 * - A record stamped after CloudWatch received it (an HSM clock ahead) does not move the forward
 *   position, so it cannot hide the correctly stamped records that follow it; beyond a minute of
 *   skew it is reported.
 *
 * Identity: (reboot counter, `Sequence No`) within the stream. Records without a sequence number
 * are counted by occurrence of (timestamp, text): two identical certificate-storage failures in
 * one millisecond are two records. A read pass counts what it sees; an occurrence is written when
 * the pass has seen more of them than were ever written.
 */
import { createHash } from 'node:crypto';
import { readRecordHeader, millisToSplunkTime } from '../audit/record';
import { Epoch } from './epoch';
import { STREAM_STATE_VERSION, type ProbeState, type StreamState } from './streamState';

export interface CloudWatchRecord {
  timestamp?: number;
  message?: string;
  ingestionTime?: number;
}

export type StreamNotice =
  | {
      kind: 'sequence_gap';
      rebootCounter: number;
      expected: number;
      found: number;
      from: number;
      to: number;
      missing: number;
    }
  | {
      kind: 'sequence_gap_resolved';
      rebootCounter: number;
      from: number;
      to: number;
      filled: number;
      openSeconds: number;
    }
  | { kind: 'reboot_counter_changed'; previous: number; current: number; sequenceNo: number }
  | {
      kind: 'clock_skew';
      sequenceNo?: number;
      timestampMs: number;
      ingestionMs: number;
      skewSeconds: number;
    };

export interface AcceptedRecord {
  message: string;
  /** Splunk `<time>`: the record's own time, else the CloudWatch timestamp. */
  time: string;
  sourcetype: 'aws:cloudwatch:cloudhsm' | 'aws:cloudwatch:cloudhsm:certstore';
}

export interface PageResult {
  records: AcceptedRecord[];
  notices: StreamNotice[];
  /** Records in the page that were already written (overlapping reads). */
  duplicates: number;
}

/** One read of a time range: `endMs` exclusive; `complete` reads must reach the range's end. */
export interface ReadRange {
  startMs: number;
  endMs?: number;
  complete: boolean;
  why: 'first' | 'forward' | 'full' | 'window' | 'gap' | 'probe';
}

/** Occurrences of unsequenced records seen by one read. */
export type ReadPass = Map<string, number>;

/** A record stamped this far after CloudWatch received it is reported as clock skew. */
const CLOCK_SKEW_REPORT_MS = 60_000;

export class StreamTracker {
  private readonly epochs: Epoch[];
  private readonly unsequenced: Map<string, { ts: number; count: number }>;
  private probes: ProbeState[];
  private newestMs: number | null;
  private newestAny: number | null;
  private readonly floorMs: number;
  private readonly expectFromZero: boolean;

  constructor(
    state: StreamState,
    private readonly lateEventWindowMs: number,
  ) {
    this.epochs = state.epochs.map((e) => new Epoch(e.rebootCounter, e.base, e));
    this.unsequenced = new Map(state.unsequenced.map(([id, ts, count]) => [id, { ts, count }]));
    this.probes = state.probes.map((p) => ({ ...p }));
    this.newestMs = state.newestMs;
    this.newestAny = state.newestAnyMs;
    this.floorMs = state.floorMs;
    this.expectFromZero = state.expectFromZero;
  }

  /** Newest timestamp written, skewed records included (to compare with CloudWatch's listing). */
  get newestAnyMs(): number | null {
    return this.newestAny;
  }

  /** Gaps reported and not yet filled that are still watched. */
  get openGaps(): number {
    return this.epochs.reduce((n, e) => n + e.gaps.length, 0);
  }

  private isYoung(sinceMs: number, nowMs: number): boolean {
    return nowMs - sinceMs < this.lateEventWindowMs;
  }

  /** The reads of this stream's next poll; `full` makes the forward read start inclusive. */
  plan(nowMs: number, full: boolean): ReadRange[] {
    const floor = this.floorMs;
    const reads: ReadRange[] = [];
    if (this.newestMs === null) reads.push({ startMs: floor, complete: false, why: 'first' });
    else if (this.epochs.length === 0) {
      const startMs = Math.max(floor, this.newestMs - this.lateEventWindowMs);
      reads.push({ startMs, complete: true, why: 'window' });
    } else if (full) reads.push({ startMs: this.newestMs, complete: true, why: 'full' });
    else reads.push({ startMs: this.newestMs + 1, complete: false, why: 'forward' });

    const watched: ReadRange[] = [];
    for (const epoch of this.epochs)
      for (const gap of epoch.gaps)
        if (this.isYoung(gap.reportedAtMs, nowMs))
          watched.push({ startMs: gap.fromMs, endMs: gap.toMs + 1, complete: true, why: 'gap' });
    for (const probe of this.probes)
      if (this.isYoung(probe.addedAtMs, nowMs))
        watched.push({
          startMs: probe.fromMs,
          endMs: probe.toMs + 1,
          complete: true,
          why: 'probe',
        });
    return [...reads, ...mergeRanges(watched, floor)];
  }

  /**
   * Takes one page of CloudWatch events (timestamp order) read by `pass` and returns what to write.
   * The tracker already counts the returned records as written: save `snapshot()` only once they
   * are delivered.
   */
  accept(pass: ReadPass, events: readonly CloudWatchRecord[], nowMs: number): PageResult {
    const records: AcceptedRecord[] = [];
    const notices: StreamNotice[] = [];
    let duplicates = 0;
    const touched = new Set<Epoch>();

    for (const event of events) {
      const message = event.message ?? '';
      const timestamp = event.timestamp ?? nowMs;
      const header = readRecordHeader(message);
      const time = header.time ?? millisToSplunkTime(timestamp);
      const sourcetype =
        header.kind === 'certstore'
          ? 'aws:cloudwatch:cloudhsm:certstore'
          : 'aws:cloudwatch:cloudhsm';

      if (header.sequenceNo === undefined) {
        const id = `${timestamp}:${createHash('sha1').update(message).digest('base64')}`;
        const seen = (pass.get(id) ?? 0) + 1;
        pass.set(id, seen);
        const written = this.unsequenced.get(id)?.count ?? 0;
        if (seen <= written) {
          duplicates++;
          continue;
        }
        this.unsequenced.set(id, { ts: timestamp, count: written + 1 });
      } else {
        const epoch = this.epochFor(
          header.rebootCounter,
          header.sequenceNo,
          timestamp,
          nowMs,
          notices,
        );
        if (!epoch.add(header.sequenceNo, timestamp)) {
          duplicates++;
          continue;
        }
        touched.add(epoch);
      }
      records.push({ message, time, sourcetype });
      this.noteWritten(timestamp, event.ingestionTime ?? nowMs, header.sequenceNo, notices);
    }
    for (const epoch of touched) epoch.endPage(nowMs, this.floorMs, notices);
    return { records, notices, duplicates };
  }

  private noteWritten(
    timestampMs: number,
    ingestionMs: number,
    sequenceNo: number | undefined,
    notices: StreamNotice[],
  ): void {
    if (this.newestAny === null || timestampMs > this.newestAny) this.newestAny = timestampMs;
    // Stamped after CloudWatch received it: the HSM's clock was ahead. Such a record must not move
    // the forward position, or the correctly stamped records after it would fall behind it.
    if (timestampMs <= ingestionMs) {
      if (this.newestMs === null || timestampMs > this.newestMs) this.newestMs = timestampMs;
    } else if (timestampMs - ingestionMs > CLOCK_SKEW_REPORT_MS) {
      notices.push({
        kind: 'clock_skew',
        sequenceNo,
        timestampMs,
        ingestionMs,
        skewSeconds: Math.round((timestampMs - ingestionMs) / 1000),
      });
    }
    // A stream whose only records are stamped ahead still needs a position to read from.
    if (this.newestMs === null) this.newestMs = Math.min(timestampMs, ingestionMs);
  }

  /** The epoch a record belongs to, created (and reported) when its reboot counter is new. */
  private epochFor(
    rebootCounter: number | undefined,
    sequenceNo: number,
    timestampMs: number,
    nowMs: number,
    notices: StreamNotice[],
  ): Epoch {
    const latest = this.epochs[this.epochs.length - 1];
    const counter = rebootCounter ?? latest?.rebootCounter ?? 0;
    const known = this.epochs.find((e) => e.rebootCounter === counter);
    if (known) return known;

    let base: number;
    if (!latest) {
      base = this.expectFromZero ? 0 : sequenceNo;
    } else {
      notices.push({
        kind: 'reboot_counter_changed',
        previous: latest.rebootCounter,
        current: counter,
        sequenceNo,
      });
      // Whether numbering restarts after a reboot is undocumented: a restart from a low number
      // opens a new range from 0, a continuation keeps counting from the previous epoch.
      const latestMax = latest.written.max ?? -1;
      base = sequenceNo > latestMax ? latestMax + 1 : 0;
      // Records of the old counter ingested late would leave no gap in either epoch: watch the
      // boundary between the two like a gap.
      this.probes.push({ fromMs: latest.newestMs, toMs: timestampMs, addedAtMs: nowMs });
    }
    const epoch = new Epoch(counter, base);
    this.epochs.push(epoch);
    return epoch;
  }

  /**
   * The checkpoint. Forgets what no later read can return: gaps and boundaries no longer young,
   * epochs whose records all lie before every read still to come, unsequenced records older than
   * the window. So the state stays small whatever the number of reboots, and nothing that can be
   * read again is forgotten.
   */
  snapshot(nowMs: number): StreamState {
    for (const epoch of this.epochs)
      epoch.gaps = epoch.gaps.filter((g) => this.isYoung(g.reportedAtMs, nowMs));
    this.probes = this.probes.filter((p) => this.isYoung(p.addedAtMs, nowMs));
    // Every read still to come starts at or after this (young gaps and boundaries included).
    const earliest = Math.min(...this.plan(nowMs, true).map((r) => r.startMs));
    const latest = this.epochs[this.epochs.length - 1];
    const keep = this.epochs.filter((e) => e === latest || e.newestMs >= earliest);
    this.epochs.splice(0, this.epochs.length, ...keep);
    for (const [id, u] of this.unsequenced) if (u.ts < earliest) this.unsequenced.delete(id);

    return {
      version: STREAM_STATE_VERSION,
      floorMs: this.floorMs,
      newestMs: this.newestMs,
      newestAnyMs: this.newestAny,
      expectFromZero: this.expectFromZero,
      epochs: this.epochs.map((e) => e.toState()),
      probes: this.probes.map((p) => ({ ...p })),
      unsequenced: [...this.unsequenced].map(([id, u]) => [id, u.ts, u.count]),
    };
  }
}

/** Watched ranges clamped to the floor, sorted, overlapping ones merged: one read each. */
function mergeRanges(ranges: ReadRange[], floorMs: number): ReadRange[] {
  const sorted = ranges
    .map((r) => ({ ...r, startMs: Math.max(floorMs, r.startMs) }))
    .filter((r) => r.endMs === undefined || r.endMs > r.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const out: ReadRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last?.endMs !== undefined && r.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, r.endMs ?? last.endMs);
    } else out.push({ ...r });
  }
  return out;
}
