/**
 * One poll of one stream: the reads its tracker plans (forward, full, window, gap), each to the
 * point where nothing new follows, and for each slice of each page the new records (plus integrity
 * notices) handed to `Delivery`, which writes them and commits the checkpoint once they are read.
 *
 * A read stops after a page that was neither full nor empty once it reached the newest record
 * CloudWatch's listing knows of: that is one request per read at steady state. Anything a stop
 * leaves behind is read at the next poll, because the listing then shows a newer record.
 *
 * A failure (AWS, checkpoint) rolls the tracker back to the state after the last slice written,
 * so the rest is read again at the next poll; what was written is never written again.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { readStream } from '../cloudwatch/streamReader';
import { noticeEvent, type EventOrigin } from './collectorEvents';
import type { Delivery } from './delivery';
import { logNotice } from './noticeLog';
import type { CheckpointStore, Clock, Logger, SplunkEvent } from './ports';
import type { StreamState } from './streamState';
import { StreamTracker, type CloudWatchRecord, type ReadPass } from './streamTracker';

export interface StreamCounters {
  recordsRead: number;
  recordsWritten: number;
  duplicatesSkipped: number;
}

export interface StreamHandle {
  name: string;
  checkpointKey: string;
  /** The state after the last slice written; the tracker is rebuilt from it after a failure. */
  written: StreamState;
  tracker: StreamTracker;
}

export interface StreamPollDeps {
  client: CloudWatchLogsClient;
  store: CheckpointStore;
  delivery: Delivery;
  logger: Logger;
  clock: Clock;
  origin: EventOrigin;
  lateEventWindowMs: number;
  counters: StreamCounters;
}

export interface PollRequest {
  /** A full read: the forward read starts at the newest timestamp, inclusive. */
  full: boolean;
  /** The newest event timestamp CloudWatch's listing shows for the stream, if any. */
  listedLastEventMs?: number;
}

/**
 * Events per write-and-commit cycle. A `kill -9` doubles what was written and not yet committed:
 * up to twice the pipe's capacity plus one slice; small slices keep that small, large ones
 * keep checkpoint writes per record low. 500 records ≈ 200 KB of output.
 */
const SLICE_SIZE = 500;

export function newStreamHandle(
  name: string,
  checkpointKey: string,
  state: StreamState,
  lateEventWindowMs: number,
): StreamHandle {
  return {
    name,
    checkpointKey,
    written: state,
    tracker: new StreamTracker(state, lateEventWindowMs),
  };
}

async function writeSlice(
  handle: StreamHandle,
  deps: StreamPollDeps,
  pass: ReadPass,
  events: readonly CloudWatchRecord[],
  signal: AbortSignal,
): Promise<void> {
  const { origin, counters } = deps;
  const nowMs = deps.clock.nowMs();
  const page = handle.tracker.accept(pass, events, nowMs);
  counters.duplicatesSkipped += page.duplicates;
  if (page.records.length === 0 && page.notices.length === 0) return;

  const out: SplunkEvent[] = [];
  for (const notice of page.notices) out.push(noticeEvent(origin, handle.name, notice, nowMs));
  for (const record of page.records) {
    out.push({
      time: record.time,
      host: handle.name,
      source: origin.source,
      sourcetype: record.sourcetype,
      index: origin.index,
      data: record.message,
    });
  }
  await deps.delivery.writable(signal);
  const state = handle.tracker.snapshot(nowMs);
  const prepared = await deps.store.prepare(handle.checkpointKey, state, nowMs);
  await deps.delivery.deliver(handle.checkpointKey, prepared, out);
  handle.written = state;
  counters.recordsWritten += page.records.length;
  for (const notice of page.notices) logNotice(deps.logger, origin, handle.name, notice);
}

/** Reads what the stream's tracker plans once. Throws on AWS, checkpoint or output errors. */
export async function pollStream(
  handle: StreamHandle,
  deps: StreamPollDeps,
  request: PollRequest,
  signal: AbortSignal,
): Promise<void> {
  const { origin, counters, logger } = deps;
  try {
    for (const range of handle.tracker.plan(deps.clock.nowMs(), request.full)) {
      const pass: ReadPass = new Map();
      let pages = 0;
      for await (const page of readStream(
        deps.client,
        origin.logGroup,
        handle.name,
        range,
        signal,
      )) {
        pages++;
        counters.recordsRead += page.events.length;
        for (let i = 0; i < page.events.length; i += SLICE_SIZE) {
          await writeSlice(handle, deps, pass, page.events.slice(i, i + SLICE_SIZE), signal);
        }
        const last = page.events[page.events.length - 1]?.timestamp;
        logger.log('DEBUG', 'page read', {
          log_group: origin.logGroup,
          stream: handle.name,
          read: range.why,
          start_time: range.startMs,
          events: page.events.length,
          full: page.full,
        });
        const reachedListing =
          last !== undefined &&
          request.listedLastEventMs !== undefined &&
          last >= request.listedLastEventMs;
        if (!page.full && reachedListing) break;
      }
      if (pages > 1)
        logger.log('DEBUG', 'read done', { stream: handle.name, read: range.why, pages });
    }
  } catch (err) {
    handle.tracker = new StreamTracker(handle.written, deps.lateEventWindowMs);
    throw err;
  }
}
