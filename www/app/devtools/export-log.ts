// The devtools log as a JSON file: the timeline, the engine's lines, counters
// and debug state, each instant also written in the dashboard's zone.
import type { PulseDriver } from 'opsmantik-pulse/react';
import { readTimeline } from '@/lib/timeline-source';
import { preciseTime } from './timeline-view';

export function exportText(driver: PulseDriver, timeZone: string, sinceMs: number | null): string {
  const local = (ms: unknown) => (typeof ms === 'number' ? preciseTime(ms, timeZone) : null);
  const timeline = readTimeline(driver)
    .filter((e) => sinceMs === null || (e.type === 'request' ? e.startMs : e.atMs) >= sinceMs)
    .map((e) => (e.type === 'request' ? { ...e, start: local(e.startMs), end: local(e.endMs) } : { ...e, at: local(e.atMs) }));
  const log = driver.engine.log().map((l) => ({ ...l, at: local(l.atMs) }));
  return JSON.stringify({ timeZone, timeline, log, counters: driver.engine.counters(), debug: driver.engine.debug() }, null, 2);
}

/** Saves `text` as a download (a blob URL, revoked once the click has been handled). */
export function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
