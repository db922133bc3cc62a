// The fake backend behind the benchmark page: the rpc, overlay and realtime
// adapters a PulseDriver takes, answering from the scenario's traffic as the
// database would hold it at the instant each request arrives, after a fixed
// latency in simulated time. It counts every request it receives, by kind and
// instant: the benchmark's figures come from here, not from the engine's own
// counters (which are only cross-checked against them).
import { BASE, SITE } from './traffic.mjs';

const RPC_KINDS = {
  get_command_center_p0_stats_v2: 'stats',
  get_recent_intents_v2: 'probe',
  get_recent_intents_v1: 'probe',
  get_session_details: 'lookup',
};
export const REQUEST_KINDS = ['stats', 'overlay', 'probe', 'lookup', 'other'];

/** What the database holds at `t` because of the traffic (today's totals). */
export function databaseAt(happenings, t) {
  const db = { callsInserted: 0, callsUpdated: 0, events: 0, gclidEvents: 0, recentCalls: [] };
  for (const h of happenings) {
    if (h.at > t) break;
    if (h.table === 'events') {
      db.events++;
      if (h.gclid) db.gclidEvents++;
    } else if (h.table === 'calls') {
      if (h.eventType === 'INSERT') db.callsInserted++;
      else db.callsUpdated++;
      if (t - h.at < 5 * 60_000) db.recentCalls.push({ id: h.payload.new.id });
    }
  }
  return db;
}

/** The stats RPC's answer: `total_leads` moves with each calls INSERT, `sealed` with each UPDATE. */
function statsRow(params, db) {
  return {
    site_id: params.p_site_id, date_from: params.p_date_from, date_to: params.p_date_to, ads_only: params.p_ads_only,
    queue_pending: 0, sealed: BASE.sealedCalls + db.callsUpdated, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0,
    oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0,
    total_leads: BASE.calls + db.callsInserted, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false,
  };
}

export function pageBackend({ sim, traffic, latencyMs, subscribeMs }) {
  const requests = [];
  const channels = [];
  const received = (kind, name) => requests.push({ at: sim.clock.now(), kind, name });
  const later = (value) => new Promise((resolve) => sim.afterLatency(latencyMs, () => resolve(value)));
  const answer = (name, params, db) => {
    if (name === 'get_command_center_p0_stats_v2') return statsRow(params, db);
    if (name === 'get_session_details') return traffic.sessions.get(params.p_session_id)?.ads ? [{ id: params.p_session_id, site_id: SITE }] : [];
    if (RPC_KINDS[name] === 'probe') return db.recentCalls.slice(0, 1);
    return null;
  };
  return {
    requests,
    rpc: {
      rpc(name, params) {
        received(RPC_KINDS[name] ?? 'other', name);
        return later({ data: answer(name, params, databaseAt(traffic.happenings, sim.clock.now())), error: null });
      },
    },
    overlay: {
      fetchOverlay() {
        received('overlay', 'overlay');
        const db = databaseAt(traffic.happenings, sim.clock.now());
        return later(JSON.stringify({ captured: BASE.captured + db.events, gclid: BASE.gclid + db.gclidEvents, junk: 0 }));
      },
    },
    realtime: {
      subscribe(siteId, channel, handlers) {
        const entry = { siteId, channel, handlers, open: true, joined: false };
        channels.push(entry);
        // supabase-js reports SUBSCRIBED once the server has joined the
        // channel; changes committed before that are not delivered.
        sim.afterLatency(subscribeMs, () => {
          if (!entry.open) return;
          entry.joined = true;
          handlers.onStatus('SUBSCRIBED');
        });
        return () => { entry.open = false; };
      },
    },
    /** Realtime delivers a change to every joined channel of its site; returns how many got it. */
    deliver(payload) {
      let n = 0;
      for (const c of channels) {
        if (!c.open || !c.joined || c.siteId !== SITE) continue;
        c.handlers.onPayload(payload);
        n++;
      }
      return n;
    },
    channels,
  };
}
