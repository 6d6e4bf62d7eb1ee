/**
 * `--scheme` cold start: wall time of the launcher (what splunkd runs at every start and on the
 * inputs page) and, for comparison, of `node collector.js --scheme` on the same runtime. The first
 * two runs warm the page cache (the app was just built) and are not counted.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { LAUNCHER } from '../../test/collector/support/collectorProcess';
import type { Runtime } from './collectors';

export function schemeRuns(
  runs: number,
  rt: Runtime,
): { launcherMs: number[]; nodeDirectMs: number[] } {
  const launcherMs: number[] = [];
  const nodeDirectMs: number[] = [];
  const bundle = path.join(path.dirname(LAUNCHER), 'collector.js');
  for (let i = 0; i < runs + 2; i++) {
    for (const [cmd, argv, into] of [
      [LAUNCHER, ['--scheme'], launcherMs],
      [rt.node, [...rt.flags, bundle, '--scheme'], nodeDirectMs],
    ] as const) {
      const t = process.hrtime.bigint();
      const r = spawnSync(cmd, argv, { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0 || !r.stdout.includes('<scheme>'))
        throw new Error(`--scheme failed: ${r.stderr}`);
      if (i >= 2) (into as number[]).push(ms);
    }
  }
  return { launcherMs, nodeDirectMs };
}
