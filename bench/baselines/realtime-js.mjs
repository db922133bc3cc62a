// A plain-JS implementation of the same realtime rules (all-traffic mode),
// written the way a careful JS developer would: the benchmark's baseline.
// Session lookups are answered synchronously by `sessionHasRows(sessionId)`
// (what `get_session_details` would return for this site), as the benchmark's
// and the soak's drivers answer pulse's lookups with the same function.
const PAID = new Set(['cpc', 'ppc', 'paid', 'paidsearch', 'paid_search', 'ads']);
const ADS_SOURCES = ['ads', 'google', 'gads', 'adwords'];
const text = (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function classifyRow(row) {
  const meta = row.metadata != null ? row.metadata : row.meta != null ? row.meta : undefined;
  const field = (name) => text(meta && typeof meta === 'object' ? meta[name] : undefined) ?? text(row[name]);
  if (field('gclid') || field('wbraid') || field('gbraid')) return { kind: 'ads', reason: 'click_id_present' };
  const medium = field('utm_medium')?.toLowerCase();
  if (medium && PAID.has(medium)) return { kind: 'ads', reason: `utm_medium=${medium}` };
  const source = field('attribution_source')?.toLowerCase();
  if (source) return { kind: ADS_SOURCES.some((s) => source.includes(s)) ? 'ads' : 'non_ads', reason: `attribution_source=${source}` };
  if (field('utm_source') || medium) return { kind: 'non_ads', reason: 'utm_present_no_paid_signal' };
  return { kind: 'unknown', reason: 'insufficient_payload_fields' };
}

export class JsRealtime {
  constructor(siteId, { capacity = 1000, sessionHasRows }) {
    this.siteId = siteId;
    this.capacity = capacity;
    this.sessionHasRows = sessionHasRows;
    this.seen = new Set();
    this.order = [];
    this.head = 0;
    this.state = { isLive: false, adsLive: false, lastEventAt: null, lastSignalAt: null, lastSignalType: null, eventCount: 0 };
    this.outputs = [];
    this.dropped = { malformed: 0, cross_site: 0, duplicate: 0, unknown_table: 0, unsupported_event: 0, no_session: 0, non_ads: 0 };
  }

  handlePayload(p, nowMs) {
    if (!p || typeof p !== 'object' || !p.new || typeof p.new !== 'object' || typeof p.commit_timestamp !== 'string') return this.drop('malformed');
    const { table, eventType } = p;
    if (table !== 'calls' && table !== 'sessions' && table !== 'events') return this.drop('unknown_table');
    if (eventType !== 'INSERT' && !(eventType === 'UPDATE' && table === 'calls')) return this.drop('unsupported_event');
    const row = p.new;
    if (row.site_id != null && String(row.site_id) !== this.siteId) return this.drop('cross_site');
    // An INSERT happens once per row (its key ignores the commit timestamp); an UPDATE is keyed by it.
    const key = eventType === 'INSERT' ? `${table}:${row.id}:insert` : `${table}:${row.id}:${p.commit_timestamp}`;
    if (this.seen.has(key)) return this.drop('duplicate');
    if (this.order.length - this.head >= this.capacity) this.seen.delete(this.order[this.head++]);
    if (this.head > 4096) { this.order = this.order.slice(this.head); this.head = 0; }
    this.seen.add(key);
    this.order.push(key);
    // An event is this site's only if its session lookup returns rows.
    if (table === 'events') {
      const session = text(row.session_id);
      if (!session) return this.drop('no_session');
      if (!this.sessionHasRows(session)) return this.drop('non_ads');
    }
    const s = this.state;
    s.eventCount++;
    s.lastEventAt = nowMs;
    s.isLive = true;
    s.adsLive ||= table === 'events' || classifyRow(row).kind === 'ads';
    s.lastSignalAt = nowMs;
    s.lastSignalType = table;
    // The original's contract: a call fires its callback alone; an event its callback and
    // freshness; a session freshness only.
    if (table === 'calls') {
      this.outputs.push({ type: 'notify', kind: eventType === 'INSERT' ? 'call_created' : 'call_updated', table, row, atMs: nowMs });
      return null;
    }
    if (table === 'events') this.outputs.push({ type: 'notify', kind: 'event_created', table, row, atMs: nowMs });
    this.outputs.push({ type: 'notify', kind: 'data_freshness', table, row: null, atMs: nowMs });
    return null;
  }

  drop(reason) {
    this.dropped[reason]++;
    return reason;
  }

  drainOutputs() {
    const out = this.outputs;
    this.outputs = [];
    return out;
  }
}
