//! `PulseEngine`: one coalesced scheduler for every hook on a page (section 6).
//!
//! Sans-IO, like quinn-proto: the engine never reads a clock and never does
//! IO. The run loop of its driver:
//!
//! 1. register interests (`register_realtime`, `register_stats`, ...);
//! 2. feed inputs as they happen: `handle_rpc_response`,
//!    `handle_overlay_response`, `handle_payload`, `handle_channel_status`,
//!    `set_visible`, `set_online`, `refetch`, `reconnect`;
//! 3. drain `poll_command` until `None` and carry each out;
//! 4. arm one timer at `poll_timeout()`; when it fires, `handle_timeout(now)`
//!    (harmless to call early or twice);
//! 5. read `snapshot(handle)` when `version(handle)` moved.
//!
//! Identical interests share one task: one channel, one probe and one overlay
//! poll per site; one stats request in flight per (site, range, scope).

mod command;
mod counters;
mod debug;
mod interest;
mod poll;
mod relative_time;
mod schedule;
mod site;
mod snapshot;
mod stats_task;
pub mod timing;

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

pub use command::{Command, RequestKind, RpcError};
pub use counters::{Counters, Dropped, LogEntry, RequestCounts};
pub use interest::{Interest, RangeSpec, StatsKey};
pub use relative_time::{next_label_change, relative_label};
pub use snapshot::{DateRangeIso, RegistrationSnapshot, StatsSnapshot};

use crate::error::{Error, ErrorKind, Result};
use crate::realtime::ChannelStatus;
use crate::site_id::validate_site_id;
use crate::stats::MergePolicy;
use crate::time::{parse_time_zone, DEFAULT_TIME_ZONE};
use counters::EngineLog;
use site::SiteTask;
use stats_task::StatsTask;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The zone of "today" (default `Europe/Istanbul`).
    pub time_zone: String,
    pub policy: MergePolicy,
    /// Seeds backoff jitter and dedup hashing (the driver passes a random value per page).
    pub seed: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self { time_zone: DEFAULT_TIME_ZONE.to_string(), policy: MergePolicy::DbTruth, seed: 0x5eed }
    }
}

/// What a request id is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Stats(StatsKey),
    Overlay(String),
    Probe(String),
    Lookup { site_id: String, ads_only: bool, pipeline_request: u64 },
}

/// The scheduler + pipeline for every hook on a page.
#[derive(Debug, Clone)]
pub struct PulseEngine {
    config: EngineConfig,
    now: i64,
    visible: bool,
    online: bool,
    registrations: BTreeMap<u32, Interest>,
    next_handle: u32,
    sites: BTreeMap<String, SiteTask>,
    stats: BTreeMap<StatsKey, StatsTask>,
    requests: BTreeMap<u64, Pending>,
    /// When each request in `requests` went out (for timeouts).
    request_started: BTreeMap<u64, i64>,
    next_request_id: u64,
    /// The server said `get_recent_intents_v2` does not exist: use v1 for the rest of the page.
    probe_v1: bool,
    /// Payload seqs retained by pipelines, per site: the row is released when the count drops to 0.
    retained: BTreeMap<(String, u64), u8>,
    commands: VecDeque<Command>,
    snapshots: BTreeMap<u32, (RegistrationSnapshot, u64)>,
    counters: Counters,
    log: EngineLog,
    last_deadline: Option<i64>,
    seeds: u64,
}

impl PulseEngine {
    pub fn new(config: EngineConfig) -> Result<Self> {
        parse_time_zone(&config.time_zone)?;
        Ok(Self {
            seeds: config.seed,
            config,
            now: 0,
            visible: true,
            online: true,
            registrations: BTreeMap::new(),
            next_handle: 1,
            sites: BTreeMap::new(),
            stats: BTreeMap::new(),
            requests: BTreeMap::new(),
            request_started: BTreeMap::new(),
            next_request_id: 1,
            probe_v1: false,
            retained: BTreeMap::new(),
            commands: VecDeque::new(),
            snapshots: BTreeMap::new(),
            counters: Counters::default(),
            log: EngineLog::default(),
            last_deadline: None,
        })
    }

