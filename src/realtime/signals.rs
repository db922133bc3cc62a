//! What a site's payloads mean for the dashboard: site scoping, dedup, the
//! session lookups, the live signals, and the callbacks to fire, as typed
//! notifications. No IO, no clock.
//!
//! The callback contract is the original hook's (README, "Callbacks"), per
//! payload that passed site scoping and dedup. "Lookup" is
//! `get_session_details(site, session)`: rows = ads, no rows = not ads or
//! not this site's session, an error (or a timeout, or a lookup abandoned
//! when the pipeline closes) = error. Drop reasons in parentheses.
//!
//! | payload | all traffic | ads-only |
//! |---|---|---|
//! | `calls` INSERT, any `status` | `CallCreated` | no `matched_session_id`: freshness; lookup ads: `CallCreated`, non-ads: nothing (`non_ads`), error: freshness |
//! | `calls` UPDATE | `CallUpdated` | same rule with `CallUpdated` |
//! | `sessions` INSERT | freshness | freshness |
//! | `events` INSERT | no `session_id`: nothing (`no_session`); lookup ads: `EventCreated` + freshness, non-ads: nothing (`non_ads`), error: nothing (`lookup_failed`) | payload non-ads: nothing (`non_ads`); no `session_id`: freshness; lookup ads: `EventCreated` + freshness, non-ads: nothing (`non_ads`), error: freshness |
//!
//! Exactly the original's callbacks: the engine refreshes the site's stats
//! from the call notifications themselves (`engine::what_moves`), so no
//! extra freshness is needed for that. Events carry no `site_id` and their channel has no
//! filter, so in both modes the lookup is the only proof an event is this
//! site's. Too many lookups waiting is handled like an error but counted as
//! `lookup_overflow`.
//!
//! Signals follow the same proof: calls and sessions count in `eventCount` /
//! `lastEventAt` on arrival (the channel's `site_id` filter proves them);
//! `lastSignalAt` / `lastSignalType` move for sessions, all-traffic calls,
//! and ads-only calls whose session is ads. An event counts and signals only
//! once its lookup returned rows. Duplicates and other sites' payloads are
//! dropped before anything, so they never count.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::VecDeque;

use crate::id_hasher::IdMap;

use serde_json::Value;

use crate::realtime::classify::{classify_kind, AdsKind};
use crate::realtime::counters::{DropCounts, DropReason};
use crate::realtime::dedup::DedupWindow;
use crate::realtime::keyed_hash::{HashIndexed, KeyedSip};
use crate::realtime::lru::LruCache;
use crate::realtime::payload::{decode_payload_text, ChangePayload, EventType, Table};
use crate::site_id::same_site;
use crate::text::{cap, MAX_ID_BYTES};

/// The callbacks the original hook fired, as data. `onIntentCreated` and
/// `onIntentUpdated` were declared but never called, so there is no kind for
/// them: an intent is a call (`status: 'intent'`) and fires `CallCreated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum NotificationKind {
    CallCreated,
    CallUpdated,
    EventCreated,
    DataFreshness,
}

impl NotificationKind {
    /// Every callback kind, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 4] = [NotificationKind::CallCreated, NotificationKind::CallUpdated, NotificationKind::EventCreated, NotificationKind::DataFreshness];
}

/// A callback to fire: which one, the table, and which payload's row it
/// carries (`seq`, the number the caller gave the payload; the caller holds
/// the row). Data freshness carries no row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Notification {
    pub kind: NotificationKind,
    pub table: Table,
    pub seq: Option<u64>,
    pub row_id: Option<String>,
    pub at_ms: i64,
}

/// A `get_session_details(p_site_id, p_session_id)` call to make.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct LookupRequest {
    pub request_id: u64,
    pub session_id: String,
}

/// The live part of the hook state.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Signals {
    pub last_event_at: Option<i64>,
    pub last_signal_at: Option<i64>,
    pub last_signal_type: Option<Table>,
    /// When the last ads signal (click id, paid tags, or an ads session) was seen.
    pub last_ads_signal_at: Option<i64>,
    pub event_count: u64,
}

/// Sizes of everything that could grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct PipelineSizes {
    pub dedup: usize,
    pub dedup_capacity: usize,
    pub cache: usize,
    pub cache_capacity: usize,
    pub pending_lookups: usize,
    pub waiting_rows: usize,
    pub queued_notifications: usize,
}

