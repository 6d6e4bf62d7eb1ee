/**
 * One collector test session: a moto server, a temp folder, and helpers to run the built launcher
 * against moto until a condition holds, then stop it as splunkd does (SIGTERM).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMoto, type MotoServer } from '../../support/moto';
import { logsClient, TEST_CREDENTIALS } from '../../support/logsClient';
import {
  parseStream,
  startCollector,
  waitFor,
  type CollectorRun,
  type InputOptions,
  type StreamEvent,
} from './collectorProcess';

/** Default credential chain of the collector process: environment variables, as on a real host. */
export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
};

export interface TestSession {
  moto: MotoServer;
  dir: string;
  client: ReturnType<typeof logsClient>;
  /** Starts the launcher; every collector still running when the session closes is killed. */
  start(options: InputOptions, runId: string, env?: Record<string, string>): CollectorRun;
  close(): Promise<void>;
}

export async function openSession(): Promise<TestSession> {
  const moto = await startMoto();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-'));
  const runs: CollectorRun[] = [];
  return {
    moto,
    dir,
    client: logsClient(moto.endpoint),
    start: (options, runId, env) => {
      const run = startCollector(options, dir, runId, env);
      runs.push(run);
      return run;
    },
    close: async () => {
      for (const run of runs) {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
        await run.exited;
      }
      await moto.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Counts complete events in a run's output so far, cheaply (no parse). */
export function eventCount(run: CollectorRun): number {
  const text = run.stdout();
  let n = 0;
  for (let i = text.indexOf('</event>'); i >= 0; i = text.indexOf('</event>', i + 1)) n++;
  return n;
}

/** Events of the run so far, whole events only. */
export function eventsSoFar(run: CollectorRun): StreamEvent[] {
  return parseStream(run.stdout(), { complete: false });
}

/** SIGTERM, as splunkd sends when an input is disabled or splunkd stops; returns the full stream. */
export async function stopCollector(run: CollectorRun): Promise<StreamEvent[]> {
  run.child.kill('SIGTERM');
  const { code, signal } = await run.exited;
  if (code !== 0) {
    throw new Error(
      `collector exited with code ${code} signal ${signal}:\n${run.stderr().slice(-4000)}`,
    );
  }
  const text = run.stdout();
  if (!text.trimEnd().endsWith('</stream>')) throw new Error('stream not closed with </stream>');
  return parseStream(text);
}

export function input(
  session: TestSession,
  name: string,
  params: Record<string, string>,
  checkpointDir = path.join(session.dir, 'checkpoints'),
): InputOptions {
  return {
    name,
    checkpointDir,
    params: {
      regions: 'us-east-1',
      endpoint_url: session.moto.endpoint,
      poll_interval: '1',
      ...params,
    },
  };
}

export { startCollector, waitFor };
