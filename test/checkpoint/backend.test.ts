/**
 * Choosing the checkpoint store (src/checkpoint/backend.ts, deployment.ts): `auto` asks splunkd's
 * server/info (and shcluster/member/info) on the KV store double and picks the KV store on a
 * search head cluster member or Splunk Cloud, files elsewhere and when splunkd cannot say; an
 * explicit choice asks nothing. One line says which store and why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { openStateBackend } from '../../src/checkpoint/backend';
import { detectDeployment } from '../../src/checkpoint/deployment';
import { parseInputConfig } from '../../src/config/validate';
import type { SplunkdSession } from '../../src/collector/ports';
import { systemClock } from '../../src/modinput/clock';
import { MemoryLogger } from '../modinput/support/fakes';
import { startFakeKvSplunkd, type FakeKvOptions } from '../splunkd/fakeKvStore';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function withSplunkd<T>(
  options: Omit<FakeKvOptions, 'sessionKeys'>,
  run: (session: SplunkdSession) => Promise<T>,
): Promise<{ result: T; paths: string[] }> {
  const kv = await startFakeKvSplunkd({ ...options, sessionKeys: { k: 'host-a' }, tls: false });
  try {
    const result = await run({
      serverHost: 'host-a',
      serverUri: kv.uri,
      sessionKey: 'k',
      checkpointDir: dir,
    });
    return { result, paths: kv.requests.map((r) => r.path) };
  } finally {
    await kv.close();
  }
}

test.each([
  [
    'a search head cluster member',
    { serverRoles: ['search_head', 'shc_member', 'kv_store'] },
    'shc_member',
  ],
  ['the captain', { serverRoles: ['search_head', 'shc_captain', 'kv_store'] }, 'shc_member'],
  ['Splunk Cloud', { serverRoles: ['search_head', 'kv_store'], instanceType: 'cloud' }, 'cloud'],
  [
    'a member whose roles do not say so yet',
    { serverRoles: ['search_head'], shcMember: true },
    'shc_member',
  ],
  ['a heavy forwarder', { serverRoles: ['kv_store'] }, 'other'],
  [
    'a standalone search head',
    { serverRoles: ['search_head', 'kv_store', 'license_master'] },
    'other',
  ],
] as const)('server/info tells %s', async (_what, options, kind) => {
  const { result } = await withSplunkd(options, (s) => detectDeployment(s, new MemoryLogger()));
  expect(result.kind).toBe(kind);
});

test('a splunkd that refuses the connection is not waited for', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
  const started = Date.now();
  const found = await detectDeployment(
    { serverHost: 'h', serverUri: `http://127.0.0.1:${port}`, sessionKey: 'k', checkpointDir: dir },
    new MemoryLogger(),
  );
  expect(found).toMatchObject({ kind: 'unknown', problem: expect.stringMatching(/ECONNREFUSED/) });
  expect(Date.now() - started).toBeLessThan(400);
});

function config(params: Record<string, string>) {
  const parsed = parseInputConfig({ name: 'prod', regions: 'us-east-1', ...params }, Date.now());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

async function choose(params: Record<string, string>, options: Omit<FakeKvOptions, 'sessionKeys'>) {
  const logger = new MemoryLogger();
  const { result, paths } = await withSplunkd(options, (session) =>
    openStateBackend({
      config: config(params),
      session,
      logger,
      clock: systemClock,
      signal: new AbortController().signal,
    }),
  );
  const chosen = logger.lines.filter((l) => l.message === 'checkpoint store chosen');
  expect(chosen).toHaveLength(1);
  return { kind: result.store.kind, line: chosen[0]!, paths };
}

test('auto picks the KV store on a search head cluster member, and says why', async () => {
  const { kind, line } = await choose({}, { serverRoles: ['search_head', 'shc_member'] });
  expect(kind).toBe('kvstore');
  expect(line.level).toBe('INFO');
  expect(line.fields).toMatchObject({
    checkpoint_store: 'kvstore',
    reason: expect.stringMatching(
      /^auto: this host is a search head cluster member \(server_roles=search_head,shc_member/,
    ),
    collection: 'cloudhsm_audit_checkpoints',
  });
});

test('auto picks files on a heavy forwarder', async () => {
  const { kind, line } = await choose({ checkpoint_store: 'auto' }, { serverRoles: ['kv_store'] });
  expect(kind).toBe('file');
  expect(line.fields).toMatchObject({
    reason: expect.stringMatching(/^auto: not a search head cluster member or Splunk Cloud/),
  });
});

test('an explicit choice asks splunkd nothing', async () => {
  const file = await choose({ checkpoint_store: 'file' }, { serverRoles: ['shc_member'] });
  expect(file).toMatchObject({ kind: 'file', paths: [] });
  expect(file.line.fields).toMatchObject({
    reason: 'checkpoint_store = file',
    checkpoint_dir: dir,
  });
  const kvstore = await choose({ checkpoint_store: 'kvstore' }, { serverRoles: ['kv_store'] });
  expect(kvstore).toMatchObject({ kind: 'kvstore', paths: [] });
});

test('auto falls back to files with a WARN when splunkd cannot say what this host is', async () => {
  const logger = new MemoryLogger();
  const backend = await openStateBackend({
    config: config({}),
    session: {
      serverHost: 'h',
      serverUri: 'http://127.0.0.1:1',
      sessionKey: 'k',
      checkpointDir: dir,
    },
    logger,
    clock: systemClock,
    signal: new AbortController().signal,
  });
  expect(backend.store.kind).toBe('file');
  expect(logger.lines).toContainEqual(
    expect.objectContaining({
      level: 'WARN',
      message: 'checkpoint store chosen',
      fields: expect.objectContaining({
        reason: expect.stringMatching(/set checkpoint_store = kvstore/),
      }),
    }),
  );
});
