/**
 * Checking a drilldown the renderer opened: the URL must be the panel's URL template with the
 * dashboard's tokens filled in (URL-encoded, as the `|u` filter does) and the clicked values in
 * place of the row and series tokens; the search it opens is then run by the SPL engine over the
 * same events, in the time range the URL gives.
 */
import { runSearch, type Row } from '../../extraction/harness/spl';
import { resolveTime } from '../../extraction/harness/spl/time';
import type { Tokens } from './answers';
import type { Definition } from './views';

const TOKEN = /\$([A-Za-z_][\w.:-]*)((?:\|[a-z]+)*)\$/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The customUrl template of a panel's drilldown, if it has one. */
export function drilldownUrl(def: Definition, vizId: string): string | undefined {
  const handlers = def.visualizations[vizId]?.eventHandlers as
    { type: string; options?: { url?: string } }[] | undefined;
  return handlers?.find((h) => h.type === 'drilldown.customUrl')?.options?.url;
}

/**
 * Matches an opened URL against its template: the dashboard's tokens must be there exactly; the
 * clicked ones (`row.<field>.value`, `name`, `value`) are returned, decoded. Null if it differs.
 */
export function matchDrilldown(
  template: string,
  url: string,
  tokens: Tokens,
): Record<string, string> | null {
  const names: string[] = [];
  let pattern = '';
  let pos = 0;
  for (const m of template.matchAll(TOKEN)) {
    pattern += escape(template.slice(pos, m.index));
    const name = m[1]!;
    if (name in tokens) pattern += escape(encodeURIComponent(tokens[name]!));
    else {
      names.push(name);
      pattern += '([^&]*)';
    }
    pos = (m.index ?? 0) + m[0].length;
  }
  pattern += escape(template.slice(pos));
  const found = new RegExp(`^${pattern}$`).exec(url);
  if (!found) return null;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)]));
}

/** Runs the search a drilldown URL opens, in its time range. */
export function runDrilldown(url: string, events: readonly Row[], now: number): Row[] {
  const params = new URL(url, 'https://splunk.invalid').searchParams;
  const q = (params.get('q') ?? '').replace(/^search\s+/, '');
  const earliest = params.get('earliest');
  const latest = params.get('latest');
  return runSearch(q, {
    events,
    now,
    earliest: earliest ? resolveTime(earliest, now) : undefined,
    latest: latest ? resolveTime(latest, now) : undefined,
  });
}
