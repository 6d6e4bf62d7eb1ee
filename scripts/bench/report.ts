/**
 * The bench's printed figures: one line per run as it ends, then Markdown tables (before and after
 * side by side, each target checked) that BENCHMARKS.md quotes.
 */
import type { BacklogRun } from './backlog';
import type { KillResult } from './kills';
import { median } from './measure';
import type { SteadyResult } from './steady';

/** Issue 11's targets, at the default budget (10 requests/s) and poll interval (10 s). */
const TARGETS = {
  idleRequestsPerSecond: 2.5,
  activeRequestsPerSecond: 8.5,
  eventsServedPerNewRecord: 1.2,
  latencyP95Ms: (10 + 5) * 1000,
};
/** Issues 10 and 11: the backlog must not regress by more than this. */
const MAX_REGRESSION = 0.05;

const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const thousands = (v: number) => Math.round(v).toLocaleString('en-US');
const mb = (bytes: number) => `${n(bytes / 1e6, 2)} MB`;

export function backlogLine(r: BacklogRun, run: number): string {
  return (
    `  ${r.build} run ${run}: ${thousands(r.recordsPerSecond)} records/s (${n(r.seconds, 2)} s; steady ${thousands(r.steadyRecordsPerSecond)}/s), ` +
    `CPU ${n(r.cpuSecondsPerMillion, 2)} s per million (user ${n(r.userSeconds, 2)} s, sys ${n(r.sysSeconds, 2)} s), ` +
    `peak RSS ${n(r.peakRssMB)} MB, emulator CPU ${n(r.emulatorCpuSeconds, 2)} s, load ${n(r.loadavg1m, 2)}` +
    (r.verified ? `; ${r.verified}` : '')
  );
}

export interface BacklogSummary {
  build: string;
  recordsPerSecond: number;
  cpuSecondsPerMillion: number;
  peakRssMB: number;
  runs: number;
}

export function summarizeBacklog(runs: BacklogRun[], build: string): BacklogSummary {
  const mine = runs.filter((r) => r.build === build);
  return {
    build,
    recordsPerSecond: median(mine.map((r) => r.recordsPerSecond)),
    cpuSecondsPerMillion: median(mine.map((r) => r.cpuSecondsPerMillion)),
    peakRssMB: median(mine.map((r) => r.peakRssMB)),
    runs: mine.length,
  };
}

export function backlogTable(runs: BacklogRun[], builds: string[]): string {
  const rows = [
    '| Measure | ' + builds.join(' | ') + (builds.length > 1 ? ' | Change | Within 5 %? |' : ' |'),
    '|---|' + builds.map(() => '---|').join('') + (builds.length > 1 ? '---|---|' : ''),
  ];
  const sums = builds.map((b) => summarizeBacklog(runs, b));
  type Key = 'recordsPerSecond' | 'cpuSecondsPerMillion' | 'peakRssMB';
  const measures: [string, Key, (v: number) => string, 1 | -1][] = [
    ['Records/s (median)', 'recordsPerSecond', thousands, 1],
    ['CPU s per million records', 'cpuSecondsPerMillion', (v) => n(v, 2), -1],
    ['Peak RSS, MB', 'peakRssMB', (v) => n(v), -1],
  ];
  for (const [label, key, fmt, better] of measures) {
    const cells = builds.map((b, i) => {
      const each = runs.filter((r) => r.build === b).map((r) => fmt(r[key]));
      return `${fmt(sums[i]![key])} (${each.join(' / ')})`;
    });
    let tail = '';
    if (builds.length > 1) {
      const before = sums[0]![key];
      const after = sums[sums.length - 1]![key];
      const change = (after - before) / before;
      const regressed = better > 0 ? change < -MAX_REGRESSION : change > MAX_REGRESSION;
      tail = ` ${change >= 0 ? '+' : ''}${n(change * 100)} % | ${regressed ? 'no' : 'yes'} |`;
    }
    rows.push(`| ${label} | ${cells.join(' | ')} |${tail}`);
  }
  return rows.join('\n');
}

