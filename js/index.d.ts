// Type declarations for optwasm. Every solver is `fn(input, options?) => Promise<result>`.

/** A vector: a Float64Array or a plain array of numbers. */
export type Vector = Float64Array | ArrayLike<number>;
/** A matrix: flat row-major numbers (give the dimensions in the input) or an array of rows. */
export type MatrixInput = Float64Array | number[] | ArrayLike<number>[];

/** Options every solver call takes. */
export interface CallOptions {
  /** Aborting rejects the call with an `AbortError` (the worker running it is replaced). */
  signal?: AbortSignal;
  /** Called at a bounded rate (at most every 50 ms) while the solver runs. */
  onProgress?: (p: Progress) => void;
  /** Stop with status 'time_limit' after this many milliseconds. */
  timeLimitMs?: number;
}

export interface Progress {
  iteration: number;
  objective?: number;
  residual?: number;
}

/** How an iterative solve ended. */
export type Status = 'converged' | 'max_iter' | 'time_limit';

/** Fields every solver result has. */
export interface SolveInfo {
  status: Status;
  iterations: number;
  /** Wall time of the solve inside the wasm module, in milliseconds. */
  elapsedMs: number;
}

/**
 * The error every call rejects with on bad input: `name` is 'TypeError' or
 * 'RangeError'; `code` is stable; `field` names the input field.
 */
export interface OptwasmError extends Error {
  code: 'ERR_SHAPE' | 'ERR_TYPE' | 'ERR_NOT_FINITE' | 'ERR_DOMAIN' | 'ERR_OPTION' | 'ERR_MISSING'
    | 'ERR_CALLBACK' | 'ERR_INTERNAL' | 'ERR_WASM_LOAD' | 'ERR_WORKER';
  field?: string;
}

export interface InitOptions {
  /** Where the .wasm is: URL or path, its bytes, or a compiled module. Default: next to the package's JS. */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
  /** Browsers: the URL of the package's worker.js, when it must come from elsewhere (same origin). */
  workerURL?: string | URL;
  /** false: run solves on the calling thread instead of a worker (blocks it while solving). */
  worker?: boolean;
}

/** Optional: load the module ahead of the first call. Options only before the first call. */
export function init(options?: InitOptions): Promise<void>;
/** The package version. */
export function version(): string;

// ---- sparseSimplexProjection ----
export interface SparseSimplexProjectionInput {
  v: Vector;
  /** At most k nonzeros (integer >= 1). */
  k: number;
  /** The total of x (> 0). Default 1. */
  z?: number;
}
export interface SparseSimplexProjectionResult {
  x: Float64Array;
  /** Indices of the nonzeros of x, increasing. */
  support: Int32Array;
  elapsedMs: number;
}
/** Euclidean projection of v onto {x >= 0, sum x = z, ||x||_0 <= k}. */
export function sparseSimplexProjection(input: SparseSimplexProjectionInput, options?: CallOptions): Promise<SparseSimplexProjectionResult>;

