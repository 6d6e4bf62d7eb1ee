/**
 * Runs scripts/appinspect.sh on the packages in dist/ (built by `npm run package`, which
 * `npm test` runs first) and requires 0 failures and 0 errors in every report: precert mode with
 * the `cloud` tag and untagged, for the plain package and the -linux-x86_64 variant. Warnings,
 * manual checks and skipped checks are printed so they can be reviewed against the README's list.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const version = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const packages = [`cloudhsm_audit-${version}`, `cloudhsm_audit-${version}-linux-x86_64`].filter(
  (p) => existsSync(path.join(ROOT, 'dist', `${p}.tgz`)),
);

interface Check {
  name: string;
  result: string;
  messages: { message: string; message_filename?: string | null; message_line?: number | null }[];
}
interface Report {
  summary: Record<string, number>;
  reports: { groups: { checks: Check[] }[] }[];
}

let scriptStatus: number | null = null;
let scriptOutput = '';

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', `cloudhsm_audit-${version}.tgz`))) {
    throw new Error(`dist/cloudhsm_audit-${version}.tgz is missing: run npm run package first`);
  }
  const res = spawnSync('bash', [path.join(ROOT, 'scripts/appinspect.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  scriptStatus = res.status;
  scriptOutput = `${res.stdout}${res.stderr}`;
}, 20 * 60_000);

test('the AppInspect script ran to the end', () => {
  expect({ status: scriptStatus, output: scriptOutput }).toMatchObject({ status: 0 });
});

describe.each(packages)('%s', (pkg) => {
  test.each(['cloud', 'untagged'])('precert %s: 0 failures, 0 errors', (run) => {
    const report = JSON.parse(
      readFileSync(path.join(ROOT, 'test-output/appinspect', `${pkg}.${run}.json`), 'utf8'),
    ) as Report;
    const checks = report.reports.flatMap((r) => r.groups.flatMap((g) => g.checks));
    const notable = checks.filter((c) => !['success', 'not_applicable'].includes(c.result));
    const describeCheck = (c: Check) =>
      `${c.result.toUpperCase()} ${c.name}\n${c.messages
        .map(
          (m) =>
            `    ${m.message}${m.message_filename ? ` [${m.message_filename}${m.message_line ? `:${m.message_line}` : ''}]` : ''}`,
        )
        .join('\n')}`;
    // Printed for review: every warning and manual check must be listed in the README.
    process.stdout.write(
      `AppInspect ${pkg} ${run}: ${JSON.stringify(report.summary)}\n${notable.map(describeCheck).join('\n')}\n`,
    );
    const bad = checks
      .filter((c) => c.result === 'failure' || c.result === 'error')
      .map(describeCheck);
    expect(bad).toEqual([]);
    expect(report.summary.failure).toBe(0);
    expect(report.summary.error).toBe(0);
  });
});