export function steadyLine(r: SteadyResult): string {
  const rps = r.requestsPerSecond;
  const l = r.latency;
  return (
    `  ${r.fleet} ${r.build}: ${n(r.requestsPerSecondTotal, 2)} req/s (GetLogEvents ${n(rps.GetLogEvents ?? 0, 2)}, DescribeLogStreams ${n(rps.DescribeLogStreams ?? 0, 2)}, DescribeLogGroups ${n(rps.DescribeLogGroups ?? 0, 3)}), ` +
    `${r.newRecords} new records, ${r.eventsServed} events served (${r.eventsServedAgain} again; ${r.eventsServedPerNewRecord === null ? '—' : n(r.eventsServedPerNewRecord, 2)} per new record), ${mb(r.bytesServedPerSecond)}/s served, ` +
    `latency p50 ${n(l.p50Ms / 1000, 2)} s p95 ${n(l.p95Ms / 1000, 2)} s max ${n(l.maxMs / 1000, 2)} s (${l.records} records, ${l.undelivered} undelivered), ` +
    `CPU ${n(r.cpuPercentOfCore, 2)} % of a core, RSS ${n(r.rssMB)} MB (peak ${n(r.peakRssMB)}), stdout ${thousands(r.stdoutBytesPerSecond)} B/s (events ${thousands(r.eventBytesPerSecond)} B/s), ` +
    `caught up in ${n(r.catchUpSeconds)} s, doubled ${r.doubled}, unexpected ${r.unexpected}, log ${JSON.stringify(r.logLevels)}, load ${n(r.loadavg1m.start, 2)}–${n(r.loadavg1m.end, 2)}`
  );
}

/** Which of issue 11's targets a budget-10 fleet meets; '' for the other fleets. */
function targetsMet(r: SteadyResult): string {
  if (r.budget !== 10) return '—';
  if (r.ratePerStream === 0) {
    const ok = r.requestsPerSecondTotal <= TARGETS.idleRequestsPerSecond;
    return `${ok ? 'yes' : 'no'} (≤ ${TARGETS.idleRequestsPerSecond} req/s)`;
  }
  const misses = [];
  if (r.requestsPerSecondTotal > TARGETS.activeRequestsPerSecond) misses.push('req/s');
  if ((r.eventsServedPerNewRecord ?? Infinity) > TARGETS.eventsServedPerNewRecord)
    misses.push('events');
  if (!(r.latency.p95Ms <= TARGETS.latencyP95Ms) || r.latency.undelivered > 0)
    misses.push('latency');
  return misses.length === 0 ? 'yes' : `no (${misses.join(', ')})`;
}

export function steadyTable(results: SteadyResult[]): string {
  const rows = [
    '| Fleet | Build | Requests/s: total (GetLogEvents / DescribeLogStreams / DescribeLogGroups) | Events served per new record (events/s) | Bytes served/s | Latency p50 / p95 | Collector CPU | Targets met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const rps = r.requestsPerSecond;
    const perRecord =
      r.eventsServedPerNewRecord === null
        ? `no new record (${n(r.eventsServedPerSecond, 2)}/s)`
        : `${n(r.eventsServedPerNewRecord, 2)} (${n(r.eventsServedPerSecond)}/s)`;
    const latency =
      r.latency.records > 0
        ? `${n(r.latency.p50Ms / 1000)} s / ${n(r.latency.p95Ms / 1000)} s`
        : '—';
    rows.push(
      `| ${r.fleet} | ${r.build} | ${n(r.requestsPerSecondTotal, 2)} (${n(rps.GetLogEvents ?? 0, 2)} / ${n(rps.DescribeLogStreams ?? 0, 2)} / ${n(rps.DescribeLogGroups ?? 0, 3)}) | ${perRecord} | ${mb(r.bytesServedPerSecond)} | ${latency} | ${n(r.cpuPercentOfCore, 1)} % | ${targetsMet(r)} |`,
    );
  }
  return rows.join('\n');
}

export function killLine(r: KillResult, what: string): string {
  return (
    `  kill -9 ${r.scenario} (${what}) ${r.build}: ${r.kills} kills${r.killsMidBacklog === undefined ? '' : ` (${r.killsMidBacklog} while it was read)`}, ${r.records} records, missing ${r.missing}, unexpected ${r.unexpected}, ` +
    `doubled ${r.doubled} in ${r.killsWithDoubles} kills, at most ${r.maxPerKill} per kill (per kill: ${r.perKill.join(', ')})`
  );
}
