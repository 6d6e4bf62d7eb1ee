/**
 * Reads and parses the XML splunkd writes to stdin: `<input>` in run mode, `<items>` for
 * `--validate-arguments`. splunkd may or may not close stdin after the document, so reading stops
 * at the closing root tag, at end of input, or fails after a timeout. Parsing uses a real XML
 * parser (fast-xml-parser): values arrive entity-escaped (`&amp;`, `&#10;` …).
 */

import type { Readable } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { SplunkdSession } from '../collector/ports';
import type { RawParams } from '../config/validate';

export interface ParamSet {
  /** The stanza name (`cloudhsm_audit://prod`) in run mode, the item name (`prod`) in validation. */
  name: string;
  params: RawParams;
}

export interface StdinDocument {
  session: SplunkdSession;
  /** Stanzas (run mode) or items (validation), in document order. */
  entries: ParamSet[];
}

/**
 * Reads `stream` as UTF-8 until `</rootTag>` appears, the stream ends, or `timeoutMs` passes.
 * Resolves with the text read; rejects on timeout or stream error. Stops listening afterwards, so
 * an open stdin does not keep the process alive.
 */
export function readDocument(
  stream: Readable,
  rootTag: string,
  timeoutMs: number,
): Promise<string> {
  const closing = `</${rootTag}>`;
  return new Promise((resolve, reject) => {
    let text = '';
    const decoder = new TextDecoder('utf-8');
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      const piece = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      // Search only where the closing tag can newly appear, not the whole text again.
      const from = Math.max(0, text.length - closing.length);
      text += piece;
      if (text.indexOf(closing, from) !== -1) finish();
    };
    const onEnd = (): void => {
      text += decoder.decode();
      finish();
    };
    const onError = (err: Error): void => finish(new Error(`cannot read stdin: ${err.message}`));
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no complete <${rootTag}> document on stdin after ${Math.round(timeoutMs / 1000)} s`,
          ),
        ),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}

const LIST_TAGS = new Set(['stanza', 'item', 'param', 'param_list', 'value']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Decodes numeric character references (&#10;) as well as the five XML entities.
  htmlEntities: true,
  isArray: (tagName) => LIST_TAGS.has(tagName),
});

type Node = Record<string, unknown>;

const asNode = (v: unknown): Node => (v !== null && typeof v === 'object' ? (v as Node) : {});
const asNodes = (v: unknown): Node[] => (Array.isArray(v) ? v.map(asNode) : []);
/** Text content of an element that fast-xml-parser gave as a string or as `{ '#text': … }`. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const t = asNode(v)['#text'];
  return t === undefined ? '' : String(t);
}
const attr = (node: Node, name: string): string => text(node[`@_${name}`]);

function paramsOf(node: Node): RawParams {
  const params: RawParams = {};
  for (const p of asNodes(node.param)) params[attr(p, 'name')] = text(p);
  for (const pl of asNodes(node.param_list))
    params[attr(pl, 'name')] = (Array.isArray(pl.value) ? pl.value : []).map(text);
  return params;
}

function parseRoot(xml: string, rootTag: 'input' | 'items'): Node {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new Error(`stdin is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const root = asNode(parser.parse(xml))[rootTag];
  if (root === undefined) throw new Error(`stdin XML has no <${rootTag}> root element`);
  return asNode(root);
}

function sessionOf(root: Node): SplunkdSession {
  return {
    serverHost: text(root.server_host),
    serverUri: text(root.server_uri),
    sessionKey: text(root.session_key),
    checkpointDir: text(root.checkpoint_dir),
  };
}

/** Run mode: `<input>` with `<configuration><stanza name=…>`. */
export function parseInputDocument(xml: string): StdinDocument {
  const root = parseRoot(xml, 'input');
  const stanzas = asNodes(asNode(root.configuration).stanza);
  return {
    session: sessionOf(root),
    entries: stanzas.map((s) => ({ name: attr(s, 'name'), params: paramsOf(s) })),
  };
}

/** Validation mode: `<items>` with `<item name=…>`. */
export function parseItemsDocument(xml: string): StdinDocument {
  const root = parseRoot(xml, 'items');
  return {
    session: sessionOf(root),
    entries: asNodes(root.item).map((i) => ({ name: attr(i, 'name'), params: paramsOf(i) })),
  };
}
