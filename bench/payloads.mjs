// Deterministic realtime payload streams for benchmarks and the soak test:
// a mix of tables and ads signals, with duplicates and other sites' rows.
export const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';

/** What `get_session_details` answers for the streams' sessions: rows (ads) for one in ten. */
export const sessionHasRows = (sessionId) => sessionId.endsWith('7');

export function* payloadStream(count, { seed = 1, duplicateRate = 0.1, otherSiteRate = 0.01 } = {}) {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  const recent = [];
  for (let i = 0; i < count; i++) {
    if (recent.length > 0 && rand() < duplicateRate) {
      yield recent[Math.floor(rand() * recent.length)];
      continue;
    }
    const r = rand();
    const table = r < 0.6 ? 'events' : r < 0.85 ? 'sessions' : 'calls';
    const eventType = table === 'calls' && rand() < 0.3 ? 'UPDATE' : 'INSERT';
    const ads = rand();
    const row = {
      id: `${table[0]}${i}`,
      site_id: rand() < otherSiteRate ? 'other-site-0001' : SITE,
      session_id: `sess-${Math.floor(rand() * 5000)}`,
      created_at: `2026-02-02T12:${String(i % 60).padStart(2, '0')}:00Z`,
      event_category: 'interaction',
      event_action: 'click',
      url: 'https://example.com/landing?x=1',
    };
    if (ads < 0.3) row.gclid = `Cj0KCQ${i}`;
    else if (ads < 0.45) row.metadata = { utm_medium: 'cpc', utm_source: 'google' };
    else if (ads < 0.6) row.metadata = { utm_source: 'newsletter', utm_medium: 'email' };
    else if (ads < 0.7) row.attribution_source = 'Organic';
    if (table === 'calls') {
      row.status = rand() < 0.5 ? 'intent' : 'confirmed';
      row.matched_session_id = row.session_id;
    }
    const payload = { schema: 'public', table, commit_timestamp: `2026-02-02T12:00:${String(i).padStart(9, '0')}Z`, eventType, new: row, old: {}, errors: null };
    recent.push(payload);
    if (recent.length > 200) recent.shift();
    yield payload;
  }
}
