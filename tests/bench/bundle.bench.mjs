// The shipped module: its size, and instantiation time in Chromium (fetch,
// compile, instantiate and start Go in the package's worker: `await init()`).
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { root, table, verdict, median, native, wasm } from './lib.mjs';
import { launch, serveSite } from '../browser/browser.mjs';

export default async function () {
  const bytes = await readFile(`${root}/dist/optwasm.wasm`);
  const gz = gzipSync(bytes, { level: 9 }).length;

  const server = await serveSite();
  const browser = await launch();
  const times = [], compile = [], start = [];
  try {
    for (let i = 0; i < 5; i++) {
      // A fresh context each time: no HTTP or compiled-code cache.
      let context = await browser.newContext();
      let page = await context.newPage();
      await page.goto(`${server.url}/ui.js`); // same origin, nothing running
      times.push(await page.evaluate(async () => {
        const o = await import('/optwasm/browser.js');
        const t0 = performance.now();
        await o.init();
        return performance.now() - t0;
      }));
      await context.close();
      // The same steps by hand: fetch + compile on the page, then
      // instantiate + Go runtime start in a fresh worker.
      context = await browser.newContext();
      page = await context.newPage();
      await page.goto(`${server.url}/ui.js`);
      const [c, s] = await page.evaluate(async () => {
        const t0 = performance.now();
        const module = await WebAssembly.compileStreaming(fetch('/optwasm/optwasm.wasm'));
        const t1 = performance.now();
        const w = new Worker('/optwasm/worker.js', { type: 'module' });
        await new Promise((ok) => { w.onmessage = ok; w.postMessage({ type: 'init', module }); });
        const t2 = performance.now();
        w.terminate();
        return [t1 - t0, t2 - t1];
      });
      compile.push(c);
      start.push(s);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const init = median(times);
  const inst = median(start);
  table('bundle', ['figure', 'value'], [
    ['optwasm.wasm raw', `${(bytes.length / 1e6).toFixed(2)} MB`],
    ['optwasm.wasm gzip -9', verdict(gz / 1e6, '<= 1.0 MB', gz <= 1e6) + ' MB'],
    ['fetch + compile in Chromium (median of 5 fresh pages)', `${median(compile).toFixed(0)} ms`],
    ['worker start + instantiate + Go runtime start', verdict(inst, '<= 100 ms', inst <= 100) + ' ms'],
    ['whole first init() (all of the above)', `${init.toFixed(0)} ms`],
  ]);

  // The projection itself: wasm vs native on the same input.
  const rows = [];
  for (const [n, k] of [[1e6, 10], [1e6, 1e4], [1e5, 1e5]]) {
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.001 * (i % 7));
    const w = await wasm('sparseSimplexProjection', { v, k });
    const g = native('sparseSimplexProjection', { v, k });
    rows.push([n, k, w.ms, w.wallMs, g.ms, verdict(w.ms / g.ms, '<= 1.6x', w.ms / g.ms <= 1.6)]);
  }
  table('sparseSimplexProjection: wasm (Node) vs native Go', ['n', 'k', 'wasm solve ms', 'wasm wall ms', 'native ms', 'wasm/native'], rows);
}
