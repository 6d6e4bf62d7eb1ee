/**
 * Renders each Dashboard Studio view in headless Chromium with Splunk's own renderer
 * (harness/entry.tsx), fed by a test data source that answers every search from
 * fixtures/<view>.json, keyed by the complete query text the dashboard sends. The test fails on
 * a console error, a page error, a search without an answer, or a panel that shows an error, keeps
 * loading or shows nothing; it changes a filter and checks the searches changed with it; and it
 * saves screenshots into test-output/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildHarness, launchBrowser } from './lib/harness';
import { openHarness, panelStates, received, screenshot, waitUntilSettled } from './lib/page';
import { completeQuery, defaultTokenValues, searchIds } from './lib/tokens';
import { REPO, studioViews, type Definition, type StudioView } from './lib/views';

const SCREENSHOTS = path.join(REPO, 'test-output/screenshots');
const SCHEMA = path.join(__dirname, 'schema/dashboard-studio.schema.json');

interface ColumnData {
  fields: { name: string }[];
  columns: unknown[][];
}
/** How the test changes a filter on each dashboard, and what the token then holds. */
const FILTER_CHANGE: Record<
  string,
  { input: string; pick: string; token: string; submit: boolean }
> = {
  cloudhsm_event_dashboard: {
    input: 'input_opcode',
    pick: 'CN_GENERATE_KEY',
    token: 'opcode',
    submit: true,
  },
  cloudhsm_audit_integrity: {
    input: 'input_log_group',
    pick: '/aws/cloudhsm/cluster-q4tq2mvbf7x',
    token: 'log_group',
    submit: false,
  },
};