// ---- sparseOT ----
export interface SparseOTInput {
  /** Source weights (length n), positive. */
  a: Vector;
  /** Target weights (length m), positive, with the same total as `a` (any positive total). */
  b: Vector;
  /** The n x m cost: flat row-major or an array of rows. */
  cost: MatrixInput;
  /** Rows of a flat `cost` (default: a.length). */
  n?: number;
  /** Columns of a flat `cost` (default: b.length). */
  m?: number;
  /**
   * At most k nonzeros per column (per row with sparsity 'row'); integer >= 1. k >= n: quadratically
   * regularised OT. k = 1 with n = m and equal weights: the assignment problem, solved exactly (auction).
   */
  k: number;
  /** Weight of the regulariser (gamma/2)||T||_F^2, > 0. */
  gamma: number;
  /** Which axis carries the bound. Default 'column'. */
  sparsity?: 'column' | 'row';
  /** 'semidual' (default; constrained marginals exact at every iterate) or 'dual'. */
  method?: 'semidual' | 'dual';
  /** L-BFGS iteration budget (>= 1). Default 1000. */
  maxIter?: number;
  /** Stop when the L1 marginal error / total mass <= tol. Default 1e-9; 0 runs until maxIter or a stall. */
  tol?: number;
  /** Warm start for the source potentials (length n); the semi-dual with sparsity 'row' ignores it. */
  alpha0?: Vector;
  /** Warm start for the target potentials (length m); the semi-dual with sparsity 'column' ignores it. */
  beta0?: Vector;
  /**
   * true: afterwards rescale the plan on its support (widened to the k best entries of each
   * constrained column by reduced cost) so that both marginals hold, never exceeding k; see
   * `repaired` for whether it succeeded.
   */
  repair?: boolean;
  /** true: add `history` (objective and relative marginal error per iteration). */
  history?: boolean;
}
export interface SparseOTResult extends SolveInfo {
  /** The plan in coordinate form, grouped by the constrained axis (increasing index inside a group). */
  plan: { n: number; m: number; rows: Int32Array; cols: Int32Array; values: Float64Array };
  /** sum T_ij C_ij of the returned plan. */
  transportCost: number;
  /** The (semi-)dual objective: equals <T,C> + (gamma/2)||T||^2 at the optimum when the marginals hold. */
  objective: number;
  /** Potentials: T_ij = max(alpha_i + beta_j - C_ij, 0) / gamma on the support. */
  dual: { alpha: Float64Array; beta: Float64Array };
  /** L1 norms of T1 - a (source) and T^T 1 - b (target). Small k leaves source errors (column sparsity). */
  marginalError: { source: number; target: number };
  /** Largest number of nonzeros in a constrained column (row). */
  maxNonzeros: number;
  /** Objective/gradient evaluations (each O(nm)). */
  evaluations: number;
  /** With `repair: true`: whether both marginals now hold within tol. */
  repaired?: boolean;
  history?: { objective: Float64Array; residual: Float64Array };
}
/**
 * Sparsity-constrained optimal transport (Liu, Puigcerver, Blondel, ICLR 2023): minimise
 * <T, C> + (gamma/2)||T||_F^2 over T >= 0 with marginals a, b and at most k nonzeros per column.
 */
export function sparseOT(input: SparseOTInput, options?: CallOptions): Promise<SparseOTResult>;

