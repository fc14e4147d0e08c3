// Few-shot demo. (1) A 2-D scene: click a point to label it with the chosen
// class; the left plot colours the unlabelled points by the transductive
// method (which also uses where the other unlabelled points lie, through the
// kNN graph), the right one by the inductive nearest-prototype rule; "Cluster"
// ignores the labels and runs Laplacian K-means. (2) A digits episode viewer:
// 5-way episodes from scikit-learn's 8x8 digits with the predicted class of
// every query. Solves run in the package's worker; a newer request aborts
// the one in flight.
import { fewShot, cluster } from './optwasm/browser.js';
import { showStatus, fmt } from './ui.js';

const $ = (id) => document.getElementById(id);
const COLOURS = ['#2b6cb0', '#dd6b20', '#2f855a', '#b83280', '#6b46c1'];
const SCALE = 6; // features = canvas coordinates (unit square) x SCALE: squared distances up to ~72
const trans = $('fs-trans'), ind = $('fs-ind'), status = $('fs-status');
let pts = [], labels = [], pending = null, lastResult = null;

function normal() {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

function newScene() {
  const scene = $('fs-scene').value;
  pts = [];
  if (scene === 'moons') {
    for (let i = 0; i < 300; i++) {
      const c = i % 2, t = Math.PI * Math.random();
      const x = c ? 1 - Math.cos(t) : Math.cos(t), y = c ? 0.5 - Math.sin(t) : Math.sin(t);
      pts.push([0.3 + 0.2 * (x + 0.06 * normal()), 0.45 + 0.2 * (y + 0.06 * normal())]);
    }
  } else {
    // Three elongated blobs: one labelled point at a tip pulls the inductive
    // rule the wrong way; the graph carries the label along the blob.
    const blobs = [[0.25, 0.3, 0.5], [0.7, 0.3, -0.6], [0.5, 0.75, 0.1]];
    for (let i = 0; i < 300; i++) {
      const [cx, cy, a] = blobs[i % 3], u = 0.14 * normal(), v = 0.035 * normal();
      pts.push([cx + u * Math.cos(a) - v * Math.sin(a), cy + u * Math.sin(a) + v * Math.cos(a)]);
    }
  }
  labels = new Array(pts.length).fill(-1);
  lastResult = null;
  draw();
}

/** kNN edges (knn - 1 nearest others per point), for drawing only. */
function knnEdges(knn) {
  const edges = [];
  pts.forEach(([x, y], i) => {
    const d = pts.map(([u, v], j) => [(u - x) ** 2 + (v - y) ** 2, j]).filter(([, j]) => j !== i).sort((a, b) => a[0] - b[0]);
    for (const [, j] of d.slice(0, knn - 1)) edges.push([i, j]);
  });
  return edges;
}

function drawOn(canvas, colourOf, title, graph) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (graph) {
    ctx.strokeStyle = 'rgba(120, 120, 140, 0.25)';
    for (const [i, j] of graph) {
      ctx.beginPath();
      ctx.moveTo(pts[i][0] * W, pts[i][1] * H);
      ctx.lineTo(pts[j][0] * W, pts[j][1] * H);
      ctx.stroke();
    }
  }
  pts.forEach(([x, y], i) => {
    const c = colourOf(i);
    ctx.fillStyle = c < 0 ? '#bbc' : COLOURS[c];
    ctx.beginPath();
    ctx.arc(x * W, y * H, labels[i] >= 0 ? 7 : 3.5, 0, 2 * Math.PI);
    ctx.fill();
    if (labels[i] >= 0) {
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  });
  ctx.fillStyle = '#445';
  ctx.font = '13px system-ui';
  ctx.fillText(title, 8, 18);
}

function draw() {
  const graph = $('fs-graph').checked ? knnEdges(Number($('fs-knn').value)) : null;
  const r = lastResult;
  const of = (key) => (i) => (labels[i] >= 0 && key !== 'cluster' ? labels[i] : r?.[key]?.get(i) ?? -1);
  drawOn(trans, of(r?.cluster ? 'cluster' : 'trans'), r?.cluster ? 'cluster (labels ignored)' : `transductive: ${$('fs-method').value}`, graph);
  drawOn(ind, of('ind'), 'inductive: nearest prototype', null);
}

async function solve() {
  $('fs-lambda-out').textContent = $('fs-lambda').value;
  pending?.abort();
  const ctl = new AbortController();
  pending = ctl;
  const lab = [], sup = [], qry = [], qIdx = [];
  pts.forEach((p, i) => {
    const f = [p[0] * SCALE, p[1] * SCALE];
    if (labels[i] >= 0) { sup.push(f); lab.push(labels[i]); } else { qry.push(f); qIdx.push(i); }
  });
  const classes = new Set(lab);
  const k = classes.size ? Math.max(...classes) + 1 : 0;
  if (k === 0 || classes.size < k) {
    lastResult = null;
    draw();
    showStatus(status, `label at least one point of every class 0..${Math.max(k, 1) - 1} (click a point; the class is chosen above)`);
    return;
  }
  const method = $('fs-method').value, knn = Number($('fs-knn').value), lambda = Number($('fs-lambda').value);
  const input = { support: sup, supportLabels: lab, query: qry, preprocess: 'none', knn, method };
  if (method !== 'kmeans') input.lambda = lambda;
  try {
    const opts = { signal: ctl.signal };
    const [t, p] = await Promise.all([fewShot(input, opts), fewShot({ support: sup, supportLabels: lab, query: qry, preprocess: 'none', method: 'prototype' }, opts)]);
    if (ctl !== pending) return;
    lastResult = { trans: new Map(qIdx.map((i, q) => [i, t.labels[q]])), ind: new Map(qIdx.map((i, q) => [i, p.labels[q]])) };
    draw();
    const changed = t.labels.reduce((s, l, q) => s + (l !== p.labels[q]), 0);
    showStatus(status, `${changed} of ${qry.length} unlabelled points get a different class than nearest-prototype; ` +
      `${t.status} after ${t.iterations} outer iterations, ${t.energy.length} bound steps ` +
      `(energy ${fmt(t.energy[0])} to ${fmt(t.energy[t.energy.length - 1])}${t.safeguards ? `, ${t.safeguards} safeguarded` : ''}), ${fmt(t.elapsedMs, 3)} ms`);
    $('fs-form').dataset.done = String(Number($('fs-form').dataset.done ?? 0) + 1);
  } catch (e) {
    if (e.name !== 'AbortError') showStatus(status, '', e);
  }
}

async function runCluster() {
  pending?.abort();
  const ctl = new AbortController();
  pending = ctl;
  const numClusters = Number($('fs-k').value);
  try {
    const r = await cluster({ points: pts.map(([x, y]) => [x * SCALE, y * SCALE]), numClusters, preprocess: 'none',
      knn: Number($('fs-knn').value), lambda: Number($('fs-lambda').value) }, { signal: ctl.signal });
    if (ctl !== pending) return;
    lastResult = { cluster: new Map(pts.map((_, i) => [i, r.labels[i] % COLOURS.length])) };
    draw();
    showStatus(status, `Laplacian K-means, ${numClusters} clusters: ${r.status} after ${r.iterations} outer iterations, ${fmt(r.elapsedMs, 3)} ms`);
  } catch (e) {
    if (e.name !== 'AbortError') showStatus(status, '', e);
  }
}

trans.addEventListener('click', (ev) => {
  const box = trans.getBoundingClientRect();
  const x = (ev.clientX - box.left) / box.width, y = (ev.clientY - box.top) / box.height;
  let best = 0;
  pts.forEach(([u, v], i) => { if ((u - x) ** 2 + (v - y) ** 2 < (pts[best][0] - x) ** 2 + (pts[best][1] - y) ** 2) best = i; });
  labels[best] = ev.shiftKey ? -1 : Number($('fs-class').value);
  solve();
});
for (const id of ['fs-method', 'fs-lambda', 'fs-knn']) $(id).addEventListener('input', solve);
$('fs-graph').addEventListener('input', draw);
$('fs-scene').addEventListener('input', () => { newScene(); solve(); });
$('fs-new').addEventListener('click', () => { newScene(); solve(); });
$('fs-cluster').addEventListener('click', runCluster);
$('fs-form').addEventListener('submit', (ev) => ev.preventDefault());

// ---- digits episodes ----
const digitsCanvas = $('fs-digits'), digitsStatus = $('fs-digits-status');
let digits = null;

async function loadDigits() {
  const d = await (await fetch(new URL('./fewshot-digits.json', import.meta.url))).json();
  const bytes = Uint8Array.from(atob(d.pixels_u8_b64), (c) => c.charCodeAt(0));
  const x = Float64Array.from(bytes);
  const center = new Float64Array(d.d);
  for (let i = 0; i < d.n; i++) for (let t = 0; t < d.d; t++) center[t] += x[i * d.d + t] / d.n;
  return { ...d, x, center };
}

function sample(shot) {
  const classes = [...Array(10).keys()].sort(() => Math.random() - 0.5).slice(0, 5);
  const sup = [], qry = [];
  classes.forEach((c, k) => {
    const idx = digits.labels.flatMap((l, i) => (l === c ? [i] : [])).sort(() => Math.random() - 0.5).slice(0, shot + 15);
    idx.slice(0, shot).forEach((i) => sup.push([i, k]));
    idx.slice(shot).forEach((i) => qry.push([i, k]));
  });
  return { classes, sup, qry };
}

function drawDigit(ctx, i, x0, y0, px, frame, wrong) {
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      const v = 255 - Math.round((digits.x[i * 64 + r * 8 + c] / 16) * 255);
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect(x0 + c * px, y0 + r * px, px, px);
    }
  }
  ctx.strokeStyle = frame;
  ctx.lineWidth = 3;
  ctx.strokeRect(x0 - 1.5, y0 - 1.5, 8 * px + 3, 8 * px + 3);
  if (wrong) {
    ctx.strokeStyle = '#c00';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x0, y0 + 8 * px);
    ctx.lineTo(x0 + 8 * px, y0);
    ctx.stroke();
  }
}

