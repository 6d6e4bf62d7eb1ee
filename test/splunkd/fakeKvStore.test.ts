/**
 * The KV store double answers as splunkd's REST API reference says splunkd does: this is what the
 * KV store tests rely on, checked with plain HTTP requests.
 */
import { startFakeKvSplunkd, type FakeKvSplunkd } from './fakeKvStore';

let kv: FakeKvSplunkd;
const DATA =
  '/servicesNS/nobody/cloudhsm_audit/storage/collections/data/cloudhsm_audit_checkpoints';

beforeAll(async () => {
  kv = await startFakeKvSplunkd({ sessionKeys: { k1: 'host-a' }, tls: false });
});
afterAll(async () => kv.close());

async function call(method: string, path: string, body?: unknown, key = 'k1') {
  const res = await fetch(`${kv.uri}${path}`, {
    method,
    headers: {
      ...(key ? { Authorization: `Splunk ${key}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

test("a request without a session key splunkd knows is 401, in splunkd's error shape", async () => {
  expect(await call('GET', DATA, undefined, '')).toEqual({
    status: 401,
    json: { messages: [{ type: 'WARN', text: 'call not properly authenticated' }] },
  });
  expect((await call('GET', DATA, undefined, 'other')).status).toBe(401);
});

test('insert, a second insert of the same _key (409), replace, query, batch_save, delete', async () => {
  expect(await call('POST', DATA, { _key: 'a', input: 'x', n: 1 })).toEqual({
    status: 201,
    json: { _key: 'a' },
  });
  expect(await call('POST', DATA, { _key: 'a', input: 'x', n: 2 })).toEqual({
    status: 409,
    json: {
      messages: [{ type: 'ERROR', text: 'A document with the same key and user already exists.' }],
    },
  });
  expect((await call('POST', `${DATA}/a`, { input: 'x', n: 3 })).status).toBe(200);
  expect((await call('POST', `${DATA}/missing`, { n: 1 })).status).toBe(404);
  expect(
    await call('POST', `${DATA}/batch_save`, [
      { _key: 'b', input: 'x' },
      { _key: 'c', input: 'y' },
    ]),
  ).toEqual({
    status: 200,
    json: ['b', 'c'],
  });
  const query = encodeURIComponent(JSON.stringify({ input: 'x' }));
  const found = await call('GET', `${DATA}?query=${query}&sort=_key&limit=1&skip=1`);
  expect(found).toEqual({ status: 200, json: [{ _key: 'b', input: 'x', _user: 'nobody' }] });
  expect((await call('GET', `${DATA}/a`)).json).toMatchObject({ _key: 'a', n: 3 });
  expect((await call('DELETE', `${DATA}/a`)).status).toBe(200);
  expect((await call('GET', `${DATA}/a`)).status).toBe(404);
  expect(
    (
      await call(
        'POST',
        `${DATA}/batch_save`,
        Array.from({ length: 1001 }, (_, i) => ({ _key: `k${i}` })),
      )
    ).status,
  ).toBe(400);
  expect(kv.writes.map((w) => [w.writer, w.op, w.keys.join(',')])).toEqual([
    ['host-a', 'insert', 'a'],
    ['host-a', 'update', 'a'],
    ['host-a', 'batch_save', 'b,c'],
    ['host-a', 'delete', 'a'],
  ]);
});

test('a collection the app does not declare is 404; a query beyond field equality is refused', async () => {
  expect(
    (await call('GET', '/servicesNS/nobody/cloudhsm_audit/storage/collections/data/other')).status,
  ).toBe(404);
  const query = encodeURIComponent(JSON.stringify({ n: { $gt: 1 } }));
  expect((await call('GET', `${DATA}?query=${query}`)).status).toBe(400);
});

test('503 while the KV store starts, injected statuses, slow answers', async () => {
  kv.unavailable = true;
  expect(await call('GET', DATA)).toEqual({
    status: 503,
    json: {
      messages: [{ type: 'ERROR', text: 'KV Store is initializing. Please try again later.' }],
    },
  });
  kv.unavailable = false;
  kv.failNext = [500];
  expect((await call('GET', DATA)).status).toBe(500);
  expect((await call('GET', DATA)).status).toBe(200);
  kv.delayMs = 300;
  const started = Date.now();
  await call('GET', DATA);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  kv.delayMs = 0;
});
