/**
 * The one error type of the splunkd REST client. Its message says what failed and how to fix it;
 * `code` lets callers branch without parsing text. It never carries a secret, the session key, a
 * response body or a raw socket error object: only the status and a short cause code.
 */

export type SplunkdErrorCode =
  /** No stanza for the account in cloudhsm_audit_accounts.conf. */
  | 'ACCOUNT_NOT_CONFIGURED'
  /** A stanza value is missing or malformed (the message names the key). */
  | 'ACCOUNT_INVALID'
  /** auth_type = access_key but storage/passwords has no secret for the account. */
  | 'SECRET_MISSING'
  /** splunkd answered 401: the session key is expired or wrong. */
  | 'SESSION_REJECTED'
  /** splunkd answered 403: the input's user may not read the conf or storage/passwords. */
  | 'FORBIDDEN'
  /** splunkd's TLS certificate does not verify against its configured CA (see tls.ts). */
  | 'TLS_UNTRUSTED'
  /** No answer from splunkd after the retries (refused, reset, timed out). */
  | 'SPLUNKD_UNREACHABLE'
  /** Any other non-2xx answer (5xx after the retries, unexpected 4xx). */
  | 'SPLUNKD_ERROR'
  /** A 2xx answer that is not the documented JSON shape. */
  | 'BAD_RESPONSE';

export class SplunkdError extends Error {
  override readonly name = 'SplunkdError';
  readonly code: SplunkdErrorCode;
  /** HTTP status when splunkd answered. */
  readonly status?: number;
  /** Short cause code of a connection failure, e.g. `ECONNREFUSED`. */
  readonly causeCode?: string;

  constructor(
    code: SplunkdErrorCode,
    message: string,
    details: { status?: number; causeCode?: string } = {},
  ) {
    super(message);
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.causeCode !== undefined) this.causeCode = details.causeCode;
  }
}

/** Whether a retry could help: connection failures and 5xx answers, never 4xx. */
export function isRetryableSplunkdError(err: unknown): boolean {
  return (
    err instanceof SplunkdError &&
    (err.code === 'SPLUNKD_UNREACHABLE' ||
      (err.code === 'SPLUNKD_ERROR' && (err.status ?? 0) >= 500))
  );
}

/** The error a cancelled call rejects with: the signal's reason when it is an Error, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('the operation was aborted');
  err.name = 'AbortError';
  return err;
}
