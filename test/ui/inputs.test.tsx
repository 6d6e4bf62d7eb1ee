/**
 * @jest-environment ./test/ui/support/jsdom-environment.js
 */
import './support/splunkWebPage';
import { screen, within } from '@testing-library/react';
import { regionValidator } from './support/fakeSplunkd';
import { failOnConsoleError, renderSetupPage, useFakeSplunkd } from './support/harness';
import {
  chooseOption,
  modal,
  openTab,
  rowButton,
  setupUser,
  typeInto,
  writes,
  type User,
} from './support/page';

const fake = useFakeSplunkd();
failOnConsoleError();

beforeEach(() => {
  fake.splunkd.accounts.set('prod', { auth_type: 'default_chain' });
});

async function openNewInputForm(user: User) {
  renderSetupPage();
  await openTab(user, /Inputs/);
  await user.click(await screen.findByRole('button', { name: 'Add input' }));
  return modal('input-modal');
}

/** The index field's text box (a ComboBox: free text with suggestions). */
function indexBox(form: ReturnType<typeof modal>): HTMLElement {
  const root = form.getByTestId('input-index');
  return root.matches('input') ? root : within(root).getByRole('combobox');
}

async function addRegion(user: User, form: ReturnType<typeof modal>, region: string) {
  await user.click(form.getByTestId('input-regions'));
  await user.keyboard(`${region}{Enter}`);
  await user.keyboard('{Escape}');
}

test('creating an input posts its args, with the index chosen from the ones that exist', async () => {
  const user = setupUser();
  const form = await openNewInputForm(user);
  await typeInto(user, form, 'Input name', 'prod-us');
  // The only account is chosen already.
  expect(form.getByTestId('input-account')).toHaveAttribute('data-test-value', 'prod');
  await addRegion(user, form, 'us-east-1');
  await chooseOption(user, form.getByTestId('input-index'), 'cloudhsm');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Input "prod-us" was saved.')).toBeInTheDocument();
  const [create] = writes(fake.splunkd.requests);
  expect(create?.path).toBe('/servicesNS/nobody/cloudhsm_audit/data/inputs/cloudhsm_audit');
  expect(Object.fromEntries(create!.form)).toEqual({
    name: 'prod-us',
    account: 'prod',
    regions: 'us-east-1',
    log_group_prefix: '/aws/cloudhsm/',
    clusters: '',
    start_position: '-7d',
    poll_interval: '10',
    late_event_window: '1800',
    full_read_interval: '300',
    health_interval: '300',
    discovery_interval: '300',
    max_requests_per_second: '10',
    endpoint_url: '',
    https_proxy: '',
    checkpoint_store: 'auto',
    index: 'cloudhsm',
  });
  const row = within(screen.getByTestId('input-row-prod-us'));
  expect(row.getByText('All (discovered)')).toBeInTheDocument();
  expect(row.getByTestId('input-status')).toHaveTextContent('Enabled');
});

test('the checkpoint store is a visible choice, explained, and posted as chosen', async () => {
  const user = setupUser();
  const form = await openNewInputForm(user);
  const store = form.getByTestId('input-checkpoint-store');
  expect(store).toHaveAttribute('data-test-value', 'auto');
  expect(
    form.getByText(/The KV store follows the input from host to host in a search head cluster/),
  ).toBeInTheDocument();
  await user.click(store);
  const options = await screen.findAllByRole('option');
  expect(options.map((o) => o.textContent)).toEqual([
    'AutomaticKV store on a search head cluster or Splunk Cloud, files elsewhere',
    'KV storeShared by the cluster: the input resumes on whichever host runs it',
    'Files on this hostRun the input on this host only',
  ]);
  await user.click(options[1]!);
  await typeInto(user, form, 'Input name', 'shc');
  await addRegion(user, form, 'us-east-1');
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Input "shc" was saved.')).toBeInTheDocument();
  const [create] = writes(fake.splunkd.requests);
  expect(create?.form.get('checkpoint_store')).toBe('kvstore');
  // splunkd's own run_only_one stays at its default: the form never posts it.
  expect(create?.form.has('run_only_one')).toBe(false);
});

test("the collector's validation message from splunkd is shown in the form", async () => {
  fake.splunkd.validator = regionValidator;
  const user = setupUser();
  const form = await openNewInputForm(user);
  await typeInto(user, form, 'Input name', 'prod-us');
  await addRegion(user, form, 'us-east-7');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await form.findByTestId('input-error')).toHaveTextContent(
    'Saving input "prod-us" failed: regions: "us-east-7" is not an AWS region code.',
  );
  expect(fake.splunkd.inputs.size).toBe(0);
});

