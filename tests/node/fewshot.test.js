import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import optwasm, { rejects } from './optwasm.mjs';
import { nmi as NMI } from '../nmi.mjs';

const { fewShot, cluster } = optwasm;
const golden = JSON.parse(readFileSync(new URL('../golden/fewshot.json', import.meta.url)));
const D = golden.digits.d;
const pixels = Float64Array.from(Buffer.from(golden.digits.pixels_u8_b64, 'base64'));
const digitLabels = golden.digits.labels;
const center = new Float64Array(D);
for (let i = 0; i < golden.digits.n; i++) for (let t = 0; t < D; t++) center[t] += pixels[i * D + t] / golden.digits.n;

function episodes(shot) {
  const e = golden.episodes[String(shot)];
  const buf = Buffer.from(e.indices_u16_b64, 'base64');
  const idx = new Uint16Array(buf.buffer, buf.byteOffset, buf.length / 2);
  const per = golden.ways * (shot + golden.queries);
  return Array.from({ length: e.count }, (_, k) => idx.subarray(k * per, (k + 1) * per));
}

// The stored episode as fewShot input (flat matrices) and the query truth.
function episode(idx, shot) {
  const ns = golden.ways * shot;
  const remap = new Map();
  for (let i = 0; i < ns; i += shot) remap.set(digitLabels[idx[i]], remap.size);
  const rows = (list) => {
    const out = new Float64Array(list.length * D);
    list.forEach((j, r) => out.set(pixels.subarray(j * D, (j + 1) * D), r * D));
    return out;
  };
  const sup = Array.from(idx.subarray(0, ns)), qry = Array.from(idx.subarray(ns));
  return {
    input: { support: rows(sup), supportLabels: sup.map((j) => remap.get(digitLabels[j])), query: rows(qry), dim: D, center },
    truth: qry.map((j) => remap.get(digitLabels[j])),
  };
}

const accuracy = (labels, truth) => truth.reduce((s, y, i) => s + (labels[i] === y), 0) / truth.length;

test('digits episodes: mean accuracy of every method within the numpy reference CI', async () => {
  for (const shot of [1, 5]) {
    const ref = golden.episodes[String(shot)].reference;
    const eps = episodes(shot).slice(0, 60);
    for (const method of ['prototype', 'laplacianshot', 'kmeans', 'slk-means']) {
      let sum = 0, same = 0;
      for (const [k, idx] of eps.entries()) {
        const { input, truth } = episode(idx, shot);
        const r = await fewShot({ ...input, method });
        const a = accuracy(r.labels, truth);
        sum += a;
        same += Math.abs(a - ref[method].accuracy[k]) < 1e-9;
      }
      const refMean = ref[method].accuracy.slice(0, eps.length).reduce((s, v) => s + v, 0) / eps.length;
      assert.ok(Math.abs(sum / eps.length - refMean) <= ref[method].ci95, `${shot}-shot ${method}`);
      assert.ok(same >= 0.95 * eps.length, `${shot}-shot ${method}: ${same}/${eps.length} identical episodes`);
    }
  }
});

test('result shape and invariants; arrays of rows give the same answer as flat input', async () => {
  const { input } = episode(episodes(5)[0], 5);
  const r = await fewShot(input, { onProgress: () => {} });
  const nq = input.query.length / D;
  assert.ok(r.labels instanceof Int32Array && r.labels.length === nq);
  assert.ok(r.probabilities instanceof Float64Array && r.probabilities.length === nq * 5);
  assert.equal(r.numClasses, 5);
  assert.equal(r.dim, D);
  assert.equal(r.prototypes.length, 5 * D);
  assert.ok(r.energy instanceof Float64Array && r.energy.length > 0);
  assert.equal(r.status, 'converged');
  assert.equal(typeof r.elapsedMs, 'number');
  for (let q = 0; q < nq; q++) {
    const row = r.probabilities.subarray(q * 5, q * 5 + 5);
    assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12);
    assert.equal(r.labels[q], row.indexOf(Math.max(...row)));
  }
  const toRows = (m) => Array.from({ length: m.length / D }, (_, i) => Array.from(m.subarray(i * D, (i + 1) * D)));
  const r2 = await fewShot({ ...input, support: toRows(input.support), query: toRows(input.query), dim: undefined, history: true });
  assert.deepEqual(r2.labels, r.labels);
  assert.deepEqual(r2.energy, r.energy);
  assert.deepEqual(r2.history.energy, r.energy);
  // The energy never rises within one outer iteration.
  const { energy, outer } = r2.history;
  for (let i = 1; i < energy.length; i++) {
    if (outer[i] === outer[i - 1]) assert.ok(energy[i] <= energy[i - 1] + 1e-12 * Math.abs(energy[i - 1]));
  }
});

test('cluster: all digits, NMI at least scikit-learn KMeans, deterministic for a seed', async () => {
  const progress = [];
  const r = await cluster({ points: pixels, dim: D, numClusters: 10 }, { onProgress: (p) => progress.push(p) });
  assert.equal(r.labels.length, golden.digits.n);
  assert.ok(progress.length >= 1, 'onProgress called');
  for (const p of progress) assert.ok(p.iteration >= 1 && p.iteration <= r.energy.length && Number.isFinite(p.objective));
  const nmi = NMI(digitLabels, r.labels);
  assert.ok(nmi >= golden.kmeans.nmi, `NMI ${nmi} < sklearn ${golden.kmeans.nmi}`);
  const again = await cluster({ points: pixels, dim: D, numClusters: 10, seed: 0 });
  assert.deepEqual(again.labels, r.labels);
});

