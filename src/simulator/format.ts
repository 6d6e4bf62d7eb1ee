/**
 * Turns structured records into the exact text CloudHSM writes to CloudWatch Logs (reference
 * section 2 and the samples): lines joined by `\n`, no trailing newline, the `Time:` line always
 * written `Time: `, every other label followed by the stream's separator style. Certificate-storage
 * records become pretty-printed JSON whose 64-bit object_handle is written from text, exactly.
 */

/** How a stream writes `Label<sep>: value`: ` : ` (space), `: ` (none) or 1–3 TABs then `: `. */
export type SeparatorStyle = 'space' | 'none' | 'tab';
export const SEPARATOR_STYLES: readonly SeparatorStyle[] = ['space', 'none', 'tab'];

/** `NAME (0xH)` or `NAME (n)` as it appears after a label. */
export interface Coded {
  name: string;
  code: number;
}

export interface AuditFields {
  usecs: number;
  seq: number;
  rebootCounter: number;
  commandType: Coded;
  opcode: Coded;
  sessionHandle: number;
  /** Decimal HSM return code; 0 is success. */
  responseCode: number;
  /** Error text for a non-zero code, e.g. `RET_USER_LOGIN_FAILURE`. */
  responseText?: string;
  logType: Coded;
  /** Lines after `Log type`, in order. Values are written as given. */
  details: Array<readonly [label: string, value: string]>;
  /** Optional `Version No` line right after `Time` (verbose firmware). */
  versionNo?: string;
}

/** Tab stops every 8 columns, labels aligned at column 24: what the 2019 TAB-aligned records show. */
function tabs(label: string): string {
  const count = Math.min(3, Math.max(1, Math.ceil((24 - label.length) / 8)));
  return '\t'.repeat(count);
}

export function separator(style: SeparatorStyle, label: string): string {
  if (style === 'space') return ' : ';
  if (style === 'none') return ': ';
  return `${tabs(label)}: `;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `MM/DD/YY HH:MM:SS.ffffff` in UTC from epoch microseconds. */
export function formatHsmTime(usecs: number): string {
  const date = new Date(Math.floor(usecs / 1000));
  const micros = ((usecs % 1_000_000) + 1_000_000) % 1_000_000;
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(date.getUTCFullYear() % 100)} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(micros, 6)}`
  );
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
export const codedHex = (coded: Coded): string => `${coded.name} (${hex(coded.code)})`;
export const codedDec = (coded: Coded): string => `${coded.name} (${coded.code})`;

export function formatAuditRecord(fields: AuditFields, style: SeparatorStyle): string {
  const line = (label: string, value: string) => `${label}${separator(style, label)}${value}`;
  const response =
    fields.responseCode === 0
      ? `${fields.responseCode}:HSM Return: SUCCESS`
      : `${fields.responseCode}:HSM Error: ${fields.responseText ?? 'UNKNOWN'}`;
  const lines = [`Time: ${formatHsmTime(fields.usecs)}, usecs:${fields.usecs}`];
  if (fields.versionNo !== undefined) lines.push(line('Version No', fields.versionNo));
  lines.push(
    line('Sequence No', hex(fields.seq)),
    line('Reboot counter', hex(fields.rebootCounter)),
    line('Command Type(hex)', codedHex(fields.commandType)),
    line('Opcode', codedHex(fields.opcode)),
    line('Session Handle', hex(fields.sessionHandle)),
    line('Response', response),
    line('Log type', codedDec(fields.logType)),
  );
  for (const [label, value] of fields.details) lines.push(line(label, value));
  return lines.join('\n');
}

export interface CertstoreFields {
  /** Decimal text of a 64-bit handle, or null (failed operations). */
  objectHandle: string | null;
  opCode: 'CreateObject' | 'DestroyObject' | 'SetAttributeValues';
  response: string;
  attributes: readonly string[] | null;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** Pretty-printed with 4 spaces like the samples; built as text so the handle stays exact. */
export function formatCertstoreRecord(fields: CertstoreFields): string {
  const attributes =
    fields.attributes === null
      ? 'null'
      : `[\n${fields.attributes.map((name) => `        ${JSON.stringify(name)}`).join(',\n')}\n    ]`;
  return [
    '{',
    `    "object_handle": ${fields.objectHandle ?? 'null'},`,
    `    "op_code": ${JSON.stringify(fields.opCode)},`,
    `    "response": ${JSON.stringify(fields.response)},`,
    `    "attributes": ${attributes},`,
    `    "timestamp": ${fields.timestamp}`,
    '}',
  ].join('\n');
}
