import { methodsArg, objectFields, stringArg } from '../args.js';
import type { RpcAdapter } from './types.js';

/** Minimal structural type of a supabase-js client for RPCs (no import of supabase-js needed). */
export interface SupabaseRpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>;
}

/** RPCs through a supabase-js client: `client.rpc(name, params)`. */
export function supabaseRpcAdapter(client: SupabaseRpcClient): RpcAdapter {
  const c = methodsArg<SupabaseRpcClient>('client', client, ['rpc']);
  return {
    rpc: (name, params) => {
      objectFields('params', params, []);
      return c.rpc(stringArg('name', name), params);
    },
  };
}
