// A small static file server for the demo site and the browser tests.
// `node tests/serve.mjs` serves site/ at / and the built package (dist/) at
// /optwasm/ on http://localhost:8080 (PORT overrides the port).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ts': 'text/plain; charset=utf-8',
};

/**
 * Serve directories under URL prefixes, e.g. { '/': 'site', '/optwasm/': 'dist' }.
 * Resolves to { url, close }. Listens on 127.0.0.1 only.
 */
export function startServer({ mounts, port = 0, host = '127.0.0.1' }) {
  const table = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length)
    .map(([prefix, dir]) => [prefix, resolve(dir)]);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return send(res, 404, 'not found');
    const [prefix, root] = mount;
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      send(res, 404, 'not found');
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok({
    url: `http://${host}:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  })));
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const port = Number(process.env.PORT ?? 8080);
  await startServer({ mounts: { '/': join(root, 'site'), '/optwasm/': join(root, 'dist') }, port });
  console.log(`optwasm demo: http://localhost:${port}/`);
}
