//! What a hook renders, per registration: plain data, compared by value so a
//! registration's version moves only when something it shows changed.


use crate::realtime::RealtimeState;
use crate::stats::{CommandCenterP0Stats, LiveOverlay, Provenance};

/// `dateRange` of the original stats hook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct DateRangeIso {
    pub from: String,
    pub to: String,
}

/// What `useCommandCenterP0Stats` returns besides `refetch`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct StatsSnapshot {
    pub stats: Option<CommandCenterP0Stats>,
    pub loading: bool,
    pub error: Option<String>,
    pub date_range: DateRangeIso,
    pub day_key: Option<String>,
    pub live: Option<LiveOverlay>,
    pub provenance: Option<Provenance>,
    /// When the data shown arrived (the engine's clock; the server seed's
    /// instant for a seeded view): the hooks' `dataUpdatedAt`.
    pub fetched_at_ms: Option<i64>,
    /// A request for this view is in flight (the first load or a background
    /// refetch): the hooks' `isFetching`, distinct from `loading` (no data yet).
    pub fetching: bool,
    /// The request behind the latest answer or failure (timeouts included).
    /// Request ids only grow, so a `refetch()` is settled by the first one
    /// above every id the driver had seen when it was called.
    pub settled_request_id: Option<u64>,
}

/// One registration's snapshot.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum RegistrationSnapshot {
    Realtime(RealtimeState),
    Stats(Box<StatsSnapshot>),
    RelativeTime { label: String, at_ms: i64 },
}
