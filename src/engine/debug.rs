//! What devtools and tests read about the engine's insides: per-site state,
//! sizes, the requests in flight. Plain JSON text, never used for decisions.
//! Every object's keys are written in sorted order (the order devtools has
//! always received: the text used to come from sorted JSON maps).

use super::in_flight::Pending;
use super::interest::{Interest, RangeSpec};
use super::PulseEngine;
use crate::json::ObjectWriter;
use crate::stats::MergePolicy;

/// `today` or `<fromMs>..<toMs>`: one token of an in-flight key or a log line.
pub(super) fn range_text(range: &RangeSpec) -> String {
    match range {
        RangeSpec::Today => "today".to_string(),
        RangeSpec::Fixed { from_ms, to_ms } => format!("{from_ms}..{to_ms}"),
    }
}

/// `[f(item), ...]` for each item of `items`.
fn write_list<T>(out: &mut String, items: impl Iterator<Item = T>, f: impl Fn(&mut String, T)) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        f(out, item);
    }
    out.push(']');
}

/// A poll's state: `{active, inFlight, nextAt}`.
fn write_poll(out: &mut String, next_at: Option<i64>, in_flight: bool, active: bool) {
    ObjectWriter::new(out).field("active", &active).field("inFlight", &in_flight).field("nextAt", &next_at).end();
}

fn policy_name(policy: MergePolicy) -> &'static str {
    match policy {
        MergePolicy::DbTruth => "db-truth",
        MergePolicy::LegacyMax => "legacy-max",
    }
}

impl PulseEngine {
    /// What each request in flight is for, one line each (duplicates would be a bug).
    pub fn in_flight_keys(&self) -> Vec<String> {
        self.in_flight
            .iter()
            .map(|(id, r)| match &r.pending {
                Pending::Stats(k) => format!("stats:{}:{}:{}", k.site_id, range_text(&k.range), k.ads_only),
                Pending::Overlay(site) => format!("overlay:{site}"),
                Pending::Probe(site) => format!("probe:{site}"),
                Pending::Lookup { site_id } => {
                    let session = self.sites.get(site_id).and_then(|s| s.lookup_waiters.get(&id)).map_or("", |(session, _)| session.as_str());
                    format!("lookup:{site_id}:{session}")
                }
                Pending::Replay { site_id, .. } => format!("replay:{site_id}"),
            })
            .collect()
    }

    /// Every registration: `{adsOnly, callbacks | range | atMs, handle, kind, siteId, version}`.
    fn write_registrations(&self, out: &mut String) {
        write_list(out, self.handles(), |out, (handle, interest)| {
            let version = self.version(handle);
            let mut o = ObjectWriter::new(out);
            match interest {
                Interest::Realtime { site_id, ads_only, callbacks } => {
                    o.field("adsOnly", ads_only).field("callbacks", callbacks).field("handle", &handle).field("kind", &"realtime");
                    o.field("siteId", site_id).field("version", &version);
                }
                Interest::Stats(k) => {
                    o.field("adsOnly", &k.ads_only).field("handle", &handle).field("kind", &"stats").field("range", &k.range);
                    o.field("siteId", &k.site_id).field("version", &version);
                }
                Interest::RelativeTime { at_ms } => {
                    o.field("atMs", at_ms).field("handle", &handle).field("kind", &"relative_time").field("version", &version);
                }
            }
            o.end();
        });
    }

    /// Per-site sizes and state.
    fn write_sites(&self, out: &mut String) {
        write_list(out, self.sites.values(), |out, s| {
            let mut o = ObjectWriter::new(out);
            o.field("activityAt", &s.activity_at).field("connection", &s.connection.status()).field("live", &s.is_live(self.now));
            write_poll(o.slot("overlay"), s.overlay.next_at, s.overlay.in_flight.is_some(), s.overlay_active());
            write_list(o.slot("pipelines"), s.pipelines.iter(), |out, (ads_only, (p, refs))| {
                ObjectWriter::new(out).field("adsOnly", ads_only).field("drops", p.drops()).field("refs", refs).field("sizes", &p.sizes()).end();
            });
            write_poll(o.slot("probe"), s.probe.next_at, s.probe.in_flight.is_some(), s.probe_active(self.now));
            o.field("reconnects", &s.connection.reconnects()).field("siteId", &s.site_id);
            o.end();
        });
    }

    /// Per stats task: its key, range, refs and fetch state.
    fn write_stats(&self, out: &mut String) {
        write_list(out, self.stats.values(), |out, t| {
            let mut o = ObjectWriter::new(out);
            o.field("dayKey", &t.range.day_key).field("error", &t.error).field("fetchedAt", &t.fetched_at()).field("fromMs", &t.range.from_ms);
            o.field("inFlight", &t.fetch.in_flight.is_some()).field("key", &t.key).field("refetchAt", &t.fetch.next_at);
            o.field("refs", &t.handles.len()).field("toMs", &t.range.to_ms);
            o.end();
        });
    }

    /// Everything devtools shows about the engine, as one JSON object.
    pub fn debug_json(&self) -> String {
        let mut out = String::with_capacity(1024);
        let mut o = ObjectWriter::new(&mut out);
        o.field("inFlight", &self.in_flight_keys()).field("inFlightCount", &self.in_flight.len()).field("logBytes", &self.log.text_bytes());
        o.field("now", &self.now).field("online", &self.online).field("policy", &policy_name(self.config.policy)).field("probeV1", &self.probe_v1);
        o.field("queuedCommands", &self.commands.len());
        self.write_registrations(o.slot("registrations"));
        o.field("retainedRows", &self.retained_rows());
        self.write_sites(o.slot("sites"));
        self.write_stats(o.slot("stats"));
        o.field("timeZone", &self.config.time_zone).field("timerCount", &self.timers.len());
        write_list(o.slot("timers"), self.timers.earliest(64).into_iter(), |out, (at, wake)| ObjectWriter::new(out).field("atMs", &at).field("wake", wake).end());
        o.field("visible", &self.visible);
        o.end();
        out
    }
}
