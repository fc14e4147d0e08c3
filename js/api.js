// The platform-independent JS API: lazy initialisation, option checking,
// input preparation, dispatch to a worker (or to this thread for calls that
// carry JS callbacks), AbortSignal handling and error reconstruction.
// browser.js and node.js supply the platform: how to compile the .wasm, how
// to start a worker, how to load Go's runtime on this thread.
import { startGo } from './engine.js';

/** The package version (kept equal to package.json by a test). */
export const VERSION = '0.1.0';

/** Every function the wasm module exports, under its JS name. */
export const FUNCTIONS = ['sparseSimplexProjection', 'sparseOT', 'fewShot', 'cluster', 'halpern', 'convexReLU', 'predictReLU'];

function fail(Ctor, code, field, message) {
  const e = new Ctor(`${field}: ${message}`);
  e.code = code;
  e.field = field;
  return e;
}

function checkKeys(obj, allowed, what) {
  if (obj === undefined || obj === null) return {};
  if (typeof obj !== 'object' || Array.isArray(obj)) throw fail(TypeError, 'ERR_TYPE', what, 'must be an object');
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw fail(TypeError, 'ERR_OPTION', k, `is not a known field of ${what} (known: ${allowed.join(', ')})`);
  }
  return obj;
}

function checkCallOptions(options) {
  const o = checkKeys(options, ['signal', 'onProgress', 'timeLimitMs'], 'options');
  if (o.signal != null && (typeof o.signal.aborted !== 'boolean' || typeof o.signal.addEventListener !== 'function')) {
    throw fail(TypeError, 'ERR_TYPE', 'signal', 'must be an AbortSignal');
  }
  if (o.onProgress != null && typeof o.onProgress !== 'function') throw fail(TypeError, 'ERR_TYPE', 'onProgress', 'must be a function');
  if (o.timeLimitMs != null) {
    if (typeof o.timeLimitMs !== 'number') throw fail(TypeError, 'ERR_TYPE', 'timeLimitMs', 'must be a number');
    if (!(o.timeLimitMs >= 0) || o.timeLimitMs === Infinity) throw fail(RangeError, 'ERR_DOMAIN', 'timeLimitMs', `must be a finite number >= 0, got ${o.timeLimitMs}`);
  }
  return o;
}

function abortError(signal) {
  const e = new DOMException('The operation was aborted', 'AbortError');
  if (signal.reason !== undefined) Object.defineProperty(e, 'cause', { value: signal.reason });
  return e;
}

