/**
 * `npm run bench -- <options>`: parsed once, each with its default and what it changes.
 *
 *   --only backlog,scheme,steady[,latency,kills,kvstore]  sections to run (default backlog,scheme,steady)
 *   --before <dir>        also run the "before" build, side by side with this one: an app folder
 *                         (bin/collector.js) or a checkout with build/cloudhsm_audit/bin/collector.js
 *   --node <file>         the Node binary both builds run on (default: the runtime the package
 *                         for this host bundles)
 *   --records N --runs N  backlog size (1,000,000) and repetitions (3, median quoted)
 *   --fleets a,b,…        steady-state fleets (idle,0.2,2; also idle@100, 0.2@100, 2@100)
 *   --steady-seconds S    measuring window per fleet (300: one full_read_interval)
 *   --warmup-seconds S    steady state: wait after the history is read (60)
 *   --kills N             `--only kills`: kill -9s per scenario (20); --kill-scenarios
 *                         steady,backlog; --kill-fleet F (2); --kill-records N (1,000,000: the
 *                         backlog killed while it is read)
 *   --scheme-runs N --latency-runs N --latency-seconds S --rate R   as before
 *   --node-flags "<flags>"  backlog heap experiment: these flags instead of the launcher's
 */
export interface BenchOptions {
  only: Set<string>;
  before?: string;
  node?: string;
  records: number;
  runs: number;
  fleets: string[];
  steadySeconds: number;
  warmupSeconds: number;
  kills: number;
  killScenarios: Set<string>;
  killFleet: string;
  killRecords: number;
  schemeRuns: number;
  latencyRuns: number;
  latencySeconds: number;
  rate: number;
  nodeFlags?: string;
  /** Every option as given, for sections that read their own (e.g. --kv-… options). */
  raw: Record<string, string>;
}

function raw(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else out[a.slice(2)] = argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true';
  }
  return out;
}

function numberOption(
  o: Record<string, string>,
  name: string,
  fallback: number,
  min = Number.MIN_VALUE,
): number {
  if (o[name] === undefined) return fallback;
  const n = Number(o[name]);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`bench: --${name} must be a number >= ${min}, got ${JSON.stringify(o[name])}`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const o = raw(argv);
  const positive = (name: string, fallback: number) => numberOption(o, name, fallback);
  return {
    only: new Set((o.only ?? 'backlog,scheme,steady').split(',')),
    before: o.before,
    node: o.node,
    records: positive('records', 1_000_000),
    runs: positive('runs', 3),
    fleets: (o.fleets ?? 'idle,0.2,2').split(','),
    steadySeconds: positive('steady-seconds', 300),
    warmupSeconds: numberOption(o, 'warmup-seconds', 60, 0),
    kills: positive('kills', 20),
    killScenarios: new Set((o['kill-scenarios'] ?? 'steady,backlog').split(',')),
    killFleet: o['kill-fleet'] ?? '2',
    killRecords: positive('kill-records', 1_000_000),
    schemeRuns: positive('scheme-runs', 20),
    latencyRuns: positive('latency-runs', 3),
    latencySeconds: positive('latency-seconds', 60),
    rate: positive('rate', 20),
    nodeFlags: o['node-flags'],
    raw: o,
  };
}
