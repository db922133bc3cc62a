// The zone pack, for the browser entry. The wasm carries the offsets of
// Europe/Istanbul and UTC (and their links) only; every other IANA zone's are
// in pkg/opsmantik_pulse_zones.bin, fetched once when a page needs one, so a
// page in Istanbul never downloads them. Before it is loaded, a function given
// such a zone throws an Error with kind `zone_not_loaded`. The Node entries
// carry the pack and load it at import.
import { dateKeyAt as dateKeyAtGlue, loadZonePack, zonePackLoaded } from '../pkg/opsmantik_pulse.js';
import { describe } from './args.js';
import { pulseError } from './errors.js';
import type { PulseError } from './types.js';
import { init } from './wasm-init.js';

let loading: Promise<void> | undefined;

/** The pack next to the wasm, as bundlers see it (traced and copied like the wasm). */
export function defaultZonesUrl(): URL {
  return new URL('../pkg/opsmantik_pulse_zones.bin', import.meta.url);
}

/** Whether `timeZone` needs the zone pack that is not loaded yet (false for unknown names: they fail anyway). */
export function needsZonePack(timeZone: string): boolean {
  try {
    dateKeyAtGlue(0, timeZone);
    return false;
  } catch (err) {
    return (err as Partial<PulseError>)?.kind === 'zone_not_loaded';
  }
}

async function packBytes(input: string | URL | BufferSource | undefined): Promise<Uint8Array> {
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const href = input === undefined ? defaultZonesUrl().href : String(input);
  try {
    const res = await fetch(href, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    return new Uint8Array(await res.arrayBuffer());
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw Object.assign(pulseError('wasm_load_failed', `opsmantik-pulse: could not load its zone pack from ${href} (${detail}); it is the package export opsmantik-pulse/zones, next to the wasm`), { cause });
  }
}

/**
 * Loads every IANA zone beyond Europe/Istanbul and UTC (once; later calls share the first).
 * `input`: the pack's URL (default: next to the wasm) or its bytes. Loads the wasm first if needed.
 * Rejects with kind `wasm_load_failed` (download) or `invalid_zone_pack` (another build's pack); call again to retry.
 */
export function loadZones(input?: string | URL | BufferSource): Promise<void> {
  if (input !== undefined && typeof input !== 'string' && !(input instanceof URL) && !(input instanceof ArrayBuffer) && !ArrayBuffer.isView(input)) {
    return Promise.reject(pulseError('invalid_argument', `loadZones() takes a URL, a string or bytes, got ${describe(input)}`));
  }
  if (!loading) {
    const attempt = (async () => {
      await init();
      if (zonePackLoaded()) return;
      loadZonePack(await packBytes(input));
    })();
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
  }
  return loading;
}
