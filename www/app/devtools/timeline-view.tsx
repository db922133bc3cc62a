'use client';
// The timeline: lanes of bars over the last `spanMs`, a time axis in the
// dashboard's zone, and below it every request as a readable line (start,
// kind, why, how long, how it ended), newest first.
import { buildLanes, requestState, type Bar } from '@/lib/timeline-lanes';
import type { RequestEntry, TimelineEntry } from '@/lib/timeline-source';
import { duration, kindWords, reasonWords, shortSite, statusWords } from '@/lib/engine-words';
import { clockTime } from '@/lib/zone-format';

interface Props {
  entries: TimelineEntry[];
  nowMs: number;
  spanMs: number;
  timeZone: string;
}

const TICKS = 6;

function laneLabel(kind: string, siteId: string): string {
  return kind === 'channel' ? `Realtime ${shortSite(siteId)}` : `${kindWords(kind)} ${shortSite(siteId)}`;
}

/** `14:02:11.320` in the zone. */
export function preciseTime(ms: number, timeZone: string): string {
  return `${clockTime(ms, timeZone, true)}.${String(Math.floor(((ms % 1000) + 1000) % 1000)).padStart(3, '0')}`;
}

function barTitle(bar: Bar, nowMs: number, timeZone: string): string {
  const e = bar.entry;
  if (!e) {
    const what = bar.state === 'on' || bar.state === 'off' ? bar.state : statusWords(bar.state);
    return `${what} from ${clockTime(bar.startMs, timeZone, true)}${bar.endMs === null ? ' until now' : ` to ${clockTime(bar.endMs, timeZone, true)}`}`;
  }
  const took = (e.endMs ?? nowMs) - e.startMs;
  return `${kindWords(e.kind)} #${e.id}: ${reasonWords(e.reason)}; ${preciseTime(e.startMs, timeZone)}, ${e.endMs === null ? `in flight ${duration(took)}` : `${requestState(e)} in ${duration(took)}`}`;
}

export function TimelineView({ entries, nowMs, spanMs, timeZone }: Props) {
  const fromMs = nowMs - spanMs;
  const lanes = buildLanes(entries, fromMs, nowMs, (kind, siteId) => laneLabel(kind, siteId));
  const requests = entries.filter((e): e is RequestEntry => e.type === 'request').reverse();
  return (
    <div>
      <div className="lanes" data-testid="dt-timeline">
        <div className="lane axis-lane" aria-hidden="true">
          <span className="lane-label" />
          <span className="track">
            {Array.from({ length: TICKS + 1 }, (_, i) => (
              <span key={i} className="tick" style={{ left: `${(i / TICKS) * 100}%` }}>{clockTime(fromMs + (spanMs * i) / TICKS, timeZone, true)}</span>
            ))}
          </span>
        </div>
        {lanes.map((lane) => (
          <div className="lane" key={lane.id} data-lane={lane.id} data-testid="dt-lane">
            <span className="lane-label">{lane.label}</span>
            <span className="track">
              {lane.bars.map((bar) => (
                <span key={bar.id} className={`bar-seg ${lane.group} s-${bar.state}`} title={barTitle(bar, nowMs, timeZone)}
                  data-testid={bar.entry ? 'dt-bar' : undefined} data-request-id={bar.entry?.id} data-reason={bar.entry?.reason ?? undefined}
                  data-outcome={bar.entry ? requestState(bar.entry) : undefined}
                  style={{ left: `${bar.from * 100}%`, width: `max(3px, ${(bar.to - bar.from) * 100}%)` }} />
              ))}
            </span>
          </div>
        ))}
        {lanes.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      </div>
      <h3 className="sub">Requests, newest first ({requests.length})</h3>
      <ol className="req-list" data-testid="dt-requests-list">
        {requests.slice(0, 200).map((e) => {
          const state = requestState(e);
          return (
            <li key={e.id} data-request-id={e.id} data-kind={e.kind} data-name={e.name} data-reason={e.reason ?? ''} data-outcome={state}>
              <span className="mono">{preciseTime(e.startMs, timeZone)}</span>
              <span>{kindWords(e.kind)}</span>
              <span className="why">{reasonWords(e.reason)}</span>
              <span className="mono">{e.endMs === null ? 'in flight' : duration(e.endMs - e.startMs)}</span>
              <span className={`chip out-${state}`}>{state.replace('_', ' ')}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
