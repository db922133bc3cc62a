// The packed package in real apps (issue 13): each fixture installs the
// tarball from `npm pack`, takes its app code from the README (so the README
// cannot drift), type-checks against the real @supabase/supabase-js, builds,
// serves on 127.0.0.1 and is opened in headless Chromium against the local
// Supabase stand-in (backend.mjs): status SUBSCRIBED, a realtime callback
// fired, stats from the backend, no console error, no hydration warning.
//
// PULSE_CONSUMERS selects fixtures (comma-separated names below, or `all`);
// the default is every fixture. scripts/consumers.sh packs and runs this.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANON_KEY, SITE_ID, startBackend } from './backend.mjs';
import { FIXTURES, closeBrowser, freePort, openLivePage, prepare, run, start, waitForHttp } from './harness.mjs';

const only = (process.env.PULSE_CONSUMERS ?? 'all').split(',').map((s) => s.trim());
const enabled = (name) => only.includes('all') || only.includes(name);

let backend;
before(async () => {
  backend = await startBackend();
});
after(async () => {
  await closeBrowser();
  await backend?.close();
});

// The Next.js App Router recipe, as the README gives it.
const NEXT_README = { 'app/sites/[siteId]/page.tsx': 'app/sites/[siteId]/page.tsx', 'app/sites/[siteId]/dashboard.tsx': 'app/sites/[siteId]/dashboard.tsx' };

function nextEnv() {
  return { NEXT_PUBLIC_SUPABASE_URL: backend.url, NEXT_PUBLIC_SUPABASE_ANON_KEY: ANON_KEY };
}

/** Runs `check` against a started server, then stops it; the server must not have logged an error. */
async function withServer(server, check) {
  try {
    await check();
  } finally {
    const out = await server.stop();
    assert.doesNotMatch(out, /⨯|Error:/, out);
  }
}

/** Opens the dashboard page and checks what every fixture must show. */
async function checkLive(base, { ssr, path = `${base}/sites/${SITE_ID}`, extra }) {
  const rpcBefore = backend.state.rpc.length;
  const sealedNow = backend.state.sealed;
  if (ssr) {
    // The server render already has the backend's stats (the server snapshot), before any script runs.
    const html = await (await waitForHttp(path)).text();
    assert.match(html, new RegExp(`data-testid="sealed">${sealedNow}<`), 'server-rendered stats from the backend');
    assert.match(html, /data-testid="status">INIT</);
  }
  const seen = await openLivePage(path, { sealedAfter: sealedNow + 1, extra });
  assert.deepEqual(seen.consoleErrors, [], 'no console errors');
  assert.deepEqual(seen.hydration, [], 'no hydration warnings');
  assert.equal(seen.wasmRequests.length, 1, `the wasm downloaded once: ${seen.wasmRequests}`);
  assert.equal(seen.status, 'SUBSCRIBED');
  assert.ok(seen.calls >= 1, 'the realtime callback fired');
  assert.equal(seen.sealed, String(sealedNow + 1), 'stats refetched from the backend after the insert');
  assert.equal(seen.error, null);
  if (ssr) assert.equal(seen.initial.sealed, String(sealedNow), 'the first render shows the server snapshot');
  assert.deepEqual(backend.state.badRpc, [], 'every RPC with the parameter names of the SQL functions');
  assert.ok(backend.state.rpc.slice(rpcBefore).some((r) => r.name === 'get_command_center_p0_stats_v2'), 'the client fetched stats');
  const join = backend.state.joins.at(-1);
  assert.equal(join.topic, `realtime:dashboard_updates:${SITE_ID}`);
  assert.deepEqual(join.bindings.map((b) => `${b.event} ${b.table} ${b.filter}`), [
    `INSERT calls site_id=eq.${SITE_ID}`, `UPDATE calls site_id=eq.${SITE_ID}`, `INSERT sessions site_id=eq.${SITE_ID}`, 'INSERT events null',
  ]);
  return seen;
}

