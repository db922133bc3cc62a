//! Native integration tests, one entry point (like jiff's `tests/lib.rs`).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "native/day_range_vectors.rs"]
mod day_range_vectors;
#[path = "native/day_range_props.rs"]
mod day_range_props;
#[path = "native/stats_merge.rs"]
mod stats_merge;
#[path = "native/realtime_scenarios.rs"]
mod realtime_scenarios;
#[path = "native/engine_harness.rs"]
mod engine_harness;
#[path = "native/engine_scenarios.rs"]
mod engine_scenarios;
#[path = "native/engine_props.rs"]
mod engine_props;
#[path = "native/engine_reliability.rs"]
mod engine_reliability;
#[path = "native/generated_ts.rs"]
mod generated_ts;
#[path = "native/generated_types.rs"]
mod generated_types;
#[path = "native/engine_swr.rs"]
mod engine_swr;
#[path = "native/json_shapes.rs"]
mod json_shapes;
