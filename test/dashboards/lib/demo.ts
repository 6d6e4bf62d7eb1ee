/**
 * The demo data the dashboards and alerts are tested on: what an index would hold after a day of
 * two simulated CloudHSM clusters and the collector, ending at DEMO_NOW.
 *   - Audit and certificate-storage records from the project's simulator (src/simulator), with
 *     two sequence gaps, three records delivered late, a replaced HSM and a rebooted one, as this
 *     app's modular input writes them (source aws:cloudhsm:<region>:<log group>, host = HSM id).
 *   - A third cluster's records through the original Lambda → HEC path (source lambda:<function>,
 *     no cluster, HSM or log group).
 *   - The collector's own events (demoCollector.ts) and its log lines in index=_internal.
 * Every event gets its search-time fields from the app's props/transforms (test/extraction's
 * harness, PCRE2), an `_indextime` and an index. Nothing here states what a search returns.
 */
import { generate, type SimulatedRecord, type Simulation } from '../../../src/simulator';
import { Rng } from '../../../src/simulator/random';
import { searchTime, type SplunkEvent } from '../../extraction/harness/searchTime';
import type { Row } from '../../extraction/harness/spl';
import { collectorEvents, collectorLogLines, type DemoEvent } from './demoCollector';

/** The demo's "now": 2026-11-26 23:58:00 UTC. */
export const DEMO_NOW = Date.UTC(2026, 10, 26, 23, 58, 0) / 1000;
export const DEMO_INDEX = 'aws_cloudhsm';
export const DEMO_REGION = 'us-east-1';
export const LAMBDA_SOURCE = 'lambda:CloudHSMLogsToSplunk';

const AUDIT = 'aws:cloudwatch:cloudhsm';
const CERTSTORE = 'aws:cloudwatch:cloudhsm:certstore';

export function demoSimulation(): Simulation {
  return generate({
    seed: 'dashboard-demo',
    clusters: 2,
    hsms: 3,
    records: 520,
    // About one activity every 10 minutes: a day of a quiet production cluster.
    meanIntervalMs: 600_000,
    gaps: 2,
    late: 3,
    lateMaxMinutes: 20,
    duplicates: 2,
    replaceHsm: true,
    rebootHsm: true,
    endTime: (DEMO_NOW - 300) * 1000,
  });
}

/** When the collector wrote a record to Splunk: its CloudWatch ingestion plus a poll's delay. */
export function ingestedAt(record: SimulatedRecord, rng: Rng): number {
  return Math.floor((record.timestamp + record.ingestDelayMs) / 1000) + rng.int(2, 25);
}

function fromCollector(sim: Simulation, rng: Rng): DemoEvent[] {
  return (
    sim.records
      // The collector skips the second copy of a record put twice (duplicates_skipped).
      .filter((r) => !r.duplicate)
      .map((r) => ({
        raw: r.message,
        sourcetype: r.kind === 'audit' ? AUDIT : CERTSTORE,
        source: `aws:cloudhsm:${DEMO_REGION}:${r.logGroupName}`,
        host: r.logStreamName,
        time: r.usecs === null ? r.timestamp / 1000 : r.usecs / 1e6,
        indexTime: ingestedAt(r, rng),
        index: DEMO_INDEX,
      }))
  );
}

/** A third cluster whose records still arrive through the Lambda → HEC integration. */
function fromLambda(rng: Rng): DemoEvent[] {
  const sim = generate({
    seed: 'dashboard-demo-lambda',
    clusters: 1,
    hsms: 2,
    records: 60,
    meanIntervalMs: 1_200_000,
    hsmType: 'hsm1.medium',
    endTime: (DEMO_NOW - 900) * 1000,
  });
  return sim.records.map((r) => ({
    raw: r.message,
    sourcetype: AUDIT,
    source: LAMBDA_SOURCE,
    host: 'splunk-hec-1',
    time: r.timestamp / 1000,
    indexTime: Math.floor(r.timestamp / 1000) + rng.int(1, 10),
    index: DEMO_INDEX,
  }));
}

/** Events as a search sees them: metadata, `_raw` and the search-time fields the app defines. */
export function toRows(events: DemoEvent[]): Row[] {
  const splunk = events.filter((e) => e.fields === undefined);
  const extracted = searchTime(
    splunk.map((e): SplunkEvent => ({
      raw: e.raw,
      sourcetype: e.sourcetype,
      source: e.source,
      host: e.host,
    })),
  );
  const byEvent = new Map(splunk.map((e, i) => [e, extracted[i]!]));
  return events.map((e) => {
    const row: Row = new Map([
      ['_time', [String(e.time)]],
      ['_indextime', [String(e.indexTime)]],
      ['_raw', [e.raw]],
      ['index', [e.index]],
      ['sourcetype', [e.sourcetype]],
      ['source', [e.source]],
      ['host', [e.host]],
    ]);
    const r = byEvent.get(e);
    if (r) {
      for (const [k, v] of r.fields) row.set(k, [...v]);
      if (r.eventtypes.length) row.set('eventtype', r.eventtypes);
      if (r.tags.length) row.set('tag', r.tags);
    }
    for (const [k, v] of Object.entries(e.fields ?? {})) row.set(k, [v]);
    return row;
  });
}

let cached: Row[] | undefined;

/** The whole demo index, newest first is not guaranteed: searches sort as Splunk does. */
export function demoEvents(): Row[] {
  if (!cached) {
    const rng = new Rng('dashboard-demo-index');
    const sim = demoSimulation();
    const collector = collectorEvents(sim, rng.fork('collector'));
    cached = toRows([
      ...fromCollector(sim, rng.fork('records')),
      ...fromLambda(rng.fork('lambda')),
      ...collector,
      ...collectorLogLines(collector),
    ]);
  }
  return cached;
}
