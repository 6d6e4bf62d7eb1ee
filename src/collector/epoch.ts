/**
 * The records of one reboot counter value of a stream: which sequence numbers were written (as
 * ranges), which are missing (gaps, with the timestamps around them, where late records must
 * lie), and the newest timestamp written. CloudHSM numbers each stream's records 0, 1, 2 … without
 * gaps, so the written set both de-duplicates re-reads and reveals what is missing.
 */
import { RangeSet } from './rangeSet';
import type { EpochState, GapState } from './streamState';
import type { StreamNotice } from './streamTracker';

/** Most gaps remembered per epoch, so a pathological stream cannot grow the checkpoint forever. */
const MAX_GAPS = 10_000;

export class Epoch {
  readonly written: RangeSet;
  gaps: GapState[];
  newestMs: number;
  /** Per page: the largest number and newest time before it, and the times of what it wrote. */
  private page:
    { priorMax: number | undefined; priorNewestMs: number; times: Map<number, number> } | undefined;

  constructor(
    readonly rebootCounter: number,
    readonly base: number,
    state?: Omit<EpochState, 'rebootCounter' | 'base'>,
  ) {
    this.written = new RangeSet(state?.written);
    this.gaps = state?.gaps.map((g) => ({ ...g })) ?? [];
    this.newestMs = state?.newestMs ?? Number.NEGATIVE_INFINITY;
  }

  /** Adds a record read in the current page; false when it was written before. */
  add(sequenceNo: number, timestampMs: number): boolean {
    this.page ??= { priorMax: this.written.max, priorNewestMs: this.newestMs, times: new Map() };
    if (!this.written.add(sequenceNo)) return false;
    this.page.times.set(sequenceNo, timestampMs);
    if (timestampMs > this.newestMs) this.newestMs = timestampMs;
    return true;
  }

  /** Ends the page: reports holes it opened as gaps, and known gaps it filled as resolved. */
  endPage(nowMs: number, floorMs: number, notices: StreamNotice[]): void {
    const page = this.page;
    if (!page) return;
    this.page = undefined;
    const stillOpen: GapState[] = [];
    // Known gaps: written only grows, so a known gap can only shrink.
    for (const gap of this.gaps) {
      const missing = gap.to - gap.from + 1 - this.written.countIn(gap.from, gap.to);
      if (missing > 0) {
        stillOpen.push({ ...gap, missing });
        continue;
      }
      notices.push({
        kind: 'sequence_gap_resolved',
        rebootCounter: this.rebootCounter,
        from: gap.from,
        to: gap.to,
        filled: gap.missing,
        openSeconds: Math.max(0, Math.round((nowMs - gap.reportedAtMs) / 1000)),
      });
    }
    // New holes can only lie above the largest number written before this page.
    const newFrom =
      page.priorMax === undefined ? this.base : Math.max(this.base, page.priorMax + 1);
    const lowFallback = Number.isFinite(page.priorNewestMs) ? page.priorNewestMs : floorMs;
    for (const [from, to] of this.written.holes(newFrom)) {
      const missing = to - from + 1;
      notices.push({
        kind: 'sequence_gap',
        rebootCounter: this.rebootCounter,
        expected: from,
        found: to + 1,
        from,
        to,
        missing,
      });
      stillOpen.push({
        from,
        to,
        missing,
        reportedAtMs: nowMs,
        fromMs: page.times.get(from - 1) ?? lowFallback,
        toMs: page.times.get(to + 1) ?? this.newestMs,
      });
    }
    this.gaps = stillOpen.length > MAX_GAPS ? stillOpen.slice(-MAX_GAPS) : stillOpen;
  }

  toState(): EpochState {
    return {
      rebootCounter: this.rebootCounter,
      base: this.base,
      written: this.written.toJSON(),
      gaps: this.gaps.map((g) => ({ ...g })),
      newestMs: this.newestMs,
    };
  }
}
