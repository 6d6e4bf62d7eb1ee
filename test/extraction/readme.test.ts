/**
 * The README's field reference table is generated from props.conf and transforms.conf by
 * scripts/field-reference.mjs; this fails when someone changes the conf files without regenerating.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './harness/conf';

test('README field reference matches the conf files', () => {
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'field-reference.mjs'), '--check'],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
