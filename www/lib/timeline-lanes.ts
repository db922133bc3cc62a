// The timeline as lanes over a time window: one lane per request kind and
// site (and stats key when the entry names one), one for each site's
// realtime connection, one each for tab visibility and being online.
// Positions are fractions of the window, so the view is plain CSS.
import type { Outcome, RequestEntry, TimelineEntry } from './timeline-source';

export interface Bar {
  id: string;
  from: number; // 0..1 of the window
  to: number;
  state: string; // outcome, channel status or on/off
  entry: RequestEntry | null;
  startMs: number;
  endMs: number | null;
}

export interface Lane {
  id: string;
  group: 'request' | 'channel' | 'page';
  kind: string;
  siteId: string | null;
  label: string;
  bars: Bar[];
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

export function requestState(e: RequestEntry): Outcome | 'in_flight' {
  return e.outcome ?? 'in_flight';
}

/** Lanes for [fromMs, toMs]; segments (channel, page) run from each change to the next or to `toMs`. */
export function buildLanes(entries: TimelineEntry[], fromMs: number, toMs: number, label: (kind: string, siteId: string, name: string) => string): Lane[] {
  const span = Math.max(1, toMs - fromMs);
  const at = (ms: number) => clamp((ms - fromMs) / span);
  const lanes = new Map<string, Lane>();
  const lane = (id: string, make: () => Lane) => {
    let l = lanes.get(id);
    if (!l) lanes.set(id, (l = make()));
    return l;
  };
  const segments: Array<{ laneId: string; make: () => Lane; state: string; atMs: number }> = [];
  for (const e of entries) {
    if (e.type === 'request') {
      const key = (e as RequestEntry & { key?: unknown }).key;
      const id = `req|${e.kind}|${e.siteId}|${e.name}|${key === undefined ? '' : JSON.stringify(key)}`;
      const l = lane(id, () => ({ id, group: 'request', kind: e.kind, siteId: e.siteId, label: label(e.kind, e.siteId, e.name), bars: [] }));
      const end = e.endMs ?? toMs;
      if (end < fromMs || e.startMs > toMs) continue;
      l.bars.push({ id: `r${e.id}`, from: at(e.startMs), to: at(end), state: requestState(e), entry: e, startMs: e.startMs, endMs: e.endMs });
    } else if (e.type === 'channel') {
      const id = `chan|${e.siteId}`;
      segments.push({ laneId: id, make: () => ({ id, group: 'channel', kind: 'channel', siteId: e.siteId, label: label('channel', e.siteId, ''), bars: [] }), state: e.status, atMs: e.atMs });
    } else {
      segments.push({ laneId: 'page|visible', make: () => ({ id: 'page|visible', group: 'page', kind: 'visible', siteId: null, label: 'Tab visible', bars: [] }), state: e.visible ? 'on' : 'off', atMs: e.atMs });
      segments.push({ laneId: 'page|online', make: () => ({ id: 'page|online', group: 'page', kind: 'online', siteId: null, label: 'Online', bars: [] }), state: e.online ? 'on' : 'off', atMs: e.atMs });
    }
  }
  const byLane = new Map<string, typeof segments>();
  for (const s of segments) byLane.set(s.laneId, [...(byLane.get(s.laneId) ?? []), s]);
  for (const [id, list] of byLane) {
    const l = lane(id, list[0]!.make);
    list.forEach((s, i) => {
      const end = list[i + 1]?.atMs ?? toMs;
      if (end < fromMs || s.atMs > toMs) return;
      l.bars.push({ id: `${id}|${i}`, from: at(s.atMs), to: at(end), state: s.state, entry: null, startMs: s.atMs, endMs: list[i + 1]?.atMs ?? null });
    });
  }
  const order = { page: 0, channel: 1, request: 2 };
  return [...lanes.values()].sort((a, b) => order[a.group] - order[b.group] || a.label.localeCompare(b.label));
}

/**
 * The page's visible/online state has been constant since the driver started
 * when the timeline holds no change of it: an entry at `sinceMs` with the
 * engine's current state draws those lanes anyway.
 */
export function withPageState(entries: TimelineEntry[], visible: boolean, online: boolean, sinceMs: number): TimelineEntry[] {
  return entries.some((e) => e.type === 'page') ? entries : [{ type: 'page', visible, online, atMs: sinceMs }, ...entries];
}
