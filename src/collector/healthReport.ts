/**
 * The figures of one log group's `health` event: records read and written, duplicates skipped,
 * lag, streams and open gaps, and what the group cost in CloudWatch Logs requests — by API and per
 * second, next to the input's request budget — so an admin sees what share of the account's quota
 * the app takes. Counters are reset at each report; running totals (`*_total`) go to the INFO log
 * line, so a restart or a lost event is visible.
 *
 * Discovery (`DescribeLogGroups`) has no log group: one poller per input and region (`withRegion`)
 * reports it, so summing the groups' figures counts every request once.
 */
import type { ApiCounters, ApiStats } from '../cloudwatch/apiBudget';
import type { HealthFigures } from './collectorEvents';
import type { StreamCounters } from './streamPoller';

const NONE: ApiCounters = { apiCalls: 0, throttledCalls: 0, errors: 0, byApi: {} };

function sum(a: ApiCounters, b: ApiCounters): ApiCounters {
  const byApi = { ...a.byApi };
  for (const [k, v] of Object.entries(b.byApi)) byApi[k] = (byApi[k] ?? 0) + v;
  return {
    apiCalls: a.apiCalls + b.apiCalls,
    throttledCalls: a.throttledCalls + b.throttledCalls,
    errors: a.errors + b.errors,
    byApi,
  };
}

function copy(c: ApiCounters): ApiCounters {
  return { ...c, byApi: { ...c.byApi } };
}

export class HealthReport {
  /** Counted by the stream pollers between two reports. */
  readonly counters: StreamCounters = { recordsRead: 0, recordsWritten: 0, duplicatesSkipped: 0 };
  private apiAtLastReport: ApiCounters = NONE;
  private lastReportMs: number;
  private recordsWrittenTotal = 0;
  /** Start of the last poll that read every due stream to its end: data older than this is in. */
  private lastCompleteCycleMs: number | undefined;

  constructor(
    private readonly apiStats: ApiStats,
    private readonly logGroup: string,
    private readonly intervalSeconds: number,
    private readonly budgetPerSecond: number,
    startMs: number,
    /** Whether this group's report also carries the region's discovery calls. */
    private readonly withRegion: boolean,
  ) {
    this.lastReportMs = startMs;
  }

  cycleCompleted(startedAtMs: number): void {
    this.lastCompleteCycleMs = startedAtMs;
  }

  private apiNow(): ApiCounters {
    const own = this.apiStats.for(this.logGroup);
    return this.withRegion ? sum(own, this.apiStats.for('')) : copy(own);
  }

  /** The figures since the previous report and the log line's fields; resets the counters. */
  take(
    nowMs: number,
    streams: number,
    openGaps: number,
  ): { figures: HealthFigures; logFields: Record<string, number | undefined> } {
    const api = this.apiNow();
    const before = this.apiAtLastReport;
    const calls = (name: string) => (api.byApi[name] ?? 0) - (before.byApi[name] ?? 0);
    const seconds = Math.max(1, (nowMs - this.lastReportMs) / 1000);
    const c = this.counters;
    const apiCalls = api.apiCalls - before.apiCalls;
    const figures: HealthFigures = {
      intervalSeconds: this.intervalSeconds,
      recordsRead: c.recordsRead,
      recordsWritten: c.recordsWritten,
      duplicatesSkipped: c.duplicatesSkipped,
      lagSeconds:
        this.lastCompleteCycleMs === undefined
          ? undefined
          : Math.round((nowMs - this.lastCompleteCycleMs) / 1000),
      apiCalls,
      getLogEventsCalls: calls('GetLogEvents'),
      describeLogStreamsCalls: calls('DescribeLogStreams'),
      describeLogGroupsCalls: calls('DescribeLogGroups'),
      requestsPerSecond: Math.round((apiCalls / seconds) * 1000) / 1000,
      budgetRequestsPerSecond: this.budgetPerSecond,
      throttledCalls: api.throttledCalls - before.throttledCalls,
      errors: api.errors - before.errors,
      streams,
      openGaps,
    };
    this.recordsWrittenTotal += c.recordsWritten;
    this.apiAtLastReport = api;
    this.lastReportMs = nowMs;
    c.recordsRead = 0;
    c.recordsWritten = 0;
    c.duplicatesSkipped = 0;
    return {
      figures,
      logFields: {
        records_read: figures.recordsRead,
        records_written: figures.recordsWritten,
        records_written_total: this.recordsWrittenTotal,
        lag_seconds: figures.lagSeconds,
        api_calls: figures.apiCalls,
        requests_per_second: figures.requestsPerSecond,
        budget_requests_per_second: figures.budgetRequestsPerSecond,
        throttled_total: api.throttledCalls,
        errors_total: api.errors,
        streams,
        open_gaps: openGaps,
      },
    };
  }
}
