/**
 * Every panel's drilldown, clicked in Splunk's renderer (headless Chromium) on the demo data: the
 * URL it opens must be the panel's template with the dashboard's tokens and the clicked row or
 * series in place, and the search it opens, run by the SPL engine over the same events and time
 * range, must find the records behind what was clicked: as many as the tile or row counts where it
 * counts them.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { Row } from '../extraction/harness/spl';
import { answersFor, results } from './lib/answers';
import { DEMO_NOW, demoEvents } from './lib/demo';
import { drilldownUrl, matchDrilldown, runDrilldown } from './lib/drilldown';
import { buildHarness, launchBrowser } from './lib/harness';
import { openHarness, waitUntilSettled } from './lib/page';
import { defaultTokenValues } from './lib/tokens';
import { studioViews } from './lib/views';

type Counted = (row: Row) => number | undefined;
const value = (row: Row, field: string) => Number(row.get(field)?.[0]);
/** A tile: its value. */
const tile: Counted = (row) => Number([...row.values()][0]?.[0]);
/** A row listing its records as (hsm_id=… sequence_no=…) pairs. */
const listed: Counted = (row) => (row.get('_records')?.[0] ?? '').split(' OR ').length;
/** A row naming a range of sequence numbers of one HSM, less the missing ones. */
const around: Counted = (row) => {
  const [from, to] = [...(row.get('_filter')?.[0] ?? '').matchAll(/sequence_no[<>]=(\d+)/g)].map(
    (m) => Number(m[1]),
  );
  if (from === undefined || to === undefined) return undefined;
  const missing = row.get('Status')?.[0] === 'filled' ? 0 : value(row, 'Missing');
  return to - from + 1 - missing;
};

/** How many records each drilldown finds, from what the clicked tile or row shows. */
const COUNTS: Record<string, Counted> = {
  viz_total: tile,
  viz_failed_co: tile,
  viz_failed_cu: tile,
  viz_critical_count: tile,
  viz_keys_generated: tile,
  viz_keys_deleted: tile,
  viz_user_changes: tile,
  viz_gaps: tile,
  viz_command_breakdown: (row) => value(row, 'Records'),
  viz_critical: listed,
  viz_user_management: listed,
  viz_recent: listed,
  viz_key_export: (row) =>
    value(row, 'Exported') + value(row, 'AES wraps') + value(row, 'Imported'),
  viz_clusters_summary: (row) => value(row, 'Records'),
  viz_hsms_summary: (row) => value(row, 'Records'),
  viz_open_gaps: tile,
  viz_new_streams: tile,
  viz_reboots: tile,
  viz_errors: tile,
  viz_skew: tile,
  viz_unchecked: tile,
  viz_arrival: (row) => value(row, 'Health reports') + value(row, 'Errors'),
  viz_gap_table: around,
  viz_audit_sequence: around,
  viz_reboots_table: () => 1,
  viz_clock_skew: () => 1,
};

let browser: Browser;
const HARNESS_URL = buildHarness();

