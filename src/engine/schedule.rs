//! The scheduler proper: what runs when. Inputs mark the sites, stats keys
//! and handles they touched as dirty; `pump` fires what the timer table says
//! is due, works through the dirty entities in a fixed order (so command
//! sequences are deterministic), re-arms their timers and refreshes the
//! snapshots of their registrations. Nothing else is looked at.

use crate::engine::sorted_map::SortedSet;

use super::interest::{Interest, StatsKey};
use super::site::SiteTask;
use super::site_ix::SiteIx;
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

impl Dirty {
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty() && self.stats.is_empty() && self.handles.is_empty()
    }
}

/// What a pump of one site has to do, read from the site before it starts:
/// none of the steps it skips can make another step's work (`pump_site`).
#[derive(Debug, Clone, Copy, Default)]
struct SiteWork {
    /// Channel commands wait (`collect_channel_commands`).
    channel: bool,
    /// Callbacks or releases wait (`collect_notifications`).
    notes: bool,
    /// A reconnect, the probe, the overlay poll or a catch-up may be due (`issue_site_polls`).
    polls: bool,
    /// A pipeline queued a session lookup (`issue_lookups`).
    lookups: bool,
    /// Nobody registers for the site any more (`drop_idle_site`).
    idle: bool,
}

impl SiteWork {
    fn of(site: &SiteTask, now_ms: i64) -> Self {
        let pipelines = || site.pipelines.values().map(|(pipeline, _)| pipeline);
        SiteWork {
            channel: site.connection.has_commands(),
            notes: pipelines().any(|p| p.has_output()),
            // Wider than what `issue_site_polls` sends (it checks the rest).
            polls: site.connection.next_deadline().is_some_and(|at| at <= now_ms) || site.probe.is_due(now_ms) || site.overlay.is_due(now_ms) || site.gap_since.is_some(),
            lookups: pipelines().any(|p| p.peek_lookup().is_some()),
            idle: site.is_idle(),
        }
    }
}

/// A site's wakes by slot: the index of each in `SiteTask::armed_wakes`.
const SITE_WAKES: usize = 4;

/// The site wake in `slot` (`Reconnect`, `Probe`, `OverlayPoll`, `LiveExpiry`).
fn site_wake(slot: usize, site_id: &str) -> Wake {
    let site_id = site_id.to_string();
    match slot {
        0 => Wake::Reconnect { site_id },
        1 => Wake::Probe { site_id },
        2 => Wake::OverlayPoll { site_id },
        _ => Wake::LiveExpiry { site_id },
    }
}

