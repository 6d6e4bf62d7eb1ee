/** The setup page's pure rules: form checks, conf keys and input args, capabilities. */
import {
  accountConfFields,
  emptyAccount,
  validateAccount,
  type AccountDraft,
} from '../../src/ui/model/account';
import { CHECKPOINT_STORES } from '../../src/config/arguments';
import {
  CHECKPOINT_STORE_CHOICES,
  emptyInput,
  EXTRA_ARGUMENTS,
  inputArgs,
  inputFromEntry,
  validateInput,
  type InputDraft,
} from '../../src/ui/model/input';
import { abilities } from '../../src/ui/model/permissions';

const account = (patch: Partial<AccountDraft>): AccountDraft => ({
  ...emptyAccount(),
  name: 'prod',
  access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  secret: 'x'.repeat(40),
  ...patch,
});
const newAccount = { isNew: true, secretStored: false, existingNames: ['old'] };

test.each<[string, Partial<AccountDraft>, Record<string, string>]>([
  ['a complete access-key account', {}, {}],
  [
    'a default-chain account without key',
    { auth_type: 'default_chain', access_key_id: '', secret: '' },
    {},
  ],
  ['a name with a colon', { name: 'a:b' }, { name: 'Use only letters, digits, "_", "-" and ".".' }],
  [
    'the reserved name default',
    { name: 'default' },
    { name: '"default" is reserved by Splunk: choose another name.' },
  ],
  ['a name taken', { name: 'old' }, { name: 'An account named "old" already exists.' }],
  ['no secret', { secret: '' }, { secret: 'Enter the secret access key.' }],
  [
    'a secret with spaces around',
    { secret: ' abc ' },
    { secret: 'The secret access key cannot start or end with a space.' },
  ],
  [
    'a malformed role',
    { role_arn: 'role/x' },
    { role_arn: 'A role ARN looks like arn:aws:iam::123456789012:role/CloudHSMAuditReader.' },
  ],
  [
    'an external ID without role',
    { external_id: 'e' },
    { external_id: 'An external ID is only used with a role to assume.' },
  ],
  ['a GovCloud role', { role_arn: 'arn:aws-us-gov:iam::123456789012:role/path/Reader' }, {}],
  [
    'an endpoint that is not a URL',
    { endpoint_url: 'logs.internal' },
    { endpoint_url: 'The value is not a URL (like https://host[:port]).' },
  ],
  [
    'a proxy with credentials',
    { https_proxy: 'http://u:p@proxy:3128' },
    {
      https_proxy:
        'Remove the user name and password from the proxy URL: conf files are not encrypted.',
    },
  ],
])('account form: %s', (_, patch, errors) => {
  expect(validateAccount(account(patch), newAccount)).toEqual(errors);
});

test('editing an account with a stored secret needs no secret, and a default-chain account keeps no key id', () => {
  expect(
    validateAccount(account({ secret: '' }), {
      isNew: false,
      secretStored: true,
      existingNames: ['prod'],
    }),
  ).toEqual({});
  expect(accountConfFields({ ...account({ auth_type: 'default_chain' }) })).toMatchObject({
    auth_type: 'default_chain',
    access_key_id: '',
  });
  expect(accountConfFields(account({}))).not.toHaveProperty('secret');
});

const input = (patch: Partial<InputDraft>): InputDraft => ({
  ...emptyInput('prod'),
  name: 'in',
  regions: ['us-east-1'],
  ...patch,
});
const newInput = { isNew: true, existingNames: [], accounts: ['prod'] };

test.each<[string, Partial<InputDraft>, Record<string, string>]>([
  ['defaults', {}, {}],
  [
    'a cluster that is neither an id nor a log group',
    { discoverAll: false, clusters: ['abc'] },
    {
      clusters:
        '"abc" is neither a CloudHSM cluster id (cluster- and 11 lowercase letters or digits 2-7) nor a log group name starting with /.',
    },
  ],
  [
    'a start date in the future',
    { startChoice: 'date', startDate: '2999-01-01' },
    { startDate: '"2999-01-01" is in the future.' },
  ],
  ['no account: the host credentials', { account: '' }, {}],
  [
    'an account since deleted',
    { account: 'gone' },
    { account: 'The account "gone" does not exist any more: choose another one.' },
  ],
  [
    'no region',
    { regions: [] },
    { regions: 'At least one AWS region code is required (like us-east-1).' },
  ],
  [
    'a region typo',
    { regions: ['useast1'] },
    { regions: '"useast1" is not an AWS region code (like us-east-1).' },
  ],
  [
    'a cluster list left empty',
    { discoverAll: false },
    { clusters: 'Add at least one cluster ID or log group name, or choose "All clusters".' },
  ],
  [
    'a late window under 15 minutes',
    { lateEventWindow: '60' },
    { lateEventWindow: '60 is out of range: use 900 to 86400 seconds.' },
  ],
  [
    'a fractional poll interval',
    { pollInterval: '1.5' },
    { pollInterval: '"1.5" is not a whole number of seconds.' },
  ],
  [
    'a prefix with a space',
    { logGroupPrefix: '/aws/cloud hsm/' },
    {
      logGroupPrefix:
        '"/aws/cloud hsm/" is not a CloudWatch Logs group name prefix (letters, digits and . - _ / # only).',
    },
  ],
])('input form: %s', (_, patch, errors) => {
  expect(validateInput(input(patch), newInput)).toEqual(errors);
});

