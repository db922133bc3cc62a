// The drop-in callback contract (README, "Callbacks"): for every payload the
// original hook handled, exactly which callbacks fire, with which row and how
// many times, through the real hook (React 19 + jsdom), driver and engine, with
// the backend, clock and timers faked. Each test mounts its own page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node'); // instantiates the wasm for this process
const { PulseProvider, PulseDriver, useRealtimeDashboard, manualFlag } = await import('opsmantik-pulse/react');
const h = React.createElement;

const T0 = Date.UTC(2026, 1, 2, 9);
const OTHER_SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000002';
const CALLBACKS = ['onIntentCreated', 'onIntentUpdated', 'onCallCreated', 'onCallUpdated', 'onEventCreated', 'onDataFreshness'];
/** How the hung-request timeout fails a lookup nobody answers (README, Reliability). */
const REQUEST_TIMEOUT_MS = 20_000;

/** `get_session_details` answers: rows mean the session is this site's and ads. */
const ANSWERS = {
  ads: (p) => ({ data: [{ id: p.p_session_id, site_id: p.p_site_id }], error: null }),
  non_ads: () => ({ data: [], error: null }),
  error: () => ({ data: null, error: { message: 'permission denied for function get_session_details', code: '42501' } }),
  throws: () => { throw new Error('fetch failed'); },
};

let commit = 0;
/** A postgres_changes payload; each gets its own commit timestamp unless one is given. */
function change(table, eventType, row, commitTimestamp = `2026-02-02T09:00:00.${String(++commit).padStart(6, '0')}Z`) {
  return { schema: 'public', table, commit_timestamp: commitTimestamp, eventType, new: row, old: {}, errors: null };
}

/**
 * One page with one `useRealtimeDashboard(SITE, every callback, {adsOnly})`.
 * `answer` names how lookups are answered; `'later'` holds each one until the
 * test resolves it, `'never'` leaves it hanging.
 */
async function mount({ adsOnly, answer = 'ads' }) {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = fakeBackend();
  const held = [];
  backend.sessionDetails = (params) => {
    if (answer === 'later' || answer === 'never') return new Promise((resolve, reject) => held.push({ params, resolve, reject }));
    return ANSWERS[answer](params);
  };
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 7 });
  // Every callback records its exact arguments, so arity is checked too.
  const fired = [];
  const callbacks = Object.fromEntries(CALLBACKS.map((name) => [name, (...args) => fired.push([name, ...args])]));
  let state;
  function Hook() {
    state = useRealtimeDashboard(SITE, callbacks, { adsOnly });
    return null;
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, h(Hook))); await settle(); });
  assert.equal(state.connectionStatus, 'SUBSCRIBED');
  // The first SUBSCRIBED closes the load gap with one onDataFreshness (README, the gap-free
  // handoff; test-js/handoff.test.mjs). The cells below count from here.
  assert.deepEqual(fired, [['onDataFreshness']]);
  fired.length = 0;
  const channel = backend.channels[0];
  let mounted = true;
  return {
    fired,
    held,
    timers,
    state: () => state,
    lookups: () => backend.calls.filter((c) => c.name === 'get_session_details').map((c) => c.params),
    async emit(payload) {
      await act(async () => { channel.handlers.onPayload(payload); await settle(); });
    },
    /** Runs `fn` (e.g. resolving a held lookup) and lets the answer through the driver. */
    async after(fn) {
      if (mounted) await act(async () => { fn(); await settle(); });
      else { fn(); await settle(); }
    },
    async unmount() {
      if (!mounted) return;
      mounted = false;
      await act(async () => { root.unmount(); });
      assert.equal(channel.closed, true, 'the last hook closed the channel');
    },
  };
}

const ADS_PAYLOAD = { gclid: 'Cj0KCQ-test' };
const NON_ADS_PAYLOAD = { utm_source: 'newsletter', utm_medium: 'email' };

const fresh = ['onDataFreshness'];
const nothing = () => [];

