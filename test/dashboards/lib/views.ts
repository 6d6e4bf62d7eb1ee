/**
 * Reads the app's Dashboard Studio views (default/data/ui/views/*.xml with version="2"): label,
 * definition JSON from its CDATA, hidden-elements meta. saxes parses the XML, so a malformed view
 * fails here the way it would fail in Splunk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';

export const REPO = path.resolve(__dirname, '../../..');
export const VIEWS_DIR = path.join(REPO, 'default/data/ui/views');

export interface Definition {
  title?: string;
  dataSources: Record<string, { type: string; name?: string; options?: Record<string, unknown> }>;
  visualizations: Record<
    string,
    { type: string; title?: string; dataSources?: Record<string, string>; [k: string]: unknown }
  >;
  inputs?: Record<
    string,
    {
      type: string;
      title?: string;
      dataSources?: Record<string, string>;
      options?: Record<string, unknown>;
      [k: string]: unknown;
    }
  >;
  defaults?: Record<string, unknown>;
  layout: {
    type?: string;
    options?: Record<string, unknown>;
    globalInputs?: string[];
    structure?: { item: string }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface StudioView {
  name: string;
  file: string;
  version: string | undefined;
  label: string;
  definition: Definition;
  meta: Record<string, string>;
}

export function parseView(file: string): StudioView {
  const parser = new SaxesParser();
  const stack: string[] = [];
  let version: string | undefined;
  const text: Record<string, string> = {};
  const meta: Record<string, string> = {};
  let metaType = '';
  const append = (chunk: string) => {
    const element = stack[stack.length - 1];
    if (element === 'meta') meta[metaType] = (meta[metaType] ?? '') + chunk;
    else if (element) text[element] = (text[element] ?? '') + chunk;
  };
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    if (tag.name === 'dashboard') version = tag.attributes.version as string | undefined;
    if (tag.name === 'meta') metaType = String(tag.attributes.type ?? '');
  });
  parser.on('closetag', () => stack.pop());
  parser.on('text', append);
  parser.on('cdata', append);
  parser.write(fs.readFileSync(file, 'utf8')).close();
  const definitionText = text.definition;
  // Simple XML views (version 1.1, e.g. the setup page's host) carry no JSON definition.
  if (version === '2' && !definitionText) throw new Error(`${file}: no <definition>`);
  return {
    name: path.basename(file, '.xml'),
    file,
    version,
    label: (text.label ?? '').trim(),
    definition: (definitionText ? JSON.parse(definitionText) : {}) as Definition,
    meta,
  };
}

/** Every Dashboard Studio view of the app (version="2"), by view name. */
export function studioViews(): StudioView[] {
  return fs
    .readdirSync(VIEWS_DIR)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => parseView(path.join(VIEWS_DIR, f)))
    .filter((v) => v.version === '2');
}
