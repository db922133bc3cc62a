import type { RpcAdapter } from './types.js';

/** Minimal structural type of a supabase-js client for RPCs (no import of supabase-js needed). */
export interface SupabaseRpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>;
}

/** RPCs through a supabase-js client: `client.rpc(name, params)`. */
export function supabaseRpcAdapter(client: SupabaseRpcClient): RpcAdapter {
  return { rpc: (name, params) => client.rpc(name, params) };
}
