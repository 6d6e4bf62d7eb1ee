/**
 * What the collector knows about one log stream (one HSM): which records it has written, which
 * sequence numbers are missing, and where the next poll must start reading. Pure: no I/O, the
 * caller persists `snapshot()` in the stream's checkpoint after the records are flushed.
 *
 * Identity of a record: (reboot counter, `Sequence No`) within its stream; CloudHSM numbers each
 * stream's records 0, 1, 2 … without gaps, so a written set kept as ranges both de-duplicates
 * re-reads and reveals gaps. Records without a sequence number (certificate-storage JSON, records
 * too damaged to read) are de-duplicated by a hash of their timestamp and text, remembered for as
 * long as they can be re-read.
 *
 * Re-reading: CloudWatch can ingest a record late with a timestamp before what was already read,
 * and GetLogEvents filters on timestamps, so every poll re-reads from `lateEventWindowMs` before
 * the newest record, and from before any gap reported less than that long ago. Re-read records
 * are recognised and skipped.
 */
import { createHash } from 'node:crypto';
import { RangeSet, type Range } from './rangeSet';
import { readRecordHeader, millisToSplunkTime } from '../audit/record';

export const STREAM_STATE_VERSION = 1;

export interface GapState {
  from: number;
  to: number;
  /** Records of [from, to] still missing. */
  missing: number;
  reportedAtMs: number;
  /** A timestamp no later than the missing records': re-reading starts here while the gap is young. */
  readFromMs: number;
}

export interface EpochState {
  rebootCounter: number;
  /** First sequence number expected in this epoch; holes are counted from here. */
  base: number;
  written: Range[];
  gaps: GapState[];
}

export interface StreamState {
  version: typeof STREAM_STATE_VERSION;
  /** Start of the next poll's read (CloudWatch event timestamp, ms). */
  readFromMs: number;
  /** Newest CloudWatch event timestamp seen, or null before the first record. */
  maxTimestampMs: number | null;
  /** Whether the stream was created after the input's start position (its first record is seq 0). */
  expectFromZero: boolean;
  epochs: EpochState[];
  /** Recently written records without a sequence number: [id, timestamp ms]. */
  unsequenced: [string, number][];
}

export interface CloudWatchRecord {
  timestamp?: number;
  message?: string;
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
  | { kind: 'reboot_counter_changed'; previous: number; current: number; sequenceNo: number };

export interface AcceptedRecord {
  message: string;
  /** Splunk `<time>`: the record's own time, else the CloudWatch timestamp. */
  time: string;
  sourcetype: 'aws:cloudwatch:cloudhsm' | 'aws:cloudwatch:cloudhsm:certstore';
}

export interface PageResult {
  records: AcceptedRecord[];
  notices: StreamNotice[];
  /** Records in the page that were already written (re-read overlap). */
  duplicates: number;
}

/** Most reboot epochs kept per stream: a stream normally has one. */
const MAX_EPOCHS = 8;
/** Most gaps remembered per epoch, so a pathological stream cannot grow the checkpoint forever. */
const MAX_GAPS = 10_000;

interface Epoch {
  rebootCounter: number;
  base: number;
  written: RangeSet;
  gaps: GapState[];
}

export class StreamTracker {
  private readonly epochs: Epoch[];
  private readonly unsequenced: Map<string, number>;
  private maxTimestampMs: number | null;
  private readFromMs: number;
  private readonly expectFromZero: boolean;

  /**
   * @param state the stream's checkpoint, or undefined for a stream never read before
   * @param initialReadFromMs where a new stream starts (the input's start position)
   * @param expectFromZero for a new stream: whether it was created after the start position
   */
  constructor(
    state: StreamState | undefined,
    initialReadFromMs: number,
    expectFromZero: boolean,
    private readonly lateEventWindowMs: number,
  ) {
    this.epochs = (state?.epochs ?? []).map((e) => ({
      rebootCounter: e.rebootCounter,
      base: e.base,
      written: new RangeSet(e.written),
      gaps: e.gaps.map((g) => ({ ...g })),
    }));
    this.unsequenced = new Map(state?.unsequenced ?? []);
    this.maxTimestampMs = state?.maxTimestampMs ?? null;
    this.readFromMs = state?.readFromMs ?? initialReadFromMs;
    this.expectFromZero = state?.expectFromZero ?? expectFromZero;
  }

  /** Where the next read of this stream starts (ms). */
  get nextReadFromMs(): number {
    return this.readFromMs;
  }

  get newestTimestampMs(): number | null {
    return this.maxTimestampMs;
  }

  /** Gaps still open in every epoch. */
  get openGaps(): number {
    return this.epochs.reduce((n, e) => n + e.gaps.length, 0);
  }

