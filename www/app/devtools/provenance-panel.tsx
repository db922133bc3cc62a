// Where each merged figure came from under the current policy: the DB
// snapshot or the live overlay, what happened to the overlay, and how old
// each source is. This is the provenance the ops screen no longer shows.
import type { CommandCenterStatsResult } from 'opsmantik-pulse/react';

const age = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);

const FIELDS = [['sealed', 'Sealed'], ['junk', 'Junk'], ['total_leads', 'Leads'], ['gclid_leads', 'Leads with click id']] as const;

export function ProvenancePanel({ stats }: { stats: CommandCenterStatsResult }) {
  const p = stats.provenance;
  const policy = p?.policy ?? 'db-truth';
  const s = stats.stats;
  return (
    <section className="panel" aria-labelledby="dt-prov-title" data-testid="dt-provenance">
      <h2 id="dt-prov-title">Today&apos;s figures under {policy}</h2>
      <table className="plain">
        <thead><tr><th scope="col">Figure</th><th scope="col">Shown</th><th scope="col">From</th></tr></thead>
        <tbody>
          {FIELDS.map(([f, label]) => (
            <tr key={f}><th scope="row">{label}</th><td data-testid={`dt-stat-${f}`}>{s ? s[f] : '…'}</td>
              <td><span className={`badge ${p?.fields[f] === 'overlay' ? 'overlay' : ''}`}>{p?.fields[f] === 'overlay' ? 'live counters' : 'database'}</span></td></tr>
          ))}
        </tbody>
      </table>
      <dl className="pairs">
        <div><dt>Live counters</dt><dd>{stats.live ? `${stats.live.captured} events, ${stats.live.gclid} with click id${stats.live.fallback ? ' (fallback reply)' : ''}` : 'none yet'}</dd></div>
        <div><dt>Overlay</dt><dd data-testid="dt-overlay-status">{p ? p.overlay.replace(/_/g, ' ') : '—'}</dd></div>
        <div><dt>Snapshot age</dt><dd>{p?.snapshotAgeMs != null ? age(p.snapshotAgeMs) : '—'}</dd></div>
        <div><dt>Overlay age</dt><dd>{p?.overlayAgeMs != null ? age(p.overlayAgeMs) : '—'}</dd></div>
        {p?.error ? <div><dt>Problem</dt><dd>{p.error}</dd></div> : null}
      </dl>
    </section>
  );
}
