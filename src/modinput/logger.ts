/**
 * The stderr `Logger`: splunkd copies stderr into splunkd.log (component ExecProcessor), where a
 * line without a level counts as ERROR. So: one line per message, `LEVEL message key=value …`,
 * values with spaces or quotes quoted, newlines escaped, and never a secret: a field whose key
 * looks like a secret (password, secret, session_key, token, …) prints as `<redacted>`.
 */

import type { Logger, LogLevel } from '../collector/ports';

type Fields = Record<string, string | number | boolean | undefined>;

const SECRET_KEY =
  /secret|passw|pwd|session_?key|token|credential|authorization|api_?key|private_?key/i;
const NEEDS_QUOTES = /[\s"=\\]|^$/;

/** Escapes line breaks and backslashes so one message stays one line. */
function oneLine(text: string): string {
  return text.replace(/[\\\r\n\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

export function formatValue(value: string | number | boolean): string {
  const s = oneLine(String(value));
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '\\"')}"` : s;
}

/** The printable form of a field: `<redacted>` when its key looks like a secret. */
export function redact(key: string, value: string | number | boolean): string {
  return SECRET_KEY.test(key) ? '<redacted>' : formatValue(value);
}

/** Formats one log line (without the trailing newline). */
export function formatLine(level: LogLevel, message: string, fields?: Fields): string {
  let line = `${level} ${oneLine(message)}`;
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      line += ` ${key}=${redact(key, value)}`;
    }
  }
  return line;
}

/**
 * Writes lines at or above its level. The level can change while the input runs (logLevel.ts
 * applies `cloudhsm_audit_settings.conf`); FATAL always passes.
 */
export class StderrLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void,
    private minLevel: LogLevel = 'INFO',
  ) {}

  get level(): LogLevel {
    return this.minLevel;
  }

  setLevel(level: LogLevel): void {
    this.minLevel = level;
  }

  log(level: LogLevel, message: string, fields?: Fields): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.minLevel]) return;
    this.write(`${formatLine(level, message, fields)}\n`);
  }
}

const LEVEL_RANK: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4 };
