//! Time zone names. Any IANA name chrono-tz knows, links included
//! (`Turkey`, `Asia/Istanbul` are links to `Europe/Istanbul`), resolved
//! against the compact table generated from chrono-tz at build time.

use crate::error::{Error, ErrorKind, Result};
use crate::text::truncate;
use crate::time::zone_format::Span;
use crate::time::zone_table;

/// The dashboard's zone when a site does not say otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Istanbul";

/// Longest zone name in the IANA database is well under this; anything longer
/// is not a zone and is not echoed back in full.
const MAX_ZONE_NAME_LEN: usize = 64;

/// An IANA zone, as spelled when it was parsed (a link keeps its own name).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    index: u16,
}

impl Zone {
    /// The IANA name, e.g. `Europe/Istanbul` (or `Turkey` for the link).
    pub fn name(self) -> &'static str {
        zone_table::name(usize::from(self.index))
    }

    /// The maximal run of one UTC offset containing `secs` (epoch seconds).
    pub(crate) fn span_at(self, secs: i64) -> Span {
        zone_table::span(usize::from(self.index), secs)
    }

    /// Seconds east of UTC at `secs` (epoch seconds).
    pub fn offset_at(self, secs: i64) -> i32 {
        self.span_at(secs).offset
    }

    /// Every zone and link, in name order.
    pub fn all() -> impl Iterator<Item = Zone> {
        (0..zone_table::name_count()).filter_map(|i| u16::try_from(i).ok()).map(|index| Zone { index })
    }
}

impl std::fmt::Debug for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Resolves an IANA zone name, exactly as spelled (tzdb names are case-sensitive).
pub fn parse_time_zone(name: &str) -> Result<Zone> {
    if name.is_empty() {
        return Err(Error::new(ErrorKind::UnknownTimeZone, "timeZone must be an IANA zone name such as 'Europe/Istanbul', got an empty string"));
    }
    if name.len() > MAX_ZONE_NAME_LEN {
        return Err(Error::new(
            ErrorKind::UnknownTimeZone,
            format!("unknown time zone '{}…' ({} bytes; IANA names are short)", truncate(name, 32), name.len()),
        ));
    }
    let zone = zone_table::find(name).and_then(|i| u16::try_from(i).ok()).map(|index| Zone { index }).ok_or_else(|| {
        Error::new(ErrorKind::UnknownTimeZone, format!("unknown time zone '{name}' (expected an IANA name such as 'Europe/Istanbul')"))
    })?;
    if !zone_table::available(usize::from(zone.index)) {
        return Err(Error::new(
            ErrorKind::ZoneNotLoaded,
            format!("time zone '{name}' is not built in (Europe/Istanbul and UTC are): `await loadZones()` once before using it"),
        ));
    }
    Ok(zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_istanbul_rules() {
        for name in ["Europe/Istanbul", "Asia/Istanbul", "Turkey"] {
            let zone = parse_time_zone(name).unwrap();
            assert_eq!(zone.name(), name, "a link keeps its own name");
            // 2026-01-01T00:00Z: UTC+3 all year since 2016.
            assert_eq!(zone.offset_at(1_767_225_600), 3 * 3600, "{name}");
        }
    }

    #[test]
    fn unknown_zone_is_named() {
        let err = parse_time_zone("Mars/Base").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownTimeZone);
        assert!(err.message().contains("'Mars/Base'"), "{err}");
        assert!(parse_time_zone("europe/istanbul").is_err(), "names are case-sensitive");
    }

    #[test]
    fn long_and_empty_names_are_rejected() {
        assert!(parse_time_zone("").unwrap_err().message().contains("empty"));
        let long = "A".repeat(10_000);
        let err = parse_time_zone(&long).unwrap_err();
        assert!(err.message().len() < 200);
    }
}
