//! A fake-clock harness for `PulseEngine`: it jumps straight to the next
//! deadline and answers commands from a script, recording everything the
//! engine asked for with the time it asked (like quinn's `tests/util.rs`).

use std::collections::VecDeque;

use opsmantik_pulse::engine::{Cadence, Command, EngineConfig, PulseEngine, RequestKind, RpcError};
use opsmantik_pulse::realtime::ChannelStatus;
use opsmantik_pulse::stats::MergePolicy;
use opsmantik_pulse::time::today_range;
use serde_json::{json, Value};

pub const SITE: &str = "3f2b6c1e-9a4d-4c1e-8f00-000000000001";

/// How the fake backend answers.
pub struct Backend {
    /// Overlay `captured` by poll number (the last value repeats).
    pub overlay_captured: Vec<u32>,
    pub overlay_polls: usize,
    /// Probe rows: true = an intent in the last 5 minutes.
    pub probe_hit: bool,
    /// Errors to return for the next N stats requests.
    pub stats_errors: usize,
    /// `get_recent_intents_v2` is missing on this server.
    pub v2_missing: bool,
    /// Answer delay in ms (0 = at once, in the same instant).
    pub delay_ms: i64,
    pub sealed: u32,
    /// Answer `Subscribe` with SUBSCRIBED.
    pub subscribe: bool,
}

impl Default for Backend {
    fn default() -> Self {
        Self { overlay_captured: vec![0], overlay_polls: 0, probe_hit: false, stats_errors: 0, v2_missing: false, delay_ms: 0, sealed: 1, subscribe: true }
    }
}

pub struct Harness {
    pub engine: PulseEngine,
    pub now: i64,
    pub backend: Backend,
    /// `(at, label)` of every command, in order.
    pub trace: Vec<(i64, String)>,
    /// Requests answered later: (due, command).
    queue: VecDeque<(i64, Command)>,
    pub zone: &'static str,
}

pub fn label(c: &Command) -> String {
    match c {
        Command::Rpc { name, .. } => (*name).to_string(),
        Command::FetchOverlay { .. } => "overlay".to_string(),
        Command::Subscribe { .. } => "subscribe".to_string(),
        Command::Unsubscribe { .. } => "unsubscribe".to_string(),
        Command::Notify { kind, .. } => format!("notify:{kind:?}"),
        Command::Release { seq, .. } => format!("release:{seq}"),
        Command::Abort { reason, .. } => format!("abort:{}", reason.as_str()),
    }
}

impl Harness {
    pub fn new(now: i64) -> Self {
        Self::with_zone(now, "Europe/Istanbul")
    }

    pub fn with_zone(now: i64, zone: &'static str) -> Self {
        Self::with_config(now, zone, Cadence::default())
    }

    pub fn with_config(now: i64, zone: &'static str, cadence: Cadence) -> Self {
        let config = EngineConfig { time_zone: zone.to_string(), policy: MergePolicy::DbTruth, seed: 7, replay_calls: false, cadence };
        Self { engine: PulseEngine::new(config).unwrap(), now, backend: Backend::default(), trace: Vec::new(), queue: VecDeque::new(), zone }
    }

    /// Drains commands, answering requests per the backend (at once or later).
    pub fn drain(&mut self) {
        loop {
            let mut progressed = false;
            while let Some(c) = self.engine.poll_command() {
                progressed = true;
                crate::json_shapes::same(&c);
                self.trace.push((self.now, label(&c)));
                match c {
                    Command::Rpc { .. } | Command::FetchOverlay { .. } | Command::Subscribe { .. } => self.queue.push_back((self.now + self.backend.delay_ms, c)),
                    _ => {}
                }
            }
            // Answer what is due now.
            let due: Vec<Command> = {
                let now = self.now;
                let (ready, later): (Vec<_>, Vec<_>) = self.queue.drain(..).partition(|(at, _)| *at <= now);
                self.queue = later.into();
                ready.into_iter().map(|(_, c)| c).collect()
            };
            for c in due {
                progressed = true;
                self.answer(c);
            }
            if !progressed {
                break;
            }
        }
        crate::json_shapes::check_engine(&self.engine);
    }

