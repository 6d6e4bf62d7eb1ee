/**
 * The simulator's public shapes: its options, the manifest of what a run writes (every record with
 * its group, stream, sequence number, reboot counter, opcode, timestamp and exact text), and the
 * defaults, each with its reason.
 */
import type { SeparatorStyle } from './format';

export type HsmType = 'hsm1.medium' | 'hsm2m.medium';

export interface SimulationOptions {
  seed?: string | number;
  /** Clusters (log groups). Default 1. */
  clusters?: number;
  /** HSMs per cluster at the start. Default 3. */
  hsms?: number;
  /** Text audit records written per cluster (exactly; skipped gap records not counted). Default 500. */
  records?: number;
  /** Epoch ms of the first record. Default: so the last record lands at `endTime`. */
  startTime?: number;
  /** Epoch ms the run should end near when no startTime is given. Default: now − 1 minute. */
  endTime?: number;
  /** Mean pause between two activities of a cluster, ms. Default 2000. */
  meanIntervalMs?: number;
  /** `hsm1.medium`, `hsm2m.medium`, or `mixed` (odd clusters hsm2m). Default `mixed`. */
  hsmType?: HsmType | 'mixed';
  /** Certificate-storage JSON records per hsm2m cluster. Default records / 25. */
  certstoreRecords?: number;
  /** One separator style on every stream; default chosen per stream. */
  separator?: SeparatorStyle;
  /** Verbose lines on every stream (true), none (false); default chosen per stream. */
  extraLines?: boolean;
  /** Gaps to make over the whole run (each skips 1..maxGapSize sequence numbers of one stream). */
  gaps?: number;
  maxGapSize?: number;
  /** Records delivered late over the whole run (put after later records of their stream). */
  late?: number;
  /** How late at most, minutes. Default 15. */
  lateMaxMinutes?: number;
  /**
   * Records put twice over the whole run, the copy a few seconds after the original, as when a
   * PutLogEvents answer is lost and the call retried (CloudWatch then holds the event twice).
   */
  duplicates?: number;
  /** Replace one HSM of each cluster halfway through (a new stream starting with a login). */
  replaceHsm?: boolean;
  /**
   * Reboot one HSM of each cluster at two thirds of the run: its reboot counter goes up by one
   * from the next record on; its sequence numbers continue.
   */
  rebootHsm?: boolean;
}

/** One record as written: the manifest entry tests check the collector's output against. */
export interface SimulatedRecord {
  logGroupName: string;
  logStreamName: string;
  clusterId: string;
  /** The HSM id (= stream name); null for certificate-storage records. */
  hsmId: string | null;
  kind: 'audit' | 'certstore';
  /** Sequence No; null for certificate-storage records. */
  seq: number | null;
  rebootCounter: number | null;
  /** Opcode name (`CN_LOGIN`) or certstore op_code (`CreateObject`). */
  opcode: string;
  /** The record's `usecs`; null for certificate-storage records. */
  usecs: number | null;
  /** CloudWatch event timestamp, ms (= floor(usecs / 1000)). */
  timestamp: number;
  message: string;
  /** > 0: put this many ms after its timestamp, after later records of its stream. */
  ingestDelayMs: number;
  /** True for the second copy of a record put twice (see `duplicates`). */
  duplicate: boolean;
}

export interface StreamInfo {
  logStreamName: string;
  hsmId: string | null;
  kind: 'audit' | 'certstore';
  /** Logged the cluster's initialization (its first record is CN_INIT_TOKEN). */
  initializer: boolean;
  /** Appeared halfway through, replacing `replaces`. */
  addedMidRun: boolean;
  replaces?: string;
  retiredMidRun: boolean;
  separator: SeparatorStyle | null;
  extraLines: boolean;
  /** The reboot counter of the stream's first record. */
  rebootCounter: number | null;
  /** When the HSM rebooted mid-run: the first sequence number with the new counter, old and new. */
  reboot?: { seq: number; from: number; to: number };
  /** Sequence numbers used (written or skipped): 0 … sequenceCount − 1. */
  sequenceCount: number;
}

export interface ClusterInfo {
  clusterId: string;
  logGroupName: string;
  hsmType: HsmType;
  streams: StreamInfo[];
}

export interface Gap {
  logGroupName: string;
  logStreamName: string;
  firstSeq: number;
  lastSeq: number;
  /** The records that were not written. */
  skipped: SimulatedRecord[];
}

export interface Simulation {
  seed: string;
  clusters: ClusterInfo[];
  /** Everything to write, in the order it is put (by ingestion time). */
  records: SimulatedRecord[];
  gaps: Gap[];
  /** The late records (also in `records`). */
  late: SimulatedRecord[];
  /** The second copies of records put twice (also in `records`, flagged `duplicate`). */
  duplicates: SimulatedRecord[];
}

export const DEFAULTS = {
  clusters: 1,
  hsms: 3,
  records: 500,
  meanIntervalMs: 2_000, // a busy cluster: a few management commands a minute
  maxGapSize: 3,
  lateMaxMinutes: 15, // the issue asks the collector to survive at least 15 minutes of lateness
} as const;
