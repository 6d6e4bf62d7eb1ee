/**
 * Hand-made hostile records: truncated, binary bytes, 100 KB lines, empty values, injected colons
 * and a duplicated Opcode line. Each gives exactly the hand-written fields: nothing crosses a line,
 * nothing is swallowed, and what cannot be parsed stays visible as text.
 *
 * Linearity: every regex of transforms.conf and the index-time regexes of props.conf run with
 * PCRE2's match limit capped at a small multiple of the subject length over 100 KB hostile
 * subjects (a catastrophic regex fails with "match limit exceeded"), and PCRE2's minimum match
 * limit must grow no faster than the subject (measured at 4 KB and 8 KB).
 * PCRE2's match limit counts backtracking steps, not characters scanned by a single repeat, so
 * it catches catastrophic backtracking (the failure that matters here) rather than every slow scan.
 */
import { plain, sorted } from './harness/plain';
import { runPcre2 } from './harness/pcre2';
import { props, searchTime, transforms } from './harness/searchTime';
import { COLLECTOR_HOST, COLLECTOR_SOURCE, ORIGIN, type Expected } from './expectations/samples';

const K100 = 100 * 1024;
const BASE: Expected = { ...ORIGIN, app: 'aws:cloudhsm', vendor_product: 'AWS CloudHSM' };
const LOGIN_HEAD = [
  'Time: 01/24/18 17:44:25.013218, usecs:1516815865013218',
  'Sequence No : 0x5',
  'Opcode : CN_LOGIN (0xd)',
];
const LOGIN_FIELDS: Expected = {
  ...BASE,
  time_usecs: '1516815865013218',
  sequence_no_hex: '0x5',
  sequence_no: '5',
  opcode: 'CN_LOGIN',
  opcode_code: '0xd',
  signature: 'CN_LOGIN',
  signature_id: '0xd',
  command: 'CN_LOGIN',
  authentication_service: 'AWS CloudHSM',
  opcode_category: 'login',
  opcode_description: 'User login',
  security_relevant: 'true',
  // no Response line: the login's outcome is unknown, and says so
  action: 'unknown',
};
const USER_TYPE_LINE = 'User Type : CN_CRYPTO_USER (1)';
const USER_TYPE_FIELDS: Expected = {
  user_type: 'CN_CRYPTO_USER',
  user_type_code: '1',
  user_role: 'CU',
};
const AUTH = ['cloudhsm_audit_record', 'cloudhsm_authentication'];

interface HostileCase {
  name: string;
  raw: Buffer;
  fields: Expected;
  eventtypes: string[];
}

const lines = (...l: (string | Buffer)[]): Buffer =>
  Buffer.concat(
    l.flatMap((x, i) => [
      i ? Buffer.from('\n') : Buffer.alloc(0),
      typeof x === 'string' ? Buffer.from(x) : x,
    ]),
  );

