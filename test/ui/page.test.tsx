/**
 * @jest-environment ./test/ui/support/jsdom-environment.js
 */
import { SPLUNKD_PATH } from './support/splunkWebPage';
import { screen } from '@testing-library/react';
import { ADMIN } from './support/fakeSplunkd';
import { failOnConsoleError, renderSetupPage, useFakeSplunkd } from './support/harness';
import { openTab, setupUser, writes } from './support/page';

const fake = useFakeSplunkd();
failOnConsoleError();

test("every call goes through Splunk Web's splunkd proxy from $C, as JSON, with the CSRF header on writes", async () => {
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  await user.click(await screen.findByRole('button', { name: 'Finish setup' }));
  expect(await screen.findByTestId('finish-done')).toBeInTheDocument();

  for (const request of fake.splunkd.requests) {
    const url = new URL(request.url);
    expect(url.pathname.startsWith(`${SPLUNKD_PATH}/services`)).toBe(true);
    expect(url.searchParams.get('output_mode')).toBe('json');
    expect(request.headers['x-requested-with']).toBe('XMLHttpRequest');
  }
  const [finish] = writes(fake.splunkd.requests);
  expect(finish).toMatchObject({
    method: 'POST',
    path: '/servicesNS/nobody/system/apps/local/cloudhsm_audit',
  });
  expect(finish?.form.toString()).toBe('configured=true');
  const post = fake.splunkd.requests.find((request) => request.method === 'POST');
  expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(post?.headers['x-splunk-form-key']).toBe('11223344556677889900');
  expect(fake.splunkd.configured).toBe(true);
});

test('an app already configured says so and offers no second finish', async () => {
  fake.splunkd.configured = true;
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  expect(await screen.findByTestId('finish-done')).toHaveTextContent('Setup is finished.');
  expect(screen.queryByRole('button', { name: 'Finish setup' })).toBeNull();
});

test('a user who may change nothing reads which capabilities are missing, and sees no form', async () => {
  fake.splunkd.user = {
    username: 'alice',
    roles: ['user'],
    capabilities: ['search', 'list_inputs'],
  };
  renderSetupPage();
  expect(await screen.findByTestId('setup-no-permission')).toHaveTextContent(
    "You are signed in as alice (roles: user), which cannot change this app's setup. Setting it up needs the capability admin_all_objects, or both edit_storage_passwords and list_storage_passwords for AWS accounts, and admin_all_objects or edit_modinput_cloudhsm_audit for inputs.",
  );
  expect(screen.queryByRole('button', { name: 'Add account' })).toBeNull();
  expect(screen.queryByRole('tab')).toBeNull();
});

test('a user who may manage inputs but not secrets gets read-only accounts and working inputs', async () => {
  fake.splunkd.user = {
    username: 'ops',
    roles: ['cloudhsm_ops'],
    capabilities: ['edit_modinput_cloudhsm_audit', 'list_inputs'],
  };
  fake.splunkd.accounts.set('prod', {
    auth_type: 'access_key',
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  });
  const user = setupUser();
  renderSetupPage();
  expect(await screen.findByTestId('accounts-read-only')).toHaveTextContent(
    'needs the capability admin_all_objects',
  );
  expect(screen.getByTestId('account-secret-state')).toHaveTextContent(
    'Unknown (needs list_storage_passwords)',
  );
  expect(screen.queryByRole('button', { name: 'Add account' })).toBeNull();
  expect(fake.splunkd.requests.some((request) => request.url.includes('storage/passwords'))).toBe(
    false,
  );
  await openTab(user, /Inputs/);
  expect(screen.getByRole('button', { name: 'Add input' })).toBeInTheDocument();
  await openTab(user, /Finish setup/);
  expect(screen.getByTestId('finish-read-only')).toHaveTextContent(
    'Ask a Splunk admin to finish setup.',
  );
});

test('a refusal by splunkd is shown as text a person can act on', async () => {
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  // The role changed after the page loaded.
  fake.splunkd.user = { ...ADMIN, capabilities: ['list_storage_passwords'] };
  await user.click(await screen.findByRole('button', { name: 'Finish setup' }));
  expect(await screen.findByTestId('finish-error')).toHaveTextContent(
    'Finishing setup failed: You (user=admin) do not have permission to perform this operation (requires capability: admin_all_objects). Your Splunk role does not allow this: ask a Splunk admin for the capability named above, or to make this change.',
  );
});

test('splunkd failing to list something is reported, and the rest of the page still works', async () => {
  const answer = fake.splunkd.handle.bind(fake.splunkd);
  fake.splunkd.handle = (method, url, headers, body) =>
    url.includes('/data/inputs/cloudhsm_audit?')
      ? {
          status: 500,
          body: {
            messages: [
              { type: 'ERROR', text: 'Unexpected error "<class \'OSError\'>" from python handler' },
            ],
          },
        }
      : answer(method, url, headers, body);
  renderSetupPage();
  expect(await screen.findByTestId('setup-data-error')).toHaveTextContent(
    /Listing inputs failed: Unexpected error .* from python handler\. splunkd could not complete the request: retry, and if it fails again look in splunkd\.log \(index=_internal\)\.$/,
  );
  expect(screen.getByRole('button', { name: 'Add account' })).toBeInTheDocument();
});

test("an answer that is not JSON (a proxy's error page) still gives a readable message", async () => {
  const answer = fake.splunkd.handle.bind(fake.splunkd);
  fake.splunkd.handle = (method, url, headers, body) =>
    url.includes('/authentication/current-context')
      ? { status: 502, body: undefined }
      : answer(method, url, headers, body);
  renderSetupPage();
  expect(await screen.findByTestId('setup-load-error')).toHaveTextContent(
    'Reading your Splunk roles failed: HTTP 502 Bad Gateway. splunkd could not complete the request',
  );
  expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
});
