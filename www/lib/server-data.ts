// What the server renders with: the snapshot (one clock read per request),
// today's stats for both scopes, recent calls and the hourly chart's counts.
import { createServerSnapshot, type ServerSnapshot } from 'opsmantik-pulse/server';
import { callRpc } from './db';
import { RECENT_CALLS_SHOWN } from './recent-calls';
import type { HourlySeries } from './hourly';
import { hourlySeries } from './hourly-query';
import { DEMO_SITE_ID, DEMO_TIME_ZONE, serverNow } from './site';

export interface PageData {
  snapshot: ServerSnapshot;
  calls: Array<Record<string, unknown>>;
  hourly: HourlySeries;
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
  const [all, ads, recent, hourly] = await Promise.all([
    callRpc('get_command_center_p0_stats_v2', { ...range, p_ads_only: false }),
    callRpc('get_command_center_p0_stats_v2', { ...range, p_ads_only: true }),
    callRpc('get_recent_intents_v2', { ...range, p_limit: RECENT_CALLS_SHOWN, p_ads_only: false }),
    hourlySeries(DEMO_SITE_ID, DEMO_TIME_ZONE, now, false),
  ]);
  const snapshot = createServerSnapshot(now, DEMO_TIME_ZONE, [
    { siteId: DEMO_SITE_ID, adsOnly: false, raw: all.data },
    { siteId: DEMO_SITE_ID, adsOnly: true, raw: ads.data },
  ]);
  return { snapshot, calls: Array.isArray(recent.data) ? (recent.data as Array<Record<string, unknown>>) : [], hourly };
}
