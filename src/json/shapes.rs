//! The JSON of every shape that leaves the wasm as text: keys, order, tags
//! and names exactly as the serde derives (kept behind the `ts` feature for
//! the TS types) write them, so `js/generated/core-types.ts` still describes
//! what crosses. `tests/native/json_shapes.rs` compares every shape here
//! with serde_json's output of the same value.

use super::writer::{write_str, JsonFields, ObjectWriter, ToJson};
use crate::engine::{AbortReason, Command, CommandDrops, Counters, DateRangeIso, Dropped, LogEntry, PayloadCounts, RangeSpec, RegistrationSnapshot, RequestCounts, RequestKind, RequestReason, StatsKey, StatsSnapshot, Wake};
use crate::realtime::{AdsDecision, AdsKind, ChannelStatus, DropCounts, NotificationKind, PipelineSizes, RealtimeState, Table};
use crate::stats::{CommandCenterP0Stats, FieldSource, FieldSources, IssueCode, LiveOverlay, MergePolicy, Merged, OverlayCounts, OverlayReply, OverlayStatus, Provenance, StatsIssue};

/// A struct as an object of its fields, under their JSON names, in order.
macro_rules! json_struct {
    ($ty:ty { $($key:literal: $field:ident),* $(,)? }) => {
        impl JsonFields for $ty {
            fn write_fields(&self, o: &mut ObjectWriter<'_>) {
                $( o.field($key, &self.$field); )*
            }
        }
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let mut o = ObjectWriter::new(out);
                self.write_fields(&mut o);
                o.end();
            }
        }
    };
}

/// A unit enum as its name (the type's own `as_str`).
macro_rules! json_as_str {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                write_str(out, self.as_str());
            }
        }
    )*};
}

/// A unit enum as its name, for types that have no `as_str` of their own.
macro_rules! json_names {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                write_str(out, match self { $(<$ty>::$variant => $name),* });
            }
        }
    };
}

json_as_str!(IssueCode, RequestReason, AbortReason, Table, ChannelStatus);

json_names!(MergePolicy { DbTruth => "db-truth", LegacyMax => "legacy-max" });
json_names!(OverlayStatus {
    Applied => "applied", Shown => "shown", NotToday => "not_today", PreviousDay => "previous_day", ScopeMismatch => "scope_mismatch",
    RangeUnknown => "range_unknown", Fallback => "fallback", Error => "error", Absent => "absent",
});
json_names!(FieldSource { Db => "db", Overlay => "overlay" });
json_names!(RequestKind { Stats => "stats", Overlay => "overlay", Probe => "probe", Lookup => "lookup", Replay => "replay" });
json_names!(NotificationKind { CallCreated => "call_created", CallUpdated => "call_updated", EventCreated => "event_created", DataFreshness => "data_freshness" });
json_names!(AdsKind { Ads => "ads", NonAds => "non_ads", Unknown => "unknown" });

// ---- stats ------------------------------------------------------------------

json_struct!(CommandCenterP0Stats {
    "site_id": site_id, "date_from": date_from, "date_to": date_to, "ads_only": ads_only, "queue_pending": queue_pending, "sealed": sealed,
    "junk": junk, "auto_approved": auto_approved, "oci_uploaded": oci_uploaded, "oci_failed": oci_failed, "oci_matchable_sealed": oci_matchable_sealed,
    "assumed_cpc": assumed_cpc, "currency": currency, "estimated_budget_saved": estimated_budget_saved, "projected_revenue": projected_revenue,
    "total_leads": total_leads, "gclid_leads": gclid_leads, "avg_scroll_depth": avg_scroll_depth, "inbox_zero_now": inbox_zero_now, "issues": issues,
});
json_struct!(StatsIssue { "field": field, "code": code, "message": message });
json_struct!(OverlayCounts { "captured": captured, "gclid": gclid, "junk": junk });
json_struct!(LiveOverlay { "captured": captured, "gclid": gclid, "junk": junk, "dayKey": day_key, "receivedAtMs": received_at_ms, "fallback": fallback });
json_struct!(FieldSources { "sealed": sealed, "junk": junk, "total_leads": total_leads, "gclid_leads": gclid_leads });
json_struct!(Provenance {
    "policy": policy, "overlay": overlay, "fields": fields, "snapshotAgeMs": snapshot_age_ms, "overlayAgeMs": overlay_age_ms, "error": error,
});
json_struct!(Merged { "stats": stats, "live": live, "provenance": provenance });

impl ToJson for OverlayReply {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        match self {
            OverlayReply::Counts(counts) => {
                o.field("kind", &"counts");
                counts.write_fields(&mut o);
            }
            OverlayReply::Fallback => {
                o.field("kind", &"fallback");
            }
            OverlayReply::Error { error } => {
                o.field("kind", &"error").field("error", error);
            }
        }
        o.end();
    }
}

// ---- engine -----------------------------------------------------------------

