// The live overlay counters, as the original ingest keeps them: a hash
// `stats:{siteId}:{day}` with `captured` (every non-heartbeat event) and
// `gclid` (events carrying one). In-process by default; real Redis
// (`HINCRBY`/`HGETALL`) when REDIS_URL is set.
import { createClient } from 'redis';

export interface OverlayCounts {
  captured: number;
  gclid: number;
  junk: number;
}

interface Store {
  increment(key: string, field: 'captured' | 'gclid', by: number): Promise<void>;
  read(key: string): Promise<Record<string, string>>;
}

// On globalThis: the instrumentation hook (simulator) and the route handlers
// are separate server bundles, and must share one set of counters.
const globalForMemory = globalThis as unknown as { __pulseOverlayMemory?: Map<string, Record<string, string>> };
const memory = (globalForMemory.__pulseOverlayMemory ??= new Map());
const memoryStore: Store = {
  async increment(key, field, by) {
    const h = memory.get(key) ?? {};
    h[field] = String(Number(h[field] ?? 0) + by);
    memory.set(key, h);
  },
  async read(key) {
    return memory.get(key) ?? {};
  },
};

const globalForRedis = globalThis as unknown as { __pulseRedis?: Promise<Store> };

function redisStore(url: string): Promise<Store> {
  globalForRedis.__pulseRedis ??= (async () => {
    const client = createClient({ url });
    client.on('error', () => {}); // reported per call below
    await client.connect();
    return {
      async increment(key, field, by) {
        await client.hIncrBy(key, field, by);
      },
      async read(key) {
        return client.hGetAll(key);
      },
    } satisfies Store;
  })();
  return globalForRedis.__pulseRedis;
}

function store(): Promise<Store> {
  return process.env.REDIS_URL ? redisStore(process.env.REDIS_URL) : Promise.resolve(memoryStore);
}

export const overlayKey = (siteId: string, dayKey: string) => `stats:${siteId}:${dayKey}`;

export async function bumpOverlay(siteId: string, dayKey: string, hasGclid: boolean): Promise<void> {
  const s = await store();
  await s.increment(overlayKey(siteId, dayKey), 'captured', 1);
  if (hasGclid) await s.increment(overlayKey(siteId, dayKey), 'gclid', 1);
}

/** Counts many events at once (the seeded history of today, as the ingest would have counted it). */
export async function addToOverlay(siteId: string, dayKey: string, captured: number, gclid: number): Promise<void> {
  const s = await store();
  if (captured > 0) await s.increment(overlayKey(siteId, dayKey), 'captured', captured);
  if (gclid > 0) await s.increment(overlayKey(siteId, dayKey), 'gclid', gclid);
}

/** The route's reply: the counters, or the original's fallback when the store fails. */
export async function readOverlay(siteId: string, dayKey: string): Promise<OverlayCounts & { _fallback?: true }> {
  try {
    const h = await (await store()).read(overlayKey(siteId, dayKey));
    return { captured: Number(h.captured ?? 0), gclid: Number(h.gclid ?? 0), junk: Number(h.junk ?? 0) };
  } catch {
    return { captured: 0, gclid: 0, junk: 0, _fallback: true };
  }
}

export function overlayBackend(): 'redis' | 'memory' {
  return process.env.REDIS_URL ? 'redis' : 'memory';
}
