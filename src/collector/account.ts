/**
 * The AWS account an input uses: read from splunkd (its settings and its secret, with the session
 * key splunkd gave the input), or the AWS default credential chain of the host when none is named.
 * Reading it is retried with backoff while splunkd cannot answer; a rejected session key ends the
 * run (splunkd restarts the input with a new one).
 */
import { readAccount, SplunkdError, DEFAULT_ROLE_SESSION_NAME, type Account } from '../splunkd';
import { isAbort } from './errors';
import type { RunContext } from './ports';

const MAX_ACCOUNT_RETRY_MS = 5 * 60_000;

/** The account to use: from splunkd, or the AWS default credential chain when none is named. */
export async function resolveAccount(ctx: RunContext): Promise<Account> {
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
