import test from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openPage } from './browser.mjs';

const site = useSite();

test('the site loads and the projection playground computes in a worker', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${site.server.url}/`);
  await page.waitForSelector('#proj-form[data-done="1"]', { timeout: 30000 });
  assert.match(await page.textContent('#proj-status'), /support \{0, 3, 5\}/);
  assert.equal(await page.locator('#proj-bars .bar').count(), 8);
  assert.ok(workers.some((u) => u.endsWith('/optwasm/worker.js')), `workers: ${workers}`);

  // Bad input shows the error instead of breaking the page; a good one works after.
  await page.fill('#proj-k', '0');
  await page.click('#proj-form button');
  await page.waitForFunction(() => document.querySelector('#proj-status').classList.contains('error'));
  assert.match(await page.textContent('#proj-status'), /RangeError ERR_DOMAIN/);
  await page.fill('#proj-k', '1');
  await page.click('#proj-form button');
  await page.waitForSelector('#proj-form[data-done="2"]');
  assert.match(await page.textContent('#proj-status'), /support \{3\}/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page keeps painting during a long call', async () => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}/`);
  const r = await page.evaluate(async () => {
    const { sparseOT } = await import('/optwasm/browser.js');
    const n = 600;
    const cost = Float64Array.from({ length: n * n }, (_, i) => Math.abs(Math.sin(i * 0.7919)));
    const a = new Float64Array(n).fill(1 / n);
    const input = { a, b: a, cost, k: 2, gamma: 0.01, maxIter: 100, tol: 0 };
    await sparseOT({ ...input, maxIter: 1 }); // warm the worker
    let frames = 0, last = performance.now(), maxGap = 0, done = false, calls = 0, longest = 0;
    const tick = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      frames++;
      if (!done) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    // Solves of some hundreds of ms each, for at least a second in all.
    while (performance.now() - t0 < 1000) {
      const res = await sparseOT(input);
      longest = Math.max(longest, res.elapsedMs);
      calls++;
    }
    done = true;
    return { ms: performance.now() - t0, frames, maxGap, calls, longest };
  });
  // A frozen page would show a gap as long as a solve; frames must keep
  // coming while the worker computes.
  assert.ok(r.longest > 100, JSON.stringify(r));
  assert.ok(r.frames >= 10, JSON.stringify(r));
  assert.ok(r.maxGap < r.longest / 2, JSON.stringify(r));
  assert.deepEqual(errors, []);
  await page.close();
});
