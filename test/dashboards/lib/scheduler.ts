/**
 * Splunk's search scheduler for the app's alerts, as savedsearches.conf.spec describes it, over
 * the SPL engine of test/extraction/harness:
 *   - `cron_schedule` of the form `*\/N * * * *`: a run at every N-minute mark;
 *   - continuous scheduling (`realtime_schedule = 0`): every run happens, and its relative times
 *     (`dispatch.earliest_time`, `dispatch.latest_time`, `dispatch.index_earliest`,
 *     `dispatch.index_latest`, `now()`) are resolved against its scheduled time;
 *   - a run sees the events indexed before it starts (`_indextime` < run time);
 *   - the alert condition `counttype = number of events`, `relation = greater than`, `quantity`;
 *   - `alert.digest_mode = 0`: one alert per result; `alert.suppress` with `.fields` and
 *     `.period`: a result whose field values alerted within the period raises nothing.
 * Anything else in a stanza's scheduling that would change when or how it alerts throws.
 */
import fs from 'node:fs';
import { runSearch } from '../../extraction/harness/spl';
import type { Row } from '../../extraction/harness/spl';
import { resolveTime, spanSeconds } from '../../extraction/harness/spl/time';
import { parseConf } from './allowlist';
import { SAVEDSEARCHES } from './searches';

export type Alert = Map<string, string>;

export interface SavedSearch {
  name: string;
  settings: Map<string, string>;
}

export function savedSearch(name: string, file = SAVEDSEARCHES): SavedSearch {
  const stanza = parseConf(fs.readFileSync(file, 'utf8')).find((s) => s.name === name);
  if (!stanza) throw new Error(`savedsearches.conf has no [${name}]`);
  return stanza;
}

export interface Fired {
  /** Scheduled time of the run that raised it. */
  run: number;
  result: Alert;
}

function periodMinutes(cron: string): number {
  const m = /^\*\/(\d+) \* \* \* \*$/.exec(cron.trim());
  if (!m) throw new Error(`cron schedule not modelled: ${cron}`);
  return Number(m[1]);
}

function checkModelled(s: Map<string, string>): void {
  const expect = (key: string, value: string) => {
    if ((s.get(key) ?? value) !== value) throw new Error(`${key} = ${s.get(key)} not modelled`);
  };
  expect('counttype', 'number of events');
  expect('relation', 'greater than');
  expect('alert.digest_mode', '0');
  expect('enableSched', '1');
  if (s.has('alert_condition')) throw new Error('alert_condition not modelled');
  if (s.get('schedule_window') && s.get('schedule_window') !== '0')
    throw new Error('schedule_window not modelled');
}

/** The runs of a search from `from` to `to` (epoch seconds) and the alerts they raise. */
export function schedule(
  search: SavedSearch,
  events: readonly Row[],
  from: number,
  to: number,
): { runs: number[]; fired: Fired[] } {
  const s = search.settings;
  checkModelled(s);
  const period = periodMinutes(s.get('cron_schedule') ?? '') * 60;
  const quantity = Number(s.get('quantity') ?? 0);
  const suppress = s.get('alert.suppress') === '1';
  const suppressFields = (s.get('alert.suppress.fields') ?? '').split(',').filter(Boolean);
  const suppressPeriod = suppress ? spanSeconds(s.get('alert.suppress.period') ?? '0s') : 0;
  const lastFired = new Map<string, number>();
  const runs: number[] = [];
  const fired: Fired[] = [];
  const spl = (s.get('search') ?? '').replace(/\n/g, ' ');
  const at = (key: string, now: number) => (s.get(key) ? resolveTime(s.get(key)!, now) : undefined);
  for (let run = Math.ceil(from / period) * period; run <= to; run += period) {
    runs.push(run);
    const visible = events.filter((e) => Number(e.get('_indextime')?.[0]) < run);
    const results = runSearch(spl, {
      events: visible,
      now: run,
      earliest: at('dispatch.earliest_time', run),
      latest: at('dispatch.latest_time', run),
      indexEarliest: at('dispatch.index_earliest', run),
      indexLatest: at('dispatch.index_latest', run),
    });
    if (!(results.length > quantity)) continue;
    for (const row of results) {
      const result: Alert = new Map([...row].map(([k, v]) => [k, v.join('|')]));
      if (suppress) {
        const key = JSON.stringify(suppressFields.map((f) => result.get(f) ?? ''));
        const last = lastFired.get(key);
        if (last !== undefined && run - last < suppressPeriod) continue;
        lastFired.set(key, run);
      }
      fired.push({ run, result });
    }
  }
  return { runs, fired };
}