// ---- fewShot, cluster ----
/** Feature transform before inference. */
export type FewShotPreprocess = 'center-l2' | 'l2' | 'none';
/** Options of the two nested loops (prototype updates outside, bound steps inside). */
export interface FewShotLimits {
  /** Outer iterations (prototype update + bound loop). Default 100. */
  maxIter?: number;
  /** Outer stop at relative energy change <= tol (from the 3rd outer iteration). Default 1e-4. */
  tol?: number;
  /** Bound-optimiser steps per outer iteration. Default 600. */
  maxInner?: number;
  /** Inner stop at relative energy change <= innerTol (from the 3rd step). Default 1e-7. */
  innerTol?: number;
  /** true: add `history` (energy and outer iteration of every bound step). */
  history?: boolean;
}
export interface FewShotInput extends FewShotLimits {
  /** Labelled points: flat row-major (give `dim`) or an array of rows. */
  support: MatrixInput;
  /** One class per support row, integers in [0, numClasses); every class needs one. */
  supportLabels: ArrayLike<number>;
  /** Unlabelled points, same dimension as the support. */
  query: MatrixInput;
  /** Feature dimension (needed for flat matrices). */
  dim?: number;
  /** K. Default: 1 + the largest support label. */
  numClasses?: number;
  /**
   * 'slk-means' (default): prototypes + Laplacian + clamped support (the paper's model);
   * 'laplacianshot': fixed prototypes (support means) + Laplacian over the queries;
   * 'kmeans': 'slk-means' with lambda 0; 'prototype': nearest support mean (inductive).
   */
  method?: 'slk-means' | 'laplacianshot' | 'kmeans' | 'prototype';
  /** Laplacian weight >= 0. Default 0.7 ('slk-means'), 1 ('laplacianshot'); not allowed for the others. */
  lambda?: number;
  /** The graph links each point to its knn - 1 nearest other points (1 <= knn < points in the graph). Default 3. */
  knn?: number;
  /** Default 'center-l2' (centre on the episode mean, or on `center`, then unit rows). */
  preprocess?: FewShotPreprocess;
  /** Centre for 'center-l2' (length dim), e.g. the mean of the base classes. */
  center?: Vector;
}
export interface FewShotHistory {
  energy: Float64Array;
  /** Outer iteration (from 0) of each bound step; the energy never rises within one. */
  outer: Float64Array;
}
export interface FewShotResult extends SolveInfo {
  /** argmax of each row of probabilities: per query (fewShot) or per point (cluster). */
  labels: Int32Array;
  /** labels.length x numClasses, row-major: the soft assignments y_p. */
  probabilities: Float64Array;
  numClasses: number;
  /** numClasses x dim, row-major, in the preprocessed feature space. */
  prototypes: Float64Array;
  dim: number;
  /** E(Y) = sum_p y_p.(log y_p + a_p) - (lambda/2) sum_pq w_pq y_p.y_q after every bound step. */
  energy: Float64Array;
  /** Parallel bound steps replaced by a Gauss-Seidel sweep because they would have raised E. */
  safeguards: number;
  history?: FewShotHistory;
}
/** Transductive few-shot inference (Ziko et al. 2021; LaplacianShot, ICML 2020). */
export function fewShot(input: FewShotInput, options?: CallOptions): Promise<FewShotResult>;

export interface ClusterInput extends FewShotLimits {
  /** The points: flat row-major (give `dim`) or an array of rows. */
  points: MatrixInput;
  dim?: number;
  /** Number of clusters, 1 <= numClusters <= points. */
  numClusters: number;
  /** Laplacian weight >= 0 (0: plain K-means). Default 1.5. */
  lambda?: number;
  /** Default 3 (see FewShotInput.knn). */
  knn?: number;
  /** Default 'center-l2' (centre on the mean of the points, or on `center`). */
  preprocess?: FewShotPreprocess;
  center?: Vector;
  /** Seeds the K-means++ initialisation (integer >= 0). Default 0: same seed, same result. */
  seed?: number;
  /** K-means++ seedings, each refined by plain K-means; the least-inertia one starts the model. Default 5. */
  restarts?: number;
}
/** Laplacian-regularised K-means clustering: the fewShot model with no labelled point. */
export function cluster(input: ClusterInput, options?: CallOptions): Promise<FewShotResult>;

