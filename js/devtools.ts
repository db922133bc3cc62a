// `window.__PULSE__` for people debugging a live page from the console.
import { instanceArg } from './args.js';
import { PulseDriver } from './driver.js';

export interface PulseDevtools {
  /** Plain JSON of every registration's state. */
  snapshot(): Array<{ handle: number } & Record<string, unknown>>;
  /** `{requests: {stats, overlay, probe, lookup}, wakeups, timersArmed, dropped: {...}}`. */
  counters(): unknown;
  /** The recent commands and wakeups with their times. */
  log(): unknown;
  /** Sites, tasks, in-flight requests, dedup and cache sizes. */
  debug(): unknown;
  driver: PulseDriver;
}

declare global {
  // eslint-disable-next-line no-var
  var __PULSE__: PulseDevtools | undefined;
}

/** Installs `globalThis.__PULSE__`; returns the uninstaller. */
export function installDevtools(driver: PulseDriver): () => void {
  instanceArg('driver', driver, PulseDriver);
  const tools: PulseDevtools = {
    snapshot: () => driver.store.handles().map((handle) => ({ handle, ...(driver.store.get(handle) ?? {}) })),
    counters: () => driver.engine.counters(),
    log: () => driver.engine.log(),
    debug: () => driver.engine.debug(),
    driver,
  };
  globalThis.__PULSE__ = tools;
  return () => {
    if (globalThis.__PULSE__ === tools) globalThis.__PULSE__ = undefined;
  };
}
