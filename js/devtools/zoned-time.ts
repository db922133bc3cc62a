// Instants as people debugging a page read them: ISO 8601 in the site's zone
// with its offset (`2026-11-25T14:02:11.320+03:00`), and the zone's clock
// (`14:02:11.320`). Display only: the engine's own day arithmetic is the
// core's; this reads the browser's Intl, which names the same offsets.

/** Formatters kept, one per zone; a page shows one or two zones, the cap only guards misuse. */
const MAX_ZONES = 16;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    if (formatters.size >= MAX_ZONES) formatters.clear();
    // h23: some ICU versions print midnight as 24 with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
}

/** The zone's wall clock at `ms` and its UTC offset; null for what is not an instant. */
function wallClock(ms: unknown, timeZone: string): Wall | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const t = Math.trunc(ms);
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const millis = ((t % 1000) + 1000) % 1000;
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const offsetMinutes = Math.round((asUtc - t) / 60_000);
  return { year, month, day, hour, minute, second, millis, offsetMinutes };
}

/** `2026-11-25T14:02:11.320+03:00` in `timeZone`; null for what is not an instant. */
export function zonedIso(ms: unknown, timeZone: string): string | null {
  const w = wallClock(ms, timeZone);
  if (!w) return null;
  const sign = w.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(w.offsetMinutes);
  const year = w.year < 0 || w.year > 9999 ? `${w.year < 0 ? '-' : '+'}${pad(w.year, 6)}` : pad(w.year, 4);
  return `${year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.millis, 3)}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

/** `14:02:11` (or `14:02:11.320` with `millis`) on the zone's clock; `—` for what is not an instant. */
export function zonedClock(ms: unknown, timeZone: string, millis = false): string {
  const w = wallClock(ms, timeZone);
  if (!w) return '—';
  return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${millis ? `.${pad(w.millis, 3)}` : ''}`;
}

/** `Europe/Istanbul` -> `Istanbul`: the city people know a zone by. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}
