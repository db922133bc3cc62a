//! The scheduler proper: what runs when. `pump` does everything due at `now`
//! (in a fixed order, so command sequences are deterministic) and
//! `poll_timeout` reports the one deadline to arm.

use serde_json::{json, Value};

use super::command::{Command, RequestKind, RpcError};
use super::interest::{Interest, RangeSpec, StatsKey};
use super::relative_time::{next_label_change, relative_label};
use super::snapshot::{DateRangeIso, RegistrationSnapshot, StatsSnapshot};
use super::timing::{CLOCK_JUMP_BACK_MS, LIVE_WINDOW_MS, OVERLAY_POLL_MS, PROBE_FAST_MS, REQUEST_TIMEOUT_MS, STALE_AFTER_MS};
use super::{Pending, PulseEngine};
use crate::realtime::{channel_name, NotificationKind, RealtimeState};
use crate::stats::{normalize_overlay, normalize_p0_stats};
use crate::time::to_iso_string;

impl PulseEngine {
    /// The one deadline to arm (epoch ms), or `None` when nothing is scheduled.
    /// Counts a timer armed each time the deadline moves.
    pub fn poll_timeout(&mut self) -> Option<i64> {
        let now = self.now;
        let active = self.is_active();
        let mut next: Option<i64> = None;
        let mut consider = |at: Option<i64>| {
            if let Some(at) = at {
                next = Some(next.map_or(at, |n: i64| n.min(at)));
            }
        };
        for task in self.stats.values() {
            if task.is_today() {
                consider(Some(task.range.to_ms));
            }
            if active {
                consider(task.fetch.deadline());
            }
        }
        for site in self.sites.values() {
            if active {
                consider(site.connection.next_deadline());
                if self.probe_active(site) {
                    consider(site.probe.deadline());
                }
                if self.overlay_active(&site.site_id) {
                    consider(site.overlay.deadline());
                }
            }
            if self.visible && site.realtime_refs() > 0 {
                consider(site.live_expiry(now));
            }
        }
        consider(self.request_started.values().min().map(|t| t + REQUEST_TIMEOUT_MS));
        if self.visible {
            for interest in self.registrations.values() {
                if let Interest::RelativeTime { at_ms } = interest {
                    consider(Some(next_label_change(now, *at_ms)));
                }
            }
        }
        if next.is_some() && next != self.last_deadline {
            self.counters.timers_armed = self.counters.timers_armed.saturating_add(1);
        }
        self.last_deadline = next;
        next
    }

    /// Moves the clock. A jump backwards re-bases every timer so none waits
    /// for the old time to come round again.
    pub(super) fn advance(&mut self, now_ms: i64) {
        if now_ms < self.now - CLOCK_JUMP_BACK_MS {
            self.log.push(now_ms, format!("clock moved back {} ms: timers re-based", self.now - now_ms));
            for task in self.stats.values_mut() {
                task.fetch.next_at = task.fetch.next_at.map(|at| at.min(now_ms));
                task.fetch.last_started = task.fetch.last_started.map(|t| t.min(now_ms));
            }
            for site in self.sites.values_mut() {
                site.probe.next_at = site.probe.next_at.map(|at| at.min(now_ms));
                site.overlay.next_at = site.overlay.next_at.map(|at| at.min(now_ms));
                site.activity_at = site.activity_at.map(|t| t.min(now_ms));
                site.ads_activity_at = site.ads_activity_at.map(|t| t.min(now_ms));
                site.connection.rebase(now_ms);
            }
        }
        self.now = now_ms;
    }

    pub(super) fn overlay_active(&self, site_id: &str) -> bool {
        self.stats.keys().any(|k| k.site_id == site_id && k.range == RangeSpec::Today)
    }

    /// The probe runs for sites with realtime interest, no overlay poll (a
    /// rising overlay already says whether the site is active), not yet live.
    pub(super) fn probe_active(&self, site: &super::site::SiteTask) -> bool {
        site.realtime_refs() > 0 && !self.overlay_active(&site.site_id) && !site.is_live(self.now)
    }

