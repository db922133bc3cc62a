// How the stats shown follow the calls table: for each calls change, the
// delay until every stats hook has committed stats that include it, and the
// stats RPCs spent per change. A change is "included" in a stats answer when
// the answer's calls totals reach those after the change: the fake backend's
// `total_leads` counts calls INSERTs and `sealed` calls UPDATEs, so the two
// together give how many changes an answer reflects.
import { BASE } from './traffic.mjs';

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * `happenings`: the traffic; `shown`: `{index, at, totalLeads, sealed}` per
 * commit; `statsRequests`: instants of stats RPCs; `hooks`: how many stats
 * hooks; `window`: [from, to) instants of the changes to judge (changes while
 * the tab is hidden are meant to wait, so callers leave them out).
 */
export function statsFollowCalls({ happenings, shown, statsRequests, hooks, window: [from, to] }) {
  let inserts = 0, updates = 0;
  const changes = [];
  for (const x of happenings) {
    if (x.table !== 'calls') continue;
    if (x.eventType === 'INSERT') inserts++;
    else updates++;
    if (x.at >= from && x.at < to) changes.push({ at: x.at, eventType: x.eventType, inserts, updates });
  }
  const perChange = changes.map((c, k) => {
    // The stats RPCs this change can be charged with: those it saw start before the next change.
    const until = k + 1 < changes.length ? changes[k + 1].at : to;
    const rpcs = statsRequests.filter((t) => t >= c.at && t < until).length;
    let shownAt = -Infinity;
    for (let i = 0; i < hooks; i++) {
      const first = shown.find((s) => s.index === i && s.at >= c.at && s.totalLeads - BASE.calls >= c.inserts && s.sealed - BASE.sealedCalls >= c.updates);
      shownAt = Math.max(shownAt, first ? first.at : Infinity);
    }
    return { ...c, rpcs, delayMs: shownAt - c.at };
  });
  const delays = perChange.map((c) => c.delayMs);
  const rpcs = statsRequests.filter((t) => t >= from && t < to).length;
  return {
    changes: changes.length,
    statsRpcs: rpcs,
    statsRpcsPerChange: changes.length ? rpcs / changes.length : null,
    /** How many changes were followed by 0, 1, 2… stats RPCs before the next change. */
    rpcsAfterChange: perChange.reduce((h, c) => ({ ...h, [c.rpcs]: (h[c.rpcs] ?? 0) + 1 }), {}),
    maxDelayMs: delays.length ? Math.max(...delays) : null,
    medianDelayMs: median(delays),
    perChange,
  };
}
