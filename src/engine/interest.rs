//! What consumers register: realtime interest in a site, stats interest in a
//! (site, range, scope), or a relative-time label. Identical interests share
//! one underlying task.


/// A stats range: "today" in the engine's zone (rolls over at midnight), or fixed instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum RangeSpec {
    Today,
    Fixed { from_ms: i64, to_ms: i64 },
}

/// Identifies one shared stats task.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct StatsKey {
    pub site_id: String,
    pub range: RangeSpec,
    pub ads_only: bool,
}

/// One consumer's registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interest {
    Realtime { site_id: String, ads_only: bool, callbacks: bool },
    Stats(StatsKey),
    RelativeTime { at_ms: i64 },
}

impl Interest {
    pub fn site_id(&self) -> Option<&str> {
        match self {
            Interest::Realtime { site_id, .. } => Some(site_id),
            Interest::Stats(key) => Some(&key.site_id),
            Interest::RelativeTime { .. } => None,
        }
    }
}