    /// Everything due at `now`.
    pub(super) fn pump(&mut self, now_ms: i64) {
        self.expire_requests(now_ms);
        self.roll_over_days(now_ms);
        self.collect_all(now_ms);
        if self.is_active() {
            self.issue_due(now_ms);
            self.collect_all(now_ms);
        }
        self.refresh_snapshots(now_ms);
    }

    /// Fails requests unanswered for `REQUEST_TIMEOUT_MS`; their late answers are dropped.
    fn expire_requests(&mut self, now_ms: i64) {
        // Requests forgotten elsewhere (unregistered, superseded) stop counting here too.
        let requests = &self.requests;
        self.request_started.retain(|id, _| requests.contains_key(id));
        let overdue: Vec<u64> = self.request_started.iter().filter(|(_, t)| **t + REQUEST_TIMEOUT_MS <= now_ms).map(|(id, _)| *id).collect();
        for id in overdue {
            self.request_started.remove(&id);
            let Some(pending) = self.requests.remove(&id) else { continue };
            self.log.push(now_ms, format!("request #{id} timed out"));
            let timeout = || RpcError { code: None, message: "request timed out".to_string() };
            match pending {
                Pending::Stats(key) => {
                    if let Some(task) = self.stats.get_mut(&key) {
                        if task.fetch.in_flight == Some(id) {
                            task.error = Some("request timed out".to_string());
                            task.finished(now_ms, false);
                        }
                    }
                }
                Pending::Overlay(site_id) => self.on_overlay_response(&site_id, Err("request timed out".to_string()), now_ms),
                Pending::Probe(site_id) => self.on_probe_response(&site_id, Err(timeout()), now_ms),
                Pending::Lookup { site_id, ads_only, pipeline_request } => {
                    self.on_lookup_response(&site_id, ads_only, pipeline_request, Err(timeout()), now_ms)
                }
            }
        }
    }

    fn roll_over_days(&mut self, now_ms: i64) {
        let zone = self.config.time_zone.clone();
        let mut superseded = Vec::new();
        for task in self.stats.values_mut() {
            if task.is_today() && !task.range.contains(now_ms) {
                if let Some(id) = task.fetch.in_flight {
                    superseded.push(id);
                }
                if task.roll_over(now_ms, &zone).is_ok() {
                    self.log.push(now_ms, format!("rollover {} -> {}", task.key.site_id, task.range.day_key.clone().unwrap_or_default()));
                }
            }
        }
        for id in superseded {
            self.requests.remove(&id);
            self.request_started.remove(&id);
        }
    }

    fn issue_due(&mut self, now_ms: i64) {
        let site_ids: Vec<String> = self.sites.keys().cloned().collect();
        for site_id in &site_ids {
            let probe_active = self.sites.get(site_id).is_some_and(|s| self.probe_active(s));
            let overlay_active = self.overlay_active(site_id);
            if let Some(site) = self.sites.get_mut(site_id) {
                site.connection.handle_timeout(now_ms);
            }
            // A due reconnect goes out before this site's polls.
            self.collect_site_commands(site_id);
            let Some(site) = self.sites.get_mut(site_id) else { continue };
            let probe_due = probe_active && site.probe.is_due(now_ms);
            let overlay_due = overlay_active && site.overlay.is_due(now_ms);
            if probe_due {
                let (name, params) = self.probe_call(site_id, now_ms);
                let id = self.issue(Pending::Probe(site_id.clone()), RequestKind::Probe, site_id, name, params, now_ms);
                if let Some(site) = self.sites.get_mut(site_id) {
                    site.probe.started(id, now_ms);
                }
            }
            if overlay_due {
                let id = self.next_id();
                self.requests.insert(id, Pending::Overlay(site_id.clone()));
                self.request_started.insert(id, now_ms);
                self.counters.requests.add(RequestKind::Overlay);
                self.push(Command::FetchOverlay { request_id: id, site_id: site_id.clone() }, now_ms);
                if let Some(site) = self.sites.get_mut(site_id) {
                    site.overlay.started(id, now_ms);
                }
            }
        }
        let due: Vec<StatsKey> = self.stats.iter().filter(|(_, t)| t.fetch.is_due(now_ms)).map(|(k, _)| k.clone()).collect();
        for key in due {
            let Some(task) = self.stats.get(&key) else { continue };
            let params = json!({
                "p_site_id": key.site_id,
                "p_date_from": to_iso_string(task.range.from_ms),
                "p_date_to": to_iso_string(task.range.to_ms),
                "p_ads_only": key.ads_only,
            });
            let id = self.issue(Pending::Stats(key.clone()), RequestKind::Stats, &key.site_id, "get_command_center_p0_stats_v2", params, now_ms);
            if let Some(task) = self.stats.get_mut(&key) {
                task.fetch.started(id, now_ms);
            }
        }
        for site_id in &site_ids {
            let mut lookups = Vec::new();
            if let Some(site) = self.sites.get_mut(site_id) {
                for (ads_only, (pipeline, _)) in site.pipelines.iter_mut() {
                    while let Some(l) = pipeline.poll_lookup() {
                        lookups.push((*ads_only, l));
                    }
                }
            }
            for (ads_only, l) in lookups {
                let params = json!({ "p_site_id": site_id, "p_session_id": l.session_id });
                let pending = Pending::Lookup { site_id: site_id.clone(), ads_only, pipeline_request: l.request_id };
                self.issue(pending, RequestKind::Lookup, site_id, "get_session_details", params, now_ms);
            }
        }
    }

