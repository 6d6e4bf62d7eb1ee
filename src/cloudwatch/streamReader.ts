/**
 * Reads one log stream forward from a timestamp, one page at a time, to its true end.
 *
 * GetLogEvents can return empty pages while more data exists and, at the end of a stream, returns
 * the token it was given: so paging stops only on an unchanged token (`stopOnSameToken`), never on
 * an empty page. Pages are pulled lazily, so a backlog of any size is held one page at a time.
 */
import {
  paginateGetLogEvents,
  type CloudWatchLogsClient,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';

/** GetLogEvents' maximum page size. */
const PAGE_SIZE = 10_000;

export async function* readStream(
  client: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
  startTimeMs: number,
  signal: AbortSignal,
): AsyncGenerator<OutputLogEvent[]> {
  const pages = paginateGetLogEvents(
    { client, pageSize: PAGE_SIZE, stopOnSameToken: true },
    { logGroupName, logStreamName, startTime: startTimeMs, startFromHead: true },
    { abortSignal: signal },
  );
  for await (const page of pages) {
    yield page.events ?? [];
  }
}
