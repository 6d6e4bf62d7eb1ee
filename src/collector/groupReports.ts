/**
 * How a log group's poller reports what goes wrong: a log line each time, but one `error` event
 * per distinct problem (a deleted group or stream, an error code of a stream), not one per retry,
 * so a broken stream does not flood the index. Events written here carry no checkpoint; an output
 * failure ends the run.
 */
import { describeError } from '../cloudwatch/errors';
import { errorEvent, type EventOrigin } from './collectorEvents';
import { OutputError } from './errors';
import type { Clock, EventSink, Logger, SplunkEvent } from './ports';

export class GroupReports {
  /** Problems already reported once, so events do not repeat them. */
  private readonly reported = new Set<string>();
  private errorsTotal = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly origin: EventOrigin,
  ) {}

  private get where() {
    return { region: this.origin.region, log_group: this.origin.logGroup };
  }

  /** Writes events that need no checkpoint; an output failure ends the run. */
  async emit(events: SplunkEvent[]): Promise<void> {
    try {
      await this.sink.write(events);
    } catch (err) {
      throw new OutputError(err);
    }
  }

  /** Reports a problem (`id`) once, until `clear(id)` says it went away. */
  async once(id: string, stream: string | undefined, err: unknown, what: string): Promise<void> {
    if (this.reported.has(id)) return;
    this.reported.add(id);
    const e = describeError(err);
    this.logger.log('WARN', what, { ...this.where, stream, error_code: e.code });
    await this.emit([errorEvent(this.origin, stream, e.code, what, this.clock.nowMs())]);
  }

  clear(id: string): void {
    this.reported.delete(id);
  }

  /** A failed read: a log line each time, one event per error code and stream. */
  async error(stream: string | undefined, err: unknown): Promise<void> {
    const e = describeError(err);
    this.errorsTotal++;
    this.logger.log(e.throttled ? 'WARN' : 'ERROR', `read failed, will retry: ${e.message}`, {
      ...this.where,
      stream,
      error_code: e.code,
      retryable: e.retryable,
      errors_total: this.errorsTotal,
    });
    const id = `error:${stream ?? ''}:${e.code}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    await this.emit([errorEvent(this.origin, stream, e.code, e.message, this.clock.nowMs())]);
  }
}