test('NMI helper agrees with scikit-learn on the stored pairs', () => {
  for (const p of golden.nmi_pairs.filter((p) => new Set(p.a).size > 1)) assert.ok(Math.abs(NMI(p.a, p.b) - p.nmi) < 1e-12);
});

test('bad input rejects with the right name, code and field; the next call works', async () => {
  const good = { support: [[0, 0], [1, 1]], supportLabels: [0, 1], query: [[0.1, 0], [0.9, 1], [0.2, 0.1], [1, 0.8]] };
  const bad = [
    [{ supportLabels: [0, 2], numClasses: 2 }, 'RangeError', 'ERR_DOMAIN', 'supportLabels'],
    [{ supportLabels: [0, -1] }, 'RangeError', 'ERR_DOMAIN', 'supportLabels'],
    [{ numClasses: 3 }, 'RangeError', 'ERR_DOMAIN', 'supportLabels'],
    [{ numClasses: 0 }, 'RangeError', 'ERR_DOMAIN', 'numClasses'],
    [{ supportLabels: [0] }, 'TypeError', 'ERR_SHAPE', 'supportLabels'],
    [{ support: [[0, 0], [1, 1, 1]] }, 'TypeError', 'ERR_SHAPE', 'support'],
    [{ query: [[0, 0, 0], [1, 1, 1]] }, 'TypeError', 'ERR_SHAPE', 'query'],
    [{ support: [0, 0, 1, 1] }, 'TypeError', 'ERR_SHAPE', 'support'],
    [{ support: [[0, NaN], [1, 1]] }, 'RangeError', 'ERR_NOT_FINITE', 'support'],
    [{ query: [[0, Infinity], [1, 1], [0, 0]] }, 'RangeError', 'ERR_NOT_FINITE', 'query'],
    [{ knn: 0 }, 'RangeError', 'ERR_DOMAIN', 'knn'],
    [{ knn: 6 }, 'RangeError', 'ERR_DOMAIN', 'knn'],
    [{ method: 'laplacianshot', knn: 4 }, 'RangeError', 'ERR_DOMAIN', 'knn'],
    [{ method: 'svm' }, 'TypeError', 'ERR_OPTION', 'method'],
    [{ preprocess: 'zscore' }, 'TypeError', 'ERR_OPTION', 'preprocess'],
    [{ lambda: -1 }, 'RangeError', 'ERR_DOMAIN', 'lambda'],
    [{ method: 'prototype', lambda: 0.5 }, 'TypeError', 'ERR_OPTION', 'lambda'],
    [{ center: [1] }, 'TypeError', 'ERR_SHAPE', 'center'],
    [{ maxIter: 0 }, 'RangeError', 'ERR_DOMAIN', 'maxIter'],
    [{ knn: 2.5 }, undefined, undefined, 'knn'],
    [{ colour: 'red' }, 'TypeError', 'ERR_OPTION', undefined],
  ];
  for (const [edit, name, code, field] of bad) {
    if (name === undefined) {
      await assert.rejects(fewShot({ ...good, ...edit }), (e) => e.field === field);
      continue;
    }
    await rejects(assert, fewShot({ ...good, ...edit }), name, code, field);
  }
  await rejects(assert, fewShot({ support: good.support, query: good.query }), 'TypeError', 'ERR_MISSING', 'supportLabels');
  const pts = [[0, 0], [1, 1], [2, 2], [3, 3]];
  await rejects(assert, cluster({ points: pts, numClusters: 5 }), 'RangeError', 'ERR_DOMAIN', 'numClusters');
  await rejects(assert, cluster({ points: pts, numClusters: 2, knn: 4 }), 'RangeError', 'ERR_DOMAIN', 'knn');
  await rejects(assert, cluster({ points: [[0, 0], [1]], numClusters: 1 }), 'TypeError', 'ERR_SHAPE', 'points');
  await rejects(assert, cluster({ points: [[0, NaN], [1, 1]], numClusters: 1 }), 'RangeError', 'ERR_NOT_FINITE', 'points');
  await rejects(assert, cluster({ points: pts }), 'TypeError', 'ERR_MISSING', 'numClusters');
  await rejects(assert, cluster({ points: pts, numClusters: 2, seed: -1 }), 'RangeError', 'ERR_DOMAIN', 'seed');
  const r = await fewShot(good);
  assert.deepEqual(Array.from(r.labels), [0, 1, 0, 1]);
  const c = await cluster({ points: pts, numClusters: 2, knn: 2 });
  assert.equal(c.labels.length, 4);
});

test('abort and time limit', async () => {
  const ac = new AbortController();
  const p = cluster({ points: pixels, dim: D, numClusters: 10 }, { signal: ac.signal });
  ac.abort();
  await assert.rejects(p, (e) => e.name === 'AbortError');
  const r = await cluster({ points: pixels, dim: D, numClusters: 10 }, { timeLimitMs: 1 });
  assert.equal(r.status, 'time_limit');
  assert.equal(r.labels.length, golden.digits.n);
});
