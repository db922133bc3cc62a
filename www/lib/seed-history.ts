// A few days of past traffic for the demo database, so "Yesterday", the
// hourly comparison and the KPI deltas have something to compare on a fresh
// start. Deterministic (a seeded generator): every start with the same clock
// seeds the same rows. PULSE_SEED_DAYS (default 3) is how many whole days
// before today are seeded, plus today up to the server's clock; 0 = none.
import type { PGlite } from '@electric-sql/pglite';
import { dateKeyAt, dayRange } from 'opsmantik-pulse/node';

const HOUR_MS = 3_600_000;

/** mulberry32: small, seedable, good enough to make traffic look uneven. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Visits per local hour: quiet at night, busiest mid-afternoon, like a clinic's phone line. */
function visitsInHour(hour: number, random: () => number): number {
  const day = Math.max(0, Math.sin((Math.PI * (hour - 7)) / 16));
  return Math.round((3 + 45 * day) * (0.7 + 0.6 * random()));
}

export function seedDays(): number {
  const n = Number(process.env.PULSE_SEED_DAYS ?? 3);
  return Number.isInteger(n) && n >= 0 && n <= 30 ? n : 3;
}

/** Today's seeded events, for the live overlay counters (the ingest counts every event of the day). */
export interface SeededToday {
  dayKey: string;
  events: number;
  gclid: number;
}

interface Rows {
  sessions: object[];
  events: object[];
  calls: object[];
}

/** The rows of one local day, up to `untilMs`. */
function dayRows(dateKey: string, timeZone: string, untilMs: number, random: () => number, rows: Rows): void {
  const day = dayRange(dateKey, timeZone);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let hour = 0; day.fromMs + hour * HOUR_MS < day.toMs; hour++) {
    const visits = visitsInHour(hour, random);
    for (let v = 0; v < visits; v++) {
      const at = day.fromMs + hour * HOUR_MS + Math.floor(random() * HOUR_MS);
      if (at >= untilMs || at >= day.toMs) continue;
      const id = `seed-${dateKey}-${hour}-${v}`;
      const ads = random() < 0.5;
      const gclid = ads && random() < 0.8 ? `Cj0KCQseed${Math.floor(random() * 1e9).toString(36)}` : null;
      const iso = new Date(at).toISOString();
      rows.sessions.push({
        id: `sess-${id}`, created_at: iso, gclid, utm_source: ads ? 'google' : pick(['newsletter', 'instagram', null]),
        utm_medium: ads ? 'cpc' : pick(['email', 'social', null]), attribution_source: ads ? 'Google Ads' : pick(['Organic', 'Direct']),
        landing_page: pick(['/implant', '/whitening', '/contact']),
      });
      rows.events.push({
        session_id: `sess-${id}`, created_at: new Date(at + 2_000).toISOString(), event_category: 'interaction',
        event_action: pick(['click', 'scroll', 'form_start', 'phone_reveal']), gclid, metadata: { scroll_depth: Math.round(random() * 100) },
      });
      if (random() >= 0.35) continue;
      const callAt = at + 30_000 + Math.floor(random() * 120_000);
      if (callAt >= untilMs) continue;
      const junk = random() < 0.15;
      const sealed = !junk && random() < 0.6;
      rows.calls.push({
        id: `call-${id}`, created_at: new Date(callAt).toISOString(), status: sealed ? 'confirmed' : 'intent', matched_session_id: `sess-${id}`,
        phone: `+90 5${Math.floor(100_000_000 + random() * 899_999_999)}`, is_junk: junk,
        sealed_at: sealed ? new Date(callAt + 300_000).toISOString() : null, oci_status: sealed && gclid ? 'uploaded' : null,
        source: ads ? 'ads' : 'organic', click_id: gclid,
      });
    }
  }
}

/**
 * Inserts the history before anyone listens (the change triggers still fire,
 * into an empty channel). Rows go in as JSON sets: three statements, not
 * thousands.
 */
export async function seedHistory(pg: PGlite, siteId: string, timeZone: string, nowMs: number): Promise<SeededToday> {
  const days = seedDays();
  const todayKey = dateKeyAt(nowMs, timeZone);
  if (days === 0) return { dayKey: todayKey, events: 0, gclid: 0 };
  const random = generator(Math.floor(nowMs / HOUR_MS));
  const rows: Rows = { sessions: [], events: [], calls: [] };
  let key = dateKeyAt(nowMs, timeZone);
  const keys = [key];
  for (let i = 0; i < days; i++) {
    key = dateKeyAt(dayRange(key, timeZone).fromMs - 1, timeZone);
    keys.unshift(key);
  }
  for (const k of keys) dayRows(k, timeZone, nowMs, random, rows);
  const withSite = (list: object[]) => JSON.stringify(list.map((r) => ({ ...r, site_id: siteId })));
  await pg.query(`insert into sessions select * from json_populate_recordset(null::sessions, $1::json) on conflict do nothing`, [withSite(rows.sessions)]);
  await pg.query(
    `insert into events (site_id, session_id, created_at, event_category, event_action, gclid, metadata)
       select site_id, session_id, created_at, event_category, event_action, gclid, metadata from json_populate_recordset(null::events, $1::json)`,
    [withSite(rows.events)],
  );
  await pg.query(`insert into calls select * from json_populate_recordset(null::calls, $1::json) on conflict do nothing`, [withSite(rows.calls)]);
  const fromMs = dayRange(todayKey, timeZone).fromMs;
  const today = rows.events.filter((e) => Date.parse((e as { created_at: string }).created_at) >= fromMs);
  return { dayKey: todayKey, events: today.length, gclid: today.filter((e) => (e as { gclid: unknown }).gclid).length };
}
