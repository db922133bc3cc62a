// Traffic for the demo site: sessions, events and calls at PULSE_SIM_RATE
// events per minute (default 30; 0 = off), a mix of ads and organic, some
// junk, some sealed later. Every non-heartbeat event bumps the overlay like
// the original ingest.
import { dateKeyAt } from 'opsmantik-pulse/node';
import { db } from './db';
import { bumpOverlay } from './overlay-store';
import type { CallRow } from './simulate-body';
import { DEMO_SITE_ID, DEMO_TIME_ZONE } from './site';

const globalForSim = globalThis as unknown as { __pulseSim?: boolean };
let counter = 0;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** One simulated event, with the session and calls it may bring. */
export async function simulateOnce(): Promise<void> {
  const { pg } = await db();
  counter++;
  const sessionId = `sess-${Date.now().toString(36)}-${counter}`;
  const ads = Math.random() < 0.5;
  const gclid = ads && Math.random() < 0.8 ? `Cj0KCQ${counter}${Math.random().toString(36).slice(2, 8)}` : null;
  await pg.query(
    `insert into sessions (id, site_id, gclid, utm_source, utm_medium, attribution_source, landing_page) values ($1, $2, $3, $4, $5, $6, $7)`,
    [sessionId, DEMO_SITE_ID, gclid, ads ? 'google' : pick(['newsletter', 'instagram', null]), ads ? 'cpc' : pick(['email', 'social', null]), ads ? 'Google Ads' : pick(['Organic', 'Direct']), pick(['/implant', '/whitening', '/contact'])],
  );
  await pg.query(
    `insert into events (site_id, session_id, event_category, event_action, gclid, metadata) values ($1, $2, 'interaction', $3, $4, $5)`,
    [DEMO_SITE_ID, sessionId, pick(['click', 'scroll', 'form_start', 'phone_reveal']), gclid, JSON.stringify({ scroll_depth: Math.round(Math.random() * 100), gclid })],
  );
  await bumpOverlay(DEMO_SITE_ID, dateKeyAt(Date.now(), DEMO_TIME_ZONE), gclid !== null);
  if (Math.random() < 0.35) {
    const callId = `call-${Date.now().toString(36)}-${counter}`;
    const junk = Math.random() < 0.15;
    await pg.query(`insert into calls (id, site_id, status, matched_session_id, phone, is_junk, source, click_id) values ($1, $2, 'intent', $3, $4, $5, $6, $7)`, [
      callId, DEMO_SITE_ID, sessionId, `+90 5${Math.floor(100000000 + Math.random() * 899999999)}`, junk, ads ? 'ads' : 'organic', gclid,
    ]);
    if (!junk && Math.random() < 0.6) {
      setTimeout(() => {
        void pg.query(`update calls set status = 'confirmed', sealed_at = now(), oci_status = $2 where id = $1`, [callId, gclid ? 'uploaded' : null]).catch(() => {});
      }, 3_000 + Math.random() * 5_000);
    }
  }
}

/** Inserts exactly this call (the e2e tests' rows); false when its id exists. */
export async function insertCall(call: CallRow): Promise<boolean> {
  const { pg } = await db();
  const res = await pg.query(`insert into calls (id, site_id, status, phone) values ($1, $2, $3, $4) on conflict (id) do nothing returning id`, [
    call.id, DEMO_SITE_ID, call.status, call.phone,
  ]);
  return res.rows.length === 1;
}

/** Starts the simulator once per process. */
export function startSimulator(): void {
  if (globalForSim.__pulseSim) return;
  globalForSim.__pulseSim = true;
  const rate = Number(process.env.PULSE_SIM_RATE ?? 30);
  if (!Number.isFinite(rate) || rate <= 0) return;
  const every = 60_000 / rate;
  const tick = () => {
    simulateOnce().catch((err) => console.error('[demo simulator]', err));
    setTimeout(tick, every * (0.5 + Math.random()));
  };
  setTimeout(tick, every);
}
