//! # opsmantik-pulse
//!
//! The live-update core of the OpsMantik dashboard, as a sans-IO Rust crate
//! compiled to WebAssembly. Nothing in the core reads a clock or does IO: time
//! enters as `now_ms`, results come back as inputs.
//!
//! Map of the crate:
//! - [`time`]: local-day ranges in a site's IANA zone (default `Europe/Istanbul`).
//! - [`text`]: byte caps for every string the crate keeps.
//! - [`error`]: the one error type; messages name the bad input.
//! - [`json`]: the JSON reader (strict, bounded nesting, borrowed strings).
//! - `bindings` (wasm32 only): the thin `#[wasm_bindgen]` edge. It converts JS
//!   values, maps errors to thrown `Error`s, and never panics.
//!
//! ```
//! let r = opsmantik_pulse::time::day_range_for_key("2026-02-02", "Turkey").unwrap();
//! assert_eq!((r.from_iso.as_str(), r.to_iso.as_str()), ("2026-02-01T21:00:00.000Z", "2026-02-02T21:00:00.000Z"));
//! ```

pub mod backoff;
pub mod engine;
pub mod error;
pub mod id_hasher;
pub mod json;
pub mod realtime;
pub mod site_id;
pub mod stats;
pub mod text;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use error::{Error, ErrorKind, Result};
