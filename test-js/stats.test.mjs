// Stats normalization and the overlay merge through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeP0Stats, normalizeOverlay, mergeOverlay, dayRange, spanRange } from 'opsmantik-pulse/node';

const TZ = 'Europe/Istanbul';
const NOW = Date.UTC(2026, 1, 2, 12); // 15:00 in Istanbul, 2026-02-02
const today = dayRange('2026-02-02', TZ);

const raw = (over = {}) => ({
  site_id: 's1', date_from: today.fromIso, date_to: today.toIso, ads_only: false, queue_pending: 2,
  sealed: 3, junk: 1, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0,
  assumed_cpc: 1.5, currency: 'TRY', estimated_budget_saved: 4.5, projected_revenue: 100,
  total_leads: 5, gclid_leads: 2, avg_scroll_depth: 40, inbox_zero_now: false, ...over,
});

test('PostgREST shapes: object, one-element array, empty array, null', () => {
  assert.equal(normalizeP0Stats(raw()).sealed, 3);
  assert.equal(normalizeP0Stats([raw()]).sealed, 3);
  assert.equal(normalizeP0Stats([]), null);
  assert.equal(normalizeP0Stats(null), null);
  assert.equal(normalizeP0Stats(undefined), null);
  assert.equal(normalizeP0Stats({ total_leads: 1 }), null, 'no sealed key: not a stats payload');
  assert.deepEqual(normalizeP0Stats(raw()).issues, []);
});

test('numeric strings become numbers; NaN and Infinity from JS are reported, never passed on', () => {
  const s = normalizeP0Stats(raw({ sealed: '7', projected_revenue: '12.50', junk: NaN, oci_failed: Infinity, total_leads: -2 }));
  assert.equal(s.sealed, 7);
  assert.equal(s.projected_revenue, 12.5);
  assert.equal(s.junk, 0);
  assert.equal(s.oci_failed, 0);
  assert.equal(s.total_leads, 0);
  const byField = Object.fromEntries(s.issues.map((i) => [i.field, i.code]));
  assert.deepEqual(byField, { junk: 'not_finite', oci_failed: 'not_finite', total_leads: 'negative' });
  assert.ok(s.issues.every((i) => i.message.includes(i.field)));
  for (const v of Object.values(s)) if (typeof v === 'number') assert.ok(Number.isFinite(v));
});

test('contract drift is reported, not passed through', () => {
  const s = normalizeP0Stats(raw({ sealed_v3: 1, __proto__x: 2 }));
  assert.equal('sealed_v3' in s, false);
  assert.deepEqual(s.issues.map((i) => [i.field, i.code]).sort(), [['__proto__x', 'unknown_field'], ['sealed_v3', 'unknown_field']]);
});

test('a cyclic or hostile value is an Error naming the argument', () => {
  const cyclic = raw();
  cyclic.self = cyclic;
  assert.throws(() => normalizeP0Stats(cyclic), (e) => e instanceof Error && e.message.startsWith('raw cannot be read as JSON') && e.kind === 'invalid_argument');
  const nest = (n) => { let v = { sealed: 1 }; for (let i = 0; i < n; i++) v = { sealed: 1, next: v }; return v; };
  // Deeper than serde_json's 128 levels: refused by the core, no stack overflow in wasm.
  assert.throws(() => normalizeP0Stats(nest(500)), (e) => e instanceof Error && /recursion limit/.test(e.message) && e.kind === 'invalid_stats');
  // Deeper than JSON.stringify can walk: refused before it reaches the core.
  assert.throws(() => normalizeP0Stats(nest(100_000)), (e) => e instanceof Error && e.message.startsWith('raw cannot be read as JSON') && e.kind === 'invalid_argument');
  assert.equal(normalizeP0Stats(raw()).sealed, 3, 'still usable');
});

test('overlay replies: counts, string counts, fallback, errors', () => {
  assert.deepEqual(normalizeOverlay({ captured: 4, gclid: 1, junk: 0 }), { kind: 'counts', captured: 4, gclid: 1, junk: 0 });
  assert.deepEqual(normalizeOverlay({ captured: '4', gclid: '1', junk: '0' }), { kind: 'counts', captured: 4, gclid: 1, junk: 0 });
  assert.deepEqual(normalizeOverlay({ captured: 0, gclid: 0, junk: 0, _fallback: true }), { kind: 'fallback' });
  const e = normalizeOverlay({ captured: 'lots', gclid: 1, junk: 0 });
  assert.equal(e.kind, 'error');
  assert.match(e.error, /captured/);
  assert.equal(normalizeOverlay('nope').kind, 'error');
});

