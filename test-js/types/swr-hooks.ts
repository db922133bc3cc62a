// Type test: what SWR / TanStack Query users write compiles against the
// package's declarations (compiled by test-js/types.test.mjs; a type error
// fails the test). Never run, only type-checked.
import {
  useCommandCenterP0Stats, useRealtimeDashboard, PulseProvider, DEFAULT_CADENCE,
  type CommandCenterP0Stats, type PulseCadence, type PulseError, type RpcAdapter,
} from 'opsmantik-pulse/react';

export function Card(props: { siteId: string | null }) {
  // A null site id is "not known yet"; `enabled` gates the hook.
  const s = useCommandCenterP0Stats(props.siteId, null, { enabled: props.siteId !== null, keepPreviousData: true });
  const fetching: boolean = s.isFetching;
  const at: number | null = s.dataUpdatedAt;
  const placeholder: boolean = s.isPlaceholderData;
  const next: Promise<CommandCenterP0Stats | null> = s.refetch();
  next.catch((e: PulseError) => e.kind === 'request_failed' || e.kind === 'cancelled');
  useRealtimeDashboard(undefined, {}, { enabled: false });
  return [fetching, at, placeholder];
}

const cadence: PulseCadence = { overlayPollSlowMs: 30_000, requestTimeoutMs: DEFAULT_CADENCE.requestTimeoutMs };
export const provider = PulseProvider({ cadence });

// An adapter that takes the signal, and one written before it existed.
export const withSignal: RpcAdapter = { rpc: async (_name, _params, options) => ({ data: options?.signal?.aborted ?? null, error: null }) };
export const withoutSignal: RpcAdapter = { rpc: async () => ({ data: null, error: null }) };
