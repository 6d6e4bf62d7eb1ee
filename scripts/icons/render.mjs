#!/usr/bin/env node
/**
 * Renders the app icons from their SVG sources (scripts/icons/*.svg) into static/, at the sizes
 * Splunk Web and Splunkbase use: appIcon.png and appIconAlt.png 36x36, appIcon_2x.png and
 * appIconAlt_2x.png 72x72 (appIconAlt is the variant for Splunk's dark app bar). Headless
 * Chromium (the one the UI tests use: CHROMIUM_PATH or `chromium` on PATH) draws each SVG on a
 * transparent page of exactly that size. The PNGs are committed; run this after changing an SVG:
 *   node scripts/icons/render.mjs
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '../../static');
const ICONS = [
  ['appIcon.svg', 'appIcon.png', 36],
  ['appIcon.svg', 'appIcon_2x.png', 72],
  ['appIconAlt.svg', 'appIconAlt.png', 36],
  ['appIconAlt.svg', 'appIconAlt_2x.png', 72],
];

const executablePath =
  process.env.CHROMIUM_PATH ||
  execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [svg, png, size] of ICONS) {
    const page = await browser.newPage({
      viewport: { width: size, height: size },
      deviceScaleFactor: 1,
    });
    const source = fs.readFileSync(path.join(HERE, svg), 'utf8');
    const data = `data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}`;
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img src="${data}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({
      path: path.join(OUT, png),
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    await page.close();
    process.stdout.write(`icons: wrote static/${png} (${size}x${size})\n`);
  }
} finally {
  await browser.close();
}
