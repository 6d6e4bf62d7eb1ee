/**
 * Hand-written expectations for every sample record (test/fixtures/samples/cloudhsm), as read
 * by this app's modular input (sourcetype aws:cloudwatch:cloudhsm, source
 * aws:cloudhsm:us-east-1:/aws/cloudhsm/cluster-likphkxygsn, host hsm-nwbbiqbj4jk).
 * Values were written from the record text and the field dictionary, not produced by the code.
 */
export type Expected = Record<string, string | string[]>;
export interface Case {
  name: string;
  fields: Expected;
  eventtypes: string[];
  tags: string[];
}

export const COLLECTOR_SOURCE = 'aws:cloudhsm:us-east-1:/aws/cloudhsm/cluster-likphkxygsn';
export const COLLECTOR_HOST = 'hsm-nwbbiqbj4jk';

/** Fields that come from source and host on the modular-input path. */
export const ORIGIN: Expected = {
  aws_region: 'us-east-1',
  log_group: '/aws/cloudhsm/cluster-likphkxygsn',
  cluster_id: 'cluster-likphkxygsn',
  hsm_id: 'hsm-nwbbiqbj4jk',
  dest: 'hsm-nwbbiqbj4jk',
  dvc: 'hsm-nwbbiqbj4jk',
  vendor_region: 'us-east-1',
};

const CONSTANT: Expected = {
  app: 'aws:cloudhsm',
  vendor_product: 'AWS CloudHSM',
  command_type: 'CN_MGMT_CMD',
  command_type_code: '0x0',
};

const SUCCESS: Expected = {
  response_code: '0',
  response_status: 'SUCCESS',
  response_message: 'SUCCESS',
  response_description: 'Success',
  status: 'success',
};

function head(
  time_usecs: string,
  sequence_no_hex: string,
  sequence_no: string,
  reboot_counter_hex: string,
  reboot_counter: string,
  opcode: string,
  opcode_code: string,
  session_handle: string,
): Expected {
  return {
    ...ORIGIN,
    ...CONSTANT,
    time_usecs,
    sequence_no_hex,
    sequence_no,
    reboot_counter_hex,
    reboot_counter,
    opcode,
    opcode_code,
    signature: opcode,
    signature_id: opcode_code,
    command: opcode,
    session_handle,
    session_id: session_handle,
  };
}

const MINIMAL: Expected = { log_type: 'MINIMAL_LOG_ENTRY', log_type_code: '0' };
const USER_LOG: Expected = { log_type: 'MGMT_USER_DETAILS_LOG', log_type_code: '2' };
const KEY_LOG: Expected = { log_type: 'MGMT_KEY_DETAILS_LOG', log_type_code: '1' };
const CU = (user_name: string): Expected => ({
  user_name,
  user_type: 'CN_CRYPTO_USER',
  user_type_code: '1',
  user_role: 'CU',
});
const CO = (user_name: string): Expected => ({
  user_name,
  user_type: 'CN_CRYPTO_OFFICER',
  user_type_code: '2',
  user_role: 'CO',
});
const LOGIN_LOOKUP: Expected = {
  opcode_category: 'login',
  opcode_description: 'User login',
  security_relevant: 'true',
};
const LOGOUT_LOOKUP: Expected = {
  opcode_category: 'login',
  opcode_description: 'User logout',
  security_relevant: 'true',
};
const keys = (priv: string, pub: string): Expected => ({
  priv_secret_key_handle: priv,
  public_key_handle: pub,
});
/** A successful change: CIM Change's result and result_id are the HSM's response. */
const CHANGED: Expected = { result: 'SUCCESS', result_id: '0' };
const keyChange = (action: string, handle: string): Expected => ({
  ...CHANGED,
  action,
  change_type: 'AAA',
  object_category: 'cryptographic_key',
  object: handle,
  object_id: handle,
});
/** CIM Change: for an account change, `user` is the account changed. */
const userChange = (action: string, object: string): Expected => ({
  ...CHANGED,
  user: object,
  action,
  change_type: 'AAA',
  object_category: 'user',
  object,
});
const LOGIN_CIM: Expected = { authentication_service: 'AWS CloudHSM' };
const loginOk = (user: string): Expected => ({ ...LOGIN_CIM, action: 'success', user });
const loginFailed = (
  user: string,
  code: string,
  message: string,
  description: string,
): Expected => ({
  ...LOGIN_CIM,
  action: 'failure',
  user,
  reason: message,
  reason_id: code,
  response_code: code,
  response_status: 'ERROR',
  response_message: message,
  response_description: description,
  status: 'failure',
});

