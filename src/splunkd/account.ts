/**
 * An AWS account as configured in the app: one stanza of `cloudhsm_audit_accounts.conf` (non-secret
 * settings) plus, for a key pair, the secret access key from `storage/passwords`. `parseAccount`
 * turns splunkd's raw stanza content into this type and names the first bad key.
 */

import { httpUrlProblem } from '../config/urls';
import { SplunkdError } from './errors';
import type { Secret } from './secret';

export type AuthType = 'access_key' | 'default_chain';

/** Used when `role_session_name` is empty; shows in CloudTrail as who assumed the role. */
export const DEFAULT_ROLE_SESSION_NAME = 'splunk-cloudhsm-audit';

export interface Account {
  readonly name: string;
  readonly authType: AuthType;
  /** Set when authType is `access_key`. */
  readonly accessKeyId?: string;
  /** Set when authType is `access_key`; printing it shows `[redacted]`. */
  readonly secretAccessKey?: Secret;
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly roleSessionName: string;
  /** CloudWatch Logs endpoint override (VPC or FIPS endpoint, emulator). */
  readonly endpointUrl?: string;
  /** HTTPS proxy URL, never with user info. */
  readonly httpsProxy?: string;
}

// Formats from the IAM and STS API references (AssumeRole parameters, access key ids).
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function invalid(name: string, key: string, problem: string): SplunkdError {
  return new SplunkdError(
    'ACCOUNT_INVALID',
    `account "${name}": ${key} ${problem}: correct it on the setup page (cloudhsm_audit_accounts.conf)`,
  );
}

function text(content: Record<string, unknown>, key: string): string | undefined {
  const value = content[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Builds an Account from a stanza's content; `secret` is required for `access_key` accounts. */
export function parseAccount(
  name: string,
  content: Record<string, unknown>,
  secret?: Secret,
): Account {
  const authType = text(content, 'auth_type');
  if (authType !== 'access_key' && authType !== 'default_chain') {
    throw invalid(
      name,
      'auth_type',
      `must be access_key or default_chain (got "${authType ?? ''}")`,
    );
  }
  const fields: { -readonly [K in keyof Account]: Account[K] } = {
    name,
    authType,
    roleSessionName: text(content, 'role_session_name') ?? DEFAULT_ROLE_SESSION_NAME,
  };
  if (authType === 'access_key') {
    const accessKeyId = text(content, 'access_key_id');
    if (!accessKeyId)
      throw invalid(name, 'access_key_id', 'is required when auth_type = access_key');
    if (!ACCESS_KEY_ID.test(accessKeyId))
      throw invalid(name, 'access_key_id', 'is not an AWS access key id');
    fields.accessKeyId = accessKeyId;
    fields.secretAccessKey = secret;
  }
  const roleArn = text(content, 'role_arn');
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    throw invalid(
      name,
      'role_arn',
      'is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
    );
  }
  const externalId = text(content, 'external_id');
  if (externalId !== undefined && roleArn === undefined)
    throw invalid(name, 'external_id', 'is set without role_arn');
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw invalid(
      name,
      'external_id',
      'must be 2 to 1224 characters of letters, digits and +=,.@:/-_',
    );
  }
  if (!ROLE_SESSION_NAME.test(fields.roleSessionName)) {
    throw invalid(
      name,
      'role_session_name',
      'must be 2 to 64 characters of letters, digits and +=,.@-_',
    );
  }
  if (roleArn !== undefined) fields.roleArn = roleArn;
  if (externalId !== undefined) fields.externalId = externalId;
  for (const [key, field, kind] of [
    ['endpoint_url', 'endpointUrl', 'endpoint'],
    ['https_proxy', 'httpsProxy', 'proxy'],
  ] as const) {
    const value = text(content, key);
    if (value === undefined) continue;
    const problem = httpUrlProblem(value, kind);
    if (problem) throw invalid(name, key, problem);
    fields[field] = value;
  }
  return Object.freeze(fields);
}
