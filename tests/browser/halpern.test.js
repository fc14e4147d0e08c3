import test from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openPage } from './browser.mjs';

const site = useSite();

test('the Halpern demo runs every method on a game and shows the strategies', async () => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}/#halpern`);
  await page.waitForSelector('#hal-form[data-done="1"]', { timeout: 120000 });
  const text = await page.textContent('#hal-status');
  for (const m of ['halpern', 'eag', 'vr-halpern', 'vr-halpern-inexact']) assert.match(text, new RegExp(`${m}: residual`));
  assert.match(text, /Strategies shown: \S+ \(value [\d.]+\)/);
  if (process.env.HALPERN_SCREENSHOT) await page.locator('#halpern').screenshot({ path: process.env.HALPERN_SCREENSHOT });

  // A pure saddle point: the strategies are pure.
  await page.selectOption('#hal-kind', 'saddle');
  await page.fill('#hal-n', '30');
  await page.click('#hal-form button');
  await page.waitForSelector('#hal-form[data-done="2"]', { timeout: 120000 });
  assert.match(await page.textContent('#hal-status'), /value 0\.5\b/);
  assert.deepEqual(errors, []);
  await page.close();
});
