// The installed tarball through a bundler: a tiny app built by Vite (which
// must find the literal `new URL(...)` worker and .wasm references and emit
// them), served as static files and run in Chromium.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build, createServer } from 'vite';
import { launch, startServer, openPage } from './browser.mjs';

const consumer = process.env.OPTWASM_CONSUMER;
const app = consumer && join(consumer, 'vite-app');
let browser, server;

before(async () => {
  if (!consumer) return;
  await mkdir(app, { recursive: true });
  await writeFile(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  await writeFile(join(app, 'main.js'), `
    import { sparseSimplexProjection } from 'optwasm';
    const r = await sparseSimplexProjection({ v: [0.2, 0.9, 0.4], k: 1 });
    document.title = 'x=' + [...r.x].join(',');`);
  await build({ root: app, logLevel: 'warn', build: { outDir: join(app, 'dist'), target: 'es2022' } });
  server = await startServer({ mounts: { '/': join(app, 'dist') } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a Vite production build of an app using optwasm works', { skip: !consumer && 'set by tests/run.sh' }, async () => {
  const assets = await readdir(join(app, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `emitted: ${assets}`);
  assert.ok(assets.some((f) => /worker/.test(f)), `emitted: ${assets}`);
  const { page, errors } = await openPage(browser, `${server.url}/index.html`);
  await page.waitForFunction(() => document.title.startsWith('x='), null, { timeout: 30000 });
  assert.equal(await page.title(), 'x=0,1,0');
  assert.deepEqual(errors, []);
});

test('the same app runs under the Vite dev server (dependency pre-bundling), with no special config', { skip: !consumer && 'set by tests/run.sh' }, async () => {
  const dev = await createServer({ root: app, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
  try {
    await dev.listen();
    const { page, errors } = await openPage(browser, dev.resolvedUrls.local[0]);
    await page.waitForFunction(() => document.title.startsWith('x='), null, { timeout: 30000 });
    assert.equal(await page.title(), 'x=0,1,0');
    assert.deepEqual(errors, []);
  } finally {
    await dev.close();
  }
});
