//! The cadences a page may set (`PulseProvider`'s `cadence` prop, the
//! driver's `cadence` option): the defaults are `timing.rs`'s constants, the
//! names and bounds live in [`CADENCE_FIELDS`] (the TS facts are generated
//! from it), and every value is checked here, so a bad one is an `Error`
//! with kind `invalid_cadence` whose message names the field.
//!
//! Bounds are there to protect the server and the page, not to forbid
//! taste: a poll faster than once a second or a request timeout under a
//! second would hammer the database from every open tab; an hour is the
//! longest any of these can usefully wait.

use serde_json::Value;

use crate::engine::timing::{
    ERROR_BACKOFF_BASE_MS, ERROR_BACKOFF_CAP_MS, OVERLAY_POLL_FAST_MS, OVERLAY_POLL_SLOW_MS, PROBE_FAST_MS, PROBE_SLOW_MS, REFETCH_THROTTLE_MS,
    REQUEST_TIMEOUT_MS, STALE_AFTER_MS, STATS_REFRESH_WITHOUT_REALTIME_MS,
};
use crate::error::{Error, ErrorKind, Result};

/// The settable cadences, in ms (see `timing.rs` for what each is for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    pub overlay_poll_fast_ms: i64,
    pub overlay_poll_slow_ms: i64,
    pub probe_fast_ms: i64,
    pub probe_slow_ms: i64,
    pub refetch_throttle_ms: i64,
    pub request_timeout_ms: i64,
    pub refresh_without_realtime_ms: i64,
    pub stale_after_ms: i64,
    pub error_backoff_base_ms: i64,
    pub error_backoff_cap_ms: i64,
}

impl Default for Cadence {
    fn default() -> Self {
        let mut c = Cadence {
            overlay_poll_fast_ms: 0,
            overlay_poll_slow_ms: 0,
            probe_fast_ms: 0,
            probe_slow_ms: 0,
            refetch_throttle_ms: 0,
            request_timeout_ms: 0,
            refresh_without_realtime_ms: 0,
            stale_after_ms: 0,
            error_backoff_base_ms: 0,
            error_backoff_cap_ms: 0,
        };
        for f in &CADENCE_FIELDS {
            *(f.slot)(&mut c) = f.default_ms;
        }
        c
    }
}

/// One settable cadence: its JS name, default, bounds and what it does.
pub struct CadenceField {
    /// The option's name in JS (`cadence.overlayPollFastMs`).
    pub name: &'static str,
    pub default_ms: i64,
    pub min_ms: i64,
    pub max_ms: i64,
    /// What it paces, for the generated TS docs only (the wasm does not carry it).
    #[cfg(feature = "ts")]
    pub doc: &'static str,
    slot: fn(&mut Cadence) -> &mut i64,
}

impl CadenceField {
    pub fn get(&self, cadence: &Cadence) -> i64 {
        let mut c = *cadence;
        *(self.slot)(&mut c)
    }
}

const SECOND: i64 = 1_000;
const HOUR: i64 = 3_600_000;

/// Every settable cadence, with its default from `timing.rs`.
pub const CADENCE_FIELDS: [CadenceField; 10] = [
    CadenceField {
        name: "overlayPollFastMs",
        default_ms: OVERLAY_POLL_FAST_MS,
        min_ms: SECOND,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Overlay poll while the site is live.",
        slot: |c| &mut c.overlay_poll_fast_ms,
    },
    CadenceField {
        name: "overlayPollSlowMs",
        default_ms: OVERLAY_POLL_SLOW_MS,
        min_ms: SECOND,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Overlay poll while the site is quiet (at least overlayPollFastMs).",
        slot: |c| &mut c.overlay_poll_slow_ms,
    },
    CadenceField {
        name: "probeFastMs",
        default_ms: PROBE_FAST_MS,
        min_ms: SECOND,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Activity probe for a few ticks after start or a signal.",
        slot: |c| &mut c.probe_fast_ms,
    },
    CadenceField {
        name: "probeSlowMs",
        default_ms: PROBE_SLOW_MS,
        min_ms: SECOND,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Activity probe otherwise (at least probeFastMs).",
        slot: |c| &mut c.probe_slow_ms,
    },
    CadenceField {
        name: "refetchThrottleMs",
        default_ms: REFETCH_THROTTLE_MS,
        min_ms: 0,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Minimum spacing of stats requests per key, refetch() included (leading and trailing edge).",
        slot: |c| &mut c.refetch_throttle_ms,
    },
    CadenceField {
        name: "requestTimeoutMs",
        default_ms: REQUEST_TIMEOUT_MS,
        min_ms: SECOND,
        max_ms: 10 * 60 * SECOND,
        #[cfg(feature = "ts")]
        doc: "A request unanswered this long fails and its AbortSignal aborts.",
        slot: |c| &mut c.request_timeout_ms,
    },
    CadenceField {
        name: "refreshWithoutRealtimeMs",
        default_ms: STATS_REFRESH_WITHOUT_REALTIME_MS,
        min_ms: SECOND,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Stats covering now refresh this often while no channel is SUBSCRIBED.",
        slot: |c| &mut c.refresh_without_realtime_ms,
    },
    CadenceField {
        name: "staleAfterMs",
        default_ms: STALE_AFTER_MS,
        min_ms: 0,
        max_ms: 24 * HOUR,
        #[cfg(feature = "ts")]
        doc: "Back from hidden or offline, data older than this is refetched once; a server seed this young is not refetched at mount.",
        slot: |c| &mut c.stale_after_ms,
    },
    CadenceField {
        name: "errorBackoffBaseMs",
        default_ms: ERROR_BACKOFF_BASE_MS,
        min_ms: 100,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "First retry delay after a failed request (doubles per failure, jittered).",
        slot: |c| &mut c.error_backoff_base_ms,
    },
    CadenceField {
        name: "errorBackoffCapMs",
        default_ms: ERROR_BACKOFF_CAP_MS,
        min_ms: 100,
        max_ms: HOUR,
        #[cfg(feature = "ts")]
        doc: "Longest retry delay (at least errorBackoffBaseMs).",
        slot: |c| &mut c.error_backoff_cap_ms,
    },
];

