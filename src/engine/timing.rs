//! Every cadence of the scheduler in one place, with the reason for each.

/// Activity probe after start or a signal: fast, for a few ticks.
pub const PROBE_FAST_MS: i64 = 2_000;
/// How many fast probe ticks before slowing down.
pub const PROBE_FAST_TICKS: u32 = 5;
/// Activity probe otherwise (the later upstream hooks' slow cadence).
pub const PROBE_SLOW_MS: i64 = 10_000;
/// The probe's look-back window, and how long evidence of activity keeps a site "live".
pub const LIVE_WINDOW_MS: i64 = 5 * 60_000;

/// The one rule behind `isLive` / `adsLive` (the engine's sites, and the
/// pipeline's test rig `realtime::RealtimeSession`): evidence of activity at
/// `at` is live until `LIVE_WINDOW_MS` later.
pub fn is_live_at(at: Option<i64>, now_ms: i64) -> bool {
    at.is_some_and(|t| now_ms - t < LIVE_WINDOW_MS)
}

/// When evidence at `at` stops being live, if that is still ahead of `now_ms`.
pub fn live_until(at: Option<i64>, now_ms: i64) -> Option<i64> {
    at.map(|t| t.saturating_add(LIVE_WINDOW_MS)).filter(|end| *end > now_ms)
}
/// Overlay poll while a "today" stats interest exists and the site had
/// activity in the live window (the original's 10 s)...
pub const OVERLAY_POLL_FAST_MS: i64 = 10_000;
/// ...and while it is quiet: the overlay only feeds the `live` counters, so a
/// quiet site needs it rarely (a signal pulls the next poll in).
pub const OVERLAY_POLL_SLOW_MS: i64 = 60_000;
/// Stats covering now are refreshed this often while the site has no
/// SUBSCRIBED channel: without realtime nothing else would say they moved.
pub const STATS_REFRESH_WITHOUT_REALTIME_MS: i64 = 30_000;
/// A catch-up replay starts this much before the gap, so a call committed
/// while the channel was joining is not missed (dedup absorbs the overlap).
pub const REPLAY_MARGIN_MS: i64 = 5_000;
/// Rows a catch-up replay asks for (the recent-intents RPC's `p_limit`).
pub const REPLAY_LIMIT: i64 = 500;
/// Session lookups in flight per site; the rest wait their turn (returning
/// from a hidden tab once sent 63 at once).
pub const MAX_LOOKUPS_IN_FLIGHT: usize = 4;
/// Minimum spacing of stats refetches per key (leading + trailing edge):
/// a burst of signals costs at most one immediate and one trailing request.
/// 2.5 s + a request's latency keeps every calls change on screen within 3 s
/// (`npm run bench:page` measures it through the hooks).
pub const REFETCH_THROTTLE_MS: i64 = 2_500;
/// On return from hidden/offline, data older than this is refreshed once.
pub const STALE_AFTER_MS: i64 = 30_000;
/// Error backoff for stats, overlay and probe requests.
pub const ERROR_BACKOFF_BASE_MS: i64 = 2_000;
pub const ERROR_BACKOFF_CAP_MS: i64 = 60_000;
/// A request unanswered this long is failed (and its late answer dropped), so
/// a hung request can never block its key.
pub const REQUEST_TIMEOUT_MS: i64 = 20_000;
/// A clock that moves back more than this is treated as a jump: timers re-base.
pub const CLOCK_JUMP_BACK_MS: i64 = 5_000;
/// Entries kept in the devtools log.
pub const LOG_CAPACITY: usize = 200;
