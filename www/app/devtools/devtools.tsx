'use client';
// The engine, live: registrations, the scheduler's timeline, counters, dedup
// and cache sizes, the merge provenance. The same data as window.__PULSE__.
import { useSyncExternalStore } from 'react';
import { PulseProvider, useCommandCenterP0Stats, usePulseContext, useRealtimeDashboard, type ServerSnapshot } from 'opsmantik-pulse/react';
import { demoOverlay, demoRealtime, demoRpc } from '@/lib/demo-adapters';

export function Devtools({ siteId, snapshot }: { siteId: string; snapshot: ServerSnapshot }) {
  return (
    <PulseProvider snapshot={snapshot} rpc={demoRpc} overlay={demoOverlay} realtime={demoRealtime} devtools>
      <Panels siteId={siteId} />
    </PulseProvider>
  );
}

const noop = () => () => {};

function Panels({ siteId }: { siteId: string }) {
  // The hooks a dashboard would mount, so there is something to watch.
  const rt = useRealtimeDashboard(siteId, { onDataFreshness() {} });
  const stats = useCommandCenterP0Stats(siteId);
  const { driver } = usePulseContext();
  // Re-render on any registration change; the version sum is a cheap change signal.
  const tick = useSyncExternalStore(driver ? (cb) => driver.store.subscribeAll(cb) : noop, () => (driver ? driver.store.handles().reduce((n, h) => n + driver.store.version(h), 0) : 0), () => 0);
  if (!driver) {
    return <main><p className="muted" data-testid="devtools-loading">Starting the engine…</p></main>;
  }
  const counters = driver.engine.counters();
  const debug = driver.engine.debug() as Record<string, unknown>;
  const log = driver.engine.log().slice(-60).reverse();
  const registrations = driver.store.handles().map((h) => ({ handle: h, ...(driver.store.get(h) ?? {}) }));
  return (
    <main data-tick={tick}>
      <div className="cards" style={{ gridTemplateColumns: 'repeat(4, 1fr)' }}>
        <div className="card"><div className="label">Requests</div><div className="value" data-testid="dt-requests">{counters.requests.stats + counters.requests.overlay + counters.requests.probe + counters.requests.lookup}</div><div className="hint">stats {counters.requests.stats} · overlay {counters.requests.overlay} · probe {counters.requests.probe} · lookup {counters.requests.lookup}</div></div>
        <div className="card"><div className="label">Wakeups</div><div className="value">{counters.wakeups}</div><div className="hint">{counters.timersArmed} timers armed</div></div>
        <div className="card"><div className="label">Dropped</div><div className="value">{counters.dropped.responses + Object.values(counters.dropped.payloads).reduce((a, b) => a + b, 0)}</div><div className="hint">{counters.dropped.payloads.duplicate} duplicates · {counters.dropped.responses} stale responses</div></div>
        <div className="card"><div className="label">Connection</div><div className="value" style={{ fontSize: 18 }}>{rt.connectionStatus}</div><div className="hint">{rt.eventCount} changes · {rt.isLive ? 'live' : 'quiet'}</div></div>
      </div>
      <div className="grid2">
        <section className="panel">
          <h2>Scheduler timeline (newest first)</h2>
          <ul className="timeline" data-testid="dt-timeline">
            {log.map((e, i) => (
              <li key={`${e.atMs}-${i}`}><span className="muted">{new Date(e.atMs).toISOString().slice(11, 23)}</span> {e.what}</li>
            ))}
          </ul>
        </section>
        <section className="panel">
          <h2>Merge provenance</h2>
          <pre data-testid="dt-provenance">{JSON.stringify(stats.provenance, null, 2)}</pre>
          <h2 style={{ marginTop: 14 }}>Sites, dedup &amp; cache</h2>
          <pre data-testid="dt-sites">{JSON.stringify(debug.sites, null, 2)}</pre>
        </section>
      </div>
      <section className="panel" style={{ marginTop: 12 }}>
        <h2>Registrations</h2>
        <pre data-testid="dt-registrations">{JSON.stringify(registrations, null, 2)}</pre>
      </section>
    </main>
  );
}
