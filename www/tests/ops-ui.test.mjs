// Issue 16 end to end: the ops dashboard and devtools at desktop and phone
// sizes (screenshots kept in test-results/ops/), no horizontal overflow at
// 390 and 360 px, axe-core in the page, and devtools' timeline and controls
// checked against what the server actually received.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium, startDemo } from './servers.mjs';

const SHOTS = new URL('../../test-results/ops/', import.meta.url);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 }, small: { width: 360, height: 740 } };

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const simulate = () => fetch(`${demo.base}/api/demo/simulate`, { method: 'POST', body: '{}' }).then((r) => r.json());

/** A page at `size` that records errors and every engine request the server was sent (rpc, overlay, realtime). */
async function open(path, size) {
  const ctx = await browser.newContext({ viewport: SIZES[size], acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/^\/api\/(rpc\/|stats\/realtime|realtime$)/.test(url.pathname)) requests.push({ at: Date.now(), path: url.pathname });
  });
  await page.goto(`${demo.base}${path}`);
  return { page, problems, requests, ctx };
}

const ready = {
  '/': (page) => page.locator('[data-testid="connection"][data-status="SUBSCRIBED"]').waitFor({ timeout: 10_000 }),
  '/devtools': (page) => page.getByTestId('dt-bar').first().waitFor({ timeout: 10_000 }),
};

/** axe-core's WCAG 2 A/AA rules in the page; the violations, with the nodes they name. */
async function axe(page) {
  await page.addScriptTag({ content: readFileSync(AXE, 'utf8') });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
}

for (const path of ['/', '/devtools']) {
  test(`${path}: screenshots at 1440x900 and 390x844, no horizontal overflow at 390 and 360 px, axe clean`, async () => {
    for (const size of ['desktop', 'phone', 'small']) {
      const { page, problems, ctx } = await open(path, size);
      await ready[path](page);
      await sleep(1_000);
      const overflow = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
      assert.ok(overflow.doc <= overflow.view, `${path} at ${size}: ${overflow.doc} px wide in a ${overflow.view} px viewport`);
      // The title stays on one line on a phone (it wrapped to three).
      const title = await page.locator('header.top h1').evaluate((h) => h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight || '20'));
      assert.ok(title < 1.6, `${path} at ${size}: the title takes ${title.toFixed(1)} lines`);
      if (size !== 'small') await page.screenshot({ path: new URL(`${path === '/' ? 'dashboard' : 'devtools'}-${SIZES[size].width}x${SIZES[size].height}.png`, SHOTS).pathname, fullPage: true });
      if (size !== 'small') assert.deepEqual(await axe(page), [], `${path} at ${size}: axe violations`);
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  });
}

