/**
 * A splunkd stand-in for the KV store, following splunkd's REST API reference for
 * `storage/collections/data` and the answers splunkd gives:
 *
 * - `Authorization: Splunk <session key>` is required (401 `call not properly authenticated`);
 *   each session key names a writer ("host-a"), so the write log says who wrote what.
 * - Only the collections of the app's `default/collections.conf` exist, in the app's namespace
 *   (`/servicesNS/nobody/cloudhsm_audit/…`); another answers 404.
 * - GET `…/<collection>?query=<JSON>&sort=&limit=&skip=` (field equality only: anything else is a
 *   400, so the input cannot rely on what this double does not check); GET `…/<_key>` (404).
 * - POST `…/<collection>` inserts (201 `{"_key"}`); an existing `_key` is 409 "A document with the
 *   same key and user already exists."; POST `…/<_key>` replaces (404 when absent); POST
 *   `…/batch_save` saves an array of at most 1000 records by `_key` (200, the keys); DELETE
 *   `…/<_key>`. A POST without `Content-Type: application/json` is a 400.
 * - Errors are `{"messages":[{"type":"ERROR","text":…}]}`. `unavailable` answers every KV request
 *   503 "KV Store is initializing. Please try again later." (a restart); `failNext` injects
 *   statuses; `delayMs` slows every KV answer.
 * - `server/info` (server_roles, instance_type) and `shcluster/member/info` for `auto`.
 */

import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeSelfSignedCert } from './fakeSplunkd';

type Doc = Record<string, unknown> & { _key: string };

export interface KvWrite {
  /** Order of the write among all writes. */
  seq: number;
  writer: string;
  op: 'insert' | 'update' | 'batch_save' | 'delete';
  collection: string;
  keys: string[];
  /** The records as written (inserts, updates, batch saves). */
  docs: Doc[];
}

export interface FakeKvOptions {
  /** Session key → the writer it stands for. */
  sessionKeys: Record<string, string>;
  serverRoles?: readonly string[];
  instanceType?: string;
  /** Whether shcluster/member/info answers 200. */
  shcMember?: boolean;
  tls?: boolean;
}

export interface FakeKvSplunkd {
  uri: string;
  /** Collection → `_key` → record. */
  data: Map<string, Map<string, Doc>>;
  writes: KvWrite[];
  /** Every request: writer (or `?`), method, path, status. */
  requests: { writer: string; method: string; path: string; status: number }[];
  unavailable: boolean;
  failNext: number[];
  delayMs: number;
  close(): Promise<void>;
}

const APP_ROOT = path.resolve(__dirname, '../..');
const DATA = '/servicesNS/nobody/cloudhsm_audit/storage/collections/data/';

/** The collections the app declares. */
export function declaredCollections(): string[] {
  const text = fs.readFileSync(path.join(APP_ROOT, 'default/collections.conf'), 'utf8');
  return [...text.matchAll(/^\[([^\]]+)\]/gm)].map((m) => m[1] as string);
}

const messages = (text: string, type = 'ERROR') => ({ messages: [{ type, text }] });

function matches(doc: Doc, query: Record<string, unknown>): boolean {
  return Object.entries(query).every(([field, want]) => doc[field] === want);
}