test('an input read from splunkd gives back the same args', () => {
  const content = {
    account: 'prod',
    regions: 'us-east-1, eu-west-1',
    clusters: 'cluster-abc,/aws/cloudhsm/cluster-def',
    start_position: '2026-01-31T08:00:00Z',
    poll_interval: 20,
    index: 'default',
    disabled: true,
    log_group_prefix: '/aws/cloudhsm/',
    late_event_window: '1800',
    health_interval: '300',
    discovery_interval: '300',
    max_requests_per_second: '5',
    checkpoint_store: 'kvstore',
    // splunkd's own setting: kept as splunkd has it, never posted by the form.
    run_only_one: '1',
  };
  const summary = inputFromEntry('prod-us', content);
  expect(summary).toMatchObject({ disabled: true, index: '', regions: ['us-east-1', 'eu-west-1'] });
  expect(inputArgs(summary.draft)).toEqual({
    account: 'prod',
    regions: 'us-east-1,eu-west-1',
    log_group_prefix: '/aws/cloudhsm/',
    clusters: 'cluster-abc,/aws/cloudhsm/cluster-def',
    start_position: '2026-01-31T08:00:00Z',
    poll_interval: '20',
    late_event_window: '1800',
    full_read_interval: '300',
    health_interval: '300',
    discovery_interval: '300',
    max_requests_per_second: '5',
    endpoint_url: '',
    https_proxy: '',
    checkpoint_store: 'kvstore',
  });
});

test('the form offers every checkpoint store the collector accepts, and names a bad one', () => {
  expect(CHECKPOINT_STORE_CHOICES.map((c) => c.value).sort()).toEqual(
    [...CHECKPOINT_STORES].sort(),
  );
  expect(EXTRA_ARGUMENTS.map((a) => a.name)).not.toContain('run_only_one');
  expect(EXTRA_ARGUMENTS.map((a) => a.name)).not.toContain('checkpoint_store');
  const typo = inputFromEntry('x', { regions: 'us-east-1', checkpoint_store: 'kv' }).draft;
  expect(validateInput(typo, newInput)).toEqual({
    checkpointStore: '"kv" is not one of auto, file, kvstore.',
  });
});

test.each([
  [
    ['admin_all_objects'],
    { manageAccounts: true, listSecrets: true, manageInputs: true, finishSetup: true },
  ],
  [
    ['edit_storage_passwords', 'list_storage_passwords'],
    { manageAccounts: true, listSecrets: true, manageInputs: false, finishSetup: false },
  ],
  [
    ['edit_modinput_cloudhsm_audit'],
    { manageAccounts: false, listSecrets: false, manageInputs: true, finishSetup: false },
  ],
  [
    ['search'],
    { manageAccounts: false, listSecrets: false, manageInputs: false, finishSetup: false },
  ],
])('capabilities %j allow %j', (capabilities, allowed) => {
  expect(abilities({ username: 'u', roles: [], capabilities })).toEqual(allowed);
});

describe('app settings and input state (model)', () => {
  const { macroFromIndexes, macroError, isSearchHead } = jest.requireActual<
    typeof import('../../src/ui/model/settings')
  >('../../src/ui/model/settings');
  const { stateFromResults, formatTime } = jest.requireActual<
    typeof import('../../src/ui/model/inputState')
  >('../../src/ui/model/inputState');

  test('the macro names each index once, sorted, with the default index for inputs that name none', () => {
    expect(macroFromIndexes([])).toBe('');
    expect(macroFromIndexes(['aws_cloudhsm'])).toBe('index=aws_cloudhsm');
    expect(macroFromIndexes(['b', '', 'a', 'b'])).toBe('(index=a OR index=b OR index=main)');
    expect(macroError(macroFromIndexes(['b', '', 'a']))).toBeUndefined();
  });

  test('search heads are recognised by their server roles', () => {
    expect(isSearchHead(['search_head', 'kv_store'])).toBe(true);
    expect(isSearchHead(['cluster_search_head'])).toBe(true);
    expect(isSearchHead(['shc_member'])).toBe(true);
    expect(isSearchHead(['indexer', 'license_manager', 'kv_store'])).toBe(false);
    expect(isSearchHead(['heavyweight_forwarder'])).toBe(false);
  });

  test('input states come from the search rows by input; rows without an input are dropped', () => {
    const states = stateFromResults([
      { input: 'a', last_written: '1795780800.5', last_report: '1795781100' },
      { input: '', last_written: '1' },
      { last_written: '1' },
    ]);
    expect([...states.keys()]).toEqual(['a']);
    expect(formatTime(states.get('a')?.lastWrittenMs)).toBe('2026-11-27 12:00 UTC');
    expect(states.get('a')?.lastError).toBeUndefined();
    expect(formatTime(undefined)).toBe('—');
  });
});
