/**
 * Renders each Dashboard Studio view in headless Chromium with Splunk's own renderer
 * (harness/entry.tsx), fed by a test data source that answers every search with what the SPL engine
 * computes over the demo index (lib/demo.ts), keyed by the complete query text the dashboard sends.
 * It fails on a console error, a page error, a search without an answer, or a panel that shows an
 * error, keeps loading or shows nothing; it changes a filter and checks the searches changed with
 * it; it renders a fresh install (no data at all) and checks every panel says what it waits for and
 * no dropdown shows a raw value or a warning; it saves screenshots into test-output/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answersFor, results, type Tokens } from './lib/answers';
import { DEMO_NOW, demoEvents } from './lib/demo';
import { buildHarness, launchBrowser } from './lib/harness';
import { openHarness, panelStates, received, screenshot, waitUntilSettled } from './lib/page';
import { completeQuery, defaultTokenValues, searchIds } from './lib/tokens';
import { REPO, studioViews, type Definition, type StudioView } from './lib/views';

const SCREENSHOTS = path.join(REPO, 'test-output/screenshots');
const SCHEMA = path.join(__dirname, 'schema/dashboard-studio.schema.json');

/** The filter each dashboard's test changes, to its first real value. */
const FILTER_CHANGE: Record<string, { input: string; token: string; submit: boolean }> = {
  cloudhsm_event_dashboard: { input: 'input_opcode', token: 'opcode', submit: true },
  cloudhsm_audit_integrity: { input: 'input_cluster', token: 'cluster', submit: false },
};

let browser: Browser;
const HARNESS_URL = buildHarness();

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function render(page: Page, def: Definition, answers: object): Promise<void> {
  await page.evaluate(([d, a]) => window.dashboardHarness.render(d as object, a as never), [
    def,
    answers,
  ] as const);
  await waitUntilSettled(page, Object.keys(def.visualizations).length);
}

const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** The tiles that change colour above zero: their value, colour, and the colour they turn. */
async function alertTiles(page: Page, def: Definition) {
  const tiles = Object.entries(def.visualizations).flatMap(([id, v]) => {
    const colors = (v.context as { alertColors?: { from?: number; value: string }[] } | undefined)
      ?.alertColors;
    const above = colors?.find((c) => c.from === 1)?.value;
    return above ? [{ id, alert: rgb(above) }] : [];
  });
  return Promise.all(
    tiles.map(async ({ id, alert }) => {
      const el = page.locator(`[data-id="${id}"] [data-test="majorValue"]`);
      return {
        id,
        alert,
        value: (await el.textContent()) ?? '',
        color: await el.evaluate((e) => getComputedStyle(e).color),
      };
    }),
  );
}

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
  await page.waitForSelector(
    '[data-id="viz_one"] svg[aria-label="Error"], [data-id="viz_one"] [data-test="error"]',
    { timeout: 60_000 },
  );
  expect(await received(page)).toEqual([
    expect.objectContaining({ id: 'ds_one', answered: false }),
  ]);
  await page.close();
}, 120_000);

