// Adds the devtools page's controls to `window.__PULSE__` (installed by the
// provider) and a help() that lists everything there, so the console can do
// what the buttons do.
import type { PulseDriver } from 'opsmantik-pulse/react';

export interface DemoControls {
  timeline(): unknown[];
  simulateHidden(on: boolean): void;
  simulateOffline(on: boolean): void;
  refetch(): void;
  reconnect(): void;
  setPolicy(policy: 'db-truth' | 'legacy-max'): void;
  pause(on: boolean): void;
  clear(): void;
  exportLog(): string;
}

const DESCRIBED: Record<string, string> = {
  help: 'this list',
  snapshot: "every registration's state (stats, realtime, labels), plain JSON",
  counters: 'requests by kind, timeouts, wakeups, drops by reason',
  log: "the engine's recent lines {atMs, what}",
  debug: 'sites, stats keys, requests in flight, timers (the next wake and why)',
  driver: 'the PulseDriver itself',
  timeline: 'requests (kind, site, reason, start, end, outcome), channel states, visible/online changes',
  simulateHidden: 'simulateHidden(true|false): the engine sees the tab as hidden',
  simulateOffline: 'simulateOffline(true|false): the engine sees the page as offline',
  refetch: "refetch(): refetch today's stats (all traffic)",
  reconnect: "reconnect(): reconnect the demo site's realtime channel",
  setPolicy: "setPolicy('db-truth' | 'legacy-max'): legacy-max is the original's max merge",
  pause: 'pause(true|false): freeze the devtools view',
  clear: 'clear(): forget the timeline so far',
  exportLog: 'exportLog(): the timeline, log, counters and debug state as JSON text',
};

type Tools = Record<string, unknown> & { driver?: PulseDriver };

/** Installs the controls next to what the package put there; returns the uninstaller. */
export function extendPulseGlobal(controls: DemoControls): () => void {
  const g = globalThis as unknown as { __PULSE__?: Tools };
  const tools = g.__PULSE__;
  if (!tools) return () => {};
  const added: string[] = [];
  const help = () => {
    const rows = Object.keys(tools).sort().map((name) => ({ name, what: DESCRIBED[name] ?? '(from the package)' }));
    console.table(rows);
    return rows;
  };
  // The package's own entries win: this page only adds what is missing. Its help() is the
  // exception: this page's lists the package's entries and the page's controls together.
  const packageHelp = tools.help;
  for (const [name, fn] of Object.entries(controls)) {
    if (name in tools) continue;
    tools[name] = fn;
    added.push(name);
  }
  tools.help = help;
  return () => {
    if (g.__PULSE__ !== tools) return;
    for (const name of added) delete tools[name];
    tools.help = packageHelp;
  };
}
