import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import optwasm, { rejects } from './optwasm.mjs';

const { halpern } = optwasm;
const golden = JSON.parse(readFileSync(new URL('../golden/halpern.json', import.meta.url)));
const game = (name) => golden.games.find((g) => g.name === name);
const affine = (name) => golden.affine.find((a) => a.name === name);

function pbMatrix(w, th) {
  const n = w.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = w[j] * (1 - Math.exp(-th * Math.abs(i - j)));
  return a;
}

// min_i (A y)_i and max_j (A^T x)_j, computed here from A: the value lies between.
function payoffBounds(a, m, n, x, y) {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * y[j];
    lo = Math.min(lo, s);
  }
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i * n + j] * x[i];
    hi = Math.max(hi, s);
  }
  return [lo, hi];
}

function assertSimplex(x, name) {
  assert.ok(x instanceof Float64Array, `${name} is a Float64Array`);
  assert.ok(x.every((v) => v >= 0), `${name} >= 0`);
  assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-12, `sum ${name} = 1`);
}

test('policeman-burglar game: value and gap against HiGHS', async () => {
  const g = game('policeman-burglar-60');
  const A = pbMatrix(g.pbWeights, g.pbTheta);
  const r = await halpern({ problem: { type: 'matrixGame', A, rows: g.rows }, restart: true, tol: 1e-8, maxEpochs: 20000 });
  assert.equal(r.status, 'converged');
  assert.equal(r.method, 'eag');
  assertSimplex(r.x, 'x');
  assertSimplex(r.y, 'y');
  const [lo, hi] = payoffBounds(A, g.rows, g.cols, r.x, r.y);
  assert.ok(hi - lo <= 1e-6, `gap ${hi - lo}`);
  assert.ok(Math.abs(r.gap - (hi - lo)) < 1e-12);
  assert.ok(lo - 1e-9 <= g.value && g.value <= hi + 1e-9);
  assert.ok(Math.abs(r.value - g.value) < 1e-6);
  assert.equal(r.z, undefined);
  assert.equal(typeof r.elapsedMs, 'number');
});

test('games given as arrays of rows; every method, strategies match HiGHS', async () => {
  for (const name of ['rock-paper-scissors', 'pure-saddle-6x7', 'gaussian-8x3']) {
    const g = game(name);
    const rows = Array.from({ length: g.rows }, (_, i) => g.A.slice(i * g.cols, (i + 1) * g.cols));
    for (const method of ['eag', 'vr-halpern-inexact']) {
      const r = await halpern({ problem: { type: 'matrixGame', A: rows }, method, restart: true, tol: 1e-8, maxEpochs: 50000, seed: 3 });
      assert.equal(r.status, 'converged', `${name} ${method}`);
      g.x.forEach((v, i) => assert.ok(Math.abs(r.x[i] - v) < 1e-5, `${name} ${method} x[${i}]`));
      g.y.forEach((v, j) => assert.ok(Math.abs(r.y[j] - v) < 1e-5, `${name} ${method} y[${j}]`));
      assert.ok(Math.abs(r.value - g.value) < 1e-6);
    }
  }
});

test('box-constrained monotone LCPs against enumeration and cvxopt', async () => {
  for (const name of ['monotone-box-lcp-8', 'symmetric-box-lcp-30', 'orthant-lcp-7', 'unconstrained-12']) {
    const a = affine(name);
    const problem = { type: 'affine', M: a.M, q: a.q };
    if (a.lower) problem.lower = a.lower;
    if (a.upper) problem.upper = a.upper;
    const r = await halpern({ problem, restart: true, tol: 1e-9, maxEpochs: 40000 });
    assert.equal(r.status, 'converged', name);
    assert.ok(r.z instanceof Float64Array);
    a.z.forEach((v, i) => assert.ok(Math.abs(r.z[i] - v) < 1e-5 * Math.max(1, Math.abs(v)), `${name} z[${i}]`));
    assert.equal(r.gap, undefined);
  }
});

test('operator problems call the JS function and match the affine solution', async () => {
  const a = affine('monotone-box-lcp-8');
  const n = a.q.length;
  let calls = 0;
  const apply = (z) => {
    calls++;
    assert.ok(z instanceof Float64Array);
    const f = new Array(n);
    for (let i = 0; i < n; i++) {
      let s = a.q[i];
      for (let j = 0; j < n; j++) s += a.M[i * n + j] * z[j];
      f[i] = s;
    }
    return f;
  };
  const r = await halpern({ problem: { type: 'operator', dim: n, apply, lower: a.lower, upper: a.upper }, restart: true, tol: 1e-9, maxEpochs: 40000 });
  assert.equal(r.status, 'converged');
  assert.equal(r.oracleCalls, calls * n);
  a.z.forEach((v, i) => assert.ok(Math.abs(r.z[i] - v) < 1e-5, `z[${i}]`));
});

