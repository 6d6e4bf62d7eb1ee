/**
 * Listing what there is to read: CloudHSM log groups (one per cluster) and their streams (one per
 * HSM, plus a cluster-named certificate-storage stream on hsm2m clusters). Always through the
 * SDK's paginators, to the last page.
 */
import {
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';

export interface StreamInfo {
  name: string;
  /** Creation time (ms), when CloudWatch reports it. */
  creationTimeMs?: number;
  /**
   * When CloudWatch last ingested an event into the stream, and the newest event timestamp it
   * holds. AWS documents both as eventually consistent (usually under an hour behind): hints of
   * where new records are, never proof that there are none.
   */
  lastIngestionTimeMs?: number;
  lastEventTimestampMs?: number;
}

/** Every log group whose name starts with `prefix`. */
export async function discoverLogGroups(
  client: CloudWatchLogsClient,
  prefix: string,
  signal: AbortSignal,
): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateDescribeLogGroups(
    { client },
    { logGroupNamePrefix: prefix },
    { abortSignal: signal },
  );
  for await (const page of pages) {
    for (const group of page.logGroups ?? [])
      if (group.logGroupName) names.push(group.logGroupName);
  }
  return names;
}

/** Every stream of a log group. Throws ResourceNotFoundException when the group is gone. */
export async function listStreams(
  client: CloudWatchLogsClient,
  logGroupName: string,
  signal: AbortSignal,
): Promise<StreamInfo[]> {
  const streams: StreamInfo[] = [];
  const pages = paginateDescribeLogStreams({ client }, { logGroupName }, { abortSignal: signal });
  for await (const page of pages) {
    for (const s of page.logStreams ?? []) {
      if (!s.logStreamName) continue;
      streams.push({
        name: s.logStreamName,
        creationTimeMs: s.creationTime,
        lastIngestionTimeMs: s.lastIngestionTime,
        lastEventTimestampMs: s.lastEventTimestamp,
      });
    }
  }
  return streams;
}

/** `cluster-abc…` → `<prefix>cluster-abc…`; names starting with `/` are log group names already. */
export function logGroupNameFor(selection: string, prefix: string): string {
  return selection.startsWith('/') ? selection : `${prefix}${selection}`;
}
