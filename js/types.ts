// The TS shapes of everything that crosses the wasm boundary are generated
// from the Rust types (js/generated/core-types.ts, by
// tests/native/generated_types.rs): this file re-exports them under the
// package's public names and adds the shapes that exist only in JS. Field
// names are camelCase, except the stats RPC's own fields (`total_leads`, ...)
// and the keys that name a reason or a command (`fetch_overlay`): those are
// data, spelled as the database and the enums spell them.
import type { ErrorKind, MergePolicy } from './generated/core-types.js';

export type {
  AbortReason, AdsDecision, CommandCenterP0Stats, DayRange, DropReason, FieldSource, JsonValue, LiveOverlay, MergePolicy,
  NotificationKind, OverlayReply, OverlayStatus, PayloadCounts, Provenance, RealtimeState, RegistrationSnapshot, RequestKind,
  RequestReason, SpanRange, StatsIssue, StatsSnapshot, ErrorKind,
} from './generated/core-types.js';
export type {
  /** A command from the engine to its driver. */
  Command as EngineCommand,
  /** The engine's counters (`countersJson`). */
  Counters as EngineCounters,
  /** One line of the engine's log. */
  LogEntry as EngineLogEntry,
  /** `mergeOverlay`'s result. */
  Merged as MergeResult,
  /** What normalization found about a field. */
  IssueCode as StatsIssueCode,
  /** A channel's status as the hooks show it. */
  ChannelStatus as ConnectionStatus,
  /** The tables the channel listens to. */
  Table as RealtimeTable,
} from './generated/core-types.js';

/** The `kind` property of every `Error` the package throws. */
export type PulseErrorKind =
  /** The core's kinds (bad input), generated from `src/error.rs`. */
  | ErrorKind
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
