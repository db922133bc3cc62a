// PulseEngine through the built package: the command protocol end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PulseEngine } from 'opsmantik-pulse/node';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const T0 = Date.UTC(2026, 1, 2, 9);

test('7 hooks: one channel, one overlay poll, one stats fetch; snapshots and versions', () => {
  const e = new PulseEngine({ seed: 1 });
  const rt = [0, 1, 2, 3].map(() => e.registerRealtime(SITE, false, true, T0));
  const st = [0, 1, 2].map(() => e.registerStats(SITE, 'today', false, T0));
  const cmds = e.drainCommands();
  assert.deepEqual(cmds.map((c) => c.type + (c.name ? `:${c.name}` : '')), [
    'subscribe', 'rpc:get_recent_intents_v2', 'fetch_overlay', 'rpc:get_command_center_p0_stats_v2',
  ]);
  const stats = cmds.find((c) => c.kind === 'stats');
  assert.deepEqual(stats.params, { p_site_id: SITE, p_date_from: '2026-02-01T21:00:00.000Z', p_date_to: '2026-02-02T21:00:00.000Z', p_ads_only: false });
  const v0 = e.version(st[0]);
  assert.equal(e.snapshot(st[0]).loading, true);
  e.handleRpcResponse(stats.requestId, { data: [{ sealed: '4', site_id: SITE, date_from: stats.params.p_date_from, date_to: stats.params.p_date_to }] }, T0 + 50);
  const s = e.snapshot(st[1]);
  assert.equal(s.type, 'stats');
  assert.equal(s.loading, false);
  assert.equal(s.stats.sealed, 4);
  assert.ok(s.stats.issues.length > 0, 'missing fields are reported');
  assert.ok(e.version(st[0]) > v0);
  e.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, T0 + 60);
  assert.equal(e.snapshot(rt[2]).isConnected, true);
  // The snapshot was fetched before the channel reported changes: one catch-up for that gap,
  // throttled to 2.5 s after the first fetch (probe and overlay are in flight until T0 + 20 s).
  assert.equal(e.pollTimeout(), T0 + 2_500, 'the gap-free catch-up after SUBSCRIBED');
  // A payload fires callbacks on every registration that asked for them.
  const retained = e.handlePayload(SITE, JSON.stringify({ table: 'calls', eventType: 'INSERT', commit_timestamp: 't1', new: { id: 'c1', site_id: SITE, status: 'intent' } }), 1, T0 + 100);
  assert.equal(retained, false);
  const notify = e.drainCommands().filter((c) => c.type === 'notify');
  // The first: SUBSCRIBED closed the load gap (no replay source: data freshness). Then the call's own.
  assert.deepEqual(notify.map((n) => [n.kind, n.handles, n.seq]), [['data_freshness', rt, null], ['call_created', rt, 1]]);
  assert.equal(e.snapshot(rt[0]).eventCount, 1);
  const counters = e.counters();
  assert.equal(counters.requests.stats, 1);
  for (const h of [...rt, ...st]) e.unregister(h, T0 + 200);
  // The probe and the overlay poll still in flight are aborted (superseded) as their last interest leaves.
  const probe = cmds.find((c) => c.kind === 'probe');
  const overlay = cmds.find((c) => c.type === 'fetch_overlay');
  assert.deepEqual(e.drainCommands().map((c) => (c.type === 'abort' ? `abort:${c.requestId}:${c.reason}` : c.type)), [
    `abort:${probe.requestId}:superseded`, 'unsubscribe', `abort:${overlay.requestId}:superseded`,
  ]);
  assert.equal(e.pollTimeout(), undefined);
  assert.ok(e.log().length > 0);
});

test('bad arguments are named errors and the engine keeps working', () => {
  const e = new PulseEngine();
  assert.throws(() => e.registerRealtime('a b', false, true, T0), /siteId 'a b'/);
  assert.throws(() => e.registerStats(SITE, { fromMs: 5, toMs: 1 }, false, T0), /from < to/);
  assert.throws(() => e.registerRealtime(SITE, false, true, NaN), /nowMs/);
  assert.throws(() => e.handleChannelStatus(SITE, 'JOINED', undefined, T0), /JOINED/);
  assert.throws(() => new PulseEngine({ timeZone: 'Mars/Base' }), /Mars\/Base/);
  assert.throws(() => new PulseEngine({ policy: 'max' }), /policy/);
  e.handleRpcResponse(12345, { data: [] }, T0); // unknown request: dropped, counted
  assert.equal(e.counters().dropped.responses, 1);
  e.handleOverlayResponse(1, { body: '{not json' }, T0);
  const h = e.registerRealtime(SITE, false, false, T0);
  assert.equal(e.snapshot(h).connectionStatus, 'STARTING');
});