/**
 * Every cell of the table. `row` is the payload's `new` object; `fires(row)`
 * lists the callbacks in order; `lookups` is how many `get_session_details`
 * calls go out (each for this site and the row's session).
 */
const CELLS = [];
for (const status of ['intent', 'confirmed', undefined]) {
  const tag = status ?? 'no status';
  for (const [eventType, callback] of [['INSERT', 'onCallCreated'], ['UPDATE', 'onCallUpdated']]) {
    const call = (extra) => ({ id: `call-${eventType}-${tag}`, site_id: SITE, ...(status ? { status } : {}), ...extra });
    // All traffic: every call reaches the callback, intents included, without a lookup.
    CELLS.push({ mode: 'all', what: `calls ${eventType} (${tag})`, row: call({}), table: 'calls', eventType, fires: (row) => [[callback, row]], lookups: 0 });
    CELLS.push({ mode: 'all', what: `calls ${eventType} (${tag}) with an ads session`, row: call({ matched_session_id: 'sess-1', ...ADS_PAYLOAD }), answer: 'non_ads', table: 'calls', eventType, fires: (row) => [[callback, row]], lookups: 0 });
    // Ads only: no matched session is freshness only; else the session lookup decides.
    CELLS.push({ mode: 'ads', what: `calls ${eventType} (${tag}) without matched_session_id`, row: call(ADS_PAYLOAD), table: 'calls', eventType, fires: () => [fresh], lookups: 0 });
    CELLS.push({ mode: 'ads', what: `calls ${eventType} (${tag}), session ads`, row: call({ matched_session_id: 'sess-1' }), answer: 'ads', table: 'calls', eventType, fires: (row) => [[callback, row]], lookups: 1 });
    CELLS.push({ mode: 'ads', what: `calls ${eventType} (${tag}), session not ads`, row: call({ matched_session_id: 'sess-1', ...ADS_PAYLOAD }), answer: 'non_ads', table: 'calls', eventType, fires: nothing, lookups: 1 });
    CELLS.push({ mode: 'ads', what: `calls ${eventType} (${tag}), lookup error`, row: call({ matched_session_id: 'sess-1' }), answer: 'error', table: 'calls', eventType, fires: () => [fresh], lookups: 1 });
    CELLS.push({ mode: 'ads', what: `calls ${eventType} (${tag}), lookup throws`, row: call({ matched_session_id: 'sess-1' }), answer: 'throws', table: 'calls', eventType, fires: () => [fresh], lookups: 1 });
  }
}
for (const mode of ['all', 'ads']) {
  CELLS.push({ mode, what: 'sessions INSERT', row: { id: 'sess-9', site_id: SITE, ...ADS_PAYLOAD }, table: 'sessions', eventType: 'INSERT', fires: () => [fresh], lookups: 0 });
  CELLS.push({ mode, what: 'sessions INSERT (not ads)', row: { id: 'sess-8', site_id: SITE, ...NON_ADS_PAYLOAD }, table: 'sessions', eventType: 'INSERT', fires: () => [fresh], lookups: 0 });
}
const event = (extra) => ({ id: 'evt-1', created_at: '2026-02-02T09:00:00Z', event_category: 'page_view', ...extra });
CELLS.push(
  // All traffic: the lookup proves the event is this site's; only rows fire.
  { mode: 'all', what: 'events without session_id', row: event(ADS_PAYLOAD), fires: nothing, lookups: 0 },
  { mode: 'all', what: 'events, session ads', row: event({ session_id: 'sess-1' }), answer: 'ads', fires: (row) => [['onEventCreated', row], fresh], lookups: 1 },
  { mode: 'all', what: 'events with a non-ads payload, session ads (the payload does not decide here)', row: event({ session_id: 'sess-1', ...NON_ADS_PAYLOAD }), answer: 'ads', fires: (row) => [['onEventCreated', row], fresh], lookups: 1 },
  { mode: 'all', what: 'events, session not ads or not this site\'s', row: event({ session_id: 'sess-1', ...ADS_PAYLOAD }), answer: 'non_ads', fires: nothing, lookups: 1 },
  { mode: 'all', what: 'events, lookup error', row: event({ session_id: 'sess-1' }), answer: 'error', fires: nothing, lookups: 1 },
  { mode: 'all', what: 'events, lookup throws', row: event({ session_id: 'sess-1' }), answer: 'throws', fires: nothing, lookups: 1 },
  // Ads only: the payload rules non-ads out first; no session is freshness only.
  { mode: 'ads', what: 'events with a non-ads payload', row: event({ session_id: 'sess-1', ...NON_ADS_PAYLOAD }), answer: 'ads', fires: nothing, lookups: 0 },
  { mode: 'ads', what: 'events without session_id', row: event(ADS_PAYLOAD), fires: () => [fresh], lookups: 0 },
  { mode: 'ads', what: 'events without session_id or ads fields', row: event({}), fires: () => [fresh], lookups: 0 },
  { mode: 'ads', what: 'events, session ads', row: event({ session_id: 'sess-1' }), answer: 'ads', fires: (row) => [['onEventCreated', row], fresh], lookups: 1 },
  { mode: 'ads', what: 'events with a click id, session not ads', row: event({ session_id: 'sess-1', ...ADS_PAYLOAD }), answer: 'non_ads', fires: nothing, lookups: 1 },
  { mode: 'ads', what: 'events, lookup error', row: event({ session_id: 'sess-1' }), answer: 'error', fires: () => [fresh], lookups: 1 },
  { mode: 'ads', what: 'events, lookup throws', row: event({ session_id: 'sess-1' }), answer: 'throws', fires: () => [fresh], lookups: 1 },
);

