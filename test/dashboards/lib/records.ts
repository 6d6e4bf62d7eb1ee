/**
 * Hand-made events for alert scenarios: CloudHSM audit records written with the simulator's own
 * record formatter (src/simulator/format.ts), as this app's modular input delivers them, each with
 * its own time and the time Splunk indexed it; and collector events.
 */
import { formatAuditRecord, type AuditFields, type Coded } from '../../../src/simulator/format';
import { COMMAND, LOG_TYPE, OP, RESPONSE, USER_TYPE } from '../../../src/simulator/vocabulary';
import type { DemoEvent } from './demoCollector';

export { OP, RESPONSE };

export interface RecordSpec {
  cluster: string;
  hsm: string;
  seq: number;
  /** The record's own time, epoch seconds. */
  time: number;
  /** When Splunk indexed it, epoch seconds. */
  indexed: number;
  opcode: Coded;
  session: number;
  response?: { code: number; text: string };
  user?: { name: string; role: 'CU' | 'CO' };
  key?: number;
}

export function auditEvent(spec: RecordSpec): DemoEvent {
  const details: [string, string][] = [];
  let logType: Coded = LOG_TYPE.MINIMAL;
  if (spec.user) {
    logType = LOG_TYPE.USER_DETAILS;
    const type = spec.user.role === 'CO' ? USER_TYPE.CO : USER_TYPE.CU;
    details.push(['User Name', spec.user.name], ['User Type', `${type.name} (${type.code})`]);
  }
  if (spec.key !== undefined) {
    logType = LOG_TYPE.KEY_DETAILS;
    details.push(['Priv/Secret Key Handle', String(spec.key)], ['Public Key Handle', '0']);
  }
  const fields: AuditFields = {
    usecs: Math.round(spec.time * 1e6),
    seq: spec.seq,
    rebootCounter: 1,
    commandType: COMMAND.MGMT,
    opcode: spec.opcode,
    sessionHandle: spec.session,
    responseCode: spec.response?.code ?? 0,
    responseText: spec.response?.text,
    logType,
    details,
  };
  return {
    raw: formatAuditRecord(fields, 'space'),
    sourcetype: 'aws:cloudwatch:cloudhsm',
    source: `aws:cloudhsm:us-east-1:/aws/cloudhsm/${spec.cluster}`,
    host: spec.hsm,
    time: spec.time,
    indexTime: spec.indexed,
    index: 'aws_cloudhsm',
  };
}

/** A collector event (the JSON the collector writes) with its time and index time. */
export function collectorEvent(
  cluster: string,
  body: Record<string, string | number>,
  time: number,
  indexed: number,
): DemoEvent {
  const logGroup = `/aws/cloudhsm/${cluster}`;
  return {
    raw: JSON.stringify({
      ...body,
      input: 'prod',
      aws_region: 'us-east-1',
      log_group: logGroup,
      cluster_id: cluster,
    }),
    sourcetype: 'cloudhsm:audit:collector',
    source: `aws:cloudhsm:us-east-1:${logGroup}`,
    host: String(body.stream ?? 'hf-1'),
    time,
    indexTime: indexed,
    index: 'aws_cloudhsm',
  };
}

/**
 * One login as a cluster records it: a CN_LOGIN on each HSM, 20 ms apart, each with its own
 * sequence number and session handle. `seqs` holds each HSM's next sequence number.
 */
export function loginOnEveryHsm(
  cluster: string,
  hsms: string[],
  seqs: Map<string, number>,
  user: { name: string; role: 'CU' | 'CO' },
  time: number,
  indexed: number,
  response?: { code: number; text: string },
): DemoEvent[] {
  return hsms.map((hsm, i) => {
    const seq = seqs.get(hsm) ?? 0;
    seqs.set(hsm, seq + 1);
    return auditEvent({
      cluster,
      hsm,
      seq,
      time: time + i * 0.02,
      indexed,
      opcode: OP.LOGIN,
      session: 0x100 + seq,
      response,
      user,
    });
  });
}