test('/: labelled toggle groups, a live region for the connection, KPI values under their labels, a focus ring nothing clips', async () => {
  const { page, problems, ctx } = await open('/', 'desktop');
  await ready['/'](page);
  for (const id of ['day-toggle', 'scope-toggle']) {
    const group = page.getByTestId(id);
    assert.equal(await group.getAttribute('role'), 'group');
    assert.ok((await group.getAttribute('aria-label'))?.length > 2, `${id} has a name`);
  }
  const conn = page.getByTestId('connection');
  assert.equal(await conn.getAttribute('role'), 'status');
  assert.equal(await conn.getAttribute('aria-live'), 'polite');
  assert.equal(await conn.textContent().then((t) => t.startsWith('Live')), true);
  // Each value is a <dd> whose group's <dt> names it: "Sealed", then the number.
  const kpis = await page.getByTestId('kpis').evaluate((dl) => [...dl.querySelectorAll(':scope > div')].map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd.value')?.textContent]));
  assert.equal(kpis.length, 5);
  for (const [label, value] of kpis) assert.ok(label && /\d|—/.test(value ?? ''), `${label}: ${value}`);
  // Keyboard focus on a toggle: an outline is drawn and no ancestor clips it.
  await page.getByTestId('day-toggle').getByText('Yesterday').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    let clipped = null;
    for (let a = el.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflow !== 'visible' && a !== document.body && a !== document.documentElement) clipped = a.className;
    return { text: el.textContent, style: s.outlineStyle, width: parseFloat(s.outlineWidth), clipped };
  });
  assert.equal(ring.text, 'Yesterday');
  assert.notEqual(ring.style, 'none');
  assert.ok(ring.width >= 2, `outline ${ring.width}px`);
  assert.equal(ring.clipped, null, 'no ancestor hides overflow');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('/: the hourly charts have axes, a partial current hour and hover values; calls show source and click id and open a detail', async () => {
  const { page, problems, ctx } = await open('/', 'desktop');
  await ready['/'](page);
  for (const metric of ['calls', 'events']) {
    const chart = page.getByTestId(`hourly-${metric}`);
    assert.ok(await chart.locator('text.axis').count() >= 8, 'hour labels on the x axis');
    assert.equal(await chart.locator('rect[data-partial="true"]').count(), 1, 'one partial bar: the current hour');
    // Seeded history: yesterday is not all zeros.
    assert.match(await chart.locator('polyline.yesterday').getAttribute('points'), /,\d/);
    const box = await chart.locator('svg').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    assert.match(await page.getByTestId(`hourly-${metric}-readout`).textContent(), /^\d\d:00–\d\d:00: today (\d+|—), yesterday \d+$/);
  }
  const first = page.locator('[data-call-id]').first();
  assert.match(await first.textContent(), /(Ads|Organic|Source unknown)/);
  assert.match(await first.textContent(), /(Click id|No click id)/);
  await first.getByRole('button').click();
  const dialog = page.getByTestId('call-detail');
  await dialog.getByText('Google click id').waitFor();
  assert.equal(await dialog.evaluate((d) => d.open), true);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="call-detail"]').open);
  assert.deepEqual(problems, []);
  await ctx.close();
});

/** The request list's entries (newest first) as {id, name, reason, outcome}. */
const listed = (page) => page.getByTestId('dt-requests-list').evaluate((ol) => [...ol.children].map((li) => ({ ...li.dataset })));
const serverName = (path) => (path === '/api/stats/realtime' ? 'fetch_overlay' : path.split('/').pop());
const engineRequests = (reqs) => reqs.filter((r) => r.path !== '/api/realtime');

