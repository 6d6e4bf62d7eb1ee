/**
 * The built setup page end to end: headless Debian Chromium opens the app's setup view from a
 * local stand-in for Splunk Web (support/splunkWebStandIn.ts) serving the app's own view XML and
 * appserver/static files (setup.js, setup.css), the recorded `$C` and a fake splunkd. A user adds
 * an access-key account, creates an input with an index typed by hand (it exists only on the
 * indexers) and its checkpoints in the KV store, meets the collector's validation message, fixes it, sees the input's state, clones
 * it, sets the log level, and finishes setup, which points the cloudhsm_index macro at the
 * input's index. The recorded requests then prove the secret went to storage/passwords and
 * nowhere else. Screenshots of each step go to test-output/screenshots/ (the ones in
 * docs/images/setup-*.png are copies of them).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../dashboards/lib/harness';
import config from '../fixtures/splunkweb-config.json';
import { FakeSplunkd, regionValidator, requestsCarrying } from '../support/fakeSplunkd';
import { startSplunkWebStandIn, type StandIn } from '../support/splunkWebStandIn';

const REPO = path.resolve(__dirname, '../../..');
const SHOTS = path.join(REPO, 'test-output/screenshots');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY=EXAMPLE&KEY';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

/**
 * The app as built: the packaged folder when it holds the current bundle, else the webpack output
 * with the repository's view (what packaging copies unchanged).
 */
function builtApp(): { viewFile: string; staticDir: string } {
  const bundle = path.join(REPO, 'build/bundles/appserver/static/setup.js');
  const packaged = path.join(REPO, 'build/cloudhsm_audit');
  const packagedBundle = path.join(packaged, 'appserver/static/setup.js');
  if (
    fs.existsSync(packagedBundle) &&
    (!fs.existsSync(bundle) || fs.statSync(packagedBundle).mtimeMs >= fs.statSync(bundle).mtimeMs)
  )
    return {
      viewFile: path.join(packaged, 'default/data/ui/views/cloudhsm_audit_setup.xml'),
      staticDir: path.dirname(packagedBundle),
    };
  if (!fs.existsSync(bundle))
    throw new Error(
      'The setup bundle is not built: run `npx webpack --mode production --config-name web` (or `npm run package`).',
    );
  return {
    viewFile: path.join(REPO, 'default/data/ui/views/cloudhsm_audit_setup.xml'),
    staticDir: path.dirname(bundle),
  };
}

let browser: Browser;
let standIn: StandIn;
let page: Page;
const splunkd = new FakeSplunkd();
const browserErrors: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  splunkd.validator = regionValidator;
  standIn = await startSplunkWebStandIn({ ...builtApp(), config, splunkd });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    // Chromium logs every non-2xx answer ("Failed to load resource"), the 400 the test provokes
    // included; answers are checked through the stand-in's records instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      browserErrors.push(message.text());
  });
  page.on('pageerror', (error) => browserErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await standIn?.close();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `setup-${name}.png`), fullPage: true });
}

const field = (testId: string) => page.locator(`[data-test="${testId}"] input`);

