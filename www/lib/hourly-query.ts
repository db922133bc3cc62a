// Counts calls and events per local hour for today and yesterday, and the
// KPI fields for yesterday up to the same time of day, from the demo DB.
import { createServerSnapshot } from 'opsmantik-pulse/server';
import { callRpc, db } from './db';
import { hoursIn, type DaySeries, type HourlySeries, type SameTimeYesterday } from './hourly';

const COUNTS = `
  with rows as (
    select 'calls' as what, c.created_at from calls c left join sessions s on s.id = c.matched_session_id
     where c.site_id = $1 and c.created_at >= $2 and c.created_at < $4 and (not $5 or (s.id is not null and session_is_ads(s)))
    union all
    select 'events', e.created_at from events e left join sessions s on s.id = e.session_id
     where e.site_id = $1 and e.created_at >= $2 and e.created_at < $4 and (not $5 or (s.id is not null and session_is_ads(s)))
  )
  select what, created_at >= $3 as today,
         floor(extract(epoch from created_at - case when created_at >= $3 then $3::timestamptz else $2::timestamptz end) / 3600)::int as hour,
         count(*)::int as n
    from rows group by 1, 2, 3`;

function emptyDay(range: { dateKey: string; fromMs: number; toMs: number }): DaySeries {
  const n = hoursIn(range.fromMs, range.toMs);
  return { dateKey: range.dateKey, fromMs: range.fromMs, toMs: range.toMs, calls: new Array(n).fill(0), events: new Array(n).fill(0) };
}

function sameTime(raw: unknown): SameTimeYesterday | null {
  const row = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown> | null | undefined;
  if (!row || typeof row !== 'object') return null;
  const n = (k: string) => Math.max(0, Math.floor(Number(row[k]) || 0));
  return { sealed: n('sealed'), junk: n('junk'), total_leads: n('total_leads'), gclid_leads: n('gclid_leads'), queue_pending: n('queue_pending') };
}

/** Everything counted up to `nowMs` (rows stamped later belong to the next read). */
export async function hourlySeries(siteId: string, timeZone: string, nowMs: number, adsOnly: boolean): Promise<HourlySeries> {
  const snap = createServerSnapshot(nowMs, timeZone);
  const today = emptyDay({ dateKey: snap.today.dateKey, fromMs: snap.today.fromMs, toMs: snap.today.toMs });
  const yesterday = emptyDay({ dateKey: snap.yesterday.dateKey, fromMs: snap.yesterday.fromMs, toMs: snap.yesterday.toMs });
  const { pg } = await db();
  const iso = (ms: number) => new Date(ms).toISOString();
  const res = await pg.query<{ what: 'calls' | 'events'; today: boolean; hour: number; n: number }>(COUNTS, [
    siteId, iso(yesterday.fromMs), iso(today.fromMs), iso(nowMs), adsOnly,
  ]);
  for (const r of res.rows) {
    const list = (r.today ? today : yesterday)[r.what];
    if (r.hour >= 0 && r.hour < list.length) list[r.hour] = Number(r.n);
  }
  const elapsed = Math.max(0, nowMs - today.fromMs);
  const sameTimeRange = { p_site_id: siteId, p_date_from: iso(yesterday.fromMs), p_date_to: iso(Math.min(yesterday.toMs, yesterday.fromMs + elapsed)), p_ads_only: adsOnly };
  const soFar = await callRpc('get_command_center_p0_stats_v2', sameTimeRange);
  return { timeZone, nowMs, adsOnly, today, yesterday, yesterdaySoFar: soFar.error ? null : sameTime(soFar.data) };
}