/// Limits.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub site_id: String,
    pub ads_only: bool,
    pub dedup_capacity: usize,
    pub cache_capacity: usize,
    /// Sessions with a lookup in flight; beyond this, rows are undecided (`lookup_overflow`; ads-only mode fires freshness).
    pub max_pending_lookups: usize,
    /// Rows waiting on one session's lookup.
    pub max_waiting_per_lookup: usize,
    /// Notifications kept when nobody drains them.
    pub max_queued_notifications: usize,
    /// Keys the dedup hash (the driver passes a random per-page value).
    pub seed: u64,
}

impl PipelineConfig {
    pub fn new(site_id: &str, ads_only: bool) -> Self {
        Self {
            site_id: site_id.to_string(),
            ads_only,
            dedup_capacity: crate::realtime::dedup::DEFAULT_DEDUP_CAPACITY,
            cache_capacity: crate::realtime::lru::DEFAULT_CACHE_CAPACITY,
            max_pending_lookups: 256,
            max_waiting_per_lookup: 64,
            max_queued_notifications: 4096,
            seed: 0x5eed,
        }
    }
}

/// A row whose callback depends on its session. Its id borrows from the
/// payload until something keeps it (a lookup to wait on, a notification):
/// a row dropped as non-ads costs no copy.
#[derive(Debug, Clone)]
struct Row<'a> {
    kind: NotificationKind,
    table: Table,
    seq: u64,
    row_id: Cow<'a, str>,
}

/// A row kept until its session's lookup answers.
type Waiting = Row<'static>;

impl Row<'_> {
    fn into_waiting(self) -> Waiting {
        Row { row_id: Cow::Owned(self.row_id.into_owned()), ..self }
    }
}

#[derive(Debug, Clone)]
struct PendingLookup {
    session_id: String,
    /// The session's hash by the cache's keyed hasher (its key in `pending_by_session` and the cache).
    session_hash: u64,
    /// The row that asked: held in place, since most lookups have no other.
    first: Waiting,
    /// Rows of the same session that came while it was in flight.
    later: Vec<Waiting>,
}

impl PendingLookup {
    fn waiting_rows(&self) -> usize {
        1 + self.later.len()
    }
}

/// One site's payload pipeline for one mode (all traffic or ads-only).
#[derive(Debug, Clone)]
pub struct SignalPipeline {
    config: PipelineConfig,
    dedup: DedupWindow,
    /// Session id → ads, keyed by the page's seed (session ids come from the network).
    cache: LruCache<String, bool, KeyedSip>,
    /// By the pipeline's own request id (`IdMap`: no SipHash).
    pending: IdMap<u64, PendingLookup>,
    /// Session hash (the cache's) → request id; the session itself is compared in `pending`.
    pending_by_session: HashIndexed<u64>,
    next_request_id: u64,
    lookups: VecDeque<LookupRequest>,
    notifications: VecDeque<Notification>,
    released: VecDeque<u64>,
    signals: Signals,
    drops: DropCounts,
    received: u64,
    accepted: u64,
    late_lookup_results: u64,
    overflowed_notifications: u64,
}

/// What happened to one payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadOutcome {
    /// Processed; its notifications (if any) are queued now.
    Accepted,
    /// Waiting on a session lookup: the caller keeps the row until a
    /// notification or a release names its `seq`.
    Retained,
    Dropped(DropReason),
}

impl SignalPipeline {
    pub fn new(config: PipelineConfig) -> Self {
        Self {
            dedup: DedupWindow::new(config.dedup_capacity, config.seed),
            cache: LruCache::with_hasher(config.cache_capacity, KeyedSip::new(config.seed)),
            config,
            pending: IdMap::default(),
            pending_by_session: HashIndexed::default(),
            next_request_id: 1,
            lookups: VecDeque::new(),
            notifications: VecDeque::new(),
            released: VecDeque::new(),
            signals: Signals::default(),
            drops: DropCounts::default(),
            received: 0,
            accepted: 0,
            late_lookup_results: 0,
            overflowed_notifications: 0,
        }
    }

    pub fn ads_only(&self) -> bool {
        self.config.ads_only
    }

    pub fn signals(&self) -> &Signals {
        &self.signals
    }

    pub fn drops(&self) -> &DropCounts {
        &self.drops
    }

    /// Every payload this pipeline was given (including ones refused at the boundary).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Payloads handled: a callback or a freshness signal fired for them.
    /// At every moment `received == accepted + drops().total() + waiting_rows()`.
    pub fn accepted(&self) -> u64 {
        self.accepted
    }

