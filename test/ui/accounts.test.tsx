/**
 * @jest-environment ./test/ui/support/jsdom-environment.js
 */
import './support/splunkWebPage';
import { screen, waitFor, within } from '@testing-library/react';
import { requestsCarrying } from './support/fakeSplunkd';
import { failOnConsoleError, renderSetupPage, useFakeSplunkd } from './support/harness';
import { modal, rowButton, setupUser, typeInto, writes } from './support/page';

const fake = useFakeSplunkd();
failOnConsoleError();

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function seedAccount(name = 'prod', secret = SECRET) {
  fake.splunkd.accounts.set(name, {
    auth_type: 'access_key',
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  });
  fake.splunkd.passwords.set(`cloudhsm_audit:${name}:`, {
    realm: 'cloudhsm_audit',
    username: name,
    password: secret,
  });
}

test('adding an access-key account sends the secret to storage/passwords and nowhere else', async () => {
  const user = setupUser();
  renderSetupPage();
  await user.click(await screen.findByRole('button', { name: 'Add account' }));
  const form = modal('account-modal');
  await typeInto(user, form, 'Account name', 'prod');
  await typeInto(user, form, 'Access key ID', 'AKIAIOSFODNN7EXAMPLE');
  await user.click(form.getByLabelText(/Secret access key/));
  await user.paste(SECRET);
  await typeInto(
    user,
    form,
    'Role to assume',
    'arn:aws:iam::123456789012:role/CloudHSMAuditReader',
  );
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Account "prod" was saved.')).toBeInTheDocument();
  const row = within(screen.getByTestId('account-row-prod'));
  expect(row.getByText('Stored')).toBeInTheDocument();
  expect(row.getByText('arn:aws:iam::123456789012:role/CloudHSMAuditReader')).toBeInTheDocument();

  expect(writes(fake.splunkd.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts',
    'POST /servicesNS/nobody/cloudhsm_audit/storage/passwords',
  ]);
  const [conf, secret] = writes(fake.splunkd.requests);
  expect(Object.fromEntries(conf!.form)).toEqual({
    name: 'prod',
    auth_type: 'access_key',
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
    role_arn: 'arn:aws:iam::123456789012:role/CloudHSMAuditReader',
    external_id: '',
    role_session_name: '',
    endpoint_url: '',
    https_proxy: '',
  });
  expect(Object.fromEntries(secret!.form)).toEqual({
    name: 'prod',
    password: SECRET,
    realm: 'cloudhsm_audit',
  });
  const carriers = requestsCarrying(fake.splunkd.requests, SECRET);
  expect(carriers.map((request) => request.url)).toEqual([
    expect.stringMatching(/\/storage\/passwords\?/),
  ]);
  expect(fake.splunkd.accounts.get('prod')).not.toHaveProperty('secret');
});

test('the form names what to fix before anything is sent', async () => {
  const user = setupUser();
  renderSetupPage();
  await user.click(await screen.findByRole('button', { name: 'Add account' }));
  const form = modal('account-modal');
  await typeInto(user, form, 'Account name', 'prod:eu');
  await typeInto(user, form, 'Access key ID', 'akia');
  await typeInto(user, form, 'HTTPS proxy', 'http://user:pass@proxy.example.com:3128');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(form.getByText('Use only letters, digits, "_", "-" and ".".')).toBeInTheDocument();
  expect(
    form.getByText('An access key ID has 16 to 128 capital letters and digits.'),
  ).toBeInTheDocument();
  expect(form.getByText('Enter the secret access key.')).toBeInTheDocument();
  expect(
    form.getByText(
      'Remove the user name and password from the proxy URL: conf files are not encrypted.',
    ),
  ).toBeInTheDocument();
  expect(writes(fake.splunkd.requests)).toEqual([]);
});

test('a stored secret is shown as "Stored", never read back, and kept when the account is edited', async () => {
  seedAccount();
  const user = setupUser();
  renderSetupPage();
  const row = within(await screen.findByTestId('account-row-prod'));
  expect(row.getByText('Stored')).toBeInTheDocument();
  const listing = fake.splunkd.requests.find((request) =>
    request.url.includes('/storage/passwords?'),
  );
  expect(new URL(listing!.url).searchParams.getAll('f')).toEqual(['username', 'realm']);
  expect(document.body.innerHTML).not.toContain(SECRET);

  await user.click(row.getByRole('button', { name: 'Edit' }));
  const form = modal('account-modal');
  expect(form.getByTestId('account-secret-stored')).toHaveTextContent('Stored');
  await typeInto(user, form, 'Role to assume', 'arn:aws:iam::123456789012:role/Reader');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Account "prod" was saved.')).toBeInTheDocument();
  expect(writes(fake.splunkd.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts/prod',
  ]);
  expect(fake.splunkd.passwords.get('cloudhsm_audit:prod:')?.password).toBe(SECRET);
});

