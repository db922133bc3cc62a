//! Answers: what each kind of response (or its timeout) does to the tasks
//! that asked. Strings from the network arrive here already capped.

use serde_json::Value;

use super::command::RpcError;
use super::in_flight::{Pending, RequestError};
use super::command::RequestReason;
use super::interest::StatsKey;
use super::timing::REPLAY_LIMIT;
use super::site_ix::SiteIx;
use super::PulseEngine;
use crate::stats::{normalize_overlay, normalize_p0_stats};

impl PulseEngine {
    /// A request unanswered for `REQUEST_TIMEOUT_MS` fails; its late answer is dropped.
    pub(super) fn expire_request(&mut self, request_id: u64, now_ms: i64) {
        let Some(request) = self.in_flight.take(request_id) else { return };
        self.push(super::Command::Abort { request_id, reason: super::AbortReason::TimedOut }, now_ms);
        self.counters.timeouts = self.counters.timeouts.saturating_add(1);
        self.log.push(now_ms, format!("request #{request_id} timed out"));
        let timed_out = RequestError::TimedOut.message();
        self.dirty.sites.insert(request.pending.site_id().to_string());
        match request.pending {
            Pending::Stats(key) => {
                if let Some(task) = self.stats.get_mut(&key) {
                    if task.fetch.in_flight == Some(request_id) {
                        task.error = Some(timed_out.to_string());
                        task.finished(now_ms, false);
                    }
                }
                self.dirty.stats.insert(key);
            }
            Pending::Overlay(site_id) => self.on_overlay_response(&site_id, request_id, Err(timed_out.to_string()), now_ms),
            Pending::Probe(site_id) => self.on_probe_response(&site_id, request_id, Err(RpcError { code: None, message: timed_out.to_string() }), now_ms),
            Pending::Lookup { site_id, .. } => {
                if let Some(site) = self.find_site(&site_id) {
                    self.on_lookup_response(&site, request_id, Err(timed_out.to_string()), now_ms);
                }
            }
            Pending::Replay { site_id, since_ms } => {
                self.on_replay_response(&site_id, request_id, since_ms, Err(RpcError { code: None, message: timed_out.to_string() }), now_ms)
            }
        }
    }

    /// The catch-up replay answered. Its rows went through the pipeline
    /// already (the driver feeds them as payloads before it answers). A
    /// missing v2 retries with v1; any other failure falls back to data freshness.
    pub(super) fn on_replay_response(&mut self, site_id: &str, request_id: u64, since_ms: i64, result: Result<Value, RpcError>, now_ms: i64) {
        let Some(site) = self.sites.get_mut(site_id).filter(|s| s.replay_in_flight == Some(request_id)) else { return };
        site.replay_in_flight = None;
        match result {
            // A full page of rows may not be all of the gap: the lists are refetched too.
            Ok(Value::Number(n)) if n.as_i64().is_some_and(|n| n >= REPLAY_LIMIT) => {
                self.log.push(now_ms, format!("catch-up {site_id}: replay hit its limit of {REPLAY_LIMIT} rows; data freshness too"));
                self.notify_freshness(site_id, crate::realtime::Table::Calls, now_ms);
            }
            Ok(_) => self.log.push(now_ms, format!("catch-up {site_id}: replayed calls since {since_ms}")),
            Err(e) if e.is_missing_function() && !self.probe_v1 => {
                self.probe_v1 = true;
                site.gap_since = Some(site.gap_since.map_or(since_ms, |t| t.min(since_ms)));
            }
            Err(e) => {
                self.log.push(now_ms, format!("catch-up {site_id} failed ({}): data freshness instead", e.message));
                self.notify_freshness(site_id, crate::realtime::Table::Calls, now_ms);
            }
        }
    }

