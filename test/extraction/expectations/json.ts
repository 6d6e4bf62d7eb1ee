/**
 * Certificate-storage JSON records (the two certificate-storage samples plus the SetAttributeValues and failed
 * CreateObject examples of the AWS guide) and their hand-written fields. JSON null is modelled as
 * the text "null" (how Splunk's JSON extraction shows it; not verified on a real Splunk here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../harness/conf';

export function certstoreRaws(): string[] {
  const json = ['34-certstore-CreateObject-OK.json', '35-certstore-DestroyObject-OK.json'].map(
    (f) => readFileSync(join(SAMPLES_DIR, f), 'utf8'),
  );
  const setAttr =
    '{\n    "object_handle": 463180678453346687,\n    "op_code": "SetAttributeValues",\n    "response": "OK",\n' +
    '    "attributes": [\n        "Label"\n    ],\n    "timestamp": 1725482488004\n}';
  const failed =
    '{\n    "object_handle": null,\n    "op_code": "CreateObject",\n    "response": "MaxObjectsReached",\n' +
    '    "attributes": null,\n    "timestamp": 1726084937125\n}';
  return [...json, setAttr, failed];
}

const CLUSTER = {
  aws_region: 'us-east-1',
  log_group: '/aws/cloudhsm/cluster-likphkxygsn',
  cluster_id: 'cluster-likphkxygsn',
};

export const CERTSTORE_EXPECTED: Record<string, string>[] = [
  {
    ...CLUSTER,
    object_handle: '463180677312929947',
    op_code: 'CreateObject',
    response: 'OK',
    attributes: 'null',
    timestamp: '1725482483671',
  },
  {
    ...CLUSTER,
    object_handle: '463180677312929947',
    op_code: 'DestroyObject',
    response: 'OK',
    attributes: 'null',
    timestamp: '1725482484559',
  },
  {
    ...CLUSTER,
    object_handle: '463180678453346687',
    op_code: 'SetAttributeValues',
    response: 'OK',
    'attributes{}': 'Label',
    timestamp: '1725482488004',
  },
  {
    ...CLUSTER,
    object_handle: 'null',
    op_code: 'CreateObject',
    response: 'MaxObjectsReached',
    attributes: 'null',
    timestamp: '1726084937125',
  },
];
