/**
 * Every SPL search the app ships, with where it comes from: each search data source of each
 * Dashboard Studio view (its complete query, chains included, tokens at their default values)
 * and each saved search of default/savedsearches.conf.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseConf } from './allowlist';
import { REPO, studioViews } from './views';
import { completeQuery, defaultTokenValues, searchIds, stringsOf, substitute } from './tokens';

export interface ShippedSearch {
  where: string;
  spl: string;
}

export function dashboardSearches(): ShippedSearch[] {
  return studioViews().flatMap((view) => {
    const values = defaultTokenValues(view.definition);
    const searches = searchIds(view.definition).map((id) => ({
      where: `${view.name} ${id}`,
      spl: completeQuery(view.definition, id, values),
    }));
    // Drilldowns that open Search: the `q` of the URL, with a clicked row's values filled in.
    const drilldowns = stringsOf(view.definition)
      .filter(
        (s) => /\.eventHandlers\[\d+\]\.options\.url$/.test(s.at) && s.text.includes('search?q='),
      )
      .map((s) => {
        const url = substitute(s.text, values).replace(
          /\$(row\.[\w.]+?\.value|name|value)\|u\$/g,
          'clicked',
        );
        const q = new URL(url, 'https://splunk.invalid').searchParams.get('q') ?? '';
        return { where: `${view.name} ${s.at} (drilldown)`, spl: q.replace(/^search\s+/, '') };
      });
    return [...searches, ...drilldowns];
  });
}

export const SAVEDSEARCHES = path.join(REPO, 'default/savedsearches.conf');

export function savedSearches(): ShippedSearch[] {
  if (!fs.existsSync(SAVEDSEARCHES)) return [];
  return parseConf(fs.readFileSync(SAVEDSEARCHES, 'utf8'))
    .filter((s) => s.settings.has('search'))
    .map((s) => ({
      where: `savedsearches.conf [${s.name}]`,
      spl: (s.settings.get('search') as string).replace(/\n/g, ' '),
    }));
}