test('the page never shows a secret even when splunkd sends clear_password', async () => {
  seedAccount();
  const answer = fake.splunkd.handle.bind(fake.splunkd);
  // A splunkd that ignores `f=` returns every field, clear_password included.
  fake.splunkd.handle = (method, url, headers, body) =>
    answer(method, url.replace(/&f=[^&]*/g, ''), headers, body);
  renderSetupPage();
  expect(
    within(await screen.findByTestId('account-row-prod')).getByText('Stored'),
  ).toBeInTheDocument();
  expect(document.body.innerHTML).not.toContain(SECRET);
});

test("Replace sends the new secret to the account's storage/passwords entry only", async () => {
  seedAccount();
  const user = setupUser();
  renderSetupPage();
  await user.click(await rowButton('account-row-prod', 'Replace'));
  const form = modal('account-modal');
  await user.click(form.getByLabelText(/Secret access key/));
  await user.paste('a-new-secret-value');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Account "prod" was saved.')).toBeInTheDocument();
  expect(writes(fake.splunkd.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts/prod',
    'POST /servicesNS/nobody/cloudhsm_audit/storage/passwords/cloudhsm_audit:prod:',
  ]);
  expect(fake.splunkd.passwords.get('cloudhsm_audit:prod:')?.password).toBe('a-new-secret-value');
});

test("switching an account to the host's default credentials deletes its stored secret", async () => {
  seedAccount();
  const user = setupUser();
  renderSetupPage();
  await user.click(await rowButton('account-row-prod', 'Edit'));
  const form = modal('account-modal');
  await user.click(form.getByRole('radio', { name: "Host's default credentials" }));
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Account "prod" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.accounts.get('prod')).toMatchObject({
    auth_type: 'default_chain',
    access_key_id: '',
  });
  expect(fake.splunkd.passwords.size).toBe(0);
  expect(
    within(screen.getByTestId('account-row-prod')).getByText('Not needed'),
  ).toBeInTheDocument();
});

test('deleting an account used by inputs is refused with a message naming them', async () => {
  seedAccount();
  fake.splunkd.inputs.set('prod-us', { account: 'prod', regions: 'us-east-1', disabled: '0' });
  fake.splunkd.inputs.set('prod-eu', { account: 'prod', regions: 'eu-west-1', disabled: '1' });
  const user = setupUser();
  renderSetupPage();
  await user.click(await rowButton('account-row-prod', 'Delete'));
  await user.click(modal('confirm-modal').getByRole('button', { name: 'Delete' }));

  expect(
    await screen.findByText(
      'Account "prod" is used by inputs "prod-eu", "prod-us". Delete those inputs or move them to another account first.',
    ),
  ).toBeInTheDocument();
  expect(writes(fake.splunkd.requests)).toEqual([]);
  expect(fake.splunkd.accounts.has('prod')).toBe(true);
});

test('deleting an unused account removes its secret and its stanza', async () => {
  seedAccount();
  const user = setupUser();
  renderSetupPage();
  await user.click(await rowButton('account-row-prod', 'Delete'));
  await user.click(modal('confirm-modal').getByRole('button', { name: 'Delete' }));

  expect(
    await screen.findByText('Account "prod" and its stored secret were deleted.'),
  ).toBeInTheDocument();
  expect(writes(fake.splunkd.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    'DELETE /servicesNS/nobody/cloudhsm_audit/storage/passwords/cloudhsm_audit:prod:',
    'DELETE /servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts/prod',
  ]);
  await waitFor(() => expect(screen.getByTestId('accounts-empty')).toBeInTheDocument());
});

test('a name already taken is refused by splunkd and the form says so', async () => {
  const user = setupUser();
  renderSetupPage();
  await user.click(await screen.findByRole('button', { name: 'Add account' }));
  // Another admin adds the same account while this form is open.
  fake.splunkd.accounts.set('prod', { auth_type: 'default_chain' });
  const form = modal('account-modal');
  await typeInto(user, form, 'Account name', 'prod');
  await user.click(form.getByRole('radio', { name: "Host's default credentials" }));
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await form.findByTestId('account-error')).toHaveTextContent(
    'Saving account "prod" failed: An object with name=prod already exists.',
  );
});
