/**
 * The CloudHSM cluster simulator as a library (tests, the demo, the benchmark):
 *
 *   const sim = generate({ seed: 42, clusters: 2, hsms: 3, records: 500, gaps: 2, late: 3 });
 *   await new SimulatorWriter(client).write(sim.records);            // or a slice, then the rest
 *   const { simulation, report } = await simulate({ client, seed: 42 }); // both at once
 *
 * `generate` is pure (records in memory); `sim.records` is the put order and the manifest of
 * every record written; `sim.gaps` lists what was skipped; `sim.late` what is put late;
 * `sim.duplicates` the second copies of records put twice. Writing a prefix of `sim.records`,
 * then the rest, makes streams and groups appear while a collector runs (a replaced HSM's stream
 * is created when its first record is put).
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { generate, type Simulation, type SimulationOptions } from './generate';
import { SimulatorWriter, type WriteOptions, type WriteReport } from './writer';

export { generate, DEFAULTS } from './generate';
export type {
  Simulation,
  SimulationOptions,
  SimulatedRecord,
  StreamInfo,
  ClusterInfo,
  Gap,
  HsmType,
} from './generate';
export { SimulatorWriter, planBatches, PUT_LIMITS } from './writer';
export type { WriteOptions, WriteReport } from './writer';
export {
  formatAuditRecord,
  formatCertstoreRecord,
  formatHsmTime,
  separator,
  SEPARATOR_STYLES,
} from './format';
export type { AuditFields, CertstoreFields, SeparatorStyle } from './format';

export async function simulate(
  options: SimulationOptions & { client: CloudWatchLogsClient; write?: WriteOptions },
): Promise<{ simulation: Simulation; report: WriteReport }> {
  const simulation = generate(options);
  const report = await new SimulatorWriter(options.client, {
    seed: `${simulation.seed}/writer`,
    ...options.write,
  }).write(simulation.records);
  return { simulation, report };
}
