/**
 * Runs scripts/appinspect.sh on the packages in dist/ (built by `npm run package`, which
 * `npm test` runs first): precert mode, once per tag set (default, cloud, private_app,
 * private_classic, private_victoria), for the plain package and the -linux-x86_64 and -linux-arm64
 * packages. Requires 0 failures and 0 errors everywhere except the one failure inherent to an
 * x86-64 binary: check_aarch64_compatibility of the -linux-x86_64 package in the default set. Every
 * warning, manual or skipped check must be named in the README's AppInspect section, where it is
 * explained; each is printed for review.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const version = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const PACKAGES = ['', '-linux-x86_64', '-linux-arm64'].map(
  (suffix) => `cloudhsm_audit-${version}${suffix}`,
);
const TAG_SETS = ['default', 'cloud', 'private_app', 'private_classic', 'private_victoria'];
/** Failures that are not defects: a package carrying an x86-64 binary fails the AArch64 check. */
const EXPECTED_FAILURES: Record<string, string[]> = {
  [`cloudhsm_audit-${version}-linux-x86_64.default`]: ['check_aarch64_compatibility'],
};

interface Check {
  name: string;
  result: string;
  messages: { message: string; message_filename?: string | null; message_line?: number | null }[];
}
interface Report {
  summary: Record<string, number>;
  reports: { groups: { checks: Check[] }[] }[];
}

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const appinspectSection =
  /<!-- section:appinspect -->([\s\S]*?)<!-- \/section:appinspect -->/.exec(readme)?.[1] ?? '';

let scriptStatus: number | null = null;
let scriptOutput = '';

beforeAll(() => {
  for (const pkg of PACKAGES) {
    if (!existsSync(path.join(ROOT, 'dist', `${pkg}.tgz`)))
      throw new Error(`dist/${pkg}.tgz is missing: run npm run package first`);
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

test('the README has an AppInspect section', () => {
  expect(appinspectSection).toMatch(/check_aarch64_compatibility/);
});

const describeCheck = (c: Check) =>
  `${c.result.toUpperCase()} ${c.name}\n${c.messages
    .map(
      (m) =>
        `    ${m.message}${m.message_filename ? ` [${m.message_filename}${m.message_line ? `:${m.message_line}` : ''}]` : ''}`,
    )
    .join('\n')}`;

describe.each(PACKAGES)('%s', (pkg) => {
  test.each(TAG_SETS)('precert %s: no failure or error but the expected ones', (set) => {
    const report = JSON.parse(
      readFileSync(path.join(ROOT, 'test-output/appinspect', `${pkg}.${set}.json`), 'utf8'),
    ) as Report;
    const checks = report.reports.flatMap((r) => r.groups.flatMap((g) => g.checks));
    const notable = checks.filter((c) => !['success', 'not_applicable'].includes(c.result));
    process.stdout.write(
      `AppInspect ${pkg} ${set}: ${JSON.stringify(report.summary)}\n${notable.map(describeCheck).join('\n')}\n`,
    );
    const failed = checks
      .filter((c) => c.result === 'failure' || c.result === 'error')
      .map((c) => c.name)
      .sort();
    expect(failed).toEqual(EXPECTED_FAILURES[`${pkg}.${set}`] ?? []);
    expect(report.summary.error).toBe(0);
    // Every other finding is explained in the README, by check name.
    const unexplained = notable
      .filter((c) => c.result !== 'failure')
      .map((c) => c.name)
      .filter((name) => !appinspectSection.includes(`\`${name}\``));
    expect(unexplained).toEqual([]);
  });
});
