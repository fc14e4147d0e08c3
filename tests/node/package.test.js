// The packed tarball as a user gets it: installed into a scratch project
// (tests/run.sh), imported by its bare name, with no build step.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

const consumer = process.env.OPTWASM_CONSUMER;
const skip = consumer ? false : 'set by tests/run.sh (npm test)';

test('the tarball holds the built package and nothing else', { skip }, async () => {
  const dist = join(consumer, 'node_modules/optwasm/dist');
  const files = (await readdir(dist)).sort();
  for (const f of ['optwasm.wasm', 'wasm_exec.js', 'node.js', 'browser.js', 'worker.js', 'node-worker.js', 'api.js', 'engine.js', 'index.d.ts']) {
    assert.ok(files.includes(f), `${f} in ${files}`);
  }
  const top = (await readdir(join(consumer, 'node_modules/optwasm'))).sort();
  assert.deepEqual(top.filter((f) => !['LICENSE', 'README.md', 'package.json', 'dist'].includes(f)), []);
});

test('exports resolve: the API by name, the .wasm as a subpath, types declared', { skip }, async () => {
  const req = createRequire(join(consumer, 'index.mjs'));
  const pkg = JSON.parse(await readFile(join(consumer, 'node_modules/optwasm/package.json')));
  assert.equal(pkg.exports['.'].types, './dist/index.d.ts');
  const wasmPath = req.resolve('optwasm/optwasm.wasm');
  const bytes = await readFile(wasmPath);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  // A fresh process that imports the package by name and solves.
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import { sparseSimplexProjection } from 'optwasm'; const r = await sparseSimplexProjection({ v: [1, 4, 2], k: 1 }); console.log(JSON.stringify([...r.x]));"],
  { cwd: consumer, encoding: 'utf8', timeout: 60000 });
  assert.equal(out.trim(), '[0,1,0]');
});

test('init() takes the wasm as bytes, as a WebAssembly.Module, or as a path', { skip }, async () => {
  const wasmURL = pathToFileURL(join(consumer, 'node_modules/optwasm/dist/optwasm.wasm')).href;
  const script = (arg) => `import { init, sparseSimplexProjection as p } from 'optwasm';
    import { readFile } from 'node:fs/promises';
    const bytes = await readFile(new URL(${JSON.stringify(wasmURL)}));
    await init({ wasm: ${arg} });
    console.log((await p({ v: [1, 2], k: 1 })).support[0]);`;
  for (const arg of ['bytes', 'await WebAssembly.compile(bytes)', JSON.stringify(wasmURL), 'new URL(' + JSON.stringify(wasmURL) + ')']) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(arg)], { cwd: consumer, encoding: 'utf8', timeout: 60000 });
    assert.equal(out.trim(), '1', arg);
  }
});

test('a wrong wasm location fails clearly, and init can be retried', { skip }, async () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { init, sparseSimplexProjection as p } from 'optwasm';
    const msgs = [];
    try { await init({ wasm: new TextEncoder().encode('<!DOCTYPE html><html>') }); } catch (e) { msgs.push(e.code + ' ' + /HTML page/.test(e.message)); }
    try { await p({ v: [1], k: 1 }); } catch (e) { msgs.push('call ' + e.code); }
    await init({ wasm: new URL('./optwasm.wasm', import.meta.resolve('optwasm')) });
    msgs.push('retry ' + (await p({ v: [1, 2], k: 1 })).support[0]);
    console.log(msgs.join(';'));`], { cwd: consumer, encoding: 'utf8', timeout: 60000 });
  assert.equal(out.trim(), 'ERR_WASM_LOAD true;call ERR_WASM_LOAD;retry 1');
  const out2 = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { init, sparseSimplexProjection as p } from 'optwasm';
    try { await init({ wasm: '/nonexistent/optwasm.wasm' }); } catch (e) { console.log(e.code); }`],
  { cwd: consumer, encoding: 'utf8', timeout: 60000 });
  assert.equal(out2.trim(), 'ERR_WASM_LOAD');
});
