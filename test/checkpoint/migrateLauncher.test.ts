/**
 * Switching an input from files to the KV store, through the built launcher on one heavy
 * forwarder (server/info without cluster roles, so `auto` keeps files): half the records are
 * collected with file checkpoints, then the input is switched to `checkpoint_store = kvstore`. Its
 * first run imports the host's file checkpoints and goes on from them: nothing missing, nothing
 * twice. A later run imports nothing again.
 */
import { generate } from '../../src/simulator';
import { openKvTorture, type KvTorture } from '../torture/support/hosts';
import {
  checkIdentities,
  countIdentities,
  recordCount,
  waitUntil,
} from '../torture/support/torture';

jest.setTimeout(120_000);

const DATA = {
  seed: 'migrate-launcher',
  clusters: 1,
  hsms: 3,
  records: 6_000,
  hsmType: 'hsm1.medium' as const,
  startTime: Date.now() - 3_600_000,
};

let k: KvTorture;
beforeAll(async () => {
  k = await openKvTorture(
    'migrate',
    60,
    { max_requests_per_second: '4', health_interval: '3600' },
    ['kv_store'],
  );
  await k.t.emu.setPageBytes(65_536);
  await k.t.emu.generate(DATA, 1);
});
afterAll(async () => k?.close());

test('an input switched from files to the KV store resumes from its file checkpoints', async () => {
  const expected = generate(DATA).records;
  const onFiles = k.start('hf-1');
  await waitUntil(
    () => recordCount(onFiles.run.stdoutFile) >= expected.length / 3,
    60_000,
    'a third of the records on files',
  );
  onFiles.run.child.kill('SIGTERM');
  expect((await onFiles.run.done).code).toBe(0);
  expect(onFiles.run.stderr()).toMatch(
    /^INFO checkpoint store chosen input=migrate checkpoint_store=file reason="auto: not a search head cluster member or Splunk Cloud \(server_roles=kv_store/m,
  );
  const fromFiles = recordCount(onFiles.run.stdoutFile);
  expect(fromFiles).toBeLessThan(expected.length);

  const onKv = k.start('hf-1', { params: { checkpoint_store: 'kvstore' } });
  await waitUntil(
    () =>
      checkIdentities(expected, countIdentities([...onFiles.events(), ...onKv.events()]))
        .missing === 0,
    60_000,
    'every record after the switch',
  );
  onKv.run.child.kill('SIGTERM');
  expect((await onKv.run.done).code).toBe(0);
  // The input's own checkpoint and one per stream.
  expect(onKv.run.stderr()).toMatch(
    /^INFO file checkpoints of this host imported into the KV store input=migrate server_host=hf-1 imported=4 already_in_kvstore=0/m,
  );
  const report = checkIdentities(
    expected,
    countIdentities([...onFiles.events(), ...onKv.events()]),
  );
  process.stdout.write(
    `migration: ${fromFiles} records on files, ${recordCount(onKv.run.stdoutFile)} after the switch, missing ${report.missing}, doubled ${report.duplicated}\n`,
  );
  expect(report).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });

  const later = k.start('hf-1', { params: { checkpoint_store: 'kvstore' } });
  await waitUntil(
    () => /^INFO collector started/m.test(later.run.stderr()),
    30_000,
    'the later run to start',
  );
  later.run.child.kill('SIGTERM');
  expect((await later.run.done).code).toBe(0);
  expect(later.run.stderr()).not.toMatch(/imported into the KV store/);
  expect(recordCount(later.run.stdoutFile)).toBe(0);
});
