// The timeline as lanes over a time window: one lane per request kind, site
// and request name, one for each site's realtime connection, one each for
// tab visibility and being online. Positions are fractions of the window, so
// the view is plain CSS.
import type { TimelineEntry } from '../timeline.js';

export type RequestEntry = Extract<TimelineEntry, { type: 'request' }>;
export type RequestState = NonNullable<RequestEntry['outcome']> | 'in_flight';

export interface Bar {
  id: string;
  from: number; // 0..1 of the window
  to: number;
  state: string; // request state, channel status or on/off
  entry: RequestEntry | null;
  startMs: number;
  endMs: number | null;
}

export interface Lane {
  id: string;
  group: 'page' | 'channel' | 'request';
  kind: string;
  siteId: string | null;
  bars: Bar[];
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

export function requestState(e: RequestEntry): RequestState {
  return e.outcome ?? 'in_flight';
}

interface Segment {
  lane: Omit<Lane, 'bars'>;
  state: string;
  atMs: number;
}

/** Lanes for [fromMs, toMs]; channel and page segments run from each change to the next or to `toMs`. */
export function buildLanes(entries: readonly TimelineEntry[], fromMs: number, toMs: number): Lane[] {
  const span = Math.max(1, toMs - fromMs);
  const at = (ms: number) => clamp((ms - fromMs) / span);
  const lanes = new Map<string, Lane>();
  const laneFor = (l: Omit<Lane, 'bars'>) => {
    let found = lanes.get(l.id);
    if (!found) lanes.set(l.id, (found = { ...l, bars: [] }));
    return found;
  };
  const segments = new Map<string, Segment[]>();
  const addSegment = (s: Segment) => segments.set(s.lane.id, [...(segments.get(s.lane.id) ?? []), s]);
  for (const e of entries) {
    if (e.type === 'request') {
      const lane = laneFor({ id: `req|${e.kind}|${e.siteId}|${e.name}`, group: 'request', kind: e.kind, siteId: e.siteId });
      const end = e.endMs ?? toMs;
      if (end < fromMs || e.startMs > toMs) continue;
      lane.bars.push({ id: `r${e.id}`, from: at(e.startMs), to: at(end), state: requestState(e), entry: e, startMs: e.startMs, endMs: e.endMs });
    } else if (e.type === 'channel') {
      addSegment({ lane: { id: `chan|${e.siteId}`, group: 'channel', kind: 'channel', siteId: e.siteId }, state: e.status, atMs: e.atMs });
    } else {
      addSegment({ lane: { id: 'page|visible', group: 'page', kind: 'visible', siteId: null }, state: e.visible ? 'on' : 'off', atMs: e.atMs });
      addSegment({ lane: { id: 'page|online', group: 'page', kind: 'online', siteId: null }, state: e.online ? 'on' : 'off', atMs: e.atMs });
    }
  }
  for (const list of segments.values()) {
    list.forEach((s, i) => {
      const next = list[i + 1]?.atMs ?? null;
      const end = next ?? toMs;
      if (end < fromMs || s.atMs > toMs) return;
      laneFor(s.lane).bars.push({ id: `${s.lane.id}|${i}`, from: at(s.atMs), to: at(end), state: s.state, entry: null, startMs: s.atMs, endMs: next });
    });
  }
  const order = { page: 0, channel: 1, request: 2 };
  return [...lanes.values()].sort((a, b) => order[a.group] - order[b.group] || a.id.localeCompare(b.id));
}

/**
 * The page's visible/online state has been constant since the driver started
 * when the timeline holds no change of it: an entry at `sinceMs` with the
 * engine's current state draws those lanes anyway.
 */
export function withPageState(entries: readonly TimelineEntry[], visible: boolean, online: boolean, sinceMs: number): TimelineEntry[] {
  return entries.some((e) => e.type === 'page') ? [...entries] : [{ type: 'page', visible, online, atMs: sinceMs }, ...entries];
}
