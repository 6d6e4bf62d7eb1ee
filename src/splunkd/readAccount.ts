/**
 * Reads one configured AWS account through splunkd's REST API: the stanza of
 * `cloudhsm_audit_accounts.conf`, then, for a key pair, its secret access key from
 * `storage/passwords` (realm `cloudhsm_audit`, user name = account name).
 */

import type { Logger, SplunkdSession } from '../collector/ports';
import { parseAccount, type Account } from './account';
import { SplunkdError } from './errors';
import {
  SplunkdRest,
  splunkdMessages,
  type SplunkdResponse,
  type SplunkdRestOptions,
} from './rest';
import { Secret } from './secret';

export const APP = 'cloudhsm_audit';
export const ACCOUNTS_CONF = 'cloudhsm_audit_accounts';
export const PASSWORD_REALM = 'cloudhsm_audit';

/** The storage/passwords entity id `<realm>:<name>:`, with `:` and `\` escaped by a backslash. */
export function passwordId(realm: string, name: string): string {
  const escape = (s: string) => s.replace(/[\\:]/g, (c) => `\\${c}`);
  return `${escape(realm)}:${escape(name)}:`;
}

export function accountPath(name: string): string {
  return `/servicesNS/nobody/${APP}/configs/conf-${ACCOUNTS_CONF}/${encodeURIComponent(name)}?output_mode=json`;
}

export function passwordPath(name: string): string {
  return `/servicesNS/nobody/${APP}/storage/passwords/${encodeURIComponent(passwordId(PASSWORD_REALM, name))}?output_mode=json`;
}

function firstContent(response: SplunkdResponse, what: string): Record<string, unknown> {
  const entry = (response.json as { entry?: unknown } | undefined)?.entry;
  const content = Array.isArray(entry)
    ? (entry[0] as { content?: unknown } | undefined)?.content
    : undefined;
  if (typeof content !== 'object' || content === null) {
    throw new SplunkdError(
      'BAD_RESPONSE',
      `splunkd's answer for ${what} has no entry[0].content: check the splunkd version and server_uri`,
      {
        status: response.status,
      },
    );
  }
  return content as Record<string, unknown>;
}

/** Maps a 4xx that the caller did not handle itself. */
function clientError(response: SplunkdResponse, what: string): SplunkdError {
  const why = splunkdMessages(response.json);
  const status = response.status;
  if (status === 401) {
    return new SplunkdError(
      'SESSION_REJECTED',
      `splunkd rejected the session key (HTTP 401) while reading ${what}: the key expired or is not splunkd's; restart the input so splunkd hands it a new one`,
      { status },
    );
  }
  if (status === 403) {
    return new SplunkdError(
      'FORBIDDEN',
      `splunkd refused to show ${what} (HTTP 403): the input's owner needs read access to the ${APP} app and the list_storage_passwords capability`,
      { status },
    );
  }
  return new SplunkdError(
    'SPLUNKD_ERROR',
    `splunkd answered HTTP ${status} for ${what}${why ? `: ${why}` : ''}`,
    { status },
  );
}

/**
 * Resolves with the account, or rejects with a SplunkdError (see its codes) or, once `signal`
 * aborts, with an AbortError. `options` tunes retries (tests).
 */
export async function readAccount(
  session: SplunkdSession,
  name: string,
  logger: Logger,
  signal?: AbortSignal,
  options?: SplunkdRestOptions,
): Promise<Account> {
  if (name.trim() === '') {
    throw new SplunkdError(
      'ACCOUNT_INVALID',
      'the input names no account: choose one on the input, or add one on the setup page',
    );
  }
  const rest = new SplunkdRest(session, logger, options);
  try {
    const what = `account "${name}"`;
    const conf = await rest.getJson(accountPath(name), signal);
    if (conf.status === 404) {
      throw new SplunkdError(
        'ACCOUNT_NOT_CONFIGURED',
        `account "${name}" is not configured: add it on the setup page`,
        { status: 404 },
      );
    }
    if (conf.status >= 300) throw clientError(conf, what);
    const content = firstContent(conf, what);

    let secret: Secret | undefined;
    if (content.auth_type === 'access_key') {
      const secretWhat = `the secret access key of account "${name}"`;
      const missing = new SplunkdError(
        'SECRET_MISSING',
        `${secretWhat} is missing from storage/passwords (realm ${PASSWORD_REALM}): enter it again on the setup page`,
      );
      const stored = await rest.getJson(passwordPath(name), signal);
      if (stored.status === 404) throw missing;
      if (stored.status >= 300) throw clientError(stored, secretWhat);
      const clear = firstContent(stored, secretWhat).clear_password;
      if (typeof clear !== 'string' || clear === '') throw missing;
      secret = new Secret(clear);
    }
    const account = parseAccount(name, content, secret);
    logger.log('INFO', 'account read from splunkd', {
      account: name,
      auth_type: account.authType,
      assume_role: account.roleArn !== undefined,
      endpoint_override: account.endpointUrl !== undefined,
      proxy: account.httpsProxy !== undefined,
    });
    return account;
  } catch (err) {
    if (err instanceof SplunkdError) {
      logger.log('ERROR', 'reading account failed', {
        account: name,
        error: err.code,
        status: err.status,
      });
    }
    throw err;
  } finally {
    rest.close();
  }
}
