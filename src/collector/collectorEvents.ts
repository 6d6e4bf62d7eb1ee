/**
 * The collector's own events (sourcetype `cloudhsm:audit:collector`, one JSON object each): the
 * audit-integrity findings no other collector offers (sequence gaps and their resolution, new HSM
 * streams, reboot counter changes), periodic health per log group, and errors. Field names are the
 * contract with the extractions and dashboards (`docs/fields.md`).
 */
import type { SplunkEvent } from './ports';
import type { StreamNotice } from './streamTracker';
import { millisToSplunkTime } from '../audit/record';

export const COLLECTOR_SOURCETYPE = 'cloudhsm:audit:collector';

/** Where an event comes from: the input, region and log group (and stream when there is one). */
export interface EventOrigin {
  input: string;
  region: string;
  logGroup: string;
  /** `aws:cloudhsm:<region>:<log group>`, the `source` of every event of the group. */
  source: string;
  index?: string;
}

export function sourceFor(region: string, logGroup: string): string {
  return `aws:cloudhsm:${region}:${logGroup}`;
}

/** `/aws/cloudhsm/cluster-abc` → `cluster-abc` (the last path segment). */
export function clusterIdOf(logGroup: string): string {
  const parts = logGroup.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? logGroup;
}

function collectorEvent(
  origin: EventOrigin,
  nowMs: number,
  host: string | undefined,
  body: Record<string, string | number | boolean | undefined>,
): SplunkEvent {
  const payload = {
    ...body,
    input: origin.input,
    aws_region: origin.region,
    log_group: origin.logGroup,
    cluster_id: clusterIdOf(origin.logGroup),
  };
  return {
    time: millisToSplunkTime(nowMs),
    host,
    source: origin.source,
    sourcetype: COLLECTOR_SOURCETYPE,
    index: origin.index,
    data: JSON.stringify(payload),
  };
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function noticeEvent(
  origin: EventOrigin,
  stream: string,
  notice: StreamNotice,
  nowMs: number,
): SplunkEvent {
  switch (notice.kind) {
    case 'sequence_gap':
      return collectorEvent(origin, nowMs, stream, {
        kind: 'sequence_gap',
        stream,
        reboot_counter: hex(notice.rebootCounter),
        expected_sequence_no: notice.expected,
        found_sequence_no: notice.found,
        first_missing_sequence_no: notice.from,
        last_missing_sequence_no: notice.to,
        missing_count: notice.missing,
      });
    case 'sequence_gap_resolved':
      return collectorEvent(origin, nowMs, stream, {
        kind: 'sequence_gap_resolved',
        stream,
        reboot_counter: hex(notice.rebootCounter),
        first_missing_sequence_no: notice.from,
        last_missing_sequence_no: notice.to,
        filled_count: notice.filled,
        gap_open_seconds: notice.openSeconds,
      });
    case 'reboot_counter_changed':
      return collectorEvent(origin, nowMs, stream, {
        kind: 'reboot_counter_changed',
        stream,
        previous_reboot_counter: hex(notice.previous),
        reboot_counter: hex(notice.current),
        found_sequence_no: notice.sequenceNo,
      });
    case 'clock_skew':
      return collectorEvent(origin, nowMs, stream, {
        kind: 'clock_skew',
        stream,
        sequence_no: notice.sequenceNo,
        record_time: new Date(notice.timestampMs).toISOString(),
        ingestion_time: new Date(notice.ingestionMs).toISOString(),
        skew_seconds: notice.skewSeconds,
      });
  }
}

export function streamAddedEvent(
  origin: EventOrigin,
  stream: string,
  creationTimeMs: number | undefined,
  nowMs: number,
): SplunkEvent {
  return collectorEvent(origin, nowMs, stream, {
    kind: 'stream_added',
    stream,
    creation_time:
      creationTimeMs === undefined ? undefined : new Date(creationTimeMs).toISOString(),
  });
}

export interface HealthFigures {
  intervalSeconds: number;
  recordsRead: number;
  recordsWritten: number;
  duplicatesSkipped: number;
  lagSeconds: number | undefined;
  apiCalls: number;
  getLogEventsCalls: number;
  describeLogStreamsCalls: number;
  describeLogGroupsCalls: number;
  requestsPerSecond: number;
  budgetRequestsPerSecond: number;
  throttledCalls: number;
  errors: number;
  streams: number;
  openGaps: number;
}

export function healthEvent(
  origin: EventOrigin,
  figures: HealthFigures,
  nowMs: number,
): SplunkEvent {
  return collectorEvent(origin, nowMs, undefined, {
    kind: 'health',
    interval_seconds: figures.intervalSeconds,
    records_read: figures.recordsRead,
    records_written: figures.recordsWritten,
    duplicates_skipped: figures.duplicatesSkipped,
    lag_seconds: figures.lagSeconds,
    api_calls: figures.apiCalls,
    get_log_events_calls: figures.getLogEventsCalls,
    describe_log_streams_calls: figures.describeLogStreamsCalls,
    describe_log_groups_calls: figures.describeLogGroupsCalls,
    requests_per_second: figures.requestsPerSecond,
    budget_requests_per_second: figures.budgetRequestsPerSecond,
    throttled_calls: figures.throttledCalls,
    errors: figures.errors,
    streams: figures.streams,
    open_gaps: figures.openGaps,
  });
}

export function errorEvent(
  origin: EventOrigin,
  stream: string | undefined,
  errorCode: string,
  message: string,
  nowMs: number,
): SplunkEvent {
  return collectorEvent(origin, nowMs, stream, {
    kind: 'error',
    stream,
    error_code: errorCode,
    message,
  });
}
