//! Counters and a short log of what the engine did, for devtools and the
//! page benchmark (which reads them instead of modelling the engine).

use std::collections::VecDeque;

use serde::Serialize;

use crate::engine::command::RequestKind;
use crate::engine::timing::LOG_CAPACITY;
use crate::realtime::DropCounts;

/// Requests by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestCounts {
    pub stats: u64,
    pub overlay: u64,
    pub probe: u64,
    pub lookup: u64,
}

impl RequestCounts {
    pub fn add(&mut self, kind: RequestKind) {
        let slot = match kind {
            RequestKind::Stats => &mut self.stats,
            RequestKind::Overlay => &mut self.overlay,
            RequestKind::Probe => &mut self.probe,
            RequestKind::Lookup => &mut self.lookup,
        };
        *slot = slot.saturating_add(1);
    }

    pub fn total(&self) -> u64 {
        self.stats + self.overlay + self.probe + self.lookup
    }
}

/// Everything dropped, by what it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dropped {
    /// Responses for requests the engine no longer waits on (superseded, unregistered, rolled over).
    pub responses: u64,
    /// Payloads, by reason (summed over sites' pipelines).
    pub payloads: DropCounts,
}

/// The engine's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    pub requests: RequestCounts,
    /// `handle_timeout` calls.
    pub wakeups: u64,
    /// Times the reported deadline moved (each is one timer (re)armed by the driver).
    pub timers_armed: u64,
    pub dropped: Dropped,
    pub commands: u64,
}

/// One log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub at_ms: i64,
    pub what: String,
}

/// The newest `LOG_CAPACITY` entries.
#[derive(Debug, Clone, Default)]
pub struct EngineLog {
    entries: VecDeque<LogEntry>,
}

impl EngineLog {
    pub fn push(&mut self, at_ms: i64, what: String) {
        if self.entries.len() >= LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(LogEntry { at_ms, what });
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }
}

/// Sums payload drop counts across pipelines.
pub fn sum_drops<'a>(all: impl Iterator<Item = &'a DropCounts>) -> DropCounts {
    let mut total = DropCounts::default();
    for d in all {
        total.malformed += d.malformed;
        total.oversized += d.oversized;
        total.too_deep += d.too_deep;
        total.unknown_table += d.unknown_table;
        total.unsupported_event += d.unsupported_event;
        total.server_errors += d.server_errors;
        total.cross_site += d.cross_site;
        total.duplicate += d.duplicate;
        total.non_ads += d.non_ads;
        total.lookup_overflow += d.lookup_overflow;
    }
    total
}
