// sparseOT: n = m in {100, 300, 1000, 2000}, k in {1, 2, 5, n}, gamma = 0.1
// on squared-Euclidean costs between random 2-D points scaled to max 1;
// wasm (Node) vs native Go, against the `highs` npm package solving the
// exact OT LP (n <= 500) and POT's smooth_ot_semi_dual (Debian python3) on
// the same problems; the SPEC.md targets; peak memory at n = 2000.
import loadHighs from 'highs';
import { spawnSync } from 'node:child_process';
import { table, verdict, native, wasm, rng, time, python } from './lib.mjs';

function problem(n, seed) {
  const rand = rng(seed);
  const x = Float64Array.from({ length: 2 * n }, rand);
  const y = Float64Array.from({ length: 2 * n }, rand);
  const cost = new Float64Array(n * n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dx = x[2 * i] - y[2 * j], dy = x[2 * i + 1] - y[2 * j + 1];
      cost[i * n + j] = dx * dx + dy * dy;
      max = Math.max(max, cost[i * n + j]);
    }
  }
  for (let i = 0; i < cost.length; i++) cost[i] /= max;
  const a = new Float64Array(n).fill(1 / n);
  return { a, b: a, cost, n, m: n };
}

/** The exact OT LP in CPLEX LP format: min <C, T>, T 1 = a, T^T 1 = b, T >= 0. */
function transportLP({ a, b, cost, n, m }) {
  const out = ['Minimize', ' obj: ' + Array.from(cost, (c, e) => `+ ${c} x${e}`).join(' '), 'Subject To'];
  for (let i = 0; i < n; i++) out.push(` r${i}: ${Array.from({ length: m }, (_, j) => `+ x${i * m + j}`).join(' ')} = ${a[i]}`);
  for (let j = 0; j < m; j++) out.push(` c${j}: ${Array.from({ length: n }, (_, i) => `+ x${i * m + j}`).join(' ')} = ${b[j]}`);
  out.push('End');
  return out.join('\n');
}

const POT = `
import json, sys, time
import numpy as np, ot, ot.smooth
d = json.load(sys.stdin)
n = d['n']
C = np.array(d['cost']).reshape(n, n)
a = np.ones(n) / n
t = time.perf_counter()
T = ot.smooth.smooth_ot_semi_dual(a, a, C, d['gamma'], reg_type='l2')
ms = (time.perf_counter() - t) * 1000
print(json.dumps({'ms': ms, 'cost': float((T * C).sum()), 'err': float(abs(T.sum(1) - a).sum() + abs(T.sum(0) - a).sum())}))
`;

/**
 * Peak resident memory of a fresh Node process that builds one n x n problem
 * and solves it once in wasm (no benchmark bookkeeping in the figure), next
 * to the same process's peak before the solve.
 */
