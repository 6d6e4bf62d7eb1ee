/**
 * The emulator's data: log groups, their streams, and each stream's events sorted by timestamp,
 * every event kept as its pre-serialized JSON fragment so that a GetLogEvents answer is a
 * concatenation of bytes, cached per (stream, start position) until the stream changes.
 *
 * GetLogEvents follows CloudWatch (and moto, see test/support/moto.ts): `startTime` inclusive and
 * `endTime` exclusive on the event timestamp (as AWS documents it), `startFromHead`, a page of at
 * most `limit` (≤ 10,000) events and 1 MB (message UTF-8 bytes + 26 per event, as AWS counts them),
 * forward tokens that are positions, and at the end of the stream (or of the time range) an empty
 * page carrying the very token that was sent. DescribeLogStreams reports `lastIngestionTime` as the
 * latest ingestion into the stream, a late record included; `freezeHints` makes it (and
 * `lastEventTimestamp`) stand still, as AWS's eventually consistent values can.
 */

export interface StoredEvent {
  timestamp: number;
  ingestionTime: number;
  /** UTF-8 bytes of the message as it is served (may be invalid UTF-8 on purpose: the fuzzer). */
  size: number;
  /** `{"timestamp":…,"message":…,"ingestionTime":…}` */
  json: Buffer;
}

export interface StreamData {
  name: string;
  creationTime: number;
  events: StoredEvent[];
  /** Page bodies by start index; dropped whenever an event is added. */
  pages: Map<number, { body: Buffer; end: number }>;
  storedBytes: number;
  lastIngestionTime?: number;
  /** Events before this index were served at least once (GetLogEvents, any reader). */
  servedUpTo?: number;
  /** What DescribeLogStreams shows while hints are frozen. */
  frozen?: { lastIngestionTime?: number; lastEventTimestamp?: number };
}

export interface GroupData {
  name: string;
  creationTime: number;
  streams: Map<string, StreamData>;
}

/** AWS's GetLogEvents page limits. */
export const PAGE_EVENTS = 10_000;
export const PAGE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_DIGITS = 56;
const forwardToken = (i: number) => `f/${String(i).padStart(TOKEN_DIGITS, '0')}`;
const backwardToken = (i: number) => `b/${String(i).padStart(TOKEN_DIGITS, '0')}`;

function parseToken(token: string): number {
  const m = /^[fb]\/(\d+)$/.exec(token);
  if (!m) throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}

/** JSON string of raw message bytes: escapes `"`, `\` and controls, keeps every other byte as is. */
function jsonStringBytes(bytes: Buffer): Buffer {
  const out: number[] = [0x22];
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out.push(0x5c, b);
    else if (b < 0x20)
      for (const c of Buffer.from(`\\u${b.toString(16).padStart(4, '0')}`)) out.push(c);
    else out.push(b);
  }
  out.push(0x22);
  return Buffer.from(out);
}

function eventJson(
  timestamp: number,
  message: string | Buffer,
  ingestionTime: number,
): StoredEvent {
  const msg =
    typeof message === 'string' ? Buffer.from(JSON.stringify(message)) : jsonStringBytes(message);
  const json = Buffer.concat([
    Buffer.from(`{"timestamp":${timestamp},"message":`),
    msg,
    Buffer.from(`,"ingestionTime":${ingestionTime}}`),
  ]);
  const size = typeof message === 'string' ? Buffer.byteLength(message, 'utf8') : message.length;
  return { timestamp, ingestionTime, size, json };
}

/** First index whose timestamp is > ts (upper bound), so equal timestamps keep put order. */
function upperBound(events: StoredEvent[], ts: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as StoredEvent).timestamp <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose timestamp is >= ts. */
function lowerBound(events: StoredEvent[], ts: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as StoredEvent).timestamp < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PutEvent {
  timestamp: number;
  message: string | Buffer;
  /** When CloudWatch received it; default the time of the put. */
  ingestionTime?: number;
}

export class LogStore {
  readonly groups = new Map<string, GroupData>();
  pageBytes = PAGE_BYTES;
  /** Events GetLogEvents returned, all pages together (the benchmark's re-read measure). */
  eventsServed = 0;
  /** Of which had been served before (counted by position: exact while events are appended). */
  eventsServedAgain = 0;
  /** DescribeLogStreams' eventually consistent values stand still while true. */
  private hintsFrozen = false;

