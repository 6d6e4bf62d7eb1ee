/**
 * The splunkd resources the setup page manages, on top of `call`:
 * accounts (`configs/conf-cloudhsm_audit_accounts`), their secrets (`storage/passwords`, written
 * only, never read back), inputs (`data/inputs/cloudhsm_audit`), indexes, the user's capabilities
 * and the app's `configured` flag.
 */
import { call, restUrl, segment, SplunkdError, type Feed } from './splunkd';
import { accountConfFields, accountFromConf, SECRET_REALM, type Account } from '../model/account';
import { inputArgs, inputFromEntry, type InputDraft, type InputSummary } from '../model/input';
import type { CurrentUser } from '../model/permissions';

const ACCOUNTS_CONF = 'configs/conf-cloudhsm_audit_accounts';
const INPUTS = 'data/inputs/cloudhsm_audit';
const PASSWORDS = 'storage/passwords';

/** Every entity, not splunkd's first 30. */
const ALL = { count: '0' };

function entries<C>(feed: Feed<C> | null) {
  return feed?.entry ?? [];
}

export async function currentUser(): Promise<CurrentUser> {
  const feed = await call<Feed<Partial<CurrentUser>>>(
    'GET',
    restUrl('authentication/current-context', 'global'),
    'Reading your Splunk roles',
  );
  const content = entries(feed)[0]?.content ?? {};
  return {
    username: content.username ?? '',
    roles: content.roles ?? [],
    capabilities: content.capabilities ?? [],
  };
}

export async function listAccounts(): Promise<Account[]> {
  const feed = await call<Feed<Record<string, unknown>>>(
    'GET',
    restUrl(ACCOUNTS_CONF, 'app', ALL),
    'Listing AWS accounts',
  );
  return entries(feed)
    .filter((entry) => entry.name !== 'default')
    .map((entry) => accountFromConf(entry.name, entry.content))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Names of the accounts that have a secret in storage/passwords. Asks splunkd for the `username`
 * and `realm` fields only (`f=`), and keeps nothing else should a splunkd ignore `f`: no stored
 * secret reaches the page's state or its DOM.
 */
export async function listSecretNames(): Promise<string[]> {
  const url = restUrl(PASSWORDS, 'app', {
    ...ALL,
    search: `realm=${SECRET_REALM}`,
    f: ['username', 'realm'],
  });
  const feed = await call<Feed<{ username?: unknown; realm?: unknown }>>(
    'GET',
    url,
    'Checking stored secrets',
  );
  return entries(feed)
    .filter(
      (entry) => entry.content.realm === SECRET_REALM && typeof entry.content.username === 'string',
    )
    .map((entry) => entry.content.username as string);
}

function secretUrl(account: string): string {
  return restUrl(`${PASSWORDS}/${segment(SECRET_REALM)}:${segment(account)}:`);
}

/**
 * Stores an account's secret access key, or replaces the one `stored` says exists. This is the only
 * request that carries a secret.
 */
export async function storeSecret(account: string, secret: string, stored: boolean): Promise<void> {
  const action = `Storing the secret access key of account "${account}"`;
  const create = () =>
    call('POST', restUrl(PASSWORDS), action, {
      name: account,
      password: secret,
      realm: SECRET_REALM,
    });
  const update = () => call('POST', secretUrl(account), action, { password: secret });
  // Either guess can be out of date (another admin, an entry left from an earlier account of the
  // same name): splunkd answers 409 to a create that exists and 404 to an update that does not.
  const [first, second, retryOn] = stored ? [update, create, 404] : [create, update, 409];
  try {
    await first();
  } catch (error) {
    if (!(error instanceof SplunkdError && error.status === retryOn)) throw error;
    await second();
  }
}

export async function deleteSecret(account: string): Promise<void> {
  try {
    await call(
      'DELETE',
      secretUrl(account),
      `Deleting the secret access key of account "${account}"`,
    );
  } catch (error) {
    if (!(error instanceof SplunkdError && error.status === 404)) throw error;
  }
}

/** Creates or updates the conf stanza, then the secret (if one was typed). */
export async function saveAccount(
  account: Account,
  isNew: boolean,
  secret: string,
  secretStored: boolean,
): Promise<void> {
  const fields = accountConfFields(account);
  const action = `Saving account "${account.name}"`;
  if (isNew) await call('POST', restUrl(ACCOUNTS_CONF), action, { name: account.name, ...fields });
  else await call('POST', restUrl(`${ACCOUNTS_CONF}/${segment(account.name)}`), action, fields);
  if (account.auth_type === 'access_key' && secret)
    await storeSecret(account.name, secret, secretStored);
  if (account.auth_type === 'default_chain' && secretStored) await deleteSecret(account.name);
}

export async function deleteAccount(name: string): Promise<void> {
  await deleteSecret(name);
  await call('DELETE', restUrl(`${ACCOUNTS_CONF}/${segment(name)}`), `Deleting account "${name}"`);
}

export async function listInputs(): Promise<InputSummary[]> {
  const feed = await call<Feed<Record<string, unknown>>>(
    'GET',
    restUrl(INPUTS, 'app', ALL),
    'Listing inputs',
  );
  return entries(feed)
    .map((entry) => inputFromEntry(entry.name, entry.content))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function saveInput(draft: InputDraft, isNew: boolean): Promise<void> {
  const args = inputArgs(draft);
  const action = `Saving input "${draft.name}"`;
  if (isNew) await call('POST', restUrl(INPUTS), action, { name: draft.name.trim(), ...args });
  else await call('POST', restUrl(`${INPUTS}/${segment(draft.name)}`), action, args);
}

export async function setInputEnabled(name: string, enabled: boolean): Promise<void> {
  const verb = enabled ? 'enable' : 'disable';
  await call(
    'POST',
    restUrl(`${INPUTS}/${segment(name)}/${verb}`),
    `${enabled ? 'Enabling' : 'Disabling'} input "${name}"`,
    {},
  );
}

export async function deleteInput(name: string): Promise<void> {
  await call('DELETE', restUrl(`${INPUTS}/${segment(name)}`), `Deleting input "${name}"`);
}

/**
 * Event indexes that exist and are enabled, by name; Splunk's internal ones (`_internal`, `_audit`…)
 * are not offered for audit data.
 */
export async function listIndexes(): Promise<string[]> {
  const feed = await call<Feed<{ disabled?: unknown }>>(
    'GET',
    restUrl('data/indexes', 'app', ALL),
    'Listing indexes',
  );
  return entries(feed)
    .filter((entry) => !entry.name.startsWith('_'))
    .filter((entry) => entry.content.disabled !== true && entry.content.disabled !== '1')
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

const APP_ENTITY = 'apps/local/cloudhsm_audit';

export async function isConfigured(): Promise<boolean> {
  const feed = await call<Feed<{ configured?: unknown }>>(
    'GET',
    restUrl(APP_ENTITY, 'system'),
    'Reading the app state',
  );
  const configured = entries(feed)[0]?.content.configured;
  return configured === true || configured === '1' || configured === 'true';
}

export async function finishSetup(): Promise<void> {
  await call('POST', restUrl(APP_ENTITY, 'system'), 'Finishing setup', { configured: 'true' });
}
