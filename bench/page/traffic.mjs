// The traffic of the benchmark's scenarios as postgres_changes payloads with
// their instants, plus what the database holds because of them (which
// sessions are ads, today's calls and events), so the fake backend answers
// consistently with what realtime delivered.
//
// mixed: every minute 20 events, 6 sessions INSERT, 3 calls INSERT and
//   2 calls UPDATE, each at a uniformly random instant of its minute (fixed
//   seed). Sessions: 40% gclid, 10% utm_medium=cpc (both ads), 30% organic
//   utm tags (non-ads), 20% direct (no tags: unknown). An event belongs to a
//   session started in the 5 minutes before it and carries its session's
//   landing tags in `metadata`; events rows have no site_id (as in
//   production). 70% of calls are matched to a recent session; an UPDATE
//   changes a call inserted earlier (or one from before the page loaded).
// busy: the previous benchmark's load, kept to check the upstream model
//   against the measurement: an event every 5 s, each visitor
//   session (gclid) two consecutive events, nothing else.
// quiet: nothing.
import { seededRandom } from './random.mjs';

export const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const MIN = 60_000;
const LIVE_SESSION_MS = 5 * MIN;

/** Today's totals before the page loaded (what the first stats fetch shows). */
export const BASE = { calls: 4, sealedCalls: 1, captured: 120, gclid: 40 };

const id = (kind, n) => `${kind}0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const iso = (ms) => new Date(ms).toISOString();
const payload = (table, eventType, at, row) => ({ schema: 'public', table, commit_timestamp: iso(at), eventType, new: row, old: {}, errors: null });

/** Landing tags of a session and whether the database would call it ads. */
function attribution(rand, n) {
  const r = rand.next();
  if (r < 0.4) return { ads: true, tags: { gclid: `Cj0KCQiA${n}` } };
  if (r < 0.5) return { ads: true, tags: { utm_source: 'google', utm_medium: 'cpc' } };
  if (r < 0.8) return { ads: false, tags: { utm_source: 'google', utm_medium: 'organic' } };
  return { ads: false, tags: {} };
}

/**
 * `{happenings, sessions}`: happenings sorted by `at`, each
 * `{at, table, eventType, payload, gclid}`; `sessions` maps a session id to
 * `{ads}` (what `get_session_details` answers).
 */
export function makeTraffic(kind, { start, minutes, seed = 12 }) {
  const sessions = new Map();
  if (kind === 'quiet') return { happenings: [], sessions };
  if (kind === 'busy') return busyTraffic(start, minutes, sessions);
  if (kind !== 'mixed') throw new Error(`unknown traffic '${kind}'`);
  const rand = seededRandom(seed);
  const slots = [];
  const per = { event: 20, session: 6, call_insert: 3, call_update: 2 };
  for (let m = 0; m < minutes; m++) {
    for (const [what, count] of Object.entries(per)) {
      for (let i = 0; i < count; i++) slots.push({ at: start + m * MIN + rand.below(MIN), what });
    }
  }
  slots.sort((a, b) => a.at - b.at);

  // Sessions started before the page loaded, so the first events have one to belong to.
  const started = [];
  let sessionNo = 0, eventNo = 0, callNo = 0;
  const newSession = (at) => {
    const s = { id: id('5e55', ++sessionNo), at, ...attribution(rand, sessionNo) };
    sessions.set(s.id, { ads: s.ads });
    started.push(s);
    return s;
  };
  for (let i = 8; i > 0; i--) newSession(start - i * 30_000);
  const calls = [1, 2, 3, 4].map((n) => ({ id: id('ca11', n), matched: null }));
  callNo = calls.length;
  const recent = (at) => {
    const live = started.filter((s) => s.at <= at && at - s.at < LIVE_SESSION_MS);
    return live.length > 0 ? live : started.filter((s) => s.at <= at);
  };

  const happenings = slots.map(({ at, what }) => {
    if (what === 'session') {
      const s = newSession(at);
      return { at, table: 'sessions', eventType: 'INSERT', gclid: false, payload: payload('sessions', 'INSERT', at, { id: s.id, site_id: SITE, created_at: iso(at), ...s.tags }) };
    }
    if (what === 'event') {
      const s = rand.pick(recent(at));
      const row = { id: id('e7e7', ++eventNo), session_id: s.id, event_category: 'interaction', event_action: rand.next() < 0.7 ? 'page_view' : 'click', created_at: iso(at), metadata: { ...s.tags } };
      return { at, table: 'events', eventType: 'INSERT', gclid: 'gclid' in s.tags, payload: payload('events', 'INSERT', at, row) };
    }
    if (what === 'call_insert') {
      const matched = rand.next() < 0.7 ? rand.pick(recent(at)).id : null;
      const call = { id: id('ca11', ++callNo), matched };
      calls.push(call);
      const row = { id: call.id, site_id: SITE, status: rand.next() < 0.5 ? 'intent' : 'confirmed', matched_session_id: matched, created_at: iso(at) };
      return { at, table: 'calls', eventType: 'INSERT', gclid: false, payload: payload('calls', 'INSERT', at, row) };
    }
    const call = rand.pick(calls);
    const row = { id: call.id, site_id: SITE, status: 'sealed', matched_session_id: call.matched, updated_at: iso(at) };
    return { at, table: 'calls', eventType: 'UPDATE', gclid: false, payload: payload('calls', 'UPDATE', at, row) };
  });
  return { happenings, sessions };
}

function busyTraffic(start, minutes, sessions) {
  const happenings = [];
  for (let n = 0; 2500 + n * 5000 < minutes * MIN; n++) {
    const at = start + 2500 + n * 5000;
    const sessionId = id('5e55', Math.floor(n / 2) + 1);
    sessions.set(sessionId, { ads: true });
    const tags = { gclid: `Cj0KCQiA${Math.floor(n / 2)}` };
    const row = { id: id('e7e7', n + 1), session_id: sessionId, event_category: 'interaction', event_action: 'page_view', created_at: iso(at), metadata: tags };
    happenings.push({ at, table: 'events', eventType: 'INSERT', gclid: true, payload: payload('events', 'INSERT', at, row) });
  }
  return { happenings, sessions };
}
