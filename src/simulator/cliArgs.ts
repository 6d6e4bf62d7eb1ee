/**
 * The simulator's command line: node:util parseArgs, every value checked, and an error that names
 * the bad argument (`--records must be …, got "x"`).
 */
import { parseArgs } from 'node:util';
import type { SeparatorStyle } from './format';
import type { SimulationOptions } from './generate';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  simulation: SimulationOptions;
  endpoint?: string;
  region: string;
  manifest?: string;
  dryRun: boolean;
  help: boolean;
}

export const USAGE = `Usage: node build/tools/simulator.js [options]

Writes simulated AWS CloudHSM audit logs into CloudWatch Logs (one log group per cluster, one stream
per HSM), seeded so that a run repeats exactly.

  --endpoint URL            CloudWatch Logs endpoint, e.g. http://127.0.0.1:5000 (a local emulator);
                            without it, the AWS endpoint of --region and the default credential chain
  --region NAME             AWS region (default: AWS_REGION or us-east-1)
  --clusters N              clusters, one log group each (default 1)
  --hsms N                  HSMs per cluster at the start (default 3)
  --records N               text audit records written per cluster (default 500)
  --seed TEXT               seed; the same seed and options give the same records (default 1)
  --hsm-type TYPE           hsm1.medium | hsm2m.medium | mixed (default mixed: odd clusters hsm2m,
                            which also write certificate-storage JSON records)
  --certstore-records N     JSON records per hsm2m cluster (default records / 25)
  --separator STYLE         space | none | tab on every stream (default: chosen per stream)
  --extra-lines on|off      Version No / Target User / Key Handle lines (default: chosen per stream)
  --gaps N                  gaps to leave in sequence numbers over the run (default 0)
  --max-gap-size N          sequence numbers skipped per gap at most (default 3)
  --late N                  records put late, after later records of their stream (default 0)
  --late-max-minutes N      how late at most (default 15)
  --duplicates N            records put twice, as a retried PutLogEvents does (default 0)
  --replace-hsm             replace one HSM per cluster halfway (a new stream appears)
  --reboot-hsm              reboot one HSM per cluster at two thirds (its reboot counter changes)
  --start-time TIME         first record's time (ISO 8601 or epoch ms); default: so the run ends
                            a minute ago. CloudWatch Logs refuses events older than 14 days.
  --mean-interval-ms N      mean pause between two activities of a cluster (default 2000)
  --manifest FILE           write the manifest (every record written, gaps, late records) as JSON
  --dry-run                 print the records as JSON lines on stdout, write nothing to AWS
  --help                    this text
`;

const OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  clusters: { type: 'string' },
  hsms: { type: 'string' },
  records: { type: 'string' },
  seed: { type: 'string' },
  'hsm-type': { type: 'string' },
  'certstore-records': { type: 'string' },
  separator: { type: 'string' },
  'extra-lines': { type: 'string' },
  gaps: { type: 'string' },
  'max-gap-size': { type: 'string' },
  late: { type: 'string' },
  'late-max-minutes': { type: 'string' },
  duplicates: { type: 'string' },
  'replace-hsm': { type: 'boolean' },
  'reboot-hsm': { type: 'boolean' },
  'start-time': { type: 'string' },
  'mean-interval-ms': { type: 'string' },
  manifest: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function time(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new UsageError(
      `--${name} must be an ISO 8601 date or epoch milliseconds, got "${value}"`,
    );
  return ms;
}

function endpoint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, got "${value}"`);
  }
  return value;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>
  >['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const region = values.region ?? env.AWS_REGION ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UsageError(`--region must be an AWS region such as us-east-1, got "${region}"`);
  const extra = oneOf('extra-lines', values['extra-lines'], ['on', 'off'] as const);
  const simulation: SimulationOptions = {
    seed: values.seed ?? '1',
    clusters: integer('clusters', values.clusters, 1, 1000),
    hsms: integer('hsms', values.hsms, 1, 32),
    records: integer('records', values.records, 1, 10_000_000),
    hsmType: oneOf('hsm-type', values['hsm-type'], [
      'hsm1.medium',
      'hsm2m.medium',
      'mixed',
    ] as const),
    certstoreRecords: integer('certstore-records', values['certstore-records'], 0, 10_000_000),
    separator: oneOf<SeparatorStyle>('separator', values.separator, ['space', 'none', 'tab']),
    extraLines: extra === undefined ? undefined : extra === 'on',
    gaps: integer('gaps', values.gaps, 0, 100_000),
    maxGapSize: integer('max-gap-size', values['max-gap-size'], 1, 1000),
    late: integer('late', values.late, 0, 1_000_000),
    lateMaxMinutes: integer('late-max-minutes', values['late-max-minutes'], 1, 24 * 60),
    duplicates: integer('duplicates', values.duplicates, 0, 1_000_000),
    replaceHsm: values['replace-hsm'] ?? false,
    rebootHsm: values['reboot-hsm'] ?? false,
    startTime: time('start-time', values['start-time']),
    meanIntervalMs: integer('mean-interval-ms', values['mean-interval-ms'], 1, 86_400_000),
  };
  for (const key of Object.keys(simulation) as Array<keyof SimulationOptions>) {
    if (simulation[key] === undefined) delete simulation[key];
  }
  return {
    simulation,
    endpoint: endpoint(values.endpoint),
    region,
    manifest: values.manifest,
    dryRun: values['dry-run'] ?? false,
    help: values.help ?? false,
  };
}
