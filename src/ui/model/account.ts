/**
 * AWS accounts as the collector reads them: a stanza of `cloudhsm_audit_accounts.conf` per account
 * (never the secret), and for access keys a `storage/passwords` entry with realm `cloudhsm_audit`
 * and user name = account name. This module maps the account form to conf keys and checks it.
 */

import { parseHttpUrl } from '../../config/values';

export const SECRET_REALM = 'cloudhsm_audit';
export const DEFAULT_ROLE_SESSION_NAME = 'splunk-cloudhsm-audit';

export type AuthType = 'access_key' | 'default_chain';

/** The non-secret settings, exactly the conf keys the collector reads. */
export interface AccountSettings {
  auth_type: AuthType;
  access_key_id: string;
  role_arn: string;
  external_id: string;
  role_session_name: string;
  endpoint_url: string;
  https_proxy: string;
}

export const ACCOUNT_KEYS = [
  'auth_type',
  'access_key_id',
  'role_arn',
  'external_id',
  'role_session_name',
  'endpoint_url',
  'https_proxy',
] as const satisfies readonly (keyof AccountSettings)[];

export interface Account extends AccountSettings {
  name: string;
}

/** What the account form edits: the settings, plus a new secret when one was typed. */
export interface AccountDraft extends Account {
  /** Empty means "keep the stored secret" (or none given yet). Never filled from splunkd. */
  secret: string;
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** Account names become conf stanzas and the password entry's user name, whose id uses `:`. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export function emptyAccount(): AccountDraft {
  return {
    name: '',
    auth_type: 'access_key',
    access_key_id: '',
    role_arn: '',
    external_id: '',
    role_session_name: '',
    endpoint_url: '',
    https_proxy: '',
    secret: '',
  };
}

export function accountFromConf(name: string, content: Partial<Record<string, unknown>>): Account {
  const text = (key: string) => (typeof content[key] === 'string' ? (content[key] as string) : '');
  return {
    name,
    auth_type: text('auth_type') === 'default_chain' ? 'default_chain' : 'access_key',
    access_key_id: text('access_key_id'),
    role_arn: text('role_arn'),
    external_id: text('external_id'),
    role_session_name: text('role_session_name'),
    endpoint_url: text('endpoint_url'),
    https_proxy: text('https_proxy'),
  };
}

/** The conf keys to post. A default-chain account keeps no access key id. */
export function accountConfFields(account: Account): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of ACCOUNT_KEYS) fields[key] = account[key].trim();
  if (account.auth_type === 'default_chain') fields.access_key_id = '';
  return fields;
}

/**
 * Checks the form. `secretStored` says whether splunkd already holds a secret for this account, so
 * an edit may leave the secret field empty.
 */
export function validateAccount(
  draft: AccountDraft,
  options: { isNew: boolean; secretStored: boolean; existingNames: readonly string[] },
): FieldErrors<keyof AccountDraft> {
  const errors: FieldErrors<keyof AccountDraft> = {};
  const name = draft.name.trim();
  if (options.isNew) {
    if (!name) errors.name = 'Enter a name for this account.';
    else if (!NAME_PATTERN.test(name)) errors.name = 'Use only letters, digits, "_", "-" and ".".';
    else if (name === 'default')
      errors.name = '"default" is reserved by Splunk: choose another name.';
    else if (options.existingNames.includes(name))
      errors.name = `An account named "${name}" already exists.`;
  }
  if (draft.auth_type === 'access_key') {
    const keyId = draft.access_key_id.trim();
    if (!keyId) errors.access_key_id = 'Enter the access key ID (it starts with AKIA).';
    else if (!/^[A-Z0-9]{16,128}$/.test(keyId))
      errors.access_key_id = 'An access key ID has 16 to 128 capital letters and digits.';
    if (!draft.secret && !options.secretStored) errors.secret = 'Enter the secret access key.';
    else if (draft.secret && draft.secret.trim() !== draft.secret)
      errors.secret = 'The secret access key cannot start or end with a space.';
  }
  const role = draft.role_arn.trim();
  if (role && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role))
    errors.role_arn = 'A role ARN looks like arn:aws:iam::123456789012:role/CloudHSMAuditReader.';
  if (!role && draft.external_id.trim())
    errors.external_id = 'An external ID is only used with a role to assume.';
  const session = draft.role_session_name.trim();
  if (session && !/^[\w+=,.@-]{2,64}$/.test(session))
    errors.role_session_name = 'A session name has 2 to 64 letters, digits or +=,.@_- characters.';
  const endpointError = urlError(
    draft.endpoint_url,
    'Remove the user name and password from the endpoint URL',
  );
  if (endpointError) errors.endpoint_url = endpointError;
  const proxyError = urlError(
    draft.https_proxy,
    'Remove the user name and password from the proxy URL: conf files are not encrypted',
  );
  if (proxyError) errors.https_proxy = proxyError;
  return errors;
}

/**
 * An optional http(s) URL without user name or password, checked as the collector checks URLs
 * (src/config/values.ts): this conf file is not encrypted.
 */
function urlError(value: string, credentialsMessage: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const parsed = parseHttpUrl(text, credentialsMessage);
  if (parsed.ok) return undefined;
  const message = parsed.message.charAt(0).toUpperCase() + parsed.message.slice(1);
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
