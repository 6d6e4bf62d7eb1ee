/**
 * The running input's log level (src/modinput/logLevel.ts) against a splunkd stand-in over HTTP:
 * applied at start, re-read while running (each change logged), kept when splunkd cannot answer
 * (one WARN, then one INFO when it heals), and a value that is not a level refused.
 */
import { StderrLogger } from '../../src/modinput/logger';
import { parseLogLevel, watchLogLevel } from '../../src/modinput/logLevel';
import { systemClock } from '../../src/modinput/clock';
import { startSettingsSplunkd, type SettingsSplunkd } from '../launcher/support/settingsSplunkd';

let splunkd: SettingsSplunkd;
afterEach(async () => splunkd?.close());

function setup(level: string | null) {
  const lines: string[] = [];
  const logger = new StderrLogger((line) => lines.push(line));
  const controller = new AbortController();
  const watch = (uri: string, sessionKey: string) =>
    watchLogLevel({
      session: { serverHost: 'hf1', serverUri: uri, sessionKey, checkpointDir: '/nonexistent' },
      logger,
      clock: systemClock,
      signal: controller.signal,
      refreshMs: 40,
    });
  return { lines, logger, controller, watch, level };
}

/** Waits (at most 5 s) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('parseLogLevel takes the four levels, in any case, and nothing else', () => {
  expect(['debug', ' INFO ', 'Warn', 'ERROR'].map(parseLogLevel)).toEqual([
    'DEBUG',
    'INFO',
    'WARN',
    'ERROR',
  ]);
  expect([undefined, '', 'FATAL', 'TRACE', 3].map(parseLogLevel)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

test('the level is applied before the input starts and follows every change while it runs', async () => {
  splunkd = await startSettingsSplunkd('DEBUG');
  const t = setup('DEBUG');
  const watching = t.watch(splunkd.uri, splunkd.sessionKey);
  await watching.started;
  expect(t.logger.level).toBe('DEBUG');
  expect(t.lines).toContainEqual(
    'INFO log level changed from=INFO to=DEBUG source=cloudhsm_audit_settings.conf\n',
  );

  splunkd.logLevel = 'ERROR';
  await until(() => t.logger.level === 'ERROR', 'ERROR');
  // Logged before the switch, so the change itself is visible.
  expect(t.lines).toContainEqual(
    'INFO log level changed from=DEBUG to=ERROR source=cloudhsm_audit_settings.conf\n',
  );
  const count = t.lines.length;
  t.logger.log('INFO', 'hidden at ERROR');
  t.logger.log('WARN', 'hidden too');
  t.logger.log('ERROR', 'shown');
  expect(t.lines.slice(count)).toEqual(['ERROR shown\n']);

  t.controller.abort();
  await watching.done;
  expect(splunkd.requests.length).toBeGreaterThanOrEqual(2);
});

test('splunkd unreachable: the level stays, one WARN line, then one INFO line when it answers again', async () => {
  splunkd = await startSettingsSplunkd(null);
  const t = setup(null);
  const watching = t.watch(splunkd.uri, splunkd.sessionKey);
  await watching.started;
  await until(() => splunkd.requests.length >= 4, 'several refreshes');
  expect(t.logger.level).toBe('INFO');
  const warnings = t.lines.filter((l) => l.startsWith('WARN '));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    /^WARN cannot read the log level from splunkd; keeping the current one log_level=INFO detail="HTTP 404: Could not find object id=logging" retry_seconds=0\n$/,
  );

  splunkd.logLevel = 'WARN';
  await until(() => t.logger.level === 'WARN', 'WARN');
  expect(t.lines).toContainEqual('INFO log level readable again log_level=WARN\n');
  t.controller.abort();
  await watching.done;
});

test('a value that is not a level keeps the current one and says why; the session key never shows', async () => {
  splunkd = await startSettingsSplunkd('verbose');
  const t = setup('verbose');
  const watching = t.watch(splunkd.uri, splunkd.sessionKey);
  await watching.started;
  expect(t.logger.level).toBe('INFO');
  expect(t.lines.join('')).toContain(
    'detail="log_level \\"verbose\\" is not one of DEBUG, INFO, WARN, ERROR"',
  );
  t.controller.abort();
  await watching.done;

  const wrongKey = setup('DEBUG');
  const other = wrongKey.watch(splunkd.uri, 'not-the-key');
  await other.started;
  expect(wrongKey.lines.join('')).toContain('HTTP 401');
  expect(`${t.lines.join('')}${wrongKey.lines.join('')}`).not.toContain(splunkd.sessionKey);
  wrongKey.controller.abort();
  await other.done;
});
