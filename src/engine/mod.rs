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
//!
//! Cost: every input touches only the sites and keys it concerns (they are
//! marked dirty and processed by `pump`), and the deadlines live in one
//! timer table ([`wake`]), so finding a site or key is a binary search
//! ([`sorted_map`]; adding or removing one moves the entries after it), and a
//! timeout costs what is due.
//!
//! Files, in the order data flows: `interest.rs` (what is registered),
//! `site.rs` / `stats_task.rs` (the shared tasks), `wake.rs` (the timer
//! table), `schedule.rs` (the pump: what is due, what to (re)arm), `issue.rs`
//! (one function per request kind), `in_flight.rs`, `responses.rs`,
//! `site_output.rs` (channel commands, callbacks, releases), `site_ix.rs` (a
//! site found once per input), `command_queue.rs`, `command_batch.rs` and
//! `flush_output.rs` (what a driver reads, as numbers), `snapshots.rs`,
//! `counters.rs`, `debug.rs`.

mod cadence;
mod command;
mod command_batch;
mod command_queue;
mod counters;
mod debug;
mod flush_output;
mod in_flight;
mod interest;
mod issue;
mod poll;
mod relative_time;
mod responses;
mod schedule;
mod site;
mod site_ix;
mod site_output;
mod snapshot;
mod snapshots;
pub mod sorted_map;
mod stats_task;
pub mod timing;
pub mod wake;
pub mod what_moves;

use crate::engine::sorted_map::{SortedMap, SortedSet};

use serde_json::Value;

pub use cadence::{Cadence, CadenceField, CADENCE_FIELDS};
pub use command::{AbortReason, Command, RequestKind, RequestReason, RpcError};
pub use command_batch::{encode_batch, Batch, BatchRecord, BATCH_RECORDS, SESSION_LOOKUP_PARAMS, SESSION_LOOKUP_RPC};
pub use command_queue::{CommandDrops, MAX_QUEUED_COMMANDS};
pub use flush_output::{FLUSH_CHANGE_FIELDS, FLUSH_HEADER};
pub use counters::{Counters, Dropped, LogEntry, PayloadCounts, RequestCounts};
pub use interest::{Interest, RangeSpec, StatsKey};
pub use relative_time::{next_label_change, relative_label, LabelBand, RELATIVE_LABEL_BANDS};
pub use snapshot::{DateRangeIso, RegistrationSnapshot, StatsSnapshot};
pub use wake::Wake;

use crate::error::{Error, ErrorKind, Result};
use crate::realtime::{decode_payload_text, decode_slots, read_slots, ChangePayload, ChannelStatus, DropReason};
use crate::site_id::canonical_site_id;
use crate::stats::MergePolicy;
use crate::text::{cap, message as capped, MAX_ID_BYTES};
use crate::time::{parse_time_zone, DEFAULT_TIME_ZONE};
use command_queue::CommandQueue;
use counters::EngineLog;
use in_flight::{InFlightMap, Pending, RequestError};
use schedule::Dirty;
use site::SiteTask;
use site_ix::{SiteIx, Sites};
use stats_task::StatsTask;
use wake::TimerTable;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The zone of "today" (default `Europe/Istanbul`).
    pub time_zone: String,
    pub policy: MergePolicy,
    /// Seeds backoff jitter and dedup hashing (the driver passes a random value per page).
    pub seed: u64,
    /// After a gap in realtime (before the first SUBSCRIBED, a reconnect, the
    /// socket down), replay the calls created meanwhile through the recent-intents
    /// RPC (the driver feeds its rows through the pipeline, so dedup makes overlaps
    /// harmless). Off: the callbacks get `onDataFreshness` so the app refetches its lists.
    pub replay_calls: bool,
    /// Poll, throttle, timeout and backoff intervals (defaults: `timing.rs`).
    pub cadence: Cadence,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self { time_zone: DEFAULT_TIME_ZONE.to_string(), policy: MergePolicy::DbTruth, seed: 0x5eed, replay_calls: false, cadence: Cadence::default() }
    }
}

