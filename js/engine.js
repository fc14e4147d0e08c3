// The Go side of one thread: instantiate the wasm module with Go's
// wasm_exec.js runtime (the caller must have loaded it, so `globalThis.Go`
// exists) and call its exported functions. Used inside the package's workers
// and, for calls that carry JS callbacks, on the caller's own thread.

/**
 * Start a Go instance from a compiled WebAssembly.Module.
 * Resolves to { exports, exited, call } once Go has registered its functions;
 * `exited()` tells whether the Go runtime has stopped (then start a new one).
 */
export async function startGo(module) {
  const go = new globalThis.Go();
  let exited = false;
  let onExit;
  const exit = new Promise((resolve) => { onExit = resolve; });
  const ready = new Promise((resolve, reject) => {
    globalThis.__optwasmReady = resolve;
    WebAssembly.instantiate(module, go.importObject).then((instance) => {
      go.run(instance).finally(() => { exited = true; onExit(); });
    }, reject);
  });
  const exports = await ready;
  delete globalThis.__optwasmReady;
  // A fatal Go error (out of memory, say) is not a recoverable panic: the
  // runtime exits and the call's promise would never settle. Reject instead.
  const died = exit.then(() => {
    const e = new Error('optwasm: the Go runtime exited during the call (out of memory?); the next call starts a fresh one');
    e.code = 'ERR_INTERNAL';
    throw e;
  });
  died.catch(() => {});
  const call = (name, input, opts) => Promise.race([exports[name](input, opts), died]);
  return { exports, call, exited: () => exited };
}

/** Plain-object form of an Error, for postMessage. */
export function serializeError(e) {
  if (e && typeof e === 'object') {
    return { name: e.name || 'Error', message: String(e.message), code: e.code, field: e.field };
  }
  return { name: 'Error', message: String(e) };
}

/** The ArrayBuffers behind the typed arrays in a result, to transfer them. */
export function transferables(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return [...out];
}

/**
 * Serve calls over a message port (a Web Worker's `self` or a Node
 * MessagePort): 'init' with a WebAssembly.Module, then 'call' messages, each
 * answered by 'progress' messages and one 'result' or 'error'.
 */
export function serve(port) {
  let go = null;
  port.onmessage = async ({ data: msg }) => {
    if (msg.type === 'init') {
      try {
        go = await startGo(msg.module);
        port.postMessage({ type: 'ready' });
      } catch (e) {
        port.postMessage({ type: 'error', error: serializeError(e) });
      }
      return;
    }
    const { id, name, input, timeLimitMs, progress } = msg;
    const opts = { timeLimitMs };
    if (progress) opts.onProgress = (p) => port.postMessage({ type: 'progress', id, progress: p });
    try {
      const value = await go.call(name, input, opts);
      port.postMessage({ type: 'result', id, value }, transferables(value));
    } catch (e) {
      port.postMessage({ type: 'error', id, error: serializeError(e) });
    }
    if (go.exited()) port.postMessage({ type: 'exited' });
  };
}
