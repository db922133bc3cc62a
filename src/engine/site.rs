//! Everything the engine keeps per site: the channel, one payload pipeline
//! per mode, the activity evidence behind `isLive`, the two polls (the
//! activity probe and the overlay poll), and the indexes that keep every
//! input a binary search: the site's stats keys, realtime handles, lookups in
//! flight and rows held for the driver.

use crate::engine::sorted_map::{SortedMap, SortedSet};

use crate::engine::counters::{pipeline_counts, PayloadCounts};
use crate::engine::interest::{RangeSpec, StatsKey};
use crate::engine::poll::Poll;
use crate::engine::cadence::Cadence;
use crate::engine::timing::{is_live_at, live_until, PROBE_FAST_TICKS};
use crate::realtime::{ChangePayload, Connection, DropReason, PayloadOutcome, PipelineConfig, SignalPipeline};

/// One site.
#[derive(Debug, Clone)]
pub struct SiteTask {
    pub site_id: String,
    pub connection: Connection,
    /// Keyed by `ads_only`.
    pub pipelines: SortedMap<bool, (SignalPipeline, usize)>,
    pub activity_at: Option<i64>,
    pub ads_activity_at: Option<i64>,
    pub probe: Poll,
    pub probe_fast_ticks: u32,
    pub overlay: Poll,
    /// Back from hidden/offline: the next overlay reply decides the stats catch-up.
    pub catching_up: bool,
    /// The stats keys of this site.
    pub stats_keys: SortedSet<StatsKey>,
    /// Realtime registrations: handle → (ads_only, wants callbacks).
    pub handles: SortedMap<u32, (bool, bool)>,
    /// Payload seqs held by pipelines: the row is released when the count drops to 0.
    pub retained: SortedMap<u64, u8>,
    /// One request per session for both modes: by request id, the session
    /// and every pipeline ask waiting on it (mode, the pipeline's own request).
    /// At most `MAX_LOOKUPS_IN_FLIGHT` (4) entries, so a session is found by a
    /// scan (`lookup_for_session`), with no second map keyed by it to fill and empty per lookup.
    pub lookup_waiters: LookupWaiters,
    /// Counts of this site's pipelines that are gone.
    pub retired: PayloadCounts,
    /// Realtime has not reported this site's changes since this instant (before
    /// the first SUBSCRIBED, while reconnecting); closed by a catch-up.
    pub gap_since: Option<i64>,
    /// The catch-up replay in flight.
    pub replay_in_flight: Option<u64>,
    /// The deadlines this site's wakes are armed at in the timer table (by
    /// slot: reconnect, probe, overlay poll, live expiry), so re-arming an
    /// unchanged site builds no key (`schedule::reschedule_site`).
    pub armed_wakes: [Option<i64>; 4],
    seed: u64,
    cadence: Cadence,
}

impl SiteTask {
    pub fn new(site_id: &str, seed: u64, cadence: Cadence) -> Self {
        Self {
            site_id: site_id.to_string(),
            connection: Connection::new(seed),
            pipelines: SortedMap::new(),
            activity_at: None,
            ads_activity_at: None,
            probe: Poll::new(seed ^ 0x9e37, &cadence),
            probe_fast_ticks: PROBE_FAST_TICKS,
            overlay: Poll::new(seed ^ 0x79b9, &cadence),
            catching_up: false,
            stats_keys: SortedSet::new(),
            handles: SortedMap::new(),
            retained: SortedMap::new(),
            lookup_waiters: SortedMap::new(),
            retired: PayloadCounts::default(),
            gap_since: None,
            replay_in_flight: None,
            armed_wakes: [None; 4],
            seed,
            cadence,
        }
    }

    pub fn realtime_refs(&self) -> usize {
        self.pipelines.values().map(|(_, refs)| refs).sum()
    }

    /// Nothing registered here any more: the site can go.
    pub fn is_idle(&self) -> bool {
        self.realtime_refs() == 0 && self.stats_keys.is_empty()
    }

    /// The probe runs for sites with realtime interest, no overlay poll (a
    /// rising overlay already says whether the site is active), not yet live.
    pub fn probe_active(&self, now_ms: i64) -> bool {
        self.realtime_refs() > 0 && !self.overlay_active() && !self.is_live(now_ms)
    }

    /// The overlay poll runs while a "today" stats interest exists.
    pub fn overlay_active(&self) -> bool {
        self.stats_keys.iter().any(|k| k.range == RangeSpec::Today)
    }

    /// Payload counts of the live pipelines plus the retired ones.
    pub fn payload_counts(&self) -> PayloadCounts {
        let mut total = self.retired.clone();
        for (pipeline, _) in self.pipelines.values() {
            total.add(&pipeline_counts(pipeline));
        }
        total
    }

    /// Adds a realtime consumer of mode `ads_only`; opens the channel on the first.
    pub fn add_realtime(&mut self, ads_only: bool, now_ms: i64) {
        let first = self.realtime_refs() == 0;
        let seed = self.seed;
        let entry = self.pipelines.get_or_insert_with(ads_only, || {
            let mut config = PipelineConfig::new(&self.site_id, ads_only);
            config.seed = seed;
            (SignalPipeline::new(config), 0)
        });
        entry.1 += 1;
        if first {
            self.connection.start();
            self.probe_fast_ticks = PROBE_FAST_TICKS;
            self.probe.due(now_ms, crate::engine::command::RequestReason::Startup);
        }
    }