  /**
   * Takes one page of CloudWatch events (timestamp order) and returns what to write. The tracker's
   * state already counts the returned records as written: persist `snapshot()` only after they are.
   */
  accept(events: readonly CloudWatchRecord[], nowMs: number): PageResult {
    const records: AcceptedRecord[] = [];
    const notices: StreamNotice[] = [];
    let duplicates = 0;
    const priorMax = new Map<Epoch, number | undefined>();
    const pageStartMs = this.maxTimestampMs ?? events[0]?.timestamp ?? this.readFromMs;

    for (const event of events) {
      const message = event.message ?? '';
      const timestamp = event.timestamp ?? nowMs;
      if (this.maxTimestampMs === null || timestamp > this.maxTimestampMs)
        this.maxTimestampMs = timestamp;
      const header = readRecordHeader(message);
      const time = header.time ?? millisToSplunkTime(timestamp);
      const sourcetype =
        header.kind === 'certstore'
          ? 'aws:cloudwatch:cloudhsm:certstore'
          : 'aws:cloudwatch:cloudhsm';

      if (header.sequenceNo === undefined) {
        const id = `${timestamp}:${createHash('sha1').update(message).digest('base64')}`;
        if (this.unsequenced.has(id)) {
          duplicates++;
          continue;
        }
        this.unsequenced.set(id, timestamp);
        records.push({ message, time, sourcetype });
        continue;
      }

      const epoch = this.epochFor(header.rebootCounter, header.sequenceNo, notices);
      if (!priorMax.has(epoch)) priorMax.set(epoch, epoch.written.max);
      if (!epoch.written.add(header.sequenceNo)) {
        duplicates++;
        continue;
      }
      records.push({ message, time, sourcetype });
    }

    for (const [epoch, oldMax] of priorMax) {
      this.reconcileGaps(epoch, oldMax, nowMs, pageStartMs, notices);
    }
    this.readFromMs = this.computeReadFrom(nowMs);
    return { records, notices, duplicates };
  }

  /** The epoch a record belongs to, created (and reported) when its reboot counter is new. */
  private epochFor(
    rebootCounter: number | undefined,
    sequenceNo: number,
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
    }
    const epoch: Epoch = { rebootCounter: counter, base, written: new RangeSet(), gaps: [] };
    this.epochs.push(epoch);
    if (this.epochs.length > MAX_EPOCHS) this.epochs.shift();
    return epoch;
  }

  /** Reports new holes as gaps and known gaps that the page filled. */
  private reconcileGaps(
    epoch: Epoch,
    oldMax: number | undefined,
    nowMs: number,
    pageStartMs: number,
    notices: StreamNotice[],
  ): void {
    // Known gaps: written only grows, so a known gap can only shrink.
    const stillOpen: GapState[] = [];
    for (const gap of epoch.gaps) {
      const size = gap.to - gap.from + 1;
      const missing = size - epoch.written.countIn(gap.from, gap.to);
      if (missing === 0) {
        notices.push({
          kind: 'sequence_gap_resolved',
          rebootCounter: epoch.rebootCounter,
          from: gap.from,
          to: gap.to,
          filled: gap.missing,
          openSeconds: Math.max(0, Math.round((nowMs - gap.reportedAtMs) / 1000)),
        });
      } else {
        stillOpen.push({ ...gap, missing });
      }
    }
    // New holes can only lie above the largest number written before this page.
    const newFrom = oldMax === undefined ? epoch.base : Math.max(epoch.base, oldMax + 1);
    for (const [from, to] of epoch.written.holes(newFrom)) {
      const found = to + 1;
      notices.push({
        kind: 'sequence_gap',
        rebootCounter: epoch.rebootCounter,
        expected: from,
        found,
        from,
        to,
        missing: to - from + 1,
      });
      stillOpen.push({
        from,
        to,
        missing: to - from + 1,
        reportedAtMs: nowMs,
        readFromMs: pageStartMs,
      });
    }
    epoch.gaps = stillOpen.length > MAX_GAPS ? stillOpen.slice(-MAX_GAPS) : stillOpen;
  }

  private computeReadFrom(nowMs: number): number {
    if (this.maxTimestampMs === null) return this.readFromMs;
    let from = this.maxTimestampMs - this.lateEventWindowMs;
    for (const epoch of this.epochs) {
      for (const gap of epoch.gaps) {
        // A young gap may still be filled by late ingestion: keep re-reading from before it.
        if (nowMs - gap.reportedAtMs < this.lateEventWindowMs && gap.readFromMs < from)
          from = gap.readFromMs;
      }
    }
    return Math.max(0, from);
  }

  snapshot(): StreamState {
    // Unsequenced ids older than anything that can be re-read are forgotten.
    const keepAfter = this.readFromMs - 60_000;
    const unsequenced: [string, number][] = [];
    for (const [id, ts] of this.unsequenced) {
      if (ts >= keepAfter) unsequenced.push([id, ts]);
      else this.unsequenced.delete(id);
    }
    return {
      version: STREAM_STATE_VERSION,
      readFromMs: this.readFromMs,
      maxTimestampMs: this.maxTimestampMs,
      expectFromZero: this.expectFromZero,
      epochs: this.epochs.map((e) => ({
        rebootCounter: e.rebootCounter,
        base: e.base,
        written: e.written.toJSON(),
        gaps: e.gaps.map((g) => ({ ...g })),
      })),
      unsequenced,
    };
  }
}
