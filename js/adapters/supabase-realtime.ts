import { methodsArg, readMessage, stringArg } from '../args.js';
import { HANDLER_METHODS, type RealtimeAdapter, type RealtimeHandlers } from './types.js';

/** The parts of supabase-js's `RealtimeChannel` this adapter calls. */
export interface RealtimeChannelLike {
  on(
    type: 'postgres_changes',
    filter: { event: string; schema: string; table: string; filter?: string },
    callback: (payload: unknown) => void,
  ): RealtimeChannelLike;
  subscribe(callback?: (status: string, err?: Error) => void): RealtimeChannelLike;
}

/**
 * What the adapter needs of a supabase-js client: `channel(name)` and `removeChannel(channel)`.
 * Deliberately loose: supabase-js's `RealtimeChannel.on` has a dozen overloads (presence,
 * broadcast, postgres_changes …) that TypeScript cannot match against a single signature, so
 * the real `SupabaseClient` (any `Database` generic, any 2.x version) is accepted as it is,
 * without a cast; the adapter checks at run time that the methods exist.
 */
export interface SupabaseRealtimeClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  channel(name: string, ...rest: any[]): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  removeChannel(channel: any): unknown;
}

/**
 * One channel per site, `postgres_changes` exactly as the original: calls
 * INSERT and UPDATE and sessions INSERT filtered by `site_id=eq.{id}`, events
 * INSERT unfiltered (the core enforces `site_id` when present).
 */
export function supabaseRealtimeAdapter(client: SupabaseRealtimeClient): RealtimeAdapter {
  methodsArg('client', client, ['channel', 'removeChannel']);
  return {
    subscribe(siteId, channelName, handlersArg) {
      const filter = `site_id=eq.${stringArg('siteId', siteId)}`;
      stringArg('channel', channelName);
      const handlers = methodsArg<RealtimeHandlers>('handlers', handlersArg, HANDLER_METHODS);
      const onChange = (payload: unknown) => handlers.onPayload(payload);
      const channel = (client.channel(channelName) as RealtimeChannelLike)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'calls', filter }, onChange)
        .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'calls', filter }, onChange)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'sessions', filter }, onChange)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'events' }, onChange)
        .subscribe((status, err) => handlers.onStatus(status, err === undefined || err === null ? undefined : readMessage(err)));
      return () => {
        client.removeChannel(channel);
      };
    },
  };
}
