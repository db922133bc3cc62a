// Generated from the Rust core by tests/native/generated_ts.rs; do not edit.
// `UPDATE_GENERATED=1 cargo test --test native generated` rewrites it; `npm test` fails if it drifts.

/** The zone of "today" when none is given. */
export const DEFAULT_TIME_ZONE = 'Europe/Istanbul';
/** Largest payload, as JSON text (src/realtime/payload_limits.rs). */
export const MAX_PAYLOAD_BYTES = 65536;
/** Deepest nesting inside a payload. */
export const MAX_PAYLOAD_DEPTH = 16;
/** A site's realtime channel is this followed by the site id as the engine spells it. */
export const REALTIME_CHANNEL_PREFIX = 'dashboard_updates:';
/** Largest JSON for a stats reply, a server seed or an overlay body. */
export const MAX_JSON_BYTES = 1048576;
/** A site id of this length with dashes at these places and hex digits elsewhere is a UUID, which the engine spells in lower case (src/site_id.rs). */
export const UUID_LENGTH = 36;
export const UUID_DASH_AT = [8, 13, 18, 23] as const;

/** Every connection status the hooks show. */
export const CHANNEL_STATUSES = ['INIT', 'STARTING', 'SUBSCRIBED', 'CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED', 'RECONNECTING', 'ERROR'] as const;
/** The statuses a realtime adapter may report (anything else is an error status). */
export const ADAPTER_STATUSES = ['SUBSCRIBED', 'CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED', 'ERROR'] as const;
/** Why a payload was dropped (counters). */
export const DROP_REASONS = ['malformed', 'oversized', 'too_deep', 'unknown_table', 'unsupported_event', 'server_errors', 'cross_site', 'duplicate', 'non_ads', 'lookup_overflow', 'no_session', 'lookup_failed', 'no_subscriber'] as const;
/** The callbacks, as data. */
export const NOTIFICATION_KINDS = ['call_created', 'call_updated', 'event_created', 'data_freshness'] as const;
/** What a request is for (counters). */
export const REQUEST_KINDS = ['stats', 'overlay', 'probe', 'lookup', 'replay'] as const;
/** Why a request went out (devtools, the log). */
export const REQUEST_REASONS = ['startup', 'calls_change', 'catch_up', 'back_from_hidden', 'rollover', 'retry', 'manual', 'timed_refresh', 'cadence', 'session_lookup'] as const;
/** What normalization found about a field. */
export const STATS_ISSUE_CODES = ['missing', 'null', 'wrong_type', 'unparsable', 'not_finite', 'negative', 'not_integer', 'invalid_date', 'unknown_field', 'extra_rows', 'too_long', 'too_many_issues'] as const;
/** The payload's fields the rules read, in slot order (src/realtime/payload_view.rs). */
export const PAYLOAD_FIELDS = ['table', 'eventType', 'commit_timestamp', 'errors', 'new'] as const;
/** The row's (`new`'s) fields the rules read, in slot order after the payload's. */
export const ROW_FIELDS = ['id', 'site_id', 'matched_session_id', 'session_id', 'gclid', 'wbraid', 'gbraid', 'utm_medium', 'utm_source', 'attribution_source', 'metadata', 'meta'] as const;
/** The ads fields read inside `metadata`, then inside `meta`. */
export const META_FIELDS = ['gclid', 'wbraid', 'gbraid', 'utm_medium', 'utm_source', 'attribution_source'] as const;
/** What a slot held, by its number on the wire. */
export const SLOT_TAGS = ['absent', 'null', 'string', 'number', 'boolean', 'array', 'object'] as const;
/** The record kinds of a command batch, by number (src/engine/command_batch.rs). */
export const BATCH_RECORDS = ['command', 'notify', 'release', 'lookup'] as const;
/** Each record's fields after its number, in order (a notify's handles follow them). */
export const BATCH_RECORD_FIELDS = { command: [], notify: ['kind', 'seq', 'handleCount'], release: ['seq'], lookup: ['requestId', 'reason', 'siteUnits', 'sessionUnits'] } as const;
/** The tables the channel listens to, by number. */
export const TABLES = ['calls', 'sessions', 'events'] as const;
/** The fields of a flush record's header, in order (src/engine/flush_output.rs). */
export const FLUSH_HEADER = ['words', 'deadline', 'changed'] as const;
/** A flush record's changed entry: its fields, in order (its snapshot numbers follow). */
export const FLUSH_CHANGE_FIELDS = ['handle', 'version', 'numbers'] as const;
/** A realtime snapshot's fields and how each crosses as a number (src/realtime/session.rs). */
export const REALTIME_STATE_FIELDS = [['isConnected', 'boolean'], ['connectionStatus', 'status'], ['isLive', 'boolean'], ['adsLive', 'boolean'], ['lastEventAt', 'time'], ['lastSignalAt', 'time'], ['lastSignalType', 'table'], ['eventCount', 'count'], ['error', 'text']] as const;
/** The session lookup RPC (a batch's `lookup` record). */
export const SESSION_LOOKUP_RPC = 'get_session_details';
/** Its parameters: the site, then the session. */
export const SESSION_LOOKUP_PARAMS = ['p_site_id', 'p_session_id'] as const;
/** Why the engine abandoned a request (the driver aborts its AbortSignal). */
export const ABORT_REASONS = ['timed_out', 'superseded'] as const;
/** The relative-time label's rule (src/engine/relative_time.rs): ages below `belowMs` read `floor(age / unitMs)` then `suffix` (`suffix` alone for a `unitMs` of 0). */
export const RELATIVE_LABEL_BANDS = [{ belowMs: 10000, unitMs: 0, suffix: 'Just now' }, { belowMs: 60000, unitMs: 1000, suffix: 's ago' }, { belowMs: 3600000, unitMs: 60000, suffix: 'm ago' }, { belowMs: Infinity, unitMs: 3600000, suffix: 'h ago' }] as const;

