// End-to-end: the production build of the demo in Debian's Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium, startDemo, startRedis } from './servers.mjs';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const SHOTS = new URL('../../test-results/', import.meta.url);

let browser;
let demo;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  demo = await startDemo();
});
after(async () => {
  await browser?.close();
  demo?.stop();
});

/** A page that records console errors, page errors and API requests. */
async function openPage(path, { context } = {}) {
  const ctx = context ?? (await browser.newContext());
  const page = await ctx.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (/\/api\/(rpc|stats)\//.test(r.url())) requests.push({ at: Date.now(), url: r.url() }); });
  await page.goto(`${demo.base}${path}`);
  return { page, problems, requests, ctx };
}

/** The connection indicator once realtime is up ("Live"; the engine's status is data-status). */
const live = (page) => page.locator('[data-testid="connection"][data-status="SUBSCRIBED"]');

const simulate = (base, body = {}) => fetch(`${base}/api/demo/simulate`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

test('/ renders hydration-clean, connects, shows a new row within 3 s; screenshot', async () => {
  for (let i = 0; i < 6; i++) await simulate(demo.base);
  const { page, problems, ctx } = await openPage('/');
  await live(page).waitFor({ timeout: 10_000 });
  assert.equal((await page.getByTestId('connection').textContent()).includes('SUBSCRIBED'), false, 'ops words, not engine statuses');
  const id = `e2e-call-${Date.now()}`;
  const t0 = Date.now();
  await simulate(demo.base, { call: { id, status: 'intent', phone: '+90 555 123 4567' } });
  await page.locator(`[data-call-id="${id}"]`).waitFor({ timeout: 3_000 });
  const took = Date.now() - t0;
  assert.ok(took < 3_000, `row appeared after ${took} ms`);
  await page.getByTestId('last-activity').waitFor({ timeout: 5_000 });
  await page.screenshot({ path: new URL('dashboard.png', SHOTS).pathname, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('toggles: yesterday (named, in the zone), ads scope; no engine settings on the ops screen', async () => {
  const { page, problems, ctx } = await openPage('/');
  const dayKey = page.getByTestId('day-key');
  await live(page).waitFor();
  const today = await dayKey.getAttribute('data-day-key');
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(await dayKey.textContent(), /^Today, \d{1,2} [A-Z][a-z]{2} \(Istanbul time\)$/);
  await page.getByTestId('day-toggle').getByText('Yesterday').click();
  await page.waitForFunction((t) => document.querySelector('[data-testid="day-key"]').dataset.dayKey !== t, today);
  assert.match(await dayKey.textContent(), /^Yesterday, \d{1,2} [A-Z][a-z]{2} \(Istanbul time\)$/);
  await page.getByTestId('day-toggle').getByText('Today').click();
  await page.waitForFunction((t) => document.querySelector('[data-testid="day-key"]').dataset.dayKey === t, today);
  await page.getByTestId('scope-toggle').getByText('Ads only').click();
  await page.getByTestId('scope-toggle').locator('button[aria-pressed="true"]').getByText('Ads only').waitFor();
  const text = await page.locator('main').textContent();
  for (const word of ['legacy-max', 'db-truth', 'SUBSCRIBED', 'overlay', 'realtime changes']) assert.equal(text.includes(word), false, `"${word}" is not on the ops screen`);
  assert.equal(await page.getByTestId('policy-toggle').count(), 0);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('hidden tab sends no requests; on return exactly one catch-up of what changed meanwhile', async () => {
  const { page, problems, requests, ctx } = await openPage('/');
  await live(page).waitFor();
  await page.waitForTimeout(500);
  const setVisible = (v) => page.evaluate((visible) => {
    Object.defineProperty(document, 'visibilityState', { value: visible ? 'visible' : 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, v);
  await setVisible(false);
  const hiddenAt = Date.now();
  await page.waitForTimeout(1_000);
  await simulate(demo.base); // activity while hidden: the realtime events still arrive, the polls do not run
  await page.waitForTimeout(11_000); // longer than the 10 s overlay cadence
  const whileHidden = requests.filter((r) => r.at > hiddenAt + 50);
  assert.deepEqual(whileHidden.map((r) => r.url), [], 'no requests while hidden');
  const shownAt = Date.now();
  await setVisible(true);
  await page.waitForTimeout(1_500);
  const catchUp = requests.filter((r) => r.at >= shownAt).map((r) => new URL(r.url).pathname);
  // The event that arrived while hidden waits for its session lookup (the proof it is this site's) until now.
  const lookup = '/api/rpc/get_session_details';
  assert.deepEqual(catchUp.filter((p) => p !== lookup), ['/api/stats/realtime', '/api/rpc/get_command_center_p0_stats_v2'], 'one overlay poll and one stats fetch');
  assert.equal(catchUp.filter((p) => p === lookup).length, 1, 'and one lookup, for the session of the event that arrived while hidden');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('overlay counters behave the same in memory and in real Redis', async () => {
  const redis = await startRedis();
  assert.ok(redis, 'redis-server is installed by scripts/setup.sh');
  const withRedis = await startDemo({ REDIS_URL: redis.url });
  try {
    for (const server of [demo, withRedis]) {
      const read = () => fetch(`${server.base}/api/stats/realtime?siteId=${SITE}`).then((r) => r.json());
      const before = await read();
      await simulate(server.base);
      await simulate(server.base);
      const after = await read();
      assert.equal(after.captured - before.captured, 2, server.base);
      assert.equal(after._fallback, undefined);
      assert.ok(after.gclid >= before.gclid);
      const bad = await fetch(`${server.base}/api/stats/realtime?siteId=${encodeURIComponent('x&y=1')}`);
      assert.equal(bad.status, 400);
    }
  } finally {
    withRedis.stop();
    redis.stop();
  }
});

test('server clock just before Istanbul midnight, client just after: no mismatch, then rollover', async () => {
  const serverNow = '2026-02-02T20:59:58.000Z'; // 23:59:58 in Istanbul
  const pinned = await startDemo({ PULSE_NOW: serverNow });
  try {
    const html = await fetch(`${pinned.base}/`).then((r) => r.text());
    assert.match(html, /data-day-key="2026-02-02"[^>]*>Today, 2 Feb \(Istanbul time\)</);
    const context = await browser.newContext();
    await context.clock.install({ time: Date.parse('2026-02-02T21:00:03.000Z') });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${pinned.base}/`);
    await page.waitForFunction(() => document.querySelector('[data-testid="day-key"]')?.dataset.dayKey === '2026-02-03', null, { timeout: 10_000 });
    assert.equal(await page.getByTestId('day-key').textContent(), 'Today, 3 Feb (Istanbul time)');
    assert.deepEqual(problems, [], 'hydration clean across midnight');
    await context.close();
  } finally {
    pinned.stop();
  }
});

test('/devtools shows the engine live and window.__PULSE__ answers; screenshot', async () => {
  await simulate(demo.base);
  const { page, problems, ctx } = await openPage('/devtools');
  await page.getByTestId('dt-bar').first().waitFor({ timeout: 10_000 });
  // The panel renders into a shadow root; Playwright's locators reach into it.
  await page.getByTestId('dt-requests').filter({ hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 10_000 });
  const tools = await page.evaluate(() => ({ snapshot: window.__PULSE__.snapshot(), counters: window.__PULSE__.counters(), log: window.__PULSE__.log() }));
  assert.ok(tools.snapshot.length >= 2);
  assert.ok(tools.counters.requests.overlay >= 1, 'the overlay poll ran (the server-seeded stats were fresh, so no stats refetch)');
  assert.ok(tools.log.some((e) => /subscribe dashboard_updates:/.test(e.what)));
  await page.waitForTimeout(300);
  await page.screenshot({ path: new URL('devtools.png', SHOTS).pathname, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the simulator’s traffic reaches the overlay route and the page', async () => {
  const busy = await startDemo({ PULSE_SIM_RATE: '600' });
  try {
    const read = () => fetch(`${busy.base}/api/stats/realtime?siteId=${SITE}`).then((r) => r.json());
    const first = await read();
    await new Promise((r) => setTimeout(r, 2_500));
    const later = await read();
    assert.ok(later.captured > first.captured, `captured ${first.captured} -> ${later.captured}`);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${busy.base}/`);
    await page.getByTestId('last-activity').waitFor({ timeout: 5_000 });
    await page.context().close();
  } finally {
    busy.stop();
  }
});

/** Loads `path` in a fresh context; the wasm and zone-pack requests and preload warnings it made. */
async function loadRequests(path) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const wasmRequests = [];
  const preloadWarnings = [];
  const zonePackRequests = [];
  page.on('request', (r) => {
    if (/\.wasm(\?|$)/.test(r.url())) wasmRequests.push(new URL(r.url()).pathname);
    if (/zones.*\.bin(\?|$)/.test(r.url())) zonePackRequests.push(r.url());
  });
  page.on('console', (m) => { if (/preload/i.test(m.text())) preloadWarnings.push(m.text()); });
  await page.goto(`${demo.base}${path}`);
  await page.waitForFunction(() => globalThis.__PULSE__?.debug().sites !== undefined, null, { timeout: 10_000 });
  await page.waitForTimeout(3_500); // Chromium warns about an unused preload after ~3 s
  await ctx.close();
  return { wasmRequests, preloadWarnings, zonePackRequests };
}

test('the dashboard lets its JavaScript go first: no wasm link in the head, one download when the bundle runs, no zone pack (bench:load)', async () => {
  const html = await (await fetch(`${demo.base}/`)).text();
  assert.doesNotMatch(html, /<link[^>]+\.wasm/, 'no preload link for the wasm in the server-rendered HTML');
  const { wasmRequests, zonePackRequests } = await loadRequests('/');
  assert.equal(wasmRequests.length, 1, `one download of the wasm: ${wasmRequests}`);
  assert.deepEqual(zonePackRequests, [], 'a page in Europe/Istanbul never downloads the zone pack');
});

test('wasmHintInHead (/devtools): the server HTML preloads the wasm and the page downloads it once, from that preload', async () => {
  const html = await (await fetch(`${demo.base}/devtools`)).text();
  const link = html.match(/<link rel="preload" href="([^"]+\.wasm)" as="fetch" crossorigin=""/);
  assert.ok(link, 'a <link rel="preload" as="fetch" crossorigin> for the wasm in the server-rendered HTML');
  const { wasmRequests, preloadWarnings } = await loadRequests('/devtools');
  assert.deepEqual(wasmRequests, [link[1]], 'one download, the preloaded URL');
  assert.deepEqual(preloadWarnings, [], 'the fetch took the preloaded response (credentials match)');
});