/// The scheduler + pipeline for every hook on a page.
#[derive(Debug, Clone)]
pub struct PulseEngine {
    config: EngineConfig,
    now: i64,
    visible: bool,
    online: bool,
    registrations: SortedMap<u32, Interest>,
    next_handle: u32,
    // Boxed: a task is ~600 B, and the sorted maps move entries on insert and remove.
    sites: Sites,
    stats: SortedMap<StatsKey, Box<StatsTask>>,
    in_flight: InFlightMap,
    /// The server said `get_recent_intents_v2` does not exist: use v1 for the rest of the page.
    probe_v1: bool,
    /// The instant the page's data is complete as of (the server render), if known.
    data_as_of: Option<i64>,
    commands: CommandQueue,
    snapshots: SortedMap<u32, (RegistrationSnapshot, u64)>,
    /// Handles whose snapshot changed since the driver last asked (bounded by the registrations).
    changed: SortedSet<u32>,
    timers: TimerTable,
    dirty: Dirty,
    counters: Counters,
    /// Payload counts of pipelines and sites that are gone, plus payloads
    /// for sites nobody watches: counters never go down.
    retired_payloads: PayloadCounts,
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
            registrations: SortedMap::new(),
            next_handle: 1,
            sites: SortedMap::new(),
            stats: SortedMap::new(),
            in_flight: InFlightMap::default(),
            probe_v1: false,
            data_as_of: None,
            commands: CommandQueue::default(),
            snapshots: SortedMap::new(),
            changed: SortedSet::new(),
            timers: TimerTable::default(),
            dirty: Dirty::default(),
            counters: Counters::default(),
            retired_payloads: PayloadCounts::default(),
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

    /// Counters for the engine's whole life: `payloads.received ==
    /// payloads.accepted + payloads.dropped.total() + payloads.pending`.
    pub fn counters(&self) -> Counters {
        let mut c = self.counters.clone();
        let mut payloads = self.retired_payloads.clone();
        for site in self.sites.values() {
            payloads.add(&site.payload_counts());
        }
        c.dropped.payloads = payloads.dropped.clone();
        c.dropped.commands = self.commands.drops().clone();
        c.payloads = payloads;
        c
    }

    /// One site's payload counts (live pipelines and the ones it had before).
    pub fn site_payload_counts(&self, site_id: &str) -> Option<PayloadCounts> {
        self.sites.get(&canonical_site_id(site_id)).map(|site| site.payload_counts())
    }

    pub fn log(&self) -> Vec<LogEntry> {
        self.log.entries()
    }

    /// Requests the engine is waiting on, by kind.
    pub fn in_flight(&self) -> SortedMap<RequestKind, usize> {
        let mut out = SortedMap::new();
        for (_, r) in self.in_flight.iter() {
            *out.get_or_insert_with(r.pending.kind(), || 0) += 1;
        }
        out
    }

    /// Rows the driver holds for payloads waiting on lookups.
    pub fn retained_rows(&self) -> usize {
        self.sites.values().map(|s| s.retained.len()).sum()
    }

    /// Commands waiting for `poll_command`.
    pub fn queued_commands(&self) -> usize {
        self.commands.len()
    }

    // ---- registrations -----------------------------------------------------

    /// A validated site id in its canonical form (UUIDs lower case, as Postgres sends them).
    fn site_key(site_id: &str) -> Result<String> {
        crate::site_id::validate_site_id(site_id)?;
        Ok(canonical_site_id(site_id))
    }

    fn new_handle(&mut self, interest: Interest) -> u32 {
        // Handles are never reused while registered, even after wrapping.
        while self.registrations.contains_key(&self.next_handle) {
            self.next_handle = self.next_handle.wrapping_add(1).max(1);
        }
        let handle = self.next_handle;
        self.next_handle = self.next_handle.wrapping_add(1).max(1);
        self.registrations.insert(handle, interest);
        self.dirty.handles.insert(handle);
        handle
    }

    fn next_seed(&mut self) -> u64 {
        self.seeds = self.seeds.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.seeds
    }

    /// The site's task, created on first interest; marked dirty.
    fn site_mut(&mut self, site_id: &str) -> &mut SiteTask {
        let seed = if self.sites.contains_key(site_id) { 0 } else { self.next_seed() };
        let cadence = self.config.cadence;
        self.dirty.sites.insert(site_id.to_string());
        self.sites.get_or_insert_with(site_id.to_string(), || Box::new(SiteTask::new(site_id, seed, cadence)))
    }

