import { createContext, useContext } from 'react';
import type { PulseDriver } from '../driver.js';
import type { ServerSnapshot } from '../server-snapshot.js';
import type { PulseError } from '../types.js';

export interface PulseContextValue {
  /** Null until mounted and the wasm is loaded: hooks render the server snapshot meanwhile. */
  driver: PulseDriver | null;
  snapshot: ServerSnapshot | null;
  /**
   * Why the engine is not running: kind `wasm_load_failed` while the provider retries the
   * download, or the driver's own error when it cannot start (kind `invalid_cadence` for a
   * bad `cadence` prop, `invalid_argument` for missing adapters); null otherwise. The hooks
   * show its message as their `error`.
   */
  loadError?: PulseError | null;
  /**
   * Opens a site's realtime channel before the engine is up (the provider's
   * `RealtimePreconnect`); the engine adopts it when it subscribes. Absent
   * outside a provider that owns its adapters.
   */
  preconnect?: (siteId: string) => void;
}

export const PulseContext = createContext<PulseContextValue>({ driver: null, snapshot: null, loadError: null });

export function usePulseContext(): PulseContextValue {
  return useContext(PulseContext);
}

export interface PulseStatus {
  /** `loading` until the wasm runs (server render, hydration), `error` while a failed load is retried. */
  status: 'loading' | 'ready' | 'error';
  /** The typed error (kind `wasm_load_failed`, `invalid_cadence`, ...) while `status` is `error`. */
  error: PulseError | null;
}

/** Whether the provider's engine is running, and why not. */
export function usePulseStatus(): PulseStatus {
  const { driver, loadError } = useContext(PulseContext);
  if (driver) return { status: 'ready', error: null };
  return loadError ? { status: 'error', error: loadError } : { status: 'loading', error: null };
}
