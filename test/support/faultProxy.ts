/**
 * A fault-injecting HTTP reverse proxy for tests, placed between the AWS SDK (endpoint = proxy URL)
 * and moto. Each request is matched by its operation (the `X-Amz-Target` header,
 * `Logs_20140328.<Operation>`) against the plan's rules, in order; the first rule that fires
 * answers with its fault, otherwise the request is forwarded untouched.
 *
 *   const proxy = await startFaultProxy(moto.endpoint, {
 *     seed: 'x',
 *     rules: [{ operation: 'GetLogEvents', fault: 'throttle', times: 2 }],
 *   });
 *   … client with endpoint proxy.url …
 *   proxy.stats.injected.throttle; proxy.stats.forwarded.GetLogEvents;
 *
 * Faults, as CloudWatch Logs (JSON 1.1) answers them — HTTP status, `X-Amzn-ErrorType` header and
 * `{"__type": …, "message": …}` body, which is what the SDK parses into `error.name`:
 * - `throttle`: 400 ThrottlingException "Rate exceeded" (the SDK retries it as throttling);
 * - `serviceUnavailable`: 503 (or `status`: 500) ServiceUnavailableException (SDK retries 5xx);
 * - `expiredToken`: 400 ExpiredTokenException; `accessDenied`: 400 AccessDeniedException (not retried);
 * - `reset`: the socket is destroyed without an answer (SDK sees ECONNRESET, retries);
 * - `truncate`: forwarded (so moto DID run the call), then the headers with the full
 *   Content-Length and half the body are sent and the socket destroyed;
 * - `stall`: held `stallMs` ms, then forwarded (the test chooses a short N, or a client
 *   requestTimeout below it);
 * - log group deletion: `deleteLogGroup(name)` answers ResourceNotFoundException to every call
 *   naming that group and hides it from DescribeLogGroups; `restoreLogGroup(name)` undoes it;
 * - endpoint down: `down()` stops listening (connection refused) and drops open connections;
 *   `up()` listens again on the same port.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import seedrandom from 'seedrandom';

export type FaultKind =
  | 'throttle'
  | 'serviceUnavailable'
  | 'expiredToken'
  | 'accessDenied'
  | 'reset'
  | 'truncate'
  | 'stall';

export interface FaultRule {
  fault: FaultKind;
  /** Operation name(s) such as `GetLogEvents`; absent = every operation. */
  operation?: string | readonly string[];
  /** Only requests whose body names this log group (logGroupName / logGroupIdentifier). */
  logGroupName?: string;
  /** Let this many matching requests through before the rule may fire. Default 0. */
  after?: number;
  /** Fire at most this many times. Default unlimited. */
  times?: number;
  /** Fire on every Nth matching request (after `after`). Default 1 = each. */
  every?: number;
  /** Fire with this probability, drawn from the plan's seeded generator. Default 1. */
  probability?: number;
  /** `stall`: how long to hold the request, ms. */
  stallMs?: number;
  /** `serviceUnavailable`: 500 or 503 (default 503). */
  status?: 500 | 502 | 503 | 504;
}

export interface FaultPlan {
  seed?: string;
  rules?: readonly FaultRule[];
}

export interface FaultStats {
  /** Requests received, per operation (including those answered by a fault). */
  received: Record<string, number>;
  /** Requests passed to the target, per operation (including truncated and stalled ones). */
  forwarded: Record<string, number>;
  /** Faults injected, per kind (`groupDeleted` for deleted-group answers). */
  injected: Record<string, number>;
  /** Faults injected, per operation then kind. */
  injectedByOperation: Record<string, Record<string, number>>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: the endpoint to give the SDK. */
  readonly url: string;
  readonly stats: FaultStats;
  /** Replaces the plan (rule counters start again). */
  setPlan(plan: FaultPlan): void;
  deleteLogGroup(name: string): void;
  restoreLogGroup(name: string): void;
  /** Stops listening: new connections are refused, open ones dropped. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const ERRORS: Record<
  'throttle' | 'serviceUnavailable' | 'expiredToken' | 'accessDenied' | 'groupDeleted',
  { status: number; type: string; message: string }
> = {
  throttle: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
  serviceUnavailable: {
    status: 503,
    type: 'ServiceUnavailableException',
    message: 'The service cannot complete the request.',
  },
  expiredToken: {
    status: 400,
    type: 'ExpiredTokenException',
    message: 'The security token included in the request is expired',
  },
  accessDenied: {
    status: 400,
    type: 'AccessDeniedException',
    message: 'User: arn:aws:iam::123456789012:user/test is not authorized to perform this action',
  },
  groupDeleted: {
    status: 400,
    type: 'ResourceNotFoundException',
    message: 'The specified log group does not exist.',
  },
};

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

function operationOf(request: http.IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? '(none)';
}

function groupOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      logGroupName?: string;
      logGroupIdentifier?: string;
    };
    return parsed.logGroupName ?? parsed.logGroupIdentifier;
  } catch {
    return undefined;
  }
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export async function startFaultProxy(target: string, plan: FaultPlan = {}): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const stats: FaultStats = { received: {}, forwarded: {}, injected: {}, injectedByOperation: {} };
  const deleted = new Set<string>();
  const sockets = new Set<Socket>();
  /** Ends pending stalls early when the proxy goes down, so no timer outlives a test. */
  const stalls = new Set<() => void>();
  let random = seedrandom(plan.seed ?? 'fault-proxy');
  let rules: RuleState[] = [];
  const setPlan = (next: FaultPlan) => {
    random = seedrandom(next.seed ?? 'fault-proxy');
    rules = (next.rules ?? []).map((rule) => ({ rule, seen: 0, fired: 0 }));
  };
  setPlan(plan);

