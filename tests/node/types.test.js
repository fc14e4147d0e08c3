// The TypeScript declarations, as a user's tsc sees them through the
// installed package's `exports` (types condition): tests/types/usage.ts must
// compile under --strict, including its @ts-expect-error lines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const consumer = process.env.OPTWASM_CONSUMER;

test('the declarations type-check a user program', { skip: !consumer && 'set by tests/run.sh' }, async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await copyFile(new URL('../types/usage.ts', import.meta.url), join(consumer, 'usage.ts'));
  await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], skipLibCheck: false },
    files: ['usage.ts'],
  }));
  try {
    execFileSync(process.execPath, [tsc, '-p', consumer], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }
});
