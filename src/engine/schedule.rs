//! The scheduler proper: what runs when. Inputs mark the sites, stats keys
//! and handles they touched as dirty; `pump` fires what the timer table says
//! is due, works through the dirty entities in a fixed order (so command
//! sequences are deterministic), re-arms their timers and refreshes the
//! snapshots of their registrations. Nothing else is looked at.

use crate::engine::sorted_map::SortedSet;

use super::interest::{Interest, StatsKey};
use super::relative_time::next_label_change;
use super::timing::CLOCK_JUMP_BACK_MS;
use super::command::RequestReason;
use super::wake::Wake;
use super::PulseEngine;

/// What the inputs since the last pump touched.
#[derive(Debug, Clone, Default)]
pub struct Dirty {
    pub sites: SortedSet<String>,
    pub stats: SortedSet<StatsKey>,
    pub handles: SortedSet<u32>,
}

impl PulseEngine {
    /// The one deadline to arm (epoch ms), or `None` when nothing is scheduled.
    pub fn poll_timeout(&self) -> Option<i64> {
        self.timers.first().map(|(at, _)| at)
    }

    /// Every armed deadline and its reason, earliest first.
    pub fn timers(&self) -> impl Iterator<Item = (i64, &Wake)> {
        self.timers.iter()
    }

    /// The one deadline and why it was set.
    pub fn next_wake(&self) -> Option<(i64, &Wake)> {
        self.timers.first()
    }

    /// Moves the clock. A correction backwards (more than
    /// `CLOCK_JUMP_BACK_MS`) re-bases every stored instant: pending runs are
    /// due at once, past instants (request starts, last fetch, activity) move
    /// back by the jump so ages and request timeouts keep their meaning, and
    /// nothing waits for the old time to come round. Forward jumps need
    /// nothing: what is due fires once.
    pub(super) fn advance(&mut self, now_ms: i64) {
        if now_ms < self.now - CLOCK_JUMP_BACK_MS {
            let delta = self.now - now_ms;
            self.log.push(now_ms, format!("clock moved back {delta} ms: timers re-based"));
            for task in self.stats.values_mut() {
                task.rebase(delta, now_ms);
            }
            for site in self.sites.values_mut() {
                site.rebase(delta, now_ms);
            }
            self.in_flight.rebase(delta);
            self.rebuild_timers();
        }
        self.now = now_ms;
    }

    /// Every timer from scratch (after a clock correction or a global change).
    fn rebuild_timers(&mut self) {
        self.timers.clear();
        let timeouts: Vec<(u64, i64)> = self.in_flight.iter().map(|(id, r)| (id, r.started_at)).collect();
        for (request_id, started_at) in timeouts {
            self.timers.set(Wake::RequestTimeout { request_id }, Some(started_at.saturating_add(self.config.cadence.request_timeout_ms)));
        }
        self.mark_all_dirty();
    }

    pub(super) fn mark_all_dirty(&mut self) {
        self.dirty.sites.extend(self.sites.keys().cloned());
        self.dirty.stats.extend(self.stats.keys().cloned());
        self.dirty.handles.extend(self.registrations.keys().copied());
    }

    /// The probe runs for sites with realtime interest, no overlay poll (a
    /// rising overlay already says whether the site is active), not yet live.
    pub(super) fn probe_active(&self, site: &super::site::SiteTask) -> bool {
        site.realtime_refs() > 0 && !site.overlay_active() && !site.is_live(self.now)
    }

    /// Everything due at `now`, for what is due or dirty.
    pub(super) fn pump(&mut self, now_ms: i64) {
        for wake in self.timers.take_due(now_ms) {
            match wake {
                Wake::RequestTimeout { request_id } => self.expire_request(request_id, now_ms),
                Wake::Rollover { key } | Wake::StatsFetch { key } => {
                    self.dirty.stats.insert(key);
                }
                Wake::Reconnect { site_id } | Wake::Probe { site_id } | Wake::OverlayPoll { site_id } | Wake::LiveExpiry { site_id } => {
                    self.dirty.sites.insert(site_id);
                }
                Wake::RelativeLabel { handle } => {
                    self.dirty.handles.insert(handle);
                }
            }
        }
        self.roll_over_days(now_ms);
        let sites: Vec<String> = self.dirty.sites.iter().cloned().collect();
        for site_id in &sites {
            self.collect_site_output(site_id, now_ms);
        }
        if self.is_active() {
            for site_id in &sites {
                self.issue_site_polls(site_id, now_ms);
            }
            let keys: Vec<StatsKey> = self.dirty.stats.iter().cloned().collect();
            for key in &keys {
                self.issue_stats_fetch(key, now_ms);
            }
            for site_id in &sites {
                self.issue_lookups(site_id, now_ms);
                self.collect_site_output(site_id, now_ms);
            }
        }
        self.drop_idle_sites(&sites);
        self.reschedule_dirty();
        self.refresh_dirty_snapshots(now_ms);
        let deadline = self.poll_timeout();
        if deadline.is_some() && deadline != self.last_deadline {
            self.counters.timers_armed = self.counters.timers_armed.saturating_add(1);
        }
        self.last_deadline = deadline;
    }

