/**
 * Lookup tables and conf-file hygiene: the opcode table holds every opcode of the format reference
 * (section 4) with its category, user types and responses map as documented, unknown values come
 * back as "unknown", and every name a conf file refers to exists.
 */
import { readConf, readCsv } from './harness/conf';
import { plain } from './harness/plain';
import { props, searchTime, transforms } from './harness/searchTime';

// Section 4 of cloudhsm-audit-log.md, written out by hand: opcode -> category.
const REFERENCE_OPCODES: Record<string, string> = {
  CN_LOGIN: 'login',
  CN_LOGOUT: 'login',
  CN_APP_FINALIZE: 'login',
  CN_CLOSE_SESSION: 'login',
  CN_CREATE_USER: 'user',
  CN_CREATE_CO: 'user',
  CN_CREATE_APPLIANCE_USER: 'user',
  CN_DELETE_USER: 'user',
  CN_CHANGE_PSWD: 'user',
  CN_SET_M_VALUE: 'quorum',
  CN_APPROVE_TOKEN: 'quorum',
  CN_DELETE_TOKEN: 'quorum',
  CN_GET_TOKEN: 'quorum',
  CN_GENERATE_KEY: 'key',
  CN_GENERATE_KEY_PAIR: 'key',
  CN_CREATE_OBJECT: 'key',
  CN_MODIFY_OBJECT: 'key',
  CN_DESTROY_OBJECT: 'key',
  CN_TOMBSTONE_OBJECT: 'key',
  CN_SHARE_OBJECT: 'key',
  CN_WRAP_KEY: 'key',
  CN_UNWRAP_KEY: 'key',
  CN_DERIVE_KEY: 'key',
  CN_NIST_AES_WRAP: 'key',
  CN_EXTRACT_MASKED_OBJECT_USER: 'sync',
  CN_INSERT_MASKED_OBJECT_USER: 'sync',
  CN_BACKUP_BEGIN: 'backup',
  CN_BACKUP_END: 'backup',
  CN_RESTORE_BEGIN: 'backup',
  CN_RESTORE_END: 'backup',
  CN_CLONE_SOURCE_INIT: 'clone',
  CN_CLONE_SOURCE_STAGE1: 'clone',
  CN_CLONE_TARGET_INIT: 'clone',
  CN_CLONE_TARGET_STAGE1: 'clone',
  CN_CERT_AUTH_STORE_CERT: 'cert',
  CN_CERT_AUTH_VALIDATE_PEER_CERTS: 'cert',
  CN_CERT_AUTH_SOURCE_KEY_EXCHANGE: 'cert',
  CN_CERT_AUTH_TARGET_KEY_EXCHANGE: 'cert',
  CN_INIT_TOKEN: 'instance',
  CN_INIT_DONE: 'instance',
  CN_GEN_KEY_ENC_KEY: 'instance',
  CN_GEN_PSWD_ENC_KEY: 'instance',
  CN_CLOSE_PARTITION_SESSIONS: 'instance',
  CN_STORE_KBK_SHARE: 'instance',
  CN_SET_NODEID: 'instance',
  CN_ZEROIZE: 'instance',
  CN_FIPS_RAND: 'crypto',
};

test('cloudhsm_opcodes.csv: every reference opcode, its category, a description, a relevance flag', () => {
  const { header, rows } = readCsv('cloudhsm_opcodes.csv');
  expect(header).toEqual(['opcode', 'opcode_category', 'opcode_description', 'security_relevant']);
  expect(Object.fromEntries(rows.map((r) => [r[0], r[1]]))).toEqual(REFERENCE_OPCODES);
  for (const r of rows) {
    expect(r[2]!.length).toBeGreaterThan(3);
    expect(['true', 'false']).toContain(r[3]);
  }
  const syncAndCrypto = rows
    .filter((r) => r[3] === 'false')
    .map((r) => r[0])
    .sort();
  expect(syncAndCrypto).toEqual([
    'CN_EXTRACT_MASKED_OBJECT_USER',
    'CN_FIPS_RAND',
    'CN_INSERT_MASKED_OBJECT_USER',
  ]);
});

