/**
 * The collector's run: from a validated input configuration to events on the sink, until the
 * signal aborts (SIGTERM), the output fails or the runner lock is lost.
 *
 * Start: the state backend (checkpoint store and runner lock), then the lock — a second copy of
 * the input waits here, reading and writing nothing — then the input's start position.
 * Per region: one CloudWatch Logs client with one request budget (shared by every log group of
 * that account and region in this process), a discovery loop that starts a poller for each
 * CloudHSM log group — clusters created later are picked up without a restart — and the pollers
 * themselves. A failure in one log group never stops the others; an output failure in any ends
 * the run at once, even while discovery sleeps.
 * Stop: pollers end, slices already written are committed as the reader takes them, the lock is
 * released.
 */
import { openStateBackend } from '../checkpoint/backend';
import { ApiStats, attachApiBudget, TokenBucket } from '../cloudwatch/apiBudget';
import { createLogsClient } from '../cloudwatch/client';
import { describeError } from '../cloudwatch/errors';
import { discoverLogGroups, logGroupNameFor } from '../cloudwatch/logGroups';
import type { InputConfig } from '../config/inputConfig';
import type { Account } from '../splunkd';
import { resolveAccount } from './account';
import { sourceFor } from './collectorEvents';
import { Delivery } from './delivery';
import { isAbort, OutputError } from './errors';
import { loadInputState, type InputState } from './inputState';
import { LogGroupPoller } from './logGroupPoller';
import type { CheckpointStore, RunContext } from './ports';
import { Semaphore } from './semaphore';

export type { RunContext };

/** Streams read at the same time across the process: enough to overlap network waits. */
const PARALLEL_STREAMS = 4;
/** Default GetLogEvents/Describe* requests per second per account and region (quota 10–25/s). */
const DEFAULT_REQUESTS_PER_SECOND = 10;
/** The log groups to read in a region: the explicit selection, or discovery under the prefix. */
async function selectLogGroups(
  client: ReturnType<typeof createLogsClient>,
  config: InputConfig,
  signal: AbortSignal,
): Promise<string[]> {
  if (config.clusters.length > 0)
    return config.clusters.map((c) => logGroupNameFor(c, config.logGroupPrefix));
  return discoverLogGroups(client, config.logGroupPrefix, signal);
}

interface RegionShared {
  account: Account;
  store: CheckpointStore;
  delivery: Delivery;
  inputState: InputState;
  streamLimiter: Semaphore;
  /** Ends the whole run with this error (an output failure). */
  fail: (err: unknown) => void;
}

async function runRegion(
  ctx: RunContext,
  region: string,
  shared: RegionShared,
  signal: AbortSignal,
): Promise<void> {
  const { config, logger, clock, sink } = ctx;
  const { account, store, delivery, inputState, streamLimiter } = shared;
  const client = createLogsClient({
    region,
    account,
    endpointUrl: config.endpointUrl,
    httpsProxy: config.httpsProxy,
    logger,
  });
  const rate = config.maxRequestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  const apiStats = new ApiStats();
  attachApiBudget(client, new TokenBucket(rate, rate), apiStats);

  const pollers = new Map<string, Promise<void>>();
  const startPoller = (logGroup: string) => {
    // The first poller of the region also reports the region's discovery requests.
    const poller = new LogGroupPoller({
      client,
      config,
      inputState,
      origin: {
        input: config.name,
        region,
        logGroup,
        source: sourceFor(region, logGroup),
        index: config.index,
      },
      store,
      sink,
      delivery,
      logger,
      clock,
      apiStats,
      streamLimiter,
      budgetPerSecond: rate,
      reportsRegionCalls: pollers.size === 0,
    });
    logger.log('INFO', 'reading log group', { input: config.name, region, log_group: logGroup });
    // Handled at once: an output failure must end the run even while discovery sleeps.
    pollers.set(
      logGroup,
      poller.run(signal).catch((err: unknown) => {
        if (!isAbort(err, signal) || err instanceof OutputError) shared.fail(err);
      }),
    );
  };

  try {
    while (!signal.aborted) {
      try {
        const groups = await selectLogGroups(client, config, signal);
        for (const group of groups) if (!pollers.has(group)) startPoller(group);
        if (groups.length === 0) {
          logger.log('WARN', 'no CloudHSM log group found: will look again', {
            input: config.name,
            region,
            prefix: config.logGroupPrefix,
          });
        }
      } catch (err) {
        if (isAbort(err, signal)) break;
        const e = describeError(err);
        logger.log('ERROR', `log group discovery failed, will retry: ${e.message}`, {
          input: config.name,
          region,
          error_code: e.code,
        });
      }
      // An explicit selection is fixed: no rediscovery, just wait for the pollers.
      if (config.clusters.length > 0) break;
      try {
        await clock.sleep(config.discoveryIntervalSeconds * 1000, signal);
      } catch (err) {
        if (isAbort(err, signal)) break;
        throw err;
      }
    }
  } finally {
    await Promise.all(pollers.values());
  }
}

