import type { ABORT_REASONS, CHANNEL_STATUSES, DROP_REASONS, NOTIFICATION_KINDS, REQUEST_KINDS, REQUEST_REASONS, STATS_ISSUE_CODES, CommandCenterP0StatsFields } from './generated/core-facts.js';
/** A local day of a zone as a half-open UTC range `[fromMs, toMs)`. */
export interface DayRange {
  /** `YYYY-MM-DD` in the zone. */
  dateKey: string;
  /** The IANA zone name as given (links such as `Turkey` keep their name). */
  timeZone: string;
  /** Byte-identical to `new Date(fromMs).toISOString()`. */
  fromIso: string;
  toIso: string;
  fromMs: number;
  toMs: number;
}

/** `days` local days ending with `endDateKey`, as one half-open UTC range. */
export interface SpanRange {
  startDateKey: string;
  endDateKey: string;
  days: number;
  timeZone: string;
  fromIso: string;
  toIso: string;
  fromMs: number;
  toMs: number;
}

/** The `kind` property of every `Error` the package throws. */
export type PulseErrorKind =
  | 'invalid_date_key'
  | 'unknown_time_zone'
  /** A zone other than Europe/Istanbul and UTC before `loadZones()` finished (browser entry). */
  | 'zone_not_loaded'
  /** Bytes given to `loadZones()` that are not this build's zone pack. */
  | 'invalid_zone_pack'
  | 'invalid_instant'
  | 'out_of_range'
  | 'invalid_days'
  | 'invalid_argument'
  | 'invalid_stats'
  | 'invalid_payload'
  /** A `cadence` setting that is unknown, not a whole number of ms, out of its bounds, or faster than its slow counterpart; the message names it. */
  | 'invalid_cadence'
  /** A `refetch()` whose request failed or timed out; the message is the hook's `error`. */
  | 'request_failed'
  /** A `refetch()` whose hook unmounted (or driver was disposed) before the answer. */
  | 'cancelled'
  /** A method of a `PulseEngine`/`PulseDriver` called after `free()`/`dispose()`. */
  | 'disposed'
  /** A string too large to copy into wasm at all (see README "Errors"). */
  | 'oversized'
  /** A wasm-backed function called before `init()` finished (browser entry). */
  | 'not_initialized'
  /** The WebAssembly module could not be downloaded, compiled or instantiated (see README "CSP"). */
  | 'wasm_load_failed';

/** Errors thrown by the package: a plain `Error` whose message names the bad input. */
export interface PulseError extends Error {
  kind: PulseErrorKind;
}

/** How the displayed stats treat the live overlay (see "Source of truth" in the README). */
export type MergePolicy = 'db-truth' | 'legacy-max';

export type StatsIssueCode = (typeof STATS_ISSUE_CODES)[number];

/** Something normalization corrected or found unexpected, naming the field. */
export interface StatsIssue {
  field: string;
  code: StatsIssueCode;
  message: string;
}

/** A normalized `get_command_center_p0_stats_v2` snapshot (the RPC's own field names, generated from the core). */
export interface CommandCenterP0Stats extends CommandCenterP0StatsFields {
  /** Empty for a clean payload; see the README for the rules. */
  issues: StatsIssue[];
}

/** A `/api/stats/realtime` reply, classified. */
export type OverlayReply =
  | { kind: 'counts'; captured: number; gclid: number; junk: number }
  | { kind: 'fallback' }
  | { kind: 'error'; error: string };

/** The overlay as shown beside the stats. Counts are null for a fallback (degraded) reply. */
export interface LiveOverlay {
  captured: number | null;
  gclid: number | null;
  junk: number | null;
  dayKey: string;
  receivedAtMs: number;
  fallback: boolean;
}

export type OverlayStatus =
  | 'applied' | 'shown' | 'not_today' | 'previous_day' | 'scope_mismatch'
  | 'range_unknown' | 'fallback' | 'error' | 'absent';

export type FieldSource = 'db' | 'overlay';

/** Which number came from where, and how old each source is. */
export interface Provenance {
  policy: MergePolicy;
  overlay: OverlayStatus;
  /** The four fields legacy-max can take from the overlay; every other field is always the DB's. */
  fields: { sealed: FieldSource; junk: FieldSource; total_leads: FieldSource; gclid_leads: FieldSource };
  snapshotAgeMs: number | null;
  overlayAgeMs: number | null;
  error: string | null;
}

