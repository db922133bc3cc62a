//! The facts the TS layer shares with the core, generated from the core:
//! `js/generated/core-facts.ts`. This test renders the file from the Rust
//! constants and enums and fails when the committed file differs, so the two
//! languages cannot drift. To update: `UPDATE_GENERATED=1 cargo test --test native generated`.

use opsmantik_pulse::engine::{AbortReason, RequestKind, RequestReason, BATCH_RECORDS, FLUSH_CHANGE_FIELDS, FLUSH_HEADER, RELATIVE_LABEL_BANDS, CADENCE_FIELDS, SESSION_LOOKUP_PARAMS, SESSION_LOOKUP_RPC};
use opsmantik_pulse::realtime::{ChannelStatus, CHANNEL_PREFIX, DropReason, NotificationKind, SlotTag, Table, REALTIME_STATE_FIELDS, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, META_FIELDS, PAYLOAD_FIELDS, ROW_FIELDS};
use opsmantik_pulse::stats::{IssueCode, MAX_JSON_BYTES};
use opsmantik_pulse::site_id::{UUID_DASH_AT, UUID_LENGTH};
use opsmantik_pulse::time::DEFAULT_TIME_ZONE;
use serde::Serialize;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/generated/core-facts.ts");

/// A serde variant's wire name.
fn wire<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn list<T: Serialize>(name: &str, doc: &str, all: &[T]) -> String {
    let items: Vec<String> = all.iter().map(|v| format!("'{}'", wire(v))).collect();
    format!("/** {doc} */\nexport const {name} = [{}] as const;\n", items.join(", "))
}

fn names(name: &str, doc: &str, all: &[&str]) -> String {
    let items: Vec<String> = all.iter().map(|v| format!("'{v}'")).collect();
    format!("/** {doc} */\nexport const {name} = [{}] as const;\n", items.join(", "))
}

