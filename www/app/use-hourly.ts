'use client';
// The hourly series, refreshed when the engine says the numbers moved: a new
// stats snapshot (calls changed), a rise in the live overlay (events
// arrived), a new day or another scope. So the chart has no timer of its
// own and, like the engine, asks nothing while the tab is hidden or offline.
import { useEffect, useRef, useState } from 'react';
import type { HourlySeries } from '@/lib/hourly';

export function useHourly(siteId: string, initial: HourlySeries, adsOnly: boolean, changeKey: string): HourlySeries {
  const [series, setSeries] = useState(initial);
  const first = useRef(`${adsOnly}|${changeKey}`);
  useEffect(() => {
    const key = `${adsOnly}|${changeKey}`;
    // The server rendered the first key's numbers: no request for them.
    if (key === first.current) return;
    first.current = '';
    const abort = new AbortController();
    fetch(`/api/demo/hourly?siteId=${encodeURIComponent(siteId)}&scope=${adsOnly ? 'ads' : 'all'}`, { signal: abort.signal })
      .then((r) => (r.ok ? (r.json() as Promise<HourlySeries>) : null))
      .then((next) => { if (next) setSeries(next); })
      .catch(() => {}); // aborted or failed: the chart keeps the last numbers it had
    return () => abort.abort();
  }, [siteId, adsOnly, changeKey]);
  return series;
}
