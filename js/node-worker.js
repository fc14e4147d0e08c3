// Node worker_threads entry.
import { parentPort } from 'node:worker_threads';
import './wasm_exec.js';
import { serve } from './engine.js';

// Adapt the MessagePort to the Web Worker shape that serve() expects.
const port = {
  postMessage: (msg, transfer) => parentPort.postMessage(msg, transfer),
  set onmessage(fn) { parentPort.on('message', (data) => fn({ data })); },
};
serve(port);
