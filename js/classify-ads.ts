// `classifyAds`: the original's ads decision for a postgres_changes payload
// (its `new` row) or a row, computed by the core (src/realtime/classify.rs).
import * as wasm from '../pkg/opsmantik_pulse.js';
import { boundedJsonText } from './json-text.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';
import type { AdsDecision } from './types.js';

/** The ads decision for a postgres_changes payload (its `new` row) or a row. */
export function classifyAds(payload: unknown): AdsDecision {
  return JSON.parse(wasm.classifyAdsJson(boundedJsonText(payload, 'payload', 'invalid_payload', MAX_PAYLOAD_BYTES)));
}