const AUDIT = ['cloudhsm_audit_record'];
const AUTH = ['cloudhsm_audit_record', 'cloudhsm_authentication'];
const AUTH_ERR = ['cloudhsm_audit_record', 'cloudhsm_authentication', 'cloudhsm_error'];
const ACCOUNT = ['cloudhsm_account_change', 'cloudhsm_audit_record'];
const KEYS = ['cloudhsm_audit_record', 'cloudhsm_key_change'];
const SYNC_SENT: Expected = {
  opcode_category: 'sync',
  opcode_description: 'Key sent to another HSM of the cluster',
  security_relevant: 'false',
};
const SYNC_RECEIVED: Expected = {
  opcode_category: 'sync',
  opcode_description: 'Key received from another HSM of the cluster',
  security_relevant: 'false',
};
const NIST: Expected = {
  opcode_category: 'key',
  opcode_description: 'Wrap or unwrap with an AES key',
  security_relevant: 'true',
};

export const SAMPLE_CASES: Case[] = [
  {
    name: '01-cn_gen_pswd_enc_key-success.log',
    fields: {
      ...head(
        '1513717277140812',
        '0x1',
        '1',
        '0xe8',
        '232',
        'CN_GEN_PSWD_ENC_KEY',
        '0x1d',
        '0x1004001',
      ),
      ...SUCCESS,
      ...MINIMAL,
      opcode_category: 'instance',
      opcode_description: 'Generate the password encryption key',
      security_relevant: 'true',
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '02-cn_init_token-success.log',
    fields: {
      ...head('1513717276962174', '0x0', '0', '0xe8', '232', 'CN_INIT_TOKEN', '0x1', '0x1004001'),
      ...SUCCESS,
      ...MINIMAL,
      opcode_category: 'instance',
      opcode_description: 'Start HSM initialization',
      security_relevant: 'true',
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '03-cn_create_appliance_user-success.log',
    fields: {
      ...head(
        '1513717277174902',
        '0x2',
        '2',
        '0xe8',
        '232',
        'CN_CREATE_APPLIANCE_USER',
        '0xfc',
        '0x1004001',
      ),
      ...SUCCESS,
      ...USER_LOG,
      user_name: 'app_user',
      user_type: 'CN_APPLIANCE_USER',
      user_type_code: '5',
      user_role: 'AU',
      opcode_category: 'user',
      opcode_description: 'Create the appliance user (AU)',
      security_relevant: 'true',
      ...userChange('created', 'app_user'),
    },
    eventtypes: ACCOUNT,
    tags: ['account', 'change'],
  },
  {
    name: '04-cn_init_done-success.log',
    fields: {
      ...head('1513717277298914', '0x3', '3', '0xe8', '232', 'CN_INIT_DONE', '0x95', '0x1004001'),
      ...SUCCESS,
      ...MINIMAL,
      opcode_category: 'instance',
      opcode_description: 'Initialization finished',
      security_relevant: 'true',
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '06-cn_login-success.log',
    fields: {
      ...head('1516067329824999', '0x0', '0', '0x107', '263', 'CN_LOGIN', '0xd', '0x7014006'),
      ...SUCCESS,
      ...USER_LOG,
      ...CO('admin'),
      ...LOGIN_LOOKUP,
      ...loginOk('admin'),
    },
    eventtypes: AUTH,
    tags: ['authentication'],
  },
  {
    name: '07-cn_logout-success.log',
    fields: {
      ...head('1516067395993404', '0x2', '2', '0x107', '263', 'CN_LOGOUT', '0xe', '0x7014000'),
      ...SUCCESS,
      ...USER_LOG,
      ...CO('admin'),
      ...LOGOUT_LOOKUP,
      user: 'admin',
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '08-cn_login-error.log',
    fields: {
      ...head('1516815699037255', '0x4', '4', '0x107', '263', 'CN_LOGIN', '0xd', '0xc008002'),
      ...USER_LOG,
      ...CU('ExampleUser'),
      ...LOGIN_LOOKUP,
      ...loginFailed(
        'ExampleUser',
        '157',
        "user isn't initialized or user with this name doesn't exist",
        "Unknown user name (2018 firmware: user isn't initialized or doesn't exist)",
      ),
    },
    eventtypes: AUTH_ERR,
    tags: ['authentication'],
  },
  {
    name: '09-cn_login-error.log',
    fields: {
      ...head('1516815865013218', '0x5', '5', '0x107', '263', 'CN_LOGIN', '0xd', '0xc008002'),
      ...USER_LOG,
      ...CU('testuser'),
      ...LOGIN_LOOKUP,
      ...loginFailed(
        'testuser',
        '163',
        'RET_USER_LOGIN_FAILURE',
        'Wrong password (RET_USER_LOGIN_FAILURE)',
      ),
    },
    eventtypes: AUTH_ERR,
    tags: ['authentication'],
  },
  {
    name: '10-cn_create_user-success.log',
    fields: {
      ...head('1516067379437708', '0x1', '1', '0x107', '263', 'CN_CREATE_USER', '0x3', '0x7014006'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('bob'),
      opcode_category: 'user',
      opcode_description: 'Create a crypto user (CU)',
      security_relevant: 'true',
      ...userChange('created', 'bob'),
    },
    eventtypes: ACCOUNT,
    tags: ['account', 'change'],
  },
  {
    name: '11-cn_create_co-success.log',
    fields: {
      ...head('1516067395993404', '0x2', '2', '0x107', '263', 'CN_CREATE_CO', '0x4', '0x7014007'),
      ...SUCCESS,
      ...USER_LOG,
      ...CO('alice'),
      opcode_category: 'user',
      opcode_description: 'Create a crypto officer (CO)',
      security_relevant: 'true',
      ...userChange('created', 'alice'),
    },
    eventtypes: ACCOUNT,
    tags: ['account', 'change'],
  },
  {
    name: '12-cn_delete_user-success.log',
    fields: {
      ...head(
        '1516737503451420',
        '0xb',
        '11',
        '0x107',
        '263',
        'CN_DELETE_USER',
        '0xa1',
        '0x7014007',
      ),
      ...SUCCESS,
      ...USER_LOG,
      ...CO('alice'),
      opcode_category: 'user',
      opcode_description: 'Delete a user',
      security_relevant: 'true',
      ...userChange('deleted', 'alice'),
    },
    eventtypes: ACCOUNT,
    tags: ['account', 'change'],
  },
  {
    name: '13-cn_login-success.log',
    fields: {
      ...head('1513206544648952', '0x28', '40', '0xe8', '232', 'CN_LOGIN', '0xd', '0x2014005'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('crypto_user'),
      ...LOGIN_LOOKUP,
      ...loginOk('crypto_user'),
    },
    eventtypes: AUTH,
    tags: ['authentication'],
  },
  {
    name: '14-cn_generate_key_pair-success.log',
    fields: {
      ...head(
        '1513206544761594',
        '0x29',
        '41',
        '0xe8',
        '232',
        'CN_GENERATE_KEY_PAIR',
        '0x19',
        '0x2014004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('131079', '131078'),
      opcode_category: 'key',
      opcode_description: 'Generate an asymmetric key pair',
      security_relevant: 'true',
      ...keyChange('created', '131079'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '15-cn_destroy_object-success.log',
    fields: {
      ...head(
        '1513206544813977',
        '0x2a',
        '42',
        '0xe8',
        '232',
        'CN_DESTROY_OBJECT',
        '0x11',
        '0x2014004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('131078', '0'),
      opcode_category: 'key',
      opcode_description: 'Delete a key (a session key)',
      security_relevant: 'true',
      ...keyChange('deleted', '131078'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '16-cn_destroy_object-success.log',
    fields: {
      ...head(
        '1513206544815530',
        '0x2b',
        '43',
        '0xe8',
        '232',
        'CN_DESTROY_OBJECT',
        '0x11',
        '0x2014004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('131079', '0'),
      opcode_category: 'key',
      opcode_description: 'Delete a key (a session key)',
      security_relevant: 'true',
      ...keyChange('deleted', '131079'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '17-cn_logout-success.log',
    fields: {
      ...head('1513206544817222', '0x2c', '44', '0xe8', '232', 'CN_LOGOUT', '0xe', '0x2014004'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('crypto_user'),
      ...LOGOUT_LOOKUP,
      user: 'crypto_user',
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '18-cn_login-success.log',
    fields: {
      ...head('1516754363172777', '0x0', '0', '0x107', '263', 'CN_LOGIN', '0xd', '0xc008002'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('testuser'),
      ...LOGIN_LOOKUP,
      ...loginOk('testuser'),
    },
    eventtypes: AUTH,
    tags: ['authentication'],
  },
  {
    name: '19-cn_generate_key-success.log',
    fields: {
      ...head(
        '1516754370328334',
        '0x1',
        '1',
        '0x107',
        '263',
        'CN_GENERATE_KEY',
        '0x17',
        '0xc008004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('262152', '0'),
      opcode_category: 'key',
      opcode_description: 'Generate a symmetric key',
      security_relevant: 'true',
      ...keyChange('created', '262152'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '20-cn_extract_masked_object_user-success.log',
    fields: {
      ...head(
        '1516754370330956',
        '0x2',
        '2',
        '0x107',
        '263',
        'CN_EXTRACT_MASKED_OBJECT_USER',
        '0xf0',
        '0xc008004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('262152', '0'),
      ...SYNC_SENT,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '21-cn_login-success.log',
    fields: {
      ...head('1516754363199740', '0xd', '13', '0x107', '263', 'CN_LOGIN', '0xd', '0x7004004'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('testuser'),
      ...LOGIN_LOOKUP,
      ...loginOk('testuser'),
    },
    eventtypes: AUTH,
    tags: ['authentication'],
  },
  {
    name: '22-cn_insert_masked_object_user-success.log',
    fields: {
      ...head(
        '1516754370408950',
        '0xe',
        '14',
        '0x107',
        '263',
        'CN_INSERT_MASKED_OBJECT_USER',
        '0xf1',
        '0x7004003',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('262152', '0'),
      ...SYNC_RECEIVED,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '23-cn_login-success.log',
    fields: {
      ...head('1516822942695884', '0x26', '38', '0x107', '263', 'CN_LOGIN', '0xd', '0x7004004'),
      ...SUCCESS,
      ...USER_LOG,
      ...CU('testuser'),
      ...LOGIN_LOOKUP,
      ...loginOk('testuser'),
    },
    eventtypes: AUTH,
    tags: ['authentication'],
  },
  {
    name: '24-cn_wrap_key-success.log',
    fields: {
      ...head('1516823472860123', '0x27', '39', '0x107', '263', 'CN_WRAP_KEY', '0x1a', '0x7004003'),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('7', '0'),
      opcode_category: 'key',
      opcode_description: 'Export an encrypted copy of a key',
      security_relevant: 'true',
      ...keyChange('read', '7'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '25-cn_nist_aes_wrap-success.log',
    fields: {
      ...head(
        '1516823472905257',
        '0x28',
        '40',
        '0x107',
        '263',
        'CN_NIST_AES_WRAP',
        '0x1e',
        '0x7004003',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('6', '0'),
      ...NIST,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '26-cn_nist_aes_wrap-success.log',
    fields: {
      ...head(
        '1516823903170518',
        '0x29',
        '41',
        '0x107',
        '263',
        'CN_NIST_AES_WRAP',
        '0x1e',
        '0x7004003',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('6', '0'),
      ...NIST,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '27-cn_unwrap_key-success.log',
    fields: {
      ...head(
        '1516823903200711',
        '0x2a',
        '42',
        '0x107',
        '263',
        'CN_UNWRAP_KEY',
        '0x1b',
        '0x7004003',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('11', '0'),
      opcode_category: 'key',
      opcode_description: 'Import an encrypted copy of a key',
      security_relevant: 'true',
      ...keyChange('created', '11'),
    },
    eventtypes: KEYS,
    tags: ['change'],
  },
  {
    name: '28-cn_extract_masked_object_user-success.log',
    fields: {
      ...head(
        '1516823903203350',
        '0x2b',
        '43',
        '0x107',
        '263',
        'CN_EXTRACT_MASKED_OBJECT_USER',
        '0xf0',
        '0x7004003',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('11', '0'),
      ...SYNC_SENT,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '29-cn_insert_masked_object_user-success.log',
    fields: {
      ...head(
        '1516823903286793',
        '0xb',
        '11',
        '0x107',
        '263',
        'CN_INSERT_MASKED_OBJECT_USER',
        '0xf1',
        '0xc008004',
      ),
      ...SUCCESS,
      ...KEY_LOG,
      ...keys('11', '0'),
      ...SYNC_RECEIVED,
    },
    eventtypes: AUDIT,
    tags: [],
  },
  {
    name: '32-cn_login-error.log',
    fields: {
      ...head('1550743671146664', '0x23', '35', '0xd', '13', 'CN_LOGIN', '0xd', '0x2014004'),
      ...USER_LOG,
      ...CU('test'),
      ...LOGIN_LOOKUP,
      ...loginFailed(
        'test',
        '206',
        "This user doesn't exist",
        "Unknown user name (This user doesn't exist)",
      ),
    },
    eventtypes: AUTH_ERR,
    tags: ['authentication'],
  },
];
