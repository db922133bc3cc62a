//! What a site's channel and pipelines ask of the driver: channel commands,
//! callbacks for the registrations that want them, and the release of rows
//! the driver held for payloads that waited on a lookup.

use super::command::{Command, RequestReason};
use super::site_ix::SiteIx;
use super::sorted_map::SortedMap;
use super::PulseEngine;
use super::what_moves::{moves_stats, Change};
use crate::realtime::{channel_name, ChannelCommand, NotificationKind, Table};

impl PulseEngine {
    /// Channel commands, then callbacks and releases, of one site.
    pub(super) fn collect_site_output(&mut self, site: &SiteIx<'_>, now_ms: i64) {
        self.collect_channel_commands(site);
        self.collect_notifications(site, now_ms);
    }

    /// Channel commands of one site, in order.
    pub(super) fn collect_channel_commands(&mut self, site_ix: &SiteIx<'_>) {
        let site_id = site_ix.id();
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        let commands: Vec<ChannelCommand> = site.connection.drain_commands().collect();
        if commands.is_empty() {
            return;
        }
        let channel = channel_name(site_id);
        let now = self.now;
        for c in commands {
            let (site_id, channel) = (site_id.to_string(), channel.clone());
            let command = match c {
                ChannelCommand::Subscribe => Command::Subscribe { site_id, channel },
                ChannelCommand::Unsubscribe => Command::Unsubscribe { site_id, channel },
            };
            self.push(command, now);
        }
    }

    /// Pipeline notifications become callbacks for the registrations that
    /// want them; data freshness asks the site's current stats for a refresh.
    pub(super) fn collect_notifications(&mut self, site_ix: &SiteIx<'_>, now_ms: i64) {
        // The queue and counters borrowed beside the site: each notification
        // becomes its command as it is polled, with no list of them in between.
        let Self { sites, commands, counters, .. } = self;
        let site_id = site_ix.id();
        let Some(site) = site_ix.get_mut(sites) else { return };
        let mut changes = Vec::new();
        for (ads_only, (pipeline, _)) in site.pipelines.iter_mut() {
            while let Some(n) = pipeline.poll_notification() {
                // A call's own callback or a freshness signal says the data may have moved.
                if matches!(n.kind, NotificationKind::DataFreshness | NotificationKind::CallCreated | NotificationKind::CallUpdated) {
                    changes.push(Change { table: n.table, from_ads_only: *ads_only });
                }
                let handles: Vec<u32> = site.handles.iter().filter(|(_, (mode, callbacks))| mode == ads_only && *callbacks).map(|(h, _)| *h).collect();
                if !handles.is_empty() {
                    let command = Command::Notify { site_id: site_id.to_string(), handles, kind: n.kind, table: n.table, seq: n.seq, row_id: n.row_id };
                    counters.commands = counters.commands.saturating_add(1);
                    commands.push(command);
                }
            }
        }
        // Then the rows each pipeline is done with, pipeline by pipeline (no list of them in between).
        for (pipeline, _) in site.pipelines.values_mut() {
            while let Some(seq) = pipeline.poll_released() {
                if let Some(release) = release_row(&mut site.retained, site_id, seq) {
                    counters.commands = counters.commands.saturating_add(1);
                    commands.push(release);
                }
            }
        }
        changes.dedup();
        for change in changes {
            self.refresh_current_stats(site_ix, change, now_ms);
        }
    }

    /// `onDataFreshness` for every registration of the site that wants callbacks (both modes).
    pub(super) fn notify_freshness(&mut self, site_id: &str, table: Table, now_ms: i64) {
        let Some(site) = self.sites.get(site_id) else { return };
        let handles: Vec<u32> = site.handles.iter().filter(|(_, (_, callbacks))| *callbacks).map(|(h, _)| *h).collect();
        if !handles.is_empty() {
            let command = Command::Notify { site_id: site_id.to_string(), handles, kind: NotificationKind::DataFreshness, table, seq: None, row_id: None };
            self.push(command, now_ms);
        }
    }

    /// One pipeline is done with payload `seq` (`release_row`).
    pub(super) fn release_one(&mut self, site_ix: &SiteIx<'_>, seq: u64, now_ms: i64) {
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        if let Some(release) = release_row(&mut site.retained, site_ix.id(), seq) {
            self.push(release, now_ms);
        }
    }

    /// A change the stats may reflect (`what_moves`): the site's keys whose
    /// range covers now are refreshed (throttled, coalesced).
    fn refresh_current_stats(&mut self, site: &SiteIx<'_>, change: Change, now_ms: i64) {
        let active = self.is_active();
        let Some(site) = site.get(&self.sites) else { return };
        let has_ads_pipeline = site.pipelines.contains_key(&true);
        for key in site.stats_keys.iter().filter(|k| moves_stats(change, k.ads_only, has_ads_pipeline)) {
            if let Some(task) = self.stats.get_mut(key).filter(|t| t.range.contains(now_ms)) {
                task.request_refresh(now_ms, active, RequestReason::CallsChange);
                self.dirty.stats.insert(key.clone());
            }
        }
    }
}

/// One pipeline is done with payload `seq`: the `Release` of its row when
/// that was the last pipeline holding it.
fn release_row(retained: &mut SortedMap<u64, u8>, site_id: &str, seq: u64) -> Option<Command> {
    let left = retained.get_mut(&seq).map(|n| {
        *n = n.saturating_sub(1);
        *n
    });
    if left != Some(0) {
        return None;
    }
    retained.remove(&seq);
    Some(Command::Release { site_id: site_id.to_string(), seq })
}
