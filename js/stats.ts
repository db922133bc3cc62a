// Stats normalization and the overlay merge, typed (the rules live in the Rust core).
import * as wasm from '../pkg/opsmantik_pulse.js';
import { pulseError, toJsonText } from './json-text.js';
import type { CommandCenterP0Stats, MergeOptions, MergeResult, OverlayReply } from './types.js';

/** What PostgREST returned (object, one-element array, empty array, null) → a typed snapshot, or null. */
export function normalizeP0Stats(raw: unknown): CommandCenterP0Stats | null {
  return JSON.parse(wasm.normalizeP0StatsJson(toJsonText(raw, 'raw')));
}

/** A raw `/api/stats/realtime` reply → counts, fallback, or an error naming what is wrong. */
export function normalizeOverlay(raw: unknown): OverlayReply {
  return JSON.parse(wasm.normalizeOverlayJson(toJsonText(raw, 'overlay')));
}

/**
 * Merges a normalized snapshot with a raw overlay reply under a policy.
 * `stats` must come from `normalizeP0Stats` (or be null); `overlay` is the raw reply (or null).
 */
export function mergeOverlay(stats: CommandCenterP0Stats | null, overlay: unknown, options: MergeOptions): MergeResult {
  if (options === null || typeof options !== 'object') {
    throw pulseError('invalid_argument', 'mergeOverlay options must be an object with nowMs');
  }
  return JSON.parse(
    wasm.mergeOverlayJson(
      toJsonText(stats, 'stats'),
      toJsonText(overlay, 'overlay'),
      options.policy,
      options.nowMs,
      options.timeZone,
      options.overlayReceivedAtMs,
      options.snapshotFetchedAtMs,
    ),
  );
}
