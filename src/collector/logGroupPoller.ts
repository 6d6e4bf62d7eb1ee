/**
 * Polls one log group (one CloudHSM cluster) until the run is stopped: every `poll_interval` it
 * lists the group's streams (so a replaced HSM's new stream is picked up), reads those the listing
 * shows something new in, and the others every `full_read_interval` (readSchedule.ts), and, every
 * `health_interval`, writes a `health` event and an INFO line.
 *
 * Failures stay local: a stream that fails is retried at the next poll while the others go on; a
 * deleted stream or group is reported once and skipped until it reappears; repeated failures back
 * off exponentially with jitter. Only an output failure (splunkd gone) ends the run.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ApiStats } from '../cloudwatch/apiBudget';
import { describeError } from '../cloudwatch/errors';
import { listStreams, type StreamInfo } from '../cloudwatch/logGroups';
import type { InputConfig } from '../config/inputConfig';
import { errorEvent, healthEvent, streamAddedEvent, type EventOrigin } from './collectorEvents';
import type { Delivery } from './delivery';
import { CheckpointError, isAbort, OutputError } from './errors';
import type { InputState } from './inputState';
import type { CheckpointStore, Clock, EventSink, Logger } from './ports';
import { GroupReports } from './groupReports';
import { HealthReport } from './healthReport';
import { ReadSchedule } from './readSchedule';
import type { Semaphore } from './semaphore';
import { newStreamHandle, pollStream, type StreamHandle } from './streamPoller';
import { newStreamState, streamStateFrom, type StreamState } from './streamState';

export interface LogGroupPollerDeps {
  client: CloudWatchLogsClient;
  config: InputConfig;
  inputState: InputState;
  origin: EventOrigin;
  store: CheckpointStore;
  sink: EventSink;
  delivery: Delivery;
  logger: Logger;
  clock: Clock;
  apiStats: ApiStats;
  streamLimiter: Semaphore;
  /** The input's request budget for this account and region (requests per second). */
  budgetPerSecond: number;
  /** Whether this group's health event also reports the region's discovery requests. */
  reportsRegionCalls: boolean;
}

interface Tracked {
  handle: StreamHandle;
  schedule: ReadSchedule;
}

/** Longest wait after repeated failures: a broken group is retried at least this often. */
const MAX_BACKOFF_MS = 5 * 60_000;

export function streamCheckpointKey(
  input: string,
  region: string,
  logGroup: string,
  stream: string,
): string {
  return ['stream', input, region, logGroup, stream].join('|');
}

export class LogGroupPoller {
  private readonly streams = new Map<string, Tracked>();
  /** Streams whose checkpoint cannot be read: skipped (loudly) until an admin fixes the file. */
  private readonly unreadable = new Set<string>();
  private readonly health: HealthReport;
  private readonly reports: GroupReports;

  constructor(private readonly deps: LogGroupPollerDeps) {
    this.reports = new GroupReports(deps.sink, deps.logger, deps.clock, deps.origin);
    this.health = new HealthReport(
      deps.apiStats,
      deps.origin.logGroup,
      deps.config.healthIntervalSeconds,
      deps.budgetPerSecond,
      deps.clock.nowMs(),
      deps.reportsRegionCalls,
    );
  }

  private get where() {
    return { region: this.deps.origin.region, log_group: this.deps.origin.logGroup };
  }

  async run(signal: AbortSignal): Promise<void> {
    const { clock, config } = this.deps;
    let failures = 0;
    let nextHealthMs = clock.nowMs() + config.healthIntervalSeconds * 1000;
    while (!signal.aborted) {
      try {
        failures = (await this.pollOnce(signal)) ? 0 : failures + 1;
      } catch (err) {
        if (isAbort(err, signal)) break;
        if (err instanceof OutputError) throw err;
        failures++;
        await this.reports.error(undefined, err);
      }
      if (clock.nowMs() >= nextHealthMs) {
        await this.writeHealth();
        nextHealthMs = clock.nowMs() + config.healthIntervalSeconds * 1000;
      }
      try {
        await clock.sleep(this.delayMs(failures), signal);
      } catch (err) {
        if (isAbort(err, signal)) break;
        throw err;
      }
    }
  }

