/**
 * The typed configuration of one `cloudhsm_audit://<name>` input, after validation.
 * Built from the stanza's params by `parseInputConfig` (src/config/validate.ts); every part of the
 * collector reads this type, never raw params.
 */

import type { CheckpointStoreChoice } from './arguments';

/** Where a stream without a checkpoint starts reading. */
export type StartPosition =
  | { kind: 'now' }
  /** Epoch milliseconds: from a relative age (`-7d`) resolved at start, or an absolute date. */
  | { kind: 'time'; epochMs: number; text: string };

export interface InputConfig {
  /** The stanza name without the scheme, e.g. `prod` for `cloudhsm_audit://prod`. */
  name: string;
  /** Account stanza in cloudhsm_audit_accounts.conf; empty means the AWS default credential chain. */
  account: string;
  /** AWS regions to read, e.g. ['us-east-1', 'eu-west-1']; at least one. */
  regions: string[];
  /** Discovery prefix for log groups; default `/aws/cloudhsm/`. */
  logGroupPrefix: string;
  /**
   * Explicit selection: cluster ids (`cluster-abc…`) or full log group names. Empty means every
   * log group under `logGroupPrefix`, rediscovered while running.
   */
  clusters: string[];
  startPosition: StartPosition;
  /** Seconds between polls of one log group. */
  pollIntervalSeconds: number;
  /**
   * Seconds during which records CloudWatch ingests late are looked for: how long a sequence gap is
   * re-read, and how far behind its newest record a stream without sequence numbers is re-read.
   */
  lateEventWindowSeconds: number;
  /** Seconds between reads of a stream whose listing shows nothing new (the listing can lag). */
  fullReadIntervalSeconds: number;
  /** Seconds between `health` collector events. */
  healthIntervalSeconds: number;
  /** Seconds between log group discovery runs. */
  discoveryIntervalSeconds: number;
  /** Optional endpoint override (VPC, FIPS, local emulator); overrides the account's. */
  endpointUrl?: string;
  /** Optional HTTPS proxy URL without credentials; overrides the account's. */
  httpsProxy?: string;
  /**
   * Requests per second to CloudWatch Logs per account and region (a token bucket shared by all log
   * groups of this input); absent means the collector's default of 10 (the lower GetLogEvents quota).
   */
  maxRequestsPerSecond?: number;
  /** Splunk index for the events; absent means splunkd's default for the input. */
  index?: string;
  /** Where checkpoints live: `auto` decides at start from what splunkd says this host is. */
  checkpointStore: CheckpointStoreChoice;
}
