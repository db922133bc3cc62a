// Devtools' JSON with readable times: next to every instant (epoch ms, or an
// ISO text in UTC) a `…Local` field with the same instant in the site's zone
// (`lastEventAtLocal: '2026-11-25T14:02:11.320+03:00'`). The ms stay: scripts
// compare them; people read the text.
import { zonedIso } from './zoned-time.js';

/**
 * Which fields hold instants: names ending in `At` or `AtMs` (`lastEventAt`,
 * `receivedAtMs`, `atMs`), the range bounds and the engine's `now`. Durations
 * (`snapshotAgeMs`, `timeoutMs`) end otherwise and are left alone.
 */
export function isInstantField(name: string): boolean {
  return /(^at|At)(Ms)?$/.test(name) || /^(from|to|start|end|now|dataAsOf)(Ms)?$/.test(name) || name === 'date_from' || name === 'date_to';
}

/** `fetchedAtMs` -> `fetchedAtLocal`, `from` -> `fromLocal`, `date_from` -> `date_fromLocal`. */
export function localFieldName(name: string): string {
  return `${name.replace(/Ms$/, '')}Local`;
}

/** How deep the walk goes: devtools' objects are a few levels deep; a cycle or a giant stops here. */
const MAX_DEPTH = 16;

function instantOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  // ISO texts the engine passes through (`dateRange.from`, the RPC's `date_from`).
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** A copy of `value` (plain JSON) with a `…Local` text beside each instant. */
export function withReadableTimes<T>(value: T, timeZone: string): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = walk(x, depth + 1);
      const ms = isInstantField(k) ? instantOf(x) : null;
      const local = localFieldName(k);
      if (ms !== null && !(local in (v as object))) out[local] = zonedIso(ms, timeZone);
    }
    return out;
  };
  return walk(value, 0) as T;
}
