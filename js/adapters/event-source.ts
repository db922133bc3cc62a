import type { RealtimeAdapter } from './types.js';

export interface EventSourceAdapterOptions {
  /** The SSE URL for a site (default `/api/realtime?siteId=…`). */
  url?: (siteId: string) => string;
  EventSource?: typeof globalThis.EventSource;
}

/**
 * Server-sent events carrying postgres_changes payloads as JSON text (the
 * demo's transport). The text goes to the core as it is: no parse on the JS
 * side unless a callback needs the row.
 */
export function eventSourceRealtimeAdapter(options: EventSourceAdapterOptions = {}): RealtimeAdapter {
  const url = options.url ?? ((siteId: string) => `/api/realtime?siteId=${encodeURIComponent(siteId)}`);
  return {
    subscribe(siteId, _channel, handlers) {
      const ES = options.EventSource ?? globalThis.EventSource;
      const source = new ES(url(siteId));
      source.onopen = () => handlers.onStatus('SUBSCRIBED');
      source.onmessage = (event: MessageEvent) => handlers.onPayload(String(event.data));
      source.onerror = () => handlers.onStatus(source.readyState === 2 ? 'CLOSED' : 'CHANNEL_ERROR');
      return () => source.close();
    },
  };
}
