/**
 * The repository stands alone: nothing it runs (tests, demo, benchmark, build, the app) reads a
 * folder beside the checkout. A clone has no `../shared`; the sample records and the field
 * dictionary the tests use live in `test/fixtures/` and `docs/`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Text that names the sibling reading folder, as a path or as path segments. */
const SIBLING = [/\.\.\/shared\b/, /['"]\.\.['"]\s*,\s*['"]shared['"]/];

/** Relative path literals (`'../x'`) in a line that, taken from the file's folder, leave the checkout. */
function leavesRepository(file: string, line: string): boolean {
  for (const m of line.matchAll(/['"`]((?:\.\.\/)+[^'"`]*)['"`]/g)) {
    const target = resolve(ROOT, dirname(file), m[1]!);
    if (relative(ROOT, target).startsWith('..')) return true;
  }
  return false;
}

const outside = (file: string, line: string): boolean =>
  SIBLING.some((re) => re.test(line)) || leavesRepository(file, line);

function trackedCode(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return (
    out
      .split('\0')
      .filter((f) => /\.(c|m)?(t|j)sx?$|\.sh$|\.cmd$|\.py$|\.json$|^\.ci\//.test(f))
      .filter((f) => !f.startsWith('test/fixtures/') && f !== 'package-lock.json')
      // This file names the folder in order to look for it.
      .filter((f) => f !== 'test/repository/standalone.test.ts')
  );
}

test('no script, test, build file or app file reads a folder outside the repository', () => {
  const files = trackedCode();
  expect(files.length).toBeGreaterThan(100);
  const offenders: string[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (outside(file, line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
});

test('the guard recognises a read of the sibling folder', () => {
  const probe = (line: string) => outside('test/audit/record.test.ts', line);
  expect(probe("path.resolve(__dirname, '../../../shared/samples')")).toBe(true);
  expect(probe("path.resolve(__dirname, '../../../other/folder')")).toBe(true);
  expect(probe("join(REPO_ROOT, '..', 'shared', 'reference')")).toBe(true);
  expect(probe("path.resolve(__dirname, '../fixtures/samples/cloudhsm')")).toBe(false);
  expect(probe("import { x } from '../../src/audit/record';")).toBe(false);
});
