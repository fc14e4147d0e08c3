import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveSite } from './browser.mjs';

let browser, server;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the sparse OT demo solves, redraws on a slider and on a click', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/#sparseot`);
  await page.waitForSelector('#sot-form[data-done="1"]', { timeout: 30000 });
  const text = await page.textContent('#sot-status');
  assert.match(text, /transport cost [\d.e-]+ \(k = 1: [\d.e-]+\), \d+ nonzeros, at most [12] per column/);
  // A new k: the bound in the status follows.
  await page.fill('#sot-k', '1');
  await page.waitForSelector('#sot-form[data-done="2"]', { timeout: 30000 });
  assert.match(await page.textContent('#sot-status'), /at most 1 per column/);
  // A click adds a source point and solves again.
  await page.click('#sot-canvas', { position: { x: 50, y: 50 } });
  await page.waitForSelector('#sot-form[data-done="3"]', { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});
