/**
 * Each input's state as the collector reports it in its own events (sourcetype
 * `cloudhsm:audit:collector`, field `input`): when a `health` event last counted records written,
 * when the last health report came, and the last `error` event. One search for all inputs.
 */

/** The time a search result gives, in ms; Splunk returns `_time`-like values as epoch seconds. */
function epochMs(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

export interface InputState {
  /** Last health report that counted records written. */
  lastWrittenMs?: number;
  /** Last health report of any kind: the input is running. */
  lastReportMs?: number;
  lastErrorMs?: number;
  /** `error_code: message` of the last error event. */
  lastError?: string;
}

export const INPUT_STATE_SEARCH = [
  'search `cloudhsm_collector` (kind="health" OR kind="error")',
  '| eval written_at=if(kind=="health" AND records_written>0, _time, null())',
  '| eval report_at=if(kind=="health", _time, null())',
  '| eval error_at=if(kind=="error", _time, null())',
  '| eval error_text=if(kind=="error", error_code.": ".message, null())',
  '| stats max(written_at) AS last_written max(report_at) AS last_report max(error_at) AS last_error_time latest(error_text) AS last_error by input',
].join(' ');

export function stateFromResults(
  rows: readonly Record<string, unknown>[],
): Map<string, InputState> {
  const states = new Map<string, InputState>();
  for (const row of rows) {
    if (typeof row.input !== 'string' || !row.input) continue;
    states.set(row.input, {
      lastWrittenMs: epochMs(row.last_written),
      lastReportMs: epochMs(row.last_report),
      lastErrorMs: epochMs(row.last_error_time),
      lastError: typeof row.last_error === 'string' ? row.last_error : undefined,
    });
  }
  return states;
}

/** `2026-11-27 12:00 UTC`: the same for every admin looking at it. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