  const choose = (operation: string, group: string | undefined): FaultRule | undefined => {
    for (const state of rules) {
      const { rule } = state;
      const operations =
        rule.operation === undefined ? undefined : ([] as string[]).concat(rule.operation);
      if (operations && !operations.includes(operation)) continue;
      if (rule.logGroupName !== undefined && rule.logGroupName !== group) continue;
      state.seen += 1;
      const position = state.seen - (rule.after ?? 0);
      if (position <= 0) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      if (rule.every !== undefined && position % rule.every !== 0) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      state.fired += 1;
      return rule;
    }
    return undefined;
  };

  const record = (operation: string, kind: string) => {
    bump(stats.injected, kind);
    stats.injectedByOperation[operation] ??= {};
    bump(stats.injectedByOperation[operation], kind);
  };

  const sendError = (response: http.ServerResponse, kind: keyof typeof ERRORS, status?: number) => {
    const error = ERRORS[kind];
    const body = JSON.stringify({ __type: error.type, message: error.message });
    response.writeHead(status ?? error.status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(body),
      'X-Amzn-ErrorType': error.type,
      'X-Amzn-RequestId': 'fault-proxy',
    });
    response.end(body);
  };

  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (reply) => {
          const chunks: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => chunks.push(chunk));
          reply.on('end', () =>
            resolve({
              status: reply.statusCode ?? 502,
              headers: reply.headers,
              body: Buffer.concat(chunks),
            }),
          );
          reply.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Buffer,
  ) => {
    const operation = operationOf(request);
    const group = groupOf(body);
    bump(stats.received, operation);
    if (group !== undefined && deleted.has(group) && operation !== 'DescribeLogGroups') {
      record(operation, 'groupDeleted');
      sendError(response, 'groupDeleted');
      return;
    }
    const rule = choose(operation, group);
    if (rule) record(operation, rule.fault);
    switch (rule?.fault) {
      case 'throttle':
      case 'expiredToken':
      case 'accessDenied':
        sendError(response, rule.fault);
        return;
      case 'serviceUnavailable':
        sendError(response, 'serviceUnavailable', rule.status);
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'stall':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, rule.stallMs ?? 1_000);
          stalls.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (request.socket.destroyed) return; // the client gave up (its requestTimeout) or the proxy closed
        break;
      default:
        break;
    }
    bump(stats.forwarded, operation);
    const reply = await forward(request, body);
    let payload = reply.body;
    if (operation === 'DescribeLogGroups' && deleted.size > 0 && reply.status === 200) {
      const parsed = JSON.parse(payload.toString('utf8')) as {
        logGroups?: Array<{ logGroupName?: string }>;
      };
      parsed.logGroups = parsed.logGroups?.filter(
        (entry) => !deleted.has(entry.logGroupName ?? ''),
      );
      payload = Buffer.from(JSON.stringify(parsed));
    }
    const headers = { ...reply.headers, 'content-length': String(payload.length) };
    delete headers['transfer-encoding'];
    delete headers.connection;
    response.writeHead(reply.status, headers);
    if (rule?.fault === 'truncate') {
      response.write(payload.subarray(0, Math.floor(payload.length / 2)), () =>
        response.socket?.destroy(),
      );
      return;
    }
    response.end(payload);
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handle(request, response, Buffer.concat(chunks)).catch((error: Error) => {
        if (!response.headersSent) {
          response.writeHead(502, { 'Content-Type': 'text/plain' });
          response.end(`fault proxy: target failed: ${error.message}`);
        } else {
          response.destroy();
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      for (const release of stalls) release();
      stalls.clear();
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setPlan,
    deleteLogGroup: (name) => deleted.add(name),
    restoreLogGroup: (name) => deleted.delete(name),
    down: stop,
    up: () => listen(port),
    close: stop,
  };
}