for (const cell of CELLS) {
  const table = cell.table ?? 'events';
  const eventType = cell.eventType ?? 'INSERT';
  test(`${cell.mode === 'ads' ? 'ads only' : 'all traffic'}: ${cell.what}`, async () => {
    const page = await mount({ adsOnly: cell.mode === 'ads', answer: cell.answer });
    await page.emit(change(table, eventType, cell.row));
    assert.deepEqual(page.fired, cell.fires(cell.row));
    const sessionId = cell.row.matched_session_id ?? cell.row.session_id;
    assert.deepEqual(page.lookups(), Array.from({ length: cell.lookups }, () => ({ p_site_id: SITE, p_session_id: sessionId })));
    await page.unmount();
  });
}

// An answer that takes its time: nothing fires before it, the row fires once after.
for (const [mode, table, row, fires] of [
  ['all', 'events', event({ session_id: 'sess-1' }), (r) => [['onEventCreated', r], fresh]],
  ['ads', 'events', event({ session_id: 'sess-1' }), (r) => [['onEventCreated', r], fresh]],
  ['ads', 'calls', { id: 'call-1', site_id: SITE, status: 'intent', matched_session_id: 'sess-1' }, (r) => [['onCallCreated', r]]],
]) {
  test(`${mode === 'ads' ? 'ads only' : 'all traffic'}: ${table} whose lookup answers later`, async () => {
    const page = await mount({ adsOnly: mode === 'ads', answer: 'later' });
    await page.emit(change(table, 'INSERT', row));
    assert.deepEqual(page.fired, [], 'nothing before the answer');
    assert.equal(page.held.length, 1);
    await page.after(() => page.held[0].resolve(ANSWERS.ads(page.held[0].params)));
    assert.deepEqual(page.fired, fires(row));
    await page.unmount();
  });
}