    /// Removes one consumer; closes the channel with the last. Returns the
    /// pipeline when its last consumer left, for the engine to retire.
    pub fn remove_realtime(&mut self, ads_only: bool, _now_ms: i64) -> Option<SignalPipeline> {
        let mut gone = None;
        if let Some((_, refs)) = self.pipelines.get_mut(&ads_only) {
            *refs = refs.saturating_sub(1);
            if *refs == 0 {
                gone = self.pipelines.remove(&ads_only).map(|(p, _)| p);
            }
        }
        if self.realtime_refs() == 0 {
            self.connection.stop();
            self.probe.next_at = None;
            self.gap_since = None;
        }
        gone
    }

    /// One mode's pipeline is gone: its asks leave every lookup; a lookup
    /// nobody waits on any more is returned, to be forgotten. One the other
    /// mode still waits on stays in flight.
    pub fn take_lookups(&mut self, ads_only: bool) -> Vec<u64> {
        let mut gone = Vec::new();
        for (id, (_, waiters)) in self.lookup_waiters.iter_mut() {
            waiters.retain(|(mode, _)| *mode != ads_only);
            if waiters.is_empty() {
                gone.push(*id);
            }
        }
        for id in &gone {
            self.lookup_waiters.remove(id);
        }
        gone
    }



    /// A payload through every pipeline of the site. `true` when one keeps
    /// waiting on it (the row stays with the driver until released).
    /// Decoded once, whichever path it came by (JSON text or the JS edge's slots).
    pub fn handle_payload(&mut self, decoded: Result<ChangePayload<'_>, DropReason>, seq: u64, now_ms: i64) -> bool {
        let mut retained = 0u8;
        let mut signal = None;
        for (pipeline, _) in self.pipelines.values_mut() {
            let before = pipeline.signals().last_signal_at;
            let before_ads = pipeline.signals().last_ads_signal_at;
            if pipeline.handle_decoded(decoded.clone(), seq, now_ms) == PayloadOutcome::Retained {
                retained = retained.saturating_add(1);
            }
            let after = pipeline.signals();
            if after.last_signal_at != before {
                signal = Some(signal.unwrap_or(false) | (after.last_ads_signal_at != before_ads));
            }
        }
        if let Some(ads) = signal {
            self.saw_activity(now_ms, ads);
        }
        if retained > 0 {
            self.retained.insert(seq, retained);
        }
        retained > 0
    }

    /// Evidence of activity at `at_ms` (a payload signal, a probe hit, a rising overlay).
    pub fn saw_activity(&mut self, at_ms: i64, ads: bool) {
        self.activity_at = Some(self.activity_at.map_or(at_ms, |t| t.max(at_ms)));
        if ads {
            self.ads_activity_at = Some(self.ads_activity_at.map_or(at_ms, |t| t.max(at_ms)));
        }
        self.probe_fast_ticks = PROBE_FAST_TICKS;
        // A quiet site polls its overlay slowly; activity brings the next poll in.
        self.overlay.next_at = self.overlay.next_at.map(|t| t.min(at_ms.saturating_add(self.cadence.overlay_poll_fast_ms)));
    }

    /// The overlay's cadence: fast while the site is live, slow when quiet.
    pub fn overlay_interval(&self, now_ms: i64) -> i64 {
        if self.is_live(now_ms) {
            self.cadence.overlay_poll_fast_ms
        } else {
            self.cadence.overlay_poll_slow_ms
        }
    }

    /// Whether realtime tells this site's changes (a channel that is SUBSCRIBED).
    pub fn realtime_reports_changes(&self) -> bool {
        self.realtime_refs() > 0 && self.connection.is_connected()
    }

    pub fn is_live(&self, now_ms: i64) -> bool {
        is_live_at(self.activity_at, now_ms)
    }

    pub fn is_ads_live(&self, now_ms: i64) -> bool {
        is_live_at(self.ads_activity_at, now_ms)
    }

    /// When `isLive` will turn false by itself (so snapshots can change then).
    pub fn live_expiry(&self, now_ms: i64) -> Option<i64> {
        [self.activity_at, self.ads_activity_at].into_iter().filter_map(|at| live_until(at, now_ms)).min()
    }

    /// The probe's next interval: fast for a few ticks after start or a signal, then slow.
    pub fn probe_interval(&mut self) -> i64 {
        if self.probe_fast_ticks > 0 {
            self.probe_fast_ticks -= 1;
            self.cadence.probe_fast_ms
        } else {
            self.cadence.probe_slow_ms
        }
    }

    /// The clock was corrected back by `delta_ms` to `now_ms`: pending runs
    /// are due at once, past instants move with the clock (ages stay right).
    pub fn rebase(&mut self, delta_ms: i64, now_ms: i64) {
        let back = |t: &mut Option<i64>| *t = t.map(|t| t.saturating_sub(delta_ms));
        back(&mut self.activity_at);
        back(&mut self.ads_activity_at);
        self.probe.rebase(delta_ms, now_ms);
        self.overlay.rebase(delta_ms, now_ms);
        self.connection.rebase(now_ms);
        for (pipeline, _) in self.pipelines.values_mut() {
            pipeline.rebase(delta_ms);
        }
    }
}

/// A site's lookups in flight by request id: the session, and every pipeline
/// ask waiting on it (mode, the pipeline's own request).
pub type LookupWaiters = SortedMap<u64, (String, Vec<(bool, u64)>)>;

/// The lookup in flight for `session` among a site's `lookup_waiters`, if one
/// is (a scan of at most `MAX_LOOKUPS_IN_FLIGHT` entries).
pub fn lookup_for_session(lookup_waiters: &LookupWaiters, session: &str) -> Option<u64> {
    lookup_waiters.iter().find(|(_, (asked, _))| asked == session).map(|(id, _)| *id)
}
