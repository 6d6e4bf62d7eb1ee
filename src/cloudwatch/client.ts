/**
 * The CloudWatch Logs client factory: one client per account and region, shared by every log group
 * of the process, so the adaptive retry mode's client-side rate limiter is that account and
 * region's single rate budget.
 */

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  MetadataBearer,
} from '@smithy/types';
import type { Logger } from '../collector/ports';
import { httpUrlProblem } from '../config/urls';
import { createCredentials, type AwsAccountSettings } from './credentials';
import { GetLogEventsFastProtocol } from './getLogEventsProtocol';
import { createRequestHandler } from './httpHandler';

/**
 * SDK attempts per call (standard default: 3). A poller shares a 5–25 requests/s quota with console
 * users; 5 attempts with the SDK's jittered exponential backoff ride out a throttling burst of a few
 * seconds before the error reaches the collector, whose own backoff takes over from there.
 */
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface LogsClientOptions {
  region: string;
  account: AwsAccountSettings;
  /** Input-level override of the account's endpoint_url. */
  endpointUrl?: string;
  /** Input-level override of the account's https_proxy. */
  httpsProxy?: string;
  logger: Logger;
  maxAttempts?: number;
  /** STS endpoint for assume-role (VPC endpoint, tests); default: the regional STS endpoint. */
  stsEndpointUrl?: string;
  /** Defaults in httpHandler.ts. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** The endpoint override, checked as config/urls.ts checks it; the error never repeats it. */
function checkEndpointUrl(value: string): string {
  const problem = httpUrlProblem(value, 'endpoint');
  if (problem !== undefined) throw new Error(`endpoint_url ${problem}`);
  return value;
}

/** The request fields worth a log line: which log group and stream, never anything else. */
interface RequestTarget {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logGroupNamePrefix?: string;
  logStreamName?: string;
}

/**
 * An SDK middleware that logs one DEBUG line per HTTP attempt (it sits in the deserialize step,
 * inside the retry loop): API, region, log group, stream, HTTP status, duration, and for
 * GetLogEvents the number of events (one page). It reads only those input fields and the status,
 * so no credential, signature or header can reach the log.
 */
export function requestLogMiddleware(logger: Logger, region: string) {
  return <Output extends object>(
      next: DeserializeHandler<object, Output>,
      context: HandlerExecutionContext,
    ) =>
    async (
      args: DeserializeHandlerArguments<object>,
    ): Promise<DeserializeHandlerOutput<Output>> => {
      const started = performance.now();
      const input = args.input as RequestTarget;
      const fields = () => ({
        api: context.commandName?.replace(/Command$/, ''),
        region,
        log_group: input.logGroupName ?? input.logGroupIdentifier,
        prefix: input.logGroupNamePrefix,
        stream: input.logStreamName,
        duration_ms: Math.round(performance.now() - started),
      });
      try {
        const result = await next(args);
        const events = (result.output as { events?: unknown[] }).events;
        logger.log('DEBUG', 'cloudwatch request', {
          ...fields(),
          status: (result.response as { statusCode?: number }).statusCode,
          events: Array.isArray(events) ? events.length : undefined,
        });
        return result;
      } catch (err) {
        const failure = err as Partial<MetadataBearer> & { name?: string };
        logger.log('DEBUG', 'cloudwatch request', {
          ...fields(),
          status: failure.$metadata?.httpStatusCode,
          error: failure.name,
        });
        throw err;
      }
    };
}

export function createLogsClient(opts: LogsClientOptions): CloudWatchLogsClient {
  const endpoint = opts.endpointUrl ?? opts.account.endpointUrl;
  const httpsProxy = opts.httpsProxy ?? opts.account.httpsProxy;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const requestHandler = createRequestHandler({
    httpsProxy,
    connectionTimeoutMs: opts.connectionTimeoutMs,
    requestTimeoutMs: opts.requestTimeoutMs,
    warn: (message) =>
      opts.logger.log('WARN', 'aws http handler', { region: opts.region, detail: message }),
  });
  const credentials = createCredentials(opts.account, {
    region: opts.region,
    requestHandler,
    stsEndpointUrl: opts.stsEndpointUrl,
    maxAttempts,
    logger: opts.logger,
  });
  opts.logger.log('DEBUG', 'cloudwatch logs client created', {
    account: opts.account.name,
    region: opts.region,
    endpoint_override: endpoint !== undefined,
    proxy: httpsProxy !== undefined,
    max_attempts: maxAttempts,
  });
  const client = new CloudWatchLogsClient({
    region: opts.region,
    credentials,
    requestHandler,
    retryMode: 'adaptive',
    maxAttempts,
    ...(endpoint ? { endpoint: checkEndpointUrl(endpoint) } : {}),
    customUserAgent: 'splunk-cloudhsm-audit',
    // GetLogEvents pages without the SDK's per-event copy (see getLogEventsProtocol.ts).
    protocol: GetLogEventsFastProtocol,
  });
  client.middlewareStack.add(requestLogMiddleware(opts.logger, opts.region), {
    step: 'deserialize',
    name: 'cloudhsmAuditRequestLog',
    // Outside the SDK's deserializer: the page is parsed (events counted) and errors are typed.
    priority: 'high',
  });
  return client;
}
