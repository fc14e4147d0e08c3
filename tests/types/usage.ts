// Compiled (not run) by tests/node/types.test.js against the installed
// package's declarations: each function as a user would call it, and calls
// the declarations must refuse (each marked as an expected error).
import {
  init, version, sparseSimplexProjection, sparseOT, fewShot, cluster, halpern, convexReLU, predictReLU,
  type OptwasmError, type Progress, type Status,
} from 'optwasm';

async function main(): Promise<void> {
  await init({ wasm: new URL('https://example.invalid/optwasm.wasm'), worker: true });
  const v: string = version();
  const ac = new AbortController();
  const onProgress = (p: Progress): void => { console.log(p.iteration, p.objective ?? p.residual); };

  const proj = await sparseSimplexProjection({ v: [1, 2, 3], k: 2, z: 1 }, { signal: ac.signal });
  const support: Int32Array = proj.support;

  const ot = await sparseOT({ a: [0.5, 0.5], b: new Float64Array([0.5, 0.5]), cost: [[0, 1], [1, 0]], k: 1, gamma: 0.1 },
    { onProgress, timeLimitMs: 1000 });
  const status: Status = ot.status;
  const values: Float64Array = ot.plan.values;
  const cost: number = ot.transportCost + ot.marginalError.source + ot.iterations + ot.elapsedMs;

  const fs = await fewShot({ support: [[0, 1], [1, 0]], supportLabels: [0, 1], query: [[0.1, 0.9]], method: 'slk-means' });
  const labels: Int32Array = fs.labels;
  const cl = await cluster({ points: new Float64Array(20), dim: 2, numClusters: 2, seed: 1 });
  const energy: Float64Array = cl.energy;

  const game = await halpern({ problem: { type: 'matrixGame', A: [[0, 1], [1, 0]] }, restart: true, tol: 1e-8 });
  const gap: number | undefined = game.gap;
  const op = await halpern({ problem: { type: 'operator', dim: 2, apply: (z) => [z[1], -z[0]] }, method: 'eag' });
  const residual: number = op.residual;

  const relu = await convexReLU({ X: [[1, 2], [3, 4]], y: [1, -1], beta: 0.1, bias: true, adversarial: { epsilon: 0.1, norm: 'linf' } });
  const pred: Float64Array = await predictReLU(relu.model, [[1, 2]]);

  try {
    await sparseOT({ a: [1], b: [1], cost: [[0]], k: 0, gamma: 1 });
  } catch (e) {
    const err = e as OptwasmError;
    const code: string = err.code;
    console.log(code, err.field);
  }
  console.log(v, support, status, values, cost, labels, energy, gap, residual, pred);

  // @ts-expect-error gamma is required
  await sparseOT({ a: [1], b: [1], cost: [[0]], k: 1 });
  // @ts-expect-error not a method
  await fewShot({ support: [[0]], supportLabels: [0], query: [[0]], method: 'svm' });
  // @ts-expect-error not a problem type
  await halpern({ problem: { type: 'lp', A: [[0]] } });
  // @ts-expect-error unknown call option
  await sparseSimplexProjection({ v: [1], k: 1 }, { timeout: 5 });
}

main();
