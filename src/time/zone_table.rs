//! The zone table `build.rs` generates from chrono-tz: every IANA name and
//! link, each pointing at a compact record (`zone_format.rs`) of its offsets.
//! Names and links with the same history share one record. The records of
//! Europe/Istanbul and UTC (and their links) are built in; the others are the
//! zone pack, which native builds carry and the wasm loads when a page needs
//! another zone (`loadZones()`), so a page in Istanbul never downloads it.

use super::zone_format::{span_at, Span};

include!(concat!(env!("OUT_DIR"), "/zone_table.rs"));

/// No offset in the table is larger; midnight `m` is reached no earlier than
/// `m - MAX_OFFSET_SECS` on the UTC clock.
pub const MAX_OFFSET_SECS: i64 = MAX_ABS_OFFSET;

/// Number of names (zones and links).
pub fn name_count() -> usize {
    NAME_ENDS.len()
}

/// The `index`-th name in sorted order (`""` past the end).
pub fn name(index: usize) -> &'static str {
    let start = match index.checked_sub(1) {
        Some(prev) => NAME_ENDS.get(prev).map_or(0, |e| *e as usize),
        None => 0,
    };
    let end = NAME_ENDS.get(index).map_or(0, |e| *e as usize);
    NAMES.get(start..end).unwrap_or("")
}

/// The index of an exactly spelled name (tzdb names are case-sensitive).
pub fn find(zone_name: &str) -> Option<usize> {
    let (mut lo, mut hi) = (0, name_count());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match name(mid).cmp(zone_name) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

/// Name `index`'s record, from the built-in bytes or the zone pack; `None`
/// while its record is in a pack not loaded yet (or `index` is out of range).
fn record(index: usize) -> Option<&'static [u8]> {
    let start = *NAME_RECORDS.get(index)? as usize;
    // A record needs no end: the decoder reads only its own bytes.
    match start.checked_sub(BUILTIN_LEN) {
        None => BUILTIN_RECORDS.get(start..),
        Some(in_pack) => zone_pack::loaded()?.get(in_pack..),
    }
}

/// Whether name `index`'s offsets are here: built in, or in the loaded pack.
pub fn available(index: usize) -> bool {
    record(index).is_some()
}

/// The span of name `index`'s zone containing `t` (seconds since the epoch).
/// Callers hold a zone that was `available` (packs are never unloaded).
pub fn span(index: usize, t: i64) -> Span {
    span_at(record(index).unwrap_or(&[]), &OFFSETS, t)
}

/// The zone pack: the records of every zone that is not built in.
pub mod zone_pack {
    use super::{PACK_HASH, PACK_LEN};
    use crate::error::{Error, ErrorKind, Result};

    /// FNV-1a, 64 bits, as `build.rs` fingerprints the pack.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
    }

    /// Native builds (the CLI, tests, servers through the Node entry's own
    /// load) carry the pack; the wasm fetches it (`loadZones()` in JS).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn loaded() -> Option<&'static [u8]> {
        Some(include_bytes!(concat!(env!("OUT_DIR"), "/zone_pack.bin")))
    }

    #[cfg(target_arch = "wasm32")]
    static LOADED: std::sync::OnceLock<Box<[u8]>> = std::sync::OnceLock::new();

    #[cfg(target_arch = "wasm32")]
    pub fn loaded() -> Option<&'static [u8]> {
        LOADED.get().map(|b| &**b)
    }

    /// Checks `bytes` is this build's pack (length and fingerprint).
    pub fn check(bytes: &[u8]) -> Result<()> {
        if bytes.len() != PACK_LEN || fnv1a(bytes) != PACK_HASH {
            return Err(Error::new(
                ErrorKind::InvalidZonePack,
                format!("not this build's zone pack ({} bytes; expected {PACK_LEN} with its fingerprint): serve the opsmantik_pulse_zones.bin of the same package version", bytes.len()),
            ));
        }
        Ok(())
    }

    /// Installs the zone pack; loading it again is harmless.
    #[cfg(target_arch = "wasm32")]
    pub fn load(bytes: Box<[u8]>) -> Result<()> {
        check(&bytes)?;
        let _ = LOADED.set(bytes); // already loaded: the same bytes
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_found() {
        assert!(name_count() > 590, "{}", name_count());
        for i in 1..name_count() {
            assert!(name(i - 1) < name(i), "{} !< {}", name(i - 1), name(i));
        }
        for i in 0..name_count() {
            assert_eq!(find(name(i)), Some(i));
        }
        assert_eq!(find("europe/istanbul"), None);
        assert_eq!(find(""), None);
        assert_eq!(name(name_count()), "");
    }

    #[test]
    fn only_istanbul_and_utc_are_built_in() {
        let builtin = |n: &str| (NAME_RECORDS[find(n).unwrap()] as usize) < BUILTIN_LEN;
        for name in ["Europe/Istanbul", "Asia/Istanbul", "Turkey", "UTC", "Etc/UTC", "Zulu"] {
            assert!(builtin(name), "{name}");
        }
        for name in ["America/Santiago", "Europe/Athens", "Asia/Tokyo"] {
            assert!(!builtin(name), "{name}");
        }
        assert!(BUILTIN_LEN < 1_000, "the built-in records are small: {BUILTIN_LEN} B");
    }

    #[test]
    fn the_pack_check_refuses_other_bytes() {
        let pack = zone_pack::loaded().unwrap();
        assert!(zone_pack::check(pack).is_ok());
        let mut other = pack.to_vec();
        other[0] ^= 1;
        assert_eq!(zone_pack::check(&other).unwrap_err().kind(), crate::error::ErrorKind::InvalidZonePack);
        assert_eq!(zone_pack::check(&pack[1..]).unwrap_err().kind(), crate::error::ErrorKind::InvalidZonePack);
    }

    #[test]
    fn links_share_records() {
        let record = |n: &str| NAME_RECORDS[find(n).unwrap()];
        assert_eq!(record("Turkey"), record("Europe/Istanbul"));
        assert_eq!(record("Asia/Istanbul"), record("Europe/Istanbul"));
        assert_ne!(record("Europe/Istanbul"), record("Europe/Athens"));
        let mut records = NAME_RECORDS.to_vec();
        records.sort_unstable();
        records.dedup();
        assert!(records.len() < name_count() * 2 / 3, "links and identical zones are stored once: {} records", records.len());
    }
}
