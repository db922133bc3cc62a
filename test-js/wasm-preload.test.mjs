// The browser entry starts downloading the wasm when it is evaluated
// (js/wasm-init.ts), not when init() is first called (which under React is
// after mount): in headless Chromium, a plain module page imports the entry,
// waits, then calls init(). The wasm request must have started, and finished,
// before init() was called, and init() must reuse it (one request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
/** How long the page waits between evaluating the entry and calling init(). */
const INIT_AFTER_MS = 400;

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "opsmantik-pulse": "/dist/index.js" } }</script>
<script type="module">
  import { init, isInitialized } from 'opsmantik-pulse';
  const evaluatedAt = performance.now();
  setTimeout(async () => {
    const initCalledAt = performance.now();
    await init();
    const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => ({ start: e.startTime, end: e.responseEnd }));
    window.result = { evaluatedAt, initCalledAt, ready: isInitialized(), wasm };
  }, ${INIT_AFTER_MS});
</script></head><body></body></html>`;

function serve() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(ROOT, path));
    if (!(file.startsWith(join(ROOT, 'dist')) || file.startsWith(join(ROOT, 'pkg')))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('in Chromium the wasm download starts when the browser entry is evaluated, before init() is called, and init() reuses it', async () => {
  const server = await serve();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
    const r = await page.evaluate(() => window.result);
    assert.deepEqual(errors, []);
    assert.equal(r.ready, true);
    assert.equal(r.wasm.length, 1, `one wasm request, reused by init(): ${JSON.stringify(r.wasm)}`);
    const [wasm] = r.wasm;
    assert.ok(wasm.start < r.initCalledAt, `the request started (${wasm.start.toFixed(0)} ms) before init() was called (${r.initCalledAt.toFixed(0)} ms)`);
    assert.ok(wasm.start <= r.evaluatedAt + 50, `it started at the entry's evaluation (${r.evaluatedAt.toFixed(0)} ms), not later`);
    assert.ok(wasm.end < r.initCalledAt, 'and was downloaded before init() was called');
  } finally {
    await browser.close();
    server.close();
  }
});
