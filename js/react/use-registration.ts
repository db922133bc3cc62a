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

/**
 * Registers with the driver once it exists (after mount) and unregisters on
 * cleanup; re-registers when `key` changes. A registration that throws (a bad
 * site id, say) becomes `error` instead of breaking the tree.
 */
export function useHandle(driver: PulseDriver | null, key: string, register: (driver: PulseDriver) => number): { handle: number | null; error: string | null } {
  const [state, setState] = useState<{ handle: number | null; error: string | null }>({ handle: null, error: null });
  useEffect(() => {
    if (!driver) return;
    let handle: number;
    try {
      handle = register(driver);
    } catch (err) {
      setState({ handle: null, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    setState({ handle, error: null });
    return () => {
      driver.unregister(handle);
      setState({ handle: null, error: null });
    };
    // `register` is a fresh closure every render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [driver, key]);
  return state;
}

/**
 * The identity of a registration's arguments for `useHandle`. Render must not
 * throw on bad arguments (a Symbol in a template literal would): non-strings
 * are described instead, and the registration itself reports them as `error`.
 */
export function registrationKey(...parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : describe(p))).join('|');
}
