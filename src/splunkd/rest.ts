/**
 * JSON requests to splunkd's REST API with the session key splunkd gave the input: GET for
 * accounts and settings, POST and DELETE with a JSON body for the KV store.
 *
 * - TLS: verified against splunkd's own CA, as decided once per process in tls.ts; the agent is
 *   only ever used for `session.serverUri`'s origin (checked per request). A refused certificate
 *   fails at once (TLS_UNTRUSTED, not retried here: it will not fix itself in seconds; the
 *   collector retries the account later). Nothing global changes: AWS keeps its own trust.
 * - Retries (p-retry): connection failures, timeouts and 5xx, with exponential backoff and jitter;
 *   never 4xx. Abortable through `signal`. A POST is retried too: callers send only writes whose
 *   repetition is harmless (a KV store save replaces, an insert that already landed answers 409).
 * - Never logs or throws the session key or a response body.
 */

import http from 'node:http';
import https from 'node:https';
import pRetry from 'p-retry';
import type { Logger, SplunkdSession } from '../collector/ports';
import { SplunkdError, abortReason, isRetryableSplunkdError } from './errors';
import { splunkdAgent, splunkdTls, tlsRefusal, type SplunkdTls } from './tls';

export interface SplunkdRestOptions {
  /** Retries after the first attempt. 3: rides out a splunkd restart's few seconds of refusals. */
  retries?: number;
  /** First backoff; doubles each retry and is randomized ×1–2 (jitter). */
  minBackoffMs?: number;
  /** Backoff ceiling. 4 s keeps the worst case (4 attempts) around 10 s. */
  maxBackoffMs?: number;
  /** Per attempt. splunkd on the same host answers in milliseconds; 15 s means it is stuck. */
  requestTimeoutMs?: number;
  /** Tests only: a TLS decision instead of the process's (tls.ts). */
  tls?: SplunkdTls;
}

const DEFAULTS: Required<Omit<SplunkdRestOptions, 'tls'>> = {
  retries: 3,
  minBackoffMs: 500,
  maxBackoffMs: 4000,
  requestTimeoutMs: 15_000,
};

// splunkd's JSON answers for one stanza or secret are a few KB; anything far larger is not splunkd.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface SplunkdResponse {
  status: number;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

/** The texts of splunkd's `messages[]`, which say why a request failed. */
export function splunkdMessages(json: unknown): string {
  const messages = (json as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return '';
  return messages
    .map((m) => (typeof m?.text === 'string' ? m.text : ''))
    .filter(Boolean)
    .join('; ')
    .slice(0, 300);
}

export class SplunkdRest {
  private readonly origin: string;
  private readonly base: URL;
  private readonly tls: SplunkdTls;
  private readonly agent: http.Agent;
  private readonly options: Required<Omit<SplunkdRestOptions, 'tls'>>;

  constructor(
    private readonly session: SplunkdSession,
    private readonly logger: Logger,
    options: SplunkdRestOptions = {},
  ) {
    this.base = new URL(session.serverUri);
    this.origin = this.base.origin;
    const { tls, ...tuning } = options;
    this.options = { ...DEFAULTS, ...tuning };
    // Plain http (enableSplunkdSSL = false) has nothing to verify: no decision, no log line.
    this.tls =
      this.base.protocol === 'https:' ? (tls ?? splunkdTls(logger)) : { checkHostName: false };
    this.agent = splunkdAgent(this.base, this.tls);
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * GET `path` (starting with `/services…`, already URL-encoded). Resolves with any 2xx–4xx answer;
   * retries connection errors and 5xx, then rejects with SPLUNKD_UNREACHABLE or SPLUNKD_ERROR.
   */
  getJson(path: string, signal?: AbortSignal): Promise<SplunkdResponse> {
    return this.request('GET', path, { signal });
  }

  /** Like `getJson`, for any method; `body` is sent as JSON (`Content-Type: application/json`). */
  async request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    { body, signal }: { body?: unknown; signal?: AbortSignal } = {},
  ): Promise<SplunkdResponse> {
    const url = new URL(path, this.origin);
    if (url.origin !== this.origin)
      throw new Error('splunkd path must stay on the server_uri origin');
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const attempt = async (attemptNumber: number): Promise<SplunkdResponse> => {
      if (signal?.aborted) throw new pRetry.AbortError(abortReason(signal));
      try {
        const response = await this.once(method, url, payload, signal);
        this.logger.log('DEBUG', 'splunkd request', {
          method,
          path: url.pathname,
          status: response.status,
          attempt: attemptNumber,
        });
        if (response.status >= 500) {
          const why = splunkdMessages(response.json);
          throw new SplunkdError(
            'SPLUNKD_ERROR',
            `splunkd answered HTTP ${response.status} for ${url.pathname}${why ? `: ${why}` : ''}: check splunkd.log`,
            { status: response.status },
          );
        }
        return response;
      } catch (err) {
        if (signal?.aborted) throw new pRetry.AbortError(abortReason(signal));
        if (!isRetryableSplunkdError(err)) throw new pRetry.AbortError(err as Error);
        throw err;
      }
    };
    const retrying = pRetry(attempt, {
      retries: this.options.retries,
      factor: 2,
      minTimeout: this.options.minBackoffMs,
      maxTimeout: this.options.maxBackoffMs,
      randomize: true,
      onFailedAttempt: (err) => {
        if (err.retriesLeft <= 0) return;
        this.logger.log('WARN', 'splunkd request failed, retrying', {
          method,
          path: url.pathname,
          attempt: err.attemptNumber,
          retries_left: err.retriesLeft,
          error: (err as unknown as SplunkdError).code ?? err.name,
          status: (err as unknown as SplunkdError).status,
        });
      },
    });
    if (!signal) return retrying;
    // p-retry 4 has no signal: race it so an abort during a backoff rejects at once; the pending
    // backoff timer then fires one last attempt that sees the abort and stops.
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([retrying, aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      retrying.catch(() => undefined);
    }
  }

  private once(
    method: string,
    url: URL,
    payload: Buffer | undefined,
    signal?: AbortSignal,
  ): Promise<SplunkdResponse> {
    return new Promise((resolve, reject) => {
      const unreachable = (causeCode: string) =>
        new SplunkdError(
          'SPLUNKD_UNREACHABLE',
          `splunkd at ${this.origin} did not answer (${causeCode}): check that splunkd is running and server_uri is reachable`,
          { causeCode },
        );
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, {
        method,
        agent: this.agent,
        headers: {
          Authorization: `Splunk ${this.session.sessionKey}`,
          Accept: 'application/json',
          ...(payload
            ? { 'Content-Type': 'application/json', 'Content-Length': payload.length }
            : {}),
        },
        signal,
      });
      req.setTimeout(this.options.requestTimeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // Only the code leaves here: the raw error may carry request options, headers included.
        const code = err.code ?? err.name;
        if (signal?.aborted) reject(abortReason(signal));
        else reject(tlsRefusal(code, this.base, this.tls) ?? unreachable(code));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(Object.assign(new Error('body too large'), { code: 'EBODYTOOLARGE' }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => reject(unreachable(err.code ?? err.name)));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      });
      req.end(payload);
    });
  }
}