const SHOTS = new URL('../../test-results/consumers/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** A text only the devtools panel's code holds: whether a bundle ships the panel. */
const PANEL_MARK = 'Simulate hidden tab';

/** Every .js file below `dir`, concatenated. */
function bundleText(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.js')).map((f) => readFileSync(join(dir, String(f)), 'utf8')).join('\n');
}

/**
 * The README's <PulseDevtools /> in the app: the toggle opens the panel, which lists the requests
 * the backend saw with a bar and a reason each; its Refetch control sends a stats request.
 */
async function checkPanel(page) {
  await page.getByTestId('dt-toggle').click(); // Playwright's test-id locators reach into the open shadow root
  await page.getByTestId('dt-bar').first().waitFor({ timeout: 10_000 });
  const listed = () => page.getByTestId('dt-requests-list').evaluate((ol) => [...ol.children].map((li) => ({ ...li.dataset })));
  const items = await listed();
  const bars = await page.getByTestId('dt-bar').evaluateAll((els) => els.map((b) => ({ ...b.dataset })));
  const statsRpcs = () => backend.state.rpc.filter((r) => r.name === 'get_command_center_p0_stats_v2').length;
  const statsBefore = statsRpcs();
  await page.getByTestId('dt-refetch').click();
  await page.locator('[data-testid="dt-requests-list"] li[data-reason="manual"]').first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(SHOTS, 'next-app-devtools-open.png') }); // kept for review: the floating sheet over the app
  return { items, bars, statsBefore, statsAfter: statsRpcs(), manualBars: await page.locator('[data-testid="dt-bar"][data-reason="manual"]').count() };
}

function assertPanel(panel) {
  const rpcNames = new Set(backend.state.rpc.map((r) => r.name));
  const seen = panel.items.filter((e) => rpcNames.has(e.name));
  assert.ok(seen.some((e) => e.name === 'get_command_center_p0_stats_v2'), 'the panel lists a stats request the backend saw');
  for (const e of seen) {
    assert.ok(e.reason, `request #${e.requestId} (${e.name}) says why it fired`);
    assert.ok(panel.bars.some((b) => b.requestId === e.requestId && b.reason === e.reason), `a bar with its reason for #${e.requestId}`);
  }
  assert.ok(panel.statsAfter > panel.statsBefore, 'Refetch reached the backend');
  assert.ok(panel.manualBars >= 1, 'the refetch is drawn as asked by hand');
}

