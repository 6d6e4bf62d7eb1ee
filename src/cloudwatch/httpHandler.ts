/**
 * The HTTP layer of every AWS client of the collector (CloudWatch Logs and the STS client of
 * assume-role): keep-alive agents, optionally through an HTTP(S) proxy (hpagent tunnels both
 * http:// and https:// targets with CONNECT), and timeouts that turn a stalled connection into an
 * error the retry logic sees instead of a poll that hangs forever. TLS verification stays on.
 */

import http from 'node:http';
import https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { httpUrlProblem } from '../config/urls';

/** TCP + TLS (+ proxy CONNECT) to a regional endpoint takes well under a second; 5 s is a dead path. */
export const CONNECTION_TIMEOUT_MS = 5_000;
/**
 * Whole request and response. A full 1 MB GetLogEvents/FilterLogEvents page arrives in 1–3 s; 20 s
 * is far beyond a healthy answer, yet short enough that a stalled socket is abandoned and retried
 * well within one 30-second delivery target instead of waiting for TCP keep-alive (hours).
 */
export const REQUEST_TIMEOUT_MS = 20_000;
/** The SDK's own default; one client per account and region serves every log group. */
const MAX_SOCKETS = 50;

export interface RequestHandlerOptions {
  httpsProxy?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Receives the handler's warnings (socket exhaustion); never request contents. */
  warn?: (message: string) => void;
}

/** A proxy URL is http(s), host and port (see config/urls.ts); the error never repeats it. */
export function checkProxyUrl(value: string): URL {
  const problem = httpUrlProblem(value, 'proxy');
  if (problem !== undefined) throw new Error(`https_proxy ${problem}`);
  return new URL(value);
}

export function createRequestHandler(options: RequestHandlerOptions = {}): NodeHttpHandler {
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: MAX_SOCKETS,
    scheduling: 'lifo' as const,
  };
  let httpAgent: http.Agent;
  let httpsAgent: https.Agent;
  if (options.httpsProxy) {
    const proxy = checkProxyUrl(options.httpsProxy);
    httpAgent = new HttpProxyAgent({ ...agentOptions, proxy });
    httpsAgent = new HttpsProxyAgent({ ...agentOptions, proxy });
  } else {
    httpAgent = new http.Agent(agentOptions);
    httpsAgent = new https.Agent(agentOptions);
  }
  const sink = options.warn ?? (() => undefined);
  const warn = (...content: unknown[]) => sink(content.map(String).join(' ').slice(0, 500));
  return new NodeHttpHandler({
    httpAgent,
    httpsAgent,
    connectionTimeout: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
    throwOnRequestTimeout: true,
    logger: { debug: () => undefined, info: () => undefined, warn, error: warn },
  });
}