/** The cadences a page may set (`cadence` option/prop), their defaults and bounds in ms (src/engine/cadence.rs). */
export const CADENCE_FIELDS = {
  /** Overlay poll while the site is live. */
  overlayPollFastMs: { defaultMs: 10000, minMs: 1000, maxMs: 3600000 },
  /** Overlay poll while the site is quiet (at least overlayPollFastMs). */
  overlayPollSlowMs: { defaultMs: 60000, minMs: 1000, maxMs: 3600000 },
  /** Activity probe for a few ticks after start or a signal. */
  probeFastMs: { defaultMs: 2000, minMs: 1000, maxMs: 3600000 },
  /** Activity probe otherwise (at least probeFastMs). */
  probeSlowMs: { defaultMs: 10000, minMs: 1000, maxMs: 3600000 },
  /** Minimum spacing of stats requests per key, refetch() included (leading and trailing edge). */
  refetchThrottleMs: { defaultMs: 2500, minMs: 0, maxMs: 3600000 },
  /** A request unanswered this long fails and its AbortSignal aborts. */
  requestTimeoutMs: { defaultMs: 20000, minMs: 1000, maxMs: 600000 },
  /** Stats covering now refresh this often while no channel is SUBSCRIBED. */
  refreshWithoutRealtimeMs: { defaultMs: 30000, minMs: 1000, maxMs: 3600000 },
  /** Back from hidden or offline, data older than this is refetched once; a server seed this young is not refetched at mount. */
  staleAfterMs: { defaultMs: 30000, minMs: 0, maxMs: 86400000 },
  /** First retry delay after a failed request (doubles per failure, jittered). */
  errorBackoffBaseMs: { defaultMs: 2000, minMs: 100, maxMs: 3600000 },
  /** Longest retry delay (at least errorBackoffBaseMs). */
  errorBackoffCapMs: { defaultMs: 60000, minMs: 100, maxMs: 3600000 },
} as const;
