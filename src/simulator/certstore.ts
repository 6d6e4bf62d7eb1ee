/**
 * Certificate-storage audit records of an hsm2m.medium cluster (reference section 5): JSON, one
 * per event, in a stream of the cluster's log group named for the cluster (the real name is
 * undocumented; we use the cluster id). Handles are 64-bit and above 2^53.
 */
import { formatCertstoreRecord, type CertstoreFields } from './format';
import type { Rng } from './random';

export interface CertstoreDraft {
  /** Epoch milliseconds: both the JSON `timestamp` and the CloudWatch event timestamp. */
  timestamp: number;
  opCode: CertstoreFields['opCode'];
  message: string;
}

/** `count` records spread over [fromMs, toMs], in time order. */
export function certstoreRecords(
  rng: Rng,
  count: number,
  fromMs: number,
  toMs: number,
): CertstoreDraft[] {
  const times = Array.from({ length: count }, () => rng.int(fromMs, Math.max(fromMs, toMs))).sort(
    (a, b) => a - b,
  );
  const live: string[] = [];
  return times.map((timestamp) => {
    const kind =
      live.length === 0
        ? 'create'
        : rng.weighted([
            ['create', 40],
            ['setAttributes', 25],
            ['destroy', 20],
            ['fail', 15],
          ] as const);
    let fields: CertstoreFields;
    if (kind === 'create') {
      const handle = rng.uint64AboveSafe();
      live.push(handle);
      fields = {
        objectHandle: handle,
        opCode: 'CreateObject',
        response: 'OK',
        attributes: null,
        timestamp,
      };
    } else if (kind === 'setAttributes') {
      fields = {
        objectHandle: rng.pick(live),
        opCode: 'SetAttributeValues',
        response: 'OK',
        attributes: ['Label'],
        timestamp,
      };
    } else if (kind === 'destroy') {
      const handle = live.splice(rng.int(0, live.length - 1), 1)[0] as string;
      fields = {
        objectHandle: handle,
        opCode: 'DestroyObject',
        response: 'OK',
        attributes: null,
        timestamp,
      };
    } else {
      const [opCode, response] = rng.pick([
        ['CreateObject', 'DuplicateAttribute'],
        ['CreateObject', 'MaxObjectsReached'],
        ['SetAttributeValues', 'InvalidAttributeValue'],
        ['DestroyObject', 'ObjectNotFound'],
        ['CreateObject', 'InternalFailure'],
      ] as const);
      fields = {
        objectHandle: null,
        opCode,
        response,
        attributes: opCode === 'SetAttributeValues' ? ['Label'] : null,
        timestamp,
      };
    }
    return { timestamp, opCode: fields.opCode, message: formatCertstoreRecord(fields) };
  });
}
