/**
 * The lexical side of reading SPL: macro expansion, splitting at top-level separators (outside
 * quotes, parentheses and brackets), and the field names inside an eval/where expression or the
 * `field=value` terms of a search. lib/spl.ts follows the pipeline with these.
 */

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'XOR',
  'LIKE',
  'IN',
  'BY',
  'AS',
  'OVER',
  'TRUE',
  'FALSE',
  'NULL',
]);

export function expandMacros(spl: string, macros: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > 10) throw new Error('macro expansion deeper than 10: a macro calls itself?');
  return spl.replace(
    /`([A-Za-z_][\w]*)(?:\(([^`]*)\))?`/g,
    (whole, name: string, args?: string) => {
      const definition = macros.get(
        args === undefined ? name : `${name}(${args.split(',').length})`,
      );
      return definition === undefined ? whole : expandMacros(definition, macros, depth + 1);
    },
  );
}

/** Splits at `separator` outside double quotes, parentheses and brackets. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') depth += 1;
    else if (c === ')' || c === ']') depth -= 1;
    else if (depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Whitespace-separated words outside quotes and brackets (a bracketed subsearch stays one word). */
export function words(text: string): string[] {
  return splitTopLevel(text.replace(/\s+/g, ' '), ' ')
    .map((w) => w.trim())
    .filter(Boolean);
}

export function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2
    ? text.slice(1, -1).replace(/\\"/g, '"')
    : text;
}

/** Field names an eval/where expression refers to: identifiers that are not functions, keywords, strings or numbers. */
export function expressionFields(expression: string): string[] {
  const fields: string[] = [];
  const scanner = /"(?:[^"\\]|\\.)*"|'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w.]*)(\s*\()?|\d+(?:\.\d+)?/g;
  for (const m of expression.matchAll(scanner)) {
    if (m[1] !== undefined) fields.push(m[1]);
    else if (m[2] !== undefined && m[3] === undefined && !KEYWORDS.has(m[2].toUpperCase()))
      fields.push(m[2]);
  }
  return fields;
}

/** `field=value` style terms of a search command (free text and quoted strings are not fields). */
export function searchTermFields(text: string): { fields: string[]; subsearches: string[] } {
  const fields: string[] = [];
  const subsearches: string[] = [];
  const scan = (part: string) => {
    for (const word of words(part)) {
      if (word.startsWith('[')) subsearches.push(word.slice(1, -1));
      else if (word.startsWith('(') && word.endsWith(')')) scan(word.slice(1, -1));
      else {
        const m = /^([A-Za-z_][\w.:]*)\s*(?:!=|<=|>=|=|<|>)/.exec(word);
        if (m?.[1]) fields.push(m[1]);
      }
    }
  };
  // `field IN (a, b)` → treat as field=...
  scan(text.replace(/\b([A-Za-z_][\w.]*)\s+IN\s*\(/g, '$1=('));
  return { fields, subsearches };
}
