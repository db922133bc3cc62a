//! Sending requests: one function per request kind, each issuing only what
//! is due, and `start_request`, the one place a request is recorded in
//! flight, armed for its timeout, counted and queued.

use serde_json::Value;

use super::command::{Command, RequestReason};
use super::command_batch::SESSION_LOOKUP_RPC;
use super::command_queue::{Queued, SessionLookup};
use super::in_flight::Pending;
use super::interest::StatsKey;
use super::timing::{LIVE_WINDOW_MS, MAX_LOOKUPS_IN_FLIGHT, REPLAY_LIMIT, REPLAY_MARGIN_MS};
use crate::realtime::{LookupRequest, Table};
use super::site::lookup_for_session;
use super::site_ix::SiteIx;
use super::wake::Wake;
use super::PulseEngine;
use crate::json::object;
use crate::time::to_iso_string;

/// How a request goes out: an RPC by name, a session lookup, or the overlay fetch.
enum Call {
    Rpc { name: &'static str, params: Value },
    Lookup { session_id: String },
    Overlay,
}

/// A lookup to send: the asking mode, its request, and the other asks for the same session.
type NewLookup = (bool, LookupRequest, Vec<(bool, u64)>);

impl PulseEngine {
    fn start_request(&mut self, pending: Pending, call: Call, reason: RequestReason, now_ms: i64) -> u64 {
        let kind = pending.kind();
        let site_id = pending.site_id().to_string();
        let request_id = self.in_flight.start(pending, now_ms);
        self.timers.set(Wake::RequestTimeout { request_id }, Some(now_ms.saturating_add(self.config.cadence.request_timeout_ms)));
        self.counters.requests.add(kind);
        let command = match call {
            Call::Rpc { name, params } => Command::Rpc { request_id, kind, reason, site_id, name, params },
            Call::Lookup { session_id } => {
                self.push_queued(Queued::Lookup(SessionLookup { request_id, reason, site_id, session_id }), now_ms);
                return request_id;
            }
            Call::Overlay => Command::FetchOverlay { request_id, reason, site_id },
        };
        self.push(command, now_ms);
        request_id
    }

    pub(super) fn push(&mut self, command: Command, now_ms: i64) {
        self.push_queued(Queued::Command(command), now_ms);
    }

    fn push_queued(&mut self, queued: Queued, now_ms: i64) {
        match &queued {
            Queued::Lookup(l) => self.log.push_request(now_ms, Some(SESSION_LOOKUP_RPC), &l.site_id, l.request_id, l.reason),
            Queued::Command(command) => match command {
                Command::Rpc { name, site_id, request_id, reason, .. } => self.log.push_request(now_ms, Some(name), site_id, *request_id, *reason),
                Command::FetchOverlay { site_id, request_id, reason } => self.log.push_request(now_ms, None, site_id, *request_id, *reason),
                Command::Notify { .. } | Command::Release { .. } => {}
                other => self.log.push(now_ms, other.label()),
            },
        }
        self.counters.commands = self.counters.commands.saturating_add(1);
        self.commands.push_queued(queued);
    }

    /// A due reconnect, then the site's activity probe and overlay poll.
    pub(super) fn issue_site_polls(&mut self, site_ix: &SiteIx<'_>, now_ms: i64) {
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        site.connection.handle_timeout(now_ms);
        // A due reconnect goes out before this site's polls.
        self.collect_channel_commands(site_ix);
        let Some(site) = site_ix.get(&self.sites) else { return };
        let probe_due = site.probe_active(self.now) && site.probe.is_due(now_ms);
        let overlay_due = site.overlay_active() && site.overlay.is_due(now_ms);
        let overlay_reason = site.overlay.reason;
        if probe_due {
            self.issue_probe(site_ix, now_ms);
        }
        if overlay_due {
            let id = self.start_request(Pending::Overlay(site_ix.id().to_string()), Call::Overlay, overlay_reason, now_ms);
            if let Some(site) = site_ix.get_mut(&mut self.sites) {
                site.overlay.started(id, now_ms);
            }
        }
        self.issue_catch_up(site_ix, now_ms);
    }

    /// The channel reports again after a gap: replay the gap's calls through
    /// the recent-intents RPC, or tell the callbacks to refetch their lists.
    fn issue_catch_up(&mut self, site_ix: &SiteIx<'_>, now_ms: i64) {
        let site_id = site_ix.id();
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        if !site.realtime_reports_changes() || site.replay_in_flight.is_some() {
            return;
        }
        let Some(since) = site.gap_since.take() else { return };
        if !self.config.replay_calls {
            self.log.push(now_ms, format!("catch-up {site_id}: data freshness (no replay source)"));
            self.notify_freshness(site_id, Table::Calls, now_ms);
            return;
        }
        let from = to_iso_string(since.saturating_sub(REPLAY_MARGIN_MS));
        // One second past now: the server's clock may run ahead of ours.
        let to = to_iso_string(now_ms.saturating_add(1_000));
        let (name, params) = if self.probe_v1 {
            let minutes = (now_ms - since + REPLAY_MARGIN_MS).div_euclid(60_000) + 1;
            ("get_recent_intents_v1", object(vec![("p_site_id", Value::from(site_id)), ("p_since", Value::from(from)), ("p_minutes_lookback", Value::from(minutes)), ("p_limit", Value::from(REPLAY_LIMIT)), ("p_ads_only", Value::from(false))]))
        } else {
            ("get_recent_intents_v2", object(vec![("p_site_id", Value::from(site_id)), ("p_date_from", Value::from(from)), ("p_date_to", Value::from(to)), ("p_limit", Value::from(REPLAY_LIMIT)), ("p_ads_only", Value::from(false))]))
        };
        let id = self.start_request(Pending::Replay { site_id: site_id.to_string(), since_ms: since }, Call::Rpc { name, params }, RequestReason::CatchUp, now_ms);
        if let Some(site) = site_ix.get_mut(&mut self.sites) {
            site.replay_in_flight = Some(id);
        }
    }

