//! Why payloads were dropped, counted by reason (devtools and the soak test read these).


/// Why a payload did not become a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
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
    /// The payload (ads-only) or its session lookup (both modes) is not ads:
    /// nothing fires for it.
    NonAds,
    /// Too many lookups waiting: the row's callback is not fired (ads-only
    /// mode still fires freshness for it).
    LookupOverflow,
    /// All-traffic mode: an `events` row without `session_id`. Events carry
    /// no `site_id` and their channel has no filter, so nothing proves the
    /// row is this site's; the original fired nothing for it.
    NoSession,
    /// All-traffic mode: an `events` row whose session lookup failed (or was
    /// abandoned): its site is unproven, and the original fired nothing.
    LookupFailed,
    /// No realtime registration watches the payload's site (the engine counts these itself).
    NoSubscriber,
}

impl DropReason {
    /// Every drop reason, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 13] = [DropReason::Malformed, DropReason::Oversized, DropReason::TooDeep, DropReason::UnknownTable, DropReason::UnsupportedEvent, DropReason::ServerErrors, DropReason::CrossSite, DropReason::Duplicate, DropReason::NonAds, DropReason::LookupOverflow, DropReason::NoSession, DropReason::LookupFailed, DropReason::NoSubscriber];
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
            DropReason::NoSession => "no_session",
            DropReason::LookupFailed => "lookup_failed",
            DropReason::NoSubscriber => "no_subscriber",
        }
    }
}

/// Counts per reason (plain fields: counting never allocates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
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
    pub no_session: u64,
    pub lookup_failed: u64,
    pub no_subscriber: u64,
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
            DropReason::NoSession => &mut self.no_session,
            DropReason::LookupFailed => &mut self.lookup_failed,
            DropReason::NoSubscriber => &mut self.no_subscriber,
        };
        *slot = slot.saturating_add(1);
    }

    pub fn total(&self) -> u64 {
        self.slots().iter().fold(0u64, |a, b| a.saturating_add(*b))
    }

    /// Adds every count of `other`.
    pub fn add_all(&mut self, other: &DropCounts) {
        for (mine, theirs) in self.slots_mut().into_iter().zip(other.slots()) {
            *mine = mine.saturating_add(theirs);
        }
    }

    fn slots(&self) -> [u64; 13] {
        let d = self;
        [
            d.malformed, d.oversized, d.too_deep, d.unknown_table, d.unsupported_event, d.server_errors, d.cross_site, d.duplicate, d.non_ads,
            d.lookup_overflow, d.no_session, d.lookup_failed, d.no_subscriber,
        ]
    }

    fn slots_mut(&mut self) -> [&mut u64; 13] {
        let d = self;
        [
            &mut d.malformed, &mut d.oversized, &mut d.too_deep, &mut d.unknown_table, &mut d.unsupported_event, &mut d.server_errors,
            &mut d.cross_site, &mut d.duplicate, &mut d.non_ads, &mut d.lookup_overflow, &mut d.no_session, &mut d.lookup_failed, &mut d.no_subscriber,
        ]
    }
}
