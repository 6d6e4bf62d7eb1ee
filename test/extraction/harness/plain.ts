/** Turns harness results into plain objects that jest can compare with hand-written expectations. */
import type { Fields } from './searchTime';

export function plain(fields: Fields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of [...fields].sort(([a], [b]) => (a < b ? -1 : 1)))
    out[k] = v.length === 1 ? v[0]! : v;
  return out;
}

export function sorted(o: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
