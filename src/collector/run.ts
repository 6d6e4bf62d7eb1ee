/**
 * The collector's run: from a validated input configuration to events on the sink, until the
 * signal aborts (SIGTERM) or the output fails.
 *
 * Per region: one CloudWatch Logs client with one request budget (shared by every log group of
 * that account and region in this process), a discovery loop that starts a poller for each
 * CloudHSM log group — clusters created later are picked up without a restart — and the pollers
 * themselves. A failure in one log group never stops the others.
 */
import { CheckpointStore } from '../checkpoint/store';
import { ApiStats, attachApiBudget, TokenBucket } from '../cloudwatch/apiBudget';
import { createLogsClient } from '../cloudwatch/client';
import { describeError } from '../cloudwatch/errors';
import { discoverLogGroups, logGroupNameFor } from '../cloudwatch/logGroups';
import type { InputConfig } from '../config/inputConfig';
import { readAccount, SplunkdError, DEFAULT_ROLE_SESSION_NAME, type Account } from '../splunkd';
import { sourceFor } from './collectorEvents';
import { isAbort, OutputError } from './errors';
import { loadInputState, type InputState } from './inputState';
import { LogGroupPoller } from './logGroupPoller';
import type { RunContext } from './ports';
import { Semaphore } from './semaphore';
import { STREAM_STATE_VERSION } from './streamTracker';

export type { RunContext };

/** Streams read at the same time across the process: enough to overlap network waits. */
const PARALLEL_STREAMS = 4;
/** Default GetLogEvents/Describe* requests per second per account and region (quota 10–25/s). */
const DEFAULT_REQUESTS_PER_SECOND = 10;
const MAX_ACCOUNT_RETRY_MS = 5 * 60_000;

/** The account to use: from splunkd, or the AWS default credential chain when none is named. */
async function resolveAccount(ctx: RunContext): Promise<Account> {
  const { config, session, logger, clock, signal } = ctx;
  if (config.account === '') {
    return { name: '', authType: 'default_chain', roleSessionName: DEFAULT_ROLE_SESSION_NAME };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await readAccount(session, config.account, logger, signal);
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      // A rejected session key will not get better in this process: end, splunkd restarts us.
      if (err instanceof SplunkdError && err.code === 'SESSION_REJECTED') throw err;
      const waitMs = Math.min(MAX_ACCOUNT_RETRY_MS, 5_000 * 2 ** Math.min(attempt, 6));
      logger.log('ERROR', `cannot read the account, will retry: ${(err as Error).message}`, {
        input: config.name,
        account: config.account,
        retry_in_seconds: Math.round(waitMs / 1000),
      });
      await clock.sleep(waitMs, signal);
    }
  }
}

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

async function runRegion(
  ctx: RunContext,
  region: string,
  account: Account,
  store: CheckpointStore,
  inputState: InputState,
  streamLimiter: Semaphore,
  signal: AbortSignal,
): Promise<void> {
  const { config, logger, clock, sink } = ctx;
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
      logger,
      clock,
      apiStats,
      streamLimiter,
    });
    logger.log('INFO', 'reading log group', { input: config.name, region, log_group: logGroup });
    pollers.set(logGroup, poller.run(signal));
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
  // One controller for the whole run: SIGTERM, or a fatal error in any region, stops everything.
  const run = new AbortController();
  const onAbort = () => run.abort(ctx.signal.reason);
  if (ctx.signal.aborted) return;
  ctx.signal.addEventListener('abort', onAbort, { once: true });

  const store = new CheckpointStore(session.checkpointDir, STREAM_STATE_VERSION);
  store.ensureDir();
  const inputState = loadInputState(store, config, clock.nowMs(), logger);
  let account: Account;
  try {
    account = await resolveAccount({ ...ctx, signal: run.signal });
  } catch (err) {
    if (isAbort(err, run.signal)) return;
    throw err;
  }
  logger.log('INFO', 'collector started', {
    input: config.name,
    account: account.name || '(default credential chain)',
    auth_type: account.authType,
    assume_role: account.roleArn !== undefined,
    regions: config.regions.join(','),
    log_groups:
      config.clusters.length > 0 ? config.clusters.join(',') : `discover ${config.logGroupPrefix}*`,
    poll_interval: config.pollIntervalSeconds,
  });

  const limiter = new Semaphore(PARALLEL_STREAMS);
  let fatal: unknown;
  await Promise.all(
    config.regions.map((region) =>
      runRegion(ctx, region, account, store, inputState, limiter, run.signal).catch((err) => {
        if (isAbort(err, run.signal) && !(err instanceof OutputError)) return;
        fatal ??= err;
        run.abort(err);
      }),
    ),
  );
  ctx.signal.removeEventListener('abort', onAbort);
  if (fatal) throw fatal;
  logger.log('INFO', 'collector stopped', { input: config.name });
}