export async function startFakeKvSplunkd(options: FakeKvOptions): Promise<FakeKvSplunkd> {
  const data = new Map(declaredCollections().map((c) => [c, new Map<string, Doc>()]));
  const state: FakeKvSplunkd = {
    uri: '',
    data,
    writes: [],
    requests: [],
    unavailable: false,
    failNext: [],
    delayMs: 0,
    close: async () => undefined,
  };
  let seq = 0;
  let generated = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'https://splunkd.invalid');
    const writer = options.sessionKeys[(req.headers.authorization ?? '').replace(/^Splunk /, '')];
    const send = (status: number, answer: unknown) => {
      state.requests.push({
        writer: writer ?? '?',
        method: req.method ?? '',
        path: url.pathname,
        status,
      });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    if (!req.headers.authorization?.startsWith('Splunk ') || writer === undefined)
      return send(401, messages('call not properly authenticated', 'WARN'));

    if (url.pathname === '/services/server/info')
      return send(200, {
        entry: [
          {
            name: 'server-info',
            content: {
              serverName: writer,
              server_roles: options.serverRoles ?? ['indexer', 'kv_store'],
              ...(options.instanceType ? { instance_type: options.instanceType } : {}),
            },
          },
        ],
      });
    if (url.pathname === '/services/shcluster/member/info')
      return options.shcMember
        ? send(200, { entry: [{ name: 'member', content: { status: 'Up' } }] })
        : send(
            503,
            messages(
              'Search head clustering is not enabled on this node. REST endpoint is not available',
            ),
          );
    if (!url.pathname.startsWith(DATA)) return send(404, messages('unknown endpoint'));

    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    const injected = state.failNext.shift();
    if (injected !== undefined) return send(injected, messages(`injected ${injected}`));
    if (state.unavailable)
      return send(503, messages('KV Store is initializing. Please try again later.'));

    const [collection = '', rawKey, extra] = url.pathname.slice(DATA.length).split('/');
    const records = data.get(decodeURIComponent(collection));
    if (!records || extra !== undefined)
      return send(404, messages(`Could not find collection ${collection}`));
    const key = rawKey === undefined ? undefined : decodeURIComponent(rawKey);
    const log = (op: KvWrite['op'], docs: Doc[], keys = docs.map((d) => d._key)) =>
      state.writes.push({
        seq: seq++,
        writer,
        op,
        collection: decodeURIComponent(collection),
        keys,
        docs,
      });

    let parsed: unknown;
    if (req.method === 'POST') {
      if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
        return send(400, messages('Content-Type must be application/json'));
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(400, messages('Invalid JSON'));
      }
    }
    const isDoc = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);

    if (req.method === 'GET' && key === undefined) {
      let query: Record<string, unknown> = {};
      try {
        query = JSON.parse(url.searchParams.get('query') ?? '{}') as Record<string, unknown>;
      } catch {
        return send(400, messages('Invalid query'));
      }
      if (Object.entries(query).some(([f, v]) => f.startsWith('$') || isDoc(v)))
        return send(400, messages('this double supports field equality only'));
      let found = [...records.values()].filter((d) => matches(d, query));
      const sort = url.searchParams.get('sort');
      if (sort) {
        const [field = '', order = '1'] = sort.split(':');
        const sign = order === '-1' ? -1 : 1;
        found = found.sort((a, b) => (String(a[field]) < String(b[field]) ? -sign : sign));
      }
      const skip = Number(url.searchParams.get('skip') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 0);
      found = found.slice(skip, limit > 0 ? skip + limit : undefined);
      return send(200, found);
    }
    if (req.method === 'GET') {
      const doc = records.get(key as string);
      return doc ? send(200, doc) : send(404, messages('Could not find object.'));
    }
    if (req.method === 'POST' && key === 'batch_save') {
      if (!Array.isArray(parsed) || !parsed.every(isDoc))
        return send(400, messages('batch_save expects an array of documents'));
      if (parsed.length > 1000)
        return send(
          400,
          messages(
            'Request exceeds API limits - see limits.conf [kvstore] max_documents_per_batch_save',
          ),
        );
      const docs = parsed.map((d) => ({
        ...d,
        _key: typeof d._key === 'string' ? d._key : `gen${generated++}`,
        _user: 'nobody',
      }));
      for (const d of docs) records.set(d._key, d);
      log('batch_save', docs);
      return send(
        200,
        docs.map((d) => d._key),
      );
    }
    if (req.method === 'POST' && key === undefined) {
      if (!isDoc(parsed)) return send(400, messages('expects a document'));
      const doc = {
        ...parsed,
        _key: typeof parsed._key === 'string' ? parsed._key : `gen${generated++}`,
        _user: 'nobody',
      };
      if (records.has(doc._key))
        return send(409, messages('A document with the same key and user already exists.'));
      records.set(doc._key, doc);
      log('insert', [doc]);
      return send(201, { _key: doc._key });
    }
    if (req.method === 'POST') {
      if (!isDoc(parsed)) return send(400, messages('expects a document'));
      if (!records.has(key as string)) return send(404, messages('Could not find object.'));
      const doc = { ...parsed, _key: key as string, _user: 'nobody' };
      records.set(doc._key, doc);
      log('update', [doc]);
      return send(200, { _key: doc._key });
    }
    if (req.method === 'DELETE' && key !== undefined) {
      if (!records.delete(key)) return send(404, messages('Could not find object.'));
      log('delete', [], [key]);
      return send(200, {});
    }
    return send(405, messages(`${req.method} not supported`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const tls = options.tls ?? true;
  const server = tls
    ? https.createServer(makeSelfSignedCert(), listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.uri = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/**
 * Checks the write log: every write of checkpoints was made by the holder of the input's newest
 * lease at that moment, and every lease generation was inserted once. Returns what broke the rule.
 */
export function writesOutsideTheLease(writes: readonly KvWrite[]): string[] {
  const problems: string[] = [];
  /** Input → newest generation and who inserted it. */
  const holder = new Map<string, { generation: number; writer: string }>();
  for (const w of writes) {
    if (w.collection === 'cloudhsm_audit_leases' && w.op === 'insert') {
      const doc = w.docs[0] as Doc;
      const input = String(doc.input);
      const generation = Number(doc.generation);
      const current = holder.get(input);
      if (current && generation <= current.generation)
        problems.push(
          `#${w.seq} ${w.writer} inserted generation ${generation} of ${input} after ${current.generation}`,
        );
      holder.set(input, { generation, writer: w.writer });
    }
    if (w.collection === 'cloudhsm_audit_checkpoints') {
      for (const doc of w.docs) {
        const owner = holder.get(String(doc.input));
        if (owner?.writer !== w.writer)
          problems.push(
            `#${w.seq} ${w.writer} wrote a checkpoint of ${String(doc.input)} while ${owner?.writer ?? 'nobody'} held the lease`,
          );
      }
    }
  }
  return problems;
}
