/**
 * Starts the CloudWatch Logs emulator (server.ts) in its own Node process and drives it over IPC.
 * Used by the benchmark (scripts/bench/main.ts) and the torture tests (test/torture/).
 *
 *   const emu = await startEmulator();
 *   await emu.generate({ seed: 'x', clusters: 4, hsms: 4, records: 250_000, endTime });
 *   collector endpoint_url = emu.endpoint
 *   await emu.stop();
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { SimulationOptions } from '../../../src/simulator';
import type { ReadRequest } from './server';

const REGISTER = path.resolve(__dirname, '../register.cjs');
const SERVER = path.resolve(__dirname, 'server.ts');

export interface PutRecord {
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  message?: string;
  /** Raw bytes (may be invalid UTF-8), served as they are. */
  messageBase64?: string;
}

/** Counters since the start or the last reset: what the collector cost the "AWS" side. */
export interface EmulatorStats {
  /** Requests by operation (GetLogEvents, DescribeLogStreams …), errors included. */
  requests: Record<string, number>;
  /** Response body bytes, all operations. */
  bytesServed: number;
  bytesByOperation: Record<string, number>;
  /** Events in the GetLogEvents pages served. */
  eventsServed: number;
  /** Of which were served before: re-reads. */
  eventsServedAgain: number;
  rssBytes: number;
}

export interface Emulator {
  readonly endpoint: string;
  readonly pid: number;
  /** Generates in the emulator process; `copies` repeats the set under other names. */
  generate(
    options: SimulationOptions,
    copies?: number,
  ): Promise<{ records: number; streams: number; clusters: number }>;
  /** Appends records; resolves with the ingestion time the emulator stamped on them. */
  put(records: readonly PutRecord[]): Promise<{ ingestionTime: number }>;
  warm(startTime: number): Promise<{ pages: number }>;
  setPageBytes(value: number): Promise<void>;
  /** Makes DescribeLogStreams' lastIngestionTime and lastEventTimestamp stand still (or move again). */
  freezeHints(frozen: boolean): Promise<void>;
  /** The GetLogEvents requests since the last call (stream, time range, token), oldest first. */
  takeReadLog(): Promise<ReadRequest[]>;
  stats(): Promise<EmulatorStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulator(): Promise<Emulator> {
  const child: ChildProcess = fork(SERVER, [], {
    execArgv: ['-r', REGISTER, '--max-old-space-size=6144'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`emulator exited with ${code} before listening`)),
    );
    child.on(
      'message',
      (msg: { ready?: number; id?: number; result?: unknown; error?: string }) => {
        if (msg.ready !== undefined) return resolve(msg.ready);
        const p = msg.id === undefined ? undefined : pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id as number);
        if (msg.error) p.reject(new Error(`emulator: ${msg.error}`));
        else p.resolve(msg.result);
      },
    );
  });
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const call = <T>(msg: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...msg });
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    generate: (options, copies) => call({ op: 'generate', options, copies }),
    put: (records) => call({ op: 'put', records }),
    warm: (startTime) => call({ op: 'warm', startTime }),
    setPageBytes: (value) => call({ op: 'pageBytes', value }),
    freezeHints: (frozen) => call({ op: 'freezeHints', frozen }),
    takeReadLog: () => call({ op: 'takeReadLog' }),
    stats: () => call({ op: 'stats' }),
    reset: () => call({ op: 'reset' }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
