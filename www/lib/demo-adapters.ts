// The demo's adapters: RPCs over /api/rpc/{name}, the overlay route, and
// realtime as server-sent events. Production swaps in supabaseRpcAdapter and
// supabaseRealtimeAdapter; nothing else changes.
import { eventSourceRealtimeAdapter, fetchOverlayAdapter, type RpcAdapter } from 'opsmantik-pulse/react';

export const demoRpc: RpcAdapter = {
  // `signal` aborts when the engine gives up on the request (timed out, or nobody needs it).
  async rpc(name, params, options) {
    const res = await fetch(`/api/rpc/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      signal: options?.signal,
    });
    return (await res.json()) as { data: unknown; error: { message: string; code?: string } | null };
  },
};

export const demoOverlay = fetchOverlayAdapter();
export const demoRealtime = eventSourceRealtimeAdapter();
