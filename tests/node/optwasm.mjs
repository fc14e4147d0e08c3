// The package under test. `npm test` (tests/run.sh) installs the packed
// tarball into a scratch project and points OPTWASM_CONSUMER at it, so these
// tests import 'optwasm' exactly as a user would; without it (running one
// test file by hand after `npm run build`) they use dist/ directly.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const consumer = process.env.OPTWASM_CONSUMER;
export default await import(consumer
  ? pathToFileURL(join(consumer, 'index.mjs')).href
  : new URL('../../dist/node.js', import.meta.url).href);

/** Assert that promise rejects with the given error name and code. */
export async function rejects(assert, promise, name, code, field) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `name of ${e}`);
    assert.equal(e.code, code, `code of ${e}`);
    if (field !== undefined) assert.equal(e.field, field, `field of ${e}`);
    return true;
  });
}
