// Helpers for the benchmarks: run the same input through the wasm module
// (in Node) and natively (cmd/benchnative), print ratio tables.
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const optwasm = await import('../../dist/node.js');
const nativeBin = `${root}/tests/bench/out/benchnative`;

/** Build the native runner once (run.mjs calls this). */
export function buildNative() {
  execFileSync('go', ['build', '-o', nativeBin, './cmd/benchnative'], { cwd: root, stdio: 'inherit' });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// JSON for the native runner: typed arrays as plain arrays.
const toJSON = (value) => JSON.stringify(value, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));

/** Solve natively `repeat` times; { ms: median solve time, result }. */
export function native(fn, input, repeat = 3) {
  const r = spawnSync(nativeBin, { input: toJSON({ fn, input, repeat }), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`benchnative ${fn}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  return { ms: median(out.elapsedMs), result: out.result };
}

/** Solve in wasm (Node worker) `repeat` times; { ms: median solve time inside wasm, wallMs, result }. */
export async function wasm(fn, input, repeat = 3, options) {
  const solve = (x) => optwasm[fn](x, options);
  await solve(input); // warm-up: compile, first-call costs, memory growth
  const ms = [], wall = [];
  let result;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await solve(input);
    wall.push(performance.now() - t0);
    ms.push(result.elapsedMs);
  }
  return { ms: median(ms), wallMs: median(wall), result };
}

/** Time an async function: median wall ms over `repeat` runs after one warm-up. */
export async function time(fn, repeat = 3) {
  let result = await fn();
  const ms = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), result };
}

/**
 * Run a Python snippet with Debian's python3 (numpy, scipy, POT, sklearn),
 * feeding `input` as JSON on stdin; returns the parsed JSON it prints, or
 * null (with a note) when that Python or a module is missing.
 */
export function python(code, input) {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: toJSON(input ?? null), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) {
    console.log(`  (python reference skipped: ${(r.error?.message ?? r.stderr).trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout);
}

/** Deterministic uniform random numbers in [0, 1) (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cell = (x) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(3)) : String(x));

/** Print a Markdown table. */
export function table(title, headers, rows) {
  console.log(`\n### ${title}\n`);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.map(cell).join(' | ')} |`);
}

/** "1.23x (target <= 1.6x: met)" style verdicts. */
export function verdict(value, target, ok) {
  return `${cell(value)} (target ${target}: ${ok ? 'met' : 'NOT met'})`;
}
