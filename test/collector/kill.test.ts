/**
 * Exactly once across crashes: a 50,000-record run is killed with SIGKILL at 20 seeded random
 * moments and restarted each time on the same checkpoint folder, as splunkd restarts a dead input.
 * splunkd indexes every whole <event> a killed process wrote; the union of all runs' output must
 * hold every record exactly once.
 */
import seedrandom from 'seedrandom';
import { generate, SimulatorWriter } from '../../src/simulator';
import {
  compareIdentities,
  identityCounts,
  parseStream,
  type StreamEvent,
} from './support/collectorProcess';
import {
  AWS_ENV,
  input,
  openSession,
  stopCollector,
  waitFor,
  type TestSession,
} from './support/session';

const KILLS = 20;

describe('collector killed with SIGKILL and restarted', () => {
  let session: TestSession;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(async () => session?.close());

  it(`loses and doubles nothing over ${KILLS} kills of a 50,000-record run`, async () => {
    const sim = generate({
      seed: 'kill',
      clusters: 2,
      hsms: 3,
      records: 25_000,
      hsmType: 'hsm1.medium',
    });
    expect(sim.records.length).toBeGreaterThanOrEqual(50_000);
    await new SimulatorWriter(session.client).write(sim.records);

    const random = seedrandom('kill-moments');
    const all: StreamEvent[] = [];
    const options = input(session, 'kill', {});
    let killedMidStream = 0;
    for (let i = 0; i < KILLS; i++) {
      const run = session.start(options, `kill-${i}`, AWS_ENV);
      // Between 0.3 and 2.3 s: from start-up (reading stdin, checkpoints) to mid-page writes.
      await new Promise((r) => setTimeout(r, 300 + Math.floor(random() * 2000)));
      run.child.kill('SIGKILL');
      await run.exited;
      const text = run.stdout();
      if (text.length > 0 && !text.trimEnd().endsWith('</stream>')) killedMidStream++;
      all.push(...parseStream(text, { complete: false }));
    }
    const last = session.start(options, 'kill-final', AWS_ENV);
    await waitFor(
      () =>
        compareIdentities(
          sim.records,
          identityCounts([...all, ...parseStream(last.stdout(), { complete: false })]),
        ).missing === 0,
      180_000,
      'every record after the kills',
    );
    all.push(...(await stopCollector(last)));

    // Most kills must land mid-stream, or the test would prove nothing.
    expect(killedMidStream).toBeGreaterThan(KILLS / 2);
    expect(compareIdentities(sim.records, identityCounts(all))).toEqual({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
    });
  }, 300_000);
});
