//! The TS type of every serde shape that crosses the wasm boundary, generated
//! from the Rust types themselves (ts-rs, behind the crate's `ts` feature so the
//! wasm never links it): `js/generated/core-types.ts`. The field names and
//! casing are serde's, so the TS side cannot spell a field differently from
//! what the core sends. This test fails when the committed file differs;
//! `UPDATE_GENERATED=1 cargo test --test native generated` rewrites it.

use opsmantik_pulse::engine::{AbortReason, Command, CommandDrops, Counters, DateRangeIso, Dropped, LogEntry, PayloadCounts, RangeSpec, RegistrationSnapshot, RequestCounts, RequestKind, RequestReason, StatsKey, StatsSnapshot, Wake};
use opsmantik_pulse::realtime::{AdsDecision, AdsKind, ChannelStatus, DropCounts, DropReason, NotificationKind, RealtimeState, Table};
use opsmantik_pulse::stats::{CommandCenterP0Stats, FieldSource, FieldSources, IssueCode, LiveOverlay, MergePolicy, Merged, OverlayCounts, OverlayReply, OverlayStatus, Provenance, StatsIssue};
use opsmantik_pulse::time::{DayRange, SpanRange};
use opsmantik_pulse::ErrorKind;
use ts_rs::{Config, TS};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/generated/core-types.ts");

/// One exported declaration, with the Rust doc comment as its TSDoc (ts-rs formats it).
fn declare<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}\n\n", T::decl(cfg))
}

fn render() -> String {
    // Every integer crosses as a JS number (ids, counts and instants stay below 2^53).
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by tests/native/generated_types.rs; do not edit.\n\
         // `UPDATE_GENERATED=1 cargo test --test native generated` rewrites it; `npm test` fails if it drifts.\n\n",
    );
    for decl in [
        declare::<serde_json::Value>(&cfg),
        declare::<ErrorKind>(&cfg),
        declare::<DayRange>(&cfg),
        declare::<SpanRange>(&cfg),
        declare::<MergePolicy>(&cfg),
        declare::<IssueCode>(&cfg),
        declare::<StatsIssue>(&cfg),
        declare::<CommandCenterP0Stats>(&cfg),
        declare::<OverlayCounts>(&cfg),
        declare::<OverlayReply>(&cfg),
        declare::<LiveOverlay>(&cfg),
        declare::<OverlayStatus>(&cfg),
        declare::<FieldSource>(&cfg),
        declare::<FieldSources>(&cfg),
        declare::<Provenance>(&cfg),
        declare::<Merged>(&cfg),
        declare::<AdsKind>(&cfg),
        declare::<AdsDecision>(&cfg),
        declare::<Table>(&cfg),
        declare::<ChannelStatus>(&cfg),
        declare::<RealtimeState>(&cfg),
        declare::<NotificationKind>(&cfg),
        declare::<DropReason>(&cfg),
        declare::<DropCounts>(&cfg),
        declare::<RequestKind>(&cfg),
        declare::<RequestReason>(&cfg),
        declare::<AbortReason>(&cfg),
        declare::<Command>(&cfg),
        declare::<DateRangeIso>(&cfg),
        declare::<StatsSnapshot>(&cfg),
        declare::<RegistrationSnapshot>(&cfg),
        declare::<RequestCounts>(&cfg),
        declare::<PayloadCounts>(&cfg),
        declare::<CommandDrops>(&cfg),
        declare::<Dropped>(&cfg),
        declare::<Counters>(&cfg),
        declare::<LogEntry>(&cfg),
        declare::<RangeSpec>(&cfg),
        declare::<StatsKey>(&cfg),
        declare::<Wake>(&cfg),
    ] {
        out += &decl;
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn generated_types_match_the_core() {
    crate::generated_ts::check_generated(PATH, &render());
}
