//! Counters and a short log of what the engine did, for devtools and the
//! page benchmark (which reads them instead of modelling the engine).

use std::collections::VecDeque;


use crate::engine::command::{request_label, RequestKind, RequestReason};
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
    entries: VecDeque<(i64, Line)>,
}

/// A line as kept: its text, or a request's parts, written when the log is
/// read (a busy site sends a session lookup per event, and formatting each
/// line cost more than the rest of sending it; most lines are never read).
#[derive(Debug, Clone)]
enum Line {
    Text(String),
    Request { rpc: Option<&'static str>, site_id: String, request_id: u64, reason: RequestReason },
}

impl Line {
    fn text(&self) -> String {
        match self {
            Line::Text(text) => text.clone(),
            Line::Request { rpc, site_id, request_id, reason } => capped(&request_label(*rpc, site_id, *request_id, *reason)),
        }
    }
}

impl EngineLog {
    pub fn push(&mut self, at_ms: i64, what: String) {
        let what = if what.len() > crate::text::MAX_MESSAGE_BYTES { capped(&what) } else { what };
        self.push_line(at_ms, Line::Text(what));
    }

    /// A request sent: an RPC by name, or the overlay fetch (`rpc: None`).
    pub fn push_request(&mut self, at_ms: i64, rpc: Option<&'static str>, site_id: &str, request_id: u64, reason: RequestReason) {
        self.push_line(at_ms, Line::Request { rpc, site_id: site_id.to_string(), request_id, reason });
    }

    fn push_line(&mut self, at_ms: i64, line: Line) {
        if self.entries.len() >= LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back((at_ms, line));
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().map(|(at_ms, line)| LogEntry { at_ms: *at_ms, what: line.text() }).collect()
    }

    /// Bytes of text the log holds.
    pub fn text_bytes(&self) -> usize {
        self.entries.iter().map(|(_, line)| line.text().len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::Command;

    /// A request's line is kept in parts and written when read: the same
    /// text as the command's label, capped like every other line.
    #[test]
    fn a_request_line_reads_as_its_command_label() {
        let rpc = Command::Rpc { request_id: 7, kind: RequestKind::Lookup, reason: RequestReason::SessionLookup, site_id: "site-1".into(), name: "get_session_details", params: serde_json::Value::Null };
        let overlay = Command::FetchOverlay { request_id: 8, reason: RequestReason::Cadence, site_id: "site-1".into() };
        let long_site = "s".repeat(2 * crate::text::MAX_MESSAGE_BYTES);
        let mut log = EngineLog::default();
        log.push_request(1, Some("get_session_details"), "site-1", 7, RequestReason::SessionLookup);
        log.push_request(2, None, "site-1", 8, RequestReason::Cadence);
        log.push_request(3, None, &long_site, 9, RequestReason::Cadence);
        let entries = log.entries();
        let texts: Vec<&str> = entries.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(texts.first().copied(), Some(rpc.label().as_str()));
        assert_eq!(texts.get(1).copied(), Some(overlay.label().as_str()));
        assert!(texts.get(2).is_some_and(|t| t.len() <= crate::text::MAX_MESSAGE_BYTES && t.starts_with("fetch_overlay site=sss")), "capped");
        assert_eq!(log.text_bytes(), texts.iter().map(|t| t.len()).sum::<usize>());
    }
}
