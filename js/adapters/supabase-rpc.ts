import { methodsArg, objectFields, stringArg } from '../args.js';
import { signalOption } from './signal.js';
import type { RpcAdapter } from './types.js';

/**
 * What the adapter needs of a supabase-js client: `rpc(name, params)`. Loose on purpose, like
 * `SupabaseRealtimeClient`: the real `SupabaseClient`'s `rpc` is generic over the `Database` type
 * (function names and argument types), so any client, typed or not, is accepted without a cast.
 */
export interface SupabaseRpcClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rpc(fn: any, args?: any, options?: any): PromiseLike<unknown>;
}

/**
 * RPCs through a supabase-js client: `client.rpc(name, params)`, with the
 * driver's signal on the builder (`.abortSignal(signal)`, postgrest-js), so an
 * abandoned request's fetch is cancelled.
 */
export function supabaseRpcAdapter(client: SupabaseRpcClient): RpcAdapter {
  const c = methodsArg<SupabaseRpcClient>('client', client, ['rpc']);
  return {
    rpc: (name, params, options) => {
      objectFields('params', params, []);
      const signal = signalOption(options);
      const builder = c.rpc(stringArg('name', name), params) as { abortSignal?: (s: AbortSignal) => unknown };
      // A client without the builder method (a look-alike) is still used, without cancellation.
      const call = signal && typeof builder?.abortSignal === 'function' ? builder.abortSignal(signal) : builder;
      // The driver reads the answer defensively (adapter-answers.ts): `{data, error}` as supabase-js resolves.
      return call as ReturnType<RpcAdapter['rpc']>;
    },
  };
}
