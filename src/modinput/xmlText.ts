/**
 * XML-safe text for the event stream. Escapes `& < > " '` (and CR as `&#13;`) and replaces every
 * character XML 1.0 cannot carry (C0 controls except TAB/LF/CR, U+FFFE, U+FFFF, lone surrogates)
 * with U+FFFD, so a bad byte stays visible in Splunk instead of making splunkd reject the stream.
 *
 * Speed matters (the collector targets >100,000 events/s): one precompiled regex test lets clean
 * strings through untouched; only dirty ones take the single-pass `replace`.
 */

// Matching control characters is the point of these two patterns.
/* eslint-disable no-control-regex */
/** Anything that needs work: markup characters, CR, forbidden characters, or any surrogate. */
const NEEDS_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
/** What to replace; a surrogate is kept when it is half of a valid pair. */
const TO_REPLACE =
  /[&<>"'\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

/**
 * A raw CR would reach splunkd as LF (XML parsers normalize line ends); `&#13;` keeps the record's
 * bytes exactly as CloudWatch returned them.
 */
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** Escapes text; counts forbidden characters replaced into `counter.replaced`. */
export function escapeXmlText(text: string, counter: { replaced: number }): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(TO_REPLACE, (ch) => {
    const entity = ENTITY[ch];
    if (entity !== undefined) return entity;
    counter.replaced++;
    return REPLACEMENT_CHARACTER;
  });
}

/** Escapes text for trusted short strings (scheme, error messages); forbidden characters replaced too. */
export function escapeXml(text: string): string {
  return escapeXmlText(text, { replaced: 0 });
}
