'use client';
// The engine, live, for debugging: what it asked the server and why (the
// timeline), when it wakes next, what it counted and dropped, the merge
// policy and provenance, and controls that change what it does. The same
// controls are on window.__PULSE__ (help() lists them).
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  PulseProvider, useCommandCenterP0Stats, usePulseContext, useRealtimeDashboard, type MergePolicy, type ServerSnapshot,
} from 'opsmantik-pulse/react';
import { demoOverlay, demoRealtime, demoRpc } from '@/lib/demo-adapters';
import { connectionWords } from '@/lib/connection-words';
import { pageOnline, pageVisibility, type OverridableFlag } from '@/lib/flags';
import { withPageState } from '@/lib/timeline-lanes';
import { clearTimeline, hasTimeline, readTimeline, type TimelineEntry } from '@/lib/timeline-source';
import { CountersPanel } from './counters-panel';
import { download, exportText } from './export-log';
import { NextWake } from './next-wake';
import { extendPulseGlobal } from './pulse-global';
import { ProvenancePanel } from './provenance-panel';
import { TimelineView } from './timeline-view';
import { useNow } from './use-now';
import { ToggleGroup } from '../toggle-group';

export function Devtools({ siteId, snapshot }: { siteId: string; snapshot: ServerSnapshot }) {
  const [policy, setPolicy] = useState<MergePolicy>('db-truth');
  return (
    <PulseProvider snapshot={snapshot} rpc={demoRpc} overlay={demoOverlay} realtime={demoRealtime} visibility={pageVisibility} online={pageOnline} policy={policy} devtools>
      <Panels siteId={siteId} timeZone={snapshot.timeZone} policy={policy} setPolicy={setPolicy} />
    </PulseProvider>
  );
}

const noop = () => () => {};
const SPANS = [{ value: '30000', label: '30 s' }, { value: '60000', label: '1 min' }, { value: '300000', label: '5 min' }] as const;

function useForced(flag: OverridableFlag): boolean | null {
  return useSyncExternalStore((cb) => flag.subscribe(cb), () => flag.forced(), () => null);
}

interface Frozen {
  entries: TimelineEntry[];
  nowMs: number;
}

