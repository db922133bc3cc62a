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
  | 'invalid_instant'
  | 'out_of_range'
  | 'invalid_days'
  | 'invalid_argument'
  | 'invalid_stats'
  | 'invalid_payload';

/** Errors thrown by the package: a plain `Error` whose message names the bad input. */
export interface PulseError extends Error {
  kind: PulseErrorKind;
}