    /// `get_recent_intents_v2` (v1 once the server said v2 is missing) over the live window.
    fn issue_probe(&mut self, site_ix: &SiteIx<'_>, now_ms: i64) {
        let site_id = site_ix.id();
        let since = to_iso_string(now_ms - LIVE_WINDOW_MS);
        let (name, params) = if self.probe_v1 {
            let params = object(vec![("p_site_id", Value::from(site_id)), ("p_since", Value::from(since)), ("p_minutes_lookback", Value::from(LIVE_WINDOW_MS / 60_000)), ("p_limit", Value::from(1)), ("p_ads_only", Value::from(false))]);
            ("get_recent_intents_v1", params)
        } else {
            let params = object(vec![("p_site_id", Value::from(site_id)), ("p_date_from", Value::from(since)), ("p_date_to", Value::from(to_iso_string(now_ms))), ("p_limit", Value::from(1)), ("p_ads_only", Value::from(false))]);
            ("get_recent_intents_v2", params)
        };
        let reason = site_ix.get(&self.sites).map_or(RequestReason::Cadence, |s| s.probe.reason);
        let id = self.start_request(Pending::Probe(site_id.to_string()), Call::Rpc { name, params }, reason, now_ms);
        if let Some(site) = site_ix.get_mut(&mut self.sites) {
            site.probe.started(id, now_ms);
        }
    }

    /// `get_command_center_p0_stats_v2` for a key, when due.
    pub(super) fn issue_stats_fetch(&mut self, key: &StatsKey, now_ms: i64) {
        let Some(task) = self.stats.get(key).filter(|t| t.fetch.is_due(now_ms)) else { return };
        let params = object(vec![("p_site_id", Value::from(key.site_id.as_str())), ("p_date_from", Value::from(to_iso_string(task.range.from_ms))), ("p_date_to", Value::from(to_iso_string(task.range.to_ms))), ("p_ads_only", Value::from(key.ads_only))]);
        let call = Call::Rpc { name: "get_command_center_p0_stats_v2", params };
        let reason = task.fetch.reason;
        let id = self.start_request(Pending::Stats(key.clone()), call, reason, now_ms);
        if let Some(task) = self.stats.get_mut(key) {
            task.fetch.started(id, now_ms);
            task.timed_refresh = false;
        }
    }

    /// `get_session_details` for every lookup the site's pipelines asked for.
    pub(super) fn issue_lookups(&mut self, site_ix: &SiteIx<'_>, now_ms: i64) {
        let site_id = site_ix.id();
        let Some(site) = site_ix.get_mut(&mut self.sites) else { return };
        // At most MAX_LOOKUPS_IN_FLIGHT per site; the rest wait in their
        // pipeline's queue until an answer frees a slot (the site is then dirty again).
        // A session already asked for (by either mode) rides on that request.
        let mut room = MAX_LOOKUPS_IN_FLIGHT.saturating_sub(site.lookup_waiters.len());
        let mut new: Vec<NewLookup> = Vec::new();
        for (ads_only, (pipeline, _)) in site.pipelines.iter_mut() {
            loop {
                let joins = |session: &str| lookup_for_session(&site.lookup_waiters, session).is_some() || new.iter().any(|(_, l, _)| l.session_id == session);
                if room == 0 && !pipeline.peek_lookup().is_some_and(|l| joins(&l.session_id)) {
                    break;
                }
                let Some(l) = pipeline.poll_lookup() else { break };
                let rider = (*ads_only, l.request_id);
                if let Some(id) = lookup_for_session(&site.lookup_waiters, &l.session_id) {
                    if let Some((_, waiters)) = site.lookup_waiters.get_mut(&id) {
                        waiters.push(rider);
                    }
                } else if let Some((_, _, riders)) = new.iter_mut().find(|(_, n, _)| n.session_id == l.session_id) {
                    riders.push(rider);
                } else {
                    new.push((*ads_only, l, Vec::new()));
                    room -= 1;
                }
            }
        }
        for (ads_only, l, riders) in new {
            let pending = Pending::Lookup { site_id: site_id.to_string() };
            let id = self.start_request(pending, Call::Lookup { session_id: l.session_id.clone() }, RequestReason::SessionLookup, now_ms);
            if let Some(site) = site_ix.get_mut(&mut self.sites) {
                let waiters = std::iter::once((ads_only, l.request_id)).chain(riders).collect();
                site.lookup_waiters.insert(id, (l.session_id, waiters));
            }
        }
    }
}
