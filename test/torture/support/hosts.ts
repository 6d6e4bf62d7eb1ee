/**
 * Two (or more) Splunk hosts running the same input on one shared KV store, as members of a search
 * head cluster do: each host is the built launcher with its own `server_host` and checkpoint
 * folder, started as splunkd starts it (stdout a pipe drained like splunkd), against the KV store
 * double (test/splunkd/fakeKvStore.ts) reporting a search head cluster member, so
 * `checkpoint_store = auto` chooses the KV store. Every process gets its own session key, so the
 * double's write log names the process (`host-a#3`) behind each write.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStream, type StreamEvent } from '../../collector/support/collectorProcess';
import { startFakeKvSplunkd, type FakeKvSplunkd } from '../../splunkd/fakeKvStore';
import { openTorture, startPiped, type PipedRun, type TortureSession } from './torture';

/** Streams read at the same time (src/collector/run.ts) and records per slice (streamPoller.ts). */
const PARALLEL_STREAMS = 4;
const SLICE_SIZE = 500;
const CAPACITY_LINE = /stdout capacity: .* capacity_bytes=(\d+)/;

/**
 * The bound RELIABILITY.md states for what one run can leave written but not checkpointed (what a
 * `kill -9` makes the next run write again): what its stdout could hold unread, in records of the
 * smallest size written, plus one slice per stream read at the same time.
 */
export function uncommittedBound(runs: readonly HostRun[]): number {
  let capacity = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const { run } of runs) {
    capacity = Math.max(capacity, Number(CAPACITY_LINE.exec(run.stderr())?.[1] ?? 0));
    for (const m of run.stdout().matchAll(/<event [\s\S]*?<\/event>/g))
      if (m[0].includes('<sourcetype>aws:')) smallest = Math.min(smallest, Buffer.byteLength(m[0]));
  }
  if (capacity === 0 || !Number.isFinite(smallest))
    throw new Error('no run reported its stdout capacity and wrote a record');
  return Math.ceil(capacity / smallest) + PARALLEL_STREAMS * SLICE_SIZE;
}

export interface HostRun {
  host: string;
  /** The process as the KV store's write log names it. */
  writer: string;
  run: PipedRun;
  /** Whether the process says it holds the lease. */
  holds(): boolean;
  /** Whether the process says it waits for the lease. */
  waits(): boolean;
  exited(): boolean;
  events(): StreamEvent[];
}

export interface KvTorture {
  t: TortureSession;
  kv: FakeKvSplunkd;
  /** Starts `host`'s next process of the input (or of input `name`). */
  start(host: string, options?: { params?: Record<string, string>; name?: string }): HostRun;
  close(): Promise<void>;
}

export async function openKvTorture(
  name: string,
  leaseSeconds: number,
  params: Record<string, string>,
  /** What server/info says the hosts are: a search head cluster member unless told. */
  serverRoles: readonly string[] = ['search_head', 'shc_member', 'kv_store'],
): Promise<KvTorture> {
  const t = await openTorture(name);
  const keys: Record<string, string> = {};
  const kv = await startFakeKvSplunkd({
    sessionKeys: keys,
    serverRoles,
  });
  let runs = 0;
  return {
    t,
    kv,
    start: (host, { params: extra = {}, name: inputName } = {}) => {
      const writer = `${host}#${++runs}`;
      const sessionKey = `session-${host}-${runs}-0123456789`;
      keys[sessionKey] = writer;
      const checkpointDir = path.join(t.dir, `${host}-checkpoints`);
      fs.mkdirSync(checkpointDir, { recursive: true });
      const run = startPiped(
        {
          ...t.input({ ...params, ...extra }, undefined, checkpointDir),
          ...(inputName ? { name: inputName } : {}),
          serverUri: kv.uri,
          sessionKey,
          serverHost: host,
        },
        t.dir,
        `${writer.replace('#', '-')}`,
        { CLOUDHSM_AUDIT_LEASE_SECONDS: String(leaseSeconds) },
      );
      const stderr = () => (fs.existsSync(run.stderrFile) ? run.stderr() : '');
      return {
        host,
        writer,
        run,
        holds: () => /^INFO input lease acquired/m.test(stderr()),
        waits: () => /^WARN another copy of this input holds its lease: waiting/m.test(stderr()),
        exited: () => run.child.exitCode !== null || run.child.signalCode !== null,
        events: () => parseStream(run.stdout(), { complete: false }),
      };
    },
    close: async () => {
      await kv.close();
      await t.close();
    },
  };
}
