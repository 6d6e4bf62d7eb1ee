/**
 * Where an input keeps its state, chosen once at start: the checkpoint store and the runner lock
 * that goes with it. Today: files in splunkd's `checkpoint_dir` with a lock file beside them.
 */
import type {
  Clock,
  CheckpointStore,
  Logger,
  RunnerLock,
  SplunkdSession,
} from '../collector/ports';
import type { InputConfig } from '../config/inputConfig';
import { FileRunnerLock } from './fileLock';
import { FileCheckpointStore } from './fileStore';

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

export async function openStateBackend(ctx: BackendContext): Promise<StateBackend> {
  const { config, session, logger, clock } = ctx;
  const store = new FileCheckpointStore(session.checkpointDir);
  store.ensureDir();
  logger.log('INFO', 'checkpoint store chosen', {
    input: config.name,
    checkpoint_store: store.kind,
    reason: 'files in the checkpoint folder splunkd gives this host',
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
