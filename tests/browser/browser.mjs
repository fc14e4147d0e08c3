// Headless Debian Chromium driven by playwright-core (never a downloaded
// browser), and the static server, for the browser tests.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { startServer } from '../serve.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Serve the demo site (site/ with dist/ under /optwasm/). */
export function serveSite() {
  return startServer({ mounts: { '/': `${root}/site`, '/optwasm/': `${root}/dist` } });
}

export { startServer };

/**
 * For a test file: serve the demo site and launch Chromium before its tests,
 * close both after them. Returns { browser, server }, filled in by then.
 */
export function useSite() {
  const site = {};
  before(async () => {
    site.server = await serveSite();
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** Open a page and collect its console errors, uncaught exceptions and failed requests. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // Failed loads are reported below with their URL.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  return { page, errors };
}
