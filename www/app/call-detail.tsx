'use client';
// One call's details in a modal dialog (the browser's own <dialog>: focus is
// trapped and returned, Escape closes it).
import { useEffect, useRef } from 'react';
import { callSource, callStatus, clickId, text } from '@/lib/call-words';
import { rowTime } from '@/lib/zone-format';

type Row = Record<string, unknown>;

interface Props {
  call: Row | null;
  timeZone: string;
  onClose: () => void;
}

export function CallDetail({ call, timeZone, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (call && !d.open) d.showModal();
    if (!call && d.open) d.close();
  }, [call]);
  const at = (v: unknown) => (typeof v === 'string' ? `${rowTime(v, timeZone, true)}` : '—');
  return (
    <dialog ref={ref} className="detail" aria-labelledby="call-detail-title" onClose={onClose} data-testid="call-detail">
      {call ? (
        <>
          <h2 id="call-detail-title">Call at {at(call.created_at)}</h2>
          <dl>
            <dt>Status</dt><dd>{callStatus(call)}</dd>
            <dt>Phone</dt><dd>{text(call.phone)}</dd>
            <dt>Source</dt><dd>{callSource(call).label}</dd>
            <dt>Google click id</dt><dd className="mono">{clickId(call) ?? 'none'}</dd>
            <dt>Sealed at</dt><dd>{at(call.sealed_at)}</dd>
            <dt>Google Ads upload</dt><dd>{text(call.oci_status)}</dd>
            <dt>Session</dt><dd className="mono">{text(call.matched_session_id)}</dd>
            <dt>Call id</dt><dd className="mono">{text(call.id)}</dd>
          </dl>
          <p className="muted">Times are {timeZone.split('/').pop()?.replace(/_/g, ' ')} time.</p>
          <form method="dialog"><button className="action" autoFocus>Close</button></form>
        </>
      ) : null}
    </dialog>
  );
}
