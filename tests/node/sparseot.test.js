import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import optwasm, { rejects } from './optwasm.mjs';

const { sparseOT } = optwasm;
const golden = JSON.parse(readFileSync(new URL('../golden/sparseot.json', import.meta.url), 'utf8'));
const uniform = (n, total = 1) => new Float64Array(n).fill(total / n);

// Recompute the reported figures from the returned plan and check the
// structure: grouped by the constrained axis, at most k per group.
function check(r, { a, b, cost, k, sparsity = 'column', method = 'semidual' }) {
  const { n, m, rows, cols, values } = r.plan;
  assert.ok(rows instanceof Int32Array && cols instanceof Int32Array && values instanceof Float64Array);
  const rs = new Float64Array(n), cs = new Float64Array(m), count = new Map();
  let tc = 0;
  for (let e = 0; e < values.length; e++) {
    assert.ok(values[e] > 0);
    rs[rows[e]] += values[e];
    cs[cols[e]] += values[e];
    tc += values[e] * cost[rows[e] * m + cols[e]];
    const g = sparsity === 'row' ? rows[e] : cols[e];
    count.set(g, (count.get(g) ?? 0) + 1);
    if (e > 0) {
      const pg = sparsity === 'row' ? rows[e - 1] : cols[e - 1];
      assert.ok(pg <= g, 'grouped by the constrained axis');
    }
  }
  const maxNZ = Math.max(...count.values());
  assert.equal(r.maxNonzeros, maxNZ);
  assert.ok(maxNZ <= k);
  const l1 = (x, y) => x.reduce((s, v, i) => s + Math.abs(v - y[i]), 0);
  const total = a.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(r.transportCost - tc) <= 1e-12 * Math.abs(tc));
  assert.ok(Math.abs(r.marginalError.source - l1(rs, a)) <= 1e-12 * total);
  assert.ok(Math.abs(r.marginalError.target - l1(cs, b)) <= 1e-12 * total);
  if (method === 'semidual') {
    const constrained = sparsity === 'row' ? r.marginalError.source : r.marginalError.target;
    assert.ok(constrained <= 1e-12 * total, `constrained marginal ${constrained}`);
  }
  assert.equal(r.dual.alpha.length, n);
  assert.equal(r.dual.beta.length, m);
}

test('reference run: k = 1 gives the EMD cost, k >= 4 quadratic OT (POT)', async () => {
  const ref = golden.reference;
  const a = uniform(ref.n);
  const input = { a, b: a, cost: Float64Array.from(ref.cost), n: 50, m: 50, k: 1, gamma: ref.gamma };
  const r1 = await sparseOT(input);
  check(r1, { ...input, b: a });
  assert.ok(Math.abs(r1.transportCost - ref.emd) < 1e-9, `${r1.transportCost} vs ${ref.emd}`);
  assert.equal(r1.plan.values.length, 50);
  assert.equal(r1.status, 'converged');
  assert.equal(typeof r1.elapsedMs, 'number');
  for (const method of ['semidual', 'dual']) {
    const r = await sparseOT({ ...input, k: 4, method });
    check(r, { ...input, k: 4, method });
    assert.ok(Math.abs(r.transportCost - ref.quadCost) < 1e-6); // POT's own accuracy
    assert.equal(r.plan.values.length, ref.quadNonzeros);
  }
});

test('k >= n equals quadratically regularised OT (POT, polished), square and not, row or column', async () => {
  for (const q of golden.quadratic.slice(3, 9)) {
    const total = q.a.reduce((s, v) => s + v, 0);
    for (const sparsity of ['column', 'row']) {
      const k = sparsity === 'row' ? q.m : q.n;
      const r = await sparseOT({ a: q.a, b: q.b, cost: q.cost, n: q.n, k, gamma: q.gamma, sparsity, tol: 1e-11, maxIter: 5000 });
      check(r, { ...q, k, sparsity });
      const dense = new Float64Array(q.n * q.m);
      r.plan.values.forEach((v, e) => { dense[r.plan.rows[e] * q.m + r.plan.cols[e]] = v; });
      const diff = Math.max(...q.plan.map((v, i) => Math.abs(v - dense[i])));
      assert.ok(diff < 1e-8 * total, `${q.n}x${q.m} gamma ${q.gamma} ${sparsity}: ${diff}`);
    }
  }
});