test('cloudhsm_user_types.csv: 1 CU, 2 CO, 3 PCO, 4 HMCO, 5 AU, 6 PRECO', () => {
  const { rows } = readCsv('cloudhsm_user_types.csv');
  expect(Object.fromEntries(rows.map((r) => [r[0], r[2]]))).toEqual({
    1: 'CU',
    2: 'CO',
    3: 'PCO',
    4: 'HMCO',
    5: 'AU',
    6: 'PRECO',
  });
});

test('cloudhsm_responses.csv: the responses seen in audit records', () => {
  const { header, rows } = readCsv('cloudhsm_responses.csv');
  expect(header).toEqual(['response_code', 'response_description']);
  const map = Object.fromEntries(rows);
  expect(map['0']).toBe('Success');
  expect(map['163']).toMatch(/RET_USER_LOGIN_FAILURE/);
  expect(map['206']).toMatch(/doesn't exist/);
  expect(map['157']).toMatch(/2018 firmware/);
});

test('unknown opcode, user type and response code show as "unknown"; absent inputs add nothing', () => {
  const [unknown, none] = searchTime([
    {
      raw: 'Opcode : CN_SOMETHING_NEW (0x99)\nResponse : 12:HSM Error: new\nUser Type : CN_X (9)\nTarget User Type : CN_Y (10)',
      sourcetype: 'aws:cloudwatch:cloudhsm',
      source: 'x',
      host: 'y',
    },
    { raw: 'Session Handle : 0x1', sourcetype: 'aws:cloudwatch:cloudhsm', source: 'x', host: 'y' },
  ]);
  expect(plain(unknown!.fields)).toMatchObject({
    opcode_category: 'unknown',
    opcode_description: 'unknown',
    security_relevant: 'unknown',
    response_description: 'unknown',
    user_role: 'unknown',
    target_user_role: 'unknown',
  });
  expect(plain(none!.fields)).toEqual({
    session_handle: '0x1',
    session_id: '0x1',
    app: 'aws:cloudhsm',
    vendor_product: 'AWS CloudHSM',
  });
});

test('lookup definitions: CSV files, exact match, "unknown" default', () => {
  for (const name of ['cloudhsm_opcodes', 'cloudhsm_user_types', 'cloudhsm_responses']) {
    const def = transforms.stanzas.get(name)!;
    expect(def.get('filename')).toBe(`${name}.csv`);
    expect(def.get('min_matches')).toBe('1');
    expect(def.get('default_match')).toBe('unknown');
    expect(() => readCsv(`${name}.csv`)).not.toThrow();
  }
});

test('conf hygiene: no duplicate keys, every referenced transform exists, every transform is used', () => {
  for (const f of [
    'props.conf',
    'transforms.conf',
    'eventtypes.conf',
    'tags.conf',
    'macros.conf',
  ]) {
    expect([f, readConf(f).duplicates]).toEqual([f, []]);
  }
  const used = new Set<string>();
  for (const [, stanza] of props.stanzas) {
    for (const [k, v] of stanza) {
      if (k.startsWith('REPORT-')) v.split(',').forEach((t) => used.add(t.trim()));
      if (k.startsWith('LOOKUP-')) used.add(v.trim().split(/\s+/)[0]!);
    }
  }
  for (const t of used) expect([t, transforms.stanzas.has(t)]).toEqual([t, true]);
  for (const t of transforms.stanzas.keys()) expect([t, used.has(t)]).toEqual([t, true]);
});

test('tags point at existing eventtypes', () => {
  const eventtypes = readConf('eventtypes.conf');
  for (const name of readConf('tags.conf').stanzas.keys()) {
    expect(eventtypes.stanzas.has(name.replace(/^eventtype=/, ''))).toBe(true);
  }
});
