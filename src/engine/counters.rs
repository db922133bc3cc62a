//! Counters and a short log of what the engine did, for devtools and the
//! page benchmark (which reads them instead of modelling the engine).

use std::collections::VecDeque;


use crate::engine::command::RequestKind;
use crate::engine::command_queue::CommandDrops;
use crate::engine::timing::LOG_CAPACITY;
use crate::realtime::{DropCounts, DropReason, SignalPipeline};
use crate::text::message as capped;

/// Requests by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct RequestCounts {
    pub stats: u64,
    pub overlay: u64,
    pub probe: u64,
    pub lookup: u64,
    pub replay: u64,
}

impl RequestCounts {
    pub fn add(&mut self, kind: RequestKind) {
        let slot = match kind {
            RequestKind::Stats => &mut self.stats,
            RequestKind::Overlay => &mut self.overlay,
            RequestKind::Probe => &mut self.probe,
            RequestKind::Lookup => &mut self.lookup,
            RequestKind::Replay => &mut self.replay,
        };
        *slot = slot.saturating_add(1);
    }

    pub fn total(&self) -> u64 {
        self.stats + self.overlay + self.probe + self.lookup + self.replay
    }
}

/// What became of every payload. At every moment
/// `received == accepted + dropped.total() + pending`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct PayloadCounts {
    pub received: u64,
    /// A callback or a freshness signal fired for it.
    pub accepted: u64,
    /// Waiting on a session lookup.
    pub pending: u64,
    pub dropped: DropCounts,
}

impl PayloadCounts {
    pub fn add(&mut self, other: &PayloadCounts) {
        self.received = self.received.saturating_add(other.received);
        self.accepted = self.accepted.saturating_add(other.accepted);
        self.pending = self.pending.saturating_add(other.pending);
        self.dropped.add_all(&other.dropped);
    }

    /// A payload received and dropped at once.
    pub fn drop_one(&mut self, reason: DropReason) {
        self.received = self.received.saturating_add(1);
        self.dropped.add(reason);
    }

    /// The invariant every counter must keep.
    pub fn adds_up(&self) -> bool {
        self.received == self.accepted + self.dropped.total() + self.pending
    }
}

/// One pipeline's counts.
pub fn pipeline_counts(p: &SignalPipeline) -> PayloadCounts {
    PayloadCounts { received: p.received(), accepted: p.accepted(), pending: p.waiting_rows(), dropped: p.drops().clone() }
}

/// Everything dropped, by what it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Dropped {
    /// Responses for requests the engine no longer waits on (superseded, unregistered, rolled over).
    pub responses: u64,
    /// Payloads, by reason (the same as `payloads.dropped`).
    pub payloads: DropCounts,
    /// Commands pushed out of a full queue because the driver did not drain it, by command.
    pub commands: CommandDrops,
}

/// The engine's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Counters {
    pub requests: RequestCounts,
    /// Requests failed for want of an answer within `REQUEST_TIMEOUT_MS`.
    pub timeouts: u64,
    /// `handle_timeout` calls.
    pub wakeups: u64,
    /// Times the reported deadline moved (each is one timer (re)armed by the driver).
    pub timers_armed: u64,
    pub dropped: Dropped,
    pub payloads: PayloadCounts,
    pub commands: u64,
}

/// One log line (capped at `MAX_MESSAGE_BYTES`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct LogEntry {
    pub at_ms: i64,
    pub what: String,
}

/// The newest `LOG_CAPACITY` entries; each line is capped, so the log's
/// bytes are bounded by `LOG_CAPACITY * MAX_MESSAGE_BYTES`.
#[derive(Debug, Clone, Default)]
pub struct EngineLog {
    entries: VecDeque<LogEntry>,
}

impl EngineLog {
    pub fn push(&mut self, at_ms: i64, what: String) {
        if self.entries.len() >= LOG_CAPACITY {
            self.entries.pop_front();
        }
        let what = if what.len() > crate::text::MAX_MESSAGE_BYTES { capped(&what) } else { what };
        self.entries.push_back(LogEntry { at_ms, what });
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }

    /// Bytes of text the log holds.
    pub fn text_bytes(&self) -> usize {
        self.entries.iter().map(|e| e.what.len()).sum()
    }
}