    /// Realtime interest in a site: the hook state, and callbacks when `callbacks` is set.
    pub fn register_realtime(&mut self, site_id: &str, ads_only: bool, callbacks: bool, now_ms: i64) -> Result<u32> {
        let site_id = Self::site_key(site_id)?;
        self.advance(now_ms);
        let handle = self.new_handle(Interest::Realtime { site_id: site_id.clone(), ads_only, callbacks });
        let data_as_of = self.data_as_of.map_or(now_ms, |t| t.min(now_ms));
        let site = self.site_mut(&site_id);
        if site.realtime_refs() == 0 {
            // What happened before the channel reports in is nobody's to report: a gap from the data's instant.
            site.gap_since = Some(data_as_of);
        }
        site.add_realtime(ads_only, now_ms);
        site.handles.insert(handle, (ads_only, callbacks));
        self.log.push(now_ms, format!("register #{handle} realtime site={site_id} adsOnly={ads_only}"));
        self.pump(now_ms);
        Ok(handle)
    }

    /// The page's data is complete as of `at_ms` (the server snapshot's
    /// `nowMs`): the first SUBSCRIBED of each site catches up from there.
    pub fn set_data_as_of(&mut self, at_ms: i64) {
        self.data_as_of = Some(at_ms);
    }

    /// Stats interest in (site, range, scope).
    pub fn register_stats(&mut self, site_id: &str, range: RangeSpec, ads_only: bool, now_ms: i64) -> Result<u32> {
        self.register_stats_seeded(site_id, range, ads_only, None, now_ms)
    }