  /** Freezes (or thaws) the listing's `lastIngestionTime` and `lastEventTimestamp` of every stream. */
  freezeHints(frozen: boolean): void {
    this.hintsFrozen = frozen;
    for (const group of this.groups.values())
      for (const s of group.streams.values()) {
        const last = s.events[s.events.length - 1];
        s.frozen = frozen
          ? { lastIngestionTime: s.lastIngestionTime, lastEventTimestamp: last?.timestamp }
          : undefined;
      }
  }

  reset(): void {
    this.groups.clear();
    this.eventsServed = 0;
    this.eventsServedAgain = 0;
  }

  createGroup(name: string, creationTime = Date.now()): GroupData {
    if (this.groups.has(name))
      throw new ApiError(
        'ResourceAlreadyExistsException',
        'The specified log group already exists',
      );
    const group = { name, creationTime, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  group(name: string | undefined): GroupData {
    const group = name === undefined ? undefined : this.groups.get(name);
    if (!group)
      throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  createStream(groupName: string, name: string, creationTime = Date.now()): StreamData {
    const group = this.group(groupName);
    if (group.streams.has(name))
      throw new ApiError(
        'ResourceAlreadyExistsException',
        'The specified log stream already exists',
      );
    const stream: StreamData = {
      name,
      creationTime,
      events: [],
      pages: new Map(),
      storedBytes: 0,
      frozen: this.hintsFrozen ? {} : undefined,
    };
    group.streams.set(name, stream);
    return stream;
  }

  stream(groupName: string | undefined, name: string | undefined): StreamData {
    const stream = name === undefined ? undefined : this.group(groupName).streams.get(name);
    if (!stream)
      throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }

  /** Creates group and stream on first use (loading), then appends; returns the ingestion time. */
  put(
    groupName: string,
    streamName: string,
    events: readonly PutEvent[],
    nowMs = Date.now(),
  ): number {
    const group = this.groups.get(groupName) ?? this.createGroup(groupName, nowMs);
    const stream =
      group.streams.get(streamName) ??
      this.createStream(groupName, streamName, Math.min(nowMs, events[0]?.timestamp ?? nowMs));
    let latest = 0;
    for (const e of events) {
      const ingestion = e.ingestionTime ?? nowMs;
      if (ingestion > latest) latest = ingestion;
      const stored = eventJson(e.timestamp, e.message, ingestion);
      const last = stream.events[stream.events.length - 1];
      if (!last || last.timestamp <= e.timestamp) stream.events.push(stored);
      else stream.events.splice(upperBound(stream.events, e.timestamp), 0, stored);
      stream.storedBytes += stored.size;
    }
    if (events.length > 0) {
      stream.pages.clear();
      stream.lastIngestionTime = Math.max(stream.lastIngestionTime ?? 0, latest);
    }
    return nowMs;
  }

  getLogEvents(req: {
    logGroupName?: string;
    logStreamName?: string;
    startTime?: number;
    endTime?: number;
    nextToken?: string;
    startFromHead?: boolean;
    limit?: number;
  }): Buffer {
    const stream = this.stream(req.logGroupName, req.logStreamName);
    const limit = req.limit ?? PAGE_EVENTS;
    if (limit < 1 || limit > PAGE_EVENTS)
      throw new ApiError('InvalidParameterException', '1 validation error detected: limit');
    const events = stream.events;
    let start: number;
    if (req.nextToken) start = Math.min(parseToken(req.nextToken), events.length);
    else {
      // startTime 0 counts as "not set", as in AWS and moto.
      start = req.startTime ? lowerBound(events, req.startTime) : 0;
      if (!req.startFromHead) start = Math.max(start, events.length - limit);
    }
    // endTime 0 counts as "not set" too; events at or after it are not included.
    const stop = req.endTime ? lowerBound(events, req.endTime) : events.length;
    const from = Math.min(start, stop);
    const body = this.page(stream, from, limit, stop);
    const end = this.lastPageEnd;
    this.eventsServed += end - from;
    this.eventsServedAgain += Math.max(0, Math.min(end, stream.servedUpTo ?? 0) - from);
    stream.servedUpTo = Math.max(stream.servedUpTo ?? 0, end);
    return body;
  }

  /** Where the page `page()` returned last ends (exclusive event index). */
  private lastPageEnd = 0;

  /**
   * The page body starting at `start` and ending before `stop`, from the cache when the stream
   * has not changed (whole-stream pages only).
   */
  page(
    stream: StreamData,
    start: number,
    limit = PAGE_EVENTS,
    stop = stream.events.length,
  ): Buffer {
    const cacheable = limit === PAGE_EVENTS && stop === stream.events.length;
    const cached = cacheable ? stream.pages.get(start) : undefined;
    if (cached) {
      this.lastPageEnd = cached.end;
      return cached.body;
    }
    const events = stream.events;
    const parts: Buffer[] = [Buffer.from('{"events":[')];
    let bytes = 0;
    let end = start;
    while (end < stop && end - start < limit) {
      const e = events[end] as StoredEvent;
      const cost = e.size + EVENT_OVERHEAD_BYTES;
      if (end > start && bytes + cost > this.pageBytes) break;
      if (end > start) parts.push(Buffer.from(','));
      parts.push(e.json);
      bytes += cost;
      end++;
    }
    parts.push(
      Buffer.from(
        `],"nextForwardToken":"${forwardToken(end)}","nextBackwardToken":"${backwardToken(start)}"}`,
      ),
    );
    const body = Buffer.concat(parts);
    if (cacheable) stream.pages.set(start, { body, end });
    this.lastPageEnd = end;
    return body;
  }

  /** Builds every page a reader starting at `startTime` will ask for, so reading is a cache hit. */
  warm(startTime: number): number {
    let pages = 0;
    for (const group of this.groups.values()) {
      for (const stream of group.streams.values()) {
        let start = startTime ? lowerBound(stream.events, startTime) : 0;
        for (;;) {
          this.page(stream, start);
          pages++;
          const end = (stream.pages.get(start) as { end: number }).end;
          if (end === start) break;
          start = end;
        }
      }
    }
    return pages;
  }

  describeLogGroups(req: {
    logGroupNamePrefix?: string;
    nextToken?: string;
    limit?: number;
  }): object {
    const limit = Math.min(req.limit ?? 50, 50);
    const names = [...this.groups.keys()]
      .filter((n) => !req.logGroupNamePrefix || n.startsWith(req.logGroupNamePrefix))
      .sort();
    const from = req.nextToken ? Number(req.nextToken) : 0;
    const slice = names.slice(from, from + limit);
    const logGroups = slice.map((name) => {
      const g = this.groups.get(name) as GroupData;
      return {
        logGroupName: name,
        creationTime: g.creationTime,
        arn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*`,
        storedBytes: 0,
      };
    });
    return from + limit < names.length
      ? { logGroups, nextToken: String(from + limit) }
      : { logGroups };
  }

  describeLogStreams(req: {
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamNamePrefix?: string;
    nextToken?: string;
    limit?: number;
  }): object {
    const group = this.group(req.logGroupName ?? req.logGroupIdentifier);
    const limit = Math.min(req.limit ?? 50, 50);
    const names = [...group.streams.keys()]
      .filter((n) => !req.logStreamNamePrefix || n.startsWith(req.logStreamNamePrefix))
      .sort();
    const from = req.nextToken ? Number(req.nextToken) : 0;
    const logStreams = names.slice(from, from + limit).map((name) => {
      const s = group.streams.get(name) as StreamData;
      const first = s.events[0];
      const last = s.events[s.events.length - 1];
      const lastEventTimestamp = s.frozen ? s.frozen.lastEventTimestamp : last?.timestamp;
      const lastIngestionTime = s.frozen ? s.frozen.lastIngestionTime : s.lastIngestionTime;
      return {
        logStreamName: name,
        creationTime: s.creationTime,
        ...(first ? { firstEventTimestamp: first.timestamp } : {}),
        ...(lastEventTimestamp !== undefined ? { lastEventTimestamp } : {}),
        ...(lastIngestionTime !== undefined ? { lastIngestionTime } : {}),
        arn: `arn:aws:logs:us-east-1:123456789012:log-group:${group.name}:log-stream:${name}`,
        storedBytes: s.storedBytes,
      };
    });
    return from + limit < names.length
      ? { logStreams, nextToken: String(from + limit) }
      : { logStreams };
  }
}
