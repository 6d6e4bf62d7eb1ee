/**
 * A proxy or endpoint URL that carries a password never leaves the process in any form, through
 * the built launcher as splunkd runs it: the `--validate-arguments` answer splunkd shows in Splunk
 * Web, the run-mode log lines that end in splunkd.log, and an account read from splunkd whose
 * https_proxy is bad. Each refusal still names the argument.
 *
 * The values are the ones URL parsing gets wrong: a password with `/` ends the authority early
 * (`http://alice:12/s3cret@…` is host alice, port 12, path /s3cret@…), and without a scheme
 * `alice:` becomes one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeSplunkd, type FakeSplunkd } from '../splunkd/fakeSplunkd';
import { requireLauncher, startCollector, waitFor } from '../collector/support/collectorProcess';

const SESSION_KEY = 'session-key-proxy-test-0123456789';
/** Parts of the URLs below that must not appear anywhere the process writes. */
const NEVER_ECHOED = ['s3cr', 'alice', 'proxy.corp'];
const BAD_PROXIES = [
  'alice:s3cr/et@proxy.corp:3128',
  'http://alice:s3cr/et@proxy.corp:3128',
  'http://alice:12/s3cret@proxy.corp:3128',
];

const env = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

function echoed(text: string): string[] {
  return NEVER_ECHOED.filter((part) => text.includes(part));
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-proxy-url-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('--validate-arguments', () => {
  test.each(BAD_PROXIES)('refuses https_proxy %j, naming it, without echoing it', (proxy) => {
    const items =
      '<?xml version="1.0" encoding="UTF-8"?><items><server_host>sh1</server_host>' +
      '<server_uri>https://127.0.0.1:1</server_uri>' +
      `<session_key>${SESSION_KEY}</session_key><checkpoint_dir>${tmp}</checkpoint_dir>` +
      '<item name="prod"><param name="regions">us-east-1</param>' +
      `<param name="https_proxy">${proxy.replace(/&/g, '&amp;')}</param></item></items>`;
    const res = spawnSync(requireLauncher(), ['--validate-arguments'], {
      env: env(),
      input: items,
      encoding: 'utf8',
      // Before the fix one of these passed validation and probed AWS through "host alice".
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    expect({ status: res.status, stderr: res.stderr }).toMatchObject({ status: 1 });
    expect(res.stdout).toMatch(/^<error><message>https_proxy: /);
    expect({ stdout: echoed(res.stdout), stderr: echoed(res.stderr) }).toEqual({
      stdout: [],
      stderr: [],
    });
  });
});

describe('run mode', () => {
  test.each(BAD_PROXIES)(
    'a hand-edited https_proxy %j: ERROR naming it, exit 1, never echoed',
    async (proxy) => {
      const run = startCollector(
        {
          name: 'proxy',
          checkpointDir: tmp,
          params: { regions: 'us-east-1', https_proxy: proxy },
        },
        tmp,
        'proxy',
        env(),
      );
      try {
        await waitFor(
          () => run.child.exitCode !== null,
          30_000,
          'the input to refuse its arguments and exit',
          () => run.stderr().slice(-2000),
        );
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL');
      }
      const { code } = await run.exited;
      const stderr = run.stderr();
      expect({ code, stderr }).toMatchObject({ code: 1 });
      expect(stderr).toMatch(/^ERROR https_proxy: /m);
      expect({ stdout: echoed(run.stdout()), stderr: echoed(stderr) }).toEqual({
        stdout: [],
        stderr: [],
      });
    },
  );

  describe("an account's https_proxy", () => {
    let splunkd: FakeSplunkd;
    beforeAll(async () => {
      splunkd = await startFakeSplunkd({
        sessionKey: SESSION_KEY,
        accounts: Object.fromEntries(
          BAD_PROXIES.map((p, i) => [`acct${i}`, { auth_type: 'default_chain', https_proxy: p }]),
        ),
        passwords: {},
        failNext: [],
      });
    });
    afterAll(() => splunkd?.close());

    test.each(BAD_PROXIES.map((p, i) => [p, `acct${i}`]))(
      '%j: the account is refused with an ERROR naming https_proxy, never echoed',
      async (_proxy, account) => {
        const run = startCollector(
          {
            name: 'proxy',
            checkpointDir: tmp,
            // Port 9 refuses: were the account accepted, the input would keep retrying AWS.
            params: { regions: 'us-east-1', account, endpoint_url: 'http://127.0.0.1:9' },
            serverUri: splunkd.uri,
            sessionKey: SESSION_KEY,
          },
          tmp,
          'account-proxy',
          { ...env(), AWS_EC2_METADATA_DISABLED: 'true' },
        );
        try {
          await waitFor(
            () => /^ERROR cannot read the account/m.test(run.stderr()),
            30_000,
            'the ERROR refusing the account',
            () => run.stderr().slice(-2000),
          );
        } finally {
          run.child.kill('SIGTERM');
          await run.exited;
        }
        expect(run.stderr()).toMatch(/^ERROR cannot read the account.*https_proxy /m);
        expect({ stdout: echoed(run.stdout()), stderr: echoed(run.stderr()) }).toEqual({
          stdout: [],
          stderr: [],
        });
      },
    );
  });
});
