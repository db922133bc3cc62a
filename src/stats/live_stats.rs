//! The state behind one stats view: the latest DB snapshot and the latest
//! overlay, merged on demand. Keeping both is what fixes the original's
//! flicker: a refetch replaces the snapshot, and the latest good overlay of
//! the day is re-applied to it instead of being dropped until the next poll.
//! A fallback or error reply marks the view degraded but does not replace
//! the last good counters, so a Redis hiccup cannot pull numbers down either.

use crate::error::Result;
use crate::stats::merge::{merge_overlay, MergeOptions, MergePolicy, Merged};
use crate::stats::overlay::{OverlayCounts, OverlayReply};
use crate::stats::snapshot::CommandCenterP0Stats;
use crate::time::{date_at, parse_time_zone};

/// What an overlay reply means for the DB snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverlayUpdate {
    /// `captured` or `gclid` rose against the previous reply of the same day:
    /// the DB snapshot is behind and should be refetched (coalesced, throttled).
    pub stale: bool,
}

/// Latest snapshot + latest overlay for one stats view.
#[derive(Debug, Clone)]
pub struct LiveStats {
    policy: MergePolicy,
    time_zone: String,
    snapshot: Option<(CommandCenterP0Stats, i64)>,
    good: Option<(OverlayCounts, i64)>,
    degraded: Option<(OverlayReply, i64)>,
}

impl LiveStats {
    /// A view in `time_zone` (validated here, once).
    pub fn new(policy: MergePolicy, time_zone: &str) -> Result<Self> {
        parse_time_zone(time_zone)?;
        Ok(Self { policy, time_zone: time_zone.to_string(), snapshot: None, good: None, degraded: None })
    }

    pub fn policy(&self) -> MergePolicy {
        self.policy
    }

    pub fn set_policy(&mut self, policy: MergePolicy) {
        self.policy = policy;
    }

    /// The latest DB snapshot, with when it was fetched.
    pub fn snapshot(&self) -> Option<(&CommandCenterP0Stats, i64)> {
        self.snapshot.as_ref().map(|(s, at)| (s, *at))
    }

    /// A DB snapshot arrived (it replaces the previous one).
    pub fn on_snapshot(&mut self, stats: Option<CommandCenterP0Stats>, fetched_at_ms: i64) {
        self.snapshot = stats.map(|s| (s, fetched_at_ms));
    }

    /// An overlay reply arrived.
    pub fn on_overlay(&mut self, reply: OverlayReply, received_at_ms: i64) -> Result<OverlayUpdate> {
        let OverlayReply::Counts(counts) = reply else {
            self.degraded = Some((reply, received_at_ms));
            return Ok(OverlayUpdate { stale: false });
        };
        let tz = parse_time_zone(&self.time_zone)?;
        let same_day_previous = match self.good {
            Some((prev, at)) if date_at(at, tz)? == date_at(received_at_ms, tz)? => Some(prev),
            _ => None,
        };
        let stale = same_day_previous.is_some_and(|prev| counts.captured > prev.captured || counts.gclid > prev.gclid);
        self.good = Some((counts, received_at_ms));
        self.degraded = None;
        Ok(OverlayUpdate { stale })
    }

    /// The clock was corrected back by `delta_ms`: ages stay what they were.
    pub fn rebase(&mut self, delta_ms: i64) {
        if let Some((_, at)) = self.snapshot.as_mut() {
            *at = at.saturating_sub(delta_ms);
        }
        if let Some((_, at)) = self.good.as_mut() {
            *at = at.saturating_sub(delta_ms);
        }
        if let Some((_, at)) = self.degraded.as_mut() {
            *at = at.saturating_sub(delta_ms);
        }
    }

    /// What to display at `now_ms`.
    pub fn view(&self, now_ms: i64) -> Result<Merged> {
        let snapshot = self.snapshot.as_ref();
        let options = |received: Option<i64>| MergeOptions {
            policy: self.policy,
            now_ms,
            time_zone: &self.time_zone,
            overlay_received_at_ms: received,
            snapshot_fetched_at_ms: snapshot.map(|(_, at)| *at),
        };
        let stats = snapshot.map(|(s, _)| s);
        match (&self.good, &self.degraded) {
            (None, Some((reply, at))) => merge_overlay(stats, Some(reply), options(Some(*at))),
            (Some((counts, at)), degraded) => {
                let mut merged = merge_overlay(stats, Some(&OverlayReply::Counts(*counts)), options(Some(*at)))?;
                if let Some((reply, _)) = degraded {
                    let why = match reply {
                        OverlayReply::Error { error } => error.clone(),
                        _ => "fallback reply (Redis unavailable)".to_string(),
                    };
                    merged.provenance.error = Some(format!("latest overlay reply ignored: {why}; showing the last good counters"));
                    if let Some(live) = merged.live.as_mut() {
                        live.fallback = true;
                    }
                }
                Ok(merged)
            }
            (None, None) => merge_overlay(stats, None, options(None)),
        }
    }
}
