// npm run bench:load — how soon a cold page is live on a slow network: the
// demo's production build in headless Chromium (Debian's), the network shaped
// through CDP like Fast 3G (1.6 Mbps down, 750 kbps up, 150 ms RTT), cache
// off, a fresh browser context per load. Measured in the page, from the
// navigation's start (performance.now()): when the site's channel opened (its
// stream's `open`, what the demo's adapter reports as SUBSCRIBED: the provider
// opens it at hydration and the engine adopts it, so the engine's own SUBSCRIBED,
// printed beside, can come later), when the engine is up, and when the first
// realtime payload reached the engine (the simulator adds traffic at
// PULSE_SIM_RATE, 240/min here). Median of 5 loads. Every load must open one
// stream and the engine must adopt it (else the load is reported and the run fails).
// Needs `npm run build && (cd www && npx next build)` first. `-- --waterfall` adds one
// more load with every request and the page's milestones (bench/load-waterfall.mjs);
// `-- --compare-hint` runs each load also with the wasm's preload link in the head (what
// `<PulseProvider wasmHintInHead>` renders), interleaved;
// `-- --compare-brotli` each load also against a second demo server that serves the build's
// assets as `next start` does (gzip; `PULSE_BROTLI=0`), interleaved.
import { chromium } from 'playwright-core';
import { statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { startDemo } from '../www/tests/servers.mjs';
import { formatWaterfall, recordRequests } from './load-waterfall.mjs';

const LOADS = Number(process.env.LOADS ?? 5);
const PROFILE = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const GOALS = { channelOpenMs: 1500, firstLiveMs: 2000 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (loads) => ({ engineUpMs: median(loads.map((r) => r.engineUpMs ?? Infinity)), engineSubscribedMs: median(loads.map((r) => r.engineSubscribedMs ?? Infinity)), channelOpenMs: median(loads.map((r) => r.channelOpenMs ?? Infinity)), firstLiveMs: median(loads.map((r) => r.firstLiveMs ?? Infinity)), runs: loads });

// `--compare-hint`: every document passes through CDP's Fetch interception, which either
// keeps it or adds the wasm's <link rel="preload"> at the top of the head, as React 19
// renders it for `wasmHintInHead`; both variants are intercepted alike and run interleaved.
const mediaDir = new URL('../www/.next/static/media/', import.meta.url);
async function interceptDocument(cdp, addHint) {
  const wasmFile = readdirSync(mediaDir).find((f) => /^opsmantik_pulse_bg\..+\.wasm$/.test(f));
  if (wasmFile === undefined) throw new Error(`no wasm in ${mediaDir.pathname}: run (cd www && npx next build)`);
  const hint = `<link rel="preload" href="/_next/static/media/${wasmFile}" as="fetch" crossorigin="" type="application/wasm"/>`;
  await cdp.send('Fetch.enable', { patterns: [{ resourceType: 'Document', requestStage: 'Response' }] });
  cdp.on('Fetch.requestPaused', async (e) => {
    const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: e.requestId });
    const html = base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    const out = addHint ? html.replace(/<head>/, `<head>${hint}`) : html;
    const responseHeaders = (e.responseHeaders ?? []).filter((h) => !/^content-(length|encoding)$/i.test(h.name));
    await cdp.send('Fetch.fulfillRequest', { requestId: e.requestId, responseCode: e.responseStatusCode ?? 200, responseHeaders, body: Buffer.from(out).toString('base64') });
  });
}

async function oneLoad(browser, base, { waterfall = false, hint = null } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', PROFILE);
  const requests = waterfall ? await recordRequests(cdp) : null;
  if (hint !== null) await interceptDocument(cdp, hint);
  // The stream's own open, and how many streams the page made (one: the early channel, adopted).
  await page.addInitScript(() => {
    const marks = (globalThis.__loadMarks = { streamOpenMs: null, streams: 0 });
    const Native = globalThis.EventSource;
    globalThis.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        marks.streams++;
        this.addEventListener('open', () => (marks.streamOpenMs ??= performance.now()));
      }
    };
  });
  await page.goto(base + '/', { waitUntil: 'commit' });
  // Polled inside the page so the instants are the page's own clock from navigation start.
  const times = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const out = { engineUpMs: null, engineSubscribedMs: null, channelOpenMs: null, firstLiveMs: null };
        const tick = () => {
          const p = globalThis.__PULSE__;
          try {
            if (p && out.engineUpMs === null && p.debug().sites !== undefined) out.engineUpMs = performance.now();
            if (p && out.engineSubscribedMs === null && p.debug().sites?.some((s) => s.connection === 'SUBSCRIBED')) out.engineSubscribedMs = performance.now();
            if (p && out.firstLiveMs === null && p.counters().payloads?.received > 0) out.firstLiveMs = performance.now();
          } catch {
            // the engine is not up yet
          }
          if ((out.engineSubscribedMs !== null && out.firstLiveMs !== null) || performance.now() > 30_000) {
            out.channelOpenMs = globalThis.__loadMarks.streamOpenMs;
            out.streams = globalThis.__loadMarks.streams;
            out.adopted = p?.preconnect?.().adopted ?? 0;
            resolve(out);
          } else setTimeout(tick, 20);
        };
        tick();
      }),
  );
  if (requests) {
    const nav = await page.evaluate(() => {
      const [n] = performance.getEntriesByType('navigation');
      return { domContentLoadedMs: n?.domContentLoadedEventEnd ?? null, loadMs: n?.loadEventEnd ?? null };
    });
    times.waterfall = formatWaterfall(requests.rows(), { ...nav, ...times });
  }
  await context.close();
  return times;
}