    // ---- getters -----------------------------------------------------------

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The engine's clock: the latest `now` it was given.
    pub fn now(&self) -> i64 {
        self.now
    }

    pub fn is_active(&self) -> bool {
        self.visible && self.online
    }

    /// A registration's snapshot (what its hook renders).
    pub fn snapshot(&self, handle: u32) -> Option<&RegistrationSnapshot> {
        self.snapshots.get(&handle).map(|(s, _)| s)
    }

    /// Moves whenever `snapshot(handle)` changes; 0 for an unknown handle.
    pub fn version(&self, handle: u32) -> u64 {
        self.snapshots.get(&handle).map_or(0, |(_, v)| *v)
    }

    pub fn handles(&self) -> impl Iterator<Item = (u32, &Interest)> {
        self.registrations.iter().map(|(h, i)| (*h, i))
    }

    pub fn counters(&self) -> Counters {
        let mut c = self.counters.clone();
        c.dropped.payloads = counters::sum_drops(self.sites.values().flat_map(|s| s.pipelines.values().map(|(p, _)| p.drops())));
        c
    }

    pub fn log(&self) -> Vec<LogEntry> {
        self.log.entries()
    }

    /// Requests the engine is waiting on, by kind.
    pub fn in_flight(&self) -> BTreeMap<RequestKind, usize> {
        let mut out = BTreeMap::new();
        for p in self.requests.values() {
            *out.entry(Self::kind_of(p)).or_insert(0) += 1;
        }
        out
    }

    /// Rows the driver holds for payloads waiting on lookups.
    pub fn retained_rows(&self) -> usize {
        self.retained.len()
    }

    // ---- registrations -----------------------------------------------------

    fn check_site(site_id: &str) -> Result<()> {
        validate_site_id(site_id).map(|_| ())
    }

    fn new_handle(&mut self, interest: Interest) -> u32 {
        let handle = self.next_handle;
        self.next_handle = self.next_handle.wrapping_add(1).max(1);
        self.registrations.insert(handle, interest);
        handle
    }

    fn next_seed(&mut self) -> u64 {
        self.seeds = self.seeds.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.seeds
    }

    fn site_mut(&mut self, site_id: &str) -> &mut SiteTask {
        let seed = self.next_seed();
        self.sites.entry(site_id.to_string()).or_insert_with(|| SiteTask::new(site_id, seed))
    }

    /// Realtime interest in a site: the hook state, and callbacks when `callbacks` is set.
    pub fn register_realtime(&mut self, site_id: &str, ads_only: bool, callbacks: bool, now_ms: i64) -> Result<u32> {
        Self::check_site(site_id)?;
        self.advance(now_ms);
        self.site_mut(site_id).add_realtime(ads_only, now_ms);
        let handle = self.new_handle(Interest::Realtime { site_id: site_id.to_string(), ads_only, callbacks });
        self.log.push(now_ms, format!("register #{handle} realtime site={site_id} adsOnly={ads_only}"));
        self.pump(now_ms);
        Ok(handle)
    }

    /// Stats interest in (site, range, scope).
    pub fn register_stats(&mut self, site_id: &str, range: RangeSpec, ads_only: bool, now_ms: i64) -> Result<u32> {
        self.register_stats_seeded(site_id, range, ads_only, None, now_ms)
    }

