import test from 'node:test';
import assert from 'node:assert/strict';
import optwasm, { rejects } from './optwasm.mjs';

const { sparseSimplexProjection } = optwasm;

// Reference: the k largest entries, projected onto the simplex by sorting.
function reference(v, k, z) {
  const top = [...v.keys()].sort((i, j) => v[j] - v[i] || i - j).slice(0, k);
  let sum = 0, theta = 0;
  top.forEach((i, r) => {
    sum += v[i];
    if (v[i] - (sum - z) / (r + 1) > 0) theta = (sum - z) / (r + 1);
  });
  const x = new Float64Array(v.length);
  for (const i of top) x[i] = Math.max(v[i] - theta, 0);
  return x;
}

test('projects onto the k-sparse simplex', async () => {
  const r = await sparseSimplexProjection({ v: [0.5, 2, -1, 1.8], k: 2 });
  assert.ok(r.x instanceof Float64Array);
  assert.ok(r.support instanceof Int32Array);
  assert.deepEqual([...r.support], [1, 3]);
  assert.ok(Math.abs(r.x[1] - 0.6) < 1e-12 && Math.abs(r.x[3] - 0.4) < 1e-12);
  assert.equal(typeof r.elapsedMs, 'number');
});

test('matches a sort-based reference on random vectors, any z', async () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + (trial % 23);
    const v = Float64Array.from({ length: n }, rand);
    const k = 1 + (trial % n);
    const z = [1, 0.5, 3][trial % 3];
    const { x, support } = await sparseSimplexProjection({ v, k, z });
    const ref = reference(v, k, z);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - ref[i]) < 1e-12, `trial ${trial} entry ${i}`);
    assert.ok(support.length <= k);
    assert.ok(Math.abs(x.reduce((s, t) => s + t, 0) - z) < 1e-12);
  }
});

test('accepts number[] and typed arrays of other element types', async () => {
  const a = await sparseSimplexProjection({ v: new Float32Array([1, 3, 2]), k: 1, z: 2 });
  assert.deepEqual([...a.x], [0, 2, 0]);
  const b = await sparseSimplexProjection({ v: new Int32Array([1, 3, 2]), k: 3, z: 3 });
  assert.deepEqual([...b.x], [0, 2, 1]);
});

test('bad input rejects with the right name and code, and the next call works', async () => {
  const cases = [
    [{ v: [1, NaN], k: 1 }, 'RangeError', 'ERR_NOT_FINITE', 'v'],
    [{ v: [1, Infinity], k: 1 }, 'RangeError', 'ERR_NOT_FINITE', 'v'],
    [{ v: [1, 2], k: 0 }, 'RangeError', 'ERR_DOMAIN', 'k'],
    [{ v: [1, 2], k: 1.5 }, 'RangeError', 'ERR_DOMAIN', 'k'],
    [{ v: [1, 2], k: 1, z: 0 }, 'RangeError', 'ERR_DOMAIN', 'z'],
    [{ v: [1, 2], k: 1, z: -1 }, 'RangeError', 'ERR_DOMAIN', 'z'],
    [{ v: [], k: 1 }, 'TypeError', 'ERR_SHAPE', 'v'],
    [{ v: 'abc', k: 1 }, 'TypeError', 'ERR_TYPE', 'v'],
    [{ v: [1, '2'], k: 1 }, 'TypeError', 'ERR_TYPE', 'v'],
    [{ v: [1, 2], k: '1' }, 'TypeError', 'ERR_TYPE', 'k'],
    [{ k: 1 }, 'TypeError', 'ERR_MISSING', 'v'],
    [{ v: [1], k: 1, zz: 1 }, 'TypeError', 'ERR_OPTION', 'zz'],
    ['a string', 'TypeError', 'ERR_TYPE', 'input'],
    [null, 'TypeError', 'ERR_TYPE', 'input'],
    [undefined, 'TypeError', 'ERR_TYPE', 'input'],
  ];
  for (const [input, name, code, field] of cases) {
    await rejects(assert, sparseSimplexProjection(input), name, code, field);
    const ok = await sparseSimplexProjection({ v: [2, 1], k: 1 });
    assert.deepEqual([...ok.x], [1, 0]);
  }
});
