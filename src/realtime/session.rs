//! One site's channel plus one mode's pipeline, as a reducer: the test rig of
//! the pipeline (the native scenarios of every callback cell, the fuzzer).
//! It is not part of the JS API: the hooks and every JS caller reach the
//! pipeline through the engine, so there is one realtime API and `isLive`
//! means one thing, the engine's (the site's evidence of activity, see
//! `engine::timing::is_live_at`). This rig applies that rule to the one kind
//! of evidence it has, the pipeline's signals.
//!
//! Run loop: feed inputs with [`RealtimeSession::handle`], drain
//! [`RealtimeSession::poll_output`] until `None`, sleep until
//! [`RealtimeSession::next_deadline`], then `handle(Timeout)`.

use std::collections::VecDeque;


use crate::engine::timing::{is_live_at, live_until};
use crate::realtime::connection::{ChannelCommand, ChannelStatus, Connection};
use crate::realtime::counters::{DropCounts, DropReason};
use crate::realtime::payload::decode_batch_text;
use crate::realtime::payload::Table;
use crate::realtime::signals::{Notification, PayloadOutcome, PipelineConfig, PipelineSizes, SignalPipeline};

/// Everything that can happen to a realtime session.
#[derive(Debug, Clone, PartialEq)]
pub enum RealtimeInput<'a> {
    /// A postgres_changes payload from the channel as JSON text, with the
    /// caller's number for it (notifications about its row carry it back).
    PayloadText { text: &'a str, seq: u64 },
    /// A `get_session_details` result: `Ok(true)` when it returned rows.
    LookupResult { request_id: u64, result: Result<bool, String> },
    /// A channel status from the adapter, with an optional error message.
    ChannelStatus { status: ChannelStatus, message: Option<&'a str> },
    /// Whether the realtime socket is open.
    SocketProbe { open: bool },
    /// `reconnect()`.
    Reconnect,
    /// The deadline passed.
    Timeout,
    /// The last consumer left: close the channel.
    Close,
}

/// What the driver must do, in order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "type", rename_all = "snake_case"))]
pub enum RealtimeOutput {
    Subscribe { channel: String, site_id: String },
    Unsubscribe { channel: String, site_id: String },
    LookupSession { request_id: u64, site_id: String, session_id: String },
    Notify(Notification),
    /// A payload that waited on a lookup is decided: the caller may forget its row.
    Release { seq: u64 },
}

/// The hook state of the original `useRealtimeDashboard` (times are epoch ms).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct RealtimeState {
    pub is_connected: bool,
    pub connection_status: ChannelStatus,
    pub is_live: bool,
    pub ads_live: bool,
    pub last_event_at: Option<i64>,
    pub last_signal_at: Option<i64>,
    pub last_signal_type: Option<Table>,
    pub event_count: u64,
    pub error: Option<String>,
}

/// How each field of [`RealtimeState`] crosses as a number
/// ([`RealtimeState::to_numbers`]), in its serialization order: the hooks'
/// state changes with every event, so it is read without JSON text.
pub const REALTIME_STATE_FIELDS: [(&str, &str); 9] = [
    ("isConnected", "boolean"),
    ("connectionStatus", "status"),
    ("isLive", "boolean"),
    ("adsLive", "boolean"),
    ("lastEventAt", "time"),
    ("lastSignalAt", "time"),
    ("lastSignalType", "table"),
    ("eventCount", "count"),
    ("error", "text"),
];

impl RealtimeState {
    /// The state in `REALTIME_STATE_FIELDS` order: booleans 0/1, `null` NaN,
    /// a status or table its index in `ChannelStatus::ALL` / `Table::ALL`.
    /// `None` while `error` is set (text is not a number: read the JSON then).
    pub fn to_numbers(&self) -> Option<[f64; REALTIME_STATE_FIELDS.len()]> {
        if self.error.is_some() {
            return None;
        }
        let flag = |b: bool| f64::from(u8::from(b));
        let time = |t: Option<i64>| t.map_or(f64::NAN, |t| t as f64);
        let index = |i: Option<usize>| i.map_or(f64::NAN, |i| i as f64);
        Some([
            flag(self.is_connected),
            index(ChannelStatus::ALL.iter().position(|s| *s == self.connection_status)),
            flag(self.is_live),
            flag(self.ads_live),
            time(self.last_event_at),
            time(self.last_signal_at),
            index(self.last_signal_type.and_then(|t| Table::ALL.iter().position(|x| *x == t))),
            self.event_count as f64,
            f64::NAN,
        ])
    }
}

