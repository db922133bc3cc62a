// The engine's identifiers in words, for the devtools panel: why a request
// went out, why the engine wakes next, what a channel status means. Keyed by
// the generated lists (js/generated/core-facts.ts), so a new reason in the
// core fails type-checking here until it has words.
import type { RequestKind, RequestReason } from '../types.js';

const REASONS: Record<RequestReason, string> = {
  startup: 'first load',
  calls_change: 'calls changed',
  catch_up: 'catch-up after a gap',
  back_from_hidden: 'tab visible again',
  rollover: 'midnight rollover',
  retry: 'retry after an error',
  manual: 'asked by hand',
  timed_refresh: 'timed refresh',
  cadence: 'regular poll',
  session_lookup: "event's session lookup",
};

export function reasonWords(reason: string): string {
  return (REASONS as Record<string, string>)[reason] ?? reason.replace(/_/g, ' ');
}

const KINDS: Record<RequestKind | 'overlay', string> = { stats: 'Stats', overlay: 'Overlay poll', probe: 'Activity probe', lookup: 'Session lookup', replay: 'Replay' };

export function kindWords(kind: string): string {
  return (KINDS as Record<string, string>)[kind] ?? kind;
}

const WAKES: Record<string, string> = {
  request_timeout: 'a request times out',
  rollover: 'midnight rollover',
  stats_fetch: 'stats fetch due',
  reconnect: 'reconnect after backoff',
  probe: 'activity probe due',
  overlay_poll: 'overlay poll due',
  live_expiry: '"live" expires (no activity for 5 min)',
  relative_label: 'a "…ago" label changes',
};

export function wakeWords(wake: unknown): string {
  const kind = wake && typeof wake === 'object' ? String((wake as { kind?: unknown }).kind) : '';
  return WAKES[kind] ?? (kind ? kind.replace(/_/g, ' ') : 'unknown');
}

const STATUSES: Record<string, string> = {
  INIT: 'not started', STARTING: 'connecting', SUBSCRIBED: 'live', CHANNEL_ERROR: 'error', TIMED_OUT: 'timed out', CLOSED: 'closed',
  RECONNECTING: 'reconnecting', ERROR: 'error',
};

export function statusWords(status: string): string {
  return STATUSES[status] ?? status.toLowerCase();
}

/** `850 ms`, `2.4 s`, `3 min 5 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The site id as people can tell it apart: its last 6 characters. */
export function shortSite(siteId: string): string {
  return siteId.length > 8 ? `…${siteId.slice(-6)}` : siteId;
}
