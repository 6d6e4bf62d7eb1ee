/**
 * The setup page's one way to splunkd: Splunk Web's splunkd proxy, with URLs from
 * @splunk/splunk-utils (root path and locale come from the page's `$C`, never hard-coded), the
 * CSRF header and credentials from its fetch init, URL-encoded form bodies and `output_mode=json`.
 * A failure becomes a `SplunkdError` whose message is a sentence a person can act on.
 */
import { createRESTURL } from '@splunk/splunk-utils/url';
import { createFetchInit, handleError, handleResponse } from '@splunk/splunk-utils/fetch';

export const APP = 'cloudhsm_audit';

/** Form fields or query parameters; a list repeats the key, `undefined` leaves it out. */
export type Params = Record<string, string | readonly string[] | undefined>;

/** One entity of a splunkd collection, as every Atom-JSON answer lists them. */
export interface Entry<C> {
  name: string;
  content: C;
  acl?: { app?: string; sharing?: string; can_write?: boolean };
}

export interface Feed<C> {
  entry?: Entry<C>[];
}

export class SplunkdError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when Splunk Web could not be reached at all. */
    readonly status: number,
    /** splunkd's own text, without the page's advice around it. */
    readonly detail: string,
  ) {
    super(message);
    this.name = 'SplunkdError';
  }
}

/** The text of any failure, for the page to show. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Namespace = 'app' | 'system' | 'global';

/** `servicesNS/nobody/cloudhsm_audit/<endpoint>` (or `…/system/…`, or `services/…` for global). */
export function restUrl(
  endpoint: string,
  namespace: Namespace = 'app',
  query: Params = {},
): string {
  const base =
    namespace === 'global'
      ? createRESTURL(endpoint)
      : createRESTURL(endpoint, { app: APP, sharing: namespace });
  return `${base}?${encodeForm({ output_mode: 'json', ...query })}`;
}

export function encodeForm(params: Params): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const one of typeof value === 'string' ? [value] : value) form.append(key, one);
  }
  return form.toString();
}

/** One path segment of an entity name: splunkd takes entity names URL-encoded. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}

/**
 * Calls splunkd. `action` names what the user asked for ("Saving account prod"), and starts every
 * error message. Resolves with the JSON answer, or null for 204.
 */
export async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  action: string,
  form?: Params,
): Promise<T | null> {
  const init = createFetchInit({ method, ...(form ? { body: encodeForm(form) } : {}) });
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    const detail = errorText(cause);
    throw new SplunkdError(
      `${action} failed: Splunk Web could not be reached (${detail}). Check the connection to Splunk and reload the page.`,
      0,
      detail,
    );
  }
  try {
    return (await handleResponse([200, 201, 204])(response)) as T | null;
  } catch (failure) {
    if (!(failure instanceof Response)) throw failure;
    const detail = await splunkdMessage(failure);
    throw new SplunkdError(explain(action, failure.status, detail), failure.status, detail);
  }
}

async function splunkdMessage(response: Response): Promise<string> {
  const fallback = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  try {
    await handleError(fallback)(response);
  } catch (error) {
    // handleError rejects with a plain Error carrying splunkd's messages[] text (or the fallback);
    // a body that is not splunkd's JSON (a proxy's HTML page) fails to parse instead, and then the
    // status is all there is to tell.
    if (error instanceof Error && error.name === 'Error') return error.message;
  }
  return fallback;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function explain(action: string, status: number, detail: string): string {
  const head = sentence(`${action} failed: ${detail}`);
  if (status === 401)
    return `${head} Your Splunk session has ended: sign in again (reload the page) and retry.`;
  if (status === 403)
    return `${head} Your Splunk role does not allow this: ask a Splunk admin for the capability named above, or to make this change.`;
  if (status >= 500)
    return `${head} splunkd could not complete the request: retry, and if it fails again look in splunkd.log (index=_internal).`;
  return head;
}
