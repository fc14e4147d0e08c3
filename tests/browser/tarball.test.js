// The packed tarball, installed into an empty project by tests/run.sh, used
// straight from node_modules in Chromium as an ES module (bare import through
// an import map, no bundler, no build step).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, startServer, openPage } from './browser.mjs';

const consumer = process.env.OPTWASM_CONSUMER;
let browser, server;
before(async () => {
  if (!consumer) return;
  await writeFile(join(consumer, 'index.html'), `<!doctype html>
<script type="importmap">{ "imports": { "optwasm": "/node_modules/optwasm/dist/browser.js" } }</script>
<script type="module">
  import { sparseSimplexProjection, version } from 'optwasm';
  const r = await sparseSimplexProjection({ v: [0.2, 0.9, 0.4], k: 2 });
  let bad;
  try { await sparseSimplexProjection({ v: [1], k: 1.5 }); } catch (e) { bad = e.name + ' ' + e.code; }
  document.title = JSON.stringify({ x: [...r.x], version: version(), bad });
</script>`);
  server = await startServer({ mounts: { '/': consumer } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the installed tarball works in Chromium as a plain ES module', { skip: !consumer && 'set by tests/run.sh' }, async () => {
  const { page, errors } = await openPage(browser, `${server.url}/index.html`);
  await page.waitForFunction(() => document.title.startsWith('{'), null, { timeout: 30000 });
  const r = JSON.parse(await page.title());
  assert.equal(r.bad, 'RangeError ERR_DOMAIN');
  assert.ok(Math.abs(r.x[1] - 0.75) < 1e-12 && Math.abs(r.x[2] - 0.25) < 1e-12, JSON.stringify(r));
  assert.deepEqual(errors, []);
});
