// Dates and times as an ops person reads them: in the site's zone, named,
// never UTC ISO. Pure functions of their inputs (a date key, an instant, a
// zone), so the server render and the client's first render agree.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Europe/Istanbul` -> `Istanbul`: the city people know the zone by. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

/**
 * `2026-11-25` -> `25 Nov`, built from the key itself: month names from
 * Intl may differ between Node's ICU and the browser's (`Sep` / `Sept`),
 * which would be a hydration mismatch.
 */
export function shortDate(dateKey: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateKey);
  if (!m) return dateKey;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]}`;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clock(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = clocks.get(key);
  if (!f) {
    // h23, not hour12:false: some ICU versions print midnight as 24:00 with the latter.
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' });
    clocks.set(key, f);
  }
  return f;
}

/** `14:02` in the zone; `—` for anything that is not an instant. */
export function clockTime(ms: number | null | undefined, timeZone: string, seconds = false): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? clock(timeZone, seconds).format(ms) : '—';
}

/** A row's timestamp text (Postgres or ISO) as `clockTime`. */
export function rowTime(value: unknown, timeZone: string, seconds = false): string {
  return clockTime(typeof value === 'string' ? Date.parse(value) : NaN, timeZone, seconds);
}

/** The day's own key and the key before it (calendar arithmetic, no clock). */
export function previousDateKey(dateKey: string): string {
  const [y, m, d] = dateKey.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** `Today, 25 Nov (Istanbul time)` / `Yesterday, 24 Nov (Istanbul time)`. */
export function dayHeading(which: 'today' | 'yesterday', dateKey: string, timeZone: string): string {
  return `${which === 'today' ? 'Today' : 'Yesterday'}, ${shortDate(dateKey)} (${zoneCity(timeZone)} time)`;
}
