// Node entry: solves run in a worker_threads Worker owned by the package, so
// a long solve never blocks the event loop and an abort can stop it.
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { createAPI, compileBytes } from './api.js';

async function compile(src) {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) return compileBytes(src, 'the given bytes');
  const url = src instanceof URL ? src : /^(file|https?):/.test(src) ? new URL(src) : null;
  if (url && url.protocol !== 'file:') {
    // Node's fetch cannot read file: URLs, but http(s) is fine.
    const resp = await fetch(url);
    if (!resp.ok) throw Object.assign(new Error(`optwasm: fetching ${url} failed with HTTP ${resp.status}`), { code: 'ERR_WASM_LOAD' });
    return compileBytes(await resp.arrayBuffer(), String(url));
  }
  let bytes;
  try {
    bytes = await readFile(url ?? src);
  } catch (e) {
    throw Object.assign(new Error(`optwasm: cannot read the wasm module at ${url ?? src}: ${e.message}`), { code: 'ERR_WASM_LOAD' });
  }
  return compileBytes(bytes, String(url ?? src));
}

// Give the Worker the Web Worker shape the runner expects. An unref'd worker
// does not keep the process alive; the runner refs it while a call runs.
function createWorker(url) {
  // Workers inherit the parent's execArgv; `--input-type` (node -e) breaks them.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  const w = new Worker(url ?? new URL('./node-worker.js', import.meta.url), { execArgv });
  const shape = {
    postMessage: (msg) => w.postMessage(msg),
    set onmessage(fn) { w.on('message', (data) => fn({ data })); },
    set onerror(fn) {
      w.on('error', fn);
      w.on('exit', (code) => { if (!shape.terminated) fn(new Error(`worker exited with code ${code}`)); });
    },
    terminate: () => { shape.terminated = true; w.terminate(); },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
  return shape;
}

const api = createAPI({
  defaultWasm: () => new URL('./optwasm.wasm', import.meta.url),
  createWorker,
  loadGoRuntime: () => import('./wasm_exec.js'),
  compile,
});

export const { init, version, sparseSimplexProjection, sparseOT, fewShot, cluster, halpern, convexReLU, predictReLU } = api;
