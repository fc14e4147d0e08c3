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
export function sparseOT(input: Record<string, unknown>, options?: CallOptions): Promise<SolveInfo & Record<string, unknown>>;

// ---- fewShot, cluster ----
export function fewShot(input: Record<string, unknown>, options?: CallOptions): Promise<SolveInfo & Record<string, unknown>>;
export function cluster(input: Record<string, unknown>, options?: CallOptions): Promise<SolveInfo & Record<string, unknown>>;

// ---- halpern ----
export function halpern(input: Record<string, unknown>, options?: CallOptions): Promise<SolveInfo & Record<string, unknown>>;

// ---- convexReLU, predictReLU ----
export function convexReLU(input: Record<string, unknown>, options?: CallOptions): Promise<SolveInfo & Record<string, unknown>>;
export function predictReLU(model: Record<string, unknown>, X: MatrixInput, options?: CallOptions): Promise<Float64Array>;
