//! `mergeOverlay(stats, overlay, {policy, nowMs, timeZone})`: which number the
//! dashboard shows, and where it came from.
//!
//! | | `db-truth` (default) | `legacy-max` (parity) |
//! |---|---|---|
//! | displayed stats | the DB snapshot, unchanged | the original's four max rules over snapshot and overlay |
//! | overlay applies when | the range is exactly today's range in the zone | same, and the snapshot is all-traffic |
//!
//! The original merged for any range not marked `yesterday` and any scope, so
//! today's all-traffic event counts leaked into multi-day and ads-only stats;
//! here the overlay applies only where it measures the same thing.


use crate::error::Result;
use crate::stats::normalize::parse_instant_ms;
use crate::stats::overlay::{OverlayCounts, OverlayReply};
use crate::stats::snapshot::CommandCenterP0Stats;
use crate::time::{day_bounds, format_date_key, DayRef};

/// Which source of truth the displayed stats follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub enum MergePolicy {
    /// Displayed stats are the latest DB snapshot; the overlay is shown beside them as `live`.
    #[default]
    #[cfg_attr(feature = "ts", serde(rename = "db-truth"))]
    DbTruth,
    /// The original's max rules, kept for parity, re-applied after every refetch.
    #[cfg_attr(feature = "ts", serde(rename = "legacy-max"))]
    LegacyMax,
}

impl MergePolicy {
    /// The names JS uses: `db-truth`, `legacy-max`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "db-truth" => Some(MergePolicy::DbTruth),
            "legacy-max" => Some(MergePolicy::LegacyMax),
            _ => None,
        }
    }
}

/// Inputs besides the data: the clock and the zone come in as parameters.
#[derive(Debug, Clone, Copy)]
pub struct MergeOptions<'a> {
    pub policy: MergePolicy,
    pub now_ms: i64,
    pub time_zone: &'a str,
    /// When the overlay reply arrived; defaults to `now_ms`.
    pub overlay_received_at_ms: Option<i64>,
    /// When the snapshot was fetched, for its age; unknown when `None`.
    pub snapshot_fetched_at_ms: Option<i64>,
}

/// The overlay as the UI shows it. Counts are `None` for a fallback reply.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct LiveOverlay {
    pub captured: Option<f64>,
    pub gclid: Option<f64>,
    pub junk: Option<f64>,
    pub day_key: String,
    pub received_at_ms: i64,
    pub fallback: bool,
}

/// What happened to the overlay in this merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum OverlayStatus {
    /// legacy-max: the max rules ran.
    Applied,
    /// db-truth: shown as `live`, stats untouched.
    Shown,
    /// The stats range is not today's range in the zone (yesterday, a span, another zone's day).
    NotToday,
    /// The overlay counted an earlier day than the one containing `now`: dropped.
    PreviousDay,
    /// legacy-max on ads-only stats: the overlay counts all traffic, so it is shown, not merged.
    ScopeMismatch,
    /// The snapshot's `date_from`/`date_to` do not parse, so the range cannot be matched.
    RangeUnknown,
    /// `_fallback: true`: degraded, ignored.
    Fallback,
    /// Not an overlay reply: ignored.
    Error,
    /// No overlay yet.
    Absent,
}

/// Where a merged field's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum FieldSource {
    Db,
    Overlay,
}

/// The four fields the legacy rules can take from the overlay; every other field is always `db`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct FieldSources {
    pub sealed: FieldSource,
    pub junk: FieldSource,
    pub total_leads: FieldSource,
    pub gclid_leads: FieldSource,
}

impl FieldSources {
    const ALL_DB: Self = Self { sealed: FieldSource::Db, junk: FieldSource::Db, total_leads: FieldSource::Db, gclid_leads: FieldSource::Db };
}

/// Which number came from where, and how old each source is.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Provenance {
    pub policy: MergePolicy,
    pub overlay: OverlayStatus,
    pub fields: FieldSources,
    pub snapshot_age_ms: Option<i64>,
    pub overlay_age_ms: Option<i64>,
    /// Why the latest overlay reply was ignored (an error reply, or a degraded one kept out of the merge).
    pub error: Option<String>,
}

/// `{stats, live, provenance}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct Merged {
    pub stats: Option<CommandCenterP0Stats>,
    pub live: Option<LiveOverlay>,
    pub provenance: Provenance,
}