    fn probe_call(&self, site_id: &str, now_ms: i64) -> (&'static str, Value) {
        let since = to_iso_string(now_ms - LIVE_WINDOW_MS);
        if self.probe_v1 {
            let params = json!({ "p_site_id": site_id, "p_since": since, "p_minutes_lookback": LIVE_WINDOW_MS / 60_000, "p_limit": 1, "p_ads_only": false });
            ("get_recent_intents_v1", params)
        } else {
            let params = json!({ "p_site_id": site_id, "p_date_from": since, "p_date_to": to_iso_string(now_ms), "p_limit": 1, "p_ads_only": false });
            ("get_recent_intents_v2", params)
        }
    }

    fn next_id(&mut self) -> u64 {
        let id = self.next_request_id;
        self.next_request_id = self.next_request_id.saturating_add(1);
        id
    }

    fn issue(&mut self, pending: Pending, kind: RequestKind, site_id: &str, name: &'static str, params: Value, now_ms: i64) -> u64 {
        let id = self.next_id();
        self.requests.insert(id, pending);
        self.request_started.insert(id, now_ms);
        self.counters.requests.add(kind);
        self.push(Command::Rpc { request_id: id, kind, site_id: site_id.to_string(), name, params }, now_ms);
        id
    }

    pub(super) fn push(&mut self, command: Command, now_ms: i64) {
        if !matches!(command, Command::Notify { .. } | Command::Release { .. }) {
            self.log.push(now_ms, command.label());
        }
        self.counters.commands = self.counters.commands.saturating_add(1);
        self.commands.push_back(command);
    }

    fn collect_all(&mut self, now_ms: i64) {
        let site_ids: Vec<String> = self.sites.keys().cloned().collect();
        for site_id in site_ids {
            self.collect_site_commands(&site_id);
            self.collect_notifications(&site_id, now_ms);
        }
    }

    /// Channel commands of one site, in order.
    pub(super) fn collect_site_commands(&mut self, site_id: &str) {
        let Some(site) = self.sites.get_mut(site_id) else { return };
        let channel = channel_name(site_id);
        let commands: Vec<Command> = site
            .connection
            .drain_commands()
            .map(|c| match c {
                crate::realtime::ChannelCommand::Subscribe => Command::Subscribe { site_id: site_id.to_string(), channel: channel.clone() },
                crate::realtime::ChannelCommand::Unsubscribe => Command::Unsubscribe { site_id: site_id.to_string(), channel: channel.clone() },
            })
            .collect();
        let now = self.now;
        for c in commands {
            self.push(c, now);
        }
    }

