import test from 'node:test';
import assert from 'node:assert/strict';
import { useSite } from './browser.mjs';

const site = useSite();

test('the convex ReLU demo trains, redraws on a slider, on a click and with epsilon', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}/#convexrelu`);
  await page.waitForSelector('#crelu-form[data-done="1"]', { timeout: 60000 });
  assert.match(await page.textContent('#crelu-status'), /objective [\d.e-]+ \(certified lower bound [\d.e-]+\), \d+ hidden units from \d+ distinct patterns, training accuracy [\d.]+%/);
  await page.fill('#crelu-p', '10');
  await page.waitForSelector('#crelu-form[data-done="2"]', { timeout: 60000 });
  assert.match(await page.textContent('#crelu-status'), /from ([1-9]|10) distinct patterns/);
  await page.click('#crelu-canvas', { position: { x: 40, y: 40 } });
  await page.waitForSelector('#crelu-form[data-done="3"]', { timeout: 60000 });
  await page.fill('#crelu-eps', '0.05');
  await page.waitForSelector('#crelu-form[data-done="4"]', { timeout: 60000 });
  assert.doesNotMatch(await page.textContent('#crelu-status'), /lower bound/);
  assert.deepEqual(errors, []);
  await page.close();
});