test('mergeOverlay: db-truth shows, legacy-max maxes, both only on today of the zone', () => {
  const s = normalizeP0Stats(raw());
  const overlay = { captured: 40, gclid: 7, junk: 9 };
  const db = mergeOverlay(s, overlay, { nowMs: NOW });
  assert.deepEqual(db.stats, s);
  assert.equal(db.provenance.policy, 'db-truth');
  assert.equal(db.provenance.overlay, 'shown');
  assert.deepEqual(db.live, { captured: 40, gclid: 7, junk: 9, dayKey: '2026-02-02', receivedAtMs: NOW, fallback: false });

  const legacy = mergeOverlay(s, overlay, { policy: 'legacy-max', nowMs: NOW, timeZone: TZ, snapshotFetchedAtMs: NOW - 5000 });
  assert.deepEqual([legacy.stats.sealed, legacy.stats.junk, legacy.stats.total_leads, legacy.stats.gclid_leads], [40, 9, 40, 7]);
  assert.deepEqual(legacy.provenance.fields, { sealed: 'overlay', junk: 'overlay', total_leads: 'overlay', gclid_leads: 'overlay' });
  assert.equal(legacy.provenance.snapshotAgeMs, 5000);

  const week = spanRange('2026-02-02', 7, TZ);
  const multi = normalizeP0Stats(raw({ date_from: week.fromIso, date_to: week.toIso }));
  const m = mergeOverlay(multi, overlay, { policy: 'legacy-max', nowMs: NOW });
  assert.equal(m.stats.sealed, 3);
  assert.equal(m.provenance.overlay, 'not_today');
  assert.equal(m.live, null);

  const ads = mergeOverlay(normalizeP0Stats(raw({ ads_only: true })), overlay, { policy: 'legacy-max', nowMs: NOW });
  assert.equal(ads.stats.sealed, 3);
  assert.equal(ads.provenance.overlay, 'scope_mismatch');

  const fb = mergeOverlay(s, { captured: 0, gclid: 0, junk: 0, _fallback: true }, { policy: 'legacy-max', nowMs: NOW });
  assert.equal(fb.stats.sealed, 3);
  assert.equal(fb.provenance.overlay, 'fallback');
  assert.equal(fb.live.fallback, true);
  assert.equal(fb.live.captured, null);
});

test('mergeOverlay normalizes a raw RPC reply, keeps earlier issues, and names bad options', () => {
  const fromRaw = mergeOverlay([raw({ sealed: '3' })], { captured: 9, gclid: 0, junk: 0 }, { policy: 'legacy-max', nowMs: NOW });
  assert.equal(fromRaw.stats.sealed, 9);
  const withIssue = normalizeP0Stats(raw({ junk: 'NaN' }));
  assert.deepEqual(mergeOverlay(withIssue, null, { nowMs: NOW }).stats.issues, withIssue.issues);

  const s = normalizeP0Stats(raw());
  const cases = [
    [() => mergeOverlay(s, null, { nowMs: NOW, policy: 'max' }), /policy must be 'db-truth' or 'legacy-max', got 'max'/],
    [() => mergeOverlay(s, null, {}), /nowMs must be an epoch-ms number, got undefined/],
    [() => mergeOverlay(s, null, { nowMs: NaN }), /nowMs/],
    [() => mergeOverlay(s, null, { nowMs: NOW, timeZone: 'Mars/Base' }), /'Mars\/Base'/],
    [() => mergeOverlay(s, null, { nowMs: NOW, overlayReceivedAtMs: 'soon' }), /overlayReceivedAtMs/],
    [() => mergeOverlay({ total_leads: 3 }, null, { nowMs: NOW }), /stats must be a stats snapshot/],
    [() => mergeOverlay(s, null, null), /options must be an object/],
  ];
  for (const [call, re] of cases) assert.throws(call, (e) => e instanceof Error && re.test(e.message) && typeof e.kind === 'string', String(re));
});

test('legacy-max through the package never shows a counter going down within a day', () => {
  let seed = 99;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const db = { sealed: 0, junk: 0, total_leads: 0, gclid_leads: 0 };
  const live = { captured: 0, gclid: 0, junk: 0 };
  let latestOverlay = null;
  let snapshot = normalizeP0Stats(raw({ ...db }));
  let shown = [0, 0, 0, 0];
  for (let i = 0; i < 500; i++) {
    const r = rand(10);
    if (r < 4) { for (const k of Object.keys(db)) db[k] += rand(3); snapshot = normalizeP0Stats(raw({ ...db })); }
    else if (r < 8) { for (const k of Object.keys(live)) live[k] += rand(3); latestOverlay = { ...live }; }
    const m = mergeOverlay(snapshot, latestOverlay, { policy: 'legacy-max', nowMs: NOW + i * 1000 });
    const now = [m.stats.sealed, m.stats.junk, m.stats.total_leads, m.stats.gclid_leads];
    now.forEach((v, k) => assert.ok(v >= shown[k], `step ${i}: ${now} < ${shown}`));
    shown = now;
  }
});