/// Pairs where the first must not exceed the second.
const ORDERED: [(&str, &str); 3] = [("overlayPollFastMs", "overlayPollSlowMs"), ("probeFastMs", "probeSlowMs"), ("errorBackoffBaseMs", "errorBackoffCapMs")];

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidCadence, message)
}

impl Cadence {
    /// The defaults overridden by `overrides`, a JSON object of `name: ms`
    /// (`null` or an absent name keeps the default). An unknown name, a
    /// value that is not a whole number, one out of its bounds, or a fast
    /// cadence slower than its slow one is an `invalid_cadence` error naming the field.
    pub fn from_overrides(overrides: &Value) -> Result<Self> {
        let mut cadence = Cadence::default();
        let map = match overrides {
            Value::Null => return Ok(cadence),
            Value::Object(map) => map,
            other => return Err(invalid(format!("cadence must be an object of cadence names to ms, got {}", json_kind(other)))),
        };
        for (name, value) in map {
            let Some(field) = CADENCE_FIELDS.iter().find(|f| f.name == name) else {
                // Joined by hand: `[&str]::join` would be its own code in the wasm for this one message.
                let mut known = String::new();
                for (i, f) in CADENCE_FIELDS.iter().enumerate() {
                    known.push_str(if i == 0 { "" } else { ", " });
                    known.push_str(f.name);
                }
                let shown = crate::text::cap(name, 64);
                return Err(invalid(format!("cadence.{shown} is not a cadence; known: {known}")));
            };
            if value.is_null() {
                continue;
            }
            let ms = value.as_i64().filter(|_| value.is_i64() || value.is_u64());
            let Some(ms) = ms else {
                return Err(invalid(format!("cadence.{name} must be a whole number of ms, got {}", json_kind(value))));
            };
            if ms < field.min_ms || ms > field.max_ms {
                return Err(invalid(format!("cadence.{name} must be between {} and {} ms, got {ms}", field.min_ms, field.max_ms)));
            }
            *(field.slot)(&mut cadence) = ms;
        }
        cadence.check_order()?;
        Ok(cadence)
    }

    fn check_order(&self) -> Result<()> {
        for (fast, slow) in ORDERED {
            let value = |name: &str| CADENCE_FIELDS.iter().find(|f| f.name == name).map_or(0, |f| f.get(self));
            let (a, b) = (value(fast), value(slow));
            if a > b {
                return Err(invalid(format!("cadence.{fast} ({a} ms) must not exceed cadence.{slow} ({b} ms)")));
            }
        }
        Ok(())
    }
}

fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string '{}'", crate::text::cap(s, 40)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_are_the_timing_constants() {
        let c = Cadence::default();
        assert_eq!(c.overlay_poll_fast_ms, OVERLAY_POLL_FAST_MS);
        assert_eq!(c.request_timeout_ms, REQUEST_TIMEOUT_MS);
        assert_eq!(c.refetch_throttle_ms, REFETCH_THROTTLE_MS);
        assert_eq!(Cadence::from_overrides(&json!({})), Ok(c));
        assert_eq!(Cadence::from_overrides(&Value::Null), Ok(c));
    }

    #[test]
    fn an_override_sets_only_its_field() {
        let c = Cadence::from_overrides(&json!({"requestTimeoutMs": 5000, "overlayPollSlowMs": null})).unwrap();
        assert_eq!(c.request_timeout_ms, 5000);
        assert_eq!(c.overlay_poll_slow_ms, OVERLAY_POLL_SLOW_MS);
    }

    #[test]
    fn every_bad_value_names_its_field() {
        let cases = [
            (json!({"overlayPollFastMs": 10}), "cadence.overlayPollFastMs must be between"),
            (json!({"requestTimeoutMs": 1.5}), "cadence.requestTimeoutMs must be a whole number of ms, got number 1.5"),
            (json!({"requestTimeoutMs": "5000"}), "cadence.requestTimeoutMs must be a whole number"),
            (json!({"refetchThrottleMs": -1}), "cadence.refetchThrottleMs must be between 0"),
            (json!({"overlayPollFast": 1000}), "cadence.overlayPollFast is not a cadence"),
            (json!({"probeFastMs": 20000, "probeSlowMs": 10000}), "cadence.probeFastMs (20000 ms) must not exceed cadence.probeSlowMs"),
            (json!({"errorBackoffBaseMs": 90000}), "cadence.errorBackoffBaseMs (90000 ms) must not exceed cadence.errorBackoffCapMs"),
            (json!([1]), "cadence must be an object"),
        ];
        for (input, want) in cases {
            let err = Cadence::from_overrides(&input).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidCadence, "{input}");
            assert!(err.message().starts_with(want), "{input}: {}", err.message());
        }
    }
}
