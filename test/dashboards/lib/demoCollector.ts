/**
 * The collector's side of the demo day: the events it writes (sourcetype cloudhsm:audit:collector,
 * built with the collector's own src/collector/collectorEvents.ts) for what the simulation holds:
 * a sequence gap for each skipped range, a gap and its resolution for each late record, the
 * replaced HSM's new stream, the reboot counter change; a health event per log group every 5
 * minutes (one lag spike, some throttling, errors once); two errors; clock-skew findings; and
 * its stderr lines as splunkd.log holds them in index=_internal (ExecProcessor).
 *
 * Health events also carry the per-API call counts and request rates of issue 11
 * (get_log_events_calls, describe_log_streams_calls, describe_log_groups_calls,
 * requests_per_second, budget_requests_per_second) and clock_skew is issue 11's new kind: this
 * file adds them to the JSON until collectorEvents.ts writes them itself.
 */
import {
  errorEvent,
  healthEvent,
  noticeEvent,
  sourceFor,
  streamAddedEvent,
  type EventOrigin,
} from '../../../src/collector/collectorEvents';
import type { SplunkEvent as CollectorOutput } from '../../../src/collector/ports';
import type { SimulatedRecord, Simulation } from '../../../src/simulator';
import type { Rng } from '../../../src/simulator/random';

export interface DemoEvent {
  raw: string;
  sourcetype: string;
  source: string;
  host: string;
  time: number;
  indexTime: number;
  index: string;
  /** Fields Splunk itself extracts (index=_internal lines): the app's props do not apply. */
  fields?: Record<string, string>;
}

const INDEX = 'aws_cloudhsm';
const REGION = 'us-east-1';
const INPUT = 'prod';
const HEALTH_INTERVAL = 300;
/** The input's max_requests_per_second for its account and region, shared by both groups. */
const BUDGET = 1;

function origin(logGroup: string): EventOrigin {
  return {
    input: INPUT,
    region: REGION,
    logGroup,
    source: sourceFor(REGION, logGroup),
    index: INDEX,
  };
}

function toDemo(e: CollectorOutput, extra: Record<string, unknown> = {}): DemoEvent {
  const body = { ...(JSON.parse(e.data) as Record<string, unknown>), ...extra };
  const time = Number(e.time);
  return {
    raw: JSON.stringify(body),
    sourcetype: e.sourcetype!,
    source: e.source!,
    host: e.host ?? 'hf-1',
    time,
    indexTime: Math.floor(time) + 2,
    index: e.index ?? INDEX,
  };
}

const ingested = (r: SimulatedRecord) => r.timestamp + r.ingestDelayMs;

/** Gaps: found when the record after the skipped range arrives; never resolved. */
function gapEvents(sim: Simulation): DemoEvent[] {
  return sim.gaps.map((gap) => {
    const next = sim.records.find(
      (r) => r.logStreamName === gap.logStreamName && r.seq === gap.lastSeq + 1,
    )!;
    const notice = {
      kind: 'sequence_gap' as const,
      rebootCounter: next.rebootCounter!,
      expected: gap.firstSeq,
      found: gap.lastSeq + 1,
      from: gap.firstSeq,
      to: gap.lastSeq,
      missing: gap.lastSeq - gap.firstSeq + 1,
    };
    return toDemo(
      noticeEvent(origin(gap.logGroupName), gap.logStreamName, notice, ingested(next) + 3000),
    );
  });
}

/** Late records: a one-record gap when the next record arrives first, resolved when it comes. */
function lateEvents(sim: Simulation): DemoEvent[] {
  return sim.late.flatMap((late) => {
    const next = sim.records.find(
      (r) => r.logStreamName === late.logStreamName && r.seq === late.seq! + 1,
    );
    if (!next || ingested(next) >= ingested(late)) return [];
    const at = ingested(next) + 3000;
    const resolvedAt = ingested(late) + 3000;
    const o = origin(late.logGroupName);
    const base = { rebootCounter: late.rebootCounter!, from: late.seq!, to: late.seq! };
    return [
      toDemo(
        noticeEvent(
          o,
          late.logStreamName,
          { kind: 'sequence_gap', ...base, expected: late.seq!, found: late.seq! + 1, missing: 1 },
          at,
        ),
      ),
      toDemo(
        noticeEvent(
          o,
          late.logStreamName,
          {
            kind: 'sequence_gap_resolved',
            ...base,
            filled: 1,
            openSeconds: Math.round((resolvedAt - at) / 1000),
          },
          resolvedAt,
        ),
      ),
    ];
  });
}

function streamAndRebootEvents(sim: Simulation): DemoEvent[] {
  return sim.clusters.flatMap((cluster) =>
    cluster.streams.flatMap((stream) => {
      const records = sim.records.filter((r) => r.logStreamName === stream.logStreamName);
      const out: DemoEvent[] = [];
      if (stream.addedMidRun && records[0])
        out.push(
          toDemo(
            streamAddedEvent(
              origin(cluster.logGroupName),
              stream.logStreamName,
              records[0].timestamp,
              ingested(records[0]) + 2000,
            ),
          ),
        );
      if (stream.reboot) {
        const at = records.find((r) => r.seq === stream.reboot!.seq)!;
        const notice = {
          kind: 'reboot_counter_changed' as const,
          previous: stream.reboot.from,
          current: stream.reboot.to,
          sequenceNo: stream.reboot.seq,
        };
        out.push(
          toDemo(
            noticeEvent(
              origin(cluster.logGroupName),
              stream.logStreamName,
              notice,
              ingested(at) + 2000,
            ),
          ),
        );
      }
      return out;
    }),
  );
}

