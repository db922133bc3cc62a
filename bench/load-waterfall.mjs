// npm run bench:load -- --waterfall: where a cold load's time goes. One load of the demo
// under bench:load's network profile, every request as CDP saw it (start, first byte, end,
// bytes on the wire) and the page's milestones (DOMContentLoaded, load, the engine up,
// SUBSCRIBED, the first payload), in one table sorted by start. Figures in BENCHMARKS.md.

/** Records every request of `page` through `cdp`; `rows()` gives them with times from navigation start. */
export async function recordRequests(cdp) {
  const byId = new Map();
  let origin = null; // the navigation request's wall time, s
  cdp.on('Network.requestWillBeSent', (e) => {
    if (origin === null) origin = e.timestamp;
    byId.set(e.requestId, { url: e.request.url, startS: e.timestamp, firstByteS: null, endS: null, bytes: 0, type: e.type });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.firstByteS = e.timestamp;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) Object.assign(r, { endS: e.timestamp, bytes: e.encodedDataLength });
  });
  const ms = (s) => (s === null || origin === null ? null : Math.round((s - origin) * 1000));
  return {
    rows: () =>
      [...byId.values()]
        .map((r) => ({ url: r.url, type: r.type, startMs: ms(r.startS), firstByteMs: ms(r.firstByteS), endMs: ms(r.endS), bytes: r.bytes }))
        .sort((a, b) => a.startMs - b.startMs),
  };
}

/** The table printed by `--waterfall`. */
export function formatWaterfall(rows, milestones) {
  const short = (url) => {
    const u = new URL(url);
    const path = u.pathname.length > 60 ? `…${u.pathname.slice(-59)}` : u.pathname;
    return path + (u.search.length > 0 ? '?…' : '');
  };
  const lines = ['  start  1st byte     end      bytes  type        request'];
  for (const r of rows) {
    const f = (v) => String(v ?? '-').padStart(7);
    lines.push(`${f(r.startMs)}  ${f(r.firstByteMs)}  ${f(r.endMs)}  ${String(r.bytes).padStart(9)}  ${(r.type ?? '').padEnd(10)}  ${short(r.url)}`);
  }
  lines.push('  milestones (ms from navigation start):');
  for (const [k, v] of Object.entries(milestones)) lines.push(`    ${k.padEnd(22)} ${v === null ? '-' : Math.round(v)}`);
  return lines.join('\n');
}
