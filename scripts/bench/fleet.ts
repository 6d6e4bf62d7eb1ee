/**
 * The steady-state fleets: 60 HSM streams in 20 log groups (clusters of 3 hsm1.medium HSMs), each
 * with a history already in CloudWatch Logs when the input starts, and new records arriving while
 * it runs. Every record comes from the project's simulator, so each stream's sequence numbers run
 * on from its history into the new records without a gap, as a real HSM's do, and the collector's
 * forward reads and gap logic see what they would see in production.
 *
 * The simulator writes about 0.2 records/s per HSM. A fleet's rate is reached by stretching or
 * compressing each cluster's timeline (bursts included) so that it averages `ratePerStream` per
 * stream; the `Time:` line of each record is rewritten to the new time, so the text, the
 * CloudWatch timestamp and the order all agree.
 *
 * Times are offsets from the run's start (T0), materialized per run: the same records, at the
 * same offsets, for the before and the after build.
 */
import { formatHsmTime, generate } from '../../src/simulator';
import type { PutRecord } from './emulator/control';

export const GROUPS = 20;
export const HSMS_PER_GROUP = 3;
/** History of a fleet with new records: longer than the 30-minute window the old build re-read. */
const RATE_HISTORY_MS = 35 * 60_000;
/** The idle fleet: an hour of records at the simulator's own pace, the newest an hour old. */
const IDLE_HISTORY_MS = 60 * 60_000;
const IDLE_NEWEST_AGE_MS = 60 * 60_000;
const IDLE_HISTORY_RATE = 0.2;

export interface FleetSpec {
  /** `idle`, `0.2`, `2`, optionally `@<budget>`. */
  name: string;
  /** New records per second per stream while the input runs; 0 for the idle fleet. */
  ratePerStream: number;
  /** max_requests_per_second given to the input. */
  budget: number;
}

export function fleetSpec(name: string): FleetSpec {
  const m = /^(idle|\d+(?:\.\d+)?)(?:@(\d+))?$/.exec(name);
  if (!m)
    throw new Error(`--fleets: ${JSON.stringify(name)} is not idle, <rate> or <rate>@<budget>`);
  const ratePerStream = m[1] === 'idle' ? 0 : Number(m[1]);
  const budget = m[2] === undefined ? 10 : Number(m[2]);
  if (budget < 1 || budget > 100) throw new Error(`--fleets ${name}: budget must be 1 to 100`);
  return { name, ratePerStream, budget };
}

export interface TimedRecord {
  logGroupName: string;
  logStreamName: string;
  seq: number;
  /** Microseconds from T0 (negative: before the input starts). */
  offsetUs: number;
  /** The record's text after its `Time:` line. */
  tail: string;
}

export interface Timeline {
  history: TimedRecord[];
  /** Sorted by offset. */
  live: TimedRecord[];
  streams: number;
  /** How long the live records last. */
  liveSeconds: number;
}

/** The identity the harness matches output against: stream and sequence number. */
export const recordKey = (stream: string, seq: number) => `${stream}\u0000${seq}`;

export function buildTimeline(spec: FleetSpec, liveSeconds: number): Timeline {
  const idle = spec.ratePerStream === 0;
  const rate = idle ? IDLE_HISTORY_RATE : spec.ratePerStream;
  const historyMs = idle ? IDLE_HISTORY_MS : RATE_HISTORY_MS;
  const liveMs = idle ? 0 : liveSeconds * 1000;
  const historyEndUs = idle ? -IDLE_NEWEST_AGE_MS * 1000 : 0;
  const spanUs = (historyMs + liveMs) * 1000;
  const sim = generate({
    seed: `steady-${spec.ratePerStream}`,
    clusters: GROUPS,
    hsms: HSMS_PER_GROUP,
    records: Math.ceil((HSMS_PER_GROUP * rate * spanUs) / 1e6),
    hsmType: 'hsm1.medium',
    startTime: 0,
  });
  const byCluster = new Map<string, typeof sim.records>();
  for (const r of sim.records) {
    const list = byCluster.get(r.logGroupName) ?? [];
    list.push(r);
    byCluster.set(r.logGroupName, list);
  }
  const history: TimedRecord[] = [];
  const live: TimedRecord[] = [];
  const streams = new Set<string>();
  for (const records of byCluster.values()) {
    // A cluster's records are in time order.
    const first = records[0]!.usecs as number;
    const natural = (records[records.length - 1]!.usecs as number) - first || 1;
    const scale = spanUs / natural;
    const startUs = historyEndUs - historyMs * 1000;
    for (const r of records) {
      const firstLine = `Time: ${formatHsmTime(r.usecs as number)}, usecs:${r.usecs}`;
      if (r.seq === null || !r.message.startsWith(`${firstLine}\n`))
        throw new Error(
          `simulator record without the expected Time line: ${r.message.slice(0, 80)}`,
        );
      const offsetUs = Math.round(startUs + ((r.usecs as number) - first) * scale);
      const timed: TimedRecord = {
        logGroupName: r.logGroupName,
        logStreamName: r.logStreamName,
        seq: r.seq,
        offsetUs: Math.min(offsetUs, idle ? historyEndUs : offsetUs),
        tail: r.message.slice(firstLine.length),
      };
      streams.add(r.logStreamName);
      (timed.offsetUs < 0 ? history : live).push(timed);
    }
  }
  live.sort((a, b) => a.offsetUs - b.offsetUs);
  return { history, live, streams: streams.size, liveSeconds: liveMs / 1000 };
}

/** The record as put at run start `t0Ms`: timestamp and `Time:` line from its offset. */
export function materialize(r: TimedRecord, t0Ms: number): PutRecord {
  const usecs = t0Ms * 1000 + r.offsetUs;
  return {
    logGroupName: r.logGroupName,
    logStreamName: r.logStreamName,
    timestamp: Math.floor(usecs / 1000),
    message: `Time: ${formatHsmTime(usecs)}, usecs:${usecs}${r.tail}`,
  };
}