test('AWS refusing access is shown in the form as splunkd reports it', async () => {
  fake.splunkd.validator = () =>
    'AccessDeniedException: User: arn:aws:iam::123456789012:user/splunk is not authorized to perform: logs:DescribeLogGroups';
  const user = setupUser();
  const form = await openNewInputForm(user);
  await typeInto(user, form, 'Input name', 'prod-us');
  await addRegion(user, form, 'eu-west-1');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await form.findByTestId('input-error')).toHaveTextContent(
    /not authorized to perform: logs:DescribeLogGroups/,
  );
});

test('a list of clusters, a start date and advanced settings are posted as the collector reads them', async () => {
  const user = setupUser();
  const form = await openNewInputForm(user);
  await typeInto(user, form, 'Input name', 'pinned');
  await addRegion(user, form, 'us-west-2');
  await user.click(form.getByRole('radio', { name: 'Only these' }));
  await user.click(form.getByTestId('input-clusters'));
  await user.keyboard('cluster-abcdefg2345{Enter}/aws/cloudhsm/cluster-def456{Enter}{Escape}');
  await chooseOption(user, form.getByTestId('input-start'), 'A date');
  await typeInto(user, form, 'Start date', 'yesterday');
  await typeInto(user, form, 'Poll interval (s)', '0');
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(
    form.getByText(
      '"yesterday" is not "now", a relative age like -7d (units s, m, h, d, w) or an ISO 8601 date/time.',
    ),
  ).toBeInTheDocument();
  expect(form.getByText('0 is out of range: use 1 to 3600 seconds.')).toBeInTheDocument();
  expect(writes(fake.splunkd.requests)).toEqual([]);

  await typeInto(user, form, 'Start date', '2026-01-31');
  await typeInto(user, form, 'Poll interval (s)', '30');
  await user.click(form.getByRole('button', { name: 'Advanced settings' }));
  await typeInto(user, form, 'Endpoint URL', 'https://logs.us-west-2.amazonaws.com');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Input "pinned" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.inputs.get('pinned')).toMatchObject({
    clusters: 'cluster-abcdefg2345,/aws/cloudhsm/cluster-def456',
    start_position: '2026-01-31',
    poll_interval: '30',
    endpoint_url: 'https://logs.us-west-2.amazonaws.com',
  });
  expect(fake.splunkd.inputs.get('pinned')).not.toHaveProperty('index');
});

test('an input can be edited, disabled, enabled and deleted', async () => {
  fake.splunkd.inputs.set('prod-us', {
    account: 'prod',
    regions: 'us-east-1',
    clusters: '',
    start_position: '-7d',
    poll_interval: '10',
    index: 'security',
    disabled: '0',
  });
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Inputs/);
  const row = () => within(screen.getByTestId('input-row-prod-us'));
  await user.click(await screen.findByRole('button', { name: 'Disable' }));
  expect(await screen.findByText('Input "prod-us" was disabled.')).toBeInTheDocument();
  expect(row().getByTestId('input-status')).toHaveTextContent('Disabled');
  await user.click(row().getByRole('button', { name: 'Enable' }));
  expect(await screen.findByText('Input "prod-us" was enabled.')).toBeInTheDocument();

  await user.click(row().getByRole('button', { name: 'Edit' }));
  const form = modal('input-modal');
  expect(form.getByRole('textbox', { name: 'Input name' })).toBeDisabled();
  expect(form.getByTestId('input-index')).toHaveAttribute('data-test-value', 'security');
  await addRegion(user, form, 'eu-west-1');
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Input "prod-us" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.inputs.get('prod-us')).toMatchObject({
    regions: 'us-east-1,eu-west-1',
    index: 'security',
  });

  await user.click(row().getByRole('button', { name: 'Delete' }));
  await user.click(modal('confirm-modal').getByRole('button', { name: 'Delete' }));
  expect(await screen.findByText('Input "prod-us" was deleted.')).toBeInTheDocument();

  expect(writes(fake.splunkd.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    'POST /servicesNS/nobody/cloudhsm_audit/data/inputs/cloudhsm_audit/prod-us/disable',
    'POST /servicesNS/nobody/cloudhsm_audit/data/inputs/cloudhsm_audit/prod-us/enable',
    'POST /servicesNS/nobody/cloudhsm_audit/data/inputs/cloudhsm_audit/prod-us',
    'DELETE /servicesNS/nobody/cloudhsm_audit/data/inputs/cloudhsm_audit/prod-us',
  ]);
});

