// Stats normalization and the overlay merge, typed (the rules live in the Rust core).
// JSON over the core's 1 MiB limit is refused here, before it is copied in.
import * as wasm from '../pkg/opsmantik_pulse.js';
import { objectFields, shortName } from './args.js';
import { boundedJsonText } from './json-text.js';
import type { CommandCenterP0Stats, MergeOptions, MergeResult, OverlayReply } from './types.js';

/** What PostgREST returned (object, one-element array, empty array, null) → a typed snapshot, or null. */
export function normalizeP0Stats(raw: unknown): CommandCenterP0Stats | null {
  return JSON.parse(wasm.normalizeP0StatsJson(boundedJsonText(raw, 'raw', 'invalid_stats')));
}

/** A raw `/api/stats/realtime` reply → counts, fallback, or an error naming what is wrong. */
export function normalizeOverlay(raw: unknown): OverlayReply {
  return JSON.parse(wasm.normalizeOverlayJson(boundedJsonText(raw, 'overlay', 'invalid_stats')));
}

const MERGE_OPTIONS = ['policy', 'nowMs', 'timeZone', 'overlayReceivedAtMs', 'snapshotFetchedAtMs'] as const;

/**
 * Merges a normalized snapshot with a raw overlay reply under a policy.
 * `stats` must come from `normalizeP0Stats` (or be null); `overlay` is the raw reply (or null).
 */
export function mergeOverlay(stats: CommandCenterP0Stats | null, overlay: unknown, options: MergeOptions): MergeResult {
  const o = objectFields('mergeOverlay options', options, MERGE_OPTIONS);
  return JSON.parse(
    wasm.mergeOverlayJson(
      boundedJsonText(stats, 'stats', 'invalid_stats'),
      boundedJsonText(overlay, 'overlay', 'invalid_stats'),
      shortName('policy', o.policy),
      o.nowMs,
      shortName('timeZone', o.timeZone, 'unknown_time_zone'),
      o.overlayReceivedAtMs,
      o.snapshotFetchedAtMs,
    ),
  );
}
