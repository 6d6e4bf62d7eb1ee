/**
 * Classifies an error from the AWS SDK (or the network under it) for the collector: a stable
 * `code`, a one-line message safe to log, and whether retrying later can help. Messages never carry
 * secret keys, session tokens or signatures: long base64/hex runs and access key ids are redacted.
 */

export interface ErrorDescription {
  /** The AWS error code (`ThrottlingException`), a socket code (`ECONNRESET`), or the error name. */
  code: string;
  message: string;
  retryable: boolean;
  throttled: boolean;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const TRANSIENT = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'OperationAbortedException',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'IDPCommunicationError',
  // Temporary credentials lapsed or the clock drifted: the next call gets fresh ones / a corrected skew.
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const BAD_CREDENTIALS =
  'AWS does not accept these credentials: check the account on the setup page';
const HINTS: Record<string, string> = {
  ThrottlingException: 'AWS throttled the call (API rate quota of the account and region)',
  ResourceNotFoundException: 'the log group or stream does not exist (deleted?)',
  AccessDeniedException: 'the IAM policy does not allow this call: see the README for the policy',
  ExpiredTokenException: 'temporary credentials expired; they are renewed on the next call',
  UnrecognizedClientException: BAD_CREDENTIALS,
  InvalidClientTokenId: BAD_CREDENTIALS,
  InvalidSignatureException: BAD_CREDENTIALS,
  SignatureDoesNotMatch: BAD_CREDENTIALS,
  CredentialsProviderError: 'no AWS credentials could be loaded for the account',
};

// AWS messages can be long (SignatureDoesNotMatch prints the whole string to sign).
const MAX_RAW = 240;

/** Removes what could be a secret: long base64/hex runs, access key ids, and any `secrets` given. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[key id]')
    .replace(/[A-Za-z0-9/+=]{32,}/g, '[redacted]');
}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function describeError(err: unknown, secrets: readonly string[] = []): ErrorDescription {
  if (typeof err !== 'object' || err === null) {
    return {
      code: 'Unknown',
      message: redact(String(err), secrets).slice(0, MAX_RAW),
      retryable: false,
      throttled: false,
    };
  }
  const e = err as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const errCode =
    typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) ? e.code : undefined;
  const socketCode = errCode !== undefined && NETWORK.has(errCode) ? errCode : undefined;
  const status = e.$metadata?.httpStatusCode;
  // Node's socket and TLS errors are plain `Error`s whose `code` says what happened.
  const code =
    errCode && (socketCode || name === 'Error') && name !== 'TimeoutError' ? errCode : name;
  const throttled = THROTTLING.has(name) || status === 429 || e.$retryable?.throttling === true;
  const retryable =
    name !== 'AbortError' &&
    (throttled ||
      TRANSIENT.has(name) ||
      socketCode !== undefined ||
      (status !== undefined && status >= 500));
  const raw = redact(
    typeof e.message === 'string' && e.message !== '' ? e.message : name,
    secrets,
  ).replace(/\s+/g, ' ');
  const hint = HINTS[name] ?? (throttled ? HINTS.ThrottlingException : undefined);
  const head = `${code}${status ? ` (HTTP ${status})` : ''}: ${raw.slice(0, MAX_RAW)}${raw.length > MAX_RAW ? '…' : ''}`;
  return { code, message: hint ? `${head} — ${hint}` : head, retryable, throttled };
}
