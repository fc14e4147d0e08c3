// npm run bench: every tests/bench/*.bench.mjs in turn, each printing its
// tables of ratios measured in this one run. BENCH=name runs only the files
// whose name contains it.
import { readdir } from 'node:fs/promises';
import { buildNative } from './lib.mjs';

const only = process.env.BENCH;
const files = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
buildNative();
console.log(`# optwasm benchmarks (${new Date().toISOString()}, Node ${process.version})`);
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f.replace('.bench.mjs', '')}`);
  try {
    await (await import(`./${f}`)).default();
  } catch (e) {
    failed++;
    console.log(`\n**${f} failed:** ${e.stack ?? e}`);
  }
}
process.exitCode = failed ? 1 : 0;
