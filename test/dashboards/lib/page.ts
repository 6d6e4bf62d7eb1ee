/**
 * What the render test does with a page of the harness: open it (counting console errors, page
 * errors and any network request as problems), read each panel's state through the DOM markers of
 * Splunk's renderer, wait until every panel has settled, and take a screenshot.
 */
import type { Browser, Page } from 'playwright-core';
import type { ReceivedSearch } from '../harness/TestSearch';

export async function openHarness(
  browser: Browser,
  url: string,
  problems: string[],
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1480, height: 1000 },
    reducedMotion: 'reduce',
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Nothing but the harness's own files: any other request is a bug (no network in tests).
  await page.route(/^(?!file:)/, (route) => {
    problems.push(`unexpected request: ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(url);
  return page;
}

/** Per panel: still loading, error shown, waiting for input, and what it shows. */
export async function panelStates(page: Page) {
  return page.$$eval('[data-test="viz-item"]', (items) =>
    items.map((item) => ({
      id: item.getAttribute('data-id'),
      loading: !!item.querySelector('[data-test="icon-placeholder"]'),
      waiting: !!item.querySelector('[data-test="viz-waiting-for-input"]'),
      error: !!item.querySelector(
        '[data-test="dashboard-message"] [data-test-type="error"], svg[aria-label="Error"]',
      ),
      message: item.querySelector('[data-test="dashboard-message"]')?.textContent ?? '',
      cells: item.querySelectorAll('[data-test="cell"]').length,
      firstCell: (item.querySelector('[data-test="cell"]')?.textContent ?? '').trim(),
      /** Series names and category labels: what a chart says it shows. */
      legend: [...item.querySelectorAll('.highcharts-legend, .highcharts-xaxis-labels')]
        .map((e) => e.textContent ?? '')
        .join(' '),
      majorValue: item.querySelector('[data-test="majorValue"]')?.textContent ?? '',
      graphics: item.querySelectorAll('.highcharts-point, .highcharts-graph').length,
      text: (item.textContent ?? '').trim().length,
    })),
  );
}

/**
 * Waits until no panel is loading or waiting for input, and every chart has drawn its series and
 * stopped moving (Highcharts animates: two polls in a row must see the same geometry).
 */
export async function waitUntilSettled(page: Page, panels: number): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const w = window as unknown as { settleSignature?: string };
      const items = [...document.querySelectorAll('[data-test="viz-item"]')];
      const busy =
        items.length !== count ||
        items.some((i) =>
          i.querySelector('[data-test="icon-placeholder"], [data-test="viz-waiting-for-input"]'),
        );
      const charts = items.filter((i) => i.querySelector('[data-test="charting-container"]'));
      const drawn = charts.every((i) => i.querySelector('.highcharts-point, .highcharts-graph'));
      const signature = charts
        .flatMap((i) => [...i.querySelectorAll('.highcharts-series-group *')])
        .map(
          (e) =>
            `${e.getAttribute('d') ?? ''}${e.getAttribute('height') ?? ''}${e.getAttribute('transform') ?? ''}`,
        )
        .join('|');
      const still = signature === w.settleSignature;
      w.settleSignature = signature;
      return !busy && drawn && still;
    },
    panels,
    { timeout: 60_000, polling: 300 },
  );
}

/**
 * Screenshot of the whole dashboard. The viewport is first made as tall as the page, then the
 * charts are left to redraw: a full-page capture of a shorter viewport resizes the page while
 * capturing, and Highcharts would be caught mid-redraw.
 */
export async function screenshot(page: Page, panels: number, file: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1480, height });
  await waitUntilSettled(page, panels);
  await page.screenshot({ path: file });
}

export const received = (page: Page) =>
  page.evaluate(() => window.dashboardHarness.received) as Promise<ReceivedSearch[]>;