/// Merges a normalized snapshot with an overlay reply under a policy.
/// Errors only for a bad zone or instant in `options`.
pub fn merge_overlay(stats: Option<&CommandCenterP0Stats>, overlay: Option<&OverlayReply>, options: MergeOptions<'_>) -> Result<Merged> {
    let today = day_bounds(DayRef::Today(options.now_ms), options.time_zone)?;
    let received_at = options.overlay_received_at_ms.unwrap_or(options.now_ms);
    let overlay_day = day_bounds(DayRef::Today(received_at), options.time_zone)?;
    let mut provenance = Provenance {
        policy: options.policy,
        overlay: OverlayStatus::Absent,
        fields: FieldSources::ALL_DB,
        snapshot_age_ms: options.snapshot_fetched_at_ms.map(|at| options.now_ms - at),
        overlay_age_ms: None,
        error: None,
    };
    let live_of = |counts: Option<OverlayCounts>| LiveOverlay {
        captured: counts.map(|c| c.captured),
        gclid: counts.map(|c| c.gclid),
        junk: counts.map(|c| c.junk),
        day_key: format_date_key(overlay_day.date),
        received_at_ms: received_at,
        fallback: counts.is_none(),
    };
    let unchanged = |provenance: Provenance, live: Option<LiveOverlay>| Merged { stats: stats.cloned(), live, provenance };

    let counts = match overlay {
        None => return Ok(unchanged(provenance, None)),
        Some(OverlayReply::Error { error }) => {
            provenance.overlay = OverlayStatus::Error;
            provenance.error = Some(error.clone());
            return Ok(unchanged(provenance, None));
        }
        Some(reply) => {
            provenance.overlay_age_ms = Some(options.now_ms - received_at);
            if overlay_day.date != today.date {
                provenance.overlay = OverlayStatus::PreviousDay;
                return Ok(unchanged(provenance, None));
            }
            match reply {
                OverlayReply::Counts(counts) => *counts,
                _ => {
                    provenance.overlay = OverlayStatus::Fallback;
                    return Ok(unchanged(provenance, Some(live_of(None))));
                }
            }
        }
    };
    let live = Some(live_of(Some(counts)));
    let Some(snapshot) = stats else {
        provenance.overlay = OverlayStatus::Shown;
        return Ok(unchanged(provenance, live));
    };
    let range = parse_instant_ms(&snapshot.date_from).zip(parse_instant_ms(&snapshot.date_to));
    let Some((from_ms, to_ms)) = range else {
        provenance.overlay = OverlayStatus::RangeUnknown;
        return Ok(unchanged(provenance, None));
    };
    if (from_ms, to_ms) != (today.from_ms, today.to_ms) {
        provenance.overlay = OverlayStatus::NotToday;
        return Ok(unchanged(provenance, None));
    }
    match options.policy {
        MergePolicy::DbTruth => {
            provenance.overlay = OverlayStatus::Shown;
            Ok(unchanged(provenance, live))
        }
        MergePolicy::LegacyMax if snapshot.ads_only => {
            provenance.overlay = OverlayStatus::ScopeMismatch;
            Ok(unchanged(provenance, live))
        }
        MergePolicy::LegacyMax => {
            let (merged, fields) = legacy_max(snapshot, counts);
            provenance.overlay = OverlayStatus::Applied;
            provenance.fields = fields;
            Ok(Merged { stats: Some(merged), live, provenance })
        }
    }
}

/// The original's four rules: `sealed = max(sealed, captured)`,
/// `junk = max(junk, overlay.junk)`, `total_leads = max(total_leads, captured)`,
/// `gclid_leads = max(gclid_leads, gclid)`.
fn legacy_max(snapshot: &CommandCenterP0Stats, overlay: OverlayCounts) -> (CommandCenterP0Stats, FieldSources) {
    let pick = |db: f64, live: f64| if live > db { (live, FieldSource::Overlay) } else { (db, FieldSource::Db) };
    let (sealed, sealed_src) = pick(snapshot.sealed, overlay.captured);
    let (junk, junk_src) = pick(snapshot.junk, overlay.junk);
    let (total_leads, total_src) = pick(snapshot.total_leads, overlay.captured);
    let (gclid_leads, gclid_src) = pick(snapshot.gclid_leads, overlay.gclid);
    let merged = CommandCenterP0Stats { sealed, junk, total_leads, gclid_leads, ..snapshot.clone() };
    (merged, FieldSources { sealed: sealed_src, junk: junk_src, total_leads: total_src, gclid_leads: gclid_src })
}
