/**
 * Every SPL search the app ships, with where it comes from: each search data source of each
 * Dashboard Studio view (its complete query, chains included, tokens at their default values)
 * and each saved search of default/savedsearches.conf.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseConf } from './allowlist';
import { REPO, studioViews } from './views';
import { completeQuery, defaultTokenValues, searchIds } from './tokens';

export interface ShippedSearch {
  where: string;
  spl: string;
}

export function dashboardSearches(): ShippedSearch[] {
  return studioViews().flatMap((view) => {
    const values = defaultTokenValues(view.definition);
    return searchIds(view.definition).map((id) => ({
      where: `${view.name} ${id}`,
      spl: completeQuery(view.definition, id, values),
    }));
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
