/**
 * The one place that knows how to read a CloudHSM audit record's identity and time.
 *
 * A text record starts with `Time: MM/DD/YY HH:MM:SS.ffffff, usecs:N` and carries `Sequence No`
 * and `Reboot counter` lines; the separator before the colon may be a space, nothing, or 1–3 TABs
 * (all occur in real logs) and lines may end in `\r\n`. Certificate-storage records of hsm2m
 * clusters are JSON objects with an epoch-milliseconds `timestamp`. Anything else is carried
 * through untouched as an "unsequenced" record: bad records are still indexed raw.
 *
 * Only the few fields the collector needs are read here (identity, time); every other field is
 * extracted at search time by props/transforms, so the record text is never rewritten.
 */

export type RecordKind = 'audit' | 'certstore' | 'unknown';

export interface RecordHeader {
  kind: RecordKind;
  /** Per-stream sequence number (audit records with a readable `Sequence No` only). */
  sequenceNo?: number;
  /** Reboot counter; absent when the line is missing (the stream's current epoch is assumed). */
  rebootCounter?: number;
  /** Event time as Splunk's `<time>`: epoch seconds with up to 6 decimals, when the record has one. */
  time?: string;
}

// Anchored at a line start, label, 0–3 spaces or TABs, colon, value: never crosses a line.
const SEQUENCE_NO = /(?:^|\n)Sequence No[ \t]{0,3}:[ \t]*0x([0-9a-fA-F]{1,16})[ \t]*\r?(?:\n|$)/;
const REBOOT_COUNTER =
  /(?:^|\n)Reboot counter[ \t]{0,3}:[ \t]*0x([0-9a-fA-F]{1,16})[ \t]*\r?(?:\n|$)/;
const USECS = /^Time[ \t]{0,3}:[^\n]*?usecs:(\d{1,17})/;
const JSON_TIMESTAMP_MS = /"timestamp"[ \t\r\n]*:[ \t\r\n]*(\d{1,15})[ \t\r\n]*[,}]/;

/** Largest sequence number kept exactly as a JS number (2^53 − 1): far beyond any HSM's lifetime. */
const MAX_EXACT_HEX_DIGITS = 13;

function parseHex(digits: string): number | undefined {
  if (digits.length > MAX_EXACT_HEX_DIGITS) return undefined;
  return parseInt(digits, 16);
}

/** `1513717277140812` (µs) → `1513717277.140812`, exactly, without floating point. */
export function usecsToSplunkTime(usecs: string): string {
  const digits = usecs.replace(/^0+(?=\d)/, '');
  if (digits.length <= 6) return `0.${digits.padStart(6, '0')}`;
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** Epoch milliseconds → `<time>` text with millisecond precision. */
export function millisToSplunkTime(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = Math.round(ms - whole * 1000);
  return `${whole}.${String(frac).padStart(3, '0')}`;
}

export function readRecordHeader(message: string): RecordHeader {
  const first = message.charCodeAt(0);
  if (first === 0x7b /* { */ || (first !== 0x54 /* T */ && message.trimStart().startsWith('{'))) {
    const ts = JSON_TIMESTAMP_MS.exec(message);
    return { kind: 'certstore', time: ts?.[1] ? millisToSplunkTime(Number(ts[1])) : undefined };
  }
  const seq = SEQUENCE_NO.exec(message);
  const usecs = USECS.exec(message);
  const time = usecs?.[1] ? usecsToSplunkTime(usecs[1]) : undefined;
  if (!seq?.[1]) return { kind: usecs ? 'audit' : 'unknown', time };
  const sequenceNo = parseHex(seq[1]);
  const reboot = REBOOT_COUNTER.exec(message);
  const rebootCounter = reboot?.[1] ? parseHex(reboot[1]) : undefined;
  if (sequenceNo === undefined) return { kind: 'audit', time };
  return { kind: 'audit', sequenceNo, rebootCounter, time };
}