// ---- halpern ----
/** min over x in the simplex of size `rows`, max over y in the simplex of size `cols`, of x^T A y. */
export interface HalpernMatrixGame {
  type: 'matrixGame';
  /** The payoff matrix: flat row-major (give `rows` or `cols`) or an array of rows. */
  A: MatrixInput;
  rows?: number;
  cols?: number;
}
/** Find z in the box with 0 in M z + q + N_box(z); M monotone (M + M^T positive semidefinite). */
export interface HalpernAffine {
  type: 'affine';
  /** n x n, flat row-major or an array of rows (n = q.length). */
  M: MatrixInput;
  q: Vector;
  /** Box bounds (length n); absent means unbounded (-Infinity / +Infinity entries are allowed). */
  lower?: Vector;
  upper?: Vector;
}
/** A monotone operator given as a JS function; deterministic methods only ('auto', 'halpern', 'eag'). */
export interface HalpernOperator {
  type: 'operator';
  dim: number;
  /** F(z): must return `dim` finite numbers; an exception rejects the call with ERR_CALLBACK. Runs on the calling thread. */
  apply: (z: Float64Array) => ArrayLike<number>;
  lower?: Vector;
  upper?: Vector;
}
export type HalpernMethod = 'auto' | 'halpern' | 'eag' | 'vr-halpern' | 'vr-halpern-inexact';
export interface HalpernInput {
  problem: HalpernMatrixGame | HalpernAffine | HalpernOperator;
  /**
   * 'auto' (default): 'vr-halpern' for affine problems with symmetric M (cocoercive), else 'eag'.
   * 'halpern': forward-backward Halpern (cocoercive problems only; not games).
   * 'eag': extra-anchored gradient. 'vr-halpern': the paper's Algorithm 1 (PAGE estimator,
   * batch floor(sqrt n)). 'vr-halpern-inexact': the paper's Algorithm 2 (inexact resolvent by VR-FoRB).
   */
  method?: HalpernMethod;
  /** Oracle budget in epochs (one epoch = n component evaluations, n = dimension of z); never exceeded. Default 1000. */
  maxEpochs?: number;
  /** Stop when the residual ||z - P(z - F(z))|| <= tol. Default 1e-6; 0 uses the whole budget. */
  tol?: number;
  /** Step size (resolvent parameter for 'vr-halpern-inexact'). Default from norms of the data (1/||M||_2 on the domain, 1/||M||_F). */
  stepSize?: number;
  /** 'vr-halpern' batch size (1..n). Default floor(sqrt n). */
  batchSize?: number;
  /** Seed of the sampled methods (integer >= 0). Default 0. */
  seed?: number;
  /** Adaptive restarts of the anchor (when the residual has fallen 5x since the last anchor): use for tight tolerances. */
  restart?: boolean;
  /** Record `history`. */
  history?: boolean;
}
export interface HalpernResult extends SolveInfo {
  /** The method that ran ('auto' resolved). */
  method: Exclude<HalpernMethod, 'auto'>;
  /** Games: the strategies (exactly in their simplices). */
  x?: Float64Array;
  y?: Float64Array;
  /** Affine and operator problems: the solution. */
  z?: Float64Array;
  /** ||z - P(z - F(z))|| at the returned point (the last point where F was evaluated in full). */
  residual: number;
  /** Games: max_j (A^T x)_j - min_i (A y)_i. */
  gap?: number;
  /** Games: x^T A y. */
  value?: number;
  /** Component evaluations used (a full F counts n, a sampled difference 2 per index). */
  oracleCalls: number;
  /** oracleCalls / n. */
  epochs: number;
  stepSize: number;
  /** 'vr-halpern' only. */
  batchSize?: number;
  restarts: number;
  history?: { oracleCalls: Float64Array; residual: Float64Array };
}
/** Variance-reduced Halpern iteration and anchored methods for monotone inclusions (Cai, Alacaoglu, Diakonikolas, ICLR 2024). */
export function halpern(input: HalpernInput, options?: CallOptions): Promise<HalpernResult>;

