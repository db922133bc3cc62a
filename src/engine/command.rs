//! What the engine asks its driver to do. The driver is dumb on purpose: it
//! runs RPCs by name with the params given, fetches the overlay, opens and
//! closes channels, and fires callbacks; every decision is the engine's.

use serde_json::Value;

use crate::realtime::{NotificationKind, Table};

/// Why a request was made (counters and devtools group by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum RequestKind {
    Stats,
    Overlay,
    Probe,
    Lookup,
    /// The catch-up after a gap: the calls created since the channel last reported.
    Replay,
}

impl RequestKind {
    /// Every request kind, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 5] = [RequestKind::Stats, RequestKind::Overlay, RequestKind::Probe, RequestKind::Lookup, RequestKind::Replay];
}

/// Why a request went out (devtools draws it on every bar; the log says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum RequestReason {
    /// The first request of a registration (mount).
    Startup,
    /// A calls change that can move the stats.
    CallsChange,
    /// Closing a realtime gap (the channel reported SUBSCRIBED again).
    CatchUp,
    /// The tab came back from hidden or offline.
    BackFromHidden,
    /// The zone's midnight: today is a new day.
    Rollover,
    /// An error's backoff ran out.
    Retry,
    /// `refetch()`.
    Manual,
    /// No SUBSCRIBED channel reports changes: the timed refresh.
    TimedRefresh,
    /// The poll's own cadence.
    #[default]
    Cadence,
    /// A payload's session must be looked up.
    SessionLookup,
}

impl RequestReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestReason::Startup => "startup",
            RequestReason::CallsChange => "calls_change",
            RequestReason::CatchUp => "catch_up",
            RequestReason::BackFromHidden => "back_from_hidden",
            RequestReason::Rollover => "rollover",
            RequestReason::Retry => "retry",
            RequestReason::Manual => "manual",
            RequestReason::TimedRefresh => "timed_refresh",
            RequestReason::Cadence => "cadence",
            RequestReason::SessionLookup => "session_lookup",
        }
    }

    /// Every reason, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 10] = [
        RequestReason::Startup, RequestReason::CallsChange, RequestReason::CatchUp, RequestReason::BackFromHidden, RequestReason::Rollover,
        RequestReason::Retry, RequestReason::Manual, RequestReason::TimedRefresh, RequestReason::Cadence, RequestReason::SessionLookup,
    ];
}

/// Why a request was abandoned before its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum AbortReason {
    /// Unanswered for the request timeout (`cadence.requestTimeoutMs`).
    TimedOut,
    /// Nobody needs the answer any more: its registration or site is gone,
    /// or the day it was for rolled over.
    Superseded,
}

impl AbortReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AbortReason::TimedOut => "timed_out",
            AbortReason::Superseded => "superseded",
        }
    }

    /// Every reason, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 2] = [AbortReason::TimedOut, AbortReason::Superseded];
}

/// One command for the driver.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum Command {
    /// `supabase.rpc(name, params)`; answer with `handle_rpc_response(request_id, ...)`.
    Rpc {
        request_id: u64,
        kind: RequestKind,
        reason: RequestReason,
        site_id: String,
        name: &'static str,
        /// The RPC's named parameters: always an object.
        #[cfg_attr(feature = "ts", ts(type = "Record<string, JsonValue>"))]
        params: Value,
    },
    /// `GET /api/stats/realtime?siteId=…`; answer with `handle_overlay_response(request_id, ...)`.
    FetchOverlay { request_id: u64, reason: RequestReason, site_id: String },
    /// The engine gave up on request `request_id` (its answer, if it comes,
    /// is dropped and counted): the driver aborts its `AbortSignal`.
    Abort { request_id: u64, reason: AbortReason },
    /// Open the site's channel (`dashboard_updates:{site}`, postgres_changes as in section 5).
    Subscribe { site_id: String, channel: String },
    /// Close it.
    Unsubscribe { site_id: String, channel: String },
    /// Fire a callback on these registrations with the row of payload `seq` (if any).
    Notify { site_id: String, handles: Vec<u32>, kind: NotificationKind, table: Table, seq: Option<u64>, row_id: Option<String> },
    /// The driver may forget the row of payload `seq` (it waited on a lookup and is decided).
    Release { site_id: String, seq: u64 },
}

impl Command {
    /// A short label for the devtools log.
    pub fn label(&self) -> String {
        match self {
            Command::Rpc { name, site_id, request_id, reason, .. } => request_label(Some(name), site_id, *request_id, *reason),
            Command::FetchOverlay { site_id, request_id, reason } => request_label(None, site_id, *request_id, *reason),
            Command::Abort { request_id, reason } => format!("abort #{request_id} ({})", reason.as_str()),
            Command::Subscribe { channel, .. } => format!("subscribe {channel}"),
            Command::Unsubscribe { channel, .. } => format!("unsubscribe {channel}"),
            Command::Notify { kind, handles, .. } => notify_label(*kind, handles),
            Command::Release { seq, .. } => format!("release #{seq}"),
        }
    }
}

/// A request's label: `rpc {name} …` for an RPC, `fetch_overlay …` for the overlay (`rpc: None`).
pub(crate) fn request_label(rpc: Option<&str>, site_id: &str, request_id: u64, reason: RequestReason) -> String {
    match rpc {
        Some(name) => format!("rpc {name} site={site_id} #{request_id} ({})", reason.as_str()),
        None => format!("fetch_overlay site={site_id} #{request_id} ({})", reason.as_str()),
    }
}

/// `notify CallCreated -> [1, 2]`: the text `{kind:?} -> {handles:?}` gave,
/// written by hand so the wasm carries no `Debug` code for it.
fn notify_label(kind: NotificationKind, handles: &[u32]) -> String {
    let kind = match kind {
        NotificationKind::CallCreated => "CallCreated",
        NotificationKind::CallUpdated => "CallUpdated",
        NotificationKind::EventCreated => "EventCreated",
        NotificationKind::DataFreshness => "DataFreshness",
    };
    let mut text = String::with_capacity(32);
    text.push_str("notify ");
    text.push_str(kind);
    text.push_str(" -> [");
    for (i, handle) in handles.iter().enumerate() {
        text.push_str(if i == 0 { "" } else { ", " });
        crate::time::push_int(&mut text, i64::from(*handle));
    }
    text.push(']');
    text
}

/// An RPC error as the driver saw it (PostgREST `code`, message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: Option<String>,
    pub message: String,
}

impl RpcError {
    /// The server says the function does not exist: PostgREST `PGRST202`
    /// ("could not find the function") or Postgres `42883` (undefined function).
    pub fn is_missing_function(&self) -> bool {
        matches!(self.code.as_deref(), Some("PGRST202" | "42883"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_label_is_the_debug_text() {
        for kind in [NotificationKind::CallCreated, NotificationKind::CallUpdated, NotificationKind::EventCreated, NotificationKind::DataFreshness] {
            for handles in [vec![], vec![7], vec![1, 2, 40_000]] {
                assert_eq!(notify_label(kind, &handles), format!("notify {kind:?} -> {handles:?}"));
            }
        }
    }
}
