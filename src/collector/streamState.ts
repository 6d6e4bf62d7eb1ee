/**
 * What a stream's checkpoint holds, and how it is read back. Version 2 (reading only what is new)
 * replaced version 1 (a standing re-read window); a version 1 checkpoint is converted on load, so
 * an upgrade neither re-reads nor skips anything. Anything else is a loud CheckpointError.
 */
import type { Range } from './rangeSet';
import { CheckpointError } from './errors';

export const STREAM_STATE_VERSION = 2;

/** A run of missing sequence numbers, watched (re-read) while it is young. */
export interface GapState {
  from: number;
  to: number;
  /** Records of [from, to] still missing. */
  missing: number;
  reportedAtMs: number;
  /** Timestamps of the written records around the gap: where the missing ones must lie. */
  fromMs: number;
  toMs: number;
}

/** The records of one reboot counter value (a stream normally has one). */
export interface EpochState {
  rebootCounter: number;
  /** First sequence number expected in this epoch; holes are counted from here. */
  base: number;
  written: Range[];
  gaps: GapState[];
  /** Newest timestamp written in this epoch. */
  newestMs: number;
}

/** A time range re-read while young without a gap to show for it: the boundary of a reboot. */
export interface ProbeState {
  fromMs: number;
  toMs: number;
  addedAtMs: number;
}

export interface StreamState {
  version: typeof STREAM_STATE_VERSION;
  /** Nothing before this timestamp is ever read: the input's start position when first seen. */
  floorMs: number;
  /** Newest timestamp written among records whose clock looked right: forward reads start here. */
  newestMs: number | null;
  /** Newest timestamp written, records stamped ahead of CloudWatch's clock included. */
  newestAnyMs: number | null;
  /** Whether the stream was created after the input's start position (its first record is seq 0). */
  expectFromZero: boolean;
  epochs: EpochState[];
  probes: ProbeState[];
  /** Records without a sequence number written: [id, timestamp ms, times written]. */
  unsequenced: [string, number, number][];
}

/** Version 1, as stop 8 wrote it. */
interface StreamStateV1 {
  version: 1;
  readFromMs: number;
  maxTimestampMs: number | null;
  expectFromZero: boolean;
  epochs: {
    rebootCounter: number;
    base: number;
    written: Range[];
    gaps: { from: number; to: number; missing: number; reportedAtMs: number; readFromMs: number }[];
  }[];
  unsequenced: [string, number][];
}

export function newStreamState(floorMs: number, expectFromZero: boolean): StreamState {
  return {
    version: STREAM_STATE_VERSION,
    floorMs,
    newestMs: null,
    newestAnyMs: null,
    expectFromZero,
    epochs: [],
    probes: [],
    unsequenced: [],
  };
}

/**
 * A loaded checkpoint as the current version. Version 1 kept no floor (its re-reads ignored the
 * start position): the input's start position becomes it. Its newest timestamp stands for every
 * epoch's, and its unsequenced records count as written once each.
 */
export function streamStateFrom(raw: unknown, inputStartMs: number, location: string): StreamState {
  const state = raw as { version?: unknown };
  if (state?.version === STREAM_STATE_VERSION) return raw as StreamState;
  if (state?.version === 1) {
    const v1 = raw as StreamStateV1;
    const newest = v1.maxTimestampMs;
    return {
      version: STREAM_STATE_VERSION,
      floorMs: inputStartMs,
      newestMs: newest,
      newestAnyMs: newest,
      expectFromZero: v1.expectFromZero,
      epochs: v1.epochs.map((e) => ({
        rebootCounter: e.rebootCounter,
        base: e.base,
        written: e.written,
        newestMs: newest ?? v1.readFromMs,
        gaps: e.gaps.map((g) => ({
          from: g.from,
          to: g.to,
          missing: g.missing,
          reportedAtMs: g.reportedAtMs,
          fromMs: g.readFromMs,
          toMs: newest ?? g.readFromMs,
        })),
      })),
      probes: [],
      unsequenced: v1.unsequenced.map(([id, ts]) => [id, ts, 1]),
    };
  }
  throw new CheckpointError(
    `stream checkpoint version ${String(state?.version)} is not supported (1 or ${STREAM_STATE_VERSION})`,
    location,
  );
}
