// `window.__PULSE__` for people debugging a live page from the console, with
// or without React: `<PulseProvider devtools>` calls installDevtools(driver);
// a plain page imports it from `opsmantik-pulse/devtools`. `help()` says what
// is there.
import { instanceArg } from './args.js';
import { PulseDriver } from './driver.js';
import * as functions from './functions.js';
import { isInitialized } from './wasm-init.js';

export interface PulseDevtools {
  /** Prints (and returns) what `__PULSE__` offers. */
  help(): string;
  /** Plain JSON of every registration's state (empty without a driver). */
  snapshot(): Array<{ handle: number } & Record<string, unknown>>;
  /** `{requests: {stats, overlay, probe, lookup}, wakeups, timersArmed, dropped: {...}}`. */
  counters(): unknown;
  /** The recent commands and wakeups with their times. */
  log(): unknown;
  /** Sites, tasks, in-flight requests, dedup and cache sizes. */
  debug(): unknown;
  /** Requests from start to reply with why each went out, channel statuses, visibility/online. */
  timeline(): unknown[];
  /** This tab's cross-tab role (leader/follower), its peers and the messages, or null when it runs alone. */
  crossTab(): unknown;
  /** Whether the wasm is loaded (the pure functions need it). */
  ready(): boolean;
  /** The pure functions (`fn.todayRange(Date.now())`, `fn.classifyAds(payload)` …). */
  fn: typeof functions;
  driver: PulseDriver | null;
}

declare global {
  // eslint-disable-next-line no-var
  var __PULSE__: PulseDevtools | undefined;
}

const HELP = `opsmantik-pulse devtools (window.__PULSE__)
  help()       this text
  snapshot()   every registration's state (stats, realtime, relative time), by handle
  counters()   requests by kind, wakeups, timers armed, payloads received/accepted/dropped
  log()        the recent commands and wakeups, with their times
  debug()      sites, tasks, in-flight requests, dedup and cache sizes, the next wakeups and why
  timeline()   every request from start to reply with why it went out, channel and page states
  crossTab()   this tab's role (leader/follower), peers and messages, or null when alone
  ready()      whether the wasm is loaded
  fn           the pure functions: fn.todayRange(Date.now()), fn.dayRange('2026-02-02', 'Europe/Istanbul'),
               fn.classifyAds(payload), fn.normalizeP0Stats(raw), fn.toIsoString(ms) …
  driver       the PulseDriver (null when installed without one)`;

/**
 * Installs `globalThis.__PULSE__` for `driver` (or, without one, just `help()`, `ready()` and
 * the pure functions); returns the uninstaller.
 */
export function installDevtools(driver?: PulseDriver | null): () => void {
  const d = driver === undefined || driver === null ? null : instanceArg('driver', driver, PulseDriver);
  const tools: PulseDevtools = {
    help: () => {
      console.log(HELP);
      return HELP;
    },
    snapshot: () => (d ? d.store.handles().map((handle) => ({ handle, ...(d.store.get(handle) ?? {}) })) : []),
    counters: () => d?.engine.counters() ?? null,
    log: () => d?.engine.log() ?? [],
    debug: () => d?.engine.debug() ?? null,
    timeline: () => d?.timeline() ?? [],
    crossTab: () => d?.crossTab?.info() ?? null,
    ready: isInitialized,
    fn: functions,
    driver: d,
  };
  globalThis.__PULSE__ = tools;
  return () => {
    if (globalThis.__PULSE__ === tools) globalThis.__PULSE__ = undefined;
  };
}
