import { useCallback, useEffect, useMemo, useRef } from 'react';
import { boolArg } from '../args.js';
import type { RealtimeCallbacks } from '../driver.js';
import type { RealtimeState, RegistrationSnapshot } from '../types.js';
import { usePulseContext } from './context.js';
import { isEnabled, registrationKey, useHandle, useRegistration } from './use-registration.js';

export interface RealtimeDashboardOptions {
  /** Ads-only mode: calls and events reach callbacks only when their session is ads. */
  adsOnly?: boolean;
  /** `false` keeps the hook idle: no channel, no request, no error, status `INIT` (default true). */
  enabled?: boolean;
}

export type RealtimeDashboardResult = RealtimeState & { reconnect: () => void };

const INITIAL: RegistrationSnapshot = {
  type: 'realtime', isConnected: false, connectionStatus: 'INIT', isLive: false, adsLive: false,
  lastEventAt: null, lastSignalAt: null, lastSignalType: null, eventCount: 0, error: null,
};

/**
 * The original hook's signature and state. However many components call it
 * for a site, the page has one channel; callbacks may change every render
 * without resubscribing (the latest ones are called).
 */
export function useRealtimeDashboard(siteId: string | null | undefined, callbacks?: RealtimeCallbacks, options: RealtimeDashboardOptions = {}): RealtimeDashboardResult {
  const { driver, loadError, preconnect } = usePulseContext();
  const adsOnly = options.adsOnly ?? false;
  // A null site id (SWR's null key) or `enabled: false`: idle until given.
  const enabled = isEnabled(siteId, options.enabled);
  const latest = useRef(callbacks);
  useEffect(() => {
    latest.current = callbacks;
  });
  // While the wasm downloads, the channel opens already (the engine adopts it): live sooner.
  useEffect(() => {
    if (!driver && enabled && preconnect) preconnect(siteId as string);
  }, [driver, enabled, preconnect, siteId]);
  const key = registrationKey(siteId, adsOnly);
  const reg = useHandle(
    driver,
    key,
    (d) => {
      if (options.enabled !== undefined) boolArg('options.enabled', options.enabled);
      return d.registerRealtime(siteId as string, adsOnly, () => latest.current);
    },
    enabled,
  );
  // Until the effect re-registers, the handle is the previous site's.
  const handle = reg.key === key ? reg.handle : null;
  const error = reg.key === key ? reg.error : null;

  const snap = useRegistration(driver, handle, INITIAL);
  const reconnect = useCallback(() => {
    if (driver && handle !== null) driver.reconnect(handle);
  }, [driver, handle]);
  return useMemo(() => {
    const { type: _type, ...state } = snap as Extract<RegistrationSnapshot, { type: 'realtime' }>;
    // A failed wasm load (retried by the provider) is the hook's error until it loads.
    const failed = enabled && !driver && loadError ? { connectionStatus: 'ERROR' as const, error: loadError.message } : null;
    return { ...state, error: error ?? state.error, ...failed, reconnect };
  }, [snap, error, driver, loadError, reconnect, enabled]);
}
