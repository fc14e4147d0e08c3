// Sparse OT demo: two 2-D clouds, the plan drawn as segments whose opacity
// follows the mass, a histogram of nonzeros per column, and the transport
// cost beside the k = 1 (unregularised OT) cost. Solves run in the package's
// worker; a newer request aborts the one in flight, so sliders stay live.
import { sparseOT } from './optwasm/browser.js';
import { showStatus, fmt } from './ui.js';

const $ = (id) => document.getElementById(id);
const canvas = $('sot-canvas'), hist = $('sot-hist'), status = $('sot-status'), form = $('sot-form');
let src = [], dst = [];
let pending = null;

function randomClouds(n) {
  // Sources in a ring, targets in two blobs: the plan has to split mass.
  src = Array.from({ length: n }, () => {
    const t = Math.random() * 2 * Math.PI, r = 0.25 + 0.05 * Math.random();
    return [0.5 + r * Math.cos(t), 0.5 + r * Math.sin(t)];
  });
  dst = Array.from({ length: n }, (_, j) => {
    const c = j % 2 ? [0.3, 0.35] : [0.7, 0.65];
    return [c[0] + 0.08 * (Math.random() - 0.5) * 2, c[1] + 0.08 * (Math.random() - 0.5) * 2];
  });
}

function problem() {
  const n = src.length, m = dst.length;
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const dx = src[i][0] - dst[j][0], dy = src[i][1] - dst[j][1];
      cost[i * m + j] = dx * dx + dy * dy;
    }
  }
  // Equal totals: every source carries 1/n, every target 1/m.
  return { a: new Float64Array(n).fill(1 / n), b: new Float64Array(m).fill(1 / m), cost, n, m };
}

function draw(r) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (r) {
    const { rows, cols, values } = r.plan;
    const top = Math.max(...values);
    ctx.lineWidth = 1.5;
    for (let e = 0; e < values.length; e++) {
      const [x0, y0] = src[rows[e]], [x1, y1] = dst[cols[e]];
      ctx.strokeStyle = `rgba(40, 50, 70, ${Math.min(1, 0.08 + values[e] / top)})`;
      ctx.beginPath();
      ctx.moveTo(x0 * W, y0 * H);
      ctx.lineTo(x1 * W, y1 * H);
      ctx.stroke();
    }
  }
  for (const [pts, colour] of [[src, '#2b6cb0'], [dst, '#dd6b20']]) {
    ctx.fillStyle = colour;
    for (const [x, y] of pts) {
      ctx.beginPath();
      ctx.arc(x * W, y * H, 4, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

function drawHistogram(r, k) {
  const ctx = hist.getContext('2d');
  const W = hist.width, H = hist.height;
  ctx.clearRect(0, 0, W, H);
  const per = new Int32Array(dst.length);
  for (const j of r.plan.cols) per[j]++;
  const bins = new Int32Array(k + 1);
  for (const c of per) bins[Math.min(c, k)]++;
  const top = Math.max(...bins, 1), bw = W / (k + 1);
  ctx.font = '11px system-ui';
  for (let c = 0; c <= k; c++) {
    const h = ((H - 30) * bins[c]) / top;
    ctx.fillStyle = '#2b6cb0';
    ctx.fillRect(c * bw + 2, H - 16 - h, bw - 4, h);
    ctx.fillStyle = '#667';
    ctx.fillText(`${c}`, c * bw + bw / 2 - 3, H - 3);
    if (bins[c]) ctx.fillText(`${bins[c]}`, c * bw + bw / 2 - 6, H - 19 - h);
  }
}

async function solve() {
  pending?.abort();
  const ctl = new AbortController();
  pending = ctl;
  const k = Number($('sot-k').value), gamma = 10 ** Number($('sot-gamma').value);
  $('sot-k-out').textContent = String(k);
  $('sot-gamma-out').textContent = fmt(gamma, 2);
  if (src.length < 1 || dst.length < 1) return;
  const p = problem();
  showStatus(status, 'solving...');
  try {
    const opts = { signal: ctl.signal };
    const [r, r1] = await Promise.all([
      sparseOT({ ...p, k, gamma, repair: $('sot-repair').checked }, opts),
      sparseOT({ ...p, k: 1, gamma }, opts),
    ]);
    if (ctl !== pending) return;
    draw(r);
    drawHistogram(r, Math.min(k, src.length));
    const err = r.marginalError.source + r.marginalError.target;
    showStatus(status, `transport cost ${fmt(r.transportCost)} (k = 1: ${fmt(r1.transportCost)}), ` +
      `${r.plan.values.length} nonzeros, at most ${r.maxNonzeros} per column, marginal error ${fmt(err, 2)}` +
      `${r.repaired === undefined ? '' : r.repaired ? ', repaired' : ', repair not possible on this support'}; ` +
      `${r.status} after ${r.iterations} iterations, ${fmt(r.elapsedMs, 3)} ms in the worker`);
    form.dataset.done = String(Number(form.dataset.done ?? 0) + 1);
  } catch (e) {
    if (e.name !== 'AbortError') showStatus(status, '', e);
  }
}

canvas.addEventListener('click', (ev) => {
  const box = canvas.getBoundingClientRect();
  const pt = [(ev.clientX - box.left) / box.width, (ev.clientY - box.top) / box.height];
  (ev.shiftKey ? dst : src).push(pt);
  $('sot-k').max = String(Math.max(10, src.length));
  solve();
});
for (const id of ['sot-k', 'sot-gamma', 'sot-repair']) $(id).addEventListener('input', solve);
$('sot-random').addEventListener('click', () => {
  randomClouds(Math.max(2, Math.min(400, Number($('sot-n').value) || 40)));
  draw(null);
  solve();
});
form.addEventListener('submit', (ev) => ev.preventDefault());
randomClouds(40);
draw(null);
solve();