/// A channel for one site plus the pipeline of one mode.
#[derive(Debug, Clone)]
pub struct RealtimeSession {
    site_id: String,
    connection: Connection,
    pipeline: SignalPipeline,
    outputs: VecDeque<RealtimeOutput>,
    dropped_outputs: u64,
    /// The latest `now` seen, to notice a clock corrected backwards.
    now: i64,
}

/// Outputs kept between drains (a drain per input, or per batch of up to
/// 2,000 payloads, stays well under it).
pub const MAX_QUEUED_OUTPUTS: usize = 8192;

/// What a site's channel name starts with (the original's: one channel per site).
pub const CHANNEL_PREFIX: &str = "dashboard_updates:";

/// The channel name of the original: one per site.
pub fn channel_name(site_id: &str) -> String {
    format!("{CHANNEL_PREFIX}{site_id}")
}

impl RealtimeSession {
    /// Opens the channel right away (the first output is `Subscribe`).
    pub fn new(config: PipelineConfig, seed: u64) -> Self {
        let site_id = config.site_id.clone();
        let mut session = Self { site_id, connection: Connection::new(seed), pipeline: SignalPipeline::new(config), outputs: VecDeque::new(), dropped_outputs: 0, now: i64::MIN };
        session.connection.start();
        session.collect();
        session
    }

    /// The reducer: one input at `now_ms`.
    pub fn handle(&mut self, input: RealtimeInput<'_>, now_ms: i64) -> Option<PayloadOutcome> {
        self.advance(now_ms);
        let mut outcome = None;
        match input {
            RealtimeInput::PayloadText { text, seq } => outcome = Some(self.pipeline.handle_payload_text(text, seq, now_ms)),
            RealtimeInput::LookupResult { request_id, result } => self.pipeline.handle_lookup_result(request_id, result, now_ms),
            RealtimeInput::ChannelStatus { status, message } => self.connection.on_status(status, message, now_ms),
            RealtimeInput::SocketProbe { open } => self.connection.on_socket_probe(open),
            RealtimeInput::Reconnect => self.connection.reconnect(),
            RealtimeInput::Timeout => self.connection.handle_timeout(now_ms),
            RealtimeInput::Close => {
                self.connection.stop();
                self.pipeline.abandon_lookups(now_ms);
            }
        }
        self.collect();
        outcome
    }

    /// Moves the clock; a correction backwards re-bases the stored instants
    /// like the engine does (a pending reconnect is due at once).
    fn advance(&mut self, now_ms: i64) {
        if self.now != i64::MIN && now_ms < self.now.saturating_sub(crate::engine::timing::CLOCK_JUMP_BACK_MS) {
            self.connection.rebase(now_ms);
            self.pipeline.rebase(self.now - now_ms);
        }
        self.now = now_ms;
    }

    /// A JSON array of payloads numbered from `first_seq`, decoded in one
    /// parse. Returns each payload's outcome, or `Err` if the text is not an array.
    pub fn handle_batch_text(&mut self, text: &str, first_seq: u64, now_ms: i64) -> Result<Vec<PayloadOutcome>, DropReason> {
        self.advance(now_ms);
        let decoded = decode_batch_text(text)?;
        let mut outcomes = Vec::with_capacity(decoded.len());
        for (i, d) in decoded.into_iter().enumerate() {
            outcomes.push(self.pipeline.handle_decoded(d, first_seq.saturating_add(i as u64), now_ms));
            self.collect();
        }
        Ok(outcomes)
    }