// Late answers after unmount (the hook is gone: nothing may reach its callbacks),
// and lookups that never answer (failed by the request timeout).
for (const mode of ['all', 'ads']) {
  const label = mode === 'ads' ? 'ads only' : 'all traffic';
  for (const [table, row] of [['events', event({ session_id: 'sess-1' })], ['calls', { id: 'call-1', site_id: SITE, matched_session_id: 'sess-1' }]]) {
    if (mode === 'all' && table === 'calls') continue; // no lookup for calls in all-traffic mode
    for (const late of ['ads', 'error']) {
      test(`${label}: ${table} whose lookup answers (${late}) after unmount`, async () => {
        const page = await mount({ adsOnly: mode === 'ads', answer: 'later' });
        await page.emit(change(table, 'INSERT', row));
        assert.equal(page.held.length, 1);
        await page.unmount();
        await page.after(() => (late === 'ads' ? page.held[0].resolve(ANSWERS.ads(page.held[0].params)) : page.held[0].reject(new Error('late failure'))));
        assert.deepEqual(page.fired, []);
      });
    }
    test(`${label}: ${table} whose lookup never answers`, async () => {
      const page = await mount({ adsOnly: mode === 'ads', answer: 'never' });
      await page.emit(change(table, 'INSERT', row));
      await page.after(() => page.timers.advanceBy(REQUEST_TIMEOUT_MS));
      // A failed lookup: ads-only falls back to freshness; all traffic cannot prove the event's site.
      assert.deepEqual(page.fired, mode === 'ads' ? [fresh] : []);
      await page.unmount();
    });
  }
}

// Duplicates: the same change a second time (UPDATE: table:id:commit_timestamp; INSERT: table:id) fires nothing and asks nothing.
for (const mode of ['all', 'ads']) {
  const label = mode === 'ads' ? 'ads only' : 'all traffic';
  for (const [table, eventType, row] of [
    ['calls', 'INSERT', { id: 'call-1', site_id: SITE, status: 'intent', matched_session_id: 'sess-1' }],
    ['calls', 'UPDATE', { id: 'call-1', site_id: SITE, status: 'confirmed', matched_session_id: 'sess-1' }],
    ['sessions', 'INSERT', { id: 'sess-1', site_id: SITE }],
    ['events', 'INSERT', event({ session_id: 'sess-1' })],
  ]) {
    test(`${label}: a duplicate ${table} ${eventType} fires nothing`, async () => {
      const page = await mount({ adsOnly: mode === 'ads', answer: 'ads' });
      const payload = change(table, eventType, row);
      await page.emit(payload);
      const once = [...page.fired];
      const lookups = page.lookups().length;
      assert.ok(once.length > 0, 'the first one fired');
      await page.emit(structuredClone(payload));
      assert.deepEqual(page.fired, once);
      assert.equal(page.lookups().length, lookups);
      assert.equal(page.state().eventCount, 1, 'the duplicate is not counted');
      // A new commit timestamp makes an UPDATE a new change; an INSERT happens once per row,
      // so the same row inserted "again" (a catch-up replay cannot know the live commit
      // timestamp) is still the same change.
      await page.emit(change(table, eventType, row));
      assert.equal(page.fired.length, eventType === 'UPDATE' ? once.length * 2 : once.length);
      await page.unmount();
    });
  }
  test(`${label}: a duplicate arriving while the first waits on its lookup fires once`, async () => {
    const page = await mount({ adsOnly: mode === 'ads', answer: 'later' });
    const payload = change('events', 'INSERT', event({ session_id: 'sess-1' }));
    await page.emit(payload);
    await page.emit(structuredClone(payload));
    assert.equal(page.held.length, 1, 'one lookup');
    await page.after(() => page.held[0].resolve(ANSWERS.ads(page.held[0].params)));
    assert.deepEqual(page.fired, [['onEventCreated', payload.new], fresh]);
    await page.unmount();
  });
}

