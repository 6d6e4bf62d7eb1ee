/**
 * `cloudhsm_audit` | `cloudhsm_login_attempts` (macros.conf) on hand-made login records: every HSM
 * of a cluster logs each login, tens of milliseconds apart, and the macro counts the attempt once.
 * Fields come from the record text through the conf files and PCRE2; expectations are hand-written.
 */
import { searchTime } from './harness/searchTime';
import { runPipeline, runSpl, type Row } from './harness/spl';

const T0 = 1_800_000_000;
const CLUSTER = 'aws:cloudhsm:eu-west-1:/aws/cloudhsm/cluster-abcdefghijk';
const seqs = new Map<string, number>();

/** One login as `hsms` record it, 20 ms apart (no HSM id: the Lambda path). */
function login(t: number, user: string, hsms: (string | null)[], wrong = true): Row[] {
  return searchTime(
    hsms.map((hsm, i) => {
      const key = hsm ?? `lambda${i}`;
      const seq = seqs.get(key) ?? 0;
      seqs.set(key, seq + 1);
      const usecs = Math.round((t + i * 0.02) * 1e6);
      return {
        raw: [
          `Time: 01/15/27 08:00:00.000000, usecs:${usecs}`,
          `Sequence No : 0x${seq.toString(16)}`,
          'Reboot counter : 0x1',
          'Command Type(hex) : CN_MGMT_CMD (0x0)',
          'Opcode : CN_LOGIN (0xd)',
          `Session Handle : 0x${(0x100 + seq).toString(16)}`,
          wrong
            ? 'Response : 163:HSM Error: RET_USER_LOGIN_FAILURE'
            : 'Response : 0:HSM Return: SUCCESS',
          'Log type : MGMT_USER_DETAILS_LOG (2)',
          `User Name : ${user}`,
          'User Type : CN_CRYPTO_USER (1)',
        ].join('\n'),
        sourcetype: 'aws:cloudwatch:cloudhsm',
        source: hsm ? CLUSTER : 'lambda:CloudHSMLogsToSplunk',
        host: hsm ?? 'splunk-hec-1',
      };
    }),
  ).map((r, i) => {
    const row: Row = new Map(r.fields);
    row.set('_time', [String(t + i * 0.02)]);
    row.set('index', ['aws_cloudhsm']);
    row.set('sourcetype', ['aws:cloudwatch:cloudhsm']);
    return row;
  });
}

const A = ['hsm-a1', 'hsm-a2', 'hsm-a3'];
const records = [
  ...login(T0, 'eve', A),
  ...login(T0 + 5, 'eve', A),
  ...login(T0 + 10, 'eve', A, false),
  // A script trying passwords faster than once a second: still three attempts.
  ...login(T0 + 20, 'mallory', A),
  ...login(T0 + 20.3, 'mallory', A),
  ...login(T0 + 20.6, 'mallory', A),
  // A fourth HSM joined the cluster.
  ...login(T0 + 30, 'eve', [...A, 'hsm-a4']),
  // The Lambda -> HEC path: no HSM id, so only time tells attempts apart.
  ...login(T0 + 40, 'bob', [null, null, null]),
  ...login(T0 + 45, 'bob', [null, null, null]),
];

const out = runSpl('`cloudhsm_audit` | `cloudhsm_login_attempts`', records);

test('counts each login attempt once, however many HSMs logged it', () => {
  const counted = runPipeline(
    '| stats sum(login_attempt_first) as attempts count as records max(login_attempt_hsms) as hsms by user_name response_status',
    out,
    { events: [], now: T0 },
  );
  expect(
    counted.map((r) =>
      ['user_name', 'response_status', 'attempts', 'records', 'hsms'].map((f) => r.get(f)?.[0]),
    ),
  ).toEqual([
    ['bob', 'ERROR', '2', '6', '1'],
    ['eve', 'ERROR', '3', '10', '4'],
    ['eve', 'SUCCESS', '1', '3', '3'],
    ['mallory', 'ERROR', '3', '9', '3'],
  ]);
});

test('marks the earliest record of each attempt, and returns the records newest first', () => {
  const first = out.filter((r) => r.get('login_attempt_first')?.[0] === '1');
  expect(
    first.map((r) => [
      Math.round((Number(r.get('_time')![0]) - T0) * 100) / 100,
      r.get('hsm_id')?.[0] ?? null,
    ]),
  ).toEqual([
    [45, null],
    [40, null],
    [30, 'hsm-a1'],
    [20.6, 'hsm-a1'],
    [20.3, 'hsm-a1'],
    [20, 'hsm-a1'],
    [10, 'hsm-a1'],
    [5, 'hsm-a1'],
    [0, 'hsm-a1'],
  ]);
  expect(out.every((r) => ![...r.keys()].some((k) => k.startsWith('chsm_')))).toBe(true);
});