    /// Pipeline notifications become callbacks for the registrations that want
    /// them; data freshness asks the site's current stats for a refresh.
    fn collect_notifications(&mut self, site_id: &str, now_ms: i64) {
        let mut notes = Vec::new();
        let mut released = Vec::new();
        if let Some(site) = self.sites.get_mut(site_id) {
            for (ads_only, (pipeline, _)) in site.pipelines.iter_mut() {
                while let Some(n) = pipeline.poll_notification() {
                    notes.push((*ads_only, n));
                }
                while let Some(seq) = pipeline.poll_released() {
                    released.push(seq);
                }
            }
        }
        let mut fresh = false;
        for (ads_only, n) in notes {
            if n.kind == NotificationKind::DataFreshness {
                fresh = true;
            }
            let handles: Vec<u32> = self
                .registrations
                .iter()
                .filter(|(_, i)| matches!(i, Interest::Realtime { site_id: s, ads_only: a, callbacks: true } if s == site_id && *a == ads_only))
                .map(|(h, _)| *h)
                .collect();
            if !handles.is_empty() {
                self.push(Command::Notify { site_id: site_id.to_string(), handles, kind: n.kind, table: n.table, seq: n.seq, row_id: n.row_id }, now_ms);
            }
        }
        for seq in released {
            let key = (site_id.to_string(), seq);
            let left = self.retained.get_mut(&key).map(|n| {
                *n = n.saturating_sub(1);
                *n
            });
            if left == Some(0) {
                self.retained.remove(&key);
                self.push(Command::Release { site_id: site_id.to_string(), seq }, now_ms);
            }
        }
        if fresh {
            let active = self.is_active();
            for task in self.stats.values_mut().filter(|t| t.key.site_id == site_id && t.range.contains(now_ms)) {
                task.request_refresh(now_ms, active);
            }
        }
    }

    pub(super) fn on_activity_change(&mut self, was_active: bool, now_ms: i64) {
        if !was_active && self.is_active() {
            let site_ids: Vec<String> = self.sites.keys().cloned().collect();
            for site_id in site_ids {
                let overlay = self.overlay_active(&site_id);
                if let Some(site) = self.sites.get_mut(&site_id) {
                    if overlay && site.overlay.in_flight.is_none() {
                        site.overlay.next_at = Some(now_ms);
                        site.catching_up = true;
                    }
                    site.probe.next_at = site.probe.next_at.map(|at| at.min(now_ms));
                }
                for task in self.stats.values_mut().filter(|t| t.key.site_id == site_id) {
                    if task.is_today() && overlay {
                        task.catching_up = true;
                    } else if task.pending || task.fetched_at().is_none_or(|at| now_ms - at >= STALE_AFTER_MS) {
                        task.request_refresh(now_ms, true);
                    }
                }
            }
        }
        self.pump(now_ms);
    }

    pub(super) fn on_overlay_response(&mut self, site_id: &str, result: Result<Value, String>, now_ms: i64) {
        let active = self.is_active();
        let catching_up = self.sites.get(site_id).is_some_and(|s| s.catching_up);
        let mut rose = false;
        match &result {
            Ok(body) => {
                let reply = normalize_overlay(body);
                for task in self.stats.values_mut().filter(|t| t.key.site_id == site_id && t.is_today()) {
                    if let Ok(update) = task.live.on_overlay(reply.clone(), now_ms) {
                        if update.stale {
                            rose = true;
                            task.request_refresh(now_ms, active);
                        }
                    }
                }
            }
            Err(e) => self.log.push(now_ms, format!("overlay {site_id} failed: {e}")),
        }
        for task in self.stats.values_mut().filter(|t| t.key.site_id == site_id && t.is_today() && t.catching_up) {
            task.catching_up = false;
            let stale = task.pending || task.fetched_at().is_none_or(|at| now_ms - at >= STALE_AFTER_MS);
            if catching_up && stale && task.fetch.in_flight.is_none() {
                task.request_refresh(now_ms, active);
            }
        }
        if let Some(site) = self.sites.get_mut(site_id) {
            site.catching_up = false;
            if rose {
                site.saw_activity(now_ms, false);
            }
            match result {
                Ok(_) => site.overlay.succeeded(now_ms + OVERLAY_POLL_MS),
                Err(_) => site.overlay.failed(now_ms, OVERLAY_POLL_MS),
            }
        }
    }

