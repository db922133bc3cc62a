'use client';
// The demo dashboard, built only from the package's hooks.
import { useCallback, useMemo, useState } from 'react';
import {
  PulseProvider, dayRange, useCommandCenterP0Stats, usePulseContext, useRealtimeDashboard, useRelativeTime,
  type MergePolicy, type ServerSnapshot,
} from 'opsmantik-pulse/react';
import { demoOverlay, demoRealtime, demoRpc } from '@/lib/demo-adapters';
import { recentCalls, upsertCall } from '@/lib/recent-calls';
import { addEvent, type Bucket } from '@/lib/sparkline';
import { Sparkline } from './sparkline';

type Row = Record<string, unknown>;

interface Props {
  siteId: string;
  snapshot: ServerSnapshot;
  initialCalls: Row[];
  initialSpark: Bucket[];
}

export function Dashboard(props: Props) {
  const [policy, setPolicy] = useState<MergePolicy>('db-truth');
  return (
    // `replay`: after every realtime gap (server render -> SUBSCRIBED, a reconnect, a dropped
    // socket) the calls created meanwhile come through the callbacks too, so the list upserting
    // them below is exact; the snapshot's nowMs tells the engine where the first gap starts.
    <PulseProvider snapshot={props.snapshot} rpc={demoRpc} overlay={demoOverlay} realtime={demoRealtime} policy={policy} replay devtools>
      <DashboardBody {...props} policy={policy} setPolicy={setPolicy} />
    </PulseProvider>
  );
}

