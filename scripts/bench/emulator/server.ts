/**
 * The CloudWatch Logs emulator process (forked by control.ts, never in the collector's or the
 * test's event loop): an HTTP server on loopback answering the JSON 1.1 calls the collector and
 * the simulator make — DescribeLogGroups, DescribeLogStreams, GetLogEvents, CreateLogGroup,
 * CreateLogStream, PutLogEvents — from LogStore, plus an IPC channel for the harness (generate a
 * data set in place, append with an ingestion time, warm the page cache, counters, reset).
 *
 * Requests are not authenticated (any SigV4 header is accepted, as moto does); errors are answered
 * as AWS does: HTTP 400, `X-Amzn-ErrorType`, `{"__type","message"}`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate, type SimulationOptions } from '../../../src/simulator';
import { ApiError, LogStore, type PutEvent } from './logStore';

const store = new LogStore();
const counters: Record<string, number> = {};
/** The latest GetLogEvents requests (what a test asks: which time ranges were read). */
export interface ReadRequest {
  logStreamName?: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
}
const readLog: ReadRequest[] = [];
const READ_LOG_MAX = 20_000;
let bytesServed = 0;
const bytesByOperation: Record<string, number> = {};

function operationOf(req: http.IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  return (Array.isArray(target) ? target[0] : target)?.split('.').pop() ?? '';
}

function answer(op: string, body: Record<string, unknown>): Buffer | object {
  switch (op) {
    case 'GetLogEvents': {
      if (readLog.length >= READ_LOG_MAX) readLog.shift();
      const { logStreamName, startTime, endTime, nextToken } = body as ReadRequest;
      readLog.push({ logStreamName, startTime, endTime, nextToken });
      return store.getLogEvents(body);
    }
    case 'DescribeLogGroups':
      return store.describeLogGroups(body);
    case 'DescribeLogStreams':
      return store.describeLogStreams(body);
    case 'CreateLogGroup':
      store.createGroup(String(body.logGroupName));
      return {};
    case 'CreateLogStream':
      store.createStream(String(body.logGroupName), String(body.logStreamName));
      return {};
    case 'PutLogEvents': {
      store.stream(String(body.logGroupName), String(body.logStreamName));
      const events = (body.logEvents as PutEvent[]) ?? [];
      store.put(String(body.logGroupName), String(body.logStreamName), events);
      return { nextSequenceToken: String(Date.now()) };
    }
    default:
      throw new ApiError('UnknownOperationException', `operation ${op} is not emulated`);
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const op = operationOf(req);
    counters[op] = (counters[op] ?? 0) + 1;
    let status = 200;
    let payload: Buffer;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amzn-RequestId': `emulator-${counters[op]}`,
    };
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
        string,
        unknown
      >;
      const result = answer(op, body);
      payload = Buffer.isBuffer(result) ? result : Buffer.from(JSON.stringify(result));
    } catch (err) {
      const e =
        err instanceof ApiError ? err : new ApiError('InternalFailure', (err as Error).message);
      status = e.type === 'InternalFailure' ? 500 : 400;
      headers['X-Amzn-ErrorType'] = e.type;
      payload = Buffer.from(JSON.stringify({ __type: e.type, message: e.message }));
    }
    headers['Content-Length'] = payload.length;
    bytesServed += payload.length;
    bytesByOperation[op] = (bytesByOperation[op] ?? 0) + payload.length;
    res.writeHead(status, headers);
    res.end(payload);
  });
});
server.keepAliveTimeout = 60_000;

export type ControlRequest =
  | { op: 'generate'; options: SimulationOptions; copies?: number }
  | {
      op: 'put';
      records: {
        logGroupName: string;
        logStreamName: string;
        timestamp: number;
        message?: string;
        messageBase64?: string;
      }[];
    }
  | { op: 'warm'; startTime: number }
  | { op: 'stats' }
  | { op: 'reset' }
  | { op: 'pageBytes'; value: number }
  | { op: 'freezeHints'; frozen: boolean }
  | { op: 'takeReadLog' };

function control(msg: ControlRequest): unknown {
  switch (msg.op) {
    case 'generate': {
      const sim = generate(msg.options);
      // Group per stream, keeping put order, so each stream is loaded in one call.
      const byStream = new Map<string, { group: string; stream: string; events: PutEvent[] }>();
      for (const r of sim.records) {
        const key = `${r.logGroupName}\u0000${r.logStreamName}`;
        let entry = byStream.get(key);
        if (!entry)
          byStream.set(
            key,
            (entry = { group: r.logGroupName, stream: r.logStreamName, events: [] }),
          );
        // Received by CloudWatch shortly after it was logged (later for a late record).
        const ingestionTime = r.timestamp + 2_000 + r.ingestDelayMs;
        entry.events.push({ timestamp: r.timestamp, message: r.message, ingestionTime });
      }
      // Copies under other cluster and HSM names: a large backlog without the generator's cost
      // (about 90 s per million records); every copy is a distinct stream to the collector.
      const copies = msg.copies ?? 1;
      for (let k = 0; k < copies; k++) {
        const suffix = k === 0 ? '' : `c${k}`;
        for (const e of byStream.values()) {
          const at = e.events[0]?.timestamp ?? Date.now();
          store.put(`${e.group}${suffix}`, `${e.stream}${suffix}`, e.events, at);
        }
      }
      return {
        records: sim.records.length * copies,
        streams: byStream.size * copies,
        clusters: sim.clusters.length * copies,
      };
    }
    case 'put': {
      // One ingestion time for the whole call: what the latency measurement starts from.
      const now = Date.now();
      for (const r of msg.records) {
        const message =
          r.messageBase64 !== undefined
            ? Buffer.from(r.messageBase64, 'base64')
            : (r.message ?? '');
        store.put(r.logGroupName, r.logStreamName, [{ timestamp: r.timestamp, message }], now);
      }
      return { ingestionTime: now };
    }
    case 'warm':
      return { pages: store.warm(msg.startTime) };
    case 'stats':
      return {
        requests: { ...counters },
        bytesServed,
        bytesByOperation: { ...bytesByOperation },
        eventsServed: store.eventsServed,
        eventsServedAgain: store.eventsServedAgain,
        rssBytes: process.memoryUsage().rss,
      };
    case 'reset':
      store.reset();
      readLog.splice(0);
      for (const k of Object.keys(counters)) delete counters[k];
      for (const k of Object.keys(bytesByOperation)) delete bytesByOperation[k];
      bytesServed = 0;
      return {};
    case 'pageBytes':
      store.pageBytes = msg.value;
      return {};
    case 'freezeHints':
      store.freezeHints(msg.frozen);
      return {};
    case 'takeReadLog':
      return readLog.splice(0);
  }
}

process.on('message', (raw: { id: number } & ControlRequest) => {
  let reply: { id: number; result?: unknown; error?: string };
  try {
    reply = { id: raw.id, result: control(raw) };
  } catch (err) {
    reply = { id: raw.id, error: (err as Error).stack ?? String(err) };
  }
  process.send?.(reply);
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
