// The demo's embedded Postgres (PGlite): one instance per server process,
// created on first use, with the schema, one site, a few days of history, and LISTEN on the change
// channel fanned out to SSE subscribers.
import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { clip, errorText } from './clip';
import { addToOverlay } from './overlay-store';
import { RPCS } from './rpc-catalog';
import { SCHEMA_SQL } from './schema.sql';
import { seedHistory } from './seed-history';
import { DEMO_SITE_ID, DEMO_TIME_ZONE, serverNow } from './site';
import { readFields } from './validate';

interface DemoDb {
  pg: PGlite;
  changes: EventEmitter;
}

const globalForDb = globalThis as unknown as { __pulseDemoDb?: Promise<DemoDb> };

async function open(): Promise<DemoDb> {
  const pg = new PGlite();
  await pg.exec(SCHEMA_SQL);
  await pg.query(`insert into sites (id, name) values ($1, $2) on conflict (id) do nothing`, [DEMO_SITE_ID, 'Demo Clinic Istanbul']);
  const seeded = await seedHistory(pg, DEMO_SITE_ID, DEMO_TIME_ZONE, serverNow());
  // The overlay counts every event of the day, so today's history counts there too (in
  // Redis, a restart adds it again: the demo's counters are not meant to persist).
  await addToOverlay(DEMO_SITE_ID, seeded.dayKey, seeded.events, seeded.gclid);
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  await pg.listen('pulse_changes', (payload) => changes.emit('change', payload));
  return { pg, changes };
}

export function db(): Promise<DemoDb> {
  globalForDb.__pulseDemoDb ??= open();
  return globalForDb.__pulseDemoDb;
}

export interface RpcResult {
  data: unknown;
  error: { code: string; message: string } | null;
}

/**
 * Runs an RPC like PostgREST would answer it: `PGRST202` for an unknown
 * function, `22023` naming the first bad parameter (checked before anything
 * reaches SQL), a database error's message clipped (PGlite quotes bad values).
 */
export async function callRpc(name: string, params: unknown): Promise<RpcResult> {
  const fields = RPCS.get(name);
  if (!fields || (name === 'get_recent_intents_v2' && process.env.PULSE_DEMO_NO_V2 === '1')) {
    return { data: null, error: { code: 'PGRST202', message: `Could not find the function public.${clip(name, 64)} in the schema cache` } };
  }
  const args = readFields(params, fields);
  if (!args.ok) return { data: null, error: { code: '22023', message: args.message } };
  const { pg } = await db();
  const placeholders = args.values.map((_, i) => `$${i + 1}`).join(', ');
  try {
    // `name` is one of RPCS' keys here, never the client's text.
    const res = await pg.query<{ result: unknown }>(`select ${name}(${placeholders}) as result`, args.values);
    return { data: res.rows[0]?.result ?? null, error: null };
  } catch (err) {
    return { data: null, error: { code: 'P0001', message: errorText(err) } };
  }
}
