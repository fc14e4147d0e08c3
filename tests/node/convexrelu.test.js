import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import optwasm, { rejects } from './optwasm.mjs';

const { convexReLU, predictReLU } = optwasm;
const golden = JSON.parse(readFileSync(new URL('../golden/convexrelu.json', import.meta.url), 'utf8'));
const byName = (name) => golden.cases.find((c) => c.name === name);
const rows = (flat, w) => Array.from({ length: flat.length / w }, (_, i) => Array.from(flat.slice(i * w, (i + 1) * w)));
const rel = (a, b) => Math.abs(a - b) / Math.abs(b);

function input(c, extra = {}) {
  const w = c.gates.length / c.numPatterns;
  const inp = { X: rows(c.X, c.d), y: c.y, beta: c.beta, gates: rows(c.gates, w), bias: c.bias, ...extra };
  if (c.formulation === 'adversarial') inp.adversarial = { epsilon: c.epsilon, norm: 'linf' };
  else inp.formulation = c.formulation;
  return inp;
}

// sum_i D_i X (v_i - w_i): the convex model's outputs on the training set
function convexOutputs(c, r) {
  const w = r.v.length / r.numPatterns, out = new Float64Array(c.n);
  for (let i = 0; i < r.numPatterns; i++) {
    for (let k = 0; k < c.n; k++) {
      if (!r.patterns[i * c.n + k]) continue;
      for (let j = 0; j < w; j++) {
        const x = j < c.d ? c.X[k * c.d + j] : 1;
        out[k] += x * (r.v[i * w + j] - r.w[i * w + j]);
      }
    }
  }
  return out;
}

test('objectives match cvxopt; the recovered network reproduces the convex model', async () => {
  for (const name of ['regression-exact', 'regression-approximate', 'moons-exact', 'moons-approximate']) {
    const c = byName(name);
    const r = await convexReLU(input(c, { maxIter: 20000, tol: 1e-6 }));
    assert.equal(r.status, 'converged', name);
    assert.ok(rel(r.objective, c.objective) < 1e-4, `${name}: ${r.objective} vs cvxopt ${c.objective}`);
    assert.ok(r.lowerBound <= c.objective * (1 + 1e-7) && rel(r.lowerBound, c.objective) < 1e-4, `${name} bound ${r.lowerBound}`);
    assert.deepEqual(Array.from(r.keptGates), c.keptGates);
    assert.ok(r.model.weights instanceof Float64Array && r.model.outputWeights instanceof Float64Array);
    assert.ok(r.patterns instanceof Float64Array && r.keptGates instanceof Int32Array);
    assert.equal(r.model.weights.length, r.model.hidden * c.d);
    assert.equal(r.model.bias?.length, c.bias ? r.model.hidden : undefined);
    assert.equal(typeof r.elapsedMs, 'number');
    if (c.formulation === 'exact') {
      const pred = await predictReLU(r.model, rows(c.X, c.d));
      assert.ok(pred instanceof Float64Array && pred.length === c.n);
      const conv = convexOutputs(c, r);
      for (let k = 0; k < c.n; k++) {
        assert.ok(Math.abs(pred[k] - conv[k]) <= r.model.hidden * r.constraintViolation + 1e-12, `${name} sample ${k}`);
      }
      assert.ok(rel(r.networkObjective, r.objective) < 1e-5);
    }
  }
});

test('adversarial training matches cvxopt (l-infinity ball)', async () => {
  const c = byName('regression-adversarial');
  const r = await convexReLU(input(c, { maxIter: 20000, tol: 1e-8 }));
  assert.ok(rel(r.objective, c.objective) < 1e-4, `${r.objective} vs ${c.objective}`);
  assert.equal(r.lowerBound, undefined);
  // robust training costs more than plain training on the same patterns
  const plain = await convexReLU(input(c, { adversarial: undefined, maxIter: 5000 }));
  assert.ok(plain.objective < r.objective);
});

test('breast cancer: held-out accuracy of the trained network', async () => {
  const bc = golden.breastCancer;
  const X = [];
  const mu = new Float64Array(bc.d), sd = new Float64Array(bc.d);
  for (let k = 0; k < bc.train; k++) for (let j = 0; j < bc.d; j++) mu[j] += bc.raw[k * bc.d + j] / bc.train;
  for (let k = 0; k < bc.train; k++) for (let j = 0; j < bc.d; j++) sd[j] += (bc.raw[k * bc.d + j] - mu[j]) ** 2 / bc.train;
  for (let k = 0; k < bc.n; k++) X.push(Array.from({ length: bc.d }, (_, j) => (bc.raw[k * bc.d + j] - mu[j]) / Math.sqrt(sd[j])));
  const r = await convexReLU({ X: X.slice(0, bc.train), y: bc.y.slice(0, bc.train), beta: 1, numPatterns: 20, seed: 7, bias: true, maxIter: 500 });
  assert.ok(r.trainAccuracy > 0.95);
  assert.equal(r.woodbury, true);
  const pred = await predictReLU(r.model, X.slice(bc.train));
  let hits = 0;
  pred.forEach((p, i) => { if ((p > 0) === (bc.y[bc.train + i] > 0)) hits++; });
  assert.ok(hits / pred.length > 0.93, `held-out accuracy ${hits / pred.length}`);
});