    /// Stats interest seeded with a snapshot the server rendered (`raw` as the
    /// RPC returned it, fetched at `fetched_at_ms`). A fresh seed is shown at
    /// once and not refetched at mount; a stale one is refetched as usual.
    pub fn register_stats_seeded(&mut self, site_id: &str, range: RangeSpec, ads_only: bool, seed: Option<(&Value, i64)>, now_ms: i64) -> Result<u32> {
        Self::check_site(site_id)?;
        if let RangeSpec::Fixed { from_ms, to_ms } = range {
            if from_ms >= to_ms {
                return Err(Error::new(ErrorKind::InvalidArgument, format!("range must have from < to, got {from_ms} >= {to_ms}")));
            }
        }
        self.advance(now_ms);
        let overlay_was_active = self.overlay_active(site_id);
        let key = StatsKey { site_id: site_id.to_string(), range, ads_only };
        if !self.stats.contains_key(&key) {
            let seed = self.next_seed();
            let task = StatsTask::new(key.clone(), now_ms, &self.config.time_zone, self.config.policy, seed)?;
            self.stats.insert(key.clone(), task);
        }
        if let Some(task) = self.stats.get_mut(&key) {
            task.refs += 1;
            if let Some((raw, fetched_at)) = seed {
                let same_range = task.range.contains(fetched_at) || !task.is_today();
                if task.loaded_at.is_none() && task.fetch.in_flight.is_none() && same_range {
                    task.live.on_snapshot(crate::stats::normalize_p0_stats(raw), fetched_at);
                    task.loaded_at = Some(fetched_at);
                    if now_ms - fetched_at < timing::STALE_AFTER_MS {
                        task.fetch.next_at = None;
                    }
                }
            }
        }
        self.site_mut(site_id);
        if range == RangeSpec::Today && !overlay_was_active {
            if let Some(site) = self.sites.get_mut(site_id) {
                site.overlay.next_at = Some(now_ms);
            }
        }
        let handle = self.new_handle(Interest::Stats(key));
        self.log.push(now_ms, format!("register #{handle} stats site={site_id} range={range:?} adsOnly={ads_only}"));
        self.pump(now_ms);
        Ok(handle)
    }

    /// A relative-time label for instant `at_ms` ("12s ago"), ticking from the shared clock.
    pub fn register_relative_time(&mut self, at_ms: i64, now_ms: i64) -> u32 {
        self.advance(now_ms);
        let handle = self.new_handle(Interest::RelativeTime { at_ms });
        self.pump(now_ms);
        handle
    }

    /// Removes a registration; the last one of a task stops it (channel closed, polls stopped).
    pub fn unregister(&mut self, handle: u32, now_ms: i64) {
        self.advance(now_ms);
        let Some(interest) = self.registrations.remove(&handle) else { return };
        self.snapshots.remove(&handle);
        self.log.push(now_ms, format!("unregister #{handle}"));
        match interest {
            Interest::Realtime { site_id, ads_only, .. } => {
                if let Some(site) = self.sites.get_mut(&site_id) {
                    site.remove_realtime(ads_only, now_ms);
                }
                self.forget_pipeline_lookups(&site_id);
            }
            Interest::Stats(key) => {
                let remove = self.stats.get_mut(&key).is_some_and(|t| {
                    t.refs = t.refs.saturating_sub(1);
                    t.refs == 0
                });
                if remove {
                    self.stats.remove(&key);
                    self.requests.retain(|_, p| p != &Pending::Stats(key.clone()));
                    if !self.overlay_active(&key.site_id) {
                        if let Some(site) = self.sites.get_mut(&key.site_id) {
                            site.overlay.next_at = None;
                            site.overlay.in_flight = None;
                            site.catching_up = false;
                        }
                        let site_id = key.site_id.clone();
                        self.requests.retain(|_, p| p != &Pending::Overlay(site_id.clone()));
                    }
                }
            }
            Interest::RelativeTime { .. } => {}
        }
        self.pump(now_ms);
        self.drop_idle_sites();
    }

    /// Lookups whose pipeline is gone: their responses will be dropped.
    fn forget_pipeline_lookups(&mut self, site_id: &str) {
        let sites = &self.sites;
        self.requests.retain(|_, p| match p {
            Pending::Lookup { site_id: s, ads_only, .. } if s == site_id => {
                sites.get(s).is_some_and(|site| site.pipelines.contains_key(ads_only))
            }
            Pending::Probe(s) if s == site_id => sites.get(s).is_some_and(|site| site.realtime_refs() > 0),
            _ => true,
        });
    }

