// What the server renders with: the snapshot (one clock read per request),
// today's stats for both scopes, recent calls and the sparkline.
import { createServerSnapshot, type ServerSnapshot } from 'opsmantik-pulse/server';
import { callRpc, db } from './db';
import { RECENT_CALLS_SHOWN } from './recent-calls';
import { emptyBuckets, type Bucket } from './sparkline';
import { DEMO_SITE_ID, DEMO_TIME_ZONE, serverNow } from './site';

export interface PageData {
  snapshot: ServerSnapshot;
  calls: Array<Record<string, unknown>>;
  spark: Bucket[];
}

export async function loadPageData(): Promise<PageData> {
  // The snapshot's nowMs is the instant the page's data is complete as of: the client's
  // engine replays the calls created from there on (minus a margin) once realtime is live.
  // So the clock is read first and every query starts after it: PGlite runs one statement
  // at a time, so a call stamped before `now` is committed before the list is read. Read
  // the other way round, a call made between the list and the clock would be on neither.
  const now = serverNow();
  const base = createServerSnapshot(now, DEMO_TIME_ZONE);
  const range = { p_site_id: DEMO_SITE_ID, p_date_from: base.today.fromIso, p_date_to: base.today.toIso };
  const [all, ads, recent] = await Promise.all([
    callRpc('get_command_center_p0_stats_v2', { ...range, p_ads_only: false }),
    callRpc('get_command_center_p0_stats_v2', { ...range, p_ads_only: true }),
    callRpc('get_recent_intents_v2', { ...range, p_limit: RECENT_CALLS_SHOWN, p_ads_only: false }),
  ]);
  const snapshot = createServerSnapshot(now, DEMO_TIME_ZONE, [
    { siteId: DEMO_SITE_ID, adsOnly: false, raw: all.data },
    { siteId: DEMO_SITE_ID, adsOnly: true, raw: ads.data },
  ]);
  const spark = emptyBuckets(now);
  const { pg } = await db();
  const rows = await pg.query<{ minute: number; count: number }>(
    `select floor(extract(epoch from created_at) / 60)::int as minute, count(*)::int as count
       from events where site_id = $1 and created_at >= to_timestamp($2 / 1000.0) group by 1`,
    [DEMO_SITE_ID, (spark[0]!.minute) * 60_000],
  );
  for (const r of rows.rows) {
    const b = spark.find((x) => x.minute === Number(r.minute));
    if (b) b.count = Number(r.count);
  }
  return { snapshot, calls: Array.isArray(recent.data) ? (recent.data as Array<Record<string, unknown>>) : [], spark };
}
