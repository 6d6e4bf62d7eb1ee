/**
 * The real `Clock`: wall time and a sleep that an AbortSignal cuts short (SIGTERM must not wait
 * for a poll interval to end).
 */

import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../collector/ports';

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleep: async (ms: number, signal: AbortSignal): Promise<void> => {
    // Rejects with an AbortError as soon as the signal aborts (also when already aborted).
    await delay(Math.max(0, ms), undefined, { signal });
  },
};
