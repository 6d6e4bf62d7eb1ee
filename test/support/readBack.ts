/**
 * Reads everything back from a CloudWatch Logs endpoint, for tests that check what landed: every
 * log group under a prefix, every stream, every event, following tokens to the true end (an
 * unchanged forward token, never an empty page).
 */
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';

export interface StoredEvent {
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export async function listGroups(
  client: CloudWatchLogsClient,
  prefix = '/aws/cloudhsm/',
): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }),
    );
    for (const group of page.logGroups ?? [])
      if (group.logGroupName) names.push(group.logGroupName);
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

export async function listStreams(
  client: CloudWatchLogsClient,
  logGroupName: string,
): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeLogStreamsCommand({ logGroupName, nextToken }));
    for (const stream of page.logStreams ?? [])
      if (stream.logStreamName) names.push(stream.logStreamName);
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

export async function readStream(
  client: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new GetLogEventsCommand({
        logGroupName,
        logStreamName,
        startFromHead: true,
        nextToken: token,
      }),
    );
    for (const event of page.events ?? []) {
      events.push({
        logGroupName,
        logStreamName,
        timestamp: event.timestamp ?? 0,
        ingestionTime: event.ingestionTime ?? 0,
        message: event.message ?? '',
      });
    }
    if (page.nextForwardToken === token) return events;
    token = page.nextForwardToken;
  }
}

/** Every event of every stream of every group under the prefix. */
export async function readAll(
  client: CloudWatchLogsClient,
  prefix = '/aws/cloudhsm/',
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const group of await listGroups(client, prefix)) {
    for (const stream of await listStreams(client, group))
      events.push(...(await readStream(client, group, stream)));
  }
  return events;
}