function fixtures(view: StudioView): Record<string, ColumnData> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${view.name}.json`), 'utf8'));
}

/** Answers keyed by complete query text, for each token state the test puts the dashboard in. */
function answersFor(
  def: Definition,
  data: Record<string, ColumnData>,
  states: Record<string, string>[],
) {
  const answers: Record<string, ColumnData> = {};
  for (const values of states) {
    for (const id of searchIds(def)) {
      const result = data[id];
      if (result) answers[completeQuery(def, id, values)] = result;
    }
  }
  return answers;
}

let browser: Browser;
const HARNESS_URL = buildHarness();

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

it('the saved Dashboard Studio schema is the one the installed @splunk packages generate', async () => {
  const page = await openHarness(browser, HARNESS_URL, []);
  const schema = await page.evaluate(() => window.dashboardHarness.schema());
  await page.close();
  if (process.env.UPDATE_DASHBOARD_SCHEMA === '1') fs.writeFileSync(SCHEMA, JSON.stringify(schema));
  expect(schema).toEqual(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
}, 120_000);

it('shows an error, and records it, when a search has no answer', async () => {
  const problems: string[] = [];
  const page = await openHarness(browser, HARNESS_URL, problems);
  const definition = {
    dataSources: {
      ds_one: { type: 'ds.search', options: { query: '`cloudhsm_audit` | stats count' } },
    },
    visualizations: { viz_one: { type: 'splunk.singlevalue', dataSources: { primary: 'ds_one' } } },
    inputs: {},
    layout: {
      type: 'grid',
      structure: [{ item: 'viz_one', type: 'block', position: { x: 0, y: 0, w: 300, h: 200 } }],
    },
  };
  await page.evaluate((d) => window.dashboardHarness.render(d, {}), definition);
  await page.waitForFunction(() => window.dashboardHarness.received.length > 0, undefined, {
    timeout: 60_000,
  });
  await page.waitForSelector(
    '[data-id="viz_one"] svg[aria-label="Error"], [data-id="viz_one"] [data-test-type="error"]',
    {
      timeout: 60_000,
    },
  );
  expect(await received(page)).toEqual([
    expect.objectContaining({ id: 'ds_one', answered: false }),
  ]);
  await page.close();
}, 120_000);

describe.each(studioViews().map((v) => [v.name, v]))('%s renders', (name, view) => {
  const def = view.definition;
  const change = FILTER_CHANGE[name];
  const defaults = defaultTokenValues(def);
  const changed = { ...defaults, [change?.token ?? '']: change?.pick ?? '' };
  const data = fixtures(view);
  const problems: string[] = [];
  let page: Page;

  it('has a fixture for every search', () => {
    expect(change).toBeDefined();
    expect(searchIds(def).filter((id) => !data[id])).toEqual([]);
  });

  it('renders every panel with data and no error', async () => {
    page = await openHarness(browser, HARNESS_URL, problems);
    await page.evaluate(([d, a]) => window.dashboardHarness.render(d as object, a as never), [
      def,
      answersFor(def, data, [defaults, changed]),
    ] as const);
    const panels = Object.keys(def.visualizations).length;
    await waitUntilSettled(page, panels);
    const states = await panelStates(page);
    expect(states.map((s) => s.id).sort()).toEqual(Object.keys(def.visualizations).sort());
    for (const s of states) {
      const type = def.visualizations[s.id as string]?.type;
      const shows =
        type === 'splunk.table'
          ? s.cells > 0
          : type === 'splunk.singlevalue'
            ? /\d/.test(s.majorValue)
            : type === 'splunk.markdown'
              ? s.text > 50
              : s.graphics > 0;
      expect({ id: s.id, error: s.error, message: s.message, shows }).toEqual({
        id: s.id,
        error: false,
        message: '',
        shows: true,
      });
    }
    const searches = await received(page);
    expect(searches.filter((r) => !r.answered)).toEqual([]);
    // Every search ran (inputs' searches included), with the text the fixtures expect.
    expect([...new Set(searches.map((r) => r.query))].sort()).toEqual(
      [...new Set(searchIds(def).map((id) => completeQuery(def, id, defaults)))].sort(),
    );
    await screenshot(page, panels, path.join(SCREENSHOTS, `${name}.png`));
    expect(problems).toEqual([]);
  }, 180_000);

  it('opens a clicked recent event in Search', async () => {
    if (name !== 'cloudhsm_event_dashboard') return;
    await page.evaluate(() => {
      const w = window as unknown as { opened: string[] };
      w.opened = [];
      window.open = (url?: string | URL) => {
        w.opened.push(String(url));
        return null;
      };
    });
    await page.click('[data-id="viz_recent"] [data-test="cell"]');
    await page.waitForFunction(
      () => (window as unknown as { opened: string[] }).opened.length > 0,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const opened = await page.evaluate(() => (window as unknown as { opened: string[] }).opened);
    const first = data.ds_recent;
    const column = (field: string) =>
      first?.columns[first.fields.findIndex((f) => f.name === field)]?.[0];
    const url = new URL(opened[0] as string, 'https://splunk.example');
    expect(url.pathname).toBe('/app/cloudhsm_audit/search');
    expect(url.searchParams.get('q')).toBe(
      `search \`cloudhsm_audit\` | fillnull value="(none)" hsm_id | search hsm_id="${column('hsm_id')}" sequence_no=${column('sequence_no')}`,
    );
    expect([url.searchParams.get('earliest'), url.searchParams.get('latest')]).toEqual([
      '-24h@h',
      'now',
    ]);
  }, 60_000);

  it('re-runs the searches with the new value when a filter changes', async () => {
    if (!change) throw new Error(`no filter change defined for ${name}`);
    const before = (await received(page)).length;
    await page.click(`[data-input-id="${change.input}"] [data-test="select"]`);
    await page.getByRole('option', { name: change.pick, exact: true }).click();
    if (change.submit) await page.click('[data-test="input-item-submit-button"]');
    const expected = searchIds(def)
      .map((id) => completeQuery(def, id, changed))
      .filter((q) => q.includes(change.pick));
    expect(expected.length).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) =>
        window.dashboardHarness.received.filter((r) => n.some((q: string) => q === r.query))
          .length >= n.length,
      expected,
      { timeout: 60_000, polling: 250 },
    );
    await waitUntilSettled(page, Object.keys(def.visualizations).length);
    const after = (await received(page)).slice(before);
    expect(after.filter((r) => !r.answered)).toEqual([]);
    expect(expected.filter((q) => !after.some((r) => r.query === q))).toEqual([]);
    const states = await panelStates(page);
    expect(states.filter((s) => s.error)).toEqual([]);
    await screenshot(
      page,
      Object.keys(def.visualizations).length,
      path.join(SCREENSHOTS, `${name}-filtered.png`),
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