function Panels({ siteId, timeZone, policy, setPolicy }: { siteId: string; timeZone: string; policy: MergePolicy; setPolicy: (p: MergePolicy) => void }) {
  // The hooks a dashboard would mount, so there is something to watch.
  const rt = useRealtimeDashboard(siteId, { onDataFreshness() {} });
  const stats = useCommandCenterP0Stats(siteId);
  const { driver } = usePulseContext();
  // Re-render on any registration change; the version sum is a cheap change signal.
  const tick = useSyncExternalStore(driver ? (cb) => driver.store.subscribeAll(cb) : noop, () => (driver ? driver.store.handles().reduce((n, h) => n + driver.store.version(h), 0) : 0), () => 0);
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  const [clearedAt, setClearedAt] = useState<number | null>(null);
  const [span, setSpan] = useState<(typeof SPANS)[number]['value']>('60000');
  const now = useNow(250, frozen !== null);
  const hidden = useForced(pageVisibility) === false;
  const offline = useForced(pageOnline) === false;

  // Latest values for the console controls, which outlive renders.
  const latest = useRef({ rt, stats, frozen, clearedAt });
  latest.current = { rt, stats, frozen, clearedAt };
  const pause = (on: boolean) => setFrozen(on && driver ? { entries: readTimeline(driver), nowMs: Date.now() } : null);
  const clear = () => {
    if (!driver) return;
    // Without the driver's own clear, hide what came before this instant.
    if (!clearTimeline(driver)) setClearedAt(Date.now());
    setFrozen((f) => (f ? { entries: [], nowMs: f.nowMs } : f));
  };
  const exportNow = () => (driver ? exportText(driver, timeZone, latest.current.clearedAt) : '{}');

  useEffect(() => {
    if (!driver) return;
    return extendPulseGlobal({
      timeline: () => readTimeline(driver),
      simulateHidden: (on) => pageVisibility.force(on ? false : null),
      simulateOffline: (on) => pageOnline.force(on ? false : null),
      refetch: () => latest.current.stats.refetch(),
      reconnect: () => latest.current.rt.reconnect(),
      setPolicy,
      pause,
      clear,
      exportLog: exportNow,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [driver]);
  // Leaving the page ends any simulation: the flags are per page, but a client-side navigation keeps the module.
  useEffect(() => () => { pageVisibility.force(null); pageOnline.force(null); }, []);

  if (!driver) {
    return <main><p className="muted" data-testid="devtools-loading">Starting the engine…</p></main>;
  }
  const counters = driver.engine.counters();
  const debug = driver.engine.debug();
  const all = frozen?.entries ?? readTimeline(driver);
  const entries = clearedAt === null ? all : all.filter((e) => (e.type === 'request' ? e.startMs : e.atMs) >= clearedAt);
  const viewNow = frozen?.nowMs ?? now;
  const drawn = viewNow === null ? entries : withPageState(entries, debug.visible !== false, debug.online !== false, viewNow - Number(span));
  const requests = counters.requests.stats + counters.requests.overlay + counters.requests.probe + counters.requests.lookup + (counters.requests.replay ?? 0);
  const conn = connectionWords(rt.connectionStatus, !offline, null);

  return (
    <main data-tick={tick}>
      <section className="panel controls-panel" aria-labelledby="dt-controls-title">
        <h2 id="dt-controls-title">Controls</h2>
        <div className="control-row" role="group" aria-label="Simulate">
          <button type="button" className="action" aria-pressed={hidden} data-testid="dt-hidden" onClick={() => pageVisibility.force(hidden ? null : false)}>Simulate hidden tab</button>
          <button type="button" className="action" aria-pressed={offline} data-testid="dt-offline" onClick={() => pageOnline.force(offline ? null : false)}>Simulate offline</button>
          <button type="button" className="action" data-testid="dt-refetch" onClick={() => stats.refetch()}>Refetch today&apos;s stats</button>
          <button type="button" className="action" data-testid="dt-reconnect" onClick={() => rt.reconnect()}>Reconnect realtime</button>
        </div>
        <div className="control-row" role="group" aria-label="Log">
          <button type="button" className="action" aria-pressed={frozen !== null} data-testid="dt-pause" onClick={() => pause(frozen === null)}>{frozen ? 'Resume view' : 'Pause view'}</button>
          <button type="button" className="action" data-testid="dt-clear" onClick={clear}>Clear</button>
          <button type="button" className="action" data-testid="dt-export" onClick={() => download(exportNow(), 'pulse-devtools.json')}>Export JSON</button>
          <ToggleGroup label="Timeline window" value={span} options={[...SPANS]} onChange={setSpan} />
        </div>
        <div className="control-row">
          <ToggleGroup label="Merge policy" value={policy} onChange={setPolicy} testId="dt-policy"
            options={[{ value: 'db-truth', label: 'db-truth (default)' }, { value: 'legacy-max', label: "legacy-max (the original's behaviour)" }]} />
          <span className="muted">{policy === 'legacy-max' ? 'Shows max(DB, live event counters): page views count as sealed leads. For comparison with the original only.' : 'Figures come from the database; live counters are shown beside them.'}</span>
        </div>
        {!hasTimeline(driver) ? <p className="notice">This package build has no driver timeline: request ends and reasons are missing.</p> : null}
      </section>

      <dl className="cards dt-cards">
        <div className="card"><dt className="label">Requests</dt><dd className="value" data-testid="dt-requests">{requests}</dd><dd className="hint">{counters.timeouts} timed out</dd></div>
        <NextWake debug={debug} nowMs={now} timeZone={timeZone} />
        <div className="card"><dt className="label">Realtime</dt><dd className="value small" data-testid="dt-connection" data-status={rt.connectionStatus}>{conn.text}</dd><dd className="hint">engine status {rt.connectionStatus}</dd></div>
        <div className="card"><dt className="label">Page</dt><dd className="value small" data-testid="dt-page">{debug.visible === false ? 'hidden' : 'visible'} · {debug.online === false ? 'offline' : 'online'}</dd><dd className="hint">{hidden || offline ? 'simulated' : 'as the browser says'}</dd></div>
      </dl>

      <section className="panel" aria-labelledby="dt-timeline-title">
        <h2 id="dt-timeline-title">Timeline ({timeZone.split('/').pop()} time){frozen ? ' — paused' : ''}</h2>
        {viewNow === null ? <p className="muted">…</p> : <TimelineView entries={drawn} nowMs={viewNow} spanMs={Number(span)} timeZone={timeZone} />}
      </section>

      <div className="grid2">
        <ProvenancePanel stats={stats} policy={policy} />
        <CountersPanel counters={counters} />
      </div>

      <details className="panel raw">
        <summary>Raw engine state (debug(), registrations)</summary>
        <pre data-testid="dt-sites">{JSON.stringify(debug, null, 2)}</pre>
      </details>
    </main>
  );
}
