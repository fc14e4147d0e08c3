// Browser entry: solves run in a module Web Worker owned by the package.
import { createAPI, compileBytes } from './api.js';

async function compile(src) {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) return compileBytes(src, 'the given bytes');
  const url = String(src);
  const resp = await fetch(url);
  if (!resp.ok) {
    const e = new Error(`optwasm: fetching ${url} failed with HTTP ${resp.status}; pass the .wasm location with init({ wasm })`);
    e.code = 'ERR_WASM_LOAD';
    throw e;
  }
  // Streaming compilation needs the application/wasm MIME type.
  if (resp.headers.get('content-type')?.startsWith('application/wasm') && WebAssembly.compileStreaming) {
    try {
      return await WebAssembly.compileStreaming(resp.clone());
    } catch { /* fall back to bytes, which gives the better error */ }
  }
  return compileBytes(await resp.arrayBuffer(), url);
}

const api = createAPI({
  // Literal `new URL(..., import.meta.url)` forms: bundlers rewrite only these.
  defaultWasm: () => new URL('./optwasm.wasm', import.meta.url),
  createWorker: (url) => (url
    ? new Worker(url, { type: 'module' })
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })),
  // Only for calls with JS callbacks. wasm_exec.js defines globalThis.Go and,
  // where absent, stubs for fs/process/path, which Go's runtime keeps using.
  loadGoRuntime: () => import('./wasm_exec.js'),
  compile,
});

export const { init, version, sparseSimplexProjection, sparseOT, fewShot, cluster, halpern, convexReLU, predictReLU } = api;
