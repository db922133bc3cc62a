// The entries as npm users meet them (issue 13 items 4, 7, 9): the default
// export, functions called before init(), a failed load and its retry, and
// require() of the Node entries from CommonJS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wasmFile = fileURLToPath(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url));

// The browser entry, loaded by path: under Node the package name resolves to the Node entry.
const browser = await import('../dist/index.js');

test('import init from the package: a default export in the browser entry', () => {
  assert.equal(typeof browser.default, 'function');
  assert.equal(browser.default, browser.init);
});

test('before init(): every wasm-backed function throws kind not_initialized, saying what to call', async () => {
  assert.equal(browser.isInitialized(), false);
  const calls = {
    dayRange: () => browser.dayRange('2026-02-02'),
    todayRange: () => browser.todayRange(0),
    yesterdayRange: () => browser.yesterdayRange(0),
    dateKeyAt: () => browser.dateKeyAt(0),
    nextDayStartMs: () => browser.nextDayStartMs(0),
    spanRange: () => browser.spanRange('2026-02-02', 7),
    lastDaysRange: () => browser.lastDaysRange(0, 7),
    toIsoString: () => browser.toIsoString(0),
    normalizeP0Stats: () => browser.normalizeP0Stats({ sealed: 1 }),
    normalizeOverlay: () => browser.normalizeOverlay({ captured: 1 }),
    mergeOverlay: () => browser.mergeOverlay(null, null, { policy: 'db-truth', nowMs: 0 }),
    classifyAds: () => browser.classifyAds({ new: {} }),
    'new PulseEngine': () => new browser.PulseEngine({}),
    'new PulseDriver': () => new browser.PulseDriver({ rpc: { rpc() {} }, overlay: { fetchOverlay() {} }, realtime: { subscribe() {} } }),
  };
  for (const [name, call] of Object.entries(calls)) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof Error, name);
      assert.equal(err.kind, 'not_initialized', name);
      assert.match(err.message, /await init\(\)/, name);
      assert.ok(err.message.includes(name.replace('new ', '')), `${name}: ${err.message}`);
      return true;
    });
  }
  // What needs no wasm works already.
  assert.equal(browser.relativeLabel(60_000, 0), '1m ago');
  assert.equal(browser.DEFAULT_TIME_ZONE, 'Europe/Istanbul');
});

test('a failed load rejects with kind wasm_load_failed; the next init() retries and works', async () => {
  await assert.rejects(browser.init(new Uint8Array([0, 1, 2, 3])), (err) => {
    assert.equal(err.kind, 'wasm_load_failed');
    assert.match(err.message, /could not load its WebAssembly module/);
    return true;
  });
  await assert.rejects(browser.init('http://127.0.0.1:9/missing.wasm'), (err) => err.kind === 'wasm_load_failed');
  assert.equal(browser.isInitialized(), false);
  const [a, b] = [browser.init(readFileSync(wasmFile)), browser.init()]; // concurrent calls share one load
  await Promise.all([a, b]);
  assert.equal(browser.isInitialized(), true);
  assert.equal(browser.dayRange('2026-02-02').fromIso, '2026-02-01T21:00:00.000Z');
  await browser.init(); // idempotent
});

test('require() of the Node entries from CommonJS (Node >= 20.19 / 22.12, as engines says)', () => {
  const code = `
    const node = require('opsmantik-pulse/node');
    const server = require('opsmantik-pulse/server');
    const main = require('opsmantik-pulse');
    if (node.dayRange('2026-02-02').fromIso !== '2026-02-01T21:00:00.000Z') throw new Error('node');
    if (server.createServerSnapshot(Date.UTC(2026, 1, 2), 'Europe/Istanbul').dayKey !== '2026-02-02') throw new Error('server');
    if (typeof main.default !== 'function') throw new Error('main');
    console.log('ok');`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
  assert.doesNotMatch(r.stderr, /ExperimentalWarning/);
  const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
  assert.equal(engines, '^20.19.0 || >=22.12.0');
});

// Last: importing the Node entry instantiates the wasm for this process.
test('import init from the package under Node: the Node entry has the default export too', async () => {
  const node = await import('opsmantik-pulse');
  assert.equal(typeof node.default, 'function');
  await node.default(); // a no-op there
  assert.equal(node.isInitialized(), true);
});
