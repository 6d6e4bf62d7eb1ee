/**
 * The log level through the built launcher of the x86-64 package, as splunkd runs it, against moto
 * and a splunkd stand-in holding `cloudhsm_audit_settings.conf`: at DEBUG the input logs each
 * CloudWatch Logs request (API, log group, stream, HTTP status, duration, events of the page) and
 * never a credential; at WARN its INFO lines are gone.
 */
import { generate, SimulatorWriter } from '../../src/simulator';
import {
  AWS_ENV,
  eventCount,
  input,
  openSession,
  stopCollector,
  waitFor,
  type TestSession,
} from '../collector/support/session';
import { startSettingsSplunkd, type SettingsSplunkd } from './support/settingsSplunkd';

jest.setTimeout(120_000);

let session: TestSession;
let splunkd: SettingsSplunkd;
const records = generate({
  seed: 'log-level',
  clusters: 1,
  hsms: 2,
  records: 40,
  hsmType: 'hsm1.medium',
}).records;

beforeAll(async () => {
  session = await openSession();
  splunkd = await startSettingsSplunkd('DEBUG');
  await new SimulatorWriter(session.client).write(records);
});
afterAll(async () => {
  await session?.close();
  await splunkd?.close();
});

function start(name: string) {
  return session.start(
    { ...input(session, name, {}), serverUri: splunkd.uri, sessionKey: splunkd.sessionKey },
    name,
    AWS_ENV,
  );
}

test('DEBUG: one line per CloudWatch Logs request, with what was asked and how it went', async () => {
  splunkd.logLevel = 'DEBUG';
  const run = start('debug');
  await waitFor(() => eventCount(run) >= records.length, 60_000, 'every record');
  await stopCollector(run);
  const stderr = run.stderr();
  expect(stderr).toMatch(
    /^INFO log level changed from=INFO to=DEBUG source=cloudhsm_audit_settings\.conf$/m,
  );
  expect(stderr).toMatch(
    /^DEBUG cloudwatch request api=DescribeLogGroups region=us-east-1 prefix=\/aws\/cloudhsm\/ duration_ms=\d+ status=200$/m,
  );
  expect(stderr).toMatch(
    /^DEBUG cloudwatch request api=DescribeLogStreams region=us-east-1 log_group=\/aws\/cloudhsm\/\S+ duration_ms=\d+ status=200$/m,
  );
  const pages = stderr.match(
    /^DEBUG cloudwatch request api=GetLogEvents region=us-east-1 log_group=\/aws\/cloudhsm\/\S+ stream=\S+ duration_ms=\d+ status=200 events=\d+$/gm,
  );
  expect(pages?.length).toBeGreaterThanOrEqual(2);
  for (const secret of [
    AWS_ENV.AWS_SECRET_ACCESS_KEY,
    AWS_ENV.AWS_ACCESS_KEY_ID,
    splunkd.sessionKey,
  ])
    expect(stderr).not.toContain(secret);
});

test('WARN: the INFO lines are gone once the level applies', async () => {
  splunkd.logLevel = 'WARN';
  const run = start('warn');
  await waitFor(() => eventCount(run) >= records.length, 60_000, 'every record');
  await stopCollector(run);
  const lines = run.stderr().split('\n').filter(Boolean);
  expect(lines[0]).toBe(
    'INFO log level changed from=INFO to=WARN source=cloudhsm_audit_settings.conf',
  );
  expect(lines.slice(1).filter((l) => /^(DEBUG|INFO) /.test(l))).toEqual([]);
});
