/**
 * The pure generator: clusters of HSMs → every record the run writes, in the order it is put into
 * CloudWatch Logs, plus what was deliberately skipped (gaps) and delivered late. No AWS, no clock
 * unless no start or end time is given; the same options and seed always give the same result.
 */
import { ClusterModel, type DraftRecord } from './cluster';
import { certstoreRecords } from './certstore';
import type { SeparatorStyle } from './format';
import { Rng } from './random';

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
  rebootCounter: number | null;
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

/** Splits `total` over `parts` as evenly as possible, the remainder to the first parts. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

export function generate(options: SimulationOptions = {}): Simulation {
  const seed = String(options.seed ?? 1);
  if (options.startTime !== undefined) return build(options, seed, options.startTime);
  // Anchor the end: a dry run at time 0 gives the span (the timeline does not depend on the start).
  const probe = build(options, seed, 0);
  // A loop, not Math.max(...spread): a spread of a million records overflows the call stack.
  let span = 0;
  for (const record of probe.records) if (record.timestamp > span) span = record.timestamp;
  const end = options.endTime ?? Date.now() - 60_000;
  return build(options, seed, end - span);
}

function build(options: SimulationOptions, seed: string, startMs: number): Simulation {
  const root = new Rng(seed);
  const clusterCount = options.clusters ?? DEFAULTS.clusters;
  const records = options.records ?? DEFAULTS.records;
  const gapsTotal = options.gaps ?? 0;
  const lateTotal = options.late ?? 0;
  const clusters: ClusterInfo[] = [];
  const all: Array<SimulatedRecord & { order: number }> = [];
  const gaps: Gap[] = [];
  const late: SimulatedRecord[] = [];
  const duplicates: SimulatedRecord[] = [];

  for (let index = 0; index < clusterCount; index += 1) {
    const rng = root.fork(`cluster-${index}`);
    const hsmType: HsmType =
      options.hsmType === 'mixed' || options.hsmType === undefined
        ? index % 2 === 1
          ? 'hsm2m.medium'
          : 'hsm1.medium'
        : options.hsmType;
    const gapSizes = Array.from({ length: share(gapsTotal, clusterCount, index) }, () =>
      rng.fork('gap-sizes').int(1, options.maxGapSize ?? DEFAULTS.maxGapSize),
    );
    const skippedCount = gapSizes.reduce((sum, size) => sum + size, 0);
    const target = records + skippedCount;
    const model = new ClusterModel(rng.fork('activity'), {
      hsms: options.hsms ?? DEFAULTS.hsms,
      records: target,
      startUsecs: (startMs + rng.int(0, 5_000)) * 1000 + rng.int(0, 999),
      meanIntervalMs: options.meanIntervalMs ?? DEFAULTS.meanIntervalMs,
      replaceAfter: options.replaceHsm ? Math.floor(target / 2) : undefined,
      separator: options.separator,
      extraLines: options.extraLines,
      hsm2m: hsmType === 'hsm2m.medium',
    }).run();
    const logGroupName = `/aws/cloudhsm/${model.clusterId}`;
    const toRecord = (draft: DraftRecord): SimulatedRecord => ({
      logGroupName,
      logStreamName: draft.hsm.hsmId,
      clusterId: model.clusterId,
      hsmId: draft.hsm.hsmId,
      kind: 'audit',
      seq: draft.seq,
      rebootCounter: draft.hsm.rebootCounter,
      opcode: draft.opcode,
      usecs: draft.usecs,
      timestamp: Math.floor(draft.usecs / 1000),
      message: draft.message,
      ingestDelayMs: 0,
      duplicate: false,
    });
    const clusterRecords = model.records.map(toRecord);
    const skipped = chooseGaps(rng.fork('gaps'), clusterRecords, gapSizes);
    for (const gap of skipped) gaps.push(gap);
    const skippedSet = new Set(skipped.flatMap((gap) => gap.skipped));
    const written = clusterRecords.filter((record) => !skippedSet.has(record));
    for (const record of chooseLate(
      rng.fork('late'),
      written,
      share(lateTotal, clusterCount, index),
      options,
    ))
      late.push(record);
    const duplicateCount = share(options.duplicates ?? 0, clusterCount, index);
    const dupRng = rng.fork('duplicates');
    const originals = written.filter(
      (record) => record.ingestDelayMs === 0 && record.kind === 'audit',
    );
    const picked = new Set<SimulatedRecord>();
    if (duplicateCount > originals.length)
      throw new Error(`simulator: cannot duplicate ${duplicateCount} records; write more records`);
    while (picked.size < duplicateCount) picked.add(dupRng.pick(originals));
    for (const original of picked) {
      const copy: SimulatedRecord = {
        ...original,
        ingestDelayMs: dupRng.int(1, 5_000),
        duplicate: true,
      };
      written.push(copy);
      duplicates.push(copy);
    }

    const streams: StreamInfo[] = model.hsms.map((hsm) => ({
      logStreamName: hsm.hsmId,
      hsmId: hsm.hsmId,
      kind: 'audit',
      initializer: hsm.initializer,
      addedMidRun: hsm.addedMidRun,
      replaces: hsm.replaces,
      retiredMidRun: hsm.status === 'retired',
      separator: hsm.separator,
      extraLines: hsm.extraLines,
      rebootCounter: hsm.rebootCounter,
      sequenceCount: hsm.seq,
    }));
    if (hsmType === 'hsm2m.medium') {
      const count = options.certstoreRecords ?? Math.ceil(records / 25);
      const first = written[0]?.timestamp ?? startMs;
      const last = written[written.length - 1]?.timestamp ?? startMs;
      for (const draft of certstoreRecords(rng.fork('certstore'), count, first, last)) {
        written.push({
          logGroupName,
          logStreamName: model.clusterId,
          clusterId: model.clusterId,
          hsmId: null,
          kind: 'certstore',
          seq: null,
          rebootCounter: null,
          opcode: draft.opCode,
          usecs: null,
          timestamp: draft.timestamp,
          message: draft.message,
          ingestDelayMs: 0,
          duplicate: false,
        });
      }
      streams.push({
        logStreamName: model.clusterId,
        hsmId: null,
        kind: 'certstore',
        initializer: false,
        addedMidRun: false,
        retiredMidRun: false,
        separator: null,
        extraLines: false,
        rebootCounter: null,
        sequenceCount: 0,
      });
    }
    clusters.push({ clusterId: model.clusterId, logGroupName, hsmType, streams });
    for (const record of written) all.push(Object.assign(record, { order: all.length }));
  }

  // Put order = ingestion time; ties keep generation order, which is time order per stream.
  all.sort(
    (a, b) => a.timestamp + a.ingestDelayMs - (b.timestamp + b.ingestDelayMs) || a.order - b.order,
  );
  const ordered = all.map((record): SimulatedRecord => {
    const copy: SimulatedRecord & { order?: number } = { ...record };
    delete copy.order;
    return copy;
  });
  const identity = new Map(
    all.map((record, i) => [record as SimulatedRecord, ordered[i] as SimulatedRecord]),
  );
  return {
    seed,
    clusters,
    records: ordered,
    gaps,
    late: late.map((record) => identity.get(record) as SimulatedRecord),
    duplicates: duplicates.map((record) => identity.get(record) as SimulatedRecord),
  };
}

/** Skips runs of sequence numbers inside HSM streams: never seq 0, never a stream's tail (undetectable). */
function chooseGaps(rng: Rng, records: SimulatedRecord[], sizes: number[]): Gap[] {
  const byStream = new Map<string, SimulatedRecord[]>();
  for (const record of records) {
    const list = byStream.get(record.logStreamName) ?? [];
    list.push(record);
    byStream.set(record.logStreamName, list);
  }
  const streams = [...byStream.values()];
  const taken = new Set<SimulatedRecord>();
  const gaps: Gap[] = [];
  for (const size of sizes) {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const stream = rng.pick(streams);
      if (stream.length < size + 2) continue;
      const start = rng.int(1, stream.length - size - 1);
      const run = stream.slice(start, start + size);
      // Keep a written record on both sides so every gap is detectable and gaps never merge.
      if (
        [stream[start - 1], ...run, stream[start + size]].some(
          (record) => record && taken.has(record),
        )
      )
        continue;
      run.forEach((record) => taken.add(record));
      const first = run[0] as SimulatedRecord;
      gaps.push({
        logGroupName: first.logGroupName,
        logStreamName: first.logStreamName,
        firstSeq: first.seq as number,
        lastSeq: (run[run.length - 1] as SimulatedRecord).seq as number,
        skipped: run,
      });
      break;
    }
  }
  if (gaps.length < sizes.length)
    throw new Error(`simulator: cannot place ${sizes.length} gaps; write more records`);
  return gaps.sort(
    (a, b) => a.logStreamName.localeCompare(b.logStreamName) || a.firstSeq - b.firstSeq,
  );
}

