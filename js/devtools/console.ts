// `window.__PULSE__` for people debugging a live page from the console, with
// or without React: `<PulseProvider devtools>` calls installDevtools(driver);
// a plain page imports it from `opsmantik-pulse/devtools`. `help()` lists
// everything there (a test checks the list against the object). Instants
// come with a `…Local` text in the site's zone (readable-times.ts).
import type { PreconnectCounters, RealtimePreconnect } from '../realtime-preconnect.js';
import { instanceArg } from '../args.js';
import { PulseDriver } from '../driver.js';
import * as functions from '../functions.js';
import type { MergePolicy } from '../types.js';
import { isInitialized } from '../wasm-init.js';
import { driverZone, refetchStats, reconnectSite } from './driver-view.js';
import { exportLog } from './export-log.js';
import { withReadableTimes } from './readable-times.js';

export interface PulseDevtools {
  /** Prints (and returns) what `__PULSE__` offers. */
  help(): string;
  /** Plain JSON of every registration's state (empty without a driver), instants also in the site's zone. */
  snapshot(): Array<{ handle: number } & Record<string, unknown>>;
  /** `{requests: {stats, overlay, probe, lookup}, wakeups, timersArmed, dropped: {...}}`. */
  counters(): unknown;
  /** The recent commands and wakeups with their times. */
  log(): unknown;
  /** Sites, tasks, in-flight requests, registrations, timers, zone and policy. */
  debug(): unknown;
  /** Requests from start to reply with why each went out, channel statuses, visibility/online. */
  timeline(): unknown[];
  /** This tab's cross-tab role (leader/follower), its peers and the messages, or null when it runs alone. */
  crossTab(): unknown;
  /** The channels the provider opened before the engine was up: opened, adopted, closed unused, dropped by reason (null without a provider). */
  preconnect(): PreconnectCounters | null;
  /** The zone the engine's days and the `…Local` times are in. */
  timeZone(): string | null;
  simulateHidden(on: boolean): void;
  simulateOffline(on: boolean): void;
  /** Refetches one stats registration, or all; returns the handles. */
  refetch(handle?: number): number[];
  /** Reconnects one site's realtime channel, or every site's; returns the sites. */
  reconnect(siteId?: string): string[];
  setPolicy(policy: MergePolicy): void;
  clearTimeline(): void;
  /** The timeline, log, counters and debug state as JSON text. */
  exportLog(): string;
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

/** One line per member of `__PULSE__`, in the order help() prints them: how to call it, what it gives. */
export const HELP_LINES: Record<keyof PulseDevtools, readonly [call: string, what: string]> = {
  help: ['help()', 'this text'],
  snapshot: ['snapshot()', "every registration's state (stats, realtime, relative time), by handle; each instant also as …Local in the site's zone"],
  counters: ['counters()', 'requests by kind, timeouts, wakeups, timers armed, payloads received/accepted/dropped by reason'],
  log: ['log()', "the engine's recent lines {atMs, atLocal, what}"],
  debug: ['debug()', 'zone, policy, sites, stats keys, registrations, requests in flight, the next wakeups and why'],
  timeline: ['timeline()', 'every request from start to reply with why it went out, channel states, visible/online changes'],
  crossTab: ['crossTab()', "this tab's role (leader/follower), peers and messages, or null when alone"],
  preconnect: ['preconnect()', 'channels opened before the wasm was there: opened, adopted by the engine, closed unused, dropped by reason'],
  timeZone: ['timeZone()', "the zone of the engine's days and of the …Local times"],
  simulateHidden: ['simulateHidden(on)', 'true: the engine sees the tab as hidden; false: as the browser says'],
  simulateOffline: ['simulateOffline(on)', 'true: the engine sees the page as offline; false: as the browser says'],
  refetch: ['refetch(handle?)', 'refetch one stats registration, or all of them'],
  reconnect: ['reconnect(siteId?)', "reconnect a site's realtime channel, or every site's"],
  setPolicy: ['setPolicy(policy)', "'db-truth' or 'legacy-max' (the original's max merge)"],
  clearTimeline: ['clearTimeline()', 'forget the timeline so far'],
  exportLog: ['exportLog()', 'the timeline, log, counters and debug state as JSON text'],
  ready: ['ready()', 'whether the wasm is loaded'],
  fn: ['fn', "the pure functions: fn.todayRange(Date.now()), fn.dayRange('2026-02-02', 'Europe/Istanbul'), fn.classifyAds(payload) …"],
  driver: ['driver', 'the PulseDriver (null when installed without one)'],
};

const HELP = `opsmantik-pulse devtools (window.__PULSE__)\n${Object.values(HELP_LINES)
  .map(([call, what]) => `  ${call.padEnd(20)} ${what}`)
  .join('\n')}`;

/**
 * Installs `globalThis.__PULSE__` for `driver` (or, without one, just `help()`, `ready()` and
 * the pure functions); returns the uninstaller.
 */
export function installDevtools(driver?: PulseDriver | null, early?: RealtimePreconnect | null): () => void {
  const d = driver === undefined || driver === null ? null : instanceArg('driver', driver, PulseDriver);
  const zone = () => (d && !d.disposed ? driverZone(d) : null);
  const readable = <T>(value: T): T => {
    const z = zone();
    return z ? withReadableTimes(value, z) : value;
  };
  const tools: PulseDevtools = {
    help: () => {
      console.log(HELP);
      return HELP;
    },
    snapshot: () => (d && !d.disposed ? readable(d.store.handles().map((handle) => ({ handle, ...(d.store.get(handle) ?? {}) }))) : []),
    counters: () => (d && !d.disposed ? d.engine.counters() : null),
    log: () => (d && !d.disposed ? readable(d.engine.log()) : []),
    debug: () => (d && !d.disposed ? readable(d.engine.debug()) : null),
    timeline: () => (d ? readable(d.timeline()) : []),
    crossTab: () => d?.crossTab?.info() ?? null,
    preconnect: () => early?.counters() ?? null,
    timeZone: zone,
    simulateHidden: (on) => d?.simulate('hidden', on),
    simulateOffline: (on) => d?.simulate('offline', on),
    refetch: (handle) => (d && !d.disposed ? refetchStats(d, handle) : []),
    reconnect: (siteId) => (d && !d.disposed ? reconnectSite(d, siteId) : []),
    setPolicy: (policy) => d?.setPolicy(policy),
    clearTimeline: () => d?.clearTimeline(),
    exportLog: () => (d ? exportLog(d) : '{}'),
    ready: isInitialized,
    fn: functions,
    driver: d,
  };
  globalThis.__PULSE__ = tools;
  return () => {
    if (globalThis.__PULSE__ === tools) globalThis.__PULSE__ = undefined;
  };
}
