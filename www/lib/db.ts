// The demo's embedded Postgres (PGlite): one instance per server process,
// created on first use, with the schema, one site, and LISTEN on the change
// channel fanned out to SSE subscribers.
import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { SCHEMA_SQL } from './schema.sql';
import { DEMO_SITE_ID } from './site';

interface DemoDb {
  pg: PGlite;
  changes: EventEmitter;
}

const globalForDb = globalThis as unknown as { __pulseDemoDb?: Promise<DemoDb> };

async function open(): Promise<DemoDb> {
  const pg = new PGlite();
  await pg.exec(SCHEMA_SQL);
  await pg.query(`insert into sites (id, name) values ($1, $2) on conflict (id) do nothing`, [DEMO_SITE_ID, 'Demo Clinic Istanbul']);
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  await pg.listen('pulse_changes', (payload) => changes.emit('change', payload));
  return { pg, changes };
}

export function db(): Promise<DemoDb> {
  globalForDb.__pulseDemoDb ??= open();
  return globalForDb.__pulseDemoDb;
}

/** The RPCs the dashboard may call, with their parameter order. */
const RPCS: Record<string, string[]> = {
  get_command_center_p0_stats_v2: ['p_site_id', 'p_date_from', 'p_date_to', 'p_ads_only'],
  get_recent_intents_v2: ['p_site_id', 'p_date_from', 'p_date_to', 'p_limit', 'p_ads_only'],
  get_recent_intents_v1: ['p_site_id', 'p_since', 'p_minutes_lookback', 'p_limit', 'p_ads_only'],
  get_session_details: ['p_site_id', 'p_session_id'],
};

export interface RpcResult {
  data: unknown;
  error: { code: string; message: string } | null;
}

/** Runs an RPC like PostgREST would answer it (`PGRST202` for an unknown function). */
export async function callRpc(name: string, params: Record<string, unknown>): Promise<RpcResult> {
  const order = RPCS[name];
  if (!order || (name === 'get_recent_intents_v2' && process.env.PULSE_DEMO_NO_V2 === '1')) {
    return { data: null, error: { code: 'PGRST202', message: `Could not find the function public.${name} in the schema cache` } };
  }
  const { pg } = await db();
  const args = order.map((k) => (params[k] === undefined ? null : params[k]));
  const placeholders = args.map((_, i) => `$${i + 1}`).join(', ');
  try {
    const res = await pg.query<{ result: unknown }>(`select ${name}(${placeholders}) as result`, args);
    return { data: res.rows[0]?.result ?? null, error: null };
  } catch (err) {
    return { data: null, error: { code: 'P0001', message: err instanceof Error ? err.message : String(err) } };
  }
}
