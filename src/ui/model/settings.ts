/**
 * The app-wide settings the setup page edits: the log level of the inputs
 * (`cloudhsm_audit_settings.conf`, read by src/modinput/logLevel.ts) and the `cloudhsm_index`
 * macro every dashboard and alert starts from; and what this Splunk instance is for, from its
 * `server_roles`.
 */

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The macro as the app ships it: every index the user may search. */
export const DEFAULT_INDEX_MACRO = 'index=*';

/** Splunk's default index for an input that names none. */
export const DEFAULT_INDEX = 'main';

/**
 * `index=a`, or `(index=a OR index=b)`, from the indexes inputs write to (an empty one is
 * Splunk's default index); empty when there is none.
 */
export function macroFromIndexes(indexes: readonly string[]): string {
  const names = [...new Set(indexes.map((i) => i.trim() || DEFAULT_INDEX))].sort();
  if (names.length === 0) return '';
  const terms = names.map((name) => `index=${/^[\w-]+$/.test(name) ? name : `"${name}"`}`);
  return terms.length === 1 ? (terms[0] as string) : `(${terms.join(' OR ')})`;
}

/**
 * A definition the macro can take: one search expression that names at least one index, without
 * a pipe (it is the start of every search) or an unbalanced parenthesis or quote.
 */
export function macroError(definition: string): string | undefined {
  const text = definition.trim();
  if (!text) return 'Enter the indexes, for example index=aws_cloudhsm.';
  if (!/\bindex\s*(=|IN\b)/i.test(text))
    return 'Name at least one index, for example index=aws_cloudhsm or (index=a OR index=b).';
  if (text.includes('|')) return 'Only the index part: no pipe (|), the searches add the rest.';
  let depth = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth < 0) break;
  }
  if (quoted || depth !== 0) return 'A parenthesis or quote is not closed.';
  return undefined;
}

const SEARCH_HEAD_ROLES = ['search_head', 'cluster_search_head', 'shc_member', 'shc_captain'];

/**
 * A search head (standalone, cluster member or captain): the inputs are meant to run on a heavy
 * forwarder, so setup there needs no input.
 */
export function isSearchHead(roles: readonly string[]): boolean {
  return roles.some((role) => SEARCH_HEAD_ROLES.includes(role));
}
