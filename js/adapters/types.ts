// The small interfaces the driver runs its commands through. Each has a
// production implementation in this folder and is trivially faked in tests.
// (Types only, but for HANDLER_METHODS: the list the adapters check.)

/**
 * What the driver passes with every request: `signal` aborts when the engine
 * gives up on it (a timeout, or nobody needs the answer any more: the hook
 * unmounted or changed range, the site or the day is gone, the driver was
 * disposed). Absent where the runtime has no AbortController.
 */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Anything with supabase-js's `rpc(name, params)` shape. */
export interface RpcAdapter {
  rpc(name: string, params: Record<string, unknown>, options?: RequestOptions): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>;
}

/** Fetches `/api/stats/realtime` for a site; resolves with the body text. */
export interface OverlayAdapter {
  fetchOverlay(siteId: string, options?: RequestOptions): Promise<string>;
}

/** What a realtime subscription reports back. */
export interface RealtimeHandlers {
  /** A postgres_changes payload: an object (supabase-js) or its JSON text (SSE). */
  onPayload(payload: unknown): void;
  /** A channel status (`SUBSCRIBED`, `CHANNEL_ERROR`, `TIMED_OUT`, `CLOSED`) and an optional error message. */
  onStatus(status: string, message?: string): void;
}

/** The methods a `RealtimeHandlers` object must have (adapters check them before subscribing). */
export const HANDLER_METHODS: readonly (keyof RealtimeHandlers)[] = ['onPayload', 'onStatus'];

/** Opens one site's channel; returns the function that closes it. */
export interface RealtimeAdapter {
  subscribe(siteId: string, channel: string, handlers: RealtimeHandlers): () => void;
}
