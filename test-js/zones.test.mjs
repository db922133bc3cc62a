// The zone pack (issue 14): the browser entry's wasm carries Europe/Istanbul
// and UTC only; another zone throws kind zone_not_loaded until loadZones(),
// which refuses another build's pack; the Node entry has every zone at import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// The browser entry only: the Node entry shares the glue module and would load every zone.
const browser = await import('../dist/index.js');
/** The Node entry's answer, from another process. */
const node = {
  dayRange: (key, zone) =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(new URL('../dist/node.js', import.meta.url).href)}); console.log(JSON.stringify(m.dayRange(${JSON.stringify(key)}, ${JSON.stringify(zone)})))`], { encoding: 'utf8' }),
    ),
};
const wasm = readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url));
const pack = readFileSync(new URL('../pkg/opsmantik_pulse_zones.bin', import.meta.url));

test('built-in zones work at once, others throw zone_not_loaded until loadZones(), unknown names stay unknown', async () => {
  browser.initSync(wasm);
  for (const zone of ['Europe/Istanbul', 'Asia/Istanbul', 'Turkey', 'UTC', 'Etc/UTC']) {
    assert.deepEqual(browser.dayRange('2026-03-29', zone), node.dayRange('2026-03-29', zone), zone);
  }
  assert.throws(() => browser.dayRange('2024-09-08', 'America/Santiago'), (err) => err.kind === 'zone_not_loaded' && /loadZones\(\)/.test(err.message) && /America\/Santiago/.test(err.message));
  assert.throws(() => browser.dayRange('2024-09-08', 'Mars/Base'), (err) => err.kind === 'unknown_time_zone');

  await assert.rejects(browser.loadZones(new Uint8Array(pack.length)), (err) => err.kind === 'invalid_zone_pack');
  await assert.rejects(browser.loadZones(pack.subarray(1)), (err) => err.kind === 'invalid_zone_pack');
  await assert.rejects(browser.loadZones(42), (err) => err.kind === 'invalid_argument');
  assert.throws(() => browser.dayRange('2024-09-08', 'America/Santiago'), (err) => err.kind === 'zone_not_loaded');

  await browser.loadZones(new Uint8Array(pack));
  await browser.loadZones(new Uint8Array(pack)); // again: harmless
  for (const zone of ['America/Santiago', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Australia/Lord_Howe', 'Africa/Cairo']) {
    assert.deepEqual(browser.dayRange('2024-09-08', zone), node.dayRange('2024-09-08', zone), zone);
  }
  assert.throws(() => browser.dayRange('2024-09-08', 'Mars/Base'), (err) => err.kind === 'unknown_time_zone');
});
