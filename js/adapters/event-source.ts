import { functionArg, methodsArg, optionalFunctionArg, optionFields, stringArg } from '../args.js';
import { HANDLER_METHODS, type RealtimeAdapter, type RealtimeHandlers } from './types.js';

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
export function eventSourceRealtimeAdapter(options?: EventSourceAdapterOptions | null): RealtimeAdapter {
  const o = optionFields('eventSourceRealtimeAdapter options', options, ['url', 'EventSource']);
  const url = optionalFunctionArg<(siteId: string) => string>('options.url', o.url) ?? ((siteId: string) => `/api/realtime?siteId=${encodeURIComponent(siteId)}`);
  const CustomEventSource = optionalFunctionArg<typeof globalThis.EventSource>('options.EventSource', o.EventSource);
  return {
    subscribe(siteId, channel, handlersArg) {
      stringArg('siteId', siteId);
      stringArg('channel', channel);
      const handlers = methodsArg<RealtimeHandlers>('handlers', handlersArg, HANDLER_METHODS);
      const ES = functionArg<typeof globalThis.EventSource>('EventSource (none global; pass options.EventSource)', CustomEventSource ?? globalThis.EventSource);
      const source = new ES(url(siteId));
      source.onopen = () => handlers.onStatus('SUBSCRIBED');
      source.onmessage = (event: MessageEvent) => handlers.onPayload(String(event.data));
      source.onerror = () => handlers.onStatus(source.readyState === 2 ? 'CLOSED' : 'CHANNEL_ERROR');
      return () => source.close();
    },
  };
}
