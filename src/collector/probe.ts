/**
 * The AWS side of `--validate-arguments`: before splunkd saves an input, check that its account
 * can be read and that AWS lets it list the CloudHSM log groups in each region, so a missing
 * permission shows next to the form in Splunk Web instead of in a log after the fact.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createLogsClient } from '../cloudwatch/client';
import { describeError } from '../cloudwatch/errors';
import type { InputConfig } from '../config/inputConfig';
import { DEFAULT_ROLE_SESSION_NAME, readAccount, type Account } from '../splunkd';
import type { Logger, SplunkdSession } from './ports';

/** splunkd waits for the validation process: keep the whole probe short. */
const PROBE_TIMEOUT_MS = 20_000;

/** Resolves with a message naming the argument at fault, or undefined when everything answered. */
export async function probeAccess(
  config: InputConfig,
  session: SplunkdSession,
  logger: Logger,
): Promise<string | undefined> {
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  let account: Account;
  try {
    account =
      config.account === ''
        ? { name: '', authType: 'default_chain', roleSessionName: DEFAULT_ROLE_SESSION_NAME }
        : await readAccount(session, config.account, logger, signal, { retries: 1 });
  } catch (err) {
    return `account: ${(err as Error).message}`;
  }
  for (const region of config.regions) {
    const client = createLogsClient({
      region,
      account,
      endpointUrl: config.endpointUrl,
      httpsProxy: config.httpsProxy,
      logger,
      maxAttempts: 2,
    });
    try {
      await client.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: config.logGroupPrefix, limit: 1 }),
        {
          abortSignal: signal,
        },
      );
    } catch (err) {
      const e = describeError(err);
      const who = account.name ? `account "${account.name}"` : 'the default AWS credentials';
      return `regions: AWS refused logs:DescribeLogGroups in ${region} for ${who}: ${e.message}`;
    } finally {
      client.destroy();
    }
  }
  return undefined;
}
