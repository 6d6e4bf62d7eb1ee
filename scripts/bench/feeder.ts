/**
 * Puts a fleet's records into the emulator as a real CloudWatch Logs would receive them: the
 * history at once before the input starts, then each new record once its time has come (checked
 * every 100 ms), every call stamped by the emulator with its ingestion time.
 */
import type { Emulator } from './emulator/control';
import { materialize, recordKey, type Timeline } from './fleet';
import { sleep } from './measure';

const TICK_MS = 100;
const HISTORY_BATCH = 5_000;

export class Feeder {
  /** Ingestion time of each new record put so far, by recordKey. */
  readonly ingestedAt = new Map<string, number>();
  /** New records put so far (a prefix of timeline.live). */
  put = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(
    private readonly emu: Emulator,
    private readonly timeline: Timeline,
    readonly t0: number,
  ) {}

  /** Resets the emulator, puts the history relative to now (T0) and returns the feeder. */
  static async withHistory(emu: Emulator, timeline: Timeline): Promise<Feeder> {
    await emu.reset();
    const feeder = new Feeder(emu, timeline, Date.now());
    const { history } = timeline;
    for (let i = 0; i < history.length; i += HISTORY_BATCH)
      await emu.put(history.slice(i, i + HISTORY_BATCH).map((r) => materialize(r, feeder.t0)));
    return feeder;
  }

  /** Starts putting new records; `check()` throws once it failed or ran out of records. */
  start(): void {
    this.running = true;
    this.loop = this.feed().catch((err: Error) => {
      this.failure = err;
    });
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async feed(): Promise<void> {
    const { live } = this.timeline;
    while (this.running) {
      const nowUs = Date.now() * 1000;
      const due = [];
      while (this.put < live.length && this.t0 * 1000 + live[this.put]!.offsetUs <= nowUs)
        due.push(live[this.put++]!);
      if (due.length > 0) {
        const { ingestionTime } = await this.emu.put(due.map((r) => materialize(r, this.t0)));
        for (const r of due) this.ingestedAt.set(recordKey(r.logStreamName, r.seq), ingestionTime);
      } else if (live.length > 0 && this.put >= live.length) {
        throw new Error("the fleet's timeline ran out of new records: lengthen it");
      }
      await sleep(TICK_MS);
    }
  }
}
