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
    const { sparseSimplexProjection } = await import('/optwasm/browser.js');
    await sparseSimplexProjection({ v: [1], k: 1 }); // warm the worker
    const v = Float64Array.from({ length: 4e6 }, (_, i) => Math.sin(i * 1.7));
    let frames = 0, last = performance.now(), maxGap = 0, done = false;
    const tick = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      frames++;
      if (!done) requestAnimationFrame(tick);
    };
    const t0 = performance.now();
    const p = sparseSimplexProjection({ v, k: 3e6 });
    requestAnimationFrame(tick);
    const res = await p;
    done = true;
    return { ms: performance.now() - t0, frames, maxGap, support: res.support.length };
  });
  assert.ok(r.support > 0);
  // The call must be long enough to mean something, and frames must keep
  // coming during it: a frozen page would show one gap as long as the call.
  assert.ok(r.ms > 300, `call took only ${r.ms} ms`);
  assert.ok(r.frames >= 5, JSON.stringify(r));
  assert.ok(r.maxGap < r.ms / 2, JSON.stringify(r));
  assert.deepEqual(errors, []);
  await page.close();
});
