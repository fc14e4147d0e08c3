// Convex ReLU demo: two moons (click to add a +1 point, shift-click a -1
// point), the recovered network's output drawn as a heat map with its zero
// level as the decision boundary, and the ADMM objective and residuals
// plotted live from onProgress. A newer request aborts the one in flight.
import { convexReLU, predictReLU } from './optwasm/browser.js';
import { showStatus, fmt } from './ui.js';

const $ = (id) => document.getElementById(id);
const canvas = $('crelu-canvas'), plot = $('crelu-plot'), status = $('crelu-status'), form = $('crelu-form');
const X0 = -1.75, X1 = 2.75, Y0 = -1.3, Y1 = 2.3; // the data window (aspect of the canvas)
const GRID = 60;
let pts = [], labels = [];
let pending = null;

function moons(n) {
  pts = [];
  labels = [];
  for (let i = 0; i < n; i++) {
    const t = Math.PI * Math.random(), up = i % 2 === 0;
    const x = up ? Math.cos(t) : 1 - Math.cos(t), y = up ? Math.sin(t) : 0.5 - Math.sin(t);
    pts.push([x + 0.15 * gauss(), y + 0.15 * gauss()]);
    labels.push(up ? 1 : -1);
  }
}

function gauss() {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

const toCanvas = ([x, y]) => [((x - X0) / (X1 - X0)) * canvas.width, ((Y1 - y) / (Y1 - Y0)) * canvas.height];

function grid() {
  const g = new Float64Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      g[2 * (i * GRID + j)] = X0 + ((j + 0.5) / GRID) * (X1 - X0);
      g[2 * (i * GRID + j) + 1] = Y1 - ((i + 0.5) / GRID) * (Y1 - Y0);
    }
  }
  return g;
}
const gridPoints = grid();

function draw(heat) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, cw = W / GRID, ch = H / GRID;
  ctx.clearRect(0, 0, W, H);
  if (heat) {
    for (let i = 0; i < GRID; i++) {
      for (let j = 0; j < GRID; j++) {
        const v = Math.max(-1, Math.min(1, heat[i * GRID + j]));
        ctx.fillStyle = v >= 0 ? `rgba(43, 108, 176, ${0.08 + 0.45 * v})` : `rgba(221, 107, 32, ${0.08 - 0.45 * v})`;
        ctx.fillRect(j * cw, i * ch, cw + 0.5, ch + 0.5);
      }
    }
    // decision boundary: cells whose sign differs from a neighbour's
    ctx.fillStyle = '#222';
    for (let i = 0; i < GRID - 1; i++) {
      for (let j = 0; j < GRID - 1; j++) {
        const s = heat[i * GRID + j] > 0;
        if (s !== heat[i * GRID + j + 1] > 0 || s !== heat[(i + 1) * GRID + j] > 0) ctx.fillRect((j + 1) * cw - 1, (i + 1) * ch - 1, 2, 2);
      }
    }
  }
  pts.forEach((p, k) => {
    const [cx, cy] = toCanvas(p);
    ctx.fillStyle = labels[k] > 0 ? '#2b6cb0' : '#dd6b20';
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.arc(cx, cy, 4.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}

// objective (blue) and max residual (red), log scale, against iteration
function drawPlot(trace) {
  const ctx = plot.getContext('2d');
  const W = plot.width, H = plot.height;
  ctx.clearRect(0, 0, W, H);
  if (trace.length < 2) return;
  const last = trace[trace.length - 1].iteration;
  const vals = trace.flatMap((p) => [p.objective, p.residual]).filter((v) => v > 0);
  const lo = Math.log10(Math.min(...vals)), hi = Math.log10(Math.max(...vals)) + 1e-9;
  const y = (v) => H - 14 - ((Math.log10(v) - lo) / (hi - lo)) * (H - 24);
  for (const [key, colour] of [['objective', '#2b6cb0'], ['residual', '#c53030']]) {
    ctx.strokeStyle = colour;
    ctx.beginPath();
    trace.forEach((p, i) => {
      const px = (p.iteration / last) * (W - 10) + 5;
      if (i === 0) ctx.moveTo(px, y(p[key]));
      else ctx.lineTo(px, y(p[key]));
    });
    ctx.stroke();
  }
  ctx.fillStyle = '#667';
  ctx.font = '11px system-ui';
  ctx.fillText(`objective (blue), residual (red), log scale; ${last} iterations`, 6, H - 2);
}

async function solve() {
  pending?.abort();
  const ctl = new AbortController();
  pending = ctl;
  const P = Number($('crelu-p').value), beta = 10 ** Number($('crelu-beta').value), eps = Number($('crelu-eps').value);
  const formulation = $('crelu-form-sel').value;
  $('crelu-p-out').textContent = String(P);
  $('crelu-beta-out').textContent = fmt(beta, 2);
  $('crelu-eps-out').textContent = eps ? fmt(eps, 2) : 'off';
  if (pts.length < 2) return;
  const input = { X: pts, y: labels, beta, numPatterns: P, seed: 1, bias: true, formulation, maxIter: 3000, tol: 1e-4 };
  if (eps > 0) {
    if (formulation !== 'exact') {
      showStatus(status, 'adversarial training needs the exact formulation');
      return;
    }
    input.adversarial = { epsilon: eps, norm: 'linf' };
  }
  showStatus(status, 'solving...');
  const trace = [];
  try {
    const onProgress = (p) => {
      if (ctl !== pending) return;
      trace.push(p);
      drawPlot(trace);
    };
    const r = await convexReLU({ ...input, history: true }, { signal: ctl.signal, onProgress });
    const heat = await predictReLU(r.model, gridPoints, { signal: ctl.signal }); // flat rows of width inputDim
    if (ctl !== pending) return;
    draw(heat);
    const h = r.history;
    drawPlot(Array.from(h.objective, (o, i) => ({ iteration: i + 1, objective: o, residual: Math.max(h.primal[i], h.dual[i]) })));
    showStatus(status, `objective ${fmt(r.objective)}` +
      `${r.lowerBound === undefined ? '' : ` (certified lower bound ${fmt(r.lowerBound)})`}, ` +
      `${r.model.hidden} hidden units from ${r.numPatterns} distinct patterns, training accuracy ${(100 * r.trainAccuracy).toFixed(1)}%, ` +
      `cone violation ${fmt(r.constraintViolation, 2)}; ${r.status} after ${r.iterations} iterations, ${fmt(r.elapsedMs, 3)} ms in the worker`);
    form.dataset.done = String(Number(form.dataset.done ?? 0) + 1);
  } catch (e) {
    if (e.name !== 'AbortError') showStatus(status, '', e);
  }
}

canvas.addEventListener('click', (ev) => {
  const box = canvas.getBoundingClientRect();
  const u = (ev.clientX - box.left) / box.width, v = (ev.clientY - box.top) / box.height;
  pts.push([X0 + u * (X1 - X0), Y1 - v * (Y1 - Y0)]);
  labels.push(ev.shiftKey ? -1 : 1);
  solve();
});
for (const id of ['crelu-p', 'crelu-beta', 'crelu-eps', 'crelu-form-sel']) $(id).addEventListener('input', solve);
$('crelu-random').addEventListener('click', () => {
  moons(Math.max(4, Math.min(300, Number($('crelu-n').value) || 80)));
  draw(null);
  solve();
});
form.addEventListener('submit', (ev) => ev.preventDefault());
moons(80);
draw(null);
solve();