export async function runInput(ctx: RunContext): Promise<void> {
  const { config, session, logger, clock } = ctx;
  if (ctx.signal.aborted) return;
  const backend = await openStateBackend({ config, session, logger, clock, signal: ctx.signal });
  let held;
  try {
    held = await backend.lock.acquire(ctx.signal);
  } catch (err) {
    if (isAbort(err, ctx.signal)) return;
    throw err;
  }
  try {
    await backend.afterAcquire(clock.nowMs());
    await collect(ctx, backend.store, held.lost);
  } finally {
    await held.release();
  }
}

async function collect(
  ctx: RunContext,
  store: CheckpointStore,
  lockLost: AbortSignal,
): Promise<void> {
  const { config, logger, clock, sink } = ctx;
  // One controller for the whole run: SIGTERM, a lost lock, or a fatal error in any region
  // stops everything.
  const run = new AbortController();
  const onAbort = () => run.abort(ctx.signal.reason);
  const onLost = () => run.abort(lockLost.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  lockLost.addEventListener('abort', onLost, { once: true });
  let fatal: unknown;
  const fail = (err: unknown) => {
    fatal ??= err;
    run.abort(err);
  };
  const delivery = new Delivery(sink, logger, clock, lockLost);
  try {
    const inputState = await loadInputState(store, config, clock.nowMs(), logger);
    const account = await resolveAccount({ ...ctx, signal: run.signal });
    logStart(ctx, account);
    const shared = {
      account,
      store,
      delivery,
      inputState,
      streamLimiter: new Semaphore(PARALLEL_STREAMS),
      fail,
    };
    await Promise.all(
      config.regions.map((region) =>
        runRegion(ctx, region, shared, run.signal).catch((err: unknown) => {
          if (!isAbort(err, run.signal) || err instanceof OutputError) fail(err);
        }),
      ),
    );
  } catch (err) {
    if (!isAbort(err, run.signal)) fatal ??= err;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    lockLost.removeEventListener('abort', onLost);
  }
  if (lockLost.aborted) fatal ??= lockLost.reason;
  // Slices written before the stop are committed as the reader takes them (unless the output
  // broke or the lock was lost: then a restart reads them again).
  if (fatal) await delivery.abandon();
  else await delivery.drain();
  if (fatal) throw fatal;
  logger.log('INFO', 'collector stopped', {
    input: config.name,
    checkpoint_commits_total: delivery.commitsTotal,
  });
}

function logStart(ctx: RunContext, account: Account): void {
  const { config, logger } = ctx;
  logger.log('INFO', 'collector started', {
    input: config.name,
    account: account.name || '(default credential chain)',
    auth_type: account.authType,
    assume_role: account.roleArn !== undefined,
    regions: config.regions.join(','),
    log_groups:
      config.clusters.length > 0 ? config.clusters.join(',') : `discover ${config.logGroupPrefix}*`,
    poll_interval: config.pollIntervalSeconds,
    full_read_interval: config.fullReadIntervalSeconds,
  });
}
