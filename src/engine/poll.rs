//! One request that recurs: when it is next due, whether one is in flight,
//! when the last one started, and its error backoff. The site's probe and
//! overlay poll and every stats task's fetch are each one of these.

use crate::backoff::Backoff;
use crate::engine::command::RequestReason;
use crate::engine::cadence::Cadence;

/// A recurring request: when it is next due, whether one is in flight, and its error backoff.
#[derive(Debug, Clone)]
pub struct Poll {
    pub next_at: Option<i64>,
    pub in_flight: Option<u64>,
    pub last_started: Option<i64>,
    pub backoff: Backoff,
    /// Why the next run is due (set with `next_at`; the request carries it).
    pub reason: RequestReason,
}

impl Poll {
    pub fn new(seed: u64, cadence: &Cadence) -> Self {
        let backoff = Backoff::new(cadence.error_backoff_base_ms, cadence.error_backoff_cap_ms, seed);
        Self { next_at: None, in_flight: None, last_started: None, backoff, reason: RequestReason::Startup }
    }

    /// Due at `at`, for `reason` (an earlier due time keeps its own reason).
    pub fn due(&mut self, at: i64, reason: RequestReason) {
        if self.next_at.is_none_or(|t| at < t) {
            self.reason = reason;
        }
        self.next_at = Some(self.next_at.map_or(at, |t| t.min(at)));
    }

    /// Due at `now` and nothing in flight.
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.in_flight.is_none() && self.next_at.is_some_and(|at| at <= now_ms)
    }

    /// The deadline to report: only when nothing is in flight.
    pub fn deadline(&self) -> Option<i64> {
        if self.in_flight.is_some() {
            None
        } else {
            self.next_at
        }
    }

    pub fn started(&mut self, request_id: u64, now_ms: i64) {
        debug_assert!(self.in_flight.is_none(), "one request in flight per poll");
        self.in_flight = Some(request_id);
        self.last_started = Some(now_ms);
        self.next_at = None;
    }

    pub fn succeeded(&mut self, next_at: i64) {
        self.in_flight = None;
        self.backoff.reset();
        self.next_at = Some(next_at);
        self.reason = RequestReason::Cadence;
    }

    pub fn failed(&mut self, now_ms: i64, at_least_ms: i64) {
        self.in_flight = None;
        self.next_at = Some(now_ms + self.backoff.next_delay_ms().max(at_least_ms));
        self.reason = RequestReason::Retry;
    }

    /// The clock was corrected back by `delta_ms` to `now_ms`. How much
    /// real time passed before the engine heard of it is unknown, so a
    /// pending run is due at once; the last start moves with the clock.
    pub fn rebase(&mut self, delta_ms: i64, now_ms: i64) {
        self.next_at = self.next_at.map(|t| t.min(now_ms));
        self.last_started = self.last_started.map(|t| t.saturating_sub(delta_ms));
    }

    /// The request was forgotten (superseded, timed out elsewhere): nothing in flight, nothing due.
    pub fn cancel(&mut self) {
        self.in_flight = None;
        self.next_at = None;
    }
}