    pub(super) fn on_stats_response(&mut self, key: &StatsKey, request_id: u64, result: Result<Value, RpcError>, now_ms: i64) {
        let Some(task) = self.stats.get_mut(key) else { return };
        if task.fetch.in_flight != Some(request_id) {
            self.drop_response(request_id, now_ms);
            return;
        }
        match result {
            Ok(body) => {
                task.live.on_snapshot(normalize_p0_stats(&body), now_ms);
                task.finished(now_ms, true);
            }
            Err(e) => {
                task.error = Some(e.message.clone());
                task.finished(now_ms, false);
                self.log.push(now_ms, format!("stats {} failed: {}", key.site_id, e.message));
            }
        }
    }

    pub(super) fn on_probe_response(&mut self, site_id: &str, result: Result<Value, RpcError>, now_ms: i64) {
        let switch_to_v1 = matches!(&result, Err(e) if e.is_missing_function()) && !self.probe_v1;
        if switch_to_v1 {
            self.probe_v1 = true;
            self.log.push(now_ms, "get_recent_intents_v2 missing: probing with v1 from now on".to_string());
        }
        let Some(site) = self.sites.get_mut(site_id) else { return };
        match result {
            Ok(body) => {
                let hit = match body {
                    Value::Array(rows) => !rows.is_empty(),
                    Value::Null => false,
                    _ => true,
                };
                if hit {
                    site.saw_activity(now_ms, false);
                }
                let interval = site.probe_interval();
                site.probe.succeeded(now_ms + interval);
            }
            Err(_) if switch_to_v1 => {
                site.probe.in_flight = None;
                site.probe.next_at = Some(now_ms);
            }
            Err(_) => site.probe.failed(now_ms, PROBE_FAST_MS),
        }
    }

    fn refresh_snapshots(&mut self, now_ms: i64) {
        let handles: Vec<u32> = self.registrations.keys().copied().collect();
        for handle in handles {
            let Some(snapshot) = self.compute_snapshot(handle, now_ms) else { continue };
            match self.snapshots.get_mut(&handle) {
                Some((old, version)) if *old != snapshot => {
                    *old = snapshot;
                    *version += 1;
                }
                Some(_) => {}
                None => {
                    self.snapshots.insert(handle, (snapshot, 1));
                }
            }
        }
    }

    fn compute_snapshot(&self, handle: u32, now_ms: i64) -> Option<RegistrationSnapshot> {
        Some(match self.registrations.get(&handle)? {
            Interest::Realtime { site_id, ads_only, .. } => {
                let site = self.sites.get(site_id)?;
                let (pipeline, _) = site.pipelines.get(ads_only)?;
                let s = pipeline.signals();
                let last_signal_at = match (s.last_signal_at, site.activity_at) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                RegistrationSnapshot::Realtime(RealtimeState {
                    is_connected: site.connection.is_connected(),
                    connection_status: site.connection.status(),
                    is_live: site.is_live(now_ms),
                    ads_live: site.is_ads_live(now_ms),
                    last_event_at: s.last_event_at,
                    last_signal_at,
                    last_signal_type: s.last_signal_type,
                    event_count: s.event_count,
                    error: site.connection.error().map(str::to_string),
                })
            }
            Interest::Stats(key) => {
                let task = self.stats.get(key)?;
                let merged = task.live.view(now_ms).ok();
                let has_data = merged.as_ref().is_some_and(|m| m.stats.is_some() || m.live.is_some());
                RegistrationSnapshot::Stats(Box::new(StatsSnapshot {
                    stats: merged.as_ref().and_then(|m| m.stats.clone()),
                    loading: task.loaded_at.is_none() && task.error.is_none(),
                    error: task.error.clone(),
                    date_range: DateRangeIso { from: to_iso_string(task.range.from_ms), to: to_iso_string(task.range.to_ms) },
                    day_key: task.range.day_key.clone(),
                    live: merged.as_ref().and_then(|m| m.live.clone()),
                    provenance: merged.filter(|_| has_data).map(|m| m.provenance),
                    fetched_at_ms: task.fetched_at(),
                }))
            }
            Interest::RelativeTime { at_ms } => RegistrationSnapshot::RelativeTime { label: relative_label(now_ms, *at_ms), at_ms: *at_ms },
        })
    }
}