function healthEvents(sim: Simulation, rng: Rng): DemoEvent[] {
  const first = Math.min(...sim.records.map(ingested));
  const end = Math.max(...sim.records.map(ingested)) + 600_000;
  const out: DemoEvent[] = [];
  sim.clusters.forEach((cluster, c) => {
    const mine = sim.records.filter((r) => r.logGroupName === cluster.logGroupName);
    let i = 0;
    for (let t = first + 60_000 + c * 7_000; t <= end; t += HEALTH_INTERVAL * 1000, i++) {
      const inInterval = mine.filter(
        (r) => ingested(r) <= t && ingested(r) > t - HEALTH_INTERVAL * 1000,
      );
      const written = inInterval.filter((r) => !r.duplicate).length;
      const streams = cluster.streams.filter((s) =>
        mine.some((r) => r.logStreamName === s.logStreamName && ingested(r) <= t),
      ).length;
      // Reading a stream to its end every few seconds: about 2 GetLogEvents per stream a minute.
      const getLogEvents = streams * 10 + written + rng.int(0, 4);
      const describeStreams = 5;
      const describeGroups = c === 0 ? 1 : 0;
      const apiCalls = getLogEvents + describeStreams + describeGroups;
      const spike = i === 150 ? 75 : 0;
      const throttled = i >= 100 && i < 104 ? rng.int(1, 4) : 0;
      const errors = i === 180 && c === 1 ? 2 : 0;
      const figures = {
        intervalSeconds: HEALTH_INTERVAL,
        recordsRead: inInterval.length,
        recordsWritten: written,
        duplicatesSkipped: inInterval.length - written,
        lagSeconds: spike || rng.int(2, 14),
        apiCalls,
        getLogEventsCalls: getLogEvents,
        describeLogStreamsCalls: describeStreams,
        describeLogGroupsCalls: describeGroups,
        requestsPerSecond: Number((apiCalls / HEALTH_INTERVAL).toFixed(3)),
        budgetRequestsPerSecond: BUDGET,
        throttledCalls: throttled,
        errors,
        streams,
        openGaps: sim.gaps.filter((g) => g.logGroupName === cluster.logGroupName).length,
      };
      out.push(toDemo(healthEvent(origin(cluster.logGroupName), figures, t)));
    }
  });
  return out;
}

function errorAndSkewEvents(sim: Simulation): DemoEvent[] {
  const cluster = sim.clusters[1]!;
  const o = origin(cluster.logGroupName);
  const mine = sim.records.filter(
    (r) => r.logGroupName === cluster.logGroupName && r.kind === 'audit',
  );
  const at = ingested(mine[Math.floor(mine.length * 0.6)]!);
  const skewed = mine.slice(-40, -38);
  return [
    toDemo(errorEvent(o, undefined, 'ThrottlingException', 'Rate exceeded', at)),
    toDemo(
      errorEvent(
        o,
        mine[0]!.logStreamName,
        'ServiceUnavailableException',
        'The service is unavailable. Please try again later.',
        at + 30_000,
      ),
    ),
    ...skewed.map((r, i) =>
      toDemo(
        noticeEvent(
          o,
          r.logStreamName,
          {
            kind: 'clock_skew',
            sequenceNo: i === 0 ? (r.seq ?? undefined) : undefined,
            timestampMs: r.timestamp + 95_000 + i * 20_000,
            ingestionMs: r.timestamp,
            skewSeconds: 95 + i * 20,
          },
          ingested(r) + 4000,
        ),
      ),
    ),
  ];
}

export function collectorEvents(sim: Simulation, rng: Rng): DemoEvent[] {
  return [
    ...gapEvents(sim),
    ...lateEvents(sim),
    ...streamAndRebootEvents(sim),
    ...healthEvents(sim, rng),
    ...errorAndSkewEvents(sim),
  ];
}

const splunkdTime = (t: number) => {
  const d = new Date(t * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} +0000`;
};

/** The collector's stderr as splunkd.log holds it: one ExecProcessor line per collector line. */
export function collectorLogLines(events: DemoEvent[]): DemoEvent[] {
  const line = (t: number, text: string): DemoEvent => ({
    raw: `${splunkdTime(t)} ERROR ExecProcessor [2841 ExecProcessorSchedulerThread] - message from "/opt/splunk/etc/apps/cloudhsm_audit/bin/cloudhsm_audit.sh" ${text}`,
    sourcetype: 'splunkd',
    source: '/opt/splunk/var/log/splunk/splunkd.log',
    host: 'hf-1',
    time: t,
    indexTime: Math.floor(t) + 1,
    index: '_internal',
    fields: { component: 'ExecProcessor', log_level: 'ERROR' },
  });
  return events.flatMap((e) => {
    const body = JSON.parse(e.raw) as Record<string, string | number>;
    const where = `region=${REGION} log_group=${body.log_group}`;
    if (body.kind === 'health')
      return [
        line(
          e.time,
          `INFO health ${where} records_read=${body.records_read} records_written=${body.records_written} lag_seconds=${body.lag_seconds} api_calls=${body.api_calls} streams=${body.streams} open_gaps=${body.open_gaps}`,
        ),
      ];
    if (body.kind === 'error')
      return [
        line(
          e.time,
          `WARN read failed, will retry: ${body.message} ${where} error_code=${body.error_code}`,
        ),
      ];
    if (body.kind === 'stream_added')
      return [
        line(
          e.time,
          `WARN new HSM stream in the log group (HSM added or replaced) ${where} stream=${body.stream}`,
        ),
      ];
    return [];
  });
}
