// Type test: the adapters take the real supabase-js client as it is, untyped
// or with a `Database` type, with no cast (issue 13 item 1). Compiled by
// test-js/types.test.mjs with `tsc --noEmit`; a type error fails the test.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import {
  supabaseRealtimeAdapter, supabaseRpcAdapter, fetchOverlayAdapter,
  type SupabaseRealtimeClient, type SupabaseRpcClient, type RealtimeAdapter, type RpcAdapter,
} from 'opsmantik-pulse';
import { PulseDriver } from 'opsmantik-pulse/react';

const supabase = createClient('http://127.0.0.1:54321', 'anon-key');
const realtime: RealtimeAdapter = supabaseRealtimeAdapter(supabase);
const rpc: RpcAdapter = supabaseRpcAdapter(supabase);

// A client typed with generated Database types, including the package's RPCs.
interface Database {
  public: {
    Tables: {
      calls: { Row: { id: string; site_id: string; status: string | null }; Insert: { site_id: string }; Update: { status?: string | null }; Relationships: [] };
    };
    Views: Record<never, never>;
    Functions: {
      get_command_center_p0_stats_v2: {
        Args: { p_site_id: string; p_date_from: string; p_date_to: string; p_ads_only: boolean };
        Returns: unknown;
      };
    };
    Enums: Record<never, never>;
    CompositeTypes: Record<never, never>;
  };
}
const typed: SupabaseClient<Database> = createClient<Database>('http://127.0.0.1:54321', 'anon-key');
supabaseRealtimeAdapter(typed);
supabaseRpcAdapter(typed);

// The structural types stay exported and the client satisfies them.
const asRealtime: SupabaseRealtimeClient = supabase;
const asRpc: SupabaseRpcClient = typed;

new PulseDriver({ rpc, realtime, overlay: fetchOverlayAdapter() });
export { asRealtime, asRpc };
