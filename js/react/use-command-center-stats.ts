import { useCallback, useEffect, useMemo, useRef } from 'react';
import { boolArg } from '../args.js';
import { pulseError } from '../errors.js';
import type { StatsRange } from '../engine.js';
import { quietRejection } from '../refetch-waiters.js';
import { statsSeedKey } from '../snapshot-keys.js';
import type { CommandCenterP0Stats, LiveOverlay, Provenance, RegistrationSnapshot } from '../types.js';
import { usePulseContext } from './context.js';
import { isEnabled, registrationKey, useHandle, useRegistration } from './use-registration.js';

export interface StatsRangeOverride {
  /** ISO instants, half-open `[from, to)`. */
  from: string;
  to: string;
}

export interface CommandCenterStatsOptions {
  /** Ads-only scope (`p_ads_only`); default false. */
  adsOnly?: boolean;
  /** `false` keeps the hook idle: no registration, no request, no error (default true). */
  enabled?: boolean;
  /**
   * While a new range or scope of the same site loads, show the previous one's data with
   * `isPlaceholderData: true` instead of nothing (default true).
   */
  keepPreviousData?: boolean;
}

export interface CommandCenterStatsResult {
  stats: CommandCenterP0Stats | null;
  /** No data to show yet for this range and scope (the first load). */
  loading: boolean;
  error: string | null;
  /**
   * Refetches now (throttle permitting: within `cadence.refetchThrottleMs` of the last request
   * it goes out on the trailing edge). Resolves with the stats of the answer, rejects with
   * kind `request_failed` / `cancelled`; ignoring the promise is fine.
   */
  refetch: () => Promise<CommandCenterP0Stats | null>;
  dateRange: { from: string; to: string };
  live: LiveOverlay | null;
  provenance: Provenance | null;
  dayKey: string | null;
  /** A request for this range and scope is in flight: the first load or a background refetch. */
  isFetching: boolean;
  /** When the data shown arrived (epoch ms, the engine's clock; the server's for a seed), or null. */
  dataUpdatedAt: number | null;
  /** `stats`, `live` and `provenance` are the previous range's or scope's while this one loads. */
  isPlaceholderData: boolean;
}

type StatsSnap = Extract<RegistrationSnapshot, { type: 'stats' }>;

/** What a view last showed with data, for the next key's placeholder. */
interface Shown {
  key: string;
  siteId: unknown;
  snap: StatsSnap;
}

/**
 * The original hook's signature and return shape, plus `live`, `provenance`
 * and `dayKey`, and what SWR / TanStack Query users expect: `enabled` (and a
 * `null` site id) to stay idle, `isFetching`, `dataUpdatedAt`, the previous
 * data kept while a new range loads, and `refetch()` as a promise. Without
 * `rangeOverride` the range is today in the site's zone and rolls over at
 * midnight by itself. The first render (server and hydration) shows only the
 * server snapshot.
 */
export function useCommandCenterP0Stats(
  siteId: string | null | undefined,
  rangeOverride?: StatsRangeOverride | null,
  options: CommandCenterStatsOptions = {},
): CommandCenterStatsResult {
  const { driver, snapshot, loadError } = usePulseContext();
  const adsOnly = options.adsOnly ?? false;
  const enabled = isEnabled(siteId, options.enabled);
  const keepPrevious = options.keepPreviousData !== false;
  const from = rangeOverride?.from ?? null;
  const to = rangeOverride?.to ?? null;
  // Bad arguments must not throw during render: they reach the registration, which reports them as `error`.
  const seedKey = typeof siteId === 'string' && typeof adsOnly === 'boolean' ? statsSeedKey(siteId, adsOnly) : null;
  const seeded = enabled && from === null && snapshot !== null && seedKey !== null && seedKey in snapshot.stats;

  const fallback = useMemo<StatsSnap>(() => {
    const stats = seeded && seedKey !== null ? (snapshot?.stats[seedKey] ?? null) : null;
    return {
      type: 'stats',
      stats,
      // Idle is not loading: nothing is asked for.
      loading: enabled && !seeded,
      error: null,
      dateRange: from !== null && to !== null ? { from, to } : { from: snapshot?.today.fromIso ?? '', to: snapshot?.today.toIso ?? '' },
      dayKey: from === null ? (snapshot?.dayKey ?? null) : null,
      live: null,
      provenance: null,
      fetchedAtMs: seeded ? (snapshot?.nowMs ?? null) : null,
      fetching: false,
      settledRequestId: null,
    };
  }, [snapshot, seedKey, seeded, from, to, enabled]);

  const key = registrationKey(siteId, adsOnly, from, to, seeded);
  const reg = useHandle(
    driver,
    key,
    (d) => {
      if (options.enabled !== undefined) boolArg('options.enabled', options.enabled);
      if (options.keepPreviousData !== undefined) boolArg('options.keepPreviousData', options.keepPreviousData);
      const range: StatsRange = from !== null && to !== null ? { fromMs: Date.parse(from), toMs: Date.parse(to) } : 'today';
      const seed = seeded && snapshot && seedKey !== null ? { data: snapshot.stats[seedKey], fetchedAtMs: snapshot.nowMs } : undefined;
      return d.registerStats(siteId as string, range, adsOnly, seed);
    },
    enabled,
  );
  // Until the effect re-registers, the handle (and its snapshot) is the previous key's.
  const current = reg.key === key;
  const handle = current ? reg.handle : null;
  const error = current ? reg.error : null;
  const snap = useRegistration(driver, handle, fallback) as StatsSnap;

  // The last view with data; read during render only to fill a new key's placeholder.
  const shown = useRef<Shown | null>(null);
  const hasData = snap.fetchedAtMs !== null;
  useEffect(() => {
    if (hasData && handle !== null) shown.current = { key, siteId, snap };
  });
  const previous = shown.current;
  // Only while this key is loading: its first answer or error ends the placeholder.
  const placeholder = keepPrevious && enabled && error === null && snap.loading && previous !== null && previous.key !== key && previous.siteId === siteId ? previous.snap : null;

  const refetch = useCallback((): Promise<CommandCenterP0Stats | null> => {
    if (driver && handle !== null) return driver.refetch(handle);
    return quietRejection(pulseError('cancelled', enabled ? 'the stats hook is not registered yet (the engine is loading)' : 'the stats hook is disabled'));
  }, [driver, handle, enabled]);

  return useMemo(() => {
    const data = placeholder ?? snap;
    const failed = (enabled ? loadError?.message : undefined) ?? null;
    return {
      stats: data.stats,
      loading: error === null && !failed && placeholder === null && snap.loading,
      error: error ?? failed ?? snap.error,
      refetch,
      dateRange: snap.dateRange,
      live: data.live,
      provenance: data.provenance,
      dayKey: snap.dayKey,
      isFetching: snap.fetching,
      dataUpdatedAt: data.fetchedAtMs,
      isPlaceholderData: placeholder !== null,
    };
  }, [snap, placeholder, error, loadError, refetch, enabled]);
}
