// `toIsoString` is the Rust core's formatter (src/time/instant.rs), the same
// one the engine uses for its RPC parameters: one implementation, so the
// text the dashboard shows and the text it sends cannot drift apart. The
// core validates like `new Date(ms)` (fractions truncate toward zero, so
// -0.5 is the epoch) and throws kind 'invalid_instant' where Date throws.
import * as wasm from '../pkg/opsmantik_pulse.js';

/** ISO-8601 UTC text of an epoch-ms instant, byte-identical to `Date.prototype.toISOString`. */
export const toIsoString: (ms: number) => string = wasm.toIsoString;