    fn answer(&mut self, c: Command) {
        let now = self.now;
        match c {
            Command::FetchOverlay { request_id, .. } => {
                let i = self.backend.overlay_polls.min(self.backend.overlay_captured.len().saturating_sub(1));
                let captured = self.backend.overlay_captured.get(i).copied().unwrap_or(0);
                self.backend.overlay_polls += 1;
                self.engine.handle_overlay_response(request_id, Ok(json!({"captured": captured, "gclid": 0, "junk": 0})), now);
            }
            // The channel opens like supabase-js reports it (unless the test says otherwise).
            Command::Subscribe { site_id, .. } if self.backend.subscribe => self.engine.handle_channel_status(&site_id, ChannelStatus::Subscribed, None, now),
            Command::Rpc { request_id, kind, name, params, .. } => {
                let result: Result<Value, RpcError> = match kind {
                    RequestKind::Stats if self.backend.stats_errors > 0 => {
                        self.backend.stats_errors -= 1;
                        Err(RpcError { code: Some("500".into()), message: "boom".into() })
                    }
                    RequestKind::Stats => Ok(json!({
                        "site_id": params["p_site_id"], "date_from": params["p_date_from"], "date_to": params["p_date_to"],
                        "ads_only": params["p_ads_only"], "queue_pending": 0, "sealed": self.backend.sealed, "junk": 0,
                        "auto_approved": 0, "oci_uploaded": 0, "oci_failed": 0, "oci_matchable_sealed": 0, "assumed_cpc": 0,
                        "currency": "TRY", "estimated_budget_saved": 0, "projected_revenue": 0, "total_leads": 0,
                        "gclid_leads": 0, "avg_scroll_depth": 0, "inbox_zero_now": true
                    })),
                    RequestKind::Probe if name == "get_recent_intents_v2" && self.backend.v2_missing => {
                        Err(RpcError { code: Some("PGRST202".into()), message: "Could not find the function".into() })
                    }
                    RequestKind::Probe => Ok(if self.backend.probe_hit { json!([{"id": "i1"}]) } else { json!([]) }),
                    RequestKind::Lookup => Ok(json!([{"id": "s"}])),
                    RequestKind::Overlay => Err(RpcError { code: None, message: "overlay is not an RPC".into() }),
                    RequestKind::Replay => Ok(json!([])),
                };
                self.engine.handle_rpc_response(request_id, result, now);
            }
            _ => {}
        }
    }

    /// Runs until `until_ms`, jumping from deadline to deadline.
    pub fn run_until(&mut self, until_ms: i64) {
        self.drain();
        loop {
            let next_answer = self.queue.iter().map(|(at, _)| *at).min();
            let deadline = self.engine.poll_timeout();
            let next = [deadline, next_answer].into_iter().flatten().min();
            match next {
                Some(at) if at <= until_ms => {
                    self.now = self.now.max(at);
                    if deadline == Some(at) {
                        self.engine.handle_timeout(self.now);
                    }
                    self.drain();
                }
                _ => break,
            }
        }
        self.now = self.now.max(until_ms);
        self.engine.handle_timeout(self.now);
        self.drain();
    }

    /// Commands (labels) issued in `[from, to)`.
    pub fn between(&self, from: i64, to: i64) -> Vec<String> {
        self.trace.iter().filter(|(at, _)| *at >= from && *at < to).map(|(_, l)| l.clone()).collect()
    }

    pub fn count(&self, what: &str) -> usize {
        self.trace.iter().filter(|(_, l)| l == what).count()
    }

    pub fn today(&self) -> opsmantik_pulse::time::DayRange {
        today_range(self.now, self.zone).unwrap()
    }
}
