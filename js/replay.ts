// The catch-up replay's rows as the pipeline's input. After a gap in
// realtime the engine asks for the calls created since it opened (a `replay`
// RPC); the driver feeds each row back as a calls INSERT payload, so the
// rows take exactly the path live changes take (site scoping, the ads
// decision, dedup against what did arrive live, the callbacks).

/** `get_recent_intents_*` rows (newest first) as postgres_changes payloads, oldest first. */
export function replayPayloads(rows: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(rows)) return [];
  const out: Array<Record<string, unknown>> = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as unknown;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) continue;
    const createdAt = (row as { created_at?: unknown }).created_at;
    out.push({
      schema: 'public',
      table: 'calls',
      eventType: 'INSERT',
      // An INSERT is deduplicated by table and id, so the replayed row and the live one are one change.
      commit_timestamp: typeof createdAt === 'string' ? createdAt : '',
      new: row,
      old: {},
      errors: null,
    });
  }
  return out;
}