const CASES: HostileCase[] = [
  {
    name: 'truncated inside the Opcode value',
    raw: lines(
      'Time: 01/16/18 01:49:39.437708, usecs:1516067379437708',
      'Sequence No : 0x1',
      'Reboot counter : 0x107',
      'Command Type(hex) : CN_MGMT_CMD (0x0)',
      'Opcode : CN_CREA',
    ),
    fields: {
      ...BASE,
      time_usecs: '1516067379437708',
      sequence_no_hex: '0x1',
      sequence_no: '1',
      reboot_counter_hex: '0x107',
      reboot_counter: '263',
      command_type: 'CN_MGMT_CMD',
      command_type_code: '0x0',
      opcode: 'CN_CREA',
      signature: 'CN_CREA',
      command: 'CN_CREA',
      opcode_category: 'unknown',
      opcode_description: 'unknown',
      security_relevant: 'unknown',
    },
    eventtypes: ['cloudhsm_audit_record'],
  },
  {
    name: 'truncated inside the Time line',
    raw: lines('Time: 01/16/18 01:49:39.437708, use'),
    fields: { ...BASE },
    eventtypes: ['cloudhsm_audit_record'],
  },
  {
    name: 'binary bytes in labels and values',
    raw: lines(
      ...LOGIN_HEAD,
      Buffer.from([0x00, 0x01, 0xff, 0x20, 0x67, 0x3a, 0x20, 0x78]), // "\0\1\xff g: x": not a label
      Buffer.concat([Buffer.from('Session Handle : 0x70'), Buffer.from([0x00, 0x7f])]),
      Buffer.concat([Buffer.from('User Name : b'), Buffer.from([0xff]), Buffer.from('ob')]),
      USER_TYPE_LINE,
    ),
    fields: {
      ...LOGIN_FIELDS,
      ...USER_TYPE_FIELDS,
      session_handle: '0x70\u0000\u007f',
      session_id: '0x70\u0000\u007f',
      user_name: 'b\ufffdob',
      user: 'b\ufffdob',
    },
    eventtypes: AUTH,
  },
  {
    name: '100 KB user name',
    raw: lines(...LOGIN_HEAD, `User Name : ${'a'.repeat(K100)}`, USER_TYPE_LINE),
    fields: {
      ...LOGIN_FIELDS,
      ...USER_TYPE_FIELDS,
      user_name: 'a'.repeat(K100),
      user: 'a'.repeat(K100),
    },
    eventtypes: AUTH,
  },
  {
    name: '100 KB of blanks before a one-letter user name, blanks after it',
    raw: lines(
      ...LOGIN_HEAD,
      `User Name :${' \t'.repeat(K100 / 2)}x${' '.repeat(K100)}`,
      USER_TYPE_LINE,
    ),
    fields: { ...LOGIN_FIELDS, ...USER_TYPE_FIELDS, user_name: 'x', user: 'x' },
    eventtypes: AUTH,
  },
  {
    name: '100 KB line of words and no colon',
    raw: lines(...LOGIN_HEAD, 'Label '.repeat(K100 / 6), USER_TYPE_LINE),
    fields: { ...LOGIN_FIELDS, ...USER_TYPE_FIELDS },
    eventtypes: AUTH,
  },
  {
    name: '100 KB line of colons',
    raw: lines(...LOGIN_HEAD, ':'.repeat(K100), USER_TYPE_LINE),
    fields: { ...LOGIN_FIELDS, ...USER_TYPE_FIELDS },
    eventtypes: AUTH,
  },
  {
    name: '100 KB hex sequence number ending in a colon',
    raw: lines(
      'Time: 01/24/18 17:44:25.013218, usecs:1516815865013218',
      `Sequence No : 0x${'f'.repeat(K100)}:`,
      'Opcode : CN_LOGIN (0xd)',
      USER_TYPE_LINE,
    ),
    fields: {
      ...LOGIN_FIELDS,
      ...USER_TYPE_FIELDS,
      sequence_no_hex: `0x${'f'.repeat(K100)}:`,
      sequence_no: undefined as unknown as string,
    },
    eventtypes: AUTH,
  },
  {
    name: '100 KB of unknown "Label : value" lines',
    raw: lines(...LOGIN_HEAD, ...Array.from({ length: 10000 }, () => 'Foo : bar'), USER_TYPE_LINE),
    fields: {
      ...LOGIN_FIELDS,
      ...USER_TYPE_FIELDS,
      Foo: Array.from({ length: 10000 }, () => 'bar'),
    },
    eventtypes: AUTH,
  },
  {
    name: '"Label : " with empty values',
    raw: lines(
      'Time: 01/24/18 17:44:25.013218, usecs:1516815865013218',
      'Sequence No : ',
      'Opcode : CN_LOGIN (0xd)',
      'Response : ',
      'User Name : ',
      USER_TYPE_LINE,
      'Foo : ',
      'Bar :\t \t',
      'Log type :',
    ),
    fields: {
      ...LOGIN_FIELDS,
      ...USER_TYPE_FIELDS,
      sequence_no_hex: undefined as unknown as string,
      sequence_no: undefined as unknown as string,
    },
    eventtypes: AUTH,
  },
  {
    name: 'injected extra colons and a second Opcode line',
    raw: lines(
      'Time: 01/24/18 17:44:25.013218, usecs:1516815865013218',
      'Sequence No : 0x5:0x6',
      'Reboot counter : 0x107',
      'Opcode : CN_LOGIN (0xd) : CN_DELETE_USER',
      'Session Handle : 0xc008002:evil',
      'Response : 0:HSM Return: SUCCESS: but: not really',
      'Log type : MGMT_USER_DETAILS_LOG (2)',
      'User Name : bob:admin: x',
      'User Type : CN_CRYPTO_USER (1):x',
      'Note:: a : b',
      'Opcode : CN_DELETE_USER (0xa1)',
    ),
    fields: {
      ...BASE,
      time_usecs: '1516815865013218',
      sequence_no_hex: '0x5:0x6',
      reboot_counter_hex: '0x107',
      reboot_counter: '263',
      opcode: 'CN_LOGIN',
      opcode_code: '0xd',
      signature: 'CN_LOGIN',
      signature_id: '0xd',
      command: 'CN_LOGIN',
      authentication_service: 'AWS CloudHSM',
      session_handle: '0xc008002:evil',
      session_id: '0xc008002:evil',
      response_code: '0',
      response_status: 'SUCCESS',
      response_message: 'SUCCESS: but: not really',
      response_description: 'Success',
      status: 'success',
      log_type: 'MGMT_USER_DETAILS_LOG',
      log_type_code: '2',
      user_name: 'bob:admin: x',
      user_type: 'CN_CRYPTO_USER',
      user_type_code: '1',
      user_role: 'CU',
      Note: ': a : b',
      opcode_category: 'login',
      opcode_description: 'User login',
      security_relevant: 'true',
      action: 'success',
      user: 'bob:admin: x',
    },
    eventtypes: AUTH,
  },
];

