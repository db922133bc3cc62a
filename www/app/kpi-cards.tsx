// The five KPI cards as a description list: each value is read out with its
// label ("Sealed, 12"), and each has a line of context under it.
import type { CommandCenterP0Stats } from 'opsmantik-pulse/react';
import type { SameTimeYesterday } from '@/lib/hourly';
import { deltaText, deltaTone, formatMoney, percent, type KpiField } from '@/lib/kpi-context';

interface Props {
  stats: CommandCenterP0Stats | null;
  /** Yesterday up to the same time, for today's deltas; null when not comparing. */
  before: SameTimeYesterday | null;
  /** The time `before` runs to (`14:02`). */
  beforeAt: string | null;
}

interface CardProps {
  id: string;
  label: string;
  value: string;
  delta?: { now: number; field: KpiField };
  hint: string;
  before: SameTimeYesterday | null;
  beforeAt: string | null;
}

function Card({ id, label, value, delta, hint, before, beforeAt }: CardProps) {
  const d = delta ? deltaText(delta.now, before?.[delta.field], beforeAt) : null;
  return (
    <div className="card">
      <dt className="label" id={`kpi-label-${id}`}>{label}</dt>
      <dd className="value" data-testid={`kpi-${id}`}>{value}</dd>
      {d && delta ? <dd className={`delta ${deltaTone(delta.now, before?.[delta.field])}`} data-testid={`kpi-${id}-delta`}>{d}</dd> : null}
      <dd className="hint">{hint}</dd>
    </div>
  );
}

export function KpiCards({ stats: s, before, beforeAt }: Props) {
  const shared = { before, beforeAt };
  const dash = '…';
  return (
    <dl className="cards" data-testid="kpis" aria-label="Key figures">
      <Card id="sealed" label="Sealed" value={s ? String(s.sealed) : dash} delta={s ? { now: s.sealed, field: 'sealed' } : undefined}
        hint={s ? `${s.oci_uploaded} sent to Google Ads as conversions` : ''} {...shared} />
      <Card id="total" label="Leads" value={s ? String(s.total_leads) : dash} delta={s ? { now: s.total_leads, field: 'total_leads' } : undefined}
        hint="Calls that were not junk" {...shared} />
      <Card id="junk" label="Junk calls" value={s ? String(s.junk) : dash} delta={s ? { now: s.junk, field: 'junk' } : undefined}
        hint={s ? `${formatMoney(s.estimated_budget_saved, s.currency)} ad spend saved (${formatMoney(s.assumed_cpc, s.currency)} a click)` : ''} {...shared} />
      <Card id="gclid" label="From Google Ads" value={s ? percent(s.gclid_leads, s.total_leads) : dash}
        hint={s ? `${s.gclid_leads} of ${s.total_leads} leads have a Google click id` : ''} {...shared} />
      <Card id="queue" label="Waiting for review" value={s ? String(s.queue_pending) : dash}
        hint={s ? (s.inbox_zero_now ? 'Inbox zero' : 'Calls nobody has sealed or junked yet') : ''} {...shared} />
    </dl>
  );
}
