// Halpern demo: pick a matrix game, run every method one after another and
// plot the residual ||z - P(z - F(z))|| against epochs on a log scale, live
// while each runs, then the equilibrium strategies of the most accurate run.
import { halpern } from './optwasm/browser.js';
import { showStatus, fmt } from './ui.js';

const $ = (id) => document.getElementById(id);
const form = $('hal-form');
const plot = $('hal-plot');
const strat = $('hal-strategies');
const status = $('hal-status');
const METHODS = [
  ['halpern', '#999999'],
  ['eag', '#2b6cb0'],
  ['vr-halpern', '#dd6b20'],
  ['vr-halpern-inexact', '#2f855a'],
];

// Deterministic games, so that a size and a seed always give the same one.
function rand(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

function makeGame(kind, n, seed) {
  const r = rand(seed);
  if (kind === 'rps') return { A: [0, -1, 1, 1, 0, -1, -1, 1, 0], rows: 3, cols: 3 };
  const A = new Float64Array(n * n);
  if (kind === 'pb') { // policeman-burglar: A_ij = w_j (1 - exp(-0.8 |i - j|))
    const w = Array.from({ length: n }, () => Math.abs(normal(r)));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = w[j] * (1 - Math.exp(-0.8 * Math.abs(i - j)));
  } else if (kind === 'saddle') { // a strict pure saddle point at (n/3, n/2)
    const [si, sj] = [Math.floor(n / 3), Math.floor(n / 2)];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = r();
    for (let j = 0; j < n; j++) A[si * n + j] = 0.4 * r();
    for (let i = 0; i < n; i++) A[i * n + sj] = 0.6 + 0.4 * r();
    A[si * n + sj] = 0.5;
  } else {
    for (let k = 0; k < n * n; k++) A[k] = normal(r);
  }
  return { A, rows: n, cols: n };
}

// Live progress reports carry the iteration, not the oracle count: until a
// run ends its curve is drawn at the method's nominal epochs per iteration
// (dashed); the exact history (solid) replaces it when the run ends.
function nominalEpochs(method, iter, n) {
  switch (method) {
    case 'halpern': return iter;
    case 'eag': return 2 * iter;
    case 'vr-halpern': {
      const b = Math.floor(Math.sqrt(n)), p = 4 / (Math.sqrt(n) + 5);
      return iter * (p + (1 - p) * 2 * b / n);
    }
    default: {
      let e = 0;
      for (let k = 0; k < iter; k++) e += 1 + 0.15 * Math.log(k + 2);
      return e;
    }
  }
}

function drawPlot(curves, maxEpochs) {
  const ctx = plot.getContext('2d');
  const W = plot.width, H = plot.height, L = 50, B = 40, T = 26, R = 16;
  ctx.clearRect(0, 0, W, H);
  let hi = 1e-12, lo = 1e-8;
  for (const c of curves) for (const [, y] of c.pts) if (y > 0 && Number.isFinite(y)) hi = Math.max(hi, y);
  const top = Math.ceil(Math.log10(hi)), bot = Math.floor(Math.log10(lo));
  const xs = (e) => L + ((W - L - R) * e) / maxEpochs;
  const ys = (y) => T + ((H - T - B) * (top - Math.log10(Math.max(y, 10 ** bot)))) / (top - bot);
  ctx.strokeStyle = '#ddd';
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  for (let p = bot; p <= top; p += 2) {
    ctx.beginPath(); ctx.moveTo(L, ys(10 ** p)); ctx.lineTo(W - R, ys(10 ** p)); ctx.stroke();
    ctx.fillText(`1e${p}`, 4, ys(10 ** p) + 4);
  }
  for (let k = 0; k <= 4; k++) ctx.fillText(String(Math.round((maxEpochs * k) / 4)), xs((maxEpochs * k) / 4) - 8, H - 24);
  ctx.fillText('epochs', (W + L) / 2 - 16, H - 6);
  for (const c of curves) {
    ctx.strokeStyle = c.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(c.live ? [4, 3] : []);
    ctx.beginPath();
    c.pts.forEach(([e, y], i) => (i ? ctx.lineTo(xs(e), ys(y)) : ctx.moveTo(xs(e), ys(y))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  let lx = L;
  for (const [m, color] of METHODS) { // legend in one row above the plot
    ctx.fillStyle = color;
    ctx.fillRect(lx, 6, 10, 10);
    ctx.fillStyle = '#333';
    ctx.fillText(m, lx + 14, 15);
    lx += 24 + ctx.measureText(m).width;
  }
}

function drawStrategies(x, y) {
  const ctx = strat.getContext('2d');
  const W = strat.width, H = strat.height, half = H / 2;
  ctx.clearRect(0, 0, W, H);
  ctx.font = '11px sans-serif';
  [[x, 'x (minimiser, rows)', 0, '#2b6cb0'], [y, 'y (maximiser, columns)', half, '#dd6b20']].forEach(([v, label, y0, color]) => {
    const top = Math.max(...v, 1e-12), w = (W - 20) / v.length;
    ctx.fillStyle = color;
    v.forEach((p, i) => ctx.fillRect(10 + i * w, y0 + half - 16 - ((half - 32) * p) / top, Math.max(w - 1, 1), ((half - 32) * p) / top));
    ctx.fillStyle = '#333';
    ctx.fillText(`${label}: max ${fmt(top, 3)}, support ${v.filter((p) => p > 1e-9).length} of ${v.length}`, 10, y0 + 12);
  });
}

let running = false;
async function run() {
  if (running) return;
  running = true;
  try {
    const kind = $('hal-kind').value;
    const n = Math.max(2, Math.min(1000, Math.round(Number($('hal-n').value))));
    const maxEpochs = Math.max(10, Number($('hal-epochs').value));
    const restart = $('hal-restart').checked;
    const game = makeGame(kind, n, 7);
    const dim = game.rows + game.cols;
    const problem = { type: 'matrixGame', ...game };
    const curves = [];
    let best = null;
    for (const [method, color] of METHODS) {
      const curve = { color, pts: [], live: true };
      curves.push(curve);
      showStatus(status, `running ${method}...`);
      const r = await halpern({ problem, method, restart, maxEpochs, tol: 1e-9, history: true, seed: 1 }, {
        onProgress: (p) => {
          curve.pts.push([nominalEpochs(method, p.iteration, dim), p.residual]);
          drawPlot(curves, maxEpochs);
        },
      });
      curve.live = false;
      curve.pts = Array.from(r.history.oracleCalls, (c, i) => [c / dim, r.history.residual[i]]);
      drawPlot(curves, maxEpochs);
      curve.summary = `${method}: residual ${fmt(r.residual, 2)}, gap ${fmt(r.gap, 2)} after ${Math.round(r.epochs)} epochs in ${Math.round(r.elapsedMs)} ms`;
      if (!best || r.residual < best.residual) best = { ...r, method };
    }
    drawStrategies(best.x, best.y);
    showStatus(status, `${curves.map((c) => c.summary).join('; ')}. Strategies shown: ${best.method} (value ${fmt(best.value, 6)}).`);
    form.dataset.done = String(Number(form.dataset.done ?? 0) + 1);
  } catch (e) {
    showStatus(status, '', e);
  } finally {
    running = false;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  run();
});
run();
