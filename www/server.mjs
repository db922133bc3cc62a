// The demo's production server: `next start`, plus what a CDN in front of a
// Next.js app does for the build's immutable assets (/_next/static: the JS
// chunks, the CSS, the package's wasm): serve them brotli-compressed to
// browsers that accept it. `next start` alone compresses with gzip only; on
// the wasm brotli is ~18% smaller, on the JS ~12%, which on a slow link is
// time to live (BENCHMARKS.md, "Live sooner").
//
// The .br files are made once per build, next to the assets (skipped when
// they are newer than the asset), and kept in memory: a request never reaches
// the file system with a path it chose. PULSE_BROTLI=0 serves exactly what
// `next start` serves (the bench's side-by-side baseline).
//
// Usage: node server.mjs [-H host] [-p port]   (defaults: 127.0.0.1, $PORT or 3000)
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import next from 'next';

const WWW = fileURLToPath(new URL('.', import.meta.url));
const STATIC_DIR = join(WWW, '.next', 'static');
const STATIC_URL = '/_next/static/';
const TYPES = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };

function arg(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Every compressible build asset as `{url path → brotli bytes}`, compressing what is missing or stale. */
function brotliAssets() {
  const assets = new Map();
  if (!existsSync(STATIC_DIR)) return assets;
  for (const name of readdirSync(STATIC_DIR, { recursive: true })) {
    const file = join(STATIC_DIR, String(name));
    const type = TYPES[extname(file)];
    if (!type || !statSync(file).isFile()) continue;
    const br = `${file}.br`;
    if (!existsSync(br) || statSync(br).mtimeMs < statSync(file).mtimeMs) {
      const source = readFileSync(file);
      const packed = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } });
      // Written aside and renamed: two servers starting at once never read half a file.
      const aside = `${br}.${process.pid}.tmp`;
      writeFileSync(aside, packed);
      renameSync(aside, br);
    }
    assets.set(STATIC_URL + relative(STATIC_DIR, file).split(sep).join('/'), { type, body: readFileSync(br) });
  }
  return assets;
}

/** Answers a GET/HEAD for a known asset from a browser that takes brotli; false lets Next answer. */
function serveBrotli(assets, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!/\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''))) return false;
  const path = String(req.url ?? '').split('?')[0];
  const asset = path.startsWith(STATIC_URL) ? assets.get(path) : undefined;
  if (!asset) return false;
  res.writeHead(200, {
    'Content-Type': asset.type,
    'Content-Encoding': 'br',
    'Content-Length': asset.body.length,
    // The build's asset names carry their content hash, as Next's own header says.
    'Cache-Control': 'public, max-age=31536000, immutable',
    Vary: 'Accept-Encoding',
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
  return true;
}

const hostname = arg('-H', '127.0.0.1');
const port = Number(arg('-p', process.env.PORT ?? 3000));
const assets = process.env.PULSE_BROTLI === '0' ? new Map() : brotliAssets();
const app = next({ dev: false, dir: WWW, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
createServer((req, res) => {
  if (!serveBrotli(assets, req, res)) handle(req, res);
})
  .on('error', (error) => {
    console.error(`[demo] ${error.message}`);
    process.exit(1);
  })
  .listen(port, hostname, () => console.log(`demo server ready on http://${hostname}:${port} (brotli for ${assets.size} build assets)`));
