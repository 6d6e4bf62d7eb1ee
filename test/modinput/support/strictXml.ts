/** Parses XML with saxes (strict, XML 1.0 character rules) and returns the element names seen. */

import { SaxesParser } from 'saxes';

export interface ParsedXml {
  elements: string[];
  texts: Record<string, string[]>;
  attributes: Record<string, string>[];
}

export function parseStrict(xml: string): ParsedXml {
  const parser = new SaxesParser({ xmlns: false });
  const out: ParsedXml = { elements: [], texts: {}, attributes: [] };
  const stack: string[] = [];
  let text = '';
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('opentag', (t) => {
    stack.push(t.name);
    out.elements.push(t.name);
    out.attributes.push(t.attributes as Record<string, string>);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', (t) => {
    (out.texts[t.name] ??= []).push(text);
    stack.pop();
    text = '';
  });
  parser.write(xml).close();
  if (error) throw error;
  return out;
}
