/**
 * Which streams a poll reads. Idle streams should cost (almost) nothing, so a stream is read only
 * when CloudWatch's listing says something changed in it, and otherwise every
 * `full_read_interval`, because AWS documents the listing's times as eventually consistent: a
 * stale one delays a record by at most that interval and loses nothing.
 *
 * A stream is due when
 * - it was never read by this process (a full read),
 * - its `lastIngestionTime` moved since the listing that preceded its last read (new or late
 *   records: a late one moves it too),
 * - the listing shows an event newer than any written (a read that stopped early left some),
 * - its last read failed, or
 * - its full read is due (then the forward read starts at the newest timestamp, inclusive).
 */
import type { StreamInfo } from '../cloudwatch/logGroups';

export interface Due {
  full: boolean;
}

export class ReadSchedule {
  /** The listing's hint when the stream was last read successfully; undefined before that. */
  private hintAtLastRead: number | undefined;
  private everRead = false;
  private failed = false;
  private nextFullReadMs = 0;

  constructor(private readonly fullReadIntervalMs: number) {}

  private static hintOf(info: StreamInfo): number | undefined {
    return info.lastIngestionTimeMs ?? info.lastEventTimestampMs;
  }

  due(info: StreamInfo, newestWrittenMs: number | null, nowMs: number): Due | undefined {
    const full = !this.everRead || nowMs >= this.nextFullReadMs;
    if (full || this.failed) return { full };
    const hint = ReadSchedule.hintOf(info);
    if (hint !== undefined && hint !== this.hintAtLastRead) return { full };
    const listedNewest = info.lastEventTimestampMs;
    if (listedNewest !== undefined && (newestWrittenMs === null || listedNewest > newestWrittenMs))
      return { full };
    return undefined;
  }

  /** The read that `due` asked for succeeded, on the listing `info`. */
  read(info: StreamInfo, due: Due, nowMs: number): void {
    this.hintAtLastRead = ReadSchedule.hintOf(info);
    this.everRead = true;
    this.failed = false;
    // ±10 %: streams first read together do not all come due in the same poll again.
    if (due.full)
      this.nextFullReadMs = nowMs + this.fullReadIntervalMs * (0.9 + Math.random() * 0.2);
  }

  /** The read failed: read again at the next poll. */
  readFailed(): void {
    this.failed = true;
  }
}
