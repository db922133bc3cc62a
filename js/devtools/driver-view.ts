// What devtools reads about a driver beyond its public state: the engine's
// zone and policy, and its registrations by kind (from `engine.debug()`,
// which the core builds as plain JSON in src/engine/debug.rs).
import type { PulseDriver } from '../driver.js';
import { DEFAULT_TIME_ZONE } from '../generated/core-facts.js';
import type { RangeSpec } from '../generated/core-types.js';
import type { MergePolicy } from '../types.js';

export interface Registration {
  handle: number;
  kind: 'realtime' | 'stats' | 'relative_time';
  siteId?: string;
  adsOnly?: boolean;
  range?: RangeSpec;
}

function debugOf(driver: PulseDriver): Record<string, unknown> {
  return driver.disposed ? {} : driver.engine.debug();
}

/** The engine's zone: the one its day ranges and rollover use. */
export function driverZone(driver: PulseDriver, debug = debugOf(driver)): string {
  return typeof debug.timeZone === 'string' ? debug.timeZone : DEFAULT_TIME_ZONE;
}

export function driverPolicy(driver: PulseDriver, debug = debugOf(driver)): MergePolicy {
  return debug.policy === 'legacy-max' ? 'legacy-max' : 'db-truth';
}

export function registrations(driver: PulseDriver, debug = debugOf(driver)): Registration[] {
  return Array.isArray(debug.registrations) ? (debug.registrations as Registration[]) : [];
}

/** Refetches the stats registration `handle`, or every stats registration when none is named; returns the handles. */
export function refetchStats(driver: PulseDriver, handle?: number): number[] {
  const handles = registrations(driver).filter((r) => r.kind === 'stats' && (handle === undefined || r.handle === handle)).map((r) => r.handle);
  for (const h of handles) driver.refetch(h);
  return handles;
}

/** Reconnects `siteId`'s realtime channel (every site's when none is named); returns the sites. */
export function reconnectSite(driver: PulseDriver, siteId?: string): string[] {
  const sites = new Map<string, number>();
  for (const r of registrations(driver)) if (r.kind === 'realtime' && r.siteId && (siteId === undefined || r.siteId === siteId)) sites.set(r.siteId, r.handle);
  for (const h of sites.values()) driver.reconnect(h);
  return [...sites.keys()];
}