// Other sites: a call or session naming another site, an event naming one, and
// an event without site_id whose session is another site's (the lookup for
// this site finds nothing): nothing fires, nothing counts as activity.
for (const mode of ['all', 'ads']) {
  const label = mode === 'ads' ? 'ads only' : 'all traffic';
  for (const [what, table, eventType, row, lookups] of [
    ['a call INSERT', 'calls', 'INSERT', { id: 'call-x', site_id: OTHER_SITE, status: 'intent', matched_session_id: 'sess-x', ...ADS_PAYLOAD }, 0],
    ['a call UPDATE', 'calls', 'UPDATE', { id: 'call-x', site_id: OTHER_SITE, matched_session_id: 'sess-x' }, 0],
    ['a session', 'sessions', 'INSERT', { id: 'sess-x', site_id: OTHER_SITE, ...ADS_PAYLOAD }, 0],
    ['an event naming its site', 'events', 'INSERT', event({ site_id: OTHER_SITE, session_id: 'sess-x', ...ADS_PAYLOAD }), 0],
    ['an event without site_id', 'events', 'INSERT', event({ session_id: 'sess-x', ...ADS_PAYLOAD }), 1],
  ]) {
    test(`${label}: another site's ${what} fires nothing`, async () => {
      const page = await mount({ adsOnly: mode === 'ads', answer: 'non_ads' });
      await page.emit(change(table, eventType, row));
      assert.deepEqual(page.fired, []);
      assert.deepEqual(page.lookups(), Array.from({ length: lookups }, () => ({ p_site_id: SITE, p_session_id: 'sess-x' })), 'only ever asked about this site');
      const s = page.state();
      assert.deepEqual([s.eventCount, s.lastEventAt, s.lastSignalAt, s.lastSignalType, s.isLive], [0, null, null, null, false], 'not this site\'s activity');
      await page.unmount();
    });
  }
}

// Sessions are looked up once: a cached verdict decides the next rows at once.
for (const mode of ['all', 'ads']) {
  const label = mode === 'ads' ? 'ads only' : 'all traffic';
  for (const answer of ['ads', 'non_ads']) {
    test(`${label}: a second event of a ${answer} session uses the cached verdict`, async () => {
      const page = await mount({ adsOnly: mode === 'ads', answer });
      const first = change('events', 'INSERT', event({ id: 'evt-1', session_id: 'sess-1' }));
      const second = change('events', 'INSERT', event({ id: 'evt-2', session_id: 'sess-1' }));
      await page.emit(first);
      await page.emit(second);
      assert.equal(page.lookups().length, 1);
      assert.deepEqual(page.fired, answer === 'ads' ? [['onEventCreated', first.new], fresh, ['onEventCreated', second.new], fresh] : []);
      assert.equal(page.state().eventCount, answer === 'ads' ? 2 : 0, 'only proven events count');
      await page.unmount();
    });
  }
  test(`${label}: a failed lookup is not cached`, async () => {
    const page = await mount({ adsOnly: mode === 'ads', answer: 'error' });
    await page.emit(change('events', 'INSERT', event({ id: 'evt-1', session_id: 'sess-1' })));
    await page.emit(change('events', 'INSERT', event({ id: 'evt-2', session_id: 'sess-1' })));
    assert.equal(page.lookups().length, 2);
    assert.deepEqual(page.fired, mode === 'ads' ? [fresh, fresh] : []);
    await page.unmount();
  });
}

// Signals follow the same proof as callbacks: an unproven event is not activity.
test('all traffic: events count as activity only once their session proves the site', async () => {
  const page = await mount({ adsOnly: false, answer: 'later' });
  await page.emit(change('events', 'INSERT', event({ id: 'evt-0' })));
  await page.emit(change('events', 'INSERT', event({ id: 'evt-1', session_id: 'sess-1' })));
  let s = page.state();
  assert.deepEqual([s.eventCount, s.lastEventAt, s.lastSignalAt, s.isLive], [0, null, null, false], 'no session, and a lookup in flight: nothing yet');
  await page.after(() => page.held[0].resolve(ANSWERS.ads(page.held[0].params)));
  s = page.state();
  assert.equal(s.eventCount, 1);
  assert.equal(s.lastEventAt, T0);
  assert.equal(s.lastSignalType, 'events');
  assert.equal(s.lastSignalAt, T0);
  await page.unmount();
});
