/**
 * `cloudhsm_audit` | `cloudhsm_actor` on a simulated two-HSM sequence: the macro text comes from
 * macros.conf and runs in the harness's SPL evaluator (spl.ts), on fields produced from the record
 * text by the conf files and PCRE2. Expectations are hand-written.
 *
 * What this cannot show: Splunk's own streamstats/sort implementation. The evaluator models the
 * documented behaviour (stats functions ignore null values; rows missing a by-field get nothing).
 */
import { plain } from './harness/plain';
import { searchTime, type SplunkEvent } from './harness/searchTime';
import { runSpl, type Row } from './harness/spl';
import { ACTOR_COLUMNS } from './expectations/actor';

const A = 'hsm-aaaaaaaaaaa';
const B = 'hsm-bbbbbbbbbbb';
const SOURCE = 'aws:cloudhsm:eu-west-1:/aws/cloudhsm/cluster-abcdefghijk';
const T0 = 1700000000; // seconds

const USER_TYPES: Record<string, string> = {
  CU: 'CN_CRYPTO_USER (1)',
  CO: 'CN_CRYPTO_OFFICER (2)',
};

interface Spec {
  hsm: string;
  t: string; // seconds after T0, six decimals
  seq: string;
  opcode: string;
  session: string;
  response?: string;
  user?: [string, 'CU' | 'CO'];
  key?: string;
}

function record(s: Spec): string {
  const usecs = `${T0 + Number(s.t.split('.')[0])}${s.t.split('.')[1]}`;
  const lines = [
    `Time: 11/14/23 22:13:20.000000, usecs:${usecs}`,
    `Sequence No : ${s.seq}`,
    'Reboot counter : 0x1',
    'Command Type(hex) : CN_MGMT_CMD (0x0)',
    `Opcode : ${s.opcode}`,
    `Session Handle : ${s.session}`,
    `Response : ${s.response ?? '0:HSM Return: SUCCESS'}`,
  ];
  if (s.user)
    lines.push(
      'Log type : MGMT_USER_DETAILS_LOG (2)',
      `User Name : ${s.user[0]}`,
      `User Type : ${USER_TYPES[s.user[1]]}`,
    );
  if (s.key)
    lines.push(
      'Log type : MGMT_KEY_DETAILS_LOG (1)',
      `Priv/Secret Key Handle : ${s.key}`,
      'Public Key Handle : 0',
    );
  return lines.join('\n');
}

const SPECS: Spec[] = [
  {
    hsm: A,
    t: '0.000000',
    seq: '0x0',
    opcode: 'CN_LOGIN (0xd)',
    session: '0x1',
    user: ['admin', 'CO'],
  },
  {
    hsm: B,
    t: '0.020000',
    seq: '0x0',
    opcode: 'CN_LOGIN (0xd)',
    session: '0x1',
    user: ['admin', 'CO'],
  },
  {
    hsm: A,
    t: '1.000000',
    seq: '0x1',
    opcode: 'CN_CREATE_USER (0x3)',
    session: '0x1',
    user: ['bob', 'CU'],
  },
  {
    hsm: A,
    t: '2.000000',
    seq: '0x2',
    opcode: 'CN_LOGIN (0xd)',
    session: '0x2',
    response: '163:HSM Error: RET_USER_LOGIN_FAILURE',
    user: ['eve', 'CU'],
  },
  {
    hsm: A,
    t: '3.000000',
    seq: '0x3',
    opcode: 'CN_GENERATE_KEY (0x17)',
    session: '0x2',
    key: '100',
  },
  {
    hsm: A,
    t: '4.000000',
    seq: '0x4',
    opcode: 'CN_LOGIN (0xd)',
    session: '0x2',
    user: ['bob', 'CU'],
  },
  {
    hsm: A,
    t: '4.000000',
    seq: '0x5',
    opcode: 'CN_GENERATE_KEY (0x17)',
    session: '0x2',
    key: '101',
  },
  {
    hsm: A,
    t: '4.030000',
    seq: '0x6',
    opcode: 'CN_EXTRACT_MASKED_OBJECT_USER (0xf0)',
    session: '0x2',
    key: '101',
  },
  {
    hsm: B,
    t: '4.050000',
    seq: '0x1',
    opcode: 'CN_INSERT_MASKED_OBJECT_USER (0xf1)',
    session: '0x1',
    key: '101',
  },
  {
    hsm: A,
    t: '6.000000',
    seq: '0x7',
    opcode: 'CN_LOGOUT (0xe)',
    session: '0x1',
    user: ['admin', 'CO'],
  },
  {
    hsm: A,
    t: '7.000000',
    seq: '0x8',
    opcode: 'CN_DELETE_USER (0xa1)',
    session: '0x1',
    user: ['alice', 'CO'],
  },
  {
    hsm: B,
    t: '8.000000',
    seq: '0x2',
    opcode: 'CN_CHANGE_PSWD (0x9)',
    session: '0x1',
    user: ['carol', 'CU'],
  },
];