async function addMultiValue(testId: string, value: string): Promise<void> {
  await page.locator(`[data-test="${testId}"]`).click();
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

test('an admin sets the app up in the browser, and the secret goes only to storage/passwords', async () => {
  await page.goto(`${standIn.url}/${config.LOCALE}/app/cloudhsm_audit/cloudhsm_audit_setup`);
  await page.locator('[data-test="accounts-empty"]').waitFor();
  await shot('01-start');

  await page.locator('[data-test="add-account"]').click();
  const accountForm = page.locator('[data-test="account-modal"]');
  await field('account-name').fill('prod');
  await field('account-access-key-id').fill(ACCESS_KEY_ID);
  await field('account-secret').fill(SECRET);
  await field('account-role-arn').fill('arn:aws:iam::123456789012:role/CloudHSMAuditReader');
  await shot('02-add-account');
  await accountForm.locator('[data-test="account-save"]').click();
  await page
    .locator('[data-test="accounts-notice"]', { hasText: 'Account "prod" was saved.' })
    .waitFor();
  const row = page.locator('[data-test="account-row-prod"]');
  await expectText(row.locator('[data-test="account-secret-state"]'), 'Stored');
  await shot('03-account-stored');

  await page.getByRole('tab', { name: /Inputs/ }).click();
  await page.locator('[data-test="add-input"]').click();
  const inputForm = page.locator('[data-test="input-modal"]');
  await field('input-name').fill('prod-us');
  await addMultiValue('input-regions', 'us-east-7');
  // Free text: the index exists on the indexers, not on this forwarder.
  await page.locator('[data-test="input-index"]').click();
  await page.keyboard.type('aws_cloudhsm');
  await page.keyboard.press('Escape');
  // A search head cluster: the checkpoints go to the KV store, shared by every member.
  await page.locator('[data-test="input-checkpoint-store"]').click();
  await page.getByRole('option', { name: /^KV store/ }).click();
  await inputForm.locator('[data-test="input-save"]').click();
  const error = inputForm.locator('[data-test="input-error"]');
  await error.waitFor();
  await expectText(
    error,
    'Saving input "prod-us" failed: regions: "us-east-7" is not an AWS region code.',
  );
  await shot('04-input-validation-error');

  await inputForm.locator('[data-test="selected-option"]', { hasText: 'us-east-7' }).click();
  await addMultiValue('input-regions', 'us-east-1');
  await inputForm.locator('[data-test="input-save"]').click();
  await page
    .locator('[data-test="inputs-notice"]', { hasText: 'Input "prod-us" was saved.' })
    .waitFor();
  await shot('05-input-created');

  // The input has run: the collector's health and error events say so.
  splunkd.searchResults = [
    {
      input: 'prod-us',
      last_written: '1795780800',
      last_report: '1795781100',
      last_error_time: '1795777200',
      last_error: 'throttled: Rate exceeded (ThrottlingException), retried',
    },
  ];
  await page.locator('[data-test="input-row-prod-us"] [data-test="input-clone"]').click();
  const cloneForm = page.locator('[data-test="input-modal"]');
  await field('input-name').fill('prod-eu');
  await cloneForm.locator('[data-test="input-save"]').click();
  await page
    .locator('[data-test="inputs-notice"]', { hasText: 'Input "prod-eu" was saved.' })
    .waitFor();
  await expectText(
    page.locator('[data-test="input-row-prod-us"] [data-test="input-last-error"]'),
    'throttled: Rate exceeded',
  );
  await shot('06-inputs-state');

  await page.getByRole('tab', { name: /Settings/ }).click();
  await page.locator('[data-test="settings-log-level"]').click();
  await page.getByRole('option', { name: /^DEBUG/ }).click();
  await page.locator('[data-test="settings-save-log-level"]').click();
  await page
    .locator('[data-test="settings-notice"]', { hasText: 'The log level is now DEBUG' })
    .waitFor();
  await shot('07-settings');

  await page.getByRole('tab', { name: /Finish setup/ }).click();
  await expectText(
    page.locator('[data-test="finish-macro"]'),
    'Finishing also sets the cloudhsm_index macro to index=aws_cloudhsm',
  );
  await page.locator('[data-test="finish-setup"]').click();
  await page.locator('[data-test="finish-done"]').waitFor();
  await shot('08-finished');

  standIn.theme = 'dark';
  await page.reload();
  await page.locator('[data-theme="dark"] [data-test="account-row-prod"]').waitFor();
  await page.getByRole('tab', { name: /Inputs/ }).click();
  await page.locator('[data-test="input-row-prod-us"]').waitFor();
  await shot('09-inputs-dark');

  expect(splunkd.accounts.get('prod')).toEqual({
    auth_type: 'access_key',
    access_key_id: ACCESS_KEY_ID,
    role_arn: 'arn:aws:iam::123456789012:role/CloudHSMAuditReader',
    external_id: '',
    role_session_name: '',
    endpoint_url: '',
    https_proxy: '',
  });
  expect(splunkd.passwords.get('cloudhsm_audit:prod:')).toEqual({
    realm: 'cloudhsm_audit',
    username: 'prod',
    password: SECRET,
  });
  expect(splunkd.inputs.get('prod-us')).toMatchObject({
    account: 'prod',
    regions: 'us-east-1',
    index: 'aws_cloudhsm',
    checkpoint_store: 'kvstore',
  });
  expect(splunkd.inputs.get('prod-eu')).toMatchObject({
    account: 'prod',
    regions: 'us-east-1',
    index: 'aws_cloudhsm',
  });
  expect(splunkd.logLevel).toBe('DEBUG');
  expect(splunkd.indexMacro).toBe('index=aws_cloudhsm');
  expect(splunkd.configured).toBe(true);

  // Every request the browser made — pages, scripts, config, REST — was recorded by the stand-in.
  const carriers = requestsCarrying(standIn.requests, SECRET).map(
    (request) => `${request.method} ${request.url}`,
  );
  expect(carriers).toEqual([
    `POST /${config.LOCALE}/splunkd/__raw/servicesNS/nobody/cloudhsm_audit/storage/passwords?output_mode=json`,
  ]);
  expect(await page.content()).not.toContain(SECRET);
  expect(standIn.unexpected).toEqual([]);
  expect(browserErrors).toEqual([]);
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor();
  expect(await locator.textContent()).toContain(text);
}