test('progress, history, time limit and abort', async () => {
  const c = byName('moons-exact');
  const seen = [];
  const r = await convexReLU(input(c, { history: true, maxIter: 200, tol: 0 }), { onProgress: (p) => seen.push(p) });
  assert.equal(r.status, 'max_iter');
  assert.equal(r.history.objective.length, 200);
  assert.ok(r.history.primal instanceof Float64Array && r.history.dual.length === 200);
  assert.ok(seen.length >= 1 && Number.isFinite(seen[0].objective) && Number.isFinite(seen[0].residual));
  const t = await convexReLU(input(c, { maxIter: 1e9, tol: 0 }), { timeLimitMs: 50 });
  assert.equal(t.status, 'time_limit');
  const ac = new AbortController();
  const p = convexReLU(input(c, { maxIter: 1e9, tol: 0 }), { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(p, (e) => e.name === 'AbortError');
});

test('bad input rejects with the right name, code and field; the next call works', async () => {
  const ok = () => ({ X: [[1, 2], [3, 4], [5, -6]], y: [1, -1, 1], beta: 0.1, numPatterns: 4 });
  const cases = [
    [{ y: [1, -1] }, 'TypeError', 'ERR_SHAPE', 'y'],
    [{ X: [[1, 2], [3, NaN], [5, 6]] }, 'RangeError', 'ERR_NOT_FINITE', 'X'],
    [{ y: [1, Infinity, 1] }, 'RangeError', 'ERR_NOT_FINITE', 'y'],
    [{ X: [1, 2, 3, 4, 5, 6] }, 'TypeError', 'ERR_SHAPE', 'X'],
    [{ X: [[1, 2], [3]] }, 'TypeError', 'ERR_SHAPE', 'X'],
    [{ beta: -1 }, 'RangeError', 'ERR_DOMAIN', 'beta'],
    [{ numPatterns: 0 }, 'RangeError', 'ERR_DOMAIN', 'numPatterns'],
    [{ numPatterns: undefined }, 'TypeError', 'ERR_MISSING', 'numPatterns'],
    [{ numPatterns: undefined, gates: [[1, 2, 3]] }, 'TypeError', 'ERR_SHAPE', 'gates'],
    [{ numPatterns: undefined, gates: [[1, 2, 3, 4]], bias: true }, 'TypeError', 'ERR_SHAPE', 'gates'],
    [{ formulation: 'loose' }, 'RangeError', 'ERR_OPTION', 'formulation'],
    [{ loss: 'hinge' }, 'RangeError', 'ERR_OPTION', 'loss'],
    [{ adversarial: { epsilon: -1 } }, 'RangeError', 'ERR_DOMAIN', 'adversarial.epsilon'],
    [{ adversarial: { epsilon: 0.1, norm: 'l2' } }, 'RangeError', 'ERR_OPTION', 'adversarial.norm'],
    [{ rho: -1 }, 'RangeError', 'ERR_DOMAIN', 'rho'],
    [{ maxIter: 0 }, 'RangeError', 'ERR_DOMAIN', 'maxIter'],
    [{ colour: 'red' }, 'TypeError', 'ERR_OPTION', 'colour'],
  ];
  for (const [edit, name, code, field] of cases) {
    await rejects(assert, convexReLU({ ...ok(), ...edit }), name, code, field);
  }
  const model = { inputDim: 2, hidden: 1, weights: [1, -1], outputWeights: [2] };
  await rejects(assert, predictReLU(model, [[1, 2, 3]]), 'TypeError', 'ERR_SHAPE', 'X');
  await rejects(assert, predictReLU({ ...model, weights: [1] }, [[1, 2]]), 'TypeError', 'ERR_SHAPE', 'model.weights');
  await rejects(assert, predictReLU({ ...model, outputWeights: [NaN] }, [[1, 2]]), 'RangeError', 'ERR_NOT_FINITE', 'model.outputWeights');
  await rejects(assert, predictReLU({ inputDim: 2 }, [[1, 2]]), 'TypeError', 'ERR_MISSING');
  assert.deepEqual(Array.from(await predictReLU(model, [[3, 1], [1, 3]])), [4, 0]);
  const r = await convexReLU(ok());
  assert.equal(r.numPatterns, r.patterns.length / 3);
  assert.equal(r.trainAccuracy !== undefined, true);
});
