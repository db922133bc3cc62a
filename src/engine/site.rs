//! Everything the engine keeps per site: the channel, one payload pipeline
//! per mode, the activity evidence behind `isLive`, and the two polls (the
//! activity probe and the overlay poll), each a small timer record.

use std::collections::BTreeMap;

use crate::engine::poll::Poll;
use crate::engine::timing::{LIVE_WINDOW_MS, PROBE_FAST_MS, PROBE_FAST_TICKS, PROBE_SLOW_MS};
use crate::realtime::{Connection, PipelineConfig, SignalPipeline};

/// One site.
#[derive(Debug, Clone)]
pub struct SiteTask {
    pub site_id: String,
    pub connection: Connection,
    /// Keyed by `ads_only`.
    pub pipelines: BTreeMap<bool, (SignalPipeline, usize)>,
    pub activity_at: Option<i64>,
    pub ads_activity_at: Option<i64>,
    pub probe: Poll,
    pub probe_fast_ticks: u32,
    pub overlay: Poll,
    /// Back from hidden/offline: the next overlay reply decides the stats catch-up.
    pub catching_up: bool,
    seed: u64,
}

impl SiteTask {
    pub fn new(site_id: &str, seed: u64) -> Self {
        Self {
            site_id: site_id.to_string(),
            connection: Connection::new(seed),
            pipelines: BTreeMap::new(),
            activity_at: None,
            ads_activity_at: None,
            probe: Poll::new(seed ^ 0x9e37),
            probe_fast_ticks: PROBE_FAST_TICKS,
            overlay: Poll::new(seed ^ 0x79b9),
            catching_up: false,
            seed,
        }
    }

    pub fn realtime_refs(&self) -> usize {
        self.pipelines.values().map(|(_, refs)| refs).sum()
    }

    /// Adds a realtime consumer of mode `ads_only`; opens the channel on the first.
    pub fn add_realtime(&mut self, ads_only: bool, now_ms: i64) {
        let first = self.realtime_refs() == 0;
        let seed = self.seed;
        let entry = self
            .pipelines
            .entry(ads_only)
            .or_insert_with(|| {
                let mut config = PipelineConfig::new(&self.site_id, ads_only);
                config.seed = seed;
                (SignalPipeline::new(config), 0)
            });
        entry.1 += 1;
        if first {
            self.connection.start();
            self.probe_fast_ticks = PROBE_FAST_TICKS;
            self.probe.next_at = Some(now_ms);
        }
    }

    /// Removes one; closes the channel and drops the pipeline with the last.
    /// Returns the lookups that pipeline had in flight (now abandoned).
    pub fn remove_realtime(&mut self, ads_only: bool, now_ms: i64) {
        if let Some((pipeline, refs)) = self.pipelines.get_mut(&ads_only) {
            *refs = refs.saturating_sub(1);
            if *refs == 0 {
                pipeline.abandon_lookups(now_ms);
                self.pipelines.remove(&ads_only);
            }
        }
        if self.realtime_refs() == 0 {
            self.connection.stop();
            self.probe.next_at = None;
            self.probe.in_flight = None;
        }
    }

    /// Evidence of activity at `at_ms` (a payload signal, a probe hit, a rising overlay).
    pub fn saw_activity(&mut self, at_ms: i64, ads: bool) {
        self.activity_at = Some(self.activity_at.map_or(at_ms, |t| t.max(at_ms)));
        if ads {
            self.ads_activity_at = Some(self.ads_activity_at.map_or(at_ms, |t| t.max(at_ms)));
        }
        self.probe_fast_ticks = PROBE_FAST_TICKS;
    }

    pub fn is_live(&self, now_ms: i64) -> bool {
        self.activity_at.is_some_and(|t| now_ms - t < LIVE_WINDOW_MS)
    }

    pub fn is_ads_live(&self, now_ms: i64) -> bool {
        self.ads_activity_at.is_some_and(|t| now_ms - t < LIVE_WINDOW_MS)
    }

    /// When `isLive` will turn false by itself (so snapshots can change then).
    pub fn live_expiry(&self, now_ms: i64) -> Option<i64> {
        [self.activity_at, self.ads_activity_at]
            .into_iter()
            .flatten()
            .map(|t| t + LIVE_WINDOW_MS)
            .filter(|at| *at > now_ms)
            .min()
    }

    /// The probe's next interval: fast for a few ticks after start or a signal, then slow.
    pub fn probe_interval(&mut self) -> i64 {
        if self.probe_fast_ticks > 0 {
            self.probe_fast_ticks -= 1;
            PROBE_FAST_MS
        } else {
            PROBE_SLOW_MS
        }
    }
}
