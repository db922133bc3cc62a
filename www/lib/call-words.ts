// A call row in ops words: status, where the caller came from, whether a
// Google click id came with them. Rows come from the server render, live
// changes and replays alike; any field may be missing.
type Row = Record<string, unknown>;

export function callStatus(row: Row): string {
  if (row.is_junk === true) return 'Junk';
  if (typeof row.sealed_at === 'string' || row.status === 'confirmed') return 'Sealed';
  if (row.status === 'intent') return 'Waiting for review';
  return typeof row.status === 'string' && row.status ? row.status.replace(/_/g, ' ') : 'Unknown';
}

export function callSource(row: Row): { label: string; kind: 'ads' | 'organic' | 'unknown' } {
  if (row.source === 'ads') return { label: 'Ads', kind: 'ads' };
  if (row.source === 'organic') return { label: 'Organic', kind: 'organic' };
  return { label: 'Source unknown', kind: 'unknown' };
}

export function clickId(row: Row): string | null {
  return typeof row.click_id === 'string' && row.click_id.trim() ? row.click_id : null;
}

export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
}