async function episode() {
  try {
    digits ??= await loadDigits();
    const shot = Number($('fs-shot').value), method = $('fs-dmethod').value;
    const { classes, sup, qry } = sample(shot);
    const rows = (list) => list.map(([i]) => Array.from(digits.x.subarray(i * 64, i * 64 + 64)));
    const input = { support: rows(sup), supportLabels: sup.map(([, k]) => k), query: rows(qry), center: digits.center };
    const [r, p] = await Promise.all([fewShot({ ...input, method }), fewShot({ ...input, method: 'prototype' })]);
    const ctx = digitsCanvas.getContext('2d'), px = 3, cell = 8 * px + 8;
    ctx.clearRect(0, 0, digitsCanvas.width, digitsCanvas.height);
    ctx.font = '12px system-ui';
    ctx.fillStyle = '#445';
    ctx.fillText('support', 4, 14);
    sup.forEach(([i, k], s) => drawDigit(ctx, i, 60 + s * cell, 4, px, COLOURS[k], false));
    ctx.fillStyle = '#445';
    ctx.fillText(`queries (frame: ${method} prediction; red stroke: wrong)`, 4, cell + 22);
    qry.forEach(([i, k], q) => drawDigit(ctx, i, 6 + (q % 25) * cell, cell + 30 + Math.floor(q / 25) * cell, px, COLOURS[r.labels[q]], r.labels[q] !== k));
    const acc = (l) => (100 * qry.reduce((s, [, k], q) => s + (l[q] === k), 0)) / qry.length;
    showStatus(digitsStatus, `digits ${classes.join(', ')} (colours in that order), ${shot}-shot: ${method} ${acc(r.labels).toFixed(1)}% ` +
      `vs nearest prototype ${acc(p.labels).toFixed(1)}% on ${qry.length} queries, ${fmt(r.elapsedMs, 3)} ms`);
    digitsCanvas.dataset.done = String(Number(digitsCanvas.dataset.done ?? 0) + 1);
  } catch (e) {
    showStatus(digitsStatus, '', e);
  }
}

$('fs-episode').addEventListener('click', episode);
$('fs-dform').addEventListener('submit', (ev) => ev.preventDefault());
for (const id of ['fs-shot', 'fs-dmethod']) $(id).addEventListener('input', episode);

// Start with one labelled point per class.
newScene();
for (let c = 0; c < 3; c++) labels[pts.findIndex((_, i) => i % 3 === c)] = c;
solve();
episode();