test('accepts an array of rows; history, progress and repair', async () => {
  const rows = [[0, 1, 4], [1, 0, 1], [4, 1, 0], [2, 2, 2]];
  const a = [1, 1, 1, 1], b = [2, 1, 1];
  const seen = [];
  const r = await sparseOT({ a, b, cost: rows, k: 2, gamma: 0.5, history: true, repair: true },
    { onProgress: (p) => seen.push(p) });
  check(r, { a, b, cost: rows.flat(), k: 2 });
  assert.equal(typeof r.repaired, 'boolean');
  assert.ok(r.history.objective instanceof Float64Array);
  assert.equal(r.history.objective.length, r.iterations + 1);
  assert.ok(seen.length >= 1 && typeof seen[0].iteration === 'number');
  const noRepair = await sparseOT({ a, b, cost: rows, k: 2, gamma: 0.5 });
  assert.equal(noRepair.repaired, undefined);
  assert.equal(noRepair.history, undefined);
});

test('warm start from returned potentials converges at once', async () => {
  const q = golden.quadratic[4];
  const input = { a: q.a, b: q.b, cost: q.cost, n: q.n, k: q.n, gamma: q.gamma, method: 'dual' };
  const cold = await sparseOT(input);
  const warm = await sparseOT({ ...input, alpha0: cold.dual.alpha, beta0: cold.dual.beta });
  assert.ok(warm.iterations <= 2, `${warm.iterations} iterations`);
});

test('a time limit stops a large solve', async () => {
  const n = 400;
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = ((i * 7919 + j * 104729) % 1000) / 1000;
  const r = await sparseOT({ a: uniform(n), b: uniform(n), cost, k: 2, gamma: 0.01, maxIter: 100000, tol: 0 }, { timeLimitMs: 50 });
  assert.equal(r.status, 'time_limit');
});

test('bad input rejects with the right name, code and field; the next call works', async () => {
  const ok = () => ({ a: [0.5, 0.5], b: [0.25, 0.75], cost: [1, 2, 3, 4], n: 2, k: 1, gamma: 1 });
  const cases = [
    [{ n: 3 }, 'TypeError', 'ERR_SHAPE', 'a'],
    [{ cost: [1, 2, 3] }, 'TypeError', 'ERR_SHAPE', 'cost'],
    [{ cost: [[1, 2], [3]] }, 'TypeError', 'ERR_SHAPE', 'cost'],
    [{ b: [0.25, 0.25, 0.5] }, 'TypeError', 'ERR_SHAPE', 'cost'],
    [{ cost: [1, NaN, 3, 4] }, 'RangeError', 'ERR_NOT_FINITE', 'cost'],
    [{ cost: [1, Infinity, 3, 4] }, 'RangeError', 'ERR_NOT_FINITE', 'cost'],
    [{ a: [0.5, NaN] }, 'RangeError', 'ERR_NOT_FINITE', 'a'],
    [{ a: [0, 1] }, 'RangeError', 'ERR_DOMAIN', 'a'],
    [{ b: [-0.25, 1.25] }, 'RangeError', 'ERR_DOMAIN', 'b'],
    [{ b: [0.5, 0.75] }, 'RangeError', 'ERR_DOMAIN', 'b'],
    [{ k: 0 }, 'RangeError', 'ERR_DOMAIN', 'k'],
    [{ k: 1.5 }, 'RangeError', 'ERR_DOMAIN', 'k'],
    [{ gamma: 0 }, 'RangeError', 'ERR_DOMAIN', 'gamma'],
    [{ gamma: -1 }, 'RangeError', 'ERR_DOMAIN', 'gamma'],
    [{ method: 'primal' }, 'RangeError', 'ERR_OPTION', 'method'],
    [{ sparsity: 'diagonal' }, 'RangeError', 'ERR_OPTION', 'sparsity'],
    [{ maxIter: -1 }, 'RangeError', 'ERR_DOMAIN', 'maxIter'],
    [{ tol: -1 }, 'RangeError', 'ERR_DOMAIN', 'tol'],
    [{ alpha0: [1] }, 'TypeError', 'ERR_SHAPE', 'alpha0'],
    [{ beta0: [0, NaN] }, 'RangeError', 'ERR_NOT_FINITE', 'beta0'],
    [{ colour: 'red' }, 'TypeError', 'ERR_OPTION'],
  ];
  for (const [edit, name, code, field] of cases) {
    await rejects(assert, sparseOT({ ...ok(), ...edit }), name, code, field);
  }
  for (const missing of ['a', 'b', 'cost', 'k', 'gamma']) {
    const input = ok();
    delete input[missing];
    await rejects(assert, sparseOT(input), 'TypeError', 'ERR_MISSING', missing);
  }
  const r = await sparseOT(ok());
  assert.equal(r.plan.values.length, 2);
  assert.equal(r.status, 'converged');
});