function peakMemory(n, k) {
  const code = `
    const { optwasm, rng } = await import(${JSON.stringify(new URL('./lib.mjs', import.meta.url).href)});
    const rand = rng(${n});
    const n = ${n}, x = Float64Array.from({ length: 2 * n }, rand), y = Float64Array.from({ length: 2 * n }, rand);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const dx = x[2 * i] - y[2 * j], dy = x[2 * i + 1] - y[2 * j + 1];
      cost[i * n + j] = dx * dx + dy * dy;
    }
    const a = new Float64Array(n).fill(1 / n);
    await optwasm.init();
    const before = process.resourceUsage().maxRSS;
    const r = await optwasm.sparseOT({ a, b: a, cost, k: ${k}, gamma: 0.1 });
    console.log(JSON.stringify({ before, after: process.resourceUsage().maxRSS, status: r.status }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const m = JSON.parse(r.stdout);
  return `${(m.after / 1024).toFixed(0)} MB peak RSS (${(m.before / 1024).toFixed(0)} MB before the call, with the 32 MB cost built; status ${m.status})`;
}

export default async function () {
  const highs = await loadHighs();
  const rows = [];
  const targets = [];
  for (const n of [100, 300, 1000, 2000]) {
    const p = problem(n, n);
    const repeat = n >= 1000 ? 1 : 3;
    let exact = null;
    if (n <= 500) {
      const h = await time(async () => highs.solve(transportLP(p), { output_flag: false }), 1);
      if (h.result.Status !== 'Optimal') throw new Error(`highs: ${h.result.Status}`);
      exact = { ms: h.ms, cost: h.result.ObjectiveValue };
    }
    for (const k of [1, 2, 5, n]) {
      const input = { ...p, k, gamma: 0.1 };
      const w = await wasm('sparseOT', input, repeat);
      const nat = native('sparseOT', input, repeat);
      const r = w.result;
      rows.push([n, k, r.status, r.iterations, r.transportCost.toPrecision(6), exact ? exact.cost.toPrecision(6) : '-',
        (r.marginalError.source + r.marginalError.target).toExponential(1), r.maxNonzeros, w.ms.toFixed(0), nat.ms.toFixed(0),
        (w.ms / nat.ms).toFixed(2), exact ? (exact.ms / w.ms).toFixed(1) : '-']);
    }
  }
  table('sparseOT (semi-dual, gamma 0.1, default tol/maxIter): wasm in Node vs native Go vs highs exact LP (n <= 500)',
    ['n', 'k', 'status', 'iterations', 'transport cost', 'exact (highs)', 'marginal err (L1)', 'max nnz', 'wasm ms', 'native ms', 'wasm / native', 'highs ms / wasm ms'], rows);
  console.log(`\nMemory, n = m = 2000, k = 5, one solve in a fresh Node process (main thread + wasm worker): ${peakMemory(2000, 5)}`);

  // SPEC targets.
  {
    const p = problem(400, 400);
    const input = { ...p, k: 1, gamma: 0.1 };
    const h = await time(async () => highs.solve(transportLP(p), { output_flag: false }), 1);
    const w = await wasm('sparseOT', input, 3);
    const nat = native('sparseOT', input, 3);
    const gap = Math.abs(w.result.transportCost - h.result.ObjectiveValue) / h.result.ObjectiveValue;
    targets.push(['n = 400, k = 1 vs highs exact LP', `${w.result.transportCost.toPrecision(6)} vs ${h.result.ObjectiveValue.toPrecision(6)} (${(100 * gap).toFixed(2)}%)`,
      w.ms.toFixed(0), h.ms.toFixed(0), verdict(h.ms / w.ms, '>= 30x, cost within 1%', h.ms / w.ms >= 30 && gap <= 0.01) + 'x',
      verdict(w.ms / nat.ms, '<= 1.6x', w.ms / nat.ms <= 1.6) + 'x']);
  }
  {
    const p = problem(1000, 1000);
    const input = { ...p, k: 1000, gamma: 0.1 };
    const w = await wasm('sparseOT', input, 1);
    const nat = native('sparseOT', input, 1);
    const pot = python(POT, { n: 1000, cost: p.cost, gamma: 0.1 });
    const err = (w.result.marginalError.source + w.result.marginalError.target).toExponential(1);
    targets.push(['n = 1000, k = n vs POT smooth_ot_semi_dual (both with their defaults)',
      pot ? `${w.result.transportCost.toPrecision(6)} (err ${err}) vs ${pot.cost.toPrecision(6)} (err ${pot.err.toExponential(1)})` : '-',
      w.ms.toFixed(0), pot ? pot.ms.toFixed(0) : 'skipped (no /usr/bin/python3 with POT)',
      pot ? verdict(pot.ms / w.ms, '>= 10x', pot.ms / w.ms >= 10) + 'x' : '-',
      verdict(w.ms / nat.ms, '<= 1.6x', w.ms / nat.ms <= 1.6) + 'x']);
    if (pot) {
      // POT stops at its 500-iteration cap far from tol: the same accuracy
      // asked of sparseOT (tol = POT's marginal error; masses total 1).
      const same = { ...input, tol: pot.err };
      const w2 = await wasm('sparseOT', same, 1);
      const nat2 = native('sparseOT', same, 1);
      const err2 = (w2.result.marginalError.source + w2.result.marginalError.target).toExponential(1);
      targets.push(['n = 1000, k = n, sparseOT stopped at POT\'s marginal error',
        `${w2.result.transportCost.toPrecision(6)} (err ${err2}) vs ${pot.cost.toPrecision(6)} (err ${pot.err.toExponential(1)})`,
        w2.ms.toFixed(0), pot.ms.toFixed(0), verdict(pot.ms / w2.ms, '>= 10x', pot.ms / w2.ms >= 10) + 'x',
        verdict(w2.ms / nat2.ms, '<= 1.6x', w2.ms / nat2.ms <= 1.6) + 'x']);
    }
  }
  table('sparseOT SPEC.md targets', ['workload', 'cost (marginal error)', 'wasm ms', 'reference ms', 'reference / wasm', 'wasm / native'], targets);
}
