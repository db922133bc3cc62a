//! Why payloads were dropped, counted by reason (devtools and the soak test read these).

use serde::Serialize;

/// Why a payload did not become a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Not the postgres_changes shape, or a required field is missing.
    Malformed,
    /// Larger than the payload size limit.
    Oversized,
    /// Nested deeper than the limit.
    TooDeep,
    /// A table the dashboard does not subscribe to.
    UnknownTable,
    /// An event type the dashboard does not subscribe to for that table.
    UnsupportedEvent,
    /// The payload carried `errors`.
    ServerErrors,
    /// `new.site_id` names another site.
    CrossSite,
    /// Seen before (`table:id:commit_timestamp`).
    Duplicate,
    /// Ads-only mode: the payload or its session is not ads.
    NonAds,
    /// Ads-only mode: too many lookups waiting; handled as freshness only.
    LookupOverflow,
}

impl DropReason {
    /// The snake_case name used in counters and JS.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Malformed => "malformed",
            DropReason::Oversized => "oversized",
            DropReason::TooDeep => "too_deep",
            DropReason::UnknownTable => "unknown_table",
            DropReason::UnsupportedEvent => "unsupported_event",
            DropReason::ServerErrors => "server_errors",
            DropReason::CrossSite => "cross_site",
            DropReason::Duplicate => "duplicate",
            DropReason::NonAds => "non_ads",
            DropReason::LookupOverflow => "lookup_overflow",
        }
    }
}

/// Counts per reason; a fixed array, so counting never allocates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DropCounts {
    pub malformed: u64,
    pub oversized: u64,
    pub too_deep: u64,
    pub unknown_table: u64,
    pub unsupported_event: u64,
    pub server_errors: u64,
    pub cross_site: u64,
    pub duplicate: u64,
    pub non_ads: u64,
    pub lookup_overflow: u64,
}

impl DropCounts {
    pub fn add(&mut self, reason: DropReason) {
        let slot = match reason {
            DropReason::Malformed => &mut self.malformed,
            DropReason::Oversized => &mut self.oversized,
            DropReason::TooDeep => &mut self.too_deep,
            DropReason::UnknownTable => &mut self.unknown_table,
            DropReason::UnsupportedEvent => &mut self.unsupported_event,
            DropReason::ServerErrors => &mut self.server_errors,
            DropReason::CrossSite => &mut self.cross_site,
            DropReason::Duplicate => &mut self.duplicate,
            DropReason::NonAds => &mut self.non_ads,
            DropReason::LookupOverflow => &mut self.lookup_overflow,
        };
        *slot = slot.saturating_add(1);
    }

    pub fn total(&self) -> u64 {
        [
            self.malformed, self.oversized, self.too_deep, self.unknown_table, self.unsupported_event,
            self.server_errors, self.cross_site, self.duplicate, self.non_ads, self.lookup_overflow,
        ]
        .iter()
        .sum()
    }
}
