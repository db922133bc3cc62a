// Generated from the Rust types by tests/native/generated_types.rs; do not edit.
// `UPDATE_GENERATED=1 cargo test --test native generated` rewrites it; `npm test` fails if it drifts.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * What went wrong, by area.
 */
export type ErrorKind = "invalid_date_key" | "unknown_time_zone" | "zone_not_loaded" | "invalid_zone_pack" | "invalid_instant" | "out_of_range" | "invalid_days" | "invalid_argument" | "invalid_stats" | "invalid_payload" | "invalid_cadence";

/**
 * One local day of a zone as a half-open UTC range.
 */
export type DayRange = { dateKey: string, timeZone: string, fromIso: string, toIso: string, fromMs: number, toMs: number, };

/**
 * `days` consecutive local days ending with `end_date_key`, as one half-open range.
 */
export type SpanRange = { startDateKey: string, endDateKey: string, days: number, timeZone: string, fromIso: string, toIso: string, fromMs: number, toMs: number, };

/**
 * Which source of truth the displayed stats follow.
 */
export type MergePolicy = "db-truth" | "legacy-max";

/**
 * Why a field needed attention.
 */
export type IssueCode = "missing" | "null" | "wrong_type" | "unparsable" | "not_finite" | "negative" | "not_integer" | "invalid_date" | "unknown_field" | "extra_rows" | "too_long" | "too_many_issues";

/**
 * Something normalization corrected or reported, naming the field.
 */
export type StatsIssue = { field: string, code: IssueCode, message: string, };

/**
 * One normalized snapshot of the command-center stats RPC. Field names are
 * the RPC's own (snake_case), so code written against the original payload
 * keeps working. `issues` lists what normalization had to correct or found
 * unexpected (contract drift); it is empty for a clean payload.
 */
export type CommandCenterP0Stats = { site_id: string, date_from: string, date_to: string, ads_only: boolean, queue_pending: number, sealed: number, junk: number, auto_approved: number, oci_uploaded: number, oci_failed: number, oci_matchable_sealed: number, assumed_cpc: number, currency: string, estimated_budget_saved: number, projected_revenue: number, total_leads: number, gclid_leads: number, avg_scroll_depth: number, inbox_zero_now: boolean, issues: Array<StatsIssue>, };

/**
 * The live counters of one day.
 */
export type OverlayCounts = { captured: number, gclid: number, junk: number, };

/**
 * What an overlay reply turned out to be.
 */
export type OverlayReply = { "kind": "counts" } & OverlayCounts | { "kind": "fallback" } | { "kind": "error", error: string, };

/**
 * The overlay as the UI shows it. Counts are `None` for a fallback reply.
 */
export type LiveOverlay = { captured: number | null, gclid: number | null, junk: number | null, dayKey: string, receivedAtMs: number, fallback: boolean, };

/**
 * What happened to the overlay in this merge.
 */
export type OverlayStatus = "applied" | "shown" | "not_today" | "previous_day" | "scope_mismatch" | "range_unknown" | "fallback" | "error" | "absent";

/**
 * Where a merged field's value came from.
 */
export type FieldSource = "db" | "overlay";

/**
 * The four fields the legacy rules can take from the overlay; every other field is always `db`.
 */
export type FieldSources = { sealed: FieldSource, junk: FieldSource, total_leads: FieldSource, gclid_leads: FieldSource, };

/**
 * Which number came from where, and how old each source is.
 */
export type Provenance = { policy: MergePolicy, overlay: OverlayStatus, fields: FieldSources, snapshotAgeMs: number | null, overlayAgeMs: number | null, 
/**
 * Why the latest overlay reply was ignored (an error reply, or a degraded one kept out of the merge).
 */
error: string | null, };

/**
 * `{stats, live, provenance}`.
 */
export type Merged = { stats: CommandCenterP0Stats | null, live: LiveOverlay | null, provenance: Provenance, };

/**
 * The three outcomes.
 */
export type AdsKind = "ads" | "non_ads" | "unknown";

/**
 * `{kind, reason}`.
 */
export type AdsDecision = { kind: AdsKind, reason: string, };

/**
 * The tables the dashboard channel listens to.
 */
export type Table = "calls" | "sessions" | "events";

/**
 * The statuses the dashboard shows (supabase-js's plus our own).
 */
export type ChannelStatus = "INIT" | "STARTING" | "SUBSCRIBED" | "CHANNEL_ERROR" | "TIMED_OUT" | "CLOSED" | "RECONNECTING" | "ERROR";

/**
 * The hook state of the original `useRealtimeDashboard` (times are epoch ms).
 */
export type RealtimeState = { isConnected: boolean, connectionStatus: ChannelStatus, isLive: boolean, adsLive: boolean, lastEventAt: number | null, lastSignalAt: number | null, lastSignalType: Table | null, eventCount: number, error: string | null, };

/**
 * The callbacks the original hook fired, as data. `onIntentCreated` and
 * `onIntentUpdated` were declared but never called, so there is no kind for
 * them: an intent is a call (`status: 'intent'`) and fires `CallCreated`.
 */
export type NotificationKind = "call_created" | "call_updated" | "event_created" | "data_freshness";

/**
 * Why a payload did not become a notification.
 */
export type DropReason = "malformed" | "oversized" | "too_deep" | "unknown_table" | "unsupported_event" | "server_errors" | "cross_site" | "duplicate" | "non_ads" | "lookup_overflow" | "no_session" | "lookup_failed" | "no_subscriber";

