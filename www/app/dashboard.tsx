'use client';
// The ops dashboard, built only from the package's hooks. Engine words
// (statuses, merge policies, provenance) live in /devtools; this page says
// what an operator needs: are the numbers live, for which day, compared with what.
import { useCallback, useMemo, useState } from 'react';
import {
  PulseProvider, dayRange, useCommandCenterP0Stats, usePulseContext, useRealtimeDashboard, useRelativeTime, type ServerSnapshot,
} from 'opsmantik-pulse/react';
import { demoOverlay, demoRealtime, demoRpc } from '@/lib/demo-adapters';
import { pageOnline, pageVisibility } from '@/lib/flags';
import type { HourlySeries } from '@/lib/hourly';
import { recentCalls, upsertCall } from '@/lib/recent-calls';
import { useFlag } from '@/lib/use-flag';
import { clockTime, dayHeading, previousDateKey } from '@/lib/zone-format';
import { ConnectionStatus } from './connection-status';
import { HourlyChart } from './hourly-chart';
import { KpiCards } from './kpi-cards';
import { RecentCallsList } from './recent-calls-list';
import { ToggleGroup } from './toggle-group';
import { useDataTime } from './use-data-time';
import { useHourly } from './use-hourly';

type Row = Record<string, unknown>;

interface Props {
  siteId: string;
  snapshot: ServerSnapshot;
  initialCalls: Row[];
  initialHourly: HourlySeries;
}

export function Dashboard(props: Props) {
  return (
    // `replay`: after every realtime gap (server render -> SUBSCRIBED, a reconnect, a dropped
    // socket) the calls created meanwhile come through the callbacks too, so the list upserting
    // them below is exact; the snapshot's nowMs tells the engine where the first gap starts.
    // The merge policy is the default, db-truth: the original's legacy-max is a devtools switch.
    <PulseProvider snapshot={props.snapshot} rpc={demoRpc} overlay={demoOverlay} realtime={demoRealtime}
      visibility={pageVisibility} online={pageOnline} replay devtools>
      <DashboardBody {...props} />
    </PulseProvider>
  );
}

const DAYS = [{ value: 'today', label: 'Today' }, { value: 'yesterday', label: 'Yesterday' }] as const;
const SCOPES = [{ value: 'all', label: 'All traffic' }, { value: 'ads', label: 'Ads only' }] as const;

function DashboardBody({ siteId, snapshot, initialCalls, initialHourly }: Props) {
  const { driver } = usePulseContext();
  const zone = snapshot.timeZone;
  const [day, setDay] = useState<'today' | 'yesterday'>('today');
  const [scope, setScope] = useState<'all' | 'ads'>('all');
  const [calls, setCalls] = useState<Row[]>(() => recentCalls(initialCalls));
  const adsOnly = scope === 'ads';
  const online = useFlag(pageOnline);

  // Live rows, replayed rows and updates all land here; ordered by created_at, one per id.
  const onCall = useCallback((row: Row) => setCalls((list) => upsertCall(list, row)), []);
  // Intents are calls (`status: 'intent'`): they arrive here too.
  const rt = useRealtimeDashboard(siteId, { onCallCreated: onCall, onCallUpdated: onCall }, { adsOnly });

  const today = useCommandCenterP0Stats(siteId, null, { adsOnly });
  const todayKey = today.dayKey ?? snapshot.dayKey;
  const yesterdayKey = previousDateKey(todayKey);
  const yesterdayRange = useMemo(() => {
    if (!driver) return { from: snapshot.yesterday.fromIso, to: snapshot.yesterday.toIso };
    const r = dayRange(yesterdayKey, zone);
    return { from: r.fromIso, to: r.toIso };
  }, [driver, yesterdayKey, zone, snapshot]);
  const yesterday = useCommandCenterP0Stats(siteId, day === 'yesterday' ? yesterdayRange : null, { adsOnly });
  const shown = day === 'today' ? today : yesterday;
  const shownKey = day === 'today' ? todayKey : yesterdayKey;

  const todayAt = useDataTime(today.stats, snapshot.nowMs);
  const shownAt = useDataTime(shown.stats, snapshot.nowMs);
  const hourly = useHourly(siteId, initialHourly, adsOnly, `${todayAt}|${today.live?.captured}|${todayKey}`);
  const lastActivity = useRelativeTime(rt.lastSignalAt);
  const dataTime = clockTime(shownAt, zone);
  const comparing = day === 'today' && hourly.adsOnly === adsOnly && hourly.today.dateKey === todayKey;

  return (
    <main>
      <div className="toolbar">
        <div className="where">
          <h2 className="day-heading" data-testid="day-key" data-day-key={shownKey}>{dayHeading(day, shownKey, zone)}</h2>
          <ConnectionStatus status={rt.connectionStatus} online={online} dataTime={dataTime} lastActivity={lastActivity} />
        </div>
        <div className="controls">
          <ToggleGroup label="Day" value={day} options={[...DAYS]} onChange={setDay} testId="day-toggle" />
          <ToggleGroup label="Traffic" value={scope} options={[...SCOPES]} onChange={setScope} testId="scope-toggle" />
        </div>
      </div>

      <KpiCards stats={shown.stats} before={comparing ? hourly.yesterdaySoFar : null} beforeAt={comparing ? clockTime(hourly.nowMs, zone) : null} />
      {shown.error ? <p className="notice" role="alert">Could not refresh the figures: {shown.error}. Showing the last ones we had.</p> : null}

      <section className="charts" aria-label="Per hour, today against yesterday">
        <HourlyChart series={hourly} metric="calls" title="Calls per hour" />
        <HourlyChart series={hourly} metric="events" title="Site events per hour" />
      </section>

      <section className="panel">
        <div className="panel-head">
          <h2>Recent calls</h2>
          <button type="button" className="action" onClick={() => void fetch('/api/demo/simulate', { method: 'POST', body: '{}' })}>Simulate a visit</button>
        </div>
        <RecentCallsList calls={calls} timeZone={zone} />
      </section>
    </main>
  );
}
