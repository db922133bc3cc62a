import type { OverlayAdapter } from './types.js';

export interface FetchOverlayOptions {
  /** Prefix for the route, e.g. `https://dash.example.com` (default: same origin). */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * `GET {baseUrl}/api/stats/realtime?siteId=…`, the id URL-encoded (the core has
 * already validated it). Non-2xx answers reject, so the engine backs off.
 */
export function fetchOverlayAdapter(options: FetchOverlayOptions = {}): OverlayAdapter {
  const base = options.baseUrl ?? '';
  return {
    async fetchOverlay(siteId) {
      const doFetch = options.fetch ?? globalThis.fetch;
      const res = await doFetch(`${base}/api/stats/realtime?siteId=${encodeURIComponent(siteId)}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    },
  };
}