test('/devtools: a bar with a reason for every request the server saw', async () => {
  const { page, problems, requests, ctx } = await open('/devtools', 'desktop');
  await ready['/devtools'](page);
  await simulate();
  await simulate();
  await sleep(4_000);
  const seen = engineRequests(requests).map((r) => serverName(r.path)).sort();
  const list = await listed(page);
  assert.ok(seen.length >= 3, `the server saw ${seen.length} requests`);
  assert.deepEqual(list.map((e) => e.name).sort(), seen, 'one timeline entry per request the server saw');
  for (const e of list) {
    assert.ok(e.reason, `request #${e.requestId} (${e.name}) says why it fired`);
    assert.equal(await page.locator(`[data-testid="dt-bar"][data-request-id="${e.requestId}"]`).count(), 1, `a bar for #${e.requestId}`);
  }
  // Readable times: the zone's clock, no epoch milliseconds, no Rust debug text, in the panel
  // (its shadow root; the collapsed "Raw engine state" is debug() with ms, on purpose) and on the page.
  const text = await page.evaluate(() => {
    const sheet = document.querySelector('[data-pulse-devtools]').shadowRoot.querySelector('.sheet');
    const panel = [...sheet.children].filter((c) => c.tagName !== 'DETAILS').map((c) => c.textContent);
    const page = [...document.querySelector('main').children].filter((c) => !c.matches('[data-pulse-devtools-root]')).map((c) => c.textContent);
    return [...panel, ...page].join(' ');
  });
  assert.match(text, /Times in Istanbul time \(Europe\/Istanbul, UTC\+03:00\)/, 'the zone is named');
  assert.match(text, /\d\d:\d\d:\d\d\.\d{3}/, 'request times on the zone clock');
  assert.doesNotMatch(text, /\b1\d{12}\b/, 'no epoch ms');
  assert.doesNotMatch(text, /Some\(|StatsKey|\{ ?site_id:|Realtime \{/, 'no Rust debug text');
  const help = await page.evaluate(() => window.__PULSE__.help());
  for (const name of ['timeline', 'simulateHidden', 'simulateOffline', 'refetch', 'reconnect', 'setPolicy', 'exportLog', 'counters']) assert.match(help, new RegExp(`^  ${name}[ (]`, 'm'), `help() lists ${name}`);
  // snapshot() prints readable times: the zone's ISO with its offset beside the ms.
  const snap = await page.evaluate(() => window.__PULSE__.snapshot());
  assert.match(snap.find((s) => s.type === 'stats').dateRange.fromLocal, /^\d{4}-\d\d-\d\dT00:00:00\.000\+03:00$/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('/devtools controls change what the engine does', async () => {
  const { page, problems, requests, ctx } = await open('/devtools', 'desktop');
  await ready['/devtools'](page);
  await sleep(1_500);

  // Simulate hidden, then offline: nothing reaches the server for longer than the 10 s poll cadence.
  for (const control of ['dt-hidden', 'dt-offline']) {
    await page.getByTestId(control).click();
    const from = Date.now();
    await simulate(); // traffic meanwhile: the engine would fetch if it could
    await sleep(11_000);
    assert.deepEqual(engineRequests(requests).filter((r) => r.at > from + 50).map((r) => r.path), [], `${control}: 0 requests while on`);
    const back = Date.now();
    await page.getByTestId(control).click();
    await sleep(1_500);
    assert.ok(engineRequests(requests).some((r) => r.at >= back), `${control}: requests again once off`);
  }

  // Refetch: one stats request, marked as asked by hand.
  let from = Date.now();
  await page.getByTestId('dt-refetch').click();
  await sleep(1_500);
  assert.ok(requests.some((r) => r.at >= from && r.path.endsWith('get_command_center_p0_stats_v2')), 'refetch reached the server');
  assert.ok((await listed(page)).some((e) => e.name === 'get_command_center_p0_stats_v2' && e.reason === 'manual'), 'listed as manual');

  // Reconnect: a new realtime stream.
  from = Date.now();
  await page.getByTestId('dt-reconnect').click();
  await sleep(2_000);
  assert.ok(requests.some((r) => r.at >= from && r.path === '/api/realtime'), 'a new realtime connection');

  // Policy: legacy-max shows the live event counters as sealed leads; db-truth the database's count.
  const sealed = () => page.getByTestId('dt-stat-sealed').textContent().then(Number);
  const dbSealed = await sealed();
  await page.getByTestId('dt-policy').getByText(/legacy-max/).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="dt-stat-sealed"]').textContent) > n, dbSealed, { timeout: 15_000 });
  await page.getByTestId('dt-policy').getByText(/db-truth/).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="dt-stat-sealed"]').textContent) === n, dbSealed, { timeout: 15_000 });

  // Pause freezes the list, clear empties it, export downloads the timeline as JSON.
  await page.getByTestId('dt-pause').click();
  const frozen = (await listed(page)).length;
  await page.getByTestId('dt-refetch').click();
  await sleep(1_000);
  assert.equal((await listed(page)).length, frozen, 'paused: the view does not move');
  await page.getByTestId('dt-pause').click();
  // The panel lives in a shadow root: document.querySelector alone does not reach it.
  await page.waitForFunction((n) => document.querySelector('[data-pulse-devtools]').shadowRoot.querySelector('[data-testid="dt-requests-list"]').children.length > n, frozen);
  await page.getByTestId('dt-clear').click();
  await page.waitForFunction(() => document.querySelector('[data-pulse-devtools]').shadowRoot.querySelector('[data-testid="dt-requests-list"]').children.length <= 1);
  await page.getByTestId('dt-refetch').click();
  const [download] = await Promise.all([page.waitForEvent('download'), (await sleep(1_000), page.getByTestId('dt-export').click())]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.timeZone, 'Europe/Istanbul');
  const manual = exported.timeline.filter((e) => e.type === 'request' && e.reason === 'manual');
  assert.ok(manual.length >= 1, 'the export holds the refetch');
  assert.match(manual[0].startLocal, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$/, 'instants in the zone, with the offset');
  assert.deepEqual(problems, []);
  await ctx.close();
});