    fn collect(&mut self) {
        let channel = channel_name(&self.site_id);
        for command in self.connection.drain_commands() {
            let (channel, site_id) = (channel.clone(), self.site_id.clone());
            self.outputs.push_back(match command {
                ChannelCommand::Subscribe => RealtimeOutput::Subscribe { channel, site_id },
                ChannelCommand::Unsubscribe => RealtimeOutput::Unsubscribe { channel, site_id },
            });
        }
        while let Some(lookup) = self.pipeline.poll_lookup() {
            let site_id = self.site_id.clone();
            self.outputs.push_back(RealtimeOutput::LookupSession { request_id: lookup.request_id, site_id, session_id: lookup.session_id });
        }
        while let Some(n) = self.pipeline.poll_notification() {
            self.outputs.push_back(RealtimeOutput::Notify(n));
        }
        while let Some(seq) = self.pipeline.poll_released() {
            self.outputs.push_back(RealtimeOutput::Release { seq });
        }
        // Bounded even if nobody drains: the oldest notification goes first.
        // Subscribes, lookups and releases are kept (their own limits bound them).
        while self.outputs.len() > MAX_QUEUED_OUTPUTS {
            match self.outputs.iter().position(|o| matches!(o, RealtimeOutput::Notify(_))) {
                Some(i) => {
                    self.outputs.remove(i);
                    self.dropped_outputs = self.dropped_outputs.saturating_add(1);
                }
                None => break,
            }
        }
    }

    /// Notifications dropped because outputs were not drained.
    pub fn dropped_outputs(&self) -> u64 {
        self.dropped_outputs
    }

    pub fn poll_output(&mut self) -> Option<RealtimeOutput> {
        self.outputs.pop_front()
    }

    /// A pending reconnect, or when `isLive`/`adsLive` will turn false by themselves.
    pub fn next_deadline(&self) -> Option<i64> {
        let s = self.pipeline.signals();
        [self.connection.next_deadline(), live_until(s.last_signal_at, self.now), live_until(s.last_ads_signal_at, self.now)].into_iter().flatten().min()
    }

    pub fn state(&self) -> RealtimeState {
        let s = self.pipeline.signals();
        RealtimeState {
            is_connected: self.connection.is_connected(),
            connection_status: self.connection.status(),
            // The engine's rule (engine::timing::is_live_at), at the latest `now` this session saw.
            is_live: is_live_at(s.last_signal_at, self.now),
            ads_live: is_live_at(s.last_ads_signal_at, self.now),
            last_event_at: s.last_event_at,
            last_signal_at: s.last_signal_at,
            last_signal_type: s.last_signal_type,
            event_count: s.event_count,
            error: self.connection.error().map(str::to_string),
        }
    }

    pub fn drops(&self) -> &DropCounts {
        self.pipeline.drops()
    }

    pub fn sizes(&self) -> PipelineSizes {
        self.pipeline.sizes()
    }

    pub fn pipeline(&self) -> &SignalPipeline {
        &self.pipeline
    }

    pub fn pipeline_mut(&mut self) -> &mut SignalPipeline {
        &mut self.pipeline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_numbers_follow_the_serialized_fields() {
        let state = RealtimeState {
            is_connected: true, connection_status: ChannelStatus::Reconnecting, is_live: false, ads_live: true, last_event_at: Some(5),
            last_signal_at: None, last_signal_type: Some(Table::Events), event_count: 7, error: None,
        };
        let json = serde_json::to_string(&state).unwrap_or_default();
        let keys: Vec<&str> = json.split('"').skip(1).step_by(2).filter(|k| REALTIME_STATE_FIELDS.iter().any(|(f, _)| f == k)).collect();
        let names: Vec<&str> = REALTIME_STATE_FIELDS.iter().map(|(f, _)| *f).collect();
        assert_eq!(keys, names, "{json}");
        let n = state.to_numbers().unwrap_or_default();
        assert_eq!(n[..4], [1.0, 6.0, 0.0, 1.0]);
        assert_eq!((n[4], n[5].is_nan(), n[6], n[7], n[8].is_nan()), (5.0, true, 2.0, 7.0, true));
        assert_eq!(RealtimeState { error: Some("x".into()), ..state }.to_numbers(), None);
    }
}
