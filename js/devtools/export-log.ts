// The devtools log as one JSON text: the driver's timeline, the engine's
// lines, counters and debug state, each instant also in the site's zone.
import type { PulseDriver } from '../driver.js';
import { withReadableTimes } from './readable-times.js';
import { driverZone } from './driver-view.js';

/** `sinceMs` leaves out what came before (a cleared view). */
export function exportLog(driver: PulseDriver, sinceMs: number | null = null): string {
  if (driver.disposed) return JSON.stringify({ disposed: true });
  const debug = driver.engine.debug();
  const timeZone = driverZone(driver, debug);
  const timeline = driver.timeline().filter((e) => sinceMs === null || (e.type === 'request' ? e.startMs : e.atMs) >= sinceMs);
  const log = driver.engine.log().filter((l) => sinceMs === null || l.atMs >= sinceMs);
  return JSON.stringify(withReadableTimes({ timeZone, timeline, log, counters: driver.engine.counters(), debug }, timeZone), null, 2);
}
