'use client';
// Recent calls as cards that fit a phone: time, status, source, click id,
// phone; each opens its details. `data-call-id` on every item is what the
// handoff e2e compares with the server's own list.
import { useState } from 'react';
import { callSource, callStatus, clickId, text } from '@/lib/call-words';
import { rowTime } from '@/lib/zone-format';
import { CallDetail } from './call-detail';

type Row = Record<string, unknown>;

export function RecentCallsList({ calls, timeZone }: { calls: Row[]; timeZone: string }) {
  const [opened, setOpened] = useState<Row | null>(null);
  // The dialog follows the live row (an update, sealed or junked, shows while it is open),
  // and keeps the row it opened with once newer calls push it off the list.
  const open = opened === null ? null : calls.find((c) => c.id === opened.id) ?? opened;
  return (
    <>
      <ol className="calls" data-testid="recent-calls" aria-label="Recent calls, newest first">
        {calls.map((c) => {
          const source = callSource(c);
          const status = callStatus(c);
          return (
            <li key={String(c.id)} data-call-id={String(c.id)}>
              <button type="button" className="call" aria-haspopup="dialog" onClick={() => setOpened(c)}>
                <span className="time">{rowTime(c.created_at, timeZone)}</span>
                <span className={`chip status-${status.split(' ')[0]!.toLowerCase()}`}>{status}</span>
                <span className={`chip source-${source.kind}`}>{source.label}</span>
                <span className="chip">{clickId(c) ? 'Click id' : 'No click id'}</span>
                <span className="phone">{text(c.phone)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      {calls.length === 0 ? <p className="muted">No calls yet today.</p> : null}
      <CallDetail call={open} timeZone={timeZone} onClose={() => setOpened(null)} />
    </>
  );
}
