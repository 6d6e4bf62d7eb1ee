/**
 * The pure generator: clusters of HSMs → every record the run writes, in the order it is put into
 * CloudWatch Logs, plus what was deliberately skipped (gaps), delivered late or put twice. No AWS, no clock
 * unless no start or end time is given; the same options and seed always give the same result.
 */
import { ClusterModel, draftText, type DraftRecord } from './cluster';
import { certstoreRecords } from './certstore';
import { chooseDuplicates, chooseGaps, chooseLate } from './irregularities';
import { Rng } from './random';
import {
  DEFAULTS,
  type ClusterInfo,
  type Gap,
  type HsmType,
  type SimulatedRecord,
  type Simulation,
  type SimulationOptions,
  type StreamInfo,
} from './types';

export * from './types';

/** Splits `total` over `parts` as evenly as possible, the remainder to the first parts. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

export function generate(options: SimulationOptions = {}): Simulation {
  const seed = String(options.seed ?? 1);
  if (options.startTime !== undefined) return build(options, seed, options.startTime);
  // Anchor the end: the cluster timelines run from time 0 give the span (they do not depend on
  // the start), without making any record text. Records are in time order within a cluster, and
  // certificate-storage records lie within the audit records' span.
  let span = 0;
  for (const { model } of runClusters(options, seed, 0)) {
    const last = model.records[model.records.length - 1];
    if (last) span = Math.max(span, Math.floor(last.usecs / 1000));
  }
  const end = options.endTime ?? Date.now() - 60_000;
  return build(options, seed, end - span);
}

interface ClusterRun {
  index: number;
  rng: Rng;
  hsmType: HsmType;
  gapSizes: number[];
  model: ClusterModel;
}

function runClusters(options: SimulationOptions, seed: string, startMs: number): ClusterRun[] {
  const root = new Rng(seed);
  const clusterCount = options.clusters ?? DEFAULTS.clusters;
  const records = options.records ?? DEFAULTS.records;
  const gapsTotal = options.gaps ?? 0;
  return Array.from({ length: clusterCount }, (_, index) => {
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
      rebootAfter: options.rebootHsm ? Math.floor((target * 2) / 3) : undefined,
      separator: options.separator,
      extraLines: options.extraLines,
      hsm2m: hsmType === 'hsm2m.medium',
    }).run();
    return { index, rng, hsmType, gapSizes, model };
  });
}

function build(options: SimulationOptions, seed: string, startMs: number): Simulation {
  const clusterCount = options.clusters ?? DEFAULTS.clusters;
  const records = options.records ?? DEFAULTS.records;
  const lateTotal = options.late ?? 0;
  const clusters: ClusterInfo[] = [];
  const all: Array<SimulatedRecord & { order: number }> = [];
  const gaps: Gap[] = [];
  const late: SimulatedRecord[] = [];
  const duplicates: SimulatedRecord[] = [];

  for (const { index, rng, hsmType, gapSizes, model } of runClusters(options, seed, startMs)) {
    const logGroupName = `/aws/cloudhsm/${model.clusterId}`;
    const toRecord = (draft: DraftRecord): SimulatedRecord => ({
      logGroupName,
      logStreamName: draft.hsm.hsmId,
      clusterId: model.clusterId,
      hsmId: draft.hsm.hsmId,
      kind: 'audit',
      seq: draft.seq,
      rebootCounter: draft.fields.rebootCounter,
      opcode: draft.opcode,
      usecs: draft.usecs,
      timestamp: Math.floor(draft.usecs / 1000),
      message: draftText(draft),
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
    for (const copy of chooseDuplicates(
      rng.fork('duplicates'),
      written,
      share(options.duplicates ?? 0, clusterCount, index),
    )) {
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
      rebootCounter: hsm.reboot?.from ?? hsm.rebootCounter,
      ...(hsm.reboot ? { reboot: hsm.reboot } : {}),
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