    /// Sites nobody registers for any more go, after their channel's final
    /// `Unsubscribe` and the release of every row they held.
    fn drop_idle_sites(&mut self, candidates: &[String]) {
        for site_id in candidates {
            if !self.sites.get(site_id).is_some_and(|s| s.is_idle()) {
                continue;
            }
            self.collect_site_output(site_id, self.now);
            let Some(site) = self.sites.remove(site_id) else { continue };
            let now = self.now;
            for seq in site.retained.keys() {
                self.push(super::Command::Release { site_id: site_id.clone(), seq: *seq }, now);
            }
            for id in site.lookup_waiters.keys().copied().chain(site.probe.in_flight).chain(site.overlay.in_flight).chain(site.replay_in_flight) {
                self.forget_request(id);
            }
            self.retired_payloads.add(&site.payload_counts());
            for wake in Self::site_wakes(site_id) {
                self.timers.set(wake, None);
            }
            self.dirty.sites.remove(site_id);
        }
    }

    fn site_wakes(site_id: &str) -> [Wake; 4] {
        let s = || site_id.to_string();
        [Wake::Reconnect { site_id: s() }, Wake::Probe { site_id: s() }, Wake::OverlayPoll { site_id: s() }, Wake::LiveExpiry { site_id: s() }]
    }

    /// Re-arms the timers of everything dirty.
    fn reschedule_dirty(&mut self) {
        let active = self.is_active();
        let now = self.now;
        for site_id in &self.dirty.sites {
            let Some(site) = self.sites.get(site_id) else { continue };
            let [reconnect, probe, overlay, live] = Self::site_wakes(site_id);
            self.timers.set(reconnect, site.connection.next_deadline().filter(|_| active));
            self.timers.set(probe, site.probe.deadline().filter(|_| active && self.probe_active(site)));
            self.timers.set(overlay, site.overlay.deadline().filter(|_| active && site.overlay_active()));
            let live_expiry = site.live_expiry(now).filter(|_| self.visible && site.realtime_refs() > 0);
            self.timers.set(live, live_expiry);
        }
        for key in &self.dirty.stats {
            let Some(task) = self.stats.get(key) else { continue };
            self.timers.set(Wake::StatsFetch { key: key.clone() }, task.fetch.deadline().filter(|_| active));
            self.timers.set(Wake::Rollover { key: key.clone() }, task.is_today().then_some(task.range.to_ms));
        }
        for handle in &self.dirty.handles {
            let at = match self.registrations.get(handle) {
                Some(Interest::RelativeTime { at_ms }) if self.visible => Some(next_label_change(now, *at_ms)),
                _ => None,
            };
            self.timers.set(Wake::RelativeLabel { handle: *handle }, at);
        }
    }

    /// "Today" keys whose day ended move to the new day; their requests for the old day are forgotten.
    fn roll_over_days(&mut self, now_ms: i64) {
        if self.dirty.stats.is_empty() {
            return; // a payload's pump touches no stats key
        }
        let zone = self.config.time_zone.clone();
        let keys: Vec<StatsKey> = self.dirty.stats.iter().cloned().collect();
        for key in keys {
            let Some(task) = self.stats.get_mut(&key) else { continue };
            if !task.is_today() || task.range.contains(now_ms) {
                continue;
            }
            let superseded = task.fetch.in_flight;
            if task.roll_over(now_ms, &zone).is_ok() {
                self.log.push(now_ms, format!("rollover {} -> {}", key.site_id, task.range.day_key.clone().unwrap_or_default()));
            }
            if let Some(id) = superseded {
                self.forget_request(id);
            }
        }
    }

    /// Hidden/offline ↔ active: every timer changes; on return, one catch-up.
    pub(super) fn on_activity_change(&mut self, was_active: bool, now_ms: i64) {
        let stale_after_ms = self.config.cadence.stale_after_ms;
        if !was_active && self.is_active() {
            let site_ids: Vec<String> = self.sites.keys().cloned().collect();
            for site_id in site_ids {
                let Some(site) = self.sites.get_mut(&site_id) else { continue };
                let overlay = site.overlay_active();
                if overlay && site.overlay.in_flight.is_none() {
                    site.overlay.due(now_ms, RequestReason::BackFromHidden);
                    site.catching_up = true;
                }
                if site.probe.next_at.is_some() {
                    site.probe.due(now_ms, RequestReason::BackFromHidden);
                }
                let keys: Vec<StatsKey> = site.stats_keys.iter().cloned().collect();
                for key in keys {
                    let Some(task) = self.stats.get_mut(&key) else { continue };
                    if task.is_today() && overlay {
                        task.catching_up = true;
                    } else if task.pending || task.fetched_at().is_none_or(|at| now_ms - at >= stale_after_ms) {
                        task.request_refresh(now_ms, true, RequestReason::BackFromHidden);
                    }
                }
            }
        }
        self.mark_all_dirty();
        self.pump(now_ms);
    }
}
