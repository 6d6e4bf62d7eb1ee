/**
 * A CloudWatch Logs client for tests: the real AWS SDK v3 talking HTTP to a local endpoint (moto,
 * or the fault proxy in front of it) with dummy credentials, which moto accepts whatever they are.
 */
import {
  CloudWatchLogsClient,
  type CloudWatchLogsClientConfig,
} from '@aws-sdk/client-cloudwatch-logs';

export const TEST_REGION = 'us-east-1';

/** Dummy credentials; moto checks no signature. Never a real key. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDTESTTESTTEST',
  secretAccessKey: 'test-secret-not-real',
};

export function logsClient(
  endpoint: string,
  options: Partial<CloudWatchLogsClientConfig> = {},
): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    ...options,
  });
}
