/**
 * Reads one log stream over a time range, one page at a time, through the SDK's paginator.
 *
 * GetLogEvents can return empty or partly filled pages while more data exists and, at the end of
 * a stream, returns the token it was given: the paginator stops only on an unchanged token, never
 * on an empty page. Each page says whether it was full, so a caller reading only what is new may
 * stop after a page that was not (the rest, if any, is read by its next read); pages are pulled
 * lazily, so a backlog of any size is held one page at a time.
 */
import {
  paginateGetLogEvents,
  type CloudWatchLogsClient,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';

/** GetLogEvents' maximum page size (events). */
const PAGE_SIZE = 10_000;
/**
 * GetLogEvents' page limit is 1 MB; a page cut by it holds more than 1 MB minus one event (at most
 * 256 KB for CloudHSM's records). Half of it is a safe line between "cut" and "the data ran out".
 */
const FULL_PAGE_BYTES = 512 * 1024;

export interface StreamPage {
  events: OutputLogEvent[];
  /** The page was cut by a page limit, so more data surely follows. */
  full: boolean;
}

export interface TimeRange {
  startMs: number;
  /** Exclusive, as GetLogEvents' `endTime`. */
  endMs?: number;
}

export async function* readStream(
  client: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
  range: TimeRange,
  signal: AbortSignal,
): AsyncGenerator<StreamPage> {
  const pages = paginateGetLogEvents(
    { client, pageSize: PAGE_SIZE, stopOnSameToken: true },
    {
      logGroupName,
      logStreamName,
      startTime: range.startMs,
      endTime: range.endMs,
      startFromHead: true,
    },
    { abortSignal: signal },
  );
  for await (const page of pages) {
    const events = page.events ?? [];
    let bytes = 0;
    for (const e of events) bytes += (e.message?.length ?? 0) + 26;
    yield { events, full: events.length >= PAGE_SIZE || bytes >= FULL_PAGE_BYTES };
  }
}