function isPlainObject(x) {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

// Copy the input, turning number[] into Float64Array so that Go reads each
// array with one bulk copy (and the worker receives it with one memcpy).
// Notes whether the input holds a function: those cannot cross to a worker.
function prepare(x, ctx) {
  if (typeof x === 'function') {
    ctx.hasFunction = true;
    return x;
  }
  if (Array.isArray(x)) {
    if (x.length > 0 && x.every((e) => typeof e === 'number')) return Float64Array.from(x);
    return x.map((e) => prepare(e, ctx));
  }
  if (x !== null && typeof x === 'object' && isPlainObject(x)) {
    const out = {};
    for (const [k, v] of Object.entries(x)) out[k] = prepare(v, ctx);
    return out;
  }
  return x;
}

function rebuildError(s) {
  const Ctor = { TypeError, RangeError }[s.name] || Error;
  const e = new Ctor(s.message);
  if (!(s.name in { TypeError: 1, RangeError: 1, Error: 1 })) e.name = s.name;
  if (s.code !== undefined) e.code = s.code;
  if (s.field !== undefined) e.field = s.field;
  return e;
}

/** Reject a wasm file that is not one, saying what came back instead. */
export function compileBytes(bytes, where) {
  const u8 = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  if (u8.length < 4 || u8[0] !== 0 || u8[1] !== 0x61 || u8[2] !== 0x73 || u8[3] !== 0x6d) {
    const head = new TextDecoder().decode(u8.subarray(0, 16)).replace(/\s+/g, ' ');
    const hint = head.trimStart().startsWith('<') ? ' (an HTML page came back: the server does not serve the .wasm at that URL; pass its location with init({ wasm }))' : '';
    const e = new Error(`optwasm: ${where} is not a WebAssembly module: it starts with "${head}"${hint}`);
    e.code = 'ERR_WASM_LOAD';
    throw e;
  }
  return WebAssembly.compile(u8);
}

// Runs calls one at a time in a worker owned by the package. Aborting the
// running call terminates the worker (a Go computation never yields) and the
// next call starts a fresh one from the already compiled module.
class WorkerRunner {
  constructor(platform, getModule, workerURL) {
    Object.assign(this, { platform, getModule, workerURL, queue: [], current: null, worker: null, ready: null, lastId: 0 });
  }

  run(name, input, opts) {
    return new Promise((resolve, reject) => {
      const job = { id: ++this.lastId, name, input, opts, resolve, reject };
      const { signal } = opts;
      if (signal) {
        job.onAbort = () => this.abort(job, abortError(signal));
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  start() {
    const w = this.platform.createWorker(this.workerURL);
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      w.onmessage = ({ data: msg }) => {
        if (w !== this.worker) return;
        if (msg.type === 'ready') return resolve();
        if (msg.id === undefined && msg.type === 'error') return reject(rebuildError(msg.error));
        this.handle(msg);
      };
      w.onerror = (ev) => {
        const e = new Error(`optwasm: the worker failed: ${ev?.message ?? ev}`);
        e.code = 'ERR_WORKER';
        this.kill();
        reject(e);
        if (this.current) this.finish(this.current, e);
      };
    });
    this.ready.catch(() => {});
    this.getModule().then((module) => w.postMessage({ type: 'init', module }), (e) => {
      this.kill();
      if (this.current) this.finish(this.current, e);
    });
  }

  kill() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }

  async pump() {
    if (this.current) return;
    if (this.queue.length === 0) {
      this.worker?.unref?.(); // an idle worker must not keep Node alive
      return;
    }
    const job = (this.current = this.queue.shift());
    if (!this.worker) this.start();
    this.worker.ref?.();
    try {
      await this.ready;
    } catch (e) {
      return this.finish(job, e);
    }
    if (this.current !== job) return;
    const { timeLimitMs, onProgress } = job.opts;
    this.worker.postMessage({ type: 'call', id: job.id, name: job.name, input: job.input, timeLimitMs, progress: !!onProgress });
  }

  handle(msg) {
    const job = this.current;
    if (!job || (msg.id !== undefined && msg.id !== job.id)) return;
    switch (msg.type) {
      case 'progress':
        try { job.opts.onProgress(msg.progress); } catch (e) { console.error('optwasm: onProgress threw', e); }
        break;
      case 'result':
        this.finish(job, null, msg.value);
        break;
      case 'error':
        this.finish(job, rebuildError(msg.error));
        break;
      case 'exited': // the Go runtime stopped: start afresh next time
        this.kill();
        break;
    }
  }

  finish(job, err, value) {
    if (job.opts.signal) job.opts.signal.removeEventListener('abort', job.onAbort);
    if (this.current === job) this.current = null;
    if (err) job.reject(err);
    else job.resolve(value);
    this.pump();
  }

  abort(job, err) {
    if (this.current === job) this.kill();
    else this.queue = this.queue.filter((j) => j !== job);
    this.finish(job, err);
  }
}

/** Build the public API over a platform (see browser.js and node.js). */
export function createAPI(platform) {
  const settings = { wasm: undefined, workerURL: undefined, worker: true };
  let modulePromise = null;
  let runner = null;
  let local = null;

  function getModule() {
    if (!modulePromise) {
      modulePromise = platform.compile(settings.wasm ?? platform.defaultWasm());
      modulePromise.catch(() => { modulePromise = null; }); // a failed load can be retried
    }
    return modulePromise;
  }

  function getRunner() {
    if (!runner) runner = new WorkerRunner(platform, getModule, settings.workerURL);
    return runner;
  }

  // Go on this thread, for calls whose input holds JS functions (or worker: false).
  async function getLocal() {
    if (!local || (await local.catch(() => null))?.exited()) {
      local = (async () => {
        await platform.loadGoRuntime();
        return startGo(await getModule());
      })();
      local.catch(() => { local = null; });
    }
    return local;
  }

  async function init(options) {
    const o = checkKeys(options, ['wasm', 'workerURL', 'worker'], 'init options');
    if (Object.keys(o).length > 0) {
      // Options can change until a module has loaded (or while one loads).
      if (modulePromise) throw fail(Error, 'ERR_OPTION', 'init', 'options must be given before the module is loaded (before the first call or init())');
      if (o.worker !== undefined && typeof o.worker !== 'boolean') throw fail(TypeError, 'ERR_TYPE', 'worker', 'must be a boolean');
      Object.assign(settings, o);
      runner?.kill();
      runner = null;
    }
    // The worker's scripts load while the module compiles; a first tiny call
    // returns once Go is running there.
    if (settings.worker) await getRunner().run('sparseSimplexProjection', { v: new Float64Array([1]), k: 1 }, {});
    else await getLocal();
  }

  async function call(name, input, options) {
    const opts = checkCallOptions(options);
    if (opts.signal?.aborted) throw abortError(opts.signal);
    const ctx = { hasFunction: false };
    const prepared = prepare(input, ctx);
    if (ctx.hasFunction || !settings.worker) {
      const go = await getLocal();
      if (opts.signal?.aborted) throw abortError(opts.signal);
      return go.call(name, prepared, { timeLimitMs: opts.timeLimitMs, onProgress: opts.onProgress });
    }
    return getRunner().run(name, prepared, opts);
  }

  const api = { init, version: () => VERSION };
  for (const name of FUNCTIONS) api[name] = (input, options) => call(name, input, options);
  // predictReLU(model, X, options?) takes two positional arguments.
  api.predictReLU = (model, X, options) => call('predictReLU', { model, X }, options);
  return api;
}