/** The key of the day before `key` (calendar arithmetic, no clock). */
function previousKey(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Istanbul', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
function localTime(value: unknown): string {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? '—' : timeFormat.format(ms);
}

function DashboardBody({ siteId, snapshot, initialCalls, initialSpark, policy, setPolicy }: Props & { policy: MergePolicy; setPolicy: (p: MergePolicy) => void }) {
  const { driver } = usePulseContext();
  const [day, setDay] = useState<'today' | 'yesterday'>('today');
  const [scope, setScope] = useState<'all' | 'ads'>('all');
  const [calls, setCalls] = useState<Row[]>(() => recentCalls(initialCalls));
  const [spark, setSpark] = useState<Bucket[]>(initialSpark);
  const adsOnly = scope === 'ads';

  // Live rows, replayed rows and updates all land here; ordered by created_at, one per id.
  const onCall = useCallback((row: Row) => setCalls((list) => upsertCall(list, row)), []);
  const rt = useRealtimeDashboard(
    siteId,
    {
      // Intents are calls (`status: 'intent'`): they arrive here too.
      onCallCreated: onCall,
      onCallUpdated: onCall,
      onEventCreated: (row) => setSpark((b) => addEvent(b, Date.parse(String(row.created_at)))),
    },
    { adsOnly },
  );

  const today = useCommandCenterP0Stats(siteId, null, { adsOnly });
  const yesterdayRange = useMemo(() => {
    if (!driver || !today.dayKey) return { from: snapshot.yesterday.fromIso, to: snapshot.yesterday.toIso };
    const r = dayRange(previousKey(today.dayKey), snapshot.timeZone);
    return { from: r.fromIso, to: r.toIso };
  }, [driver, today.dayKey, snapshot]);
  const yesterday = useCommandCenterP0Stats(siteId, day === 'yesterday' ? yesterdayRange : null, { adsOnly });
  const shown = day === 'today' ? today : yesterday;
  const lastSeen = useRelativeTime(rt.lastSignalAt);
  const s = shown.stats;
  const ratio = s && s.total_leads > 0 ? `${Math.round((s.gclid_leads / s.total_leads) * 100)}%` : '—';
  const source = (field: 'sealed' | 'junk' | 'total_leads' | 'gclid_leads') =>
    shown.provenance?.fields[field] === 'overlay' ? <span className="badge overlay">overlay</span> : <span className="badge">db</span>;

  return (
    <main>
      <div className="row">
        <span className="status" data-testid="connection">
          <span className={`dot ${rt.isConnected ? 'on' : ''}`} /> {rt.connectionStatus}
        </span>
        <span className="status" data-testid="live">
          <span className={`dot ${rt.isLive ? 'live' : ''}`} /> {rt.isLive ? 'LIVE' : 'quiet'} · last seen {lastSeen ?? '—'}
        </span>
        <span className="muted" data-testid="day-key">{shown.dayKey ?? 'custom range'} · {shown.dateRange.from.slice(0, 16)}Z → {shown.dateRange.to.slice(0, 16)}Z</span>
        <span style={{ flex: 1 }} />
        <span className="seg" data-testid="day-toggle">
          <button aria-pressed={day === 'today'} onClick={() => setDay('today')}>Today</button>
          <button aria-pressed={day === 'yesterday'} onClick={() => setDay('yesterday')}>Yesterday</button>
        </span>
        <span className="seg" data-testid="scope-toggle">
          <button aria-pressed={scope === 'all'} onClick={() => setScope('all')}>All traffic</button>
          <button aria-pressed={scope === 'ads'} onClick={() => setScope('ads')}>Ads only</button>
        </span>
        <span className="seg" data-testid="policy-toggle">
          <button aria-pressed={policy === 'db-truth'} onClick={() => setPolicy('db-truth')}>db-truth</button>
          <button aria-pressed={policy === 'legacy-max'} onClick={() => setPolicy('legacy-max')}>legacy-max</button>
        </span>
      </div>

      <section className="cards" data-testid="kpis">
        <div className="card"><div className="label">Sealed {source('sealed')}</div><div className="value" data-testid="kpi-sealed">{s ? s.sealed : '…'}</div><div className="hint">{shown.live?.captured != null ? `${shown.live.captured} events captured today` : ''}</div></div>
        <div className="card"><div className="label">Junk {source('junk')}</div><div className="value" data-testid="kpi-junk">{s ? s.junk : '…'}</div><div className="hint">{s ? `${s.currency} ${s.estimated_budget_saved} saved` : ''}</div></div>
        <div className="card"><div className="label">Total leads {source('total_leads')}</div><div className="value" data-testid="kpi-total">{s ? s.total_leads : '…'}</div><div className="hint">{s ? `${s.oci_uploaded} uploaded to Google` : ''}</div></div>
        <div className="card"><div className="label">GCLID ratio {source('gclid_leads')}</div><div className="value" data-testid="kpi-gclid">{ratio}</div><div className="hint">{s ? `${s.gclid_leads} with a click id` : ''}</div></div>
        <div className="card"><div className="label">Queue pending</div><div className="value" data-testid="kpi-queue">{s ? s.queue_pending : '…'}</div><div className="hint">{s?.inbox_zero_now ? 'inbox zero' : ''}</div></div>
      </section>

      <div className="grid2">
        <section className="panel">
          <h2>Recent calls</h2>
          <table data-testid="recent-calls">
            <thead><tr><th>Time</th><th>Call</th><th>Status</th><th>Phone</th></tr></thead>
            <tbody>
              {calls.map((c) => (
                <tr key={String(c.id)} data-call-id={String(c.id)}>
                  <td>{localTime(c.created_at)}</td><td>{String(c.id).slice(0, 22)}</td>
                  <td>{c.is_junk ? 'junk' : String(c.status)}</td><td className="muted">{String(c.phone ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>Events per minute</h2>
          <Sparkline buckets={spark} />
          <p className="muted" data-testid="event-count">{rt.eventCount} realtime changes since load · {rt.adsLive ? 'ads live' : 'no ads signal yet'}</p>
          <p className="muted">Source of truth: <b>{policy}</b>{shown.provenance ? ` · overlay ${shown.provenance.overlay}` : ''}{shown.error ? ` · error: ${shown.error}` : ''}</p>
          <button className="action" onClick={() => void fetch('/api/demo/simulate', { method: 'POST', body: '{}' })}>Simulate a visit</button>
        </section>
      </div>
    </main>
  );
}
