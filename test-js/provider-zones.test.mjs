// PulseProvider and the zone pack (issue 14): with the browser entry, a
// provider whose zone is not built in fetches the pack once before it starts
// the engine; one in Europe/Istanbul never fetches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installDom } from './helpers/dom.mjs';
import { fakeBackend, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
// The browser entry only (the Node entry would load every zone at import).
const { PulseProvider, usePulseStatus, initSync, dayRange } = await import('../dist/react.js');
const h = React.createElement;
const wasm = readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url));
const pack = readFileSync(new URL('../pkg/opsmantik_pulse_zones.bin', import.meta.url));

const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  return new Response(pack, { status: 200 });
};

async function mount(timeZone) {
  const backend = fakeBackend();
  let status;
  function Probe() {
    status = usePulseStatus();
    return null;
  }
  const root = createRoot(document.getElementById('root'));
  await act(async () => {
    root.render(h(PulseProvider, { rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, timeZone, init: async () => initSync(wasm) }, h(Probe)));
    await settle();
  });
  return { status: () => status, unmount: () => act(async () => root.unmount()) };
}

test('Europe/Istanbul: the engine starts without the zone pack', async () => {
  const page = await mount('Europe/Istanbul');
  assert.equal(page.status().status, 'ready');
  assert.deepEqual(fetched, []);
  assert.throws(() => dayRange('2024-09-08', 'America/Santiago'), (err) => err.kind === 'zone_not_loaded');
  await page.unmount();
});

test('America/Santiago: the pack is fetched once, then the engine starts in that zone', async () => {
  const page = await mount('America/Santiago');
  assert.equal(page.status().status, 'ready', JSON.stringify(page.status().error?.message));
  assert.equal(fetched.length, 1);
  assert.match(fetched[0], /opsmantik_pulse_zones\.bin$/);
  assert.equal(dayRange('2024-09-08', 'America/Santiago').fromIso, '2024-09-08T04:00:00.000Z', 'midnight skipped: the day starts at 01:00 -03');
  await page.unmount();
  const again = await mount('Asia/Tokyo');
  assert.equal(again.status().status, 'ready');
  assert.equal(fetched.length, 1, 'once per page');
  await again.unmount();
});
