import { optionalFunctionArg, optionalStringArg, optionFields, stringArg } from '../args.js';
import { signalOption } from './signal.js';
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
export function fetchOverlayAdapter(options?: FetchOverlayOptions | null): OverlayAdapter {
  const o = optionFields('fetchOverlayAdapter options', options, ['baseUrl', 'fetch']);
  const base = optionalStringArg('options.baseUrl', o.baseUrl) ?? '';
  const customFetch = optionalFunctionArg<typeof globalThis.fetch>('options.fetch', o.fetch);
  const get = async (url: string, signal: AbortSignal | undefined): Promise<string> => {
    const res = await (customFetch ?? globalThis.fetch)(url, signal ? { cache: 'no-store', signal } : { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  };
  return {
    // Checked before the request starts: a bad id is a synchronous error, not a rejected promise.
    fetchOverlay: (siteId, options) => get(`${base}/api/stats/realtime?siteId=${encodeURIComponent(stringArg('siteId', siteId))}`, signalOption(options)),
  };
}