export interface MergeResult {
  stats: CommandCenterP0Stats | null;
  live: LiveOverlay | null;
  provenance: Provenance;
}

export interface MergeOptions {
  /** Default `'db-truth'`. */
  policy?: MergePolicy;
  /** The clock, read by the caller (never during render). */
  nowMs: number;
  /** The overlay's zone; default `'Europe/Istanbul'`. */
  timeZone?: string;
  /** When the overlay reply arrived; default `nowMs`. */
  overlayReceivedAtMs?: number;
  /** When the snapshot was fetched, for `provenance.snapshotAgeMs`. */
  snapshotFetchedAtMs?: number;
}

/** `classifyAds` result; reasons are those of the original dashboard. */
export interface AdsDecision {
  kind: 'ads' | 'non_ads' | 'unknown';
  reason: string;
}

export type RealtimeTable = 'calls' | 'sessions' | 'events';

export type ConnectionStatus = (typeof CHANNEL_STATUSES)[number];

/** The state of the original `useRealtimeDashboard` (times are epoch ms). */
export interface RealtimeState {
  isConnected: boolean;
  connectionStatus: ConnectionStatus;
  isLive: boolean;
  adsLive: boolean;
  lastEventAt: number | null;
  lastSignalAt: number | null;
  lastSignalType: RealtimeTable | null;
  eventCount: number;
  error: string | null;
}

/** The callbacks the original fired (an intent is a call; `onIntent*` were never called). */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type DropReason = (typeof DROP_REASONS)[number];

export type RequestKind = (typeof REQUEST_KINDS)[number];
/** Why a request went out. */
export type RequestReason = (typeof REQUEST_REASONS)[number];

/** Why the engine gave up on a request: `timed_out` (no answer within `cadence.requestTimeoutMs`) or `superseded` (nobody needs it any more). */
export type AbortReason = (typeof ABORT_REASONS)[number];

/** A command from the engine to its driver. */
export type EngineCommand =
  | { type: 'rpc'; request_id: number; kind: RequestKind; reason: RequestReason; site_id: string; name: string; params: Record<string, unknown> }
  | { type: 'fetch_overlay'; request_id: number; reason: RequestReason; site_id: string }
  | { type: 'abort'; request_id: number; reason: AbortReason }
  | { type: 'subscribe'; site_id: string; channel: string }
  | { type: 'unsubscribe'; site_id: string; channel: string }
  | { type: 'notify'; site_id: string; handles: number[]; kind: NotificationKind; table: RealtimeTable; seq: number | null; row_id: string | null }
  | { type: 'release'; site_id: string; seq: number };

/** What `useCommandCenterP0Stats` renders (besides `refetch`). */
export interface StatsSnapshot {
  stats: CommandCenterP0Stats | null;
  loading: boolean;
  error: string | null;
  dateRange: { from: string; to: string };
  dayKey: string | null;
  live: LiveOverlay | null;
  provenance: Provenance | null;
  fetchedAtMs: number | null;
  /** A request for this view is in flight (first load or background refetch). */
  fetching: boolean;
  /** The request behind the latest answer or failure (ids only grow; settles `refetch()` promises). */
  settledRequestId: number | null;
}

export type RegistrationSnapshot =
  | ({ type: 'realtime' } & RealtimeState)
  | ({ type: 'stats' } & StatsSnapshot)
  | { type: 'relative_time'; label: string; at_ms: number };

/** What became of every payload: `received == accepted + sum(dropped) + pending`, at every moment. */
export interface PayloadCounts {
  received: number;
  accepted: number;
  pending: number;
  dropped: Record<DropReason, number>;
}

export interface EngineCounters {
  requests: Record<RequestKind, number>;
  /** Requests failed for want of an answer within 20 s. */
  timeouts: number;
  wakeups: number;
  timersArmed: number;
  dropped: {
    responses: number;
    payloads: Record<DropReason, number>;
    /** Commands pushed out of a full queue (the driver did not drain), by command. */
    commands: Record<'rpc' | 'fetch_overlay' | 'abort' | 'subscribe' | 'unsubscribe' | 'notify' | 'release', number>;
  };
  payloads: PayloadCounts;
  commands: number;
}

export interface EngineLogEntry {
  atMs: number;
  what: string;
}
