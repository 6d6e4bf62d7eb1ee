/**
 * What the AWS SDK adds per record when reading pages, measured in isolation:
 *   node -r ./scripts/bench/register.cjs scripts/bench/sdkCost.ts
 * The same 1 MB GetLogEvents pages from the emulator, fetched N times through the SDK client
 * (signing, middleware, schema-driven deserializer) and through plain http + JSON.parse; prints the
 * CPU microseconds per record of each (this process only; the emulator runs in its own process).
 */
import http from 'node:http';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startEmulator } from './emulator/control';

const N = 60;

async function post(
  endpoint: string,
  op: string,
  body: object,
  agent?: http.Agent,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      endpoint,
      {
        method: 'POST',
        agent,
        headers: {
          'x-amz-target': `Logs_20140328.${op}`,
          'content-type': 'application/x-amz-json-1.1',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function main(): Promise<void> {
  const emu = await startEmulator();
  try {
    await emu.generate({
      seed: 'sdk-cost',
      clusters: 1,
      hsms: 1,
      records: 20_000,
      hsmType: 'hsm1.medium',
      startTime: Date.now() - 3_600_000,
    });
    await emu.warm(0);
    const group = (
      JSON.parse((await post(emu.endpoint, 'DescribeLogGroups', {})).toString()) as {
        logGroups: { logGroupName: string }[];
      }
    ).logGroups[0]!.logGroupName;
    const stream = (
      JSON.parse(
        (await post(emu.endpoint, 'DescribeLogStreams', { logGroupName: group })).toString(),
      ) as { logStreams: { logStreamName: string }[] }
    ).logStreams[0]!.logStreamName;
    const request = {
      logGroupName: group,
      logStreamName: stream,
      startFromHead: true,
      startTime: 1,
    };

    const client = new CloudWatchLogsClient({
      endpoint: emu.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-not-a-secret' },
    });
    let events = 0;
    let start = process.cpuUsage();
    for (let i = 0; i < N; i++)
      events += (await client.send(new GetLogEventsCommand(request))).events?.length ?? 0;
    let used = process.cpuUsage(start);
    process.stdout.write(
      `SDK GetLogEventsCommand: ${events} records, ${((used.user + used.system) / events).toFixed(2)} CPU µs per record\n`,
    );
    client.destroy();

    const agent = new http.Agent({ keepAlive: true });
    events = 0;
    start = process.cpuUsage();
    for (let i = 0; i < N; i++)
      events += (
        JSON.parse((await post(emu.endpoint, 'GetLogEvents', request, agent)).toString('utf8')) as {
          events: unknown[];
        }
      ).events.length;
    used = process.cpuUsage(start);
    process.stdout.write(
      `plain http + JSON.parse:  ${events} records, ${((used.user + used.system) / events).toFixed(2)} CPU µs per record\n`,
    );
    agent.destroy();
  } finally {
    await emu.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