// ---- convexReLU, predictReLU ----
/** A two-layer ReLU network x -> sum_j outputWeights[j] * max(0, x . weights_j + bias[j]). */
export interface ReLUModel {
  inputDim: number;
  hidden: number;
  /** hidden x inputDim, row-major (row j = u_j). */
  weights: Float64Array | ArrayLike<number>;
  /** alpha_j, length hidden. */
  outputWeights: Float64Array | ArrayLike<number>;
  /** Hidden biases (length hidden); absent when trained without `bias`. */
  bias?: Float64Array | ArrayLike<number>;
}
export interface ConvexReLUInput {
  /** n x d data: flat row-major (give `n` or `d`) or an array of rows. */
  X: MatrixInput;
  /** n targets (+-1 labels for classification; any reals for regression). */
  y: Vector;
  n?: number;
  d?: number;
  /** Only 'squared' (1/2 sum (yhat - y)^2). */
  loss?: 'squared';
  /** Weight decay beta >= 0 (the group-lasso weight of the convex program). */
  beta: number;
  /** Number of Gaussian gate vectors g_i ~ N(0, I) drawn from `seed`; patterns D_i = diag(1[X g_i >= 0]), duplicates dropped. Required unless `gates` is given. */
  numPatterns?: number;
  /** Gate vectors instead of random ones: numPatterns x d (or d+1 with `bias`, the last entry multiplying the ones column). The hidden weights of a trained network (e.g. [weights_j, bias_j]) give its own activation patterns: a warm start. */
  gates?: MatrixInput;
  /** Seed of the random gates (integer >= 0). Default 0. */
  seed?: number;
  /** ADMM penalty. Default 0.3 * beta (1 for adversarial training). */
  rho?: number;
  /** Residual balancing: rho doubled or halved when one residual dominates (refactorising only then). Default false. */
  adaptive?: boolean;
  /** 'exact' keeps the cone constraints (2D_i - I) X v_i >= 0; 'approximate' drops them. Default 'exact'. */
  formulation?: 'exact' | 'approximate';
  /** Default 2000. */
  maxIter?: number;
  /** Relative primal/dual residual tolerance. Default 1e-4; 0 runs all maxIter iterations. */
  tol?: number;
  /** Append a ones column to X (hidden-unit biases). Default false. */
  bias?: boolean;
  /** Robust training against ||delta||_inf <= epsilon on every training point (the bias column is not perturbed); needs 'exact'. */
  adversarial?: { epsilon: number; norm?: 'linf' };
  /** Record objective and residuals per iteration. */
  history?: boolean;
}
export interface ConvexReLUResult extends SolveInfo {
  /** The recovered network (one hidden unit per nonzero v_i or w_i). */
  model: ReLUModel & { weights: Float64Array; outputWeights: Float64Array; bias?: Float64Array };
  /** The convex objective at the returned solution. */
  objective: number;
  /** The network's regularised loss 1/2||f(X) - y||^2 + beta/2 sum_j (||u_j||^2 + alpha_j^2) (non-robust); equals `objective` when the constraints hold. */
  networkObjective: number;
  /** A certified lower bound on the optimum from the ADMM duals (absent for adversarial training). */
  lowerBound?: number;
  /** Largest violation of the (robust) cone constraints; 0 for 'approximate'. */
  constraintViolation: number;
  /** Fraction of sign(f(x)) == y on the training set, when every y is +-1. */
  trainAccuracy?: number;
  /** Number of distinct patterns kept. */
  numPatterns: number;
  /** numPatterns x n, 0/1 (row i = diag D_i). */
  patterns: Float64Array;
  /** The gate row each kept pattern came from. */
  keptGates: Int32Array;
  /** numPatterns x width gates used (width = d, +1 with bias). */
  gates: Float64Array;
  /** numPatterns x width solution blocks v_i and w_i. */
  v: Float64Array;
  w: Float64Array;
  primalResidual: number;
  dualResidual: number;
  /** Final rho and the number of factorisations (1 unless `adaptive` changed rho). */
  rho: number;
  factorisations: number;
  /** Whether the x-step used the Woodbury form (n x n system) instead of the dense (2dP)^2 one. */
  woodbury: boolean;
  history?: { objective: Float64Array; primal: Float64Array; dual: Float64Array };
}
/** Train a two-layer ReLU network by the convex program over sampled activation patterns (ADMM). */
export function convexReLU(input: ConvexReLUInput, options?: CallOptions): Promise<ConvexReLUResult>;
/** sum_j alpha_j max(0, x . u_j + c_j) for every row x of X (flat rows of width model.inputDim, or an array of rows). */
export function predictReLU(model: ReLUModel, X: MatrixInput, options?: CallOptions): Promise<Float64Array>;
