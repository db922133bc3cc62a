//! The thin `#[wasm_bindgen]` edge (wasm32 only). It converts JS values to
//! core types, calls the core, and turns every core error into a thrown JS
//! `Error` whose `kind` property is the error kind. Nothing here may panic:
//! a panic aborts the wasm instance and with it every hook on the page.

mod engine_exports;
mod js_args;
mod realtime_exports;
mod stats_exports;
mod time_exports;
mod zone_exports;

pub use engine_exports::*;
pub use realtime_exports::*;
pub use stats_exports::*;
pub use time_exports::*;
pub use zone_exports::*;