const wasmPath = new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url);
const wasm = readFileSync(wasmPath);
const server = await startDemo({ PULSE_SIM_RATE: '240' });
const COMPARE_BROTLI = process.argv.includes('--compare-brotli');
const gzipServer = COMPARE_BROTLI ? await startDemo({ PULSE_SIM_RATE: '240', PULSE_BROTLI: '0' }) : null;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
const runs = [];
const withHint = [];
const gzipOnly = [];
const COMPARE_HINT = process.argv.includes('--compare-hint');
try {
  await oneLoad(browser, server.base); // warm the server's routes (not the browser: every load is cold)
  if (gzipServer) await oneLoad(browser, gzipServer.base);
  for (let i = 0; i < LOADS; i++) {
    if (COMPARE_HINT) {
      runs.push(await oneLoad(browser, server.base, { hint: false }));
      withHint.push(await oneLoad(browser, server.base, { hint: true }));
    } else runs.push(await oneLoad(browser, server.base));
    if (gzipServer) gzipOnly.push(await oneLoad(browser, gzipServer.base));
  }
  if (process.argv.includes('--waterfall')) {
    console.log((await oneLoad(browser, server.base, { waterfall: true, hint: COMPARE_HINT ? false : null })).waterfall);
    if (COMPARE_HINT) console.log('with the hint in the head:\n' + (await oneLoad(browser, server.base, { waterfall: true, hint: true })).waterfall);
  }
} finally {
  await browser.close();
  server.stop();
  gzipServer?.stop();
}
const result = {
  profile: 'Fast-3G-like: 1.6 Mbps down, 750 kbps up, 150 ms RTT, cache disabled',
  wasm: { bytes: statSync(wasmPath).size, gzip: gzipSync(wasm, { level: 9 }).length },
  channelOpenMs: median(runs.map((r) => r.channelOpenMs ?? Infinity)),
  firstLiveMs: median(runs.map((r) => r.firstLiveMs ?? Infinity)),
  runs,
  ...(COMPARE_BROTLI ? { gzipOnly: summary(gzipOnly) } : {}),
  ...(COMPARE_HINT ? { withHint: summary(withHint) } : {}),
};
console.log(`${result.profile}; wasm ${result.wasm.bytes} B (${result.wasm.gzip} B gzip); median of ${LOADS} cold loads`);
for (const [i, r] of runs.entries()) console.log(`  load ${i + 1}: channel open ${Math.round(r.channelOpenMs ?? -1)} ms (engine up ${Math.round(r.engineUpMs ?? -1)}, SUBSCRIBED in the engine ${Math.round(r.engineSubscribedMs ?? -1)}), first live update ${Math.round(r.firstLiveMs ?? -1)} ms; streams ${r.streams}, adopted ${r.adopted}`);
// The channel that opened early must be the one the engine runs on: one stream per load, adopted.
const strays = [...runs, ...withHint, ...gzipOnly].filter((r) => r.streams !== 1 || r.adopted !== 1);
if (strays.length > 0) {
  console.log(`  FAIL  ${strays.length} load(s) did not run on one adopted stream: ${JSON.stringify(strays.map(({ streams, adopted }) => ({ streams, adopted })))}`);
  process.exitCode = 1;
}
if (COMPARE_HINT) {
  const w = result.withHint;
  console.log(`  median engine up / channel open / first live: as served ${Math.round(median(runs.map((r) => r.engineUpMs ?? Infinity)))} / ${Math.round(result.channelOpenMs)} / ${Math.round(result.firstLiveMs)} ms; with the wasm's preload link in the head ${Math.round(w.engineUpMs)} / ${Math.round(w.channelOpenMs)} / ${Math.round(w.firstLiveMs)} ms (both intercepted, interleaved)`);
}
if (COMPARE_BROTLI) {
  const g = result.gzipOnly;
  console.log(`  median engine up / channel open / first live: brotli assets ${Math.round(median(runs.map((r) => r.engineUpMs ?? Infinity)))} / ${Math.round(result.channelOpenMs)} / ${Math.round(result.firstLiveMs)} ms; gzip only (next start) ${Math.round(g.engineUpMs)} / ${Math.round(g.channelOpenMs)} / ${Math.round(g.firstLiveMs)} ms (interleaved)`);
}
console.log(`  median engine up ${Math.round(median(runs.map((r) => r.engineUpMs ?? Infinity)))} ms, SUBSCRIBED in the engine ${Math.round(median(runs.map((r) => r.engineSubscribedMs ?? Infinity)))} ms`);
for (const [k, goal] of Object.entries(GOALS)) console.log(`  ${result[k] <= goal ? 'PASS' : 'FAIL'}  ${k}: ${Math.round(result[k])} ms (goal <= ${goal})`);
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
