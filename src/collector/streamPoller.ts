/**
 * One poll of one stream: read from the tracker's position to the true end of the stream, and for
 * each page write the new records (plus integrity notices) and then advance the checkpoint.
 *
 * Order per page — the invariant that makes "none lost, none twice" hold across crashes:
 *   1. the tracker decides what is new (in memory);
 *   2. the checkpoint covering it is prepared on disk (temp file, fsync) — nothing visible yet;
 *   3. the events are written and stdout has taken them;
 *   4. the checkpoint is committed (one rename).
 * A failure before 4 rolls the tracker back to the last committed state, so the page is read and
 * written again later; a crash before 4 does the same after restart.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CheckpointStore } from '../checkpoint/store';
import { readStream } from '../cloudwatch/streamReader';
import { noticeEvent, type EventOrigin } from './collectorEvents';
import { OutputError } from './errors';
import type { Clock, EventSink, Logger, SplunkEvent } from './ports';
import {
  StreamTracker,
  type CloudWatchRecord,
  type StreamState,
  type StreamNotice,
} from './streamTracker';

export interface StreamCounters {
  recordsRead: number;
  recordsWritten: number;
  duplicatesSkipped: number;
}

export interface StreamHandle {
  name: string;
  checkpointKey: string;
  /** The last committed state; the tracker is rebuilt from it after a failure. */
  committed: StreamState | undefined;
  tracker: StreamTracker;
  initialReadFromMs: number;
  expectFromZero: boolean;
}

export interface StreamPollDeps {
  client: CloudWatchLogsClient;
  store: CheckpointStore;
  sink: EventSink;
  logger: Logger;
  clock: Clock;
  origin: EventOrigin;
  lateEventWindowMs: number;
  counters: StreamCounters;
}

export function newStreamHandle(
  name: string,
  checkpointKey: string,
  committed: StreamState | undefined,
  initialReadFromMs: number,
  expectFromZero: boolean,
  lateEventWindowMs: number,
): StreamHandle {
  return {
    name,
    checkpointKey,
    committed,
    initialReadFromMs,
    expectFromZero,
    tracker: new StreamTracker(committed, initialReadFromMs, expectFromZero, lateEventWindowMs),
  };
}

function rollBack(handle: StreamHandle, lateEventWindowMs: number): void {
  handle.tracker = new StreamTracker(
    handle.committed,
    handle.initialReadFromMs,
    handle.expectFromZero,
    lateEventWindowMs,
  );
}

function logNotice(
  logger: Logger,
  origin: EventOrigin,
  stream: string,
  notice: StreamNotice,
): void {
  const where = { log_group: origin.logGroup, region: origin.region, stream };
  switch (notice.kind) {
    case 'sequence_gap':
      logger.log('WARN', 'sequence gap: records missing from the audit trail', {
        ...where,
        reboot_counter: notice.rebootCounter,
        first_missing: notice.from,
        last_missing: notice.to,
        missing: notice.missing,
      });
      break;
    case 'sequence_gap_resolved':
      logger.log('INFO', 'sequence gap filled by late records', {
        ...where,
        first_missing: notice.from,
        last_missing: notice.to,
        filled: notice.filled,
        open_seconds: notice.openSeconds,
      });
      break;
    case 'reboot_counter_changed':
      logger.log('WARN', 'reboot counter changed: the HSM rebooted', {
        ...where,
        previous: notice.previous,
        current: notice.current,
      });
      break;
  }
}

/**
 * Events per write-and-commit cycle. A `kill -9` can land while stdout holds part of a slice;
 * splunkd indexes the complete events of that part and they are written again after the restart.
 * Small slices keep that exposure small; large ones keep checkpoint writes per record low.
 * 500 records ≈ 200 KB of output ≈ 3 pipe buffers.
 */
const SLICE_SIZE = 500;

/**
 * Write-then-commit is one turn per output: the next slice (of any stream) is written only once
 * the previous slice's checkpoint is renamed. With the checkpoint I/O asynchronous, streams would
 * otherwise each hold a written-but-uncommitted slice and one `kill -9` could double up to one slice
 * per stream read in parallel; this way it stays at most one slice. The costly part of a checkpoint
 * (write + fsync of the temporary file) is prepared outside the turn, in parallel.
 */
const outputTurns = new WeakMap<EventSink, Promise<void>>();

function inOutputTurn(sink: EventSink, fn: () => Promise<void>): Promise<void> {
  const turn = (outputTurns.get(sink) ?? Promise.resolve()).then(fn);
  outputTurns.set(
    sink,
    turn.then(
      () => undefined,
      () => undefined,
    ),
  );
  return turn;
}

async function writeSlice(
  handle: StreamHandle,
  deps: StreamPollDeps,
  events: CloudWatchRecord[],
): Promise<void> {
  const { origin, counters } = deps;
  const nowMs = deps.clock.nowMs();
  const page = handle.tracker.accept(events, nowMs);
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
  const state = handle.tracker.snapshot();
  const prepared = await deps.store.prepareAsync(handle.checkpointKey, state, nowMs);
  await inOutputTurn(deps.sink, async () => {
    try {
      await deps.sink.write(out);
    } catch (err) {
      prepared.abort();
      throw new OutputError(err);
    }
    prepared.commit();
  });
  handle.committed = state;
  counters.recordsWritten += page.records.length;
  for (const notice of page.notices) logNotice(deps.logger, origin, handle.name, notice);
}

/** Reads one stream to its end once. Throws on AWS, checkpoint or output errors (after rollback). */
export async function pollStream(
  handle: StreamHandle,
  deps: StreamPollDeps,
  signal: AbortSignal,
): Promise<void> {
  const { origin, counters } = deps;
  try {
    const pages = readStream(
      deps.client,
      origin.logGroup,
      handle.name,
      handle.tracker.nextReadFromMs,
      signal,
    );
    for await (const page of pages) {
      counters.recordsRead += page.length;
      for (let i = 0; i < page.length; i += SLICE_SIZE) {
        await writeSlice(handle, deps, page.slice(i, i + SLICE_SIZE));
      }
    }
    // Re-reads that wrote nothing still move the read position forward: save it.
    const state = handle.tracker.snapshot();
    if (state.readFromMs !== handle.committed?.readFromMs) {
      deps.store.save(handle.checkpointKey, state, deps.clock.nowMs());
      handle.committed = state;
    }
  } catch (err) {
    rollBack(handle, deps.lateEventWindowMs);
    throw err;
  }
}
