/**
 * The runner lock of an input whose checkpoints are files: a lock file beside them, holding who
 * runs the input (pid, host, boot, start time) and a random token.
 *
 * - Taking it is atomic: the content is written to a temporary file first, then hard-linked to the
 *   lock's name, which fails when the name exists.
 * - A lock whose process no longer runs (same host: pid gone, pid reused, host rebooted; another
 *   host: not renewed for `foreignStaleMs`) is stale: it is moved aside — one atomic rename that
 *   only one waiter can win — checked to be the stale one, logged and removed.
 * - The holder renews it (touches it) every `renewMs` and checks it is still its own; if not, the
 *   lock is lost and the run must stop at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock, HeldLock, Logger, RunnerLock } from '../collector/ports';
import { currentProcess, stillRunsHere, type ProcessIdentity } from './processes';

export interface LockTiming {
  /** How often a holder touches its lock and checks it still holds it. */
  renewMs: number;
  /** A lock from another host (a shared checkpoint folder) is stale after this long untouched. */
  foreignStaleMs: number;
  /** How often a waiter looks again. */
  retryMs: number;
}

const DEFAULT_TIMING: LockTiming = { renewMs: 10_000, foreignStaleMs: 60_000, retryMs: 1_000 };
/** An empty or unreadable lock younger than this is being written: wait rather than remove it. */
const UNREADABLE_GRACE_MS = 10_000;

interface LockContent extends ProcessIdentity {
  token: string;
  input: string;
  acquiredAt: string;
}

export class FileRunnerLock implements RunnerLock {
  readonly file: string;
  private tempCounter = 0;

  constructor(
    dir: string,
    private readonly input: string,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly timing: LockTiming = DEFAULT_TIMING,
  ) {
    const digest = createHash('sha256').update(`lock|${input}`).digest('hex').slice(0, 32);
    this.file = path.join(dir, `${digest}.lock`);
  }

  async acquire(signal: AbortSignal): Promise<HeldLock> {
    const mine: LockContent = {
      ...currentProcess(),
      token: randomUUID(),
      input: this.input,
      acquiredAt: new Date(this.clock.nowMs()).toISOString(),
    };
    const text = JSON.stringify(mine);
    let saidWaiting = false;
    for (;;) {
      signal.throwIfAborted();
      if (this.tryCreate(text)) return this.held(mine.token);
      const seen = this.readLock();
      if (seen === 'gone') continue;
      if (this.isLive(seen)) {
        if (!saidWaiting) {
          saidWaiting = true;
          const owner = typeof seen === 'string' ? undefined : seen.content;
          this.logger.log(
            'WARN',
            'another instance of this input is running: waiting for it to stop',
            {
              input: this.input,
              holder_pid: owner?.pid,
              holder_host: owner?.host,
              holder_since: owner?.acquiredAt,
              lock: this.file,
            },
          );
        }
        await this.clock.sleep(this.timing.retryMs, signal);
        continue;
      }
      this.removeStale(seen);
    }
  }

  /** Creates the lock with its content in one step; false when it exists. */
  private tryCreate(text: string): boolean {
    const tmp = `${this.file}.${process.pid}.${this.tempCounter++}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    try {
      fs.linkSync(tmp, this.file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** The lock's text and content (undefined when unreadable), or 'gone' when it vanished. */
  private readLock(): 'gone' | { text: string; content: LockContent | undefined; mtimeMs: number } {
    try {
      const text = fs.readFileSync(this.file, 'utf8');
      const { mtimeMs } = fs.statSync(this.file);
      let content: LockContent | undefined;
      try {
        content = JSON.parse(text) as LockContent;
        if (typeof content?.pid !== 'number' || typeof content.token !== 'string')
          content = undefined;
      } catch {
        content = undefined;
      }
      return { text, content, mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw err;
    }
  }

  private isLive(seen: { content: LockContent | undefined; mtimeMs: number }): boolean {
    // File times are the file system's, so ages are measured on the wall clock, not the run's clock.
    const age = Date.now() - seen.mtimeMs;
    if (!seen.content) return age < UNREADABLE_GRACE_MS;
    if (seen.content.host !== currentProcess().host) return age < this.timing.foreignStaleMs;
    return stillRunsHere(seen.content);
  }

  private removeStale(seen: { text: string; content: LockContent | undefined }): void {
    const aside = `${this.file}.${process.pid}.${this.tempCounter++}.stale`;
    try {
      fs.renameSync(this.file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const moved = fs.readFileSync(aside, 'utf8');
    if (moved !== seen.text) {
      // Another waiter replaced the stale lock between our read and our rename: put it back.
      try {
        fs.linkSync(aside, this.file);
      } catch {
        // A third process holds the name now; the one we moved notices at its next renewal.
      }
      fs.rmSync(aside, { force: true });
      return;
    }
    fs.rmSync(aside, { force: true });
    this.logger.log('WARN', 'removed a stale lock: the instance that held it is gone', {
      input: this.input,
      stale_pid: seen.content?.pid,
      stale_host: seen.content?.host,
      stale_since: seen.content?.acquiredAt,
      lock: this.file,
    });
  }

  private held(token: string): HeldLock {
    const lost = new AbortController();
    const stillMine = (): boolean => {
      const seen = this.readLock();
      return seen !== 'gone' && seen.content?.token === token;
    };
    const timer = setInterval(() => {
      try {
        if (!stillMine()) throw new Error('the lock file was replaced or removed');
        const now = new Date();
        fs.utimesSync(this.file, now, now);
      } catch (err) {
        clearInterval(timer);
        this.logger.log('ERROR', 'runner lock lost: stopping this instance at once', {
          input: this.input,
          lock: this.file,
          reason: (err as Error).message,
        });
        lost.abort(new Error(`runner lock lost: ${(err as Error).message}`));
      }
    }, this.timing.renewMs);
    timer.unref();
    return {
      lost: lost.signal,
      release: async () => {
        clearInterval(timer);
        if (!lost.signal.aborted && stillMine()) fs.rmSync(this.file, { force: true });
      },
    };
  }
}