describe.each(studioViews().map((v) => [v.name, v]))('%s renders', (name, view: StudioView) => {
  const def = view.definition;
  const change = FILTER_CHANGE[name]!;
  const events = demoEvents();
  const defaults = defaultTokenValues(def);
  const input = def.inputs?.[change.input];
  // The first item that is a real value: not All (*), not "(none)" (records without a cluster).
  const option = results(def, input?.dataSources?.primary ?? '', defaults, events, DEMO_NOW).find(
    (o) => !['*', '(none)'].includes(o.get('value')?.[0] ?? '*'),
  );
  const pick = option?.get('value')?.[0] ?? '';
  const pickLabel = option?.get('label')?.[0] ?? '';
  const changed: Tokens = { ...defaults, [change.token]: pick };
  const problems: string[] = [];
  let page: Page;

  it('renders every panel with data and no error', async () => {
    expect(pick).not.toBe('');
    page = await openHarness(browser, HARNESS_URL, problems);
    await render(page, def, answersFor(def, events, [defaults, changed], DEMO_NOW));
    const states = await panelStates(page);
    expect(states.map((s) => s.id).sort()).toEqual(Object.keys(def.visualizations).sort());
    for (const s of states) {
      const type = def.visualizations[s.id as string]?.type;
      const shows =
        type === 'splunk.table'
          ? s.cells > 0 && !/^(Waiting|No )/.test(s.firstCell)
          : type === 'splunk.singlevalue'
            ? /^\d/.test(s.majorValue)
            : type === 'splunk.markdown'
              ? s.text > 50
              : s.graphics > 0 && !/Waiting for|No sequence gap|No failed login/.test(s.legend);
      expect({ id: s.id, error: s.error, message: s.message, shows }).toEqual({
        id: s.id,
        error: false,
        message: '',
        shows: true,
      });
    }
    const searches = await received(page);
    expect(searches.filter((r) => !r.answered)).toEqual([]);
    // Every search ran (inputs' searches included), with the text the engine answered.
    expect([...new Set(searches.map((r) => r.query))].sort()).toEqual(
      [...new Set(searchIds(def).map((id) => completeQuery(def, id, defaults)))].sort(),
    );
    await screenshot(
      page,
      Object.keys(def.visualizations).length,
      path.join(SCREENSHOTS, `${name}.png`),
    );
    expect(problems).toEqual([]);
  }, 240_000);

  it('turns the failed-login, critical and integrity tiles red (or amber) above zero, only then', async () => {
    const tiles = await alertTiles(page, def);
    expect(tiles.length).toBeGreaterThan(2);
    expect(tiles.some((t) => Number(t.value) > 0)).toBe(true);
    for (const t of tiles)
      expect({ id: t.id, alert: t.color === t.alert }).toEqual({
        id: t.id,
        alert: Number(t.value) > 0,
      });
  });

  it('re-runs the searches with the new value when a filter changes', async () => {
    const before = (await received(page)).length;
    await page.click(`[data-input-id="${change.input}"] [data-test="select"]`);
    await page.getByRole('option', { name: pickLabel, exact: true }).click();
    if (change.submit) await page.click('[data-test="input-item-submit-button"]');
    const expected = searchIds(def)
      .map((id) => completeQuery(def, id, changed))
      .filter((q) => q.includes(pick));
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

describe.each(studioViews().map((v) => [v.name, v]))('%s on a fresh install', (name, view) => {
  const def = view.definition;
  const defaults = defaultTokenValues(def);
  const problems: string[] = [];

  it('says in every panel what it waits for, and shows no raw value or warning in a dropdown', async () => {
    const page = await openHarness(browser, HARNESS_URL, problems);
    await render(page, def, answersFor(def, [], [defaults], DEMO_NOW));
    const dropdowns = await page.$$eval('[data-input-type="input.dropdown"]', (items) =>
      items.map((i) => ({
        label: i.querySelector('[data-test="label"]')?.textContent ?? '',
        warning: !!i.querySelector('svg[aria-label="Warning"]'),
      })),
    );
    expect(dropdowns.length).toBeGreaterThan(0);
    for (const d of dropdowns) expect(d).toEqual({ label: 'All', warning: false });
    for (const s of await panelStates(page)) {
      const type = def.visualizations[s.id as string]?.type;
      const says =
        type === 'splunk.table'
          ? /^(Waiting|No |NO DATA)/.test(s.firstCell)
          : type === 'splunk.singlevalue'
            ? s.majorValue === 'no data'
            : type === 'splunk.markdown'
              ? s.text > 50
              : /Waiting for|No sequence gap|No failed login/.test(s.legend);
      expect({ id: s.id, error: s.error, says }).toEqual({ id: s.id, error: false, says: true });
    }
    for (const t of await alertTiles(page, def)) expect(t.color).not.toBe(t.alert);
    await screenshot(
      page,
      Object.keys(def.visualizations).length,
      path.join(SCREENSHOTS, `${name}-fresh.png`),
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
