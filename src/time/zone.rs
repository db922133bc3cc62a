//! Time zone names. Any IANA name chrono-tz knows, links included
//! (`Turkey`, `Asia/Istanbul` are links to `Europe/Istanbul`).

use std::str::FromStr;

use chrono_tz::Tz;

use crate::error::{Error, ErrorKind, Result};
use crate::text::truncate;

/// The dashboard's zone when a site does not say otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Istanbul";

/// Longest zone name in the IANA database is well under this; anything longer
/// is not a zone and is not echoed back in full.
const MAX_ZONE_NAME_LEN: usize = 64;

/// Resolves an IANA zone name, exactly as spelled (tzdb names are case-sensitive).
pub fn parse_time_zone(name: &str) -> Result<Tz> {
    if name.is_empty() {
        return Err(Error::new(ErrorKind::UnknownTimeZone, "timeZone must be an IANA zone name such as 'Europe/Istanbul', got an empty string"));
    }
    if name.len() > MAX_ZONE_NAME_LEN {
        return Err(Error::new(
            ErrorKind::UnknownTimeZone,
            format!("unknown time zone '{}…' ({} bytes; IANA names are short)", truncate(name, 32), name.len()),
        ));
    }
    Tz::from_str(name).map_err(|_| {
        Error::new(ErrorKind::UnknownTimeZone, format!("unknown time zone '{name}' (expected an IANA name such as 'Europe/Istanbul')"))
    })
}

/// Cuts a string to at most `max` chars without splitting a code point.

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_istanbul_rules() {
        for name in ["Europe/Istanbul", "Asia/Istanbul", "Turkey"] {
            assert!(parse_time_zone(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn unknown_zone_is_named() {
        let err = parse_time_zone("Mars/Base").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownTimeZone);
        assert!(err.message().contains("'Mars/Base'"), "{err}");
    }

    #[test]
    fn long_and_empty_names_are_rejected() {
        assert!(parse_time_zone("").unwrap_err().message().contains("empty"));
        let long = "A".repeat(10_000);
        let err = parse_time_zone(&long).unwrap_err();
        assert!(err.message().len() < 200);
    }
}
