// The one place devtools reads the driver's timeline from. The driver's
// `timeline()` (requests with their reason and outcome, channel states, page
// visibility/online) is the source; on a package build without it, the
// engine's log gives request starts and channel/page changes, without ends.
import type { PulseDriver } from 'opsmantik-pulse/react';

export type Outcome = 'ok' | 'error' | 'timeout' | 'dropped';

export interface RequestEntry {
  type: 'request';
  id: number;
  kind: string;
  siteId: string;
  name: string;
  reason: string | null;
  startMs: number;
  endMs: number | null;
  outcome: Outcome | null;
}

export type TimelineEntry =
  | RequestEntry
  | { type: 'channel'; siteId: string; status: string; atMs: number }
  | { type: 'page'; visible: boolean; online: boolean; atMs: number };

type WithTimeline = PulseDriver & { timeline?: () => unknown[]; clearTimeline?: () => void };

export function hasTimeline(driver: PulseDriver): boolean {
  return typeof (driver as WithTimeline).timeline === 'function';
}

export function readTimeline(driver: PulseDriver): TimelineEntry[] {
  const d = driver as WithTimeline;
  if (typeof d.timeline === 'function') return d.timeline().map(normalize).filter((e): e is TimelineEntry => e !== null);
  return fromLog(driver);
}

/** Clears the driver's own record when it has one; returns whether it did. */
export function clearTimeline(driver: PulseDriver): boolean {
  const d = driver as WithTimeline;
  if (typeof d.clearTimeline !== 'function') return false;
  d.clearTimeline();
  return true;
}

/** Accepts `type` or `kind: 'channel'` as the discriminator: the driver's shape is new and may still move. */
function normalize(raw: unknown): TimelineEntry | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Record<string, unknown>;
  const type = e.type ?? (e.kind === 'channel' || e.kind === 'page' ? e.kind : 'request');
  if (type === 'channel') return { type, siteId: String(e.siteId), status: String(e.status), atMs: Number(e.atMs) };
  if (type === 'page') return { type, visible: e.visible !== false, online: e.online !== false, atMs: Number(e.atMs) };
  if (type !== 'request' || typeof e.startMs !== 'number') return null;
  return {
    type, id: Number(e.id), kind: String(e.kind), siteId: String(e.siteId), name: String(e.name), reason: typeof e.reason === 'string' ? e.reason : null,
    startMs: e.startMs, endMs: typeof e.endMs === 'number' ? e.endMs : null, outcome: (e.outcome as Outcome | null) ?? null,
  };
}

const KIND_OF_RPC: Record<string, string> = {
  get_command_center_p0_stats_v2: 'stats', get_session_details: 'lookup', get_recent_intents_v2: 'probe', get_recent_intents_v1: 'probe',
};

function fromLog(driver: PulseDriver): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let visible = true, online = true;
  for (const { atMs, what } of driver.engine.log()) {
    let m = /^rpc (\S+) site=(\S+) #(\d+)/.exec(what);
    if (m) { out.push({ type: 'request', id: Number(m[3]), kind: KIND_OF_RPC[m[1]!] ?? 'rpc', siteId: m[2]!, name: m[1]!, reason: null, startMs: atMs, endMs: null, outcome: null }); continue; }
    m = /^fetch_overlay site=(\S+) #(\d+)/.exec(what);
    if (m) { out.push({ type: 'request', id: Number(m[2]), kind: 'overlay', siteId: m[1]!, name: 'fetch_overlay', reason: null, startMs: atMs, endMs: null, outcome: null }); continue; }
    m = /^channel (\S+) (\S+)$/.exec(what);
    if (m) { out.push({ type: 'channel', siteId: m[1]!, status: m[2]!, atMs }); continue; }
    m = /^(visible|online)=(true|false)$/.exec(what);
    if (m) {
      if (m[1] === 'visible') visible = m[2] === 'true'; else online = m[2] === 'true';
      out.push({ type: 'page', visible, online, atMs });
    }
  }
  return out;
}
