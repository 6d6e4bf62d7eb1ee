/**
 * An account with an access key pair, its secret in (a fake) splunkd's storage/passwords: the
 * collector reads it with the session key, collects, and no byte it wrote — stdout, stderr,
 * checkpoints — carries the secret access key or the session key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate, SimulatorWriter } from '../../src/simulator';
import { startFakeSplunkd, type FakeSplunkd } from '../splunkd/fakeSplunkd';
import { compareIdentities, identityCounts } from './support/collectorProcess';
import {
  eventCount,
  input,
  openSession,
  stopCollector,
  waitFor,
  type TestSession,
} from './support/session';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const SESSION_KEY = 'session-key-0123456789abcdef';

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? allFiles(p) : [p];
  });
}

// Each test runs the real launcher against moto; on a loaded 2-core machine that takes a while.
jest.setTimeout(180_000);

describe('secrets', () => {
  let session: TestSession;
  let splunkd: FakeSplunkd;
  beforeAll(async () => {
    session = await openSession();
    splunkd = await startFakeSplunkd({
      sessionKey: SESSION_KEY,
      accounts: { prod: { auth_type: 'access_key', access_key_id: 'AKIAIOSFODNN7EXAMPLE' } },
      passwords: { 'cloudhsm_audit:prod:': SECRET },
      failNext: [],
    });
  });
  afterAll(async () => {
    await splunkd?.close();
    await session?.close();
  });

  it('reads the secret through splunkd and never writes it anywhere', async () => {
    const sim = generate({
      seed: 'secrets',
      clusters: 1,
      hsms: 2,
      records: 100,
      hsmType: 'hsm1.medium',
    });
    await new SimulatorWriter(session.client).write(sim.records);
    const options = {
      ...input(session, 'secret', { account: 'prod' }),
      serverUri: splunkd.uri,
      sessionKey: SESSION_KEY,
    };
    // No AWS variables in the environment: the only credentials are the account's.
    const run = session.start(options, 'secret');
    await waitFor(() => eventCount(run) >= sim.records.length, 60_000, 'every record');
    const events = await stopCollector(run);
    expect(compareIdentities(sim.records, identityCounts(events))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(splunkd.requests.some((p) => p.includes('storage/passwords'))).toBe(true);

    const written = [run.stdoutFile, run.stderrFile, ...allFiles(options.checkpointDir)];
    expect(written.length).toBeGreaterThan(2);
    for (const file of written) {
      const bytes = fs.readFileSync(file, 'latin1');
      expect({ file: path.basename(file), hasSecret: bytes.includes(SECRET) }).toEqual({
        file: path.basename(file),
        hasSecret: false,
      });
      expect({ file: path.basename(file), hasSessionKey: bytes.includes(SESSION_KEY) }).toEqual({
        file: path.basename(file),
        hasSessionKey: false,
      });
    }
  });
});
