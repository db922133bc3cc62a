import { useCallback, useSyncExternalStore } from 'react';
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
