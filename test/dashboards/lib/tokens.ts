/**
 * Tokens of a Dashboard Studio definition: which an input sets, which a string uses, and the
 * complete query text of each data source once tokens are substituted (a chain is its parent's
 * complete query, a newline, then its own: what Splunk's search controller sends, and what the
 * render harness keys its answers by).
 */
import type { Definition } from './views';

/** `$name$` or `$name|filter$`: the name without its filters. */
const TOKEN = /\$([A-Za-z_][\w.:-]*)((?:\|[a-z]+)*)\$/g;

export function tokensIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1] as string);
}

/** Every string of a JSON value, with the path where it sits. */
export function stringsOf(value: unknown, at = ''): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringsOf(v, at ? `${at}.${k}` : k));
  return [];
}

/** Token name → default value, for each input; a time range sets `<token>.earliest` and `.latest`. */
export function inputTokens(
  def: Definition,
): Map<string, { input: string; defaults: Record<string, string> }> {
  const tokens = new Map<string, { input: string; defaults: Record<string, string> }>();
  for (const [id, input] of Object.entries(def.inputs ?? {})) {
    const token = input.options?.token;
    if (typeof token !== 'string') continue;
    const dflt = input.options?.defaultValue;
    if (input.type === 'input.timerange') {
      const [earliest = '', latest = ''] = String(dflt ?? '').split(',');
      tokens.set(token, {
        input: id,
        defaults: { [`${token}.earliest`]: earliest, [`${token}.latest`]: latest },
      });
    } else {
      tokens.set(token, { input: id, defaults: { [token]: String(dflt ?? '') } });
    }
  }
  return tokens;
}

export function defaultTokenValues(def: Definition): Record<string, string> {
  return Object.assign({}, ...[...inputTokens(def).values()].map((t) => t.defaults)) as Record<
    string,
    string
  >;
}

export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(TOKEN, (whole, name: string) => values[name] ?? whole);
}

/** The complete query text of a data source, tokens substituted. */
export function completeQuery(
  def: Definition,
  id: string,
  values: Readonly<Record<string, string>>,
  depth = 0,
): string {
  const ds = def.dataSources[id];
  if (!ds || depth > 10) throw new Error(`no data source ${id}`);
  const own = substitute(String(ds.options?.query ?? ''), values);
  const parent = ds.options?.extend;
  return typeof parent === 'string'
    ? `${completeQuery(def, parent, values, depth + 1)}\n${own}`
    : own;
}

/** Ids of the search data sources (ds.search and ds.chain). */
export function searchIds(def: Definition): string[] {
  return Object.entries(def.dataSources)
    .filter(([, ds]) => ds.type === 'ds.search' || ds.type === 'ds.chain')
    .map(([id]) => id);
}