test('Next.js 16, Turbopack, output: standalone, started from another directory', { skip: !enabled('next-standalone') }, async () => {
  const dir = prepare('next-app', { readme: NEXT_README });
  run('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: dir }); // strict, with the real SupabaseClient
  run('npx', ['next', 'build'], { cwd: dir, env: { ...nextEnv(), CONSUMER_OUTPUT: 'standalone' } });
  // Deploy the standalone folder somewhere else, as a container would, and start it from a third folder.
  const deploy = mkdtempSync(join(tmpdir(), 'pulse-standalone-'));
  cpSync(join(dir, '.next/standalone'), deploy, { recursive: true });
  cpSync(join(dir, '.next/static'), join(deploy, '.next/static'), { recursive: true });
  const port = await freePort();
  const elsewhere = mkdtempSync(join(tmpdir(), 'pulse-cwd-'));
  const server = start(process.execPath, [join(deploy, 'server.js')], { cwd: elsewhere, env: { ...nextEnv(), PORT: String(port), HOSTNAME: '127.0.0.1' } });
  await withServer(server, async () => {
    const seen = await checkLive(`http://127.0.0.1:${port}`, { ssr: true, extra: checkPanel });
    assertPanel(seen.extra);
  });
  assert.ok(bundleText(join(dir, '.next/static')).includes(PANEL_MARK), 'the app that renders <PulseDevtools /> ships the panel');
  rmSync(deploy, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

test('Next.js 16 with --webpack, `next start <dir>` from another directory', { skip: !enabled('next-webpack') }, async () => {
  const dir = prepare('next-app', { readme: NEXT_README });
  run('npx', ['next', 'build', '--webpack'], { cwd: dir, env: nextEnv() });
  const port = await freePort();
  const elsewhere = mkdtempSync(join(tmpdir(), 'pulse-cwd-'));
  const server = start(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'start', dir, '-p', String(port), '-H', '127.0.0.1'], { cwd: elsewhere, env: nextEnv() });
  await withServer(server, () => checkLive(`http://127.0.0.1:${port}`, { ssr: true }));
  rmSync(elsewhere, { recursive: true, force: true });
});

test('an npm-workspaces monorepo: the package hoisted to the root, next build and start in apps/web', { skip: !enabled('monorepo') }, async () => {
  const web = 'apps/web';
  const dir = prepare('monorepo', {
    extra: { [web]: join(FIXTURES, 'next-app') },
    readme: Object.fromEntries(Object.entries(NEXT_README).map(([to, from]) => [`${web}/${to}`, from])),
    workspace: web,
  });
  assert.ok(existsSync(join(dir, 'node_modules/opsmantik-pulse/package.json')), 'hoisted to the root');
  assert.ok(!existsSync(join(dir, web, 'node_modules/opsmantik-pulse')), 'not inside the app');
  const app = join(dir, web);
  run('npx', ['next', 'build'], { cwd: app, env: nextEnv() });
  const port = await freePort();
  const server = start(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: app, env: nextEnv() });
  await withServer(server, () => checkLive(`http://127.0.0.1:${port}`, { ssr: true }));
});

test('Vite + React 19: tsc -b && vite build (strict), vite preview', { skip: !enabled('vite') }, async () => {
  const dir = prepare('vite-app', { readme: { 'src/App.tsx': 'vite/src/App.tsx' } });
  const env = { VITE_SUPABASE_URL: backend.url, VITE_SUPABASE_ANON_KEY: ANON_KEY, VITE_SITE_ID: SITE_ID };
  run('npm', ['run', 'build'], { cwd: dir, env });
  // The README's Vite app does not import the devtools: none of the panel is in its bundle.
  assert.ok(!bundleText(join(dir, 'dist')).includes(PANEL_MARK), 'the devtools panel is tree-shaken away');
  const port = await freePort();
  const server = start(join(dir, 'node_modules/.bin/vite'), ['preview', '--port', String(port), '--host', '127.0.0.1', '--strictPort'], { cwd: dir, env });
  const base = `http://127.0.0.1:${port}`;
  await withServer(server, async () => {
    await waitForHttp(base, server);
    await checkLive(base, { ssr: false, path: `${base}/` });
  });
});

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };

test('a plain HTML page with <script type="module">: no bundler, no React, devtools from the console', { skip: !enabled('plain-html') }, async () => {
  const dir = prepare('plain-html', { readme: { 'index.html': 'plain/index.html' } });
  const config = `export const SUPABASE_URL = ${JSON.stringify(backend.url)};\nexport const SUPABASE_ANON_KEY = ${JSON.stringify(ANON_KEY)};\nexport const SITE_ID = ${JSON.stringify(SITE_ID)};\n`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/api/stats/realtime') {
      const r = await fetch(`${backend.url}${url.pathname}${url.search}`);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      return res.end(await r.text());
    }
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    if (url.pathname === '/config.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(config);
    const file = join(dir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const seen = await checkLive(base, {
      ssr: false,
      path: `${base}/`,
      extra: async (page) => {
        // The panel without React (mountPulseDevtools): opens and draws a bar with a reason per request.
        await page.getByTestId('dt-toggle').click();
        await page.getByTestId('dt-bar').first().waitFor({ timeout: 10_000 });
        const reasons = await page.getByTestId('dt-bar').evaluateAll((els) => els.map((b) => b.dataset.reason));
        const console = await page.evaluate(() => ({
          help: window.__PULSE__.help(),
          ready: window.__PULSE__.ready(),
          day: window.__PULSE__.fn.dateKeyAt(Date.UTC(2026, 1, 2, 22), 'Europe/Istanbul'),
          registrations: window.__PULSE__.snapshot().length,
          stats: window.__PULSE__.counters().requests.stats,
        }));
        return { ...console, reasons };
      },
    });
    assert.ok(seen.extra.reasons.length >= 1 && seen.extra.reasons.every(Boolean), 'panel bars, each with its reason');
    assert.match(seen.extra.help, /snapshot\(\)/);
    assert.equal(seen.extra.ready, true);
    assert.equal(seen.extra.day, '2026-02-03');
    assert.equal(seen.extra.registrations, 2);
    assert.ok(seen.extra.stats >= 1);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
