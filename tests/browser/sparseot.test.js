import test from 'node:test';
import assert from 'node:assert/strict';
import { useSite } from './browser.mjs';

const site = useSite();

test('the sparse OT demo solves, redraws on a slider and on a click', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}/#sparseot`);
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

test('n = m = 2000 (4M cost entries) solves in a browser tab without running out of memory', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('page crashed'));
  await page.goto(`${site.server.url}/ui.js`);
  const r = await page.evaluate(async () => {
    const { sparseOT } = await import('/optwasm/browser.js');
    const n = 2000;
    let s = 1;
    const rand = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    const x = Float64Array.from({ length: 2 * n }, rand), y = Float64Array.from({ length: 2 * n }, rand);
    const cost = new Float64Array(n * n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const c = (x[2 * i] - y[2 * j]) ** 2 + (x[2 * i + 1] - y[2 * j + 1]) ** 2;
        cost[i * n + j] = c;
        if (c > max) max = c;
      }
    }
    for (let e = 0; e < cost.length; e++) cost[e] /= max;
    const a = new Float64Array(n).fill(1 / n);
    // Twice: the worker's wasm memory must be reused, not grown again.
    let res;
    for (let rep = 0; rep < 2; rep++) res = await sparseOT({ a, b: a, cost, n, m: n, k: 5, gamma: 0.1, maxIter: 15 });
    return { nnz: res.plan.values.length, maxNonzeros: res.maxNonzeros, status: res.status, target: res.marginalError.target };
  });
  assert.ok(r.maxNonzeros <= 5 && r.nnz > 0, JSON.stringify(r));
  assert.ok(r.target < 1e-9, JSON.stringify(r));
  assert.deepEqual(errors, []);
  await page.close();
});