  private delayMs(failures: number): number {
    const base = this.deps.config.pollIntervalSeconds * 1000;
    if (failures === 0) return base;
    // Full jitter: spreads retries of many groups so they do not hit the API together.
    const ceiling = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(failures, 10));
    return base + Math.floor(Math.random() * (ceiling - base));
  }

  /** One poll of the streams due; true when every one of them was read. */
  private async pollOnce(signal: AbortSignal): Promise<boolean> {
    const cycleStartMs = this.deps.clock.nowMs();
    let streams: StreamInfo[];
    try {
      streams = await listStreams(this.deps.client, this.deps.origin.logGroup, signal);
    } catch (err) {
      if (describeError(err).code === 'ResourceNotFoundException') {
        await this.reports.once(
          'group-missing',
          undefined,
          err,
          'log group not found (deleted, or not created yet): will look again',
        );
        return true;
      }
      throw err;
    }
    this.reports.clear('group-missing');

    const results = await Promise.all(
      streams.map(async (info) => {
        const tracked = await this.trackedFor(info);
        if (!tracked) return false;
        const { handle, schedule } = tracked;
        const due = schedule.due(info, handle.tracker.newestAnyMs, this.deps.clock.nowMs());
        if (!due) return true;
        return this.deps.streamLimiter.run(async () => {
          try {
            const request = { full: due.full, listedLastEventMs: info.lastEventTimestampMs };
            await pollStream(handle, this.pollDeps(), request, signal);
            schedule.read(info, due, this.deps.clock.nowMs());
            this.reports.clear(`stream-missing:${info.name}`);
            return true;
          } catch (err) {
            schedule.readFailed();
            if (isAbort(err, signal) || err instanceof OutputError) throw err;
            if (describeError(err).code === 'ResourceNotFoundException') {
              await this.reports.once(
                `stream-missing:${info.name}`,
                info.name,
                err,
                'log stream not found (deleted?): skipped until it reappears',
              );
              return true;
            }
            await this.reports.error(info.name, err);
            return false;
          }
        });
      }),
    );
    const complete = results.every(Boolean);
    if (complete) this.health.cycleCompleted(cycleStartMs);
    return complete;
  }

  private pollDeps() {
    const d = this.deps;
    return {
      client: d.client,
      store: d.store,
      delivery: d.delivery,
      logger: d.logger,
      clock: d.clock,
      origin: d.origin,
      lateEventWindowMs: d.config.lateEventWindowSeconds * 1000,
      counters: this.health.counters,
    };
  }

  /** The stream's handle, created from its checkpoint on first sight; undefined when unreadable. */
  private async trackedFor(info: StreamInfo): Promise<Tracked | undefined> {
    const known = this.streams.get(info.name);
    if (known) return known;
    if (this.unreadable.has(info.name)) return undefined;
    const { config, origin, store, inputState, clock } = this.deps;
    const key = streamCheckpointKey(config.name, origin.region, origin.logGroup, info.name);
    let state: StreamState | undefined;
    try {
      const saved = await store.load<unknown>(key);
      if (saved !== undefined) state = streamStateFrom(saved, inputState.startMs, key);
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      this.unreadable.add(info.name);
      this.deps.logger.log(
        'ERROR',
        `checkpoint unreadable, stream NOT read until it is fixed: ${err.message}`,
        {
          ...this.where,
          stream: info.name,
          checkpoint: err.location,
          checkpoint_store: store.kind,
          recovery:
            'remove the checkpoint to re-read the stream from the start position (see RELIABILITY.md)',
        },
      );
      await this.reports.emit([
        errorEvent(origin, info.name, 'checkpoint_unreadable', err.message, clock.nowMs()),
      ]);
      return undefined;
    }
    // A stream created after the start position is read whole, so its first record must be seq 0.
    const created = info.creationTimeMs;
    const isNew = state === undefined;
    state ??= newStreamState(
      inputState.startMs,
      created !== undefined && created >= inputState.startMs,
    );
    const handle = newStreamHandle(info.name, key, state, config.lateEventWindowSeconds * 1000);
    if (isNew) await this.announceNewStream(handle, created);
    const tracked = { handle, schedule: new ReadSchedule(config.fullReadIntervalSeconds * 1000) };
    this.streams.set(info.name, tracked);
    return tracked;
  }

  /**
   * A stream that appeared after the input first ran is a new HSM (replacement, scale-out): report
   * it once. The report and the stream's first checkpoint go out together, so it is never repeated.
   */
  private async announceNewStream(
    handle: StreamHandle,
    createdMs: number | undefined,
  ): Promise<void> {
    const { inputState, origin, clock, store, delivery, logger } = this.deps;
    if (createdMs === undefined || createdMs < inputState.firstRunMs) return;
    const prepared = await store.prepare(handle.checkpointKey, handle.written, clock.nowMs());
    await delivery.deliver(handle.checkpointKey, prepared, [
      streamAddedEvent(origin, handle.name, createdMs, clock.nowMs()),
    ]);
    logger.log('WARN', 'new HSM stream in the log group (HSM added or replaced)', {
      ...this.where,
      stream: handle.name,
      created: new Date(createdMs).toISOString(),
    });
  }

  private async writeHealth(): Promise<void> {
    const nowMs = this.deps.clock.nowMs();
    const openGaps = [...this.streams.values()].reduce((n, s) => n + s.handle.tracker.openGaps, 0);
    const { figures, logFields } = this.health.take(nowMs, this.streams.size, openGaps);
    this.deps.logger.log('INFO', 'health', { ...this.where, ...logFields });
    await this.reports.emit([healthEvent(this.deps.origin, figures, nowMs)]);
  }
}