    fn drop_idle_sites(&mut self) {
        let stats = &self.stats;
        let idle: Vec<String> = self
            .sites
            .iter()
            .filter(|(id, s)| s.realtime_refs() == 0 && !stats.keys().any(|k| &k.site_id == *id))
            .map(|(id, _)| id.clone())
            .collect();
        for id in idle {
            // Let the channel's final Unsubscribe out before the site goes.
            self.collect_site_commands(&id);
            self.sites.remove(&id);
            self.requests.retain(|_, p| match p {
                Pending::Overlay(s) | Pending::Probe(s) => s != &id,
                Pending::Lookup { site_id, .. } => site_id != &id,
                Pending::Stats(_) => true,
            });
            self.retained.retain(|(s, _), _| s != &id);
        }
    }

    // ---- inputs ------------------------------------------------------------

    /// The timer fired (or any time: it only does what is due).
    pub fn handle_timeout(&mut self, now_ms: i64) {
        self.counters.wakeups = self.counters.wakeups.saturating_add(1);
        self.advance(now_ms);
        self.pump(now_ms);
    }

    /// The result of an `Rpc` command: `Ok(data)` or the error PostgREST returned.
    pub fn handle_rpc_response(&mut self, request_id: u64, result: std::result::Result<Value, RpcError>, now_ms: i64) {
        self.advance(now_ms);
        self.request_started.remove(&request_id);
        let Some(pending) = self.requests.remove(&request_id) else {
            self.drop_response(request_id, now_ms);
            return;
        };
        match pending {
            Pending::Stats(key) => self.on_stats_response(&key, request_id, result, now_ms),
            Pending::Probe(site_id) => self.on_probe_response(&site_id, result, now_ms),
            Pending::Lookup { site_id, ads_only, pipeline_request } => {
                self.on_lookup_response(&site_id, ads_only, pipeline_request, result, now_ms);
            }
            Pending::Overlay(site_id) => {
                // An overlay answered through the RPC path: treat as an error reply.
                self.on_overlay_response(&site_id, Err("overlay answered as an RPC".to_string()), now_ms);
            }
        }
        self.pump(now_ms);
    }

    fn on_lookup_response(&mut self, site_id: &str, ads_only: bool, pipeline_request: u64, result: std::result::Result<Value, RpcError>, now_ms: i64) {
        {
            {
                let verdict = match result {
                    Ok(Value::Array(rows)) => Ok(!rows.is_empty()),
                    Ok(Value::Null) => Ok(false),
                    Ok(Value::Object(_)) => Ok(true),
                    Ok(_) => Err("get_session_details returned an unexpected shape".to_string()),
                    Err(e) => Err(e.message),
                };
                if let Some((pipeline, _)) = self.sites.get_mut(site_id).and_then(|s| s.pipelines.get_mut(&ads_only)) {
                    pipeline.handle_lookup_result(pipeline_request, verdict, now_ms);
                }
            }
        }
    }

    /// The result of a `FetchOverlay` command: the JSON body, or a transport error.
    pub fn handle_overlay_response(&mut self, request_id: u64, result: std::result::Result<Value, String>, now_ms: i64) {
        self.advance(now_ms);
        match self.requests.remove(&request_id) {
            Some(Pending::Overlay(site_id)) => {
                self.request_started.remove(&request_id);
                self.on_overlay_response(&site_id, result, now_ms)
            }
            Some(other) => {
                self.requests.insert(request_id, other);
                self.drop_response(request_id, now_ms);
            }
            None => self.drop_response(request_id, now_ms),
        }
        self.pump(now_ms);
    }

