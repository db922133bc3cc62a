// npm run bench:devtools — what the devtools panel costs while open, in
// headless Chromium (Debian's), with the driver's timeline holding 50 and 500
// entries (its capacity), side by side in one page: a full redraw (cards,
// lanes, bars, request list, counters, then a forced layout: opening, pausing,
// a new request), and the steady state (the main thread's busy share with the
// panel open on its own timer vs closed, the timeline unchanged); and
// the gzip size of the panel's modules, the code an app that imports the
// panel ships (the Vite consumer fixture checks that one that does not, ships
// none). The panel redraws every 250 ms while open and not at all while closed.
// Needs `npm run build` first.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = new URL('..', import.meta.url).pathname;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const REFRESHES = Number(process.env.REFRESHES ?? 60);
const WINDOW_S = Number(process.env.WINDOW_S ?? 10);
const MIME = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script type="importmap">{ "imports": { "opsmantik-pulse": "/dist/index.js", "opsmantik-pulse/devtools": "/dist/devtools.js" } }</script>
</head><body><script type="module">
import init, { PulseDriver } from 'opsmantik-pulse';
import { mountPulseDevtools } from 'opsmantik-pulse/devtools';
await init();
const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const row = (p) => ({ site_id: p.p_site_id, date_from: p.p_date_from, date_to: p.p_date_to, ads_only: p.p_ads_only, queue_pending: 0, sealed: 1, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: 1, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false });
const adapters = {
  rpc: { rpc: async (name, p) => ({ data: name === 'get_command_center_p0_stats_v2' ? row(p) : [], error: null }) },
  overlay: { fetchOverlay: async () => JSON.stringify({ captured: 1, gclid: 0, junk: 0 }) },
  realtime: { subscribe: (site, channel, h) => { queueMicrotask(() => h.onStatus('SUBSCRIBED')); return () => {}; } },
};
const settle = () => new Promise((r) => setTimeout(r, 0));
/** A dashboard's registrations, and a timeline of about \`n\` entries: refetches of today's stats. */
async function driverWith(n) {
  const d = new PulseDriver({ ...adapters, crossTab: false, seed: 1 });
  d.start();
  d.registerRealtime(SITE, false, () => ({}));
  const stats = d.registerStats(SITE, 'today', false);
  d.registerStats(SITE, 'today', true);
  await settle();
  for (let i = 0; d.timeline().length < n && i < 4 * n; i++) {
    d.refetch(stats);
    await settle();
  }
  return d;
}
window.bench = async (sizes, refreshes) => {
  const out = {};
  for (const n of sizes) {
    const d = await driverWith(n);
    const el = document.createElement('div');
    document.body.append(el);
    const panel = mountPulseDevtools(el, d, { initialOpen: true });
    const sheet = el.firstElementChild.shadowRoot.querySelector('.sheet');
    const times = [];
    for (let i = 0; i < refreshes; i++) {
      panel.close();
      const t = performance.now();
      panel.open(); // redraws at once
      void sheet.offsetHeight; // and lays out
      times.push(performance.now() - t);
    }
    const bars = sheet.querySelectorAll('[data-testid="dt-bar"]').length, listed = sheet.querySelector('[data-testid="dt-requests-list"]').children.length;
    panel.unmount();
    d.dispose();
    times.sort((a, b) => a - b);
    out[n] = { entries: d.timeline().length, bars, listed, medianMs: times[times.length >> 1], p90Ms: times[Math.floor(times.length * 0.9)] };
  }
  return out;
};
/** Leaves a panel open on a driver with \`n\` entries, redrawing on its own timer (the steady state). */
let steady = null;
window.openSteady = async (n) => {
  const d = await driverWith(n);
  const el = document.createElement('div');
  document.body.append(el);
  steady = { d, panel: mountPulseDevtools(el, d, { initialOpen: true }) };
};
window.closeSteady = () => steady?.panel.close();
window.endSteady = () => { steady?.panel.unmount(); steady?.d.dispose(); steady = null; };
window.ready = true;
</script></body></html>`;

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  if (!/^\/(dist|pkg)\/[\w./-]+$/.test(path) || path.includes('..')) return res.writeHead(404).end();
  try {
    res.writeHead(200, { 'content-type': MIME[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(readFileSync(join(ROOT, path)));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
let result;
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
  result = await page.evaluate(([sizes, n]) => window.bench(sizes, n), [[50, 500], REFRESHES]);
  // Steady state: the main thread's busy time (CDP TaskDuration) over WINDOW_S with the panel
  // open on its own timer, then with it closed, on the same driver.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => {
    const metric = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const a = await metric();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    return (await metric()) - a;
  };
  for (const n of [50, 500]) {
    await page.evaluate((k) => window.openSteady(k), n);
    await new Promise((r) => setTimeout(r, 1500));
    const open = await busy();
    await page.evaluate(() => window.closeSteady());
    const closed = await busy();
    await page.evaluate(() => window.endSteady());
    result[n].steady = { openBusy: open / WINDOW_S, closedBusy: closed / WINDOW_S };
  }
  if (errors.length) throw new Error(errors.join('\n'));
} finally {
  await browser.close();
  server.close();
}

const panelFiles = ['devtools.js', 'devtools-react.js', ...readdirSync(join(ROOT, 'dist/devtools')).filter((f) => f.endsWith('.js')).map((f) => `devtools/${f}`)];
const panelJs = panelFiles.map((f) => readFileSync(join(ROOT, 'dist', f))).join('\n');
console.log(`devtools panel: one refresh + layout in headless Chromium, ${REFRESHES} refreshes each, one page`);
for (const [n, r] of Object.entries(result)) {
  console.log(`  timeline ${String(r.entries).padStart(3)} entries (${r.bars} bars in the 1 min window, ${r.listed} listed): full redraw median ${r.medianMs.toFixed(2)} ms, p90 ${r.p90Ms.toFixed(2)} ms;`
    + ` open on its own timer, timeline unchanged: main thread busy ${(r.steady.openBusy * 100).toFixed(1)}% (closed: ${(r.steady.closedBusy * 100).toFixed(1)}%) over ${WINDOW_S} s`);
}
console.log(`  the panel's modules (dist/devtools*.js, dist/devtools/*.js, unminified): ${panelJs.length} B, ${gzipSync(panelJs, { level: 9 }).length} B gzip -9`);
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
