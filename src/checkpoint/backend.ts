/**
 * Where an input keeps its state, chosen once at start and logged once with the reason: the
 * checkpoint store and the runner lock that goes with it.
 *
 * - `file`: files in splunkd's `checkpoint_dir`, a lock file beside them (one runner per host).
 * - `kvstore`: records in Splunk's KV store and a lease there (one runner across hosts); on its
 *   first run on a host the input imports that host's file checkpoints (migrate.ts).
 * - `auto` (the default): `kvstore` on a search head cluster member or a Splunk Cloud search head,
 *   where splunkd may run the input on another member next time; `file` elsewhere, and when
 *   splunkd cannot say what this host is (with a WARN that says so).
 */
import type {
  Clock,
  CheckpointStore,
  Logger,
  RunnerLock,
  SplunkdSession,
} from '../collector/ports';
import type { InputConfig } from '../config/inputConfig';
import { KvCollection } from '../splunkd/kvCollection';
import { detectDeployment } from './deployment';
import { FileRunnerLock } from './fileLock';
import { FileCheckpointStore } from './fileStore';
import { KvRunnerLock, LEASE_COLLECTION, LeaseLostError } from './kvLease';
import { leaseSecondsFrom, leaseTiming } from './leaseTiming';
import { CHECKPOINT_COLLECTION, KvCheckpointStore } from './kvStore';
import { importFileCheckpoints } from './migrate';

export interface StateBackend {
  store: CheckpointStore;
  lock: RunnerLock;
  /** Tidies what an earlier process of this input left half-written; called once the lock is held. */
  afterAcquire(nowMs: number): Promise<void>;
}

export interface BackendContext {
  config: InputConfig;
  session: SplunkdSession;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

/** KV store requests: one quick retry; the collector and the lease retry longer themselves. */
const KV_REST = { retries: 1, minBackoffMs: 250, maxBackoffMs: 1_000, requestTimeoutMs: 10_000 };

async function chooseStore(
  ctx: BackendContext,
): Promise<{ kind: 'file' | 'kvstore'; reason: string; level: 'INFO' | 'WARN' }> {
  const { config, session, logger, signal } = ctx;
  if (config.checkpointStore !== 'auto')
    return {
      kind: config.checkpointStore,
      reason: `checkpoint_store = ${config.checkpointStore}`,
      level: 'INFO',
    };
  const deployment = await detectDeployment(session, logger, signal);
  switch (deployment.kind) {
    case 'shc_member':
      return {
        kind: 'kvstore',
        level: 'INFO',
        reason: `auto: this host is a search head cluster member (${deployment.evidence})`,
      };
    case 'cloud':
      return {
        kind: 'kvstore',
        level: 'INFO',
        reason: `auto: this host is Splunk Cloud (${deployment.evidence})`,
      };
    case 'other':
      return {
        kind: 'file',
        level: 'INFO',
        reason: `auto: not a search head cluster member or Splunk Cloud (${deployment.evidence})`,
      };
    case 'unknown':
      return {
        kind: 'file',
        level: 'WARN',
        reason: `auto: splunkd could not say what this host is (${deployment.problem}); on a search head cluster member set checkpoint_store = kvstore`,
      };
  }
}

export async function openStateBackend(ctx: BackendContext): Promise<StateBackend> {
  const choice = await chooseStore(ctx);
  return choice.kind === 'kvstore' ? openKvBackend(ctx, choice) : openFileBackend(ctx, choice);
}

function openFileBackend(
  ctx: BackendContext,
  choice: { reason: string; level: 'INFO' | 'WARN' },
): StateBackend {
  const { config, session, logger, clock } = ctx;
  const store = new FileCheckpointStore(session.checkpointDir);
  store.ensureDir();
  logger.log(choice.level, 'checkpoint store chosen', {
    input: config.name,
    checkpoint_store: store.kind,
    reason: choice.reason,
    checkpoint_dir: session.checkpointDir,
  });
  return {
    store,
    lock: new FileRunnerLock(session.checkpointDir, config.name, logger, clock),
    afterAcquire: async (nowMs) => {
      const removed = store.removeStaleTemps(nowMs);
      if (removed > 0)
        logger.log('INFO', 'removed temporary checkpoint files of processes that are gone', {
          input: config.name,
          removed,
        });
    },
  };
}

function openKvBackend(
  ctx: BackendContext,
  choice: { reason: string; level: 'INFO' | 'WARN' },
): StateBackend {
  const { config, session, logger, clock, signal } = ctx;
  const timing = leaseTiming(leaseSecondsFrom(process.env));
  // Two clients, two connection pools: a slow checkpoint save never delays a lease renewal.
  const leases = new KvCollection(session, logger, LEASE_COLLECTION, KV_REST);
  const checkpoints = new KvCollection(session, logger, CHECKPOINT_COLLECTION, KV_REST);
  const kvLock = new KvRunnerLock(leases, config.name, session, logger, clock, timing);
  const store = new KvCheckpointStore(checkpoints, config.name, kvLock.guard);
  const lock: RunnerLock = {
    acquire: async (acquireSignal) => {
      const held = await kvLock.acquire(acquireSignal);
      return {
        lost: held.lost,
        release: async () => {
          await held.release();
          leases.close();
          checkpoints.close();
        },
      };
    },
  };
  logger.log(choice.level, 'checkpoint store chosen', {
    input: config.name,
    checkpoint_store: store.kind,
    reason: choice.reason,
    collection: CHECKPOINT_COLLECTION,
    lease_seconds: timing.ttlMs / 1000,
    server_host: session.serverHost,
  });
  return {
    store,
    lock,
    afterAcquire: async (nowMs) => {
      // The lease is held: this process alone reads and writes the input's records from here.
      for (let attempt = 1; ; attempt++) {
        try {
          const found = await store.preload(signal);
          await importFileCheckpoints({
            dir: session.checkpointDir,
            input: config.name,
            serverHost: session.serverHost,
            target: store,
            logger,
            nowMs,
          });
          logger.log('INFO', 'checkpoints read from the KV store', {
            input: config.name,
            checkpoints: found,
          });
          return;
        } catch (err) {
          if (signal.aborted || err instanceof LeaseLostError) throw err;
          const waitMs = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
          logger.log('ERROR', 'cannot read checkpoints from the KV store, will retry', {
            input: config.name,
            error: (err as Error).message,
            retry_in_seconds: Math.round(waitMs / 1000),
          });
          await clock.sleep(waitMs, signal);
        }
      }
    },
  };
}
