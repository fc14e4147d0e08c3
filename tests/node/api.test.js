import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import optwasm, { rejects } from './optwasm.mjs';

const { sparseSimplexProjection: project, version, init } = optwasm;
const big = () => Float64Array.from({ length: 3e6 }, (_, i) => Math.sin(i));

test('version() is the package version', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url)));
  assert.equal(version(), pkg.version);
});

test('init() is optional, harmless twice, and refuses late options', async () => {
  await init();
  await init();
  await assert.rejects(init({ wasm: 'elsewhere.wasm' }), (e) => e.code === 'ERR_OPTION');
  await rejects(assert, init({ bogus: 1 }), 'TypeError', 'ERR_OPTION', 'bogus');
});

test('call options are checked', async () => {
  const input = { v: [1, 2], k: 1 };
  await rejects(assert, project(input, { nope: 1 }), 'TypeError', 'ERR_OPTION', 'nope');
  await rejects(assert, project(input, 'x'), 'TypeError', 'ERR_TYPE', 'options');
  await rejects(assert, project(input, { signal: {} }), 'TypeError', 'ERR_TYPE', 'signal');
  await rejects(assert, project(input, { onProgress: 3 }), 'TypeError', 'ERR_TYPE', 'onProgress');
  await rejects(assert, project(input, { timeLimitMs: -1 }), 'RangeError', 'ERR_DOMAIN', 'timeLimitMs');
  await rejects(assert, project(input, { timeLimitMs: '5' }), 'TypeError', 'ERR_TYPE', 'timeLimitMs');
  const r = await project(input, { timeLimitMs: 1000, onProgress: () => {}, signal: new AbortController().signal });
  assert.deepEqual([...r.support], [1]);
});

test('an already aborted signal rejects at once with AbortError', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(project({ v: [1], k: 1 }, { signal: ac.signal }), { name: 'AbortError' });
});

test('aborting a running call terminates it, and the next call works', async () => {
  const ac = new AbortController();
  const running = project({ v: big(), k: 2e6 }, { signal: ac.signal });
  const queued = project({ v: [1, 5], k: 1 }); // waits behind the aborted call
  setTimeout(() => ac.abort(new Error('user gave up')), 20);
  await assert.rejects(running, (e) => e.name === 'AbortError' && e.cause?.message === 'user gave up');
  assert.deepEqual([...(await queued).x], [0, 1]);
  assert.deepEqual([...(await project({ v: [3, 1], k: 1 })).x], [1, 0]);
});

test('aborting a queued call removes it without disturbing the running one', async () => {
  const ac = new AbortController();
  const running = project({ v: big(), k: 10 });
  const queued = project({ v: [1, 2], k: 1 }, { signal: ac.signal });
  ac.abort();
  await assert.rejects(queued, { name: 'AbortError' });
  assert.equal((await running).support.length, 10);
});

test('concurrent calls all resolve, each with its own result', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    project({ v: Float64Array.from({ length: 20 }, (_, j) => (j === i ? 1 : 0)), k: 1 })));
  results.forEach((r, i) => assert.deepEqual([...r.support], [i]));
});

test('the input is not modified and results are fresh typed arrays', async () => {
  const v = [3, 1, 2];
  const r = await project({ v, k: 2 });
  assert.deepEqual(v, [3, 1, 2]);
  assert.equal(r.x.buffer.byteLength, 3 * 8);
});

test('onProgress arrives at a bounded rate, in order, from the worker', async () => {
  // A sparse OT solve long enough to report many times.
  const n = 300;
  const cost = Float64Array.from({ length: n * n }, (_, i) => Math.abs(Math.sin(i * 0.7919)));
  const a = new Float64Array(n).fill(1 / n);
  const seen = [];
  const t0 = performance.now();
  const r = await optwasm.sparseOT({ a, b: a, cost, k: 2, gamma: 0.01, maxIter: 400, tol: 0 },
    { onProgress: (p) => seen.push({ ...p, at: performance.now() }) });
  const wall = performance.now() - t0;
  assert.ok(seen.length >= 1, 'at least the first report');
  // The bridge sends at most one report per 50 ms (the first always).
  assert.ok(seen.length <= wall / 50 + 2, `${seen.length} reports in ${wall} ms`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].iteration > seen[i - 1].iteration);
  for (const p of seen) {
    assert.ok(Number.isInteger(p.iteration));
    assert.equal(typeof p.objective, 'number');
  }
  assert.ok(seen.at(-1).iteration <= r.iterations);
});
