/**
 * AWS credentials for one configured account: a static key pair or the AWS default chain
 * (environment, shared files, SSO, web identity, container and instance roles), optionally followed
 * by assume-role. The SDK client memoizes the provider and asks again 5 minutes before the
 * credentials expire, so assumed-role sessions are refreshed before they lapse.
 */

import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from '../collector/ports';

/** What this module needs of an account (src/splunkd's `Account` has this shape). */
export interface AwsAccountSettings {
  readonly name: string;
  readonly authType: 'access_key' | 'default_chain';
  readonly accessKeyId?: string;
  /** Wrapped so printing it shows `[redacted]`; revealed only when the SDK asks for credentials. */
  readonly secretAccessKey?: { reveal(): string };
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly roleSessionName: string;
  readonly endpointUrl?: string;
  readonly httpsProxy?: string;
}

export interface CredentialsOptions {
  region: string;
  /** The same handler (proxy, timeouts) as the Logs client, for STS calls. */
  requestHandler: NodeHttpHandler;
  /** STS endpoint override (VPC endpoint, tests); default: the regional STS endpoint. */
  stsEndpointUrl?: string;
  maxAttempts: number;
  logger: Logger;
}

/** One hour: STS's default session length, allowed by every role's maximum. */
export const ASSUME_ROLE_DURATION_SECONDS = 3600;

function baseCredentials(
  account: AwsAccountSettings,
  options: CredentialsOptions,
): AwsCredentialIdentityProvider {
  if (account.authType === 'access_key') {
    const { accessKeyId, secretAccessKey } = account;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        `account "${account.name}" uses an access key pair but its key id or secret is missing: enter them on the setup page`,
      );
    }
    return async () => ({ accessKeyId, secretAccessKey: secretAccessKey.reveal() });
  }
  // clientConfig reaches the STS/SSO clients of web identity and profile role chains, so they use
  // the proxy too; instance and container metadata stay direct (link-local, never proxied).
  return fromNodeProviderChain({
    clientConfig: { region: options.region, requestHandler: options.requestHandler },
  });
}

export function createCredentials(
  account: AwsAccountSettings,
  options: CredentialsOptions,
): AwsCredentialIdentityProvider {
  const base = baseCredentials(account, options);
  const provider: AwsCredentialIdentityProvider = account.roleArn
    ? fromTemporaryCredentials({
        masterCredentials: base,
        params: {
          RoleArn: account.roleArn,
          RoleSessionName: account.roleSessionName,
          ...(account.externalId ? { ExternalId: account.externalId } : {}),
          DurationSeconds: ASSUME_ROLE_DURATION_SECONDS,
        },
        clientConfig: {
          region: options.region,
          requestHandler: options.requestHandler,
          maxAttempts: options.maxAttempts,
          ...(options.stsEndpointUrl ? { endpoint: options.stsEndpointUrl } : {}),
        },
      })
    : base;
  const source = `${account.authType}${account.roleArn ? '+assume_role' : ''}`;
  return async (identityProperties?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
    try {
      const credentials = await provider(identityProperties);
      options.logger.log('INFO', 'aws credentials obtained', {
        account: account.name,
        source,
        role_arn: account.roleArn,
        expires: credentials.expiration?.toISOString(),
      });
      return credentials;
    } catch (err) {
      options.logger.log('ERROR', 'aws credentials unavailable', {
        account: account.name,
        source,
        role_arn: account.roleArn,
        error: (err as Error)?.name,
      });
      throw err;
    }
  };
}