test("without any account, an input uses the host's default credentials (empty account)", async () => {
  fake.splunkd.accounts.clear();
  const user = setupUser();
  const form = await openNewInputForm(user);
  expect(screen.getByTestId('inputs-need-account')).toHaveTextContent(
    'uses the AWS credentials of the Splunk host',
  );
  await typeInto(user, form, 'Input name', 'local');
  await addRegion(user, form, 'us-east-1');
  await user.click(form.getByRole('button', { name: 'Save' }));

  expect(await screen.findByText('Input "local" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.inputs.get('local')).toMatchObject({ account: '' });
  expect(
    within(screen.getByTestId('input-row-local')).getByText("Host's default credentials"),
  ).toBeInTheDocument();
});

test("the index suggestions are this instance's enabled event indexes, not Splunk's internal ones", async () => {
  fake.splunkd.indexes = ['main', 'cloudhsm', '_internal', '_audit'];
  const user = setupUser();
  const form = await openNewInputForm(user);
  await user.click(indexBox(form));
  const options = (await screen.findAllByRole('option')).map((option) => option.textContent);
  expect(options).toEqual(['cloudhsm', 'main']);
});

test('the index is free text: one that exists only on the indexers is posted as typed', async () => {
  const user = setupUser();
  const form = await openNewInputForm(user);
  await typeInto(user, form, 'Input name', 'hf');
  await addRegion(user, form, 'us-east-1');
  await user.click(indexBox(form));
  await user.paste('aws_cloudhsm');
  await user.keyboard('{Escape}');
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Input "hf" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.inputs.get('hf')).toMatchObject({ index: 'aws_cloudhsm' });
  expect(within(screen.getByTestId('input-row-hf')).getByText('aws_cloudhsm')).toBeInTheDocument();
});

test("each input's state: enabled, last records written and last error, from the collector's events", async () => {
  fake.splunkd.inputs.set('prod-us', { account: 'prod', regions: 'us-east-1', disabled: '0' });
  fake.splunkd.inputs.set('lab', { account: 'prod', regions: 'eu-west-1', disabled: '1' });
  fake.splunkd.searchResults = [
    {
      input: 'prod-us',
      last_written: '1795780800',
      last_report: '1795781100',
      last_error_time: '1795777200',
      last_error: 'throttled: Rate exceeded',
    },
  ];
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Inputs/);
  const prod = within(await screen.findByTestId('input-row-prod-us'));
  expect(prod.getByTestId('input-status')).toHaveTextContent('Enabled');
  expect(prod.getByTestId('input-last-written')).toHaveTextContent(
    '2026-11-27 12:00 UTCreport 2026-11-27 12:05 UTC',
  );
  expect(prod.getByTestId('input-last-error')).toHaveTextContent(
    '2026-11-27 11:00 UTCthrottled: Rate exceeded',
  );
  const lab = within(screen.getByTestId('input-row-lab'));
  expect(lab.getByTestId('input-status')).toHaveTextContent('Disabled');
  expect(lab.getByTestId('input-last-written')).toHaveTextContent('No report found');
  expect(lab.getByTestId('input-last-error')).toHaveTextContent('—');
  // One search of the collector's own health and error events, by input.
  expect(fake.splunkd.searches).toHaveLength(1);
  expect(fake.splunkd.searches[0]).toMatch(
    /^search `cloudhsm_collector` \(kind="health" OR kind="error"\) .*\| stats .* by input$/,
  );
});

test('Clone opens a new input with the settings of the one cloned, under a new name', async () => {
  fake.splunkd.inputs.set('prod-us', {
    account: 'prod',
    regions: 'us-east-1,us-west-2',
    clusters: 'cluster-abcdefg2345',
    poll_interval: '30',
    index: 'cloudhsm',
    disabled: '0',
  });
  const user = setupUser();
  renderSetupPage();
  await openTab(user, /Inputs/);
  await user.click(await rowButton('input-row-prod-us', 'Clone'));
  const form = modal('input-modal');
  expect(form.getByText('Clone input prod-us')).toBeInTheDocument();
  expect(form.getByRole('textbox', { name: 'Input name' })).toHaveValue('');
  await typeInto(user, form, 'Input name', 'prod-eu');
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Input "prod-eu" was saved.')).toBeInTheDocument();
  expect(fake.splunkd.inputs.get('prod-eu')).toMatchObject({
    account: 'prod',
    regions: 'us-east-1,us-west-2',
    clusters: 'cluster-abcdefg2345',
    poll_interval: '30',
    index: 'cloudhsm',
  });
  expect(fake.splunkd.inputs.get('prod-us')).toMatchObject({ regions: 'us-east-1,us-west-2' });
});
