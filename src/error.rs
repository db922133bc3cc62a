//! One error type for the crate. Each area has its own kind so callers can
//! match on it; every message names the input that was rejected, because the
//! person reading it is usually looking at a devtools console, not the code.

use std::fmt;

/// What went wrong, by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum ErrorKind {
    /// A date key that is not a real `YYYY-MM-DD` calendar day.
    InvalidDateKey,
    /// A time zone name chrono-tz does not know.
    UnknownTimeZone,
    /// A known zone whose offsets are in the zone pack, which this wasm has not loaded yet.
    ZoneNotLoaded,
    /// Bytes given as the zone pack that are not this build's pack.
    InvalidZonePack,
    /// An epoch-millisecond instant that is not finite or outside JS `Date`'s range.
    InvalidInstant,
    /// A day or span that falls outside the supported years (0000-9999).
    OutOfRange,
    /// A day count for a span that is zero, negative or too large.
    InvalidDays,
    /// An argument of the wrong JS type (null, a number where a string belongs...).
    InvalidArgument,
    /// A stats payload or overlay reply that cannot be used.
    InvalidStats,
    /// A realtime payload that cannot be used.
    InvalidPayload,
    /// An engine cadence setting (`cadence.*`) that is unknown, not a whole
    /// number of ms, out of its bounds, or faster than its slow counterpart.
    InvalidCadence,
}

impl ErrorKind {
    /// The snake_case name JS sees as `error.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidDateKey => "invalid_date_key",
            ErrorKind::UnknownTimeZone => "unknown_time_zone",
            ErrorKind::ZoneNotLoaded => "zone_not_loaded",
            ErrorKind::InvalidZonePack => "invalid_zone_pack",
            ErrorKind::InvalidInstant => "invalid_instant",
            ErrorKind::OutOfRange => "out_of_range",
            ErrorKind::InvalidDays => "invalid_days",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::InvalidStats => "invalid_stats",
            ErrorKind::InvalidPayload => "invalid_payload",
            ErrorKind::InvalidCadence => "invalid_cadence",
        }
    }
}

/// The crate's error: a kind plus a message that names the bad input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    /// The area this error belongs to.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message (also what `Display` prints).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;
