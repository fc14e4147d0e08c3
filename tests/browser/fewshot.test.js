import test from 'node:test';
import assert from 'node:assert/strict';
import { useSite } from './browser.mjs';

const site = useSite();

test('the few-shot demo classifies the 2-D scene, relabels on a click and shows a digits episode', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}/#fewshot`);
  await page.waitForSelector('#fs-form[data-done="1"]', { timeout: 30000 });
  assert.match(await page.textContent('#fs-status'), /of 297 unlabelled points get a different class than nearest-prototype; converged/);
  await page.waitForSelector('#fs-digits[data-done="1"]', { timeout: 30000 });
  assert.match(await page.textContent('#fs-digits-status'), /1-shot: slk-means [\d.]+% vs nearest prototype [\d.]+% on 75 queries/);
  // A click labels one more point: 296 unlabelled.
  await page.click('#fs-trans', { position: { x: 240, y: 240 } });
  await page.waitForSelector('#fs-form[data-done="2"]', { timeout: 30000 });
  assert.match(await page.textContent('#fs-status'), /of 296 unlabelled points/);
  // 5-shot episode.
  await page.selectOption('#fs-shot', '5');
  await page.waitForSelector('#fs-digits[data-done="2"]', { timeout: 30000 });
  assert.match(await page.textContent('#fs-digits-status'), /5-shot/);
  assert.deepEqual(errors, []);
  await page.close();
});
