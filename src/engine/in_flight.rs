//! The requests the engine is waiting on: one map from request id to what
//! the answer is for and when the request went out (its timeout is the
//! `Wake::RequestTimeout` entry of the timer table).

use crate::engine::sorted_map::SortedMap;

use crate::engine::command::RequestKind;
use crate::engine::interest::StatsKey;

/// What a request id is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Stats(StatsKey),
    Overlay(String),
    Probe(String),
    /// A session lookup for a site; its session and who waits on it are the
    /// site's `lookup_waiters` (not copied here: a busy site sends one per event).
    Lookup { site_id: String },
    /// The calls created since `since_ms` (the gap before a SUBSCRIBED).
    Replay { site_id: String, since_ms: i64 },
}

impl Pending {
    pub fn kind(&self) -> RequestKind {
        match self {
            Pending::Stats(_) => RequestKind::Stats,
            Pending::Overlay(_) => RequestKind::Overlay,
            Pending::Probe(_) => RequestKind::Probe,
            Pending::Lookup { .. } => RequestKind::Lookup,
            Pending::Replay { .. } => RequestKind::Replay,
        }
    }

    pub fn site_id(&self) -> &str {
        match self {
            Pending::Stats(key) => &key.site_id,
            Pending::Overlay(site) | Pending::Probe(site) => site,
            Pending::Lookup { site_id, .. } | Pending::Replay { site_id, .. } => site_id,
        }
    }
}

/// One request in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub pending: Pending,
    pub started_at: i64,
}

/// Why a request failed without an answer from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// Unanswered for `REQUEST_TIMEOUT_MS`.
    TimedOut,
    /// The overlay was answered through the RPC path (a driver bug).
    WrongPath,
}

impl RequestError {
    pub fn message(self) -> &'static str {
        match self {
            RequestError::TimedOut => "request timed out",
            RequestError::WrongPath => "overlay answered as an RPC",
        }
    }
}

/// Every request in flight, by id.
#[derive(Debug, Clone, Default)]
pub struct InFlightMap {
    requests: SortedMap<u64, InFlight>,
    next_id: u64,
}

impl InFlightMap {
    /// Records a new request and returns its id.
    pub fn start(&mut self, pending: Pending, now_ms: i64) -> u64 {
        self.next_id = self.next_id.saturating_add(1);
        self.requests.insert(self.next_id, InFlight { pending, started_at: now_ms });
        self.next_id
    }

    pub fn take(&mut self, request_id: u64) -> Option<InFlight> {
        self.requests.remove(&request_id)
    }

    pub fn get(&self, request_id: u64) -> Option<&InFlight> {
        self.requests.get(&request_id)
    }

    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, &InFlight)> {
        self.requests.iter().map(|(id, r)| (*id, r))
    }

    /// Moves every start time back by `delta_ms` (the clock was corrected backwards).
    pub fn rebase(&mut self, delta_ms: i64) {
        for r in self.requests.values_mut() {
            r.started_at = r.started_at.saturating_sub(delta_ms);
        }
    }
}
