import { useCallback, useMemo } from 'react';
import type { StatsRange } from '../engine.js';
import { statsSeedKey } from '../snapshot-keys.js';
import type { CommandCenterP0Stats, LiveOverlay, Provenance, RegistrationSnapshot } from '../types.js';
import { usePulseContext } from './context.js';
import { registrationKey, useHandle, useRegistration } from './use-registration.js';

export interface StatsRangeOverride {
  /** ISO instants, half-open `[from, to)`. */
  from: string;
  to: string;
}

export interface CommandCenterStatsOptions {
  /** Ads-only scope (`p_ads_only`); default false. */
  adsOnly?: boolean;
}

export interface CommandCenterStatsResult {
  stats: CommandCenterP0Stats | null;
  loading: boolean;
  error: string | null;
  refetch: () => void;
  dateRange: { from: string; to: string };
  live: LiveOverlay | null;
  provenance: Provenance | null;
  dayKey: string | null;
}

type StatsSnap = Extract<RegistrationSnapshot, { type: 'stats' }>;

/**
 * The original hook's signature and return shape, plus `live`, `provenance`
 * and `dayKey`. Without `rangeOverride` the range is today in the site's zone
 * and rolls over at midnight by itself. The first render (server and
 * hydration) shows only the server snapshot.
 */
export function useCommandCenterP0Stats(siteId: string, rangeOverride?: StatsRangeOverride | null, options: CommandCenterStatsOptions = {}): CommandCenterStatsResult {
  const { driver, snapshot, loadError } = usePulseContext();
  const adsOnly = options.adsOnly ?? false;
  const from = rangeOverride?.from ?? null;
  const to = rangeOverride?.to ?? null;
  // Bad arguments must not throw during render: they reach the registration, which reports them as `error`.
  const seedKey = typeof siteId === 'string' && typeof adsOnly === 'boolean' ? statsSeedKey(siteId, adsOnly) : null;
  const seeded = from === null && snapshot !== null && seedKey !== null && seedKey in snapshot.stats;

  const fallback = useMemo<StatsSnap>(() => {
    const stats = from === null && seedKey !== null ? (snapshot?.stats[seedKey] ?? null) : null;
    return {
      type: 'stats',
      stats,
      loading: !seeded,
      error: null,
      dateRange: from !== null && to !== null ? { from, to } : { from: snapshot?.today.fromIso ?? '', to: snapshot?.today.toIso ?? '' },
      dayKey: from === null ? (snapshot?.dayKey ?? null) : null,
      live: null,
      provenance: null,
      fetchedAtMs: seeded ? (snapshot?.nowMs ?? null) : null,
    };
  }, [snapshot, seedKey, seeded, from, to]);

  const { handle, error } = useHandle(driver, registrationKey(siteId, adsOnly, from, to, seeded), (d) => {
    const range: StatsRange = from !== null && to !== null ? { fromMs: Date.parse(from), toMs: Date.parse(to) } : 'today';
    const seed = seeded && snapshot && seedKey !== null ? { data: snapshot.stats[seedKey], fetchedAtMs: snapshot.nowMs } : undefined;
    return d.registerStats(siteId, range, adsOnly, seed);
  });

  const snap = useRegistration(driver, handle, fallback) as StatsSnap;
  const refetch = useCallback(() => {
    if (driver && handle !== null) driver.refetch(handle);
  }, [driver, handle]);
  return useMemo(
    () => ({
      stats: snap.stats,
      loading: error === null && !loadError && snap.loading,
      error: error ?? loadError?.message ?? snap.error,
      refetch,
      dateRange: snap.dateRange,
      live: snap.live,
      provenance: snap.provenance,
      dayKey: snap.dayKey,
    }),
    [snap, error, loadError, refetch],
  );
}
