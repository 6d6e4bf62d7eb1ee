/**
 * @jest-environment ./test/ui/support/jsdom-environment.js
 */
import './support/splunkWebPage';
import { screen, within } from '@testing-library/react';
import { failOnConsoleError, renderSetupPage, useFakeSplunkd } from './support/harness';
import { chooseOption, openTab, setupUser, typeInto, writes } from './support/page';

const fake = useFakeSplunkd();
failOnConsoleError();

const settings = () => within(screen.getByTestId('settings-panel'));

test('the cloudhsm_index macro is suggested from the indexes the inputs write to, and saved as edited', async () => {
  fake.splunkd.inputs.set('prod-us', {
    regions: 'us-east-1',
    index: 'aws_cloudhsm',
    disabled: '0',
  });
  fake.splunkd.inputs.set('lab', { regions: 'eu-west-1', disabled: '0' });
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Settings/);
  const panel = settings();
  expect(panel.getByRole('textbox', { name: 'Search macro cloudhsm_index' })).toHaveValue(
    'index=*',
  );
  expect(
    panel.getByText(/The inputs here write to: \(index=aws_cloudhsm OR index=main\)\./),
  ).toBeInTheDocument();
  await user.click(panel.getByRole('button', { name: "Use the inputs' indexes" }));
  expect(panel.getByRole('textbox', { name: 'Search macro cloudhsm_index' })).toHaveValue(
    '(index=aws_cloudhsm OR index=main)',
  );
  // Edited by hand: one index only.
  await typeInto(user, panel, 'Search macro cloudhsm_index', 'index=aws_cloudhsm');
  await user.click(panel.getByRole('button', { name: 'Save macro' }));
  expect(
    await screen.findByText('The cloudhsm_index macro is now index=aws_cloudhsm.'),
  ).toBeInTheDocument();
  expect(fake.splunkd.indexMacro).toBe('index=aws_cloudhsm');
  expect(writes(fake.splunkd.requests).map((w) => `${w.method} ${w.path} ${w.form}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/configs/conf-macros/cloudhsm_index definition=index%3Daws_cloudhsm',
  ]);
});

test('a macro that is not an index expression is refused in the form', async () => {
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Settings/);
  const panel = settings();
  await typeInto(user, panel, 'Search macro cloudhsm_index', 'sourcetype=aws | head 5');
  await user.click(panel.getByRole('button', { name: 'Save macro' }));
  expect(
    await panel.findByText(
      'Name at least one index, for example index=aws_cloudhsm or (index=a OR index=b).',
    ),
  ).toBeInTheDocument();
  await typeInto(user, panel, 'Search macro cloudhsm_index', '(index=a OR index=b');
  expect(panel.getByText('A parenthesis or quote is not closed.')).toBeInTheDocument();
  expect(writes(fake.splunkd.requests)).toEqual([]);
});

test('the log level is read from cloudhsm_audit_settings.conf and saved there', async () => {
  fake.splunkd.logLevel = 'WARN';
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Settings/);
  const panel = settings();
  expect(panel.getByTestId('settings-log-level')).toHaveAttribute('data-test-value', 'WARN');
  await chooseOption(
    user,
    panel.getByTestId('settings-log-level'),
    'DEBUG: also every CloudWatch Logs request (for troubleshooting)',
  );
  await user.click(panel.getByRole('button', { name: 'Save log level' }));
  expect(
    await screen.findByText('The log level is now DEBUG: running inputs apply it within a minute.'),
  ).toBeInTheDocument();
  expect(fake.splunkd.logLevel).toBe('DEBUG');
  expect(writes(fake.splunkd.requests).map((w) => `${w.method} ${w.path} ${w.form}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_settings/logging log_level=DEBUG',
  ]);
});

test('a user who may manage inputs but not the app sees the settings read-only', async () => {
  fake.splunkd.user = {
    username: 'ops',
    roles: ['inputs'],
    capabilities: ['edit_modinput_cloudhsm_audit'],
  };
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Settings/);
  expect(settings().getByTestId('settings-read-only')).toHaveTextContent(
    'Changing these settings needs the capability admin_all_objects.',
  );
  expect(settings().getByRole('textbox', { name: 'Search macro cloudhsm_index' })).toBeDisabled();
});

test('finishing on a search head: no warning about inputs, and the macro is left to set by hand', async () => {
  fake.splunkd.serverRoles = ['search_head', 'shc_member', 'kv_store'];
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  expect(await screen.findByTestId('finish-search-head')).toHaveTextContent(
    'This Splunk instance is a search head',
  );
  expect(screen.queryByTestId('finish-no-input')).toBeNull();
  await user.click(screen.getByRole('button', { name: 'Finish setup' }));
  expect(await screen.findByTestId('finish-done')).toBeInTheDocument();
  expect(fake.splunkd.indexMacro).toBe('index=*');
});

test('finishing where inputs run warns when none is enabled', async () => {
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  expect(await screen.findByTestId('finish-no-input')).toHaveTextContent('No input is enabled yet');
  expect(screen.queryByTestId('finish-search-head')).toBeNull();
  expect(screen.queryByTestId('finish-macro')).toBeNull();
});

test("finishing points the macro, still index=*, at the inputs' indexes", async () => {
  fake.splunkd.inputs.set('prod-us', {
    regions: 'us-east-1',
    index: 'aws_cloudhsm',
    disabled: '0',
  });
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  expect(await screen.findByTestId('finish-macro')).toHaveTextContent(
    'Finishing also sets the cloudhsm_index macro to index=aws_cloudhsm',
  );
  expect(screen.queryByTestId('finish-no-input')).toBeNull();
  await user.click(screen.getByRole('button', { name: 'Finish setup' }));
  expect(await screen.findByTestId('finish-done')).toBeInTheDocument();
  expect(fake.splunkd.indexMacro).toBe('index=aws_cloudhsm');
  expect(fake.splunkd.configured).toBe(true);
});

test('finishing leaves a macro an admin already set alone', async () => {
  fake.splunkd.inputs.set('prod-us', {
    regions: 'us-east-1',
    index: 'aws_cloudhsm',
    disabled: '0',
  });
  fake.splunkd.indexMacro = '(index=aws_cloudhsm OR index=aws)';
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Finish setup/);
  await user.click(await screen.findByRole('button', { name: 'Finish setup' }));
  expect(await screen.findByTestId('finish-done')).toBeInTheDocument();
  expect(fake.splunkd.indexMacro).toBe('(index=aws_cloudhsm OR index=aws)');
});
