/**
 * How long an input lease lasts and how often it is renewed (kvLease.ts): 60 s by default, renewed
 * every 10 s, given up 15 s before it could run out; a waiter looks every 5 s. Tests shorten it
 * through CLOUDHSM_AUDIT_LEASE_SECONDS so a failover takes seconds.
 */

export interface LeaseTiming {
  /** How long a lease lasts unrenewed before a waiter may take it. */
  ttlMs: number;
  renewMs: number;
  /** The holder stops this long before its lease could run out: room for a slow request. */
  marginMs: number;
  /** How often a waiter looks again. */
  pollMs: number;
}

export const DEFAULT_LEASE_SECONDS = 60;
/** Tests only: a shorter lease, so a failover takes seconds (whole seconds, 2 to 3600). */
export const LEASE_SECONDS_ENV = 'CLOUDHSM_AUDIT_LEASE_SECONDS';

export function leaseTiming(seconds = DEFAULT_LEASE_SECONDS): LeaseTiming {
  const ttlMs = seconds * 1000;
  return {
    ttlMs,
    renewMs: ttlMs / 6,
    marginMs: ttlMs / 4,
    pollMs: Math.min(5_000, ttlMs / 6),
  };
}

/** The lease time from the environment (tests), else the default. */
export function leaseSecondsFrom(env: NodeJS.ProcessEnv): number {
  const text = env[LEASE_SECONDS_ENV];
  const n = Number(text);
  return text && Number.isInteger(n) && n >= 2 && n <= 3600 ? n : DEFAULT_LEASE_SECONDS;
}
