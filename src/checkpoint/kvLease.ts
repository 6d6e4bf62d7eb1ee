/**
 * One runner per input across hosts: a lease in the KV store (collection `cloudhsm_audit_leases`).
 *
 * The KV store has no compare-and-swap, but it refuses a second insert of the same `_key` (409).
 * So each lease is a generation: record `<input hash>-<n>`. Whoever inserts generation n+1 first
 * holds the input; a racer that gets 409 has lost and waits again. The holder of the highest
 * generation owns the input; a holder that finds a higher generation has lost it and stops at once.
 *
 * - Taking over: a waiter takes generation n+1 when generation n was released (a clean stop), when
 *   its process is gone from this very host (same splunkd `server_host`, same machine and boot,
 *   pid gone), or when the waiter has watched it go unrenewed for the holder's lease time (`ttlMs`,
 *   measured on the waiter's own monotonic clock, so hosts' wall clocks never matter).
 * - Holding: the holder renews its record every `renewMs`, checking first that no higher generation
 *   exists. It counts itself the holder only until `marginMs` before the lease time runs out,
 *   counted from the start of its last renewal that succeeded: past that (splunkd or the KV store
 *   unreachable, the process stalled), `lost` aborts and nothing more is read or written
 *   (`guard.check()` throws), well before any waiter may take over.
 * - A waiter logs one WARN line while it waits, and reads or writes nothing.
 * RELIABILITY.md states what a race or a stalled holder can do, and the bounds.
 */

import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock, HeldLock, Logger, RunnerLock, SplunkdSession } from '../collector/ports';
import type { KvCollection, KvRecord } from '../splunkd/kvCollection';
import type { LeaseGuard } from './kvStore';
import type { LeaseTiming } from './leaseTiming';
import { currentProcess, stillRunsHere } from './processes';

export const LEASE_COLLECTION = 'cloudhsm_audit_leases';

export interface LeaseRecord extends KvRecord {
  input: string;
  generation: number;
  serverHost: string;
  osHost: string;
  pid: number;
  bootId?: string;
  startTicks?: string;
  token: string;
  acquiredAtMs: number;
  renewedAtMs: number;
  renewals: number;
  ttlMs: number;
  released: boolean;
}

/** Thrown by the guard: this process must not read or write the input's checkpoints. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** Why a lease was taken, for the log. */
type Taken = 'first' | 'released' | 'holder_gone' | 'expired';

function isLease(r: KvRecord): r is LeaseRecord {
  return Number.isInteger(r.generation) && typeof r.token === 'string';
}

export class KvRunnerLock implements RunnerLock {
  private readonly prefix: string;
  private deadline = 0;
  private lostSignal: AbortSignal | undefined;

  constructor(
    private readonly leases: KvCollection,
    private readonly input: string,
    private readonly session: SplunkdSession,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly timing: LeaseTiming,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.prefix = createHash('sha256').update(`lease|${input}`).digest('hex').slice(0, 32);
  }

  /** For the checkpoint store: throws unless this process holds the lease right now. */
  readonly guard: LeaseGuard = {
    check: () => {
      if (!this.lostSignal) throw new LeaseLostError('the input lease is not held');
      if (this.lostSignal.aborted) throw new LeaseLostError('the input lease is no longer held');
      if (this.monotonicMs() >= this.deadline)
        throw new LeaseLostError('the input lease could not be renewed in time');
    },
  };

