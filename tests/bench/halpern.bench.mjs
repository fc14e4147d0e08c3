// halpern: epochs and time to reach residual 1e-2, 1e-4, 1e-6 for every
// method with and without restarts on policeman-burglar and random Gaussian
// games; the SPEC.md target (policeman-burglar n = 500 to duality gap 1e-6,
// faster than the `highs` npm package solving the game's LP); wasm vs native.
import loadHighs from 'highs';
import { table, verdict, native, wasm, rng, time, optwasm } from './lib.mjs';

function normal(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Policeman-burglar: A_ij = w_j (1 - exp(-0.8 |i - j|)), w = |N(0, 1)|. */
function policemanBurglar(n, seed) {
  const rand = rng(seed);
  const w = Array.from({ length: n }, () => Math.abs(normal(rand)));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = w[j] * (1 - Math.exp(-0.8 * Math.abs(i - j)));
  return { name: `policeman-burglar ${n}`, A, rows: n, cols: n };
}

function gaussian(m, n, seed) {
  const rand = rng(seed);
  return { name: `gaussian ${m}x${n}`, A: Float64Array.from({ length: m * n }, () => normal(rand)), rows: m, cols: n };
}

/** The game's LP for the x-player in CPLEX LP format: min v, A^T x <= v, sum x = 1, x >= 0. */
function gameLP({ A, rows: m, cols: n }) {
  const out = ['Minimize', ' obj: v', 'Subject To'];
  for (let j = 0; j < n; j++) {
    const terms = [];
    for (let i = 0; i < m; i++) {
      const a = A[i * n + j];
      if (a !== 0) terms.push(`${a >= 0 ? '+' : '-'} ${Math.abs(a)} x${i}`);
    }
    out.push(` c${j}: ${terms.join(' ')} - v <= 0`);
  }
  out.push(` s: ${Array.from({ length: m }, (_, i) => `+ x${i}`).join(' ')} = 1`, 'Bounds', ' v free', 'End');
  return out.join('\n');
}

const METHODS = ['halpern', 'eag', 'vr-halpern', 'vr-halpern-inexact'];
const TARGETS = [1e-2, 1e-4, 1e-6];

export default async function () {
  // 1. Epochs to each residual, one run per (game, method, restart) with
  // history; the time to each target is pro-rated from that run by oracle
  // calls (each method's cost per call is constant).
  const rows = [];
  const games = [policemanBurglar(100, 1), policemanBurglar(500, 2), policemanBurglar(1000, 3), gaussian(200, 200, 4), gaussian(500, 500, 5)];
  for (const g of games) {
    for (const method of METHODS) {
      for (const restart of [false, true]) {
        const maxEpochs = method === 'vr-halpern-inexact' && g.rows >= 500 ? 1000 : 3000;
        const problem = { type: 'matrixGame', A: g.A, rows: g.rows, cols: g.cols };
        const r = await optwasm.halpern({ problem, method, restart, maxEpochs, tol: 1e-6, history: true, seed: 1 });
        const n = g.rows + g.cols;
        const cells = TARGETS.map((t) => {
          const k = r.history.residual.findIndex((x) => x <= t);
          if (k < 0) return '-';
          const calls = r.history.oracleCalls[k];
          return `${(calls / n).toFixed(0)} ep / ${(r.elapsedMs * calls / r.oracleCalls).toFixed(0)} ms`;
        });
        rows.push([g.name, method, restart ? 'yes' : 'no', ...cells, r.residual.toExponential(1), r.gap.toExponential(1), r.epochs.toFixed(0)]);
      }
    }
  }
  table('halpern (wasm in Node): epochs / ms to reach residual 1e-2, 1e-4, 1e-6 (maxEpochs 3000; 1000 for vr-halpern-inexact at n >= 500)',
    ['game', 'method', 'restart', '1e-2', '1e-4', '1e-6', 'final residual', 'final gap', 'epochs run'], rows);

  // 2. SPEC target: policeman-burglar n = 500 to duality gap 1e-6 vs highs.
  const highs = await loadHighs();
  const target = [];
  for (const g of [policemanBurglar(500, 2), policemanBurglar(1000, 3), gaussian(200, 200, 4)]) {
    const lp = gameLP(g);
    const h = await time(async () => highs.solve(lp, { output_flag: false }), 3);
    if (h.result.Status !== 'Optimal') throw new Error(`highs: ${h.result.Status}`);
    const input = { problem: { type: 'matrixGame', A: g.A, rows: g.rows, cols: g.cols }, restart: true, tol: 1e-7, maxEpochs: 50000 };
    const w = await wasm('halpern', input, 3);
    const nat = native('halpern', input, 3);
    const ok = w.result.gap <= 1e-6;
    target.push([g.name, w.result.method, w.result.epochs.toFixed(0), w.result.gap.toExponential(1),
      Math.abs(w.result.value - h.result.ObjectiveValue).toExponential(1), h.ms, w.ms, nat.ms,
      verdict(`${(h.ms / w.ms).toFixed(1)}x`, 'faster than highs at gap <= 1e-6', ok && w.ms < h.ms),
      verdict(`${(w.ms / nat.ms).toFixed(2)}x`, '<= 1.6x', w.ms / nat.ms <= 1.6)]);
  }
  table('halpern (auto, restart: true, tol 1e-7) vs highs solving the game LP; wasm vs native Go',
    ['game', 'method', 'epochs', 'gap', '|value - highs|', 'highs ms', 'wasm ms', 'native ms', 'highs / wasm', 'wasm / native'], target);
}

