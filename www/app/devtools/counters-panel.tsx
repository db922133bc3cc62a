// The engine's counters in words: requests by kind, drops by reason.
import type { EngineCounters } from 'opsmantik-pulse/react';
import { kindWords } from '@/lib/engine-words';

export function CountersPanel({ counters }: { counters: EngineCounters }) {
  const drops = Object.entries(counters.dropped.payloads).filter(([, n]) => n > 0);
  const commands = Object.entries(counters.dropped.commands).filter(([, n]) => n > 0);
  return (
    <section className="panel" aria-labelledby="dt-counters-title">
      <h2 id="dt-counters-title">Counters</h2>
      <dl className="pairs" data-testid="dt-counters">
        {Object.entries(counters.requests).map(([k, n]) => (<div key={k}><dt>{kindWords(k)} requests</dt><dd data-kind={k}>{n}</dd></div>))}
        <div><dt>Timed out</dt><dd>{counters.timeouts}</dd></div>
        <div><dt>Wakeups</dt><dd>{counters.wakeups}</dd></div>
        <div><dt>Payloads received</dt><dd>{counters.payloads.received}</dd></div>
        <div><dt>accepted</dt><dd>{counters.payloads.accepted}</dd></div>
        <div><dt>waiting on a lookup</dt><dd>{counters.payloads.pending}</dd></div>
        <div><dt>Stale responses dropped</dt><dd>{counters.dropped.responses}</dd></div>
      </dl>
      <h3 className="sub">Payloads dropped, by reason</h3>
      {drops.length === 0 ? <p className="muted">None.</p> : (
        <dl className="pairs" data-testid="dt-drops">
          {drops.map(([reason, n]) => (<div key={reason}><dt>{reason.replace(/_/g, ' ')}</dt><dd>{n}</dd></div>))}
        </dl>
      )}
      {commands.length > 0 ? <p className="notice">Commands dropped from a full queue: {commands.map(([c, n]) => `${c} ${n}`).join(', ')}</p> : null}
    </section>
  );
}