/**
 * Counts per reason (plain fields: counting never allocates).
 */
export type DropCounts = { malformed: number, oversized: number, too_deep: number, unknown_table: number, unsupported_event: number, server_errors: number, cross_site: number, duplicate: number, non_ads: number, lookup_overflow: number, no_session: number, lookup_failed: number, no_subscriber: number, };

/**
 * Why a request was made (counters and devtools group by it).
 */
export type RequestKind = "stats" | "overlay" | "probe" | "lookup" | "replay";

/**
 * Why a request went out (devtools draws it on every bar; the log says it).
 */
export type RequestReason = "startup" | "calls_change" | "catch_up" | "back_from_hidden" | "rollover" | "retry" | "manual" | "timed_refresh" | "cadence" | "session_lookup";

/**
 * Why a request was abandoned before its answer.
 */
export type AbortReason = "timed_out" | "superseded";

/**
 * One command for the driver.
 */
export type Command = { "type": "rpc", requestId: number, kind: RequestKind, reason: RequestReason, siteId: string, name: string, 
/**
 * The RPC's named parameters: always an object.
 */
params: Record<string, JsonValue>, } | { "type": "fetch_overlay", requestId: number, reason: RequestReason, siteId: string, } | { "type": "abort", requestId: number, reason: AbortReason, } | { "type": "subscribe", siteId: string, channel: string, } | { "type": "unsubscribe", siteId: string, channel: string, } | { "type": "notify", siteId: string, handles: Array<number>, kind: NotificationKind, table: Table, seq: number | null, rowId: string | null, } | { "type": "release", siteId: string, seq: number, };

/**
 * `dateRange` of the original stats hook.
 */
export type DateRangeIso = { from: string, to: string, };

/**
 * What `useCommandCenterP0Stats` returns besides `refetch`.
 */
export type StatsSnapshot = { stats: CommandCenterP0Stats | null, loading: boolean, error: string | null, dateRange: DateRangeIso, dayKey: string | null, live: LiveOverlay | null, provenance: Provenance | null, 
/**
 * When the data shown arrived (the engine's clock; the server seed's
 * instant for a seeded view): the hooks' `dataUpdatedAt`.
 */
fetchedAtMs: number | null, 
/**
 * A request for this view is in flight (the first load or a background
 * refetch): the hooks' `isFetching`, distinct from `loading` (no data yet).
 */
fetching: boolean, 
/**
 * The request behind the latest answer or failure (timeouts included).
 * Request ids only grow, so a `refetch()` is settled by the first one
 * above every id the driver had seen when it was called.
 */
settledRequestId: number | null, };

/**
 * One registration's snapshot.
 */
export type RegistrationSnapshot = { "type": "realtime" } & RealtimeState | { "type": "stats" } & StatsSnapshot | { "type": "relative_time", label: string, atMs: number, };

/**
 * Requests by kind.
 */
export type RequestCounts = { stats: number, overlay: number, probe: number, lookup: number, replay: number, };

/**
 * What became of every payload. At every moment
 * `received == accepted + dropped.total() + pending`.
 */
export type PayloadCounts = { received: number, 
/**
 * A callback or a freshness signal fired for it.
 */
accepted: number, 
/**
 * Waiting on a session lookup.
 */
pending: number, dropped: DropCounts, };

/**
 * Commands dropped from a full queue, by kind.
 */
export type CommandDrops = { rpc: number, fetch_overlay: number, abort: number, subscribe: number, unsubscribe: number, notify: number, release: number, };

/**
 * Everything dropped, by what it was.
 */
export type Dropped = { 
/**
 * Responses for requests the engine no longer waits on (superseded, unregistered, rolled over).
 */
responses: number, 
/**
 * Payloads, by reason (the same as `payloads.dropped`).
 */
payloads: DropCounts, 
/**
 * Commands pushed out of a full queue because the driver did not drain it, by command.
 */
commands: CommandDrops, };

/**
 * The engine's counters.
 */
export type Counters = { requests: RequestCounts, 
/**
 * Requests failed for want of an answer within `REQUEST_TIMEOUT_MS`.
 */
timeouts: number, 
/**
 * `handle_timeout` calls.
 */
wakeups: number, 
/**
 * Times the reported deadline moved (each is one timer (re)armed by the driver).
 */
timersArmed: number, dropped: Dropped, payloads: PayloadCounts, commands: number, };

/**
 * One log line (capped at `MAX_MESSAGE_BYTES`).
 */
export type LogEntry = { atMs: number, what: string, };

/**
 * A stats range: "today" in the engine's zone (rolls over at midnight), or fixed instants.
 */
export type RangeSpec = { "kind": "today" } | { "kind": "fixed", fromMs: number, toMs: number, };

/**
 * Identifies one shared stats task.
 */
export type StatsKey = { siteId: string, range: RangeSpec, adsOnly: boolean, };

/**
 * One reason to wake, per site, stats key, request or registration.
 */
export type Wake = { "kind": "request_timeout", requestId: number, } | { "kind": "rollover", key: StatsKey, } | { "kind": "stats_fetch", key: StatsKey, } | { "kind": "reconnect", siteId: string, } | { "kind": "probe", siteId: string, } | { "kind": "overlay_poll", siteId: string, } | { "kind": "live_expiry", siteId: string, } | { "kind": "relative_label", handle: number, };