    /// A postgres_changes payload for `site_id` as JSON text, numbered `seq` by
    /// the driver. Returns `true` when a pipeline keeps waiting on it (the
    /// driver keeps the row until a `Release`).
    pub fn handle_payload(&mut self, site_id: &str, text: &str, seq: u64, now_ms: i64) -> bool {
        self.advance(now_ms);
        let Some(site) = self.sites.get_mut(site_id) else { return false };
        let mut retained = 0u8;
        let mut signal = None;
        for (pipeline, _) in site.pipelines.values_mut() {
            let before = pipeline.signals().last_signal_at;
            let before_ads = pipeline.signals().last_ads_signal_at;
            if pipeline.handle_payload_text(text, seq, now_ms) == crate::realtime::PayloadOutcome::Retained {
                retained = retained.saturating_add(1);
            }
            let after = pipeline.signals();
            if after.last_signal_at != before {
                signal = Some(signal.unwrap_or(false) | (after.last_ads_signal_at != before_ads));
            }
        }
        if let Some(ads) = signal {
            site.saw_activity(now_ms, ads);
        }
        if retained > 0 {
            self.retained.insert((site_id.to_string(), seq), retained);
        }
        self.pump(now_ms);
        retained > 0
    }

    /// A channel status from the realtime adapter.
    pub fn handle_channel_status(&mut self, site_id: &str, status: ChannelStatus, message: Option<&str>, now_ms: i64) {
        self.advance(now_ms);
        if let Some(site) = self.sites.get_mut(site_id) {
            site.connection.on_status(status, message, now_ms);
            self.log.push(now_ms, format!("channel {site_id} {}", status.as_str()));
        }
        self.pump(now_ms);
    }

    /// The realtime socket opened or closed (all channels share it).
    pub fn handle_socket_probe(&mut self, open: bool, now_ms: i64) {
        self.advance(now_ms);
        for site in self.sites.values_mut() {
            site.connection.on_socket_probe(open);
        }
        self.pump(now_ms);
    }

    /// `document.visibilityState` changed. Hidden: nothing goes out. Visible
    /// again: one catch-up where data went stale.
    pub fn set_visible(&mut self, visible: bool, now_ms: i64) {
        self.advance(now_ms);
        let was_active = self.is_active();
        self.visible = visible;
        self.log.push(now_ms, format!("visible={visible}"));
        self.on_activity_change(was_active, now_ms);
    }

    /// `online`/`offline`.
    pub fn set_online(&mut self, online: bool, now_ms: i64) {
        self.advance(now_ms);
        let was_active = self.is_active();
        self.online = online;
        self.log.push(now_ms, format!("online={online}"));
        self.on_activity_change(was_active, now_ms);
    }

    /// `refetch()` of a stats hook: now (throttle aside).
    pub fn refetch(&mut self, handle: u32, now_ms: i64) {
        self.advance(now_ms);
        if let Some(Interest::Stats(key)) = self.registrations.get(&handle) {
            let active = self.is_active();
            if let Some(task) = self.stats.get_mut(key) {
                if task.fetch.in_flight.is_none() && active {
                    task.fetch.next_at = Some(now_ms);
                } else {
                    task.pending = true;
                }
            }
        }
        self.pump(now_ms);
    }

    /// `reconnect()` of a realtime hook.
    pub fn reconnect(&mut self, handle: u32, now_ms: i64) {
        self.advance(now_ms);
        if let Some(Interest::Realtime { site_id, .. }) = self.registrations.get(&handle) {
            if let Some(site) = self.sites.get_mut(site_id) {
                site.connection.reconnect();
            }
        }
        self.pump(now_ms);
    }

    /// Switches the merge policy of every stats view.
    pub fn set_policy(&mut self, policy: MergePolicy, now_ms: i64) {
        self.advance(now_ms);
        self.config.policy = policy;
        for task in self.stats.values_mut() {
            task.live.set_policy(policy);
        }
        self.pump(now_ms);
    }

    // ---- outputs -----------------------------------------------------------

    /// The next command for the driver, in order.
    pub fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }

    fn kind_of(p: &Pending) -> RequestKind {
        match p {
            Pending::Stats(_) => RequestKind::Stats,
            Pending::Overlay(_) => RequestKind::Overlay,
            Pending::Probe(_) => RequestKind::Probe,
            Pending::Lookup { .. } => RequestKind::Lookup,
        }
    }

    fn drop_response(&mut self, request_id: u64, now_ms: i64) {
        self.counters.dropped.responses = self.counters.dropped.responses.saturating_add(1);
        self.log.push(now_ms, format!("dropped response #{request_id} (superseded)"));
    }
}
