/**
 * The simulator's command line (src/simulator/cli.ts runs it): parse arguments, generate, write
 * to CloudWatch Logs, print a summary. Resolves the exit code: 2 on a bad argument, 0 on success.
 */
import { writeFileSync } from 'node:fs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { parseCliArgs, UsageError, USAGE } from './cliArgs';
import { generate, type Simulation } from './generate';
import { SimulatorWriter, type WriteReport } from './writer';

function summary(simulation: Simulation, report: WriteReport | undefined): string {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const record of simulation.records) {
    const key = `${record.logGroupName} ${record.logStreamName}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const cluster of simulation.clusters) {
    lines.push(`${cluster.logGroupName} (${cluster.hsmType})`);
    for (const stream of cluster.streams) {
      const written = counts.get(`${cluster.logGroupName} ${stream.logStreamName}`) ?? 0;
      const notes = [
        stream.kind === 'certstore'
          ? 'certificate storage JSON'
          : `seq 0x0..0x${(stream.sequenceCount - 1).toString(16)}`,
        stream.separator ? `separator ${stream.separator}` : undefined,
        stream.extraLines ? 'extra lines' : undefined,
        stream.initializer ? 'initialized the cluster' : undefined,
        stream.addedMidRun ? `added mid-run, replaces ${stream.replaces}` : undefined,
        stream.retiredMidRun ? 'replaced mid-run' : undefined,
        stream.reboot
          ? `rebooted at seq 0x${stream.reboot.seq.toString(16)}: counter 0x${stream.reboot.from.toString(16)} → 0x${stream.reboot.to.toString(16)}`
          : undefined,
      ].filter(Boolean);
      lines.push(`  ${stream.logStreamName}: ${written} records (${notes.join(', ')})`);
    }
  }
  for (const gap of simulation.gaps) {
    lines.push(
      `gap: ${gap.logGroupName} ${gap.logStreamName} seq 0x${gap.firstSeq.toString(16)}..0x${gap.lastSeq.toString(16)} not written`,
    );
  }
  if (simulation.late.length > 0)
    lines.push(`late: ${simulation.late.length} records put after later ones`);
  if (simulation.duplicates.length > 0)
    lines.push(`duplicates: ${simulation.duplicates.length} records put twice`);
  lines.push(
    report
      ? `wrote ${report.events} records in ${report.putCalls} PutLogEvents calls (${report.retries} retries)`
      : `dry run: ${simulation.records.length} records, nothing written`,
  );
  return `${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseCliArgs(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`simulator: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const simulation = generate(options.simulation);
  if (options.manifest) writeFileSync(options.manifest, `${JSON.stringify(simulation, null, 1)}\n`);
  if (options.dryRun) {
    for (const record of simulation.records) process.stdout.write(`${JSON.stringify(record)}\n`);
    process.stderr.write(summary(simulation, undefined));
    return 0;
  }
  // A local emulator accepts any credentials; real AWS gets the default credential chain.
  const dummy = options.endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  const client = new CloudWatchLogsClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(dummy ? { credentials: { accessKeyId: 'simulator', secretAccessKey: 'simulator' } } : {}),
  });
  try {
    const report = await new SimulatorWriter(client, { seed: `${simulation.seed}/writer` }).write(
      simulation.records,
    );
    process.stdout.write(summary(simulation, report));
    return 0;
  } finally {
    client.destroy();
  }
}