    /// A session lookup: rows mean ads. The pipeline decides the rows that waited.
    pub(super) fn on_lookup_response(&mut self, site: &SiteIx<'_>, request_id: u64, result: Result<Value, String>, now_ms: i64) {
        let verdict = match result {
            Ok(Value::Array(rows)) => Ok(!rows.is_empty()),
            Ok(Value::Null) => Ok(false),
            Ok(Value::Object(_)) => Ok(true),
            Ok(_) => Err("get_session_details returned an unexpected shape".to_string()),
            Err(e) => Err(e),
        };
        let Some(site) = site.get_mut(&mut self.sites) else { return };
        let Some((_, waiters)) = site.lookup_waiters.remove(&request_id) else { return };
        // Every pipeline that asked for this session gets the verdict.
        for (mode, request) in waiters {
            if let Some((pipeline, _)) = site.pipelines.get_mut(&mode) {
                pipeline.handle_lookup_result(request, verdict.clone(), now_ms);
            }
        }
    }

    pub(super) fn on_overlay_response(&mut self, site_id: &str, request_id: u64, result: Result<Value, String>, now_ms: i64) {
        let active = self.is_active();
        let Some(site) = self.sites.get(site_id) else { return };
        if site.overlay.in_flight != Some(request_id) {
            return;
        }
        let catching_up = site.catching_up;
        let stale_after_ms = self.config.cadence.stale_after_ms;
        let today_keys: Vec<StatsKey> = site.stats_keys.iter().filter(|k| k.range == super::RangeSpec::Today).cloned().collect();
        let mut rose = false;
        match &result {
            Ok(body) => {
                let reply = normalize_overlay(body);
                // A rise moves the `live` counters and says the site is active; it
                // cannot move the DB stats (see `what_moves`), so it fetches nothing.
                for key in &today_keys {
                    let Some(task) = self.stats.get_mut(key) else { continue };
                    if let Ok(update) = task.live.on_overlay(reply.clone(), now_ms) {
                        rose |= update.stale;
                    }
                }
            }
            Err(e) => self.log.push(now_ms, format!("overlay {site_id} failed: {e}")),
        }
        for key in &today_keys {
            let Some(task) = self.stats.get_mut(key).filter(|t| t.catching_up) else { continue };
            task.catching_up = false;
            let stale = task.pending || task.fetched_at().is_none_or(|at| now_ms - at >= stale_after_ms);
            if catching_up && stale && task.fetch.in_flight.is_none() {
                task.request_refresh(now_ms, active, RequestReason::BackFromHidden);
            }
        }
        self.dirty.stats.extend(today_keys);
        if let Some(site) = self.sites.get_mut(site_id) {
            site.catching_up = false;
            if rose {
                site.saw_activity(now_ms, false);
            }
            let interval = site.overlay_interval(now_ms);
            match result {
                Ok(_) => site.overlay.succeeded(now_ms + interval),
                Err(_) => site.overlay.failed(now_ms, interval),
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
                let unreported = !self.sites.get(&key.site_id).is_some_and(|s| s.realtime_reports_changes());
                if let Some(task) = self.stats.get_mut(key) {
                    task.refresh_later_if(unreported, now_ms);
                }
            }
            Err(e) => {
                task.error = Some(e.message.clone());
                task.finished(now_ms, false);
                self.log.push(now_ms, format!("stats {} failed: {}", key.site_id, e.message));
            }
        }
    }

    pub(super) fn on_probe_response(&mut self, site_id: &str, request_id: u64, result: Result<Value, RpcError>, now_ms: i64) {
        let switch_to_v1 = matches!(&result, Err(e) if e.is_missing_function()) && !self.probe_v1;
        if switch_to_v1 {
            self.probe_v1 = true;
            self.log.push(now_ms, "get_recent_intents_v2 missing: probing with v1 from now on".to_string());
        }
        let retry_after_ms = self.config.cadence.probe_fast_ms;
        let Some(site) = self.sites.get_mut(site_id).filter(|s| s.probe.in_flight == Some(request_id)) else { return };
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
                site.probe.due(now_ms, RequestReason::Retry);
            }
            Err(_) => site.probe.failed(now_ms, retry_after_ms),
        }
    }
}