    /// Payloads waiting on a session lookup (neither accepted nor dropped yet).
    pub fn waiting_rows(&self) -> u64 {
        self.pending.values().map(|p| p.waiting_rows() as u64).sum()
    }

    /// Notifications pushed out of a full queue because nobody drained it.
    pub fn overflowed_notifications(&self) -> u64 {
        self.overflowed_notifications
    }

    /// Lookup results for requests this pipeline no longer waits on.
    pub fn late_lookup_results(&self) -> u64 {
        self.late_lookup_results
    }

    pub fn sizes(&self) -> PipelineSizes {
        PipelineSizes {
            dedup: self.dedup.len(),
            dedup_capacity: self.dedup.capacity(),
            cache: self.cache.len(),
            cache_capacity: self.cache.capacity(),
            pending_lookups: self.pending.len(),
            waiting_rows: self.pending.values().map(PendingLookup::waiting_rows).sum(),
            queued_notifications: self.notifications.len() + self.released.len(),
        }
    }

    /// Session ids in the ads cache, most recent first (devtools).
    pub fn cached_sessions(&self) -> Vec<String> {
        self.cache.keys_by_recency()
    }

    /// Counts a payload the boundary refused before decoding (e.g. oversized).
    pub fn record_drop(&mut self, reason: DropReason) {
        self.received = self.received.saturating_add(1);
        self.drops.add(reason);
    }

    /// A raw postgres_changes payload (parsed JSON). `seq` is the caller's
    /// number for it; notifications about its row carry it back.
    /// Serialized first, so the text path's limits apply to it too.
    pub fn handle_payload(&mut self, raw: &Value, seq: u64, now_ms: i64) -> PayloadOutcome {
        self.handle_payload_text(&raw.to_string(), seq, now_ms)
    }

    /// A payload as JSON text (the fast path).
    pub fn handle_payload_text(&mut self, text: &str, seq: u64, now_ms: i64) -> PayloadOutcome {
        self.handle_decoded(decode_payload_text(text), seq, now_ms)
    }

    /// A payload decoded by the caller (batch decoding).
    pub fn handle_decoded(&mut self, decoded: Result<ChangePayload<'_>, DropReason>, seq: u64, now_ms: i64) -> PayloadOutcome {
        self.received = self.received.saturating_add(1);
        let outcome = match decoded {
            Ok(change) => self.handle_change(&change, seq, now_ms),
            Err(reason) => PayloadOutcome::Dropped(reason),
        };
        match outcome {
            PayloadOutcome::Dropped(reason) => self.drops.add(reason),
            PayloadOutcome::Accepted => self.accepted = self.accepted.saturating_add(1),
            PayloadOutcome::Retained => {}
        }
        outcome
    }

