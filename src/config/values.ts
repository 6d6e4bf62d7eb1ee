/**
 * Parsers for single argument values. Each returns the parsed value or a message without the
 * argument name (validate.ts prefixes it), and never echoes a secret back.
 */

import type { StartPosition } from './inputConfig';
import { httpUrlProblem, type UrlKind } from './urls';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Splits a comma- and/or whitespace-separated list, dropping empty items and duplicates. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))];
}

/**
 * AWS region codes: partition prefix (`us`, `eu`, `ap`, `cn`, …, optionally `-gov` or `-iso*`),
 * a direction word and a number: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`.
 */
const REGION = /^[a-z]{2}(?:-(?:gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}$/;

export function parseRegion(code: string): Parsed<string> {
  return REGION.test(code)
    ? ok(code)
    : fail(`"${code}" is not an AWS region code (like us-east-1)`);
}

/** CloudWatch Logs log group names: 1 to 512 of `[.-_/#A-Za-z0-9]`. */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** CloudHSM cluster ids: `cluster-` and 11 lowercase base32 characters. */
const CLUSTER_ID = /^cluster-[a-z2-7]{11}$/;

export function parseLogGroupPrefix(text: string): Parsed<string> {
  if (!LOG_GROUP.test(text)) {
    return fail(
      `"${text}" is not a CloudWatch Logs group name prefix (letters, digits and . - _ / # only)`,
    );
  }
  return ok(text);
}

export function parseClusterOrGroup(text: string): Parsed<string> {
  if (CLUSTER_ID.test(text)) return ok(text);
  if (text.startsWith('/') && LOG_GROUP.test(text)) return ok(text);
  return fail(
    `"${text}" is neither a CloudHSM cluster id (cluster- and 11 lowercase letters or digits 2-7) ` +
      'nor a log group name starting with /',
  );
}

/** Parses a whole number of seconds within bounds; rejects fractions, signs and units. */
export function parseSeconds(
  text: string,
  min: number,
  max: number,
  unit = 'seconds',
): Parsed<number> {
  if (!/^\d+$/.test(text)) return fail(`"${text}" is not a whole number of ${unit}`);
  const n = Number(text);
  if (n < min || n > max) return fail(`${text} is out of range: use ${min} to ${max} ${unit}`);
  return ok(n);
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `now`, a relative age `-<n><s|m|h|d|w>` resolved against `nowMs`, or an ISO 8601 date
 * (midnight UTC) or date and time (UTC unless it carries an offset). A future time is an error.
 */
export function parseStartPosition(text: string, nowMs: number): Parsed<StartPosition> {
  if (text.toLowerCase() === 'now') return ok({ kind: 'now' });
  const rel = /^-(\d{1,9})([smhdw])$/.exec(text);
  if (rel) {
    const epochMs = nowMs - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number);
    return epochMs < 0
      ? fail(`"${text}" reaches back before 1970`)
      : ok({ kind: 'time', epochMs, text });
  }
  const m = ISO_DATE.exec(text);
  if (!m) {
    return fail(
      `"${text}" is not "now", a relative age like -7d (units s, m, h, d, w) or an ISO 8601 date/time`,
    );
  }
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m;
  const offset =
    zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = frac.padEnd(3, '0').slice(0, 3);
  const epochMs = Date.parse(`${y}-${mo}-${d}T${hh}:${mi}:${ss}.${ms}${offset}`);
  // Date.parse rolls 2024-02-30 over to March 1st: compare the calendar fields back.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    Number.isNaN(epochMs) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(hh) > 23 ||
    Number(mi) > 59 ||
    Number(ss) > 59
  ) {
    return fail(`"${text}" is not a valid date/time`);
  }
  if (epochMs > nowMs) return fail(`"${text}" is in the future`);
  return ok({ kind: 'time', epochMs, text });
}

/**
 * An http(s) URL without user name or password (`credentialsMessage` is the refusal for those);
 * a `proxy` also without a path. The message never repeats the text: see urls.ts.
 */
export function parseHttpUrl(
  text: string,
  credentialsMessage: string,
  kind: UrlKind = 'endpoint',
): Parsed<string> {
  const problem = httpUrlProblem(text, kind, credentialsMessage);
  if (problem === undefined) return ok(text);
  return fail(problem === credentialsMessage ? problem : `the value ${problem}`);
}

/**
 * Account names: the setup page's stanza names in cloudhsm_audit_accounts.conf. No whitespace,
 * brackets or slashes (they break conf stanzas and REST paths); at most 128 characters.
 */
export function parseAccount(text: string): Parsed<string> {
  if (/^[^\s[\]/\\]{1,128}$/.test(text)) return ok(text);
  return fail(
    `"${text}" is not an account name (no spaces, brackets or slashes, at most 128 characters)`,
  );
}
