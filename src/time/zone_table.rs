//! The zone table `build.rs` generates from chrono-tz: every IANA name and
//! link, each pointing at a compact record (`zone_format.rs`) of its offsets.
//! Names and links with the same history share one record. The records of
//! Europe/Istanbul and UTC (and their links) are built in, with the offsets
//! they use; the others are the zone pack, with every name's record start and
//! the other offsets (the wasm keeps only the names, so an unknown name is
//! still `unknown_time_zone` before the pack is there). Native builds carry
//! the pack; the wasm loads it when a page needs another zone (`loadZones()`),
//! so a page in Istanbul never downloads it.

use super::zone_format::{span_at, Span};

include!(concat!(env!("OUT_DIR"), "/zone_table.rs"));

/// No offset in the table is larger; midnight `m` is reached no earlier than
/// `m - MAX_OFFSET_SECS` on the UTC clock.
pub const MAX_OFFSET_SECS: i64 = MAX_ABS_OFFSET;

/// Number of names (zones and links).
pub fn name_count() -> usize {
    NAME_LENS.len()
}

/// Where each name ends in `NAMES`, summed once from the lengths.
fn name_ends() -> &'static [u16] {
    static ENDS: std::sync::OnceLock<Box<[u16]>> = std::sync::OnceLock::new();
    ENDS.get_or_init(|| {
        let mut end = 0u16;
        NAME_LENS.iter().map(|len| {
            end = end.saturating_add(u16::from(*len));
            end
        }).collect()
    })
}

/// The `index`-th name in sorted order (`""` past the end).
pub fn name(index: usize) -> &'static str {
    let ends = name_ends();
    let start = match index.checked_sub(1) {
        Some(prev) => ends.get(prev).map_or(0, |e| usize::from(*e)),
        None => 0,
    };
    let end = ends.get(index).map_or(0, |e| usize::from(*e));
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

/// Where name `index`'s record starts (built-in bytes below `BUILTIN_LEN`);
/// `None` while it is only in a pack not loaded yet (or out of range).
fn record_start(index: usize) -> Option<usize> {
    if let Some((_, start)) = BUILTIN_NAMES.iter().find(|(i, _)| usize::from(*i) == index) {
        return Some(usize::from(*start));
    }
    let at = PACK_RECORDS_LEN + 2 * index;
    let bytes = zone_pack::loaded()?.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([*bytes.first()?, *bytes.get(1)?])))
}

/// Name `index`'s record and the offset table its indices point into.
fn record(index: usize) -> Option<(&'static [u8], &'static [i32])> {
    let start = record_start(index)?;
    // A record needs no end: the decoder reads only its own bytes.
    match start.checked_sub(BUILTIN_LEN) {
        None => Some((BUILTIN_RECORDS.get(start..)?, &BUILTIN_OFFSETS)),
        Some(in_pack) => Some((zone_pack::loaded()?.get(in_pack..)?, all_offsets()?)),
    }
}

/// The built-in offsets followed by the pack's, decoded once the pack is there.
fn all_offsets() -> Option<&'static [i32]> {
    static ALL: std::sync::OnceLock<Box<[i32]>> = std::sync::OnceLock::new();
    if let Some(all) = ALL.get() {
        return Some(all);
    }
    let tail = zone_pack::loaded()?.get(PACK_RECORDS_LEN + 2 * name_count()..)?;
    Some(ALL.get_or_init(|| {
        let mut all = Vec::with_capacity(OFFSET_COUNT);
        all.extend_from_slice(&BUILTIN_OFFSETS);
        all.extend(tail.chunks_exact(4).filter_map(|b| <[u8; 4]>::try_from(b).ok()).map(i32::from_le_bytes));
        all.into_boxed_slice()
    }))
}

/// Whether name `index`'s offsets are here: built in, or in the loaded pack.
pub fn available(index: usize) -> bool {
    record(index).is_some()
}

/// The span of name `index`'s zone containing `t` (seconds since the epoch).
/// Callers hold a zone that was `available` (packs are never unloaded).
pub fn span(index: usize, t: i64) -> Span {
    let (record, offsets) = record(index).unwrap_or((&[], &[]));
    span_at(record, offsets, t)
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
        let builtin = |n: &str| record_start(find(n).unwrap()).unwrap() < BUILTIN_LEN;
        for name in ["Europe/Istanbul", "Asia/Istanbul", "Turkey", "UTC", "Etc/UTC", "Zulu"] {
            assert!(builtin(name), "{name}");
        }
        for name in ["America/Santiago", "Europe/Athens", "Asia/Tokyo"] {
            assert!(!builtin(name), "{name}");
        }
        assert!(BUILTIN_LEN < 1_000, "the built-in records are small: {BUILTIN_LEN} B");
        assert!(BUILTIN_OFFSETS.len() < 16, "and so are their offsets: {}", BUILTIN_OFFSETS.len());
        assert_eq!(all_offsets().map(<[i32]>::len), Some(OFFSET_COUNT));
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
        let record = |n: &str| record_start(find(n).unwrap()).unwrap();
        assert_eq!(record("Turkey"), record("Europe/Istanbul"));
        assert_eq!(record("Asia/Istanbul"), record("Europe/Istanbul"));
        assert_ne!(record("Europe/Istanbul"), record("Europe/Athens"));
        let mut records: Vec<usize> = (0..name_count()).map(|i| record_start(i).unwrap()).collect();
        records.sort_unstable();
        records.dedup();
        assert!(records.len() < name_count() * 2 / 3, "links and identical zones are stored once: {} records", records.len());
    }
}