fn render() -> String {
    let mut out = String::from(
        "// Generated from the Rust core by tests/native/generated_ts.rs; do not edit.\n\
         // `UPDATE_GENERATED=1 cargo test --test native generated` rewrites it; `npm test` fails if it drifts.\n\n",
    );
    out += &format!("/** The zone of \"today\" when none is given. */\nexport const DEFAULT_TIME_ZONE = '{DEFAULT_TIME_ZONE}';\n");
    out += &format!("/** Largest payload, as JSON text (src/realtime/payload_limits.rs). */\nexport const MAX_PAYLOAD_BYTES = {MAX_PAYLOAD_BYTES};\n");
    out += &format!("/** Deepest nesting inside a payload. */\nexport const MAX_PAYLOAD_DEPTH = {MAX_PAYLOAD_DEPTH};\n");
    out += &format!("/** A site's realtime channel is this followed by the site id as the engine spells it. */\nexport const REALTIME_CHANNEL_PREFIX = '{CHANNEL_PREFIX}';\n");
    out += &format!("/** Largest JSON for a stats reply, a server seed or an overlay body. */\nexport const MAX_JSON_BYTES = {MAX_JSON_BYTES};\n");
    out += &format!(
        "/** A site id of this length with dashes at these places and hex digits elsewhere is a UUID, which the engine spells in lower case (src/site_id.rs). */\nexport const UUID_LENGTH = {UUID_LENGTH};\nexport const UUID_DASH_AT = [{}] as const;\n",
        UUID_DASH_AT.map(|i| i.to_string()).join(", ")
    );
    out += "\n";
    out += &list("CHANNEL_STATUSES", "Every connection status the hooks show.", &ChannelStatus::ALL);
    let from_adapters: Vec<ChannelStatus> = ChannelStatus::ALL.into_iter().filter(|s| ChannelStatus::parse(s.as_str()).is_ok()).collect();
    out += &list("ADAPTER_STATUSES", "The statuses a realtime adapter may report (anything else is an error status).", &from_adapters);
    out += &list("DROP_REASONS", "Why a payload was dropped (counters).", &DropReason::ALL);
    out += &list("NOTIFICATION_KINDS", "The callbacks, as data.", &NotificationKind::ALL);
    out += &list("REQUEST_KINDS", "What a request is for (counters).", &RequestKind::ALL);
    out += &list("REQUEST_REASONS", "Why a request went out (devtools, the log).", &RequestReason::ALL);
    out += &list("STATS_ISSUE_CODES", "What normalization found about a field.", &IssueCode::ALL);
    out += &names("PAYLOAD_FIELDS", "The payload's fields the rules read, in slot order (src/realtime/payload_view.rs).", &PAYLOAD_FIELDS);
    out += &names("ROW_FIELDS", "The row's (`new`'s) fields the rules read, in slot order after the payload's.", &ROW_FIELDS);
    out += &names("META_FIELDS", "The ads fields read inside `metadata`, then inside `meta`.", &META_FIELDS);
    let tags: Vec<&str> = SlotTag::ALL.iter().map(|t| t.as_str()).collect();
    out += &names("SLOT_TAGS", "What a slot held, by its number on the wire.", &tags);
    let records: Vec<&str> = BATCH_RECORDS.iter().map(|r| r.name).collect();
    out += &names("BATCH_RECORDS", "The record kinds of a command batch, by number (src/engine/command_batch.rs).", &records);
    let layouts: Vec<String> = BATCH_RECORDS
        .iter()
        .map(|r| format!("{}: [{}]", r.name, r.fields.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ")))
        .collect();
    out += &format!("/** Each record's fields after its number, in order (a notify's handles follow them). */\nexport const BATCH_RECORD_FIELDS = {{ {} }} as const;\n", layouts.join(", "));
    out += &list("TABLES", "The tables the channel listens to, by number.", &Table::ALL);
    out += &names("FLUSH_HEADER", "The fields of a flush record's header, in order (src/engine/flush_output.rs).", &FLUSH_HEADER);
    out += &names("FLUSH_CHANGE_FIELDS", "A flush record's changed entry: its fields, in order (its snapshot numbers follow).", &FLUSH_CHANGE_FIELDS);
    let fields: Vec<String> = REALTIME_STATE_FIELDS.iter().map(|(name, how)| format!("['{name}', '{how}']")).collect();
    out += &format!("/** A realtime snapshot's fields and how each crosses as a number (src/realtime/session.rs). */\nexport const REALTIME_STATE_FIELDS = [{}] as const;\n", fields.join(", "));
    out += &format!("/** The session lookup RPC (a batch's `lookup` record). */\nexport const SESSION_LOOKUP_RPC = '{SESSION_LOOKUP_RPC}';\n");
    out += &names("SESSION_LOOKUP_PARAMS", "Its parameters: the site, then the session.", &SESSION_LOOKUP_PARAMS);
    out += &list("ABORT_REASONS", "Why the engine abandoned a request (the driver aborts its AbortSignal).", &AbortReason::ALL);
    let bands: Vec<String> = RELATIVE_LABEL_BANDS
        .iter()
        .map(|b| {
            let below = if b.below_ms == i64::MAX { "Infinity".to_string() } else { b.below_ms.to_string() };
            format!("{{ belowMs: {below}, unitMs: {}, suffix: '{}' }}", b.unit_ms, b.suffix)
        })
        .collect();
    out += &format!(
        "/** The relative-time label's rule (src/engine/relative_time.rs): ages below `belowMs` read `floor(age / unitMs)` then `suffix` (`suffix` alone for a `unitMs` of 0). */\nexport const RELATIVE_LABEL_BANDS = [{}] as const;\n",
        bands.join(", ")
    );
    out += "\n/** The cadences a page may set (`cadence` option/prop), their defaults and bounds in ms (src/engine/cadence.rs). */\nexport const CADENCE_FIELDS = {\n";
    for f in &CADENCE_FIELDS {
        out += &format!("  /** {} */\n  {}: {{ defaultMs: {}, minMs: {}, maxMs: {} }},\n", f.doc, f.name, f.default_ms, f.min_ms, f.max_ms);
    }
    out += "} as const;\n";
    out
}

/// Compares a generated file with what the core renders now (or rewrites it
/// under `UPDATE_GENERATED=1`): the drift check of every generated TS file.
pub(crate) fn check_generated(path: &str, want: &str) {
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(path, want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "{path} is out of date with the core: run `UPDATE_GENERATED=1 cargo test --test native generated`");
}

#[test]
fn generated_ts_matches_the_core() {
    check_generated(PATH, &render());
}
