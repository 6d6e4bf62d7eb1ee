/**
 * What the simulator does to a run on demand, after generating it: gaps (sequence numbers never
 * written), late records (put after later records of their stream), duplicates (put twice).
 */
import type { Rng } from './random';
import type { Gap, SimulatedRecord, SimulationOptions } from './types';
import { DEFAULTS } from './types';

/** Skips runs of sequence numbers inside HSM streams: never seq 0, never a stream's tail (undetectable). */
export function chooseGaps(rng: Rng, records: SimulatedRecord[], sizes: number[]): Gap[] {
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
export function chooseLate(
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

/**
 * Copies of records put a second time, a few seconds after the original, as a PutLogEvents retried
 * after a lost answer leaves them in CloudWatch.
 */
export function chooseDuplicates(
  rng: Rng,
  written: readonly SimulatedRecord[],
  count: number,
): SimulatedRecord[] {
  const originals = written.filter(
    (record) => record.ingestDelayMs === 0 && record.kind === 'audit',
  );
  if (count > originals.length)
    throw new Error(`simulator: cannot duplicate ${count} records; write more records`);
  const picked = new Set<SimulatedRecord>();
  while (picked.size < count) picked.add(rng.pick(originals));
  return [...picked].map((original) => ({
    ...original,
    ingestDelayMs: rng.int(1, 5_000),
    duplicate: true,
  }));
}