test('oracle budget, history and seeds', async () => {
  const g = game('gaussian-30x40');
  const n = g.rows + g.cols;
  for (const method of ['halpern', 'eag', 'vr-halpern', 'vr-halpern-inexact']) {
    const input = { problem: { type: 'matrixGame', A: g.A, rows: g.rows, cols: g.cols }, method, maxEpochs: 37.5, tol: 0, history: true, seed: 9 };
    const r = await halpern(input);
    assert.equal(r.status, 'max_iter');
    assert.ok(r.oracleCalls <= Math.floor(37.5 * n), method);
    assert.equal(r.epochs, r.oracleCalls / n);
    assert.ok(r.history.oracleCalls instanceof Float64Array && r.history.residual instanceof Float64Array);
    assert.equal(r.history.oracleCalls.length, r.history.residual.length);
    assert.equal(r.history.residual.at(-1), r.residual);
    const again = await halpern(input);
    assert.deepEqual([...again.x], [...r.x], `${method}: same seed, same iterates`);
  }
});

test('onProgress reports the residual and the gap', async () => {
  const g = game('gaussian-50x50');
  const seen = [];
  const r = await halpern({ problem: { type: 'matrixGame', A: g.A, rows: 50 }, maxEpochs: 200 }, { onProgress: (p) => seen.push(p) });
  assert.equal(r.status, 'max_iter');
  assert.ok(seen.length > 0);
  assert.ok(seen.every((p) => typeof p.residual === 'number' && typeof p.objective === 'number'));
});

test('bad input rejects with the right name, code and field; the next call works', async () => {
  const ok = { type: 'matrixGame', A: [[0, 1], [1, 0]] };
  const op = (f) => ({ type: 'operator', dim: 2, apply: f });
  const cases = [
    [{ problem: { type: 'matrixGame', A: [[1, 2], [3]] } }, 'TypeError', 'ERR_SHAPE', 'problem.A'],
    [{ problem: { type: 'matrixGame', A: [1, 2, 3], rows: 2 } }, 'TypeError', 'ERR_SHAPE', 'problem.A'],
    [{ problem: { type: 'matrixGame', A: [[1, NaN], [0, 1]] } }, 'RangeError', 'ERR_NOT_FINITE', 'problem.A'],
    [{ problem: { type: 'matrixGame' } }, 'TypeError', 'ERR_MISSING', 'problem.A'],
    [{ problem: { type: 'affine', M: [[1, 0, 0], [0, 1, 0]], q: [1, 1] } }, 'TypeError', 'ERR_SHAPE', 'problem.M'],
    [{ problem: { type: 'affine', M: [[1, 0], [0, -1]], q: [1, 1] } }, 'RangeError', 'ERR_DOMAIN', 'problem.M'],
    [{ problem: { type: 'affine', M: [[1, 3], [3, 1]], q: [1, 1] } }, 'RangeError', 'ERR_DOMAIN', 'problem.M'],
    [{ problem: { type: 'affine', M: [[1, 0], [0, 1]], q: [1, 1], lower: [0, 2], upper: [1, 1] } }, 'RangeError', 'ERR_DOMAIN', 'problem.lower'],
    [{ problem: { type: 'affine', M: [[1, 0], [0, 1]], q: [1, 1], A: [[1]] } }, 'TypeError', 'ERR_OPTION', 'problem.A'],
    [{ problem: { type: 'affine', M: [[1, 0], [0, 1]] } }, 'TypeError', 'ERR_MISSING', 'problem.q'],
    [{ problem: { type: 'simplex' } }, 'RangeError', 'ERR_OPTION', 'problem.type'],
    [{ problem: op(() => [1, 2, 3]) }, 'TypeError', 'ERR_CALLBACK', 'problem.apply'],
    [{ problem: op(() => [1, NaN]) }, 'RangeError', 'ERR_CALLBACK', 'problem.apply'],
    [{ problem: op(() => { throw new Error('boom'); }) }, undefined, 'ERR_CALLBACK', 'problem.apply'],
    [{ problem: op(() => 'no') }, 'TypeError', 'ERR_CALLBACK', 'problem.apply'],
    [{ problem: op((z) => z), method: 'vr-halpern' }, 'RangeError', 'ERR_OPTION', 'method'],
    [{ problem: ok, method: 'newton' }, 'RangeError', 'ERR_OPTION', 'method'],
    [{ problem: ok, maxEpochs: 0 }, 'RangeError', 'ERR_DOMAIN', 'maxEpochs'],
    [{ problem: ok, tol: -1 }, 'RangeError', 'ERR_DOMAIN', 'tol'],
    [{ problem: ok, stepSize: 0 }, 'RangeError', 'ERR_DOMAIN', 'stepSize'],
    [{ problem: ok, batchSize: 9 }, 'RangeError', 'ERR_DOMAIN', 'batchSize'],
    [{ problem: ok, restart: 'yes' }, 'TypeError', 'ERR_TYPE', 'restart'],
    [{ problem: ok, epochs: 3 }, 'TypeError', 'ERR_OPTION', 'epochs'],
    [{}, 'TypeError', 'ERR_MISSING', 'problem'],
  ];
  for (const [input, name, code, field] of cases) {
    if (name === undefined) {
      await assert.rejects(halpern(input), (e) => e.code === code && e.field === field && /boom/.test(e.message));
    } else {
      await rejects(assert, halpern(input), name, code, field);
    }
    const r = await halpern({ problem: ok, restart: true });
    assert.equal(r.status, 'converged');
    assert.ok(Math.abs(r.value - 0.5) < 1e-6);
  }
});