function rows(events: SplunkEvent[], specs: Spec[]): Row[] {
  return searchTime(events).map((r, i) => {
    const row: Row = new Map(r.fields);
    const e = events[i]!;
    row.set('_time', [String(T0 + Number(specs[i]!.t))]);
    row.set('index', ['aws_cloudhsm']);
    row.set('sourcetype', [e.sourcetype]);
    row.set('source', [e.source]);
    row.set('host', [e.host]);
    return row;
  });
}

// Splunk hands a search its events newest first.
const newestFirst = [...SPECS].reverse();
const input = rows(
  newestFirst.map((s) => ({
    raw: record(s),
    sourcetype: 'aws:cloudwatch:cloudhsm',
    source: SOURCE,
    host: s.hsm,
  })),
  newestFirst,
);

const COLUMNS = ACTOR_COLUMNS;
const view = (out: Row[]): (string | null)[][] =>
  out.map((r) => COLUMNS.map((c) => r.get(c)?.join('|') ?? null));

test('actor of each record, newest first, from the login that opened its session on its HSM', () => {
  const out = runSpl('`cloudhsm_audit` | `cloudhsm_actor`', input);
  expect(view(out)).toEqual([
    // B's session 0x1 is still open: A's logout does not end it. CIM Change: the account changed
    // is `user`, who changed it `src_user`.
    [B, '0x2', 'CN_CHANGE_PSWD', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'carol', 'admin'],
    // A's session 0x1 was closed by the logout: nobody to attribute
    [A, '0x8', 'CN_DELETE_USER', null, null, null, 'alice', null],
    // a logout names its own user
    [A, '0x7', 'CN_LOGOUT', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'admin', null],
    // key sync on B runs in B's session 0x1 (admin), not A's 0x2 (bob)
    [B, '0x1', 'CN_INSERT_MASKED_OBJECT_USER', 'admin', 'CN_CRYPTO_OFFICER', 'CO', null, null],
    [A, '0x6', 'CN_EXTRACT_MASKED_OBJECT_USER', 'bob', 'CN_CRYPTO_USER', 'CU', null, null],
    // same second as the login: the sequence number puts the login first; a key change's user is
    // who made it
    [A, '0x5', 'CN_GENERATE_KEY', 'bob', 'CN_CRYPTO_USER', 'CU', 'bob', null],
    [A, '0x4', 'CN_LOGIN', 'bob', 'CN_CRYPTO_USER', 'CU', 'bob', null],
    // after only a failed login on 0x2, the key generation has no actor
    [A, '0x3', 'CN_GENERATE_KEY', null, null, null, null, null],
    [A, '0x2', 'CN_LOGIN', 'eve', 'CN_CRYPTO_USER', 'CU', 'eve', null],
    [A, '0x1', 'CN_CREATE_USER', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'bob', 'admin'],
    [B, '0x0', 'CN_LOGIN', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'admin', null],
    [A, '0x0', 'CN_LOGIN', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'admin', null],
  ]);
});

test('the macro leaves no helper fields and keeps the affected user in object', () => {
  const out = runSpl('`cloudhsm_audit` | `cloudhsm_actor`', input);
  for (const r of out) expect([...r.keys()].filter((k) => k.startsWith('chsm_'))).toEqual([]);
  const create = out.find((r) => r.get('opcode')?.[0] === 'CN_CREATE_USER')!;
  expect(plain(create)).toMatchObject({
    object: 'bob',
    user_name: 'bob',
    user_role: 'CU',
    actor_user_name: 'admin',
    user: 'bob',
    src_user: 'admin',
    src_user_name: 'admin',
  });
});

test('records without hsm_id (Lambda to HEC path) get no actor', () => {
  const specs = [SPECS[0]!, SPECS[2]!].reverse();
  const lambda = rows(
    specs.map((s) => ({
      raw: record(s),
      sourcetype: 'aws:cloudwatch:cloudhsm',
      source: 'lambda:CloudHSMToSplunk',
      host: 'splunk-hf-1',
    })),
    specs,
  );
  const out = runSpl('`cloudhsm_audit` | `cloudhsm_actor`', lambda);
  expect(view(out)).toEqual([
    [null, '0x1', 'CN_CREATE_USER', null, null, null, 'bob', null],
    [null, '0x0', 'CN_LOGIN', 'admin', 'CN_CRYPTO_OFFICER', 'CO', 'admin', null],
  ]);
});
