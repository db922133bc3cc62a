//! One shared stats view: its resolved range, the latest snapshot and
//! overlay (`LiveStats`), and its fetch (a `Poll`): one request in flight at
//! most, refetches throttled with a leading and a trailing edge, errors
//! backing off.

use std::collections::BTreeSet;

use crate::engine::command::RequestReason;
use crate::engine::interest::{RangeSpec, StatsKey};
use crate::engine::poll::Poll;
use crate::engine::cadence::Cadence;
use crate::engine::EngineConfig;
use crate::error::Result;
use crate::stats::LiveStats;
use crate::time::{day_bounds, format_date_key, DayRef};

/// A resolved range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRange {
    pub from_ms: i64,
    pub to_ms: i64,
    /// The local day for "today" ranges.
    pub day_key: Option<String>,
}

impl ResolvedRange {
    pub fn resolve(spec: RangeSpec, now_ms: i64, time_zone: &str) -> Result<Self> {
        Ok(match spec {
            RangeSpec::Today => {
                let b = day_bounds(DayRef::Today(now_ms), time_zone)?;
                ResolvedRange { from_ms: b.from_ms, to_ms: b.to_ms, day_key: Some(format_date_key(b.date)) }
            }
            RangeSpec::Fixed { from_ms, to_ms } => ResolvedRange { from_ms, to_ms, day_key: None },
        })
    }

    pub fn contains(&self, now_ms: i64) -> bool {
        self.from_ms <= now_ms && now_ms < self.to_ms
    }
}

/// One stats task.
#[derive(Debug, Clone)]
pub struct StatsTask {
    pub key: StatsKey,
    pub range: ResolvedRange,
    pub live: LiveStats,
    /// The registrations that show this task.
    pub handles: BTreeSet<u32>,
    /// The fetch: due time (`next_at`), the request in flight, error backoff.
    pub fetch: Poll,
    /// A refresh was asked for while one could not start (in flight, hidden, offline).
    pub pending: bool,
    /// Back from hidden/offline with an overlay poll: wait for its reply to decide.
    pub catching_up: bool,
    pub error: Option<String>,
    /// `fetch.next_at` was set by `refresh_later_if` (no realtime), not by a change.
    pub timed_refresh: bool,
    /// When the last successful response arrived (even an empty one).
    pub loaded_at: Option<i64>,
    /// Why the pending refresh was asked for.
    pub pending_reason: RequestReason,
    /// The request behind the latest answer (or failure).
    pub settled_request: Option<u64>,
    cadence: Cadence,
}

impl StatsTask {
    pub fn new(key: StatsKey, now_ms: i64, config: &EngineConfig, seed: u64) -> Result<Self> {
        let range = ResolvedRange::resolve(key.range, now_ms, &config.time_zone)?;
        let mut fetch = Poll::new(seed, &config.cadence);
        fetch.due(now_ms, RequestReason::Startup);
        Ok(Self {
            key, range, live: LiveStats::new(config.policy, &config.time_zone)?, handles: BTreeSet::new(), fetch, pending: false, catching_up: false, error: None,
            timed_refresh: false, loaded_at: None, pending_reason: RequestReason::Cadence,
            settled_request: None, cadence: config.cadence,
        })
    }

    pub fn is_today(&self) -> bool {
        self.key.range == RangeSpec::Today
    }

    /// When the last successful response arrived.
    pub fn fetched_at(&self) -> Option<i64> {
        self.loaded_at
    }

    /// Asks for a refresh: leading edge now if the throttle allows, else one
    /// trailing refresh when it does. Several asks coalesce into one.
    pub fn request_refresh(&mut self, now_ms: i64, active: bool, reason: RequestReason) {
        if !active || self.fetch.in_flight.is_some() {
            if !self.pending {
                self.pending_reason = reason;
            }
            self.pending = true;
            return;
        }
        let earliest = self.fetch.last_started.map_or(now_ms, |t| t + self.cadence.refetch_throttle_ms).max(now_ms);
        self.fetch.due(earliest, reason);
        self.pending = false;
    }

    /// No realtime channel reports this site's changes: stats covering now
    /// refresh on a timer instead (nothing else would say they moved). The
    /// data is good as of now (just fetched, or reported until now), so the
    /// timer runs from now.
    pub fn refresh_later_if(&mut self, unreported: bool, now_ms: i64) {
        if unreported && self.range.contains(now_ms) && self.fetch.in_flight.is_none() && self.fetch.next_at.is_none() {
            let at = now_ms.saturating_add(self.cadence.refresh_without_realtime_ms);
            self.fetch.due(at, RequestReason::TimedRefresh);
            self.timed_refresh = true;
        }
    }

    /// The site's channel is SUBSCRIBED (again): the timed refresh is not
    /// needed any more, but what happened before the subscription was not
    /// reported, so data older than this instant is refreshed once (the
    /// gap-free handoff: server render → live, every reconnect).
    pub fn on_subscribed(&mut self, now_ms: i64) {
        if self.timed_refresh {
            self.timed_refresh = false;
            self.fetch.next_at = None;
        }
        if self.range.contains(now_ms) && self.loaded_at.is_some_and(|at| at < now_ms) {
            self.request_refresh(now_ms, true, RequestReason::CatchUp);
        }
    }

    /// The response arrived (either way): a refresh asked for meanwhile runs on the trailing edge.
    pub fn finished(&mut self, now_ms: i64, ok: bool) {
        self.settled_request = self.fetch.in_flight;
        if ok {
            self.fetch.succeeded(now_ms);
            self.fetch.next_at = None;
            self.error = None;
            self.loaded_at = Some(now_ms);
        } else {
            self.fetch.failed(now_ms, 0);
        }
        if self.pending {
            self.request_refresh(now_ms, true, self.pending_reason);
        }
    }

    /// The clock was corrected back by `delta_ms` to `now_ms` (see `Poll::rebase`).
    pub fn rebase(&mut self, delta_ms: i64, now_ms: i64) {
        self.fetch.rebase(delta_ms, now_ms);
        self.loaded_at = self.loaded_at.map(|t| t.saturating_sub(delta_ms));
        self.live.rebase(delta_ms);
    }

    /// The day changed: a "today" task moves to the new day and starts over.
    pub fn roll_over(&mut self, now_ms: i64, time_zone: &str) -> Result<()> {
        self.range = ResolvedRange::resolve(self.key.range, now_ms, time_zone)?;
        self.live.on_snapshot(None, now_ms);
        self.fetch.cancel();
        self.fetch.due(now_ms, RequestReason::Rollover);
        self.error = None;
        self.loaded_at = None;
        self.pending = false;
        Ok(())
    }
}