json_struct!(DateRangeIso { "from": from, "to": to });
json_struct!(StatsSnapshot {
    "stats": stats, "loading": loading, "error": error, "dateRange": date_range, "dayKey": day_key, "live": live, "provenance": provenance,
    "fetchedAtMs": fetched_at_ms, "fetching": fetching, "settledRequestId": settled_request_id,
});
json_struct!(StatsKey { "siteId": site_id, "range": range, "adsOnly": ads_only });
json_struct!(RequestCounts { "stats": stats, "overlay": overlay, "probe": probe, "lookup": lookup, "replay": replay });
json_struct!(PayloadCounts { "received": received, "accepted": accepted, "pending": pending, "dropped": dropped });
json_struct!(Dropped { "responses": responses, "payloads": payloads, "commands": commands });
json_struct!(Counters {
    "requests": requests, "timeouts": timeouts, "wakeups": wakeups, "timersArmed": timers_armed, "dropped": dropped, "payloads": payloads,
    "commands": commands,
});
json_struct!(LogEntry { "atMs": at_ms, "what": what });
json_struct!(CommandDrops {
    "rpc": rpc, "fetch_overlay": fetch_overlay, "abort": abort, "subscribe": subscribe, "unsubscribe": unsubscribe, "notify": notify, "release": release,
});

impl ToJson for Command {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        match self {
            Command::Rpc { request_id, kind, reason, site_id, name, params } => {
                o.field("type", &"rpc").field("requestId", request_id).field("kind", kind).field("reason", reason);
                o.field("siteId", site_id).field("name", name).field("params", params);
            }
            Command::FetchOverlay { request_id, reason, site_id } => {
                o.field("type", &"fetch_overlay").field("requestId", request_id).field("reason", reason).field("siteId", site_id);
            }
            Command::Abort { request_id, reason } => {
                o.field("type", &"abort").field("requestId", request_id).field("reason", reason);
            }
            Command::Subscribe { site_id, channel } => {
                o.field("type", &"subscribe").field("siteId", site_id).field("channel", channel);
            }
            Command::Unsubscribe { site_id, channel } => {
                o.field("type", &"unsubscribe").field("siteId", site_id).field("channel", channel);
            }
            Command::Notify { site_id, handles, kind, table, seq, row_id } => {
                o.field("type", &"notify").field("siteId", site_id).field("handles", handles).field("kind", kind);
                o.field("table", table).field("seq", seq).field("rowId", row_id);
            }
            Command::Release { site_id, seq } => {
                o.field("type", &"release").field("siteId", site_id).field("seq", seq);
            }
        }
        o.end();
    }
}

impl ToJson for RegistrationSnapshot {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        match self {
            RegistrationSnapshot::Realtime(state) => {
                o.field("type", &"realtime");
                state.write_fields(&mut o);
            }
            RegistrationSnapshot::Stats(snapshot) => {
                o.field("type", &"stats");
                snapshot.write_fields(&mut o);
            }
            RegistrationSnapshot::RelativeTime { label, at_ms } => {
                o.field("type", &"relative_time").field("label", label).field("atMs", at_ms);
            }
        }
        o.end();
    }
}

impl ToJson for RangeSpec {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        match self {
            RangeSpec::Today => {
                o.field("kind", &"today");
            }
            RangeSpec::Fixed { from_ms, to_ms } => {
                o.field("kind", &"fixed").field("fromMs", from_ms).field("toMs", to_ms);
            }
        }
        o.end();
    }
}

impl ToJson for Wake {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        match self {
            Wake::RequestTimeout { request_id } => o.field("kind", &"request_timeout").field("requestId", request_id),
            Wake::Rollover { key } => o.field("kind", &"rollover").field("key", key),
            Wake::StatsFetch { key } => o.field("kind", &"stats_fetch").field("key", key),
            Wake::Reconnect { site_id } => o.field("kind", &"reconnect").field("siteId", site_id),
            Wake::Probe { site_id } => o.field("kind", &"probe").field("siteId", site_id),
            Wake::OverlayPoll { site_id } => o.field("kind", &"overlay_poll").field("siteId", site_id),
            Wake::LiveExpiry { site_id } => o.field("kind", &"live_expiry").field("siteId", site_id),
            Wake::RelativeLabel { handle } => o.field("kind", &"relative_label").field("handle", handle),
        };
        o.end();
    }
}

// ---- realtime ---------------------------------------------------------------

json_struct!(RealtimeState {
    "isConnected": is_connected, "connectionStatus": connection_status, "isLive": is_live, "adsLive": ads_live, "lastEventAt": last_event_at,
    "lastSignalAt": last_signal_at, "lastSignalType": last_signal_type, "eventCount": event_count, "error": error,
});
json_struct!(PipelineSizes {
    "dedup": dedup, "dedupCapacity": dedup_capacity, "cache": cache, "cacheCapacity": cache_capacity, "pendingLookups": pending_lookups,
    "waitingRows": waiting_rows, "queuedNotifications": queued_notifications,
});
json_struct!(DropCounts {
    "malformed": malformed, "oversized": oversized, "too_deep": too_deep, "unknown_table": unknown_table, "unsupported_event": unsupported_event,
    "server_errors": server_errors, "cross_site": cross_site, "duplicate": duplicate, "non_ads": non_ads, "lookup_overflow": lookup_overflow,
    "no_session": no_session, "lookup_failed": lookup_failed, "no_subscriber": no_subscriber,
});
json_struct!(AdsDecision { "kind": kind, "reason": reason });