const results = searchTime(
  CASES.map((c) => ({
    raw: c.raw,
    sourcetype: 'aws:cloudwatch:cloudhsm',
    source: COLLECTOR_SOURCE,
    host: COLLECTOR_HOST,
  })),
);

function withoutUndefined(e: Expected): Expected {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
}

describe.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
  test('fields', () => {
    expect(plain(results[i]!.fields)).toEqual(sorted(withoutUndefined(c.fields)));
  });
  test('eventtypes', () => {
    expect(results[i]!.eventtypes).toEqual(c.eventtypes);
  });
});

describe('linear matching on hostile input', () => {
  const textStanza = props.stanzas.get('aws:cloudwatch:cloudhsm')!;
  const regexes: [string, string][] = [
    ...[...transforms.stanzas]
      .filter(([, s]) => s.has('REGEX'))
      .map(([k, s]) => [k, s.get('REGEX')!] as [string, string]),
    ['props LINE_BREAKER', textStanza.get('LINE_BREAKER')!],
    ['props TIME_PREFIX', textStanza.get('TIME_PREFIX')!],
    [
      'certstore LINE_BREAKER',
      props.stanzas.get('aws:cloudwatch:cloudhsm:certstore')!.get('LINE_BREAKER')!,
    ],
    [
      'certstore TIME_PREFIX',
      props.stanzas.get('aws:cloudwatch:cloudhsm:certstore')!.get('TIME_PREFIX')!,
    ],
  ];
  const hostile: Record<string, (n: number) => string> = {
    letters: (n) => 'a'.repeat(n),
    blanks: (n) => ' \t'.repeat(n / 2),
    colons: (n) => ':'.repeat(n),
    'blanks then a value': (n) => `User Name : ${' '.repeat(n)}x`,
    'unknown labels': (n) => 'Foo : bar\n'.repeat(n / 10),
    'long Time line': (n) => `Time: ${', usecs'.repeat(n / 7)}`,
    'long hex': (n) => `Sequence No : 0x${'f'.repeat(n)}:`,
    'long response code': (n) => `Response : ${'1'.repeat(n)}:HSM Error: x`,
    'label-like lines without colon': (n) => `Ab${' '.repeat(60)}x\n`.repeat(n / 64),
    'label then blanks then colon': (n) => `Ab${' '.repeat(60)}:\n`.repeat(n / 64),
    'line ends': (n) => '\r\n'.repeat(n / 2),
    'pretty JSON': (n) => '{\n    "a": 1,\n'.repeat(n / 14),
  };

  test('the guard itself fails a catastrophic regex', () => {
    const [r] = runPcre2('(a+)+$', [Buffer.from(`${'a'.repeat(40)}b`)], {
      matchLimit: 5 * 41 + 1000,
    });
    expect(r?.error).toBe('match limit exceeded');
  });

  test.each(regexes)(
    '%s stays within 5 x length + 1000 match steps on 100 KB subjects',
    (_name, regex) => {
      const subjects = Object.values(hostile).map((g) => Buffer.from(g(K100)));
      const res = runPcre2(regex, subjects, { matchLimit: 5 * K100 + 1000 });
      expect(res.map((r) => r.error ?? 'ok')).toEqual(subjects.map(() => 'ok'));
    },
  );

  test.each(regexes)(
    '%s: minimum match limit grows at most linearly (4 KB vs 8 KB)',
    (_name, regex) => {
      const small = Object.values(hostile).map((g) => Buffer.from(g(4096)));
      const large = Object.values(hostile).map((g) => Buffer.from(g(8192)));
      const a = runPcre2(regex, small, { findLimits: true, global: false });
      const b = runPcre2(regex, large, { findLimits: true, global: false });
      b.forEach((r, i) => {
        expect(r.minMatchLimit).toBeDefined();
        expect(r.minMatchLimit!).toBeLessThanOrEqual(2.2 * a[i]!.minMatchLimit! + 10);
      });
    },
  );
});
