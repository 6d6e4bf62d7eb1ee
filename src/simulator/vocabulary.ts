/**
 * The CloudHSM names and codes the simulator writes (reference section 4). Codes marked
 * "invented" are not documented by AWS; they only need to look like the real `NAME (0xH)` form,
 * because readers must carry unknown values through untouched.
 */
import type { Coded } from './format';

const op = (name: string, code: number): Coded => ({ name, code });

export const OP = {
  INIT_TOKEN: op('CN_INIT_TOKEN', 0x1),
  CREATE_USER: op('CN_CREATE_USER', 0x3),
  CREATE_CO: op('CN_CREATE_CO', 0x4),
  CHANGE_PSWD: op('CN_CHANGE_PSWD', 0x9),
  LOGIN: op('CN_LOGIN', 0xd),
  LOGOUT: op('CN_LOGOUT', 0xe),
  DESTROY_OBJECT: op('CN_DESTROY_OBJECT', 0x11),
  SHARE_OBJECT: op('CN_SHARE_OBJECT', 0x12),
  GENERATE_KEY: op('CN_GENERATE_KEY', 0x17),
  GENERATE_KEY_PAIR: op('CN_GENERATE_KEY_PAIR', 0x19),
  WRAP_KEY: op('CN_WRAP_KEY', 0x1a),
  UNWRAP_KEY: op('CN_UNWRAP_KEY', 0x1b),
  GEN_PSWD_ENC_KEY: op('CN_GEN_PSWD_ENC_KEY', 0x1d),
  NIST_AES_WRAP: op('CN_NIST_AES_WRAP', 0x1e),
  INIT_DONE: op('CN_INIT_DONE', 0x95),
  DELETE_USER: op('CN_DELETE_USER', 0xa1),
  EXTRACT_MASKED_OBJECT_USER: op('CN_EXTRACT_MASKED_OBJECT_USER', 0xf0),
  INSERT_MASKED_OBJECT_USER: op('CN_INSERT_MASKED_OBJECT_USER', 0xf1),
  CREATE_APPLIANCE_USER: op('CN_CREATE_APPLIANCE_USER', 0xfc),
  TOMBSTONE_OBJECT: op('CN_TOMBSTONE_OBJECT', 0x9e), // invented code
  APP_FINALIZE: op('CN_APP_FINALIZE', 0x99), // invented code
  TIME_SYNC: op('CN_TIME_SYNC', 0xb1), // invented name and code: the time-sync opcode is undocumented
} as const;

/** Opcodes the HSM family emits that the reference does not document: "an unknown opcode now and then". */
export const UNKNOWN_OPCODES: readonly Coded[] = [
  op('CN_ENCRYPT_SESSION_V2', 0x116), // seen on hsm2m.medium; code invented
  op('CN_AUTHORIZE_SESSION', 0x114), // invented code
  op('CN_GET_OBJECT_INFO', 0x2a), // invented code
  op('CN_FIND_OBJECTS_USING_COUNT', 0x8c), // invented code
];

export const COMMAND = {
  MGMT: op('CN_MGMT_CMD', 0x0),
  TIME_INFO: op('TIME_INFO_CMD', 0x10), // name inferred by the reference, code invented
} as const;

export const LOG_TYPE = {
  MINIMAL: op('MINIMAL_LOG_ENTRY', 0),
  KEY_DETAILS: op('MGMT_KEY_DETAILS_LOG', 1),
  USER_DETAILS: op('MGMT_USER_DETAILS_LOG', 2),
  UNKNOWN: op('UNKNOWN_LOG_TYPE', 5),
  TIME_INFO: op('TIME_INFO_LOG', 16),
} as const;

export const USER_TYPE = {
  CU: op('CN_CRYPTO_USER', 1),
  CO: op('CN_CRYPTO_OFFICER', 2),
  AU: op('CN_APPLIANCE_USER', 5),
  PRECO: op('CN_CRYPTO_PRE_OFFICER', 6),
} as const;

export const RESPONSE = {
  WRONG_PASSWORD: { code: 163, text: 'RET_USER_LOGIN_FAILURE' },
  UNKNOWN_USER: { code: 206, text: "This user doesn't exist" },
} as const;

/** Names for crypto users and officers the simulated admins create. */
export const USER_NAMES: readonly string[] = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'crypto_user',
  'testuser',
  'pkcs11_cu',
  'kms_cu',
  'jce_app',
  'signer',
  'backup_co',
  'oscar',
];

/** Names people mistype or guess, which the HSM answers with 206. */
export const UNKNOWN_USER_NAMES: readonly string[] = [
  'test',
  'ExampleUser',
  'root',
  'administrator',
  'cu1',
  'Admin',
];

export const FIRMWARE_VERSIONS: readonly string[] = ['3.4.1', '5.9.0', '5.12.3'];
