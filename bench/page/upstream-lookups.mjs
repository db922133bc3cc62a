// The session lookups of the upstream ads-only hooks, which both upstream
// models share. From the design (section 5) and the measurement:
// - each hook instance has its own ads cache (a Map filled when an answer
//   arrives; past 500 entries the oldest 250 are dropped), so two ads-only
//   hooks look up the same session twice, and no cache outlives its hook;
// - a lookup goes out for a calls row with `matched_session_id` and for an
//   events row with a `session_id` whose own tags are not non-ads, when the
//   hook's cache does not know the session;
// - concurrent asks for one session are not joined (joining them is one of
//   the fixes the design asks of pulse);
// - the channel stays open in a hidden tab, so lookups go on while hidden.
import { classifyRow } from '../baselines/realtime-js.mjs';

const CACHE_LIMIT = 500;
const CACHE_DROP = 250;

/** The session a payload makes an ads-only hook look up, or null. */
function sessionToLookUp(payload) {
  const row = payload.new;
  if (payload.table === 'calls') return row.matched_session_id ?? null;
  if (payload.table !== 'events' || !row.session_id) return null;
  return classifyRow(row).kind === 'non_ads' ? null : row.session_id;
}

/** Instants of every `get_session_details` request `hooks` ads-only hooks send for `happenings`. */
export function upstreamLookups(happenings, { hooks, latencyMs }) {
  const requests = [];
  for (let h = 0; h < hooks; h++) {
    const cache = new Map();
    const answers = []; // in arrival order: the latency is constant
    for (const x of happenings) {
      while (answers.length > 0 && answers[0].at <= x.at) {
        cache.set(answers.shift().session, true);
        if (cache.size > CACHE_LIMIT) for (const key of [...cache.keys()].slice(0, CACHE_DROP)) cache.delete(key);
      }
      const session = sessionToLookUp(x.payload);
      if (session === null || cache.has(session)) continue;
      requests.push(x.at);
      answers.push({ at: x.at + latencyMs, session });
    }
  }
  return requests.sort((a, b) => a - b);
}
