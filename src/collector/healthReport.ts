/**
 * The figures of one log group's `health` event: records read and written, duplicates skipped and
 * API calls since the previous event, lag, streams and open gaps. Counters are reset at each report;
 * running totals (`*_total`) go to the INFO log line, so a restart or a lost event is visible.
 */
import type { ApiCounters, ApiStats } from '../cloudwatch/apiBudget';
import type { HealthFigures } from './collectorEvents';
import type { StreamCounters } from './streamPoller';

export class HealthReport {
  /** Counted by the stream pollers between two reports. */
  readonly counters: StreamCounters = { recordsRead: 0, recordsWritten: 0, duplicatesSkipped: 0 };
  private apiAtLastReport: ApiCounters = { apiCalls: 0, throttledCalls: 0, errors: 0 };
  private recordsWrittenTotal = 0;
  /** Start of the last poll that read every stream to its end: data older than this is in. */
  private lastCompleteCycleMs: number | undefined;

  constructor(
    private readonly apiStats: ApiStats,
    private readonly logGroup: string,
    private readonly intervalSeconds: number,
  ) {}

  cycleCompleted(startedAtMs: number): void {
    this.lastCompleteCycleMs = startedAtMs;
  }

  /** The figures since the previous report and the log line's fields; resets the counters. */
  take(
    nowMs: number,
    streams: number,
    openGaps: number,
  ): { figures: HealthFigures; logFields: Record<string, number | undefined> } {
    const api = this.apiStats.for(this.logGroup);
    const c = this.counters;
    const figures: HealthFigures = {
      intervalSeconds: this.intervalSeconds,
      recordsRead: c.recordsRead,
      recordsWritten: c.recordsWritten,
      duplicatesSkipped: c.duplicatesSkipped,
      lagSeconds:
        this.lastCompleteCycleMs === undefined
          ? undefined
          : Math.round((nowMs - this.lastCompleteCycleMs) / 1000),
      apiCalls: api.apiCalls - this.apiAtLastReport.apiCalls,
      throttledCalls: api.throttledCalls - this.apiAtLastReport.throttledCalls,
      errors: api.errors - this.apiAtLastReport.errors,
      streams,
      openGaps,
    };
    this.recordsWrittenTotal += c.recordsWritten;
    this.apiAtLastReport = { ...api };
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
        throttled_total: api.throttledCalls,
        errors_total: api.errors,
        streams,
        open_gaps: openGaps,
      },
    };
  }
}
