import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { describe } from '../args.js';
import type { PulseDriver } from '../driver.js';
import type { RegistrationSnapshot } from '../types.js';

/**
 * useSyncExternalStore over one registration. Until `handle` exists (server
 * render, hydration, before the wasm loads) it returns `fallback`, which the
 * caller derives from the server snapshot only.
 */
export function useRegistration<T extends RegistrationSnapshot>(driver: PulseDriver | null, handle: number | null, fallback: T): T {
  const subscribe = useCallback(
    (onChange: () => void) => (driver && handle !== null ? driver.store.subscribe(handle, onChange) : () => {}),
    [driver, handle],
  );
  const get = useCallback(() => {
    const value = driver && handle !== null ? driver.store.get(handle) : null;
    return (value ?? fallback) as T;
  }, [driver, handle, fallback]);
  const getServer = useCallback(() => fallback, [fallback]);
  return useSyncExternalStore(subscribe, get, getServer);
}

/** A hook's registration: its handle, the error that stopped it, and the `key` it was made for. */
export interface HandleState {
  handle: number | null;
  error: string | null;
  /** The key `handle` (or `error`) belongs to: until the effect re-registers, it is the previous key's. */
  key: string | null;
}

const IDLE: HandleState = { handle: null, error: null, key: null };

/**
 * Registers with the driver once it exists (after mount) and unregisters on
 * cleanup; re-registers when `key` changes. A registration that throws (a bad
 * site id, say) becomes `error` instead of breaking the tree. While `enabled`
 * is false nothing is registered (no request, no channel, no error).
 */
export function useHandle(driver: PulseDriver | null, key: string, register: (driver: PulseDriver) => number, enabled = true): HandleState {
  const [state, setState] = useState<HandleState>(IDLE);
  useEffect(() => {
    if (!driver || !enabled) return;
    let handle: number;
    try {
      handle = register(driver);
    } catch (err) {
      setState({ handle: null, error: err instanceof Error ? err.message : String(err), key });
      return () => setState(IDLE);
    }
    setState({ handle, error: null, key });
    return () => {
      driver.unregister(handle);
      setState(IDLE);
    };
    // `register` is a fresh closure every render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [driver, key, enabled]);
  return state;
}

/**
 * Whether a hook runs: `enabled` (default true) and a site id given. `null`
 * or `undefined` as the site id means "not yet" (SWR's null key), not an
 * error; `enabled` that is not a boolean is reported by the registration.
 */
export function isEnabled(siteId: unknown, enabled: unknown): boolean {
  return enabled !== false && siteId !== null && siteId !== undefined;
}

/**
 * The identity of a registration's arguments for `useHandle`. Render must not
 * throw on bad arguments (a Symbol in a template literal would): non-strings
 * are described instead, and the registration itself reports them as `error`.
 */
export function registrationKey(...parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : describe(p))).join('|');
}