  async acquire(signal: AbortSignal): Promise<HeldLock> {
    let saidWaiting = false;
    let failures = 0;
    /** The newest lease as first seen unchanged, on this process's clock. */
    let watched: { key: string; renewals: number; sinceMs: number } | undefined;
    for (;;) {
      signal.throwIfAborted();
      try {
        const newest = await this.newest(signal);
        let taken: Taken | undefined;
        if (!newest) taken = 'first';
        else if (newest.released) taken = 'released';
        else if (this.goneFromThisHost(newest)) taken = 'holder_gone';
        else {
          if (watched?.key !== newest._key || watched.renewals !== newest.renewals)
            watched = { key: newest._key, renewals: newest.renewals, sinceMs: this.monotonicMs() };
          const ttl = Math.max(1_000, Number(newest.ttlMs) || this.timing.ttlMs);
          if (this.monotonicMs() - watched.sinceMs >= ttl) taken = 'expired';
        }
        if (taken) {
          const held = await this.tryTake((newest?.generation ?? 0) + 1, taken, newest, signal);
          if (held) return held;
          watched = undefined;
          continue;
        }
        if (!saidWaiting && newest) {
          saidWaiting = true;
          this.logger.log('WARN', 'another copy of this input holds its lease: waiting', {
            input: this.input,
            holder_host: newest.serverHost,
            holder_pid: newest.pid,
            holder_since: new Date(newest.acquiredAtMs).toISOString(),
            lease_seconds: Math.round(Number(newest.ttlMs) / 1000),
          });
        }
        failures = 0;
        await this.clock.sleep(this.timing.pollMs, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        failures++;
        const waitMs = Math.min(30_000, 1_000 * 2 ** Math.min(failures - 1, 5));
        this.logger.log('ERROR', 'cannot read the input lease from the KV store, will retry', {
          input: this.input,
          error: (err as Error).message,
          retry_in_seconds: Math.round(waitMs / 1000),
        });
        await this.clock.sleep(waitMs, signal);
      }
    }
  }

  private async leasesOfInput(signal?: AbortSignal): Promise<LeaseRecord[]> {
    return (await this.leases.query({ input: this.input }, signal)).filter(isLease);
  }

  private async newest(signal?: AbortSignal): Promise<LeaseRecord | undefined> {
    let best: LeaseRecord | undefined;
    for (const r of await this.leasesOfInput(signal))
      if (!best || r.generation > best.generation) best = r;
    return best;
  }

  /** A lease of this same splunkd (server_host) on this machine, whose process is gone. */
  private goneFromThisHost(lease: LeaseRecord): boolean {
    const here = currentProcess();
    return (
      lease.serverHost === this.session.serverHost &&
      lease.osHost === here.host &&
      !stillRunsHere({
        pid: lease.pid,
        host: lease.osHost,
        bootId: lease.bootId,
        startTicks: lease.startTicks,
      })
    );
  }

  /** Inserts generation `generation`; undefined when another copy inserted it first. */
  private async tryTake(
    generation: number,
    taken: Taken,
    previous: LeaseRecord | undefined,
    signal: AbortSignal,
  ): Promise<HeldLock | undefined> {
    const me = currentProcess();
    const nowMs = this.clock.nowMs();
    const mine: LeaseRecord = {
      _key: `${this.prefix}-${generation}`,
      input: this.input,
      generation,
      serverHost: this.session.serverHost,
      osHost: me.host,
      pid: me.pid,
      ...(me.bootId ? { bootId: me.bootId } : {}),
      ...(me.startTicks ? { startTicks: me.startTicks } : {}),
      token: randomUUID(),
      acquiredAtMs: nowMs,
      renewedAtMs: nowMs,
      renewals: 0,
      ttlMs: this.timing.ttlMs,
      released: false,
    };
    const startedMs = this.monotonicMs();
    if ((await this.leases.insert(mine, signal)) === 'exists') {
      // 409: another copy was first — unless a retried request of ours had landed already.
      const same = (await this.leasesOfInput(signal)).find((r) => r._key === mine._key);
      if (same?.token !== mine.token) {
        this.logger.log('DEBUG', 'another copy of this input took the lease first', {
          input: this.input,
          generation,
          holder_host: same?.serverHost,
        });
        return undefined;
      }
    }
    this.logger.log('INFO', 'input lease acquired: this host runs the input', {
      input: this.input,
      generation,
      how: taken,
      previous_host: previous?.serverHost,
      previous_pid: previous?.pid,
      lease_seconds: Math.round(this.timing.ttlMs / 1000),
    });
    return this.hold(mine, startedMs);
  }

  private hold(mine: LeaseRecord, startedMs: number): HeldLock {
    const lost = new AbortController();
    this.lostSignal = lost.signal;
    this.deadline = startedMs + this.timing.ttlMs - this.timing.marginMs;
    let renewTimer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    let failing = false;
    let renewing: Promise<void> | undefined;
    const stop = () => {
      clearTimeout(renewTimer);
      clearTimeout(deadlineTimer);
    };
    const lose = (reason: string) => {
      if (lost.signal.aborted) return;
      stop();
      this.logger.log('ERROR', 'input lease lost: this copy stops at once', {
        input: this.input,
        generation: mine.generation,
        reason,
      });
      lost.abort(new Error(`input lease lost: ${reason}`));
    };
    const armDeadline = () => {
      clearTimeout(deadlineTimer);
      deadlineTimer = setTimeout(
        () => {
          if (this.monotonicMs() >= this.deadline)
            lose(
              `not renewed for ${Math.round((this.timing.ttlMs - this.timing.marginMs) / 1000)} s`,
            );
          else armDeadline();
        },
        Math.max(0, this.deadline - this.monotonicMs()),
      );
      deadlineTimer.unref();
    };
    const renew = async () => {
      const startedAt = this.monotonicMs();
      try {
        const all = await this.leasesOfInput();
        const higher = all.find((r) => r.generation > mine.generation);
        if (higher) return lose(`taken over by ${higher.serverHost} (pid ${higher.pid})`);
        if (all.find((r) => r._key === mine._key)?.token !== mine.token)
          return lose('the lease record was removed or replaced');
        if (lost.signal.aborted) return;
        mine.renewals++;
        mine.renewedAtMs = this.clock.nowMs();
        await this.leases.replace(mine);
        if (lost.signal.aborted) return;
        this.deadline = Math.max(
          this.deadline,
          startedAt + this.timing.ttlMs - this.timing.marginMs,
        );
        armDeadline();
        if (failing) this.logger.log('INFO', 'input lease renewed again', { input: this.input });
        failing = false;
        for (const old of all)
          if (old.generation < mine.generation) await this.leases.delete(old._key);
      } catch (err) {
        if (lost.signal.aborted) return;
        if (!failing)
          this.logger.log('WARN', 'cannot renew the input lease, will retry', {
            input: this.input,
            error: (err as Error).message,
            stops_in_seconds: Math.max(0, Math.round((this.deadline - this.monotonicMs()) / 1000)),
          });
        failing = true;
      }
      if (lost.signal.aborted) return;
      schedule(failing ? this.timing.pollMs / 2 : this.timing.renewMs);
    };
    const schedule = (ms: number) => {
      renewTimer = setTimeout(() => {
        renewing = renew();
      }, ms);
      renewTimer.unref();
    };
    armDeadline();
    schedule(0);
    return {
      lost: lost.signal,
      release: async () => {
        stop();
        if (lost.signal.aborted) return;
        lost.abort(new Error('input lease released'));
        // A renewal under way must land before the release, or it would undo it.
        await renewing;
        try {
          await this.leases.replace({ ...mine, released: true, renewedAtMs: this.clock.nowMs() });
          this.logger.log('INFO', 'input lease released', {
            input: this.input,
            generation: mine.generation,
          });
        } catch (err) {
          this.logger.log(
            'WARN',
            'cannot release the input lease: another host takes it once it expires',
            {
              input: this.input,
              error: (err as Error).message,
            },
          );
        }
      },
    };
  }
}