/// A site wake's site and slot; `None` for the other wakes.
fn site_wake_slot(wake: &Wake) -> Option<(&str, usize)> {
    match wake {
        Wake::Reconnect { site_id } => Some((site_id, 0)),
        Wake::Probe { site_id } => Some((site_id, 1)),
        Wake::OverlayPoll { site_id } => Some((site_id, 2)),
        Wake::LiveExpiry { site_id } => Some((site_id, 3)),
        _ => None,
    }
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
        for site in self.sites.values_mut() {
            site.armed_wakes = [None; SITE_WAKES];
        }
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

    /// Everything due at `now`, for what is due or dirty.
    pub(super) fn pump(&mut self, now_ms: i64) {
        self.fire_due(now_ms);
        // Most inputs touch one site (its payload, a lookup's answer, its channel's status).
        // A site that is gone has nothing to do: what else is dirty goes the general way below.
        if self.dirty.stats.is_empty() && self.dirty.handles.is_empty() && self.dirty.sites.len() == 1 {
            if let Some(site_id) = self.dirty.sites.pop_first() {
                if let Some(site) = self.find_site(&site_id) {
                    self.pump_site(site, now_ms);
                    return;
                }
            }
        }
        self.roll_over_days(now_ms);
        // Each site is found again per step: a site a step leaves idle is only dropped after all of them.
        let sites: Vec<String> = self.dirty.sites.iter().cloned().collect();
        for site_id in &sites {
            if let Some(site) = self.find_site(site_id) {
                self.collect_site_output(&site, now_ms);
            }
        }
        if self.is_active() {
            for site_id in &sites {
                if let Some(site) = self.find_site(site_id) {
                    self.issue_site_polls(&site, now_ms);
                }
            }
            self.issue_dirty_stats_fetches(now_ms);
            for site_id in &sites {
                if let Some(site) = self.find_site(site_id) {
                    self.issue_lookups(&site, now_ms);
                    self.collect_site_output(&site, now_ms);
                }
            }
        }
        for site_id in &sites {
            if let Some(site) = self.find_site(site_id) {
                self.drop_idle_site(site);
            }
        }
        self.reschedule_dirty();
        self.refresh_dirty_snapshots(now_ms);
        self.note_deadline();
    }

    /// The pump after an input that concerns `site` alone (a payload, a
    /// lookup's answer): `pump` with that site marked. When nothing else is
    /// dirty and no timer is due, the site is pumped without being marked (no
    /// copy of its id) and without being looked up again.
    pub(super) fn pump_for_site(&mut self, site: SiteIx<'_>, now_ms: i64) {
        if self.dirty.is_empty() && self.timers.first().is_none_or(|(at, _)| at > now_ms) {
            self.pump_site(site, now_ms);
            return;
        }
        if !self.dirty.sites.contains(site.id()) {
            self.dirty.sites.insert(site.id().to_string());
        }
        self.pump(now_ms);
    }

    /// `pump` when one site is all that is dirty and what was due has fired:
    /// the same steps in the same order for that site alone, with no list of
    /// dirty sites copied, only the timers of that site re-armed (and only
    /// the ones that moved) and only its registrations' snapshots rebuilt.
    /// A step with nothing to do for the site (`SiteWork`) is skipped. Every
    /// step reaches the site by its position (no step adds a site; the one
    /// that may remove it runs after the others and says whether it stayed).
    /// Whatever its output marks (the stats keys a call refreshes) goes the general way.
    fn pump_site(&mut self, site: SiteIx<'_>, now_ms: i64) {
        self.roll_over_days(now_ms);
        let work = site.get(&self.sites).map_or(SiteWork::default(), |task| SiteWork::of(task, now_ms));
        // `collect_site_output`, each half only when it has something.
        if work.channel {
            self.collect_channel_commands(&site);
        }
        if work.notes {
            self.collect_notifications(&site, now_ms);
        }
        if self.is_active() {
            if work.polls {
                self.issue_site_polls(&site, now_ms);
            }
            self.issue_dirty_stats_fetches(now_ms);
            if work.lookups {
                self.issue_lookups(&site, now_ms);
            }
            if work.polls || work.lookups {
                self.collect_site_output(&site, now_ms);
            }
        }
        let kept = if work.idle { self.drop_idle_site(site) } else { Some(site) };
        if let Some(site) = &kept {
            self.reschedule_site_at(site);
        }
        self.reschedule_dirty();
        if let Some(site) = &kept {
            self.refresh_site_snapshots(site, now_ms);
        }
        self.refresh_dirty_snapshots(now_ms);
        self.note_deadline();
    }

    /// The stats fetches due among the dirty keys.
    fn issue_dirty_stats_fetches(&mut self, now_ms: i64) {
        if self.dirty.stats.is_empty() {
            return; // a payload's pump: no copy of an empty set
        }
        let keys: Vec<StatsKey> = self.dirty.stats.iter().cloned().collect();
        for key in &keys {
            self.issue_stats_fetch(key, now_ms);
        }
    }

    /// Counts a deadline change (the driver re-arms its one timer).
    fn note_deadline(&mut self) {
        let deadline = self.poll_timeout();
        if deadline.is_some() && deadline != self.last_deadline {
            self.counters.timers_armed = self.counters.timers_armed.saturating_add(1);
        }
        self.last_deadline = deadline;
    }

    /// Fires what the timer table says is due: marks what each wake concerns dirty.
    fn fire_due(&mut self, now_ms: i64) {
        for wake in self.timers.take_due(now_ms) {
            if let Some((site_id, slot)) = site_wake_slot(&wake) {
                if let Some(armed) = self.sites.get_mut(site_id).and_then(|site| site.armed_wakes.get_mut(slot)) {
                    *armed = None; // fired: the table no longer holds it
                }
            }
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
    }

    /// A site nobody registers for any more goes, after its channel's final
    /// `Unsubscribe` and the release of every row it held. The site's
    /// position comes back when the site stays (a removal moves the sites after it).
    fn drop_idle_site<'a>(&mut self, site: SiteIx<'a>) -> Option<SiteIx<'a>> {
        if !site.get(&self.sites).is_some_and(|s| s.is_idle()) {
            return Some(site);
        }
        self.collect_site_output(&site, self.now);
        let site_id = site.id();
        let site = self.sites.remove(site_id)?;
        let now = self.now;
        for seq in site.retained.keys() {
            self.push(super::Command::Release { site_id: site_id.to_string(), seq: *seq }, now);
        }
        for id in site.lookup_waiters.keys().copied().chain(site.probe.in_flight).chain(site.overlay.in_flight).chain(site.replay_in_flight) {
            self.forget_request(id);
        }
        self.retired_payloads.add(&site.payload_counts());
        for slot in 0..SITE_WAKES {
            self.timers.set(site_wake(slot, site_id), None);
        }
        self.dirty.sites.remove(site_id);
        None
    }

    /// Re-arms one site's wakes. Only a deadline that moved since the site
    /// last armed it touches the timer table (and builds its key): a payload
    /// usually moves one (the live expiry) or none.
    fn reschedule_site(&mut self, site_id: &str) {
        if let Some(site) = self.find_site(site_id) {
            self.reschedule_site_at(&site);
        }
    }

    /// `reschedule_site` of a site found already.
    fn reschedule_site_at(&mut self, site_ix: &SiteIx<'_>) {
        let (active, visible, now) = (self.is_active(), self.visible, self.now);
        let site_id = site_ix.id();
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        let deadlines: [Option<i64>; SITE_WAKES] = [
            site.connection.next_deadline().filter(|_| active),
            site.probe.deadline().filter(|_| active && site.probe_active(now)),
            site.overlay.deadline().filter(|_| active && site.overlay_active()),
            site.live_expiry(now).filter(|_| visible && site.realtime_refs() > 0),
        ];
        let armed = std::mem::replace(&mut site.armed_wakes, deadlines);
        for (slot, (at, was)) in deadlines.into_iter().zip(armed).enumerate() {
            if at != was {
                self.timers.set(site_wake(slot, site_id), at);
            }
        }
    }

    /// Re-arms the timers of everything dirty.
    fn reschedule_dirty(&mut self) {
        if self.dirty.is_empty() {
            return; // the one-site pump's usual case: nothing to take apart and put back
        }
        let sites = std::mem::take(&mut self.dirty.sites);
        for site_id in &sites {
            self.reschedule_site(site_id);
        }
        self.dirty.sites = sites;
        let active = self.is_active();
        let now = self.now;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::timing::{CLOCK_JUMP_BACK_MS, LIVE_WINDOW_MS};
    use crate::engine::EngineConfig;
    use crate::realtime::ChannelStatus;

    const SITE: &str = "11111111-1111-4111-8111-111111111111";
    const NOW: i64 = 1_770_000_000_000;

    /// What each site remembers it armed is what the timer table holds for it.
    fn assert_armed_wakes_match_the_table(engine: &PulseEngine, when: &str) {
        for (site_id, site) in engine.sites.iter() {
            for (slot, armed) in site.armed_wakes.iter().enumerate() {
                assert_eq!(engine.timers.get(&site_wake(slot, site_id)), *armed, "{when}: slot {slot}");
            }
        }
    }

    fn call(id: &str) -> String {
        format!(r#"{{"eventType":"INSERT","table":"calls","commit_timestamp":"t","new":{{"id":"{id}","site_id":"{SITE}"}}}}"#)
    }

    /// Fired wakes, a clock moved back and hidden/visible all keep the
    /// one-site pump's memory of its wakes true, so re-arming never skips one.
    #[test]
    fn the_wakes_a_site_remembers_are_the_armed_ones() {
        let mut engine = PulseEngine::new(EngineConfig::default()).unwrap();
        engine.register_realtime(SITE, false, true, NOW).unwrap();
        engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, NOW);
        assert_armed_wakes_match_the_table(&engine, "subscribed");
        engine.handle_payload(SITE, &call("c1"), 1, NOW + 1);
        assert!(engine.sites.get(SITE).is_some_and(|s| s.armed_wakes[3].is_some()), "a payload arms the live expiry");
        assert_armed_wakes_match_the_table(&engine, "after a payload");
        let mut now = NOW + 1;
        while now < NOW + 2 * LIVE_WINDOW_MS {
            now = engine.poll_timeout().unwrap_or(now + 1_000).max(now + 1);
            engine.handle_timeout(now);
            assert_armed_wakes_match_the_table(&engine, "after a timeout");
        }
        engine.handle_payload(SITE, &call("c2"), 2, now);
        assert_armed_wakes_match_the_table(&engine, "a payload after the expiry fired");
        engine.handle_payload(SITE, &call("c3"), 3, now - 2 * CLOCK_JUMP_BACK_MS);
        assert_armed_wakes_match_the_table(&engine, "clock moved back");
        engine.set_visible(false, now);
        engine.handle_payload(SITE, &call("c4"), 4, now + 5);
        assert_armed_wakes_match_the_table(&engine, "hidden");
        engine.set_visible(true, now + 10);
        engine.handle_payload(SITE, &call("c5"), 5, now + 20);
        assert_armed_wakes_match_the_table(&engine, "visible again");
    }

    /// A fired wake leaves the table, so the site forgets it: re-armed at the same
    /// deadline (a deadline that did not move), it must go back in.
    #[test]
    fn a_fired_wake_is_forgotten_and_can_be_armed_again_at_the_same_time() {
        let mut engine = PulseEngine::new(EngineConfig::default()).unwrap();
        engine.register_realtime(SITE, false, true, NOW).unwrap();
        engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, NOW);
        engine.handle_payload(SITE, &call("c1"), 1, NOW + 1);
        let expiry = engine.sites.get(SITE).and_then(|s| s.armed_wakes[3]).unwrap();
        engine.fire_due(expiry);
        assert_eq!(engine.timers.get(&site_wake(3, SITE)), None, "fired");
        assert_armed_wakes_match_the_table(&engine, "after the fire");
        engine.dirty = Dirty::default();
        if let Some(site) = engine.sites.get_mut(SITE) {
            site.activity_at = Some(NOW + 1); // the same evidence: the same deadline
        }
        engine.now = NOW + 2;
        engine.reschedule_site(SITE);
        assert_eq!(engine.timers.get(&site_wake(3, SITE)), Some(expiry), "armed again");
    }
}
