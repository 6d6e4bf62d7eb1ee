/**
 * The README is documentation users follow: its input argument table must name every argument the
 * input accepts, and its IAM policy must be valid JSON granting exactly what the collector calls.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARGUMENTS } from '../../src/config/arguments';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const section = (name: string) => {
  const match = new RegExp(`<!-- section:${name} -->([\\s\\S]*?)<!-- /section:${name} -->`).exec(
    readme,
  );
  if (!match?.[1]) throw new Error(`README has no ${name} section`);
  return match[1];
};

describe('README input section', () => {
  const inputs = section('inputs');

  it.each(ARGUMENTS.map((a) => a.name))('documents the %s argument in the table', (name) => {
    expect(inputs).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('documents no argument the input does not have', () => {
    const documented = [...inputs.matchAll(/^\| `([a-z_]+)` \| (?:required|\(empty\)|`)/gm)].map(
      (m) => m[1],
    );
    expect(documented.sort()).toEqual(ARGUMENTS.map((a) => a.name).sort());
  });

  it('gives a least-privilege IAM policy that parses and grants the calls the collector makes', () => {
    const json = /```json\n([\s\S]*?)```/.exec(inputs)?.[1];
    const policy = JSON.parse(json ?? '') as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.sort()).toEqual([
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:GetLogEvents',
    ]);
    const read = policy.Statement.find((s) => [s.Action].flat().includes('logs:GetLogEvents'))!;
    expect([read.Resource].flat().every((r) => r.includes(':log-group:/aws/cloudhsm/'))).toBe(true);
  });
});