/**
 * Marks records late: each is put after the next record of its stream (so a reader that already
 * passed its timestamp must go back for it), at most `lateMaxMinutes` after its own timestamp.
 */
function chooseLate(
  rng: Rng,
  written: SimulatedRecord[],
  count: number,
  options: SimulationOptions,
): SimulatedRecord[] {
  if (count === 0) return [];
  const maxMs = (options.lateMaxMinutes ?? DEFAULTS.lateMaxMinutes) * 60_000;
  const next = new Map<SimulatedRecord, SimulatedRecord>();
  const last = new Map<string, SimulatedRecord>();
  for (const record of written) {
    const previous = last.get(record.logStreamName);
    if (previous) next.set(previous, record);
    last.set(record.logStreamName, record);
  }
  const candidates = written.filter((record) => {
    const following = next.get(record);
    return following !== undefined && following.timestamp - record.timestamp + 1 <= maxMs;
  });
  if (candidates.length < count)
    throw new Error(
      `simulator: cannot make ${count} late records; write more records or allow more lateness`,
    );
  const chosen: SimulatedRecord[] = [];
  const used = new Set<SimulatedRecord>();
  while (chosen.length < count) {
    const record = rng.pick(candidates);
    if (used.has(record)) continue;
    used.add(record);
    const minDelay = (next.get(record) as SimulatedRecord).timestamp - record.timestamp + 1;
    record.ingestDelayMs = rng.int(minDelay, Math.max(minDelay, maxMs));
    chosen.push(record);
  }
  return chosen;
}
