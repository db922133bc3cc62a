//! Building what each registration renders. Only the registrations of what
//! an input touched are rebuilt; a version moves only when the snapshot
//! changed by value. (A stats snapshot's provenance ages are therefore as
//! of the last change of that view, not of every input on the page.)

use crate::engine::sorted_map::{SortedMap, SortedSet};

use super::interest::Interest;
use super::relative_time::relative_label;
use super::site::SiteTask;
use super::site_ix::SiteIx;
use super::snapshot::{DateRangeIso, RegistrationSnapshot, StatsSnapshot};
use super::PulseEngine;
use crate::realtime::RealtimeState;
use crate::time::to_iso_string;

impl PulseEngine {
    /// Rebuilds the snapshots of every dirty registration, site and key, and clears the dirty sets.
    pub(super) fn refresh_dirty_snapshots(&mut self, now_ms: i64) {
        if self.dirty.is_empty() {
            return; // the one-site pump's usual case
        }
        let dirty = std::mem::take(&mut self.dirty);
        let mut handles: SortedSet<u32> = dirty.handles;
        for site_id in &dirty.sites {
            if let Some(site) = self.sites.get(site_id) {
                handles.extend(site.handles.keys().copied());
            }
        }
        for key in &dirty.stats {
            if let Some(task) = self.stats.get(key) {
                handles.extend(task.handles.iter().copied());
            }
        }
        for handle in handles {
            self.refresh_snapshot(handle, now_ms);
        }
    }

    /// Rebuilds the snapshots of one site's registrations (the pump of one
    /// site: no handle set built, the site found already).
    pub(super) fn refresh_site_snapshots(&mut self, site: &SiteIx<'_>, now_ms: i64) {
        let Some(site) = site.get(&self.sites) else { return };
        for (handle, (ads_only, _)) in site.handles.iter() {
            if let Some(snapshot) = realtime_snapshot(site, *ads_only, now_ms) {
                store_snapshot(&mut self.snapshots, &mut self.changed, *handle, snapshot);
            }
        }
    }

    /// A registration's snapshot rebuilt.
    fn refresh_snapshot(&mut self, handle: u32, now_ms: i64) {
        let Some(snapshot) = self.compute_snapshot(handle, now_ms) else { return };
        store_snapshot(&mut self.snapshots, &mut self.changed, handle, snapshot);
    }

    fn compute_snapshot(&self, handle: u32, now_ms: i64) -> Option<RegistrationSnapshot> {
        Some(match self.registrations.get(&handle)? {
            Interest::Realtime { site_id, ads_only, .. } => return realtime_snapshot(self.sites.get(site_id)?, *ads_only, now_ms),
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
                    fetching: task.fetch.in_flight.is_some(),
                    settled_request_id: task.settled_request,
                }))
            }
            Interest::RelativeTime { at_ms } => RegistrationSnapshot::RelativeTime { label: relative_label(now_ms, *at_ms), at_ms: *at_ms },
        })
    }
}

/// What a realtime registration of mode `ads_only` on `site` renders.
fn realtime_snapshot(site: &SiteTask, ads_only: bool, now_ms: i64) -> Option<RegistrationSnapshot> {
    let (pipeline, _) = site.pipelines.get(&ads_only)?;
    let s = pipeline.signals();
    let last_signal_at = match (s.last_signal_at, site.activity_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Some(RegistrationSnapshot::Realtime(RealtimeState {
        is_connected: site.connection.is_connected(),
        connection_status: site.connection.status(),
        is_live: site.is_live(now_ms),
        ads_live: site.is_ads_live(now_ms),
        last_event_at: s.last_event_at,
        last_signal_at,
        last_signal_type: s.last_signal_type,
        event_count: s.event_count,
        error: site.connection.error().map(str::to_string),
    }))
}

/// Keeps `snapshot` as `handle`'s; its version moves only when it changed by value.
fn store_snapshot(snapshots: &mut SortedMap<u32, (RegistrationSnapshot, u64)>, changed: &mut SortedSet<u32>, handle: u32, snapshot: RegistrationSnapshot) {
    match snapshots.get_mut(&handle) {
        Some((old, version)) if *old != snapshot => {
            *old = snapshot;
            *version += 1;
            changed.insert(handle);
        }
        Some(_) => {}
        None => {
            snapshots.insert(handle, (snapshot, 1));
            changed.insert(handle);
        }
    }
}