    fn handle_change<'p>(&mut self, change: &'p ChangePayload<'_>, seq: u64, now_ms: i64) -> PayloadOutcome {
        if change.site_id.as_deref().is_some_and(|site| !same_site(site, &self.config.site_id)) {
            return PayloadOutcome::Dropped(DropReason::CrossSite);
        }
        // The original's key is `table:id:commit_timestamp`. A row is inserted
        // once, so an INSERT is keyed by `table:id` alone: the catch-up replay
        // (which cannot know the commit timestamp) and the live change are one.
        let stamp: &str = if change.event_type == EventType::Insert { "insert" } else { &change.commit_timestamp };
        if !self.dedup.insert_parts(&[change.table.as_str(), &change.id, stamp]) {
            return PayloadOutcome::Dropped(DropReason::Duplicate);
        }
        // Classified only where the mode and table read it (an all-traffic event never does).
        let payload_is_ads = || classify_kind(&change.ads);
        let table = change.table;
        // Borrowed until something keeps it: a duplicate, another site's or a non-ads row is never copied.
        let row_id = cap(&change.id, MAX_ID_BYTES);
        // Session ids are UUIDs; anything longer is not one and is not looked up (nor kept in the cache).
        let session_of = |id: Option<&'p str>| id.filter(|s| s.len() <= MAX_ID_BYTES);
        let ads_only = self.config.ads_only;
        match table {
            // The channel's `site_id` filter proves calls and sessions are this site's: they count at once.
            Table::Sessions => {
                self.count_event(now_ms);
                self.signal(table, payload_is_ads() == AdsKind::Ads, now_ms);
                self.freshness(table, now_ms);
            }
            Table::Calls => {
                self.count_event(now_ms);
                let kind = match change.event_type {
                    EventType::Insert => NotificationKind::CallCreated,
                    EventType::Update => NotificationKind::CallUpdated,
                };
                if !ads_only {
                    self.signal(table, payload_is_ads() == AdsKind::Ads, now_ms);
                    self.notify(kind, table, Some((seq, row_id.into_owned())), now_ms);
                    return PayloadOutcome::Accepted;
                }
                match session_of(change.matched_session_id.as_deref()) {
                    None => self.freshness(table, now_ms),
                    Some(session) => return self.decide_by_session(session, Row { kind, table, seq, row_id }, now_ms),
                }
            }
            // Events are not counted here: only their session lookup proves they are this site's.
            Table::Events => {
                if ads_only && payload_is_ads() == AdsKind::NonAds {
                    return PayloadOutcome::Dropped(DropReason::NonAds);
                }
                let row = Row { kind: NotificationKind::EventCreated, table, seq, row_id };
                match session_of(change.session_id.as_deref()) {
                    None if ads_only => self.freshness(table, now_ms),
                    None => return PayloadOutcome::Dropped(DropReason::NoSession),
                    Some(session) => return self.decide_by_session(session, row, now_ms),
                }
            }
        }
        PayloadOutcome::Accepted
    }

    /// The session's verdict decides the row: cached, else one lookup per
    /// session. The row and the session are copied only when a lookup keeps them.
    fn decide_by_session(&mut self, session: &str, row: Row<'_>, now_ms: i64) -> PayloadOutcome {
        // Hashed once, for the cache and the lookups in flight alike.
        let session_hash = self.cache.hash_of(session);
        if let Some(is_ads) = self.cache.get_hashed(session_hash, session) {
            return match self.deliver(is_ads, row, now_ms, false) {
                Ok(()) => PayloadOutcome::Accepted,
                Err(reason) => PayloadOutcome::Dropped(reason),
            };
        }
        let in_flight = self.pending_by_session.get(&session_hash).and_then(|id| self.pending.get_mut(id)).filter(|p| p.session_id == session);
        if let Some(p) = in_flight {
            if p.waiting_rows() < self.config.max_waiting_per_lookup {
                p.later.push(row.into_waiting());
                return PayloadOutcome::Retained;
            }
            // Too many rows wait on this session: the row's callback is dropped.
            return self.overflowed(row.table, now_ms);
        }
        if self.pending.len() >= self.config.max_pending_lookups {
            return self.overflowed(row.table, now_ms);
        }
        let request_id = self.next_request_id;
        self.next_request_id = self.next_request_id.saturating_add(1);
        let first = row.into_waiting();
        self.pending.insert(request_id, PendingLookup { session_id: session.to_string(), session_hash, first, later: Vec::new() });
        self.pending_by_session.insert(session_hash, request_id);
        self.lookups.push_back(LookupRequest { request_id, session_id: session.to_string() });
        PayloadOutcome::Retained
    }

    /// A row that cannot wait for a lookup is handled like a failed one
    /// (ads-only mode fires freshness, all-traffic mode nothing) but counted
    /// as `lookup_overflow`.
    fn overflowed(&mut self, table: Table, now_ms: i64) -> PayloadOutcome {
        if self.config.ads_only {
            self.freshness(table, now_ms);
        }
        PayloadOutcome::Dropped(DropReason::LookupOverflow)
    }

    /// The result of a lookup request: `Ok(true)` ads (non-empty rows),
    /// `Ok(false)` not ads (or not this site's session), `Err` the lookup failed.
    pub fn handle_lookup_result(&mut self, request_id: u64, result: Result<bool, String>, now_ms: i64) {
        let Some(PendingLookup { session_id, session_hash, first, later }) = self.pending.remove(&request_id) else {
            self.late_lookup_results = self.late_lookup_results.saturating_add(1);
            return;
        };
        let rows = std::iter::once(first).chain(later);
        // Another session with the same hash may have taken the entry since (see `LruCache`).
        if let Entry::Occupied(entry) = self.pending_by_session.entry(session_hash) {
            if *entry.get() == request_id {
                entry.remove();
            }
        }
        match result {
            Ok(is_ads) => {
                self.cache.insert_hashed(session_hash, session_id, is_ads);
                for waiting in rows {
                    match self.deliver(is_ads, waiting, now_ms, true) {
                        Ok(()) => self.accepted = self.accepted.saturating_add(1),
                        Err(reason) => self.drops.add(reason),
                    }
                }
            }
            // Not cached: the next row of the session asks again.
            Err(_) => {
                for waiting in rows {
                    // The original's fallback: ads-only fires freshness; in all-traffic
                    // mode only events wait on lookups, and an unproven event fires nothing.
                    if self.config.ads_only {
                        self.freshness(waiting.table, now_ms);
                        self.accepted = self.accepted.saturating_add(1);
                    } else {
                        self.drops.add(DropReason::LookupFailed);
                    }
                    self.released.push_back(waiting.seq);
                }
            }
        }
    }

    /// Drops every lookup in flight (e.g. the channel was closed); their rows get freshness.
    pub fn abandon_lookups(&mut self, now_ms: i64) {
        // Oldest first: the map's order is randomly seeded, and the rows'
        // releases must come out the same for the same inputs. Ordered as
        // they are collected (at most `max_pending_lookups`, 256 by default),
        // so the wasm carries no general sort for it.
        let mut ids: Vec<u64> = Vec::with_capacity(self.pending.len());
        for id in self.pending.keys().copied() {
            let at = ids.partition_point(|x| *x < id);
            ids.insert(at, id);
        }
        for id in ids {
            self.handle_lookup_result(id, Err("abandoned".to_string()), now_ms);
        }
        self.lookups.clear();
    }

    /// A decided row: ads fires its callback, then freshness (the original's
    /// for events; the documented extra for calls, which is what refreshes
    /// the stats); non-ads is dropped. A row that waited on a lookup is then
    /// released (after its notification, so the caller still has it). The
    /// caller counts the outcome.
    fn deliver(&mut self, is_ads: bool, row: Row<'_>, now_ms: i64, retained: bool) -> Result<(), DropReason> {
        let (table, seq) = (row.table, row.seq);
        if is_ads {
            // An event is this site's activity only now that its session proved it.
            if table == Table::Events {
                self.count_event(now_ms);
            }
            self.signal(table, true, now_ms);
            self.notify(row.kind, table, Some((seq, row.row_id.into_owned())), now_ms);
            // The original followed an event's callback with freshness, a call's with nothing.
            if table == Table::Events {
                self.freshness(table, now_ms);
            }
        }
        if retained {
            self.released.push_back(seq);
        }
        if is_ads {
            Ok(())
        } else {
            Err(DropReason::NonAds)
        }
    }

    /// A change of this site: counted in `eventCount` and `lastEventAt`.
    fn count_event(&mut self, now_ms: i64) {
        self.signals.event_count = self.signals.event_count.saturating_add(1);
        self.signals.last_event_at = Some(now_ms);
    }

    fn signal(&mut self, table: Table, ads: bool, now_ms: i64) {
        if ads {
            self.signals.last_ads_signal_at = Some(now_ms);
        }
        self.signals.last_signal_at = Some(now_ms);
        self.signals.last_signal_type = Some(table);
    }

    fn freshness(&mut self, table: Table, now_ms: i64) {
        self.notify(NotificationKind::DataFreshness, table, None, now_ms);
    }

    fn notify(&mut self, kind: NotificationKind, table: Table, row: Option<(u64, String)>, at_ms: i64) {
        // Bounded even if the driver stops draining: the oldest notification goes first.
        if self.notifications.len() >= self.config.max_queued_notifications {
            self.notifications.pop_front();
            self.overflowed_notifications = self.overflowed_notifications.saturating_add(1);
        }
        let (seq, row_id) = row.map_or((None, None), |(seq, id)| (Some(seq), Some(id)));
        self.notifications.push_back(Notification { kind, table, seq, row_id, at_ms });
    }

    /// The clock was corrected back by `delta_ms`: the instants shown move with it.
    pub fn rebase(&mut self, delta_ms: i64) {
        let s = &mut self.signals;
        for t in [&mut s.last_event_at, &mut s.last_signal_at, &mut s.last_ads_signal_at] {
            *t = t.map(|t| t.saturating_sub(delta_ms));
        }
    }

    /// A callback or a release waits to be polled (else the engine does not look).
    pub fn has_output(&self) -> bool {
        !self.notifications.is_empty() || !self.released.is_empty()
    }

    /// The next retained payload the caller may forget.
    pub fn poll_released(&mut self) -> Option<u64> {
        self.released.pop_front()
    }

    pub fn poll_notification(&mut self) -> Option<Notification> {
        self.notifications.pop_front()
    }

    /// The next lookup `poll_lookup` would return, left in the queue.
    pub fn peek_lookup(&self) -> Option<&LookupRequest> {
        self.lookups.front()
    }

    pub fn poll_lookup(&mut self) -> Option<LookupRequest> {
        self.lookups.pop_front()
    }
}
