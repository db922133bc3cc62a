// The Recent calls list: the newest calls by `created_at`, one row per id.
// The server renders it and the client keeps it; both use these so the list
// the page starts from and the list it maintains are the same kind of thing.

/**
 * Rows shown. 20, not the original 8: at the demo's busiest rate (240
 * events/min, ~1.4 calls/s) 20 rows span ~15 s, so a reconnect or a hidden
 * period is still on screen when you look (and when the e2e checks it).
 */
export const RECENT_CALLS_SHOWN = 20;

type Row = Record<string, unknown>;

/**
 * `created_at` as microseconds since the epoch, for ordering. Postgres prints
 * microseconds and `Date.parse` keeps milliseconds, so two calls in the same
 * millisecond would otherwise tie; a row without a readable time sorts last.
 */
function createdMicros(row: Row): number {
  const text = typeof row.created_at === 'string' ? row.created_at : '';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return -Infinity;
  const fraction = /T\d\d:\d\d:\d\d\.(\d+)/.exec(text)?.[1] ?? '';
  return ms * 1000 + Number(fraction.padEnd(6, '0').slice(3, 6));
}

/** Newest first; equal times by id, so every list with the same rows has the same order. */
function newestFirst(a: Row, b: Row): number {
  const d = createdMicros(b) - createdMicros(a);
  if (d !== 0 && !Number.isNaN(d)) return d > 0 ? 1 : -1;
  return String(b.id) < String(a.id) ? -1 : String(b.id) > String(a.id) ? 1 : 0;
}

/** The list as shown: newest first, one row per id, at most `RECENT_CALLS_SHOWN`. */
export function recentCalls(rows: readonly Row[]): Row[] {
  const byId = new Map<string, Row>();
  for (const row of rows) byId.set(String(row.id), row);
  return [...byId.values()].sort(newestFirst).slice(0, RECENT_CALLS_SHOWN);
}

/**
 * `row` inserted or, when its id is listed, replacing that row in place of
 * its time. A call can reach the page several times (the server render, live,
 * a catch-up replay after a gap, an UPDATE); each is the same row, and an
 * update must not move an old call to the top.
 */
export function upsertCall(list: readonly Row[], row: Row): Row[] {
  return recentCalls([...list.filter((c) => c.id !== row.id), row]);
}