    /// Stats interest seeded with a snapshot the server rendered (`raw` as the
    /// RPC returned it, fetched at `fetched_at_ms`). A fresh seed is shown at
    /// once and not refetched at mount; a stale one is refetched as usual.
    pub fn register_stats_seeded(&mut self, site_id: &str, range: RangeSpec, ads_only: bool, seed: Option<(&Value, i64)>, now_ms: i64) -> Result<u32> {
        let site_id = Self::site_key(site_id)?;
        if let RangeSpec::Fixed { from_ms, to_ms } = range {
            if from_ms >= to_ms {
                return Err(Error::new(ErrorKind::InvalidArgument, format!("range must have from < to, got {from_ms} >= {to_ms}")));
            }
        }
        self.advance(now_ms);
        let key = StatsKey { site_id: site_id.clone(), range, ads_only };
        if !self.stats.contains_key(&key) {
            let seed = self.next_seed();
            let task = StatsTask::new(key.clone(), now_ms, &self.config, seed)?;
            self.stats.insert(key.clone(), Box::new(task));
        }
        let overlay_was_active = self.sites.get(&site_id).is_some_and(|site| site.overlay_active());
        let handle = self.new_handle(Interest::Stats(key.clone()));
        if let Some(task) = self.stats.get_mut(&key) {
            task.handles.insert(handle);
            if let Some((raw, fetched_at)) = seed {
                let same_range = task.range.contains(fetched_at) || !task.is_today();
                if task.loaded_at.is_none() && task.fetch.in_flight.is_none() && same_range {
                    task.live.on_snapshot(crate::stats::normalize_p0_stats(raw), fetched_at);
                    task.loaded_at = Some(fetched_at);
                    if now_ms - fetched_at < self.config.cadence.stale_after_ms {
                        task.fetch.next_at = None;
                    }
                }
            }
        }
        self.dirty.stats.insert(key.clone());
        let site = self.site_mut(&site_id);
        site.stats_keys.insert(key);
        if range == RangeSpec::Today && !overlay_was_active {
            site.overlay.due(now_ms, RequestReason::Startup);
        }
        self.log.push(now_ms, format!("register #{handle} stats site={site_id} range={} adsOnly={ads_only}", debug::range_text(&range)));
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

    /// Removes a registration; the last one of a task stops it (channel
    /// closed, polls stopped, requests forgotten, held rows released).
    pub fn unregister(&mut self, handle: u32, now_ms: i64) {
        self.advance(now_ms);
        let Some(interest) = self.registrations.remove(&handle) else { return };
        self.snapshots.remove(&handle);
        self.changed.remove(&handle);
        self.dirty.handles.remove(&handle);
        self.timers.set(Wake::RelativeLabel { handle }, None);
        self.log.push(now_ms, format!("unregister #{handle}"));
        match interest {
            Interest::Realtime { site_id, ads_only, .. } => {
                self.dirty.sites.insert(site_id.clone());
                if let Some(site) = self.sites.get_mut(&site_id) {
                    site.handles.remove(&handle);
                    if let Some(gone) = site.remove_realtime(ads_only, now_ms) {
                        self.retire_pipeline(&site_id, ads_only, gone);
                    }
                }
                if self.sites.get(&site_id).is_some_and(|s| s.realtime_refs() == 0) {
                    self.forget_probe(&site_id);
                    self.arm_refresh_without_realtime(&site_id, now_ms);
                }
            }
            Interest::Stats(key) => {
                let remove = self.stats.get_mut(&key).is_some_and(|t| {
                    t.handles.remove(&handle);
                    t.handles.is_empty()
                });
                if remove {
                    self.remove_stats_task(&key);
                }
            }
            Interest::RelativeTime { .. } => {}
        }
        self.pump(now_ms);
    }

    fn remove_stats_task(&mut self, key: &StatsKey) {
        if let Some(task) = self.stats.remove(key) {
            if let Some(id) = task.fetch.in_flight {
                self.forget_request(id);
            }
        }
        self.timers.set(Wake::StatsFetch { key: key.clone() }, None);
        self.timers.set(Wake::Rollover { key: key.clone() }, None);
        self.dirty.stats.remove(key);
        self.dirty.sites.insert(key.site_id.clone());
        let overlay_gone = self.sites.get_mut(&key.site_id).is_some_and(|site| {
            site.stats_keys.remove(key);
            !site.overlay_active()
        });
        if overlay_gone {
            let in_flight = self.sites.get_mut(&key.site_id).and_then(|site| {
                site.overlay.next_at = None;
                site.catching_up = false;
                site.overlay.in_flight.take()
            });
            if let Some(id) = in_flight {
                self.forget_request(id);
            }
        }
    }

    /// The site's channel started or stopped reporting changes. Stopping opens
    /// a gap (everything up to now was reported); starting closes it: stats
    /// fetched before now are refreshed, and the calls of the gap are caught up
    /// when requests may go out (`issue_catch_up`).
    fn on_reporting_change(&mut self, site_id: &str, was_reporting: bool, now_ms: i64) {
        let Some(site) = self.sites.get_mut(site_id) else { return };
        let reporting = site.realtime_reports_changes();
        if was_reporting && !reporting {
            site.gap_since = Some(site.gap_since.map_or(now_ms, |t| t.min(now_ms)));
        } else if reporting && !was_reporting {
            self.on_subscribed(site_id, now_ms);
        }
    }

    /// The channel is SUBSCRIBED after a gap (first subscribe, reconnect):
    /// stats older than now are refreshed once (see `StatsTask::on_subscribed`).
    fn on_subscribed(&mut self, site_id: &str, now_ms: i64) {
        let Some(site) = self.sites.get(site_id) else { return };
        for key in &site.stats_keys {
            if let Some(task) = self.stats.get_mut(key) {
                task.on_subscribed(now_ms);
                self.dirty.stats.insert(key.clone());
            }
        }
    }

    /// When the site's channel stops reporting changes, its stats covering
    /// now fall back to a timed refresh (`what_moves`).
    fn arm_refresh_without_realtime(&mut self, site_id: &str, now_ms: i64) {
        let Some(site) = self.sites.get(site_id).filter(|s| !s.realtime_reports_changes()) else { return };
        for key in &site.stats_keys {
            if let Some(task) = self.stats.get_mut(key) {
                task.refresh_later_if(true, now_ms);
                self.dirty.stats.insert(key.clone());
            }
        }
    }

    fn forget_probe(&mut self, site_id: &str) {
        if let Some(id) = self.sites.get_mut(site_id).and_then(|s| s.probe.in_flight.take()) {
            self.forget_request(id);
        }
    }

    /// A request whose answer no longer matters: the driver aborts it, and
    /// a late answer is dropped.
    fn forget_request(&mut self, request_id: u64) {
        self.timers.set(Wake::RequestTimeout { request_id }, None);
        if self.in_flight.take(request_id).is_some() {
            let now = self.now;
            self.push(Command::Abort { request_id, reason: AbortReason::Superseded }, now);
        }
    }

    /// A pipeline whose last consumer left: its lookups are abandoned (their
    /// requests forgotten), the rows it held are released, its counts kept.
    fn retire_pipeline(&mut self, site_id: &str, ads_only: bool, mut pipeline: crate::realtime::SignalPipeline) {
        let lookups: Vec<u64> = self.sites.get_mut(site_id).map(|s| s.take_lookups(ads_only)).unwrap_or_default();
        for id in lookups {
            self.forget_request(id);
        }
        pipeline.abandon_lookups(self.now);
        while pipeline.poll_notification().is_some() {}
        let mut released = Vec::new();
        while let Some(seq) = pipeline.poll_released() {
            released.push(seq);
        }
        let now = self.now;
        let Some(site) = self.find_site(site_id) else { return };
        for seq in released {
            self.release_one(&site, seq, now);
        }
        if let Some(site) = site.get_mut(&mut self.sites) {
            site.retired.add(&counters::pipeline_counts(&pipeline));
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
        let result = result.map_err(RpcError::bounded);
        let pending = self.take_request(request_id, |p| !matches!(p, Pending::Overlay(_)));
        // Found once for the answer and the pump after it (no answer adds or removes a site).
        let site = pending.as_ref().and_then(|p| self.find_site(p.site_id()));
        match &pending {
            Some(Pending::Stats(key)) => self.on_stats_response(key, request_id, result, now_ms),
            Some(Pending::Probe(site_id)) => self.on_probe_response(site_id, request_id, result, now_ms),
            Some(Pending::Lookup { .. }) => {
                if let Some(site) = &site {
                    self.on_lookup_response(site, request_id, result.map_err(|e| e.message), now_ms);
                }
            }
            Some(Pending::Overlay(site_id)) => {
                self.on_overlay_response(site_id, request_id, Err(RequestError::WrongPath.message().to_string()), now_ms);
            }
            Some(Pending::Replay { site_id, since_ms }) => self.on_replay_response(site_id, request_id, *since_ms, result, now_ms),
            None => self.drop_response(request_id, now_ms),
        }
        self.pump_answered(site, now_ms);
    }

    /// The result of a `FetchOverlay` command: the JSON body, or a transport error.
    pub fn handle_overlay_response(&mut self, request_id: u64, result: std::result::Result<Value, String>, now_ms: i64) {
        self.advance(now_ms);
        let pending = self.take_request(request_id, |p| matches!(p, Pending::Overlay(_)));
        match &pending {
            Some(Pending::Overlay(site_id)) => self.on_overlay_response(site_id, request_id, result.map_err(|e| capped(&e)), now_ms),
            _ => self.drop_response(request_id, now_ms),
        }
        let site = pending.as_ref().and_then(|p| self.find_site(p.site_id()));
        self.pump_answered(site, now_ms);
    }

    /// Takes a request in flight if `fits` its answer path; its timeout is
    /// disarmed. A stats key is marked dirty; its site is pumped by `pump_answered`.
    fn take_request(&mut self, request_id: u64, fits: impl Fn(&Pending) -> bool) -> Option<Pending> {
        if !self.in_flight.get(request_id).is_some_and(|r| fits(&r.pending)) {
            return None;
        }
        self.timers.set(Wake::RequestTimeout { request_id }, None);
        let pending = self.in_flight.take(request_id)?.pending;
        if let Pending::Stats(key) = &pending {
            self.dirty.stats.insert(key.clone());
        }
        Some(pending)
    }

    /// The pump after an answer: the site it was for (a lookup's answer
    /// concerns that site alone), or what is due when it was for nothing (or
    /// for a site that is gone: it has nothing to do).
    fn pump_answered(&mut self, site: Option<SiteIx<'_>>, now_ms: i64) {
        match site {
            Some(site) => self.pump_for_site(site, now_ms),
            None => self.pump(now_ms),
        }
    }

    /// A postgres_changes payload for `site_id` as JSON text, numbered `seq` by
    /// the driver. Returns `true` when a pipeline keeps waiting on it (the
    /// driver keeps the row until a `Release`). Every payload is counted:
    /// received, then accepted or dropped by reason.
    pub fn handle_payload(&mut self, site_id: &str, text: &str, seq: u64, now_ms: i64) -> bool {
        self.handle_decoded_payload(site_id, decode_payload_text(text), seq, now_ms)
    }

    /// A payload the JS edge read into slots (`realtime::payload_view`): the
    /// same rules and counts as [`Self::handle_payload`], without JSON text.
    pub fn handle_payload_slots(&mut self, site_id: &str, slots: &[f64], text: &str, seq: u64, now_ms: i64) -> bool {
        let seen = read_slots(slots, text);
        self.handle_decoded_payload(site_id, seen.and_then(|s| decode_slots(&s)), seq, now_ms)
    }

    fn handle_decoded_payload(&mut self, site_id: &str, decoded: std::result::Result<ChangePayload<'_>, DropReason>, seq: u64, now_ms: i64) -> bool {
        self.advance(now_ms);
        // The driver passes the id the engine subscribed with, already canonical: no copy per payload.
        // Found once for the payload and its pump (`SiteIx`).
        let site = self.find_site(site_id);
        let retained = match site.as_ref().and_then(|s| s.get_mut(&mut self.sites)).filter(|s| !s.pipelines.is_empty()) {
            Some(task) => task.handle_payload(decoded, seq, now_ms),
            None => {
                let canonical = canonical_site_id(site_id);
                if canonical != site_id && self.sites.contains_key(&canonical) {
                    return self.handle_decoded_payload(&canonical, decoded, seq, now_ms);
                }
                self.retired_payloads.drop_one(DropReason::NoSubscriber);
                return false;
            }
        };
        if let Some(site) = site {
            self.pump_for_site(site, now_ms);
        }
        retained
    }

    /// A payload the boundary refused before it crossed (larger than
    /// `MAX_PAYLOAD_BYTES`): counted as `oversized` like any other drop.
    pub fn handle_oversized_payload(&mut self, site_id: &str, now_ms: i64) {
        self.advance(now_ms);
        let site_id = canonical_site_id(site_id);
        match self.sites.get_mut(&site_id).filter(|s| !s.pipelines.is_empty()) {
            Some(site) => {
                for (pipeline, _) in site.pipelines.values_mut() {
                    pipeline.record_drop(DropReason::Oversized);
                }
            }
            None => self.retired_payloads.drop_one(DropReason::NoSubscriber),
        }
    }

    /// A channel status from the realtime adapter.
    pub fn handle_channel_status(&mut self, site_id: &str, status: ChannelStatus, message: Option<&str>, now_ms: i64) {
        self.advance(now_ms);
        let site_id = canonical_site_id(site_id);
        if let Some(site) = self.sites.get_mut(&site_id) {
            let was_reporting = site.realtime_reports_changes();
            site.connection.on_status(status, message, now_ms);
            self.log.push(now_ms, format!("channel {site_id} {}", status.as_str()));
            self.on_reporting_change(&site_id, was_reporting, now_ms);
            self.arm_refresh_without_realtime(&site_id, now_ms);
            self.dirty.sites.insert(site_id);
        }
        self.pump(now_ms);
    }

    /// The realtime socket opened or closed (all channels share it).
    pub fn handle_socket_probe(&mut self, open: bool, now_ms: i64) {
        self.advance(now_ms);
        let ids: Vec<String> = self.sites.keys().cloned().collect();
        for site_id in ids {
            let Some(site) = self.sites.get_mut(&site_id) else { continue };
            let was_reporting = site.realtime_reports_changes();
            site.connection.on_socket_probe(open);
            self.on_reporting_change(&site_id, was_reporting, now_ms);
            self.dirty.sites.insert(site_id);
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
                    task.fetch.due(now_ms, RequestReason::Manual);
                } else {
                    task.pending = true;
                    task.pending_reason = RequestReason::Manual;
                }
                self.dirty.stats.insert(key.clone());
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
                self.dirty.sites.insert(site_id.clone());
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
        self.dirty.stats.extend(self.stats.keys().cloned());
        self.pump(now_ms);
    }

    // ---- outputs -----------------------------------------------------------

    /// The next command for the driver, in order.
    pub fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop()
    }

    /// Every queued command as numeric records (`command_batch`); an empty queue appends nothing.
    pub fn drain_batch(&mut self, batch: &mut Batch) {
        command_batch::encode_queue(&mut self.commands, batch);
    }

    /// `take_changed_handles` with each handle's version: `[handle, version, …]`.
    pub fn take_changed_versions(&mut self) -> Vec<f64> {
        let changed = std::mem::take(&mut self.changed);
        changed.into_iter().flat_map(|h| [f64::from(h), self.version(h) as f64]).collect()
    }

    /// The handles whose snapshot changed since the last call, ascending: a
    /// driver publishes those instead of asking every handle for its version.
    pub fn take_changed_handles(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.changed).into_iter().collect()
    }

    fn drop_response(&mut self, request_id: u64, now_ms: i64) {
        self.counters.dropped.responses = self.counters.dropped.responses.saturating_add(1);
        self.log.push(now_ms, format!("dropped response #{request_id} (superseded)"));
    }
}

impl RpcError {
    /// The error with its strings capped (they come from the network).
    fn bounded(self) -> Self {
        RpcError { code: self.code.map(|c| cap(&c, MAX_ID_BYTES).into_owned()), message: capped(&self.message) }
    }
}