beforeAll(async () => {
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const opened = (page: Page) =>
  page.evaluate(() => (window as unknown as { opened: string[] }).opened);

/** Clicks what a user would click: a tile's value, a table's first row, a chart's mark. */
async function clickPanel(page: Page, id: string, type: string): Promise<void> {
  const panel = `[data-test="viz-item"][data-id="${id}"]`;
  await page.mouse.move(0, 0); // away from the last chart, so no tooltip lies over this one
  if (type === 'splunk.singlevalue') return page.click(`${panel} [data-test="majorValue"]`);
  if (type === 'splunk.table') return page.locator(`${panel} [data-test="cell"]`).first().click();
  // The mouse only reaches what is on screen.
  await page.locator(panel).scrollIntoViewIfNeeded();
  // A mark on the edge of the plot (a zero on a line) takes no click: take one inside it, on a
  // line the highest one.
  const plot = await page.locator(`${panel} .highcharts-plot-background`).boundingBox();
  const marks: { point: Locator; x: number; y: number }[] = [];
  for (const point of await page.locator(`${panel} .highcharts-point`).all()) {
    const box = await point.boundingBox();
    if (!plot || !box || box.width < 1 || box.height < 1) continue;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    if (y < plot.y + 2 || y > plot.y + plot.height - 3) continue;
    if (type !== 'splunk.line') return point.click({ force: true });
    marks.push({ point, x, y });
  }
  const top = marks.sort((a, b) => a.y - b.y)[0];
  if (top) {
    // A line's markers answer to the hovered point: point at it, and wait until the chart says so.
    await page.mouse.move(top.x - 3, top.y);
    await page.mouse.move(top.x, top.y);
    await page
      .waitForSelector(`${panel} .highcharts-point-hover`, { timeout: 5_000 })
      .catch(() => undefined);
    return page.mouse.click(top.x, top.y);
  }
  throw new Error(`${id}: no chart mark to click`);
}

it('the URL check can fail: another token value, or other search text, does not match', () => {
  const template =
    '/app/x/search?q=search%20cluster_id%3D$row.Cluster.value|u$&earliest=$global_time.earliest|u$';
  const tokens = { 'global_time.earliest': '-24h@h' };
  expect(
    matchDrilldown(
      template,
      '/app/x/search?q=search%20cluster_id%3Dc%2D1&earliest=-24h%40h',
      tokens,
    ),
  ).toEqual({
    'row.Cluster.value': 'c-1',
  });
  expect(
    matchDrilldown(template, '/app/x/search?q=search%20cluster_id%3Dc%2D1&earliest=-7d', tokens),
  ).toBeNull();
  expect(
    matchDrilldown(template, '/app/x/search?q=search%20hsm_id%3Dc%2D1&earliest=-24h%40h', tokens),
  ).toBeNull();
});

describe.each(studioViews().map((v) => [v.name, v]))('%s', (_name, view) => {
  const def = view.definition;
  const tokens = defaultTokenValues(def);
  const events = demoEvents();
  const panels = Object.keys(def.visualizations).filter((id) => drilldownUrl(def, id));
  let page: Page;

  beforeAll(async () => {
    page = await openHarness(browser, HARNESS_URL, []);
    await page.evaluate(([d, a]) => window.dashboardHarness.render(d as object, a as never), [
      def,
      answersFor(def, events, [tokens], DEMO_NOW),
    ] as const);
    await waitUntilSettled(page, Object.keys(def.visualizations).length);
    await page.evaluate(() => {
      const w = window as unknown as { opened: string[] };
      w.opened = [];
      window.open = (url?: string | URL) => {
        w.opened.push(String(url));
        return null;
      };
    });
  }, 180_000);

  afterAll(async () => {
    await page?.close();
  });

  it('has a drilldown on every tile, chart and table', () => {
    const without = Object.entries(def.visualizations)
      .filter(([id, v]) => v.type !== 'splunk.markdown' && !panels.includes(id))
      .map(([id]) => id);
    expect(without).toEqual([]);
  });

  it.each(panels)(
    '%s opens the records behind the click in Search',
    async (id) => {
      const viz = def.visualizations[id]!;
      const before = (await opened(page)).length;
      await clickPanel(page, id, viz.type);
      await page.waitForFunction(
        (n) => (window as unknown as { opened: string[] }).opened.length > n,
        before,
        {
          timeout: 15_000,
        },
      );
      const url = (await opened(page))[before]!;
      const clicked = matchDrilldown(drilldownUrl(def, id)!, url, tokens);
      expect([id, clicked === null ? url : 'matches its template']).toEqual([
        id,
        'matches its template',
      ]);

      // The clicked values are the panel's: the first row of a table, a series and row of a chart.
      const data = results(def, viz.dataSources?.primary ?? '', tokens, events, DEMO_NOW);
      const first = data[0]!;
      for (const [token, got] of Object.entries(clicked!)) {
        const field = /^row\.(.+)\.value$/.exec(token)?.[1];
        if (viz.type === 'splunk.table')
          expect([token, got]).toEqual([token, first.get(field!)?.join(',')]);
        else if (field) expect(data.map((r) => r.get(field)?.[0])).toContain(got);
        else if (token === 'name')
          expect(data.some((r) => (r.get(got)?.length ?? 0) > 0)).toBe(true);
      }

      const found = runDrilldown(url, events, DEMO_NOW);
      expect(found.length).toBeGreaterThan(0);
      const count = COUNTS[id]?.(first);
      if (count !== undefined) expect([id, found.length]).toEqual([id, count]);
    },
    60_000,
  );
});
