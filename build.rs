//! Generates the compact zone table (`src/time/zone_table.rs` includes it)
//! from chrono-tz, a build dependency only: the wasm ships ~20 KB gzipped of
//! zone data instead of chrono-tz's ~150 KB.
//!
//! chrono-tz does not expose its transition lists, so each zone's offset is
//! probed once a day from 1800 to 2200 and every change is bisected to the
//! second. That finds every transition chrono-tz 0.10.4 has: its shortest
//! span between two changes of the total offset is about 7 days, and it has
//! none before 1845 or after 2099. The build fails if two transitions come
//! closer than two probe steps (a newer chrono-tz with shorter spans would
//! need a finer step). Each record is then read back with the runtime's own
//! decoder (`zone_format.rs`) and compared transition by transition.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "src/time/civil.rs"]
#[allow(dead_code)]
mod civil;
#[path = "src/time/zone_format.rs"]
mod zone_format;
#[path = "src/time/zone_rule.rs"]
mod zone_rule;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{Tz, TZ_VARIANTS};

use civil::{civil_from_days, month_len, weekday};
use zone_format::{span_at, Span};
use zone_rule::{YearlyRule, ANY_WEEKDAY, LAST_OF_MONTH};

/// Zones whose records the wasm carries (with every link and zone sharing
/// their history); the others come in the zone pack. Europe/Istanbul is the
/// dashboard's default zone.
const BUILTIN_ZONES: [&str; 2] = ["Europe/Istanbul", "UTC"];
const PROBE_FROM: i64 = -5_364_662_400; // 1800-01-01
const PROBE_TO: i64 = 7_258_118_400; // 2200-01-01
const PROBE_STEP: i64 = 86_400;

/// A zone's offset before its first transition, and `(instant, offset from
/// then on)` for each change of the total offset, oldest first.
#[derive(Clone, PartialEq, Eq, Hash)]
struct History {
    first: i32,
    transitions: Vec<(i64, i32)>,
}

fn main() {
    for file in ["build.rs", "src/time/civil.rs", "src/time/zone_format.rs", "src/time/zone_rule.rs"] {
        println!("cargo:rerun-if-changed={file}");
    }
    // Zones with the same history (links, and zones that merged) share a record.
    let mut records: Vec<History> = Vec::new();
    let mut record_of: HashMap<History, usize> = HashMap::new();
    let mut names: Vec<(&str, usize)> = Vec::new();
    for tz in TZ_VARIANTS {
        let history = probe(tz);
        let index = *record_of.entry(history.clone()).or_insert_with(|| {
            records.push(history);
            records.len() - 1
        });
        names.push((tz.name(), index));
    }
    names.sort_unstable();
    // The built-in zones' records first: the wasm carries those bytes, the
    // rest is the zone pack a page fetches only when it needs another zone.
    let builtin: Vec<usize> = names.iter().filter(|(name, _)| BUILTIN_ZONES.contains(name)).map(|(_, r)| *r).collect();
    let order: Vec<usize> = builtin.iter().copied().chain((0..records.len()).filter(|r| !builtin.contains(r))).collect();
    let position: HashMap<usize, usize> = order.iter().enumerate().map(|(pos, r)| (*r, pos)).collect();
    let records: Vec<History> = order.iter().map(|r| records[*r].clone()).collect();
    let names: Vec<(&str, usize)> = names.into_iter().map(|(name, r)| (name, position[&r])).collect();

    let offsets = offset_table(&records, builtin.len());
    let index_of: HashMap<i32, u64> = offsets.iter().enumerate().map(|(i, o)| (*o, i as u64)).collect();
    let mut bytes = Vec::new();
    let mut starts = Vec::new();
    for history in &records {
        starts.push(bytes.len());
        bytes.extend(encode(history, &index_of));
    }
    // As the runtime sees them: each record running on into the next.
    for (history, start) in records.iter().zip(&starts) {
        verify(history, &bytes[*start..], &offsets);
    }
    let names: Vec<(&str, usize)> = names.into_iter().map(|(name, record)| (name, starts[record])).collect();
    let builtin_len = starts.get(builtin.len()).copied().unwrap_or(bytes.len());
    // Split as the runtime sees it: a built-in record must decode from the built-in bytes alone.
    for (history, start) in records.iter().zip(&starts).take(builtin.len()) {
        verify(history, &bytes[*start..builtin_len], &offsets);
    }

    // The pack: the other records, then every name's record start (u16), then
    // the offsets only their records use (i32); all little-endian.
    let builtin_offsets = offsets_used(&records[..builtin.len()]).len();
    assert!(bytes.len() <= usize::from(u16::MAX), "record starts no longer fit u16");
    let mut pack = bytes[builtin_len..].to_vec();
    for (_, start) in &names {
        pack.extend((*start as u16).to_le_bytes());
    }
    for o in &offsets[builtin_offsets..] {
        pack.extend(o.to_le_bytes());
    }
    let layout = PackLayout { builtin_len, records_len: bytes.len() - builtin_len, builtin_offsets };
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("zone_builtin.bin"), &bytes[..builtin_len]).unwrap();
    std::fs::write(out.join("zone_pack.bin"), &pack).unwrap();
    std::fs::write(out.join("zone_table.rs"), table_source(&names, &offsets, &layout, &pack)).unwrap();
}

fn offset_at(tz: Tz, t: i64) -> i32 {
    let utc = DateTime::from_timestamp(t, 0).unwrap().naive_utc();
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

fn probe(tz: Tz) -> History {
    let first = offset_at(tz, PROBE_FROM);
    let mut transitions: Vec<(i64, i32)> = Vec::new();
    let (mut t, mut current) = (PROBE_FROM, first);
    while t < PROBE_TO {
        let next = offset_at(tz, t + PROBE_STEP);
        if next != current {
            // First second with the new offset in (t, t + step].
            let (mut lo, mut hi) = (t, t + PROBE_STEP);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            assert_eq!(offset_at(tz, hi), next, "{tz}: two changes within one probe step near {hi}");
            if let Some((last, _)) = transitions.last() {
                assert!(hi - last >= 2 * PROBE_STEP, "{tz}: transitions at {last} and {hi} are too close for the probe step");
            }
            transitions.push((hi, next));
            current = next;
        }
        t += PROBE_STEP;
    }
    for far in [-62_135_596_800, 253_402_300_799] {
        // Years 1 and 9999: the first and last offsets hold that far out.
        let want = if far < 0 { first } else { current };
        assert_eq!(offset_at(tz, far), want, "{tz}: a transition outside the probed years");
    }
    History { first, transitions }
}

/// Distinct offsets, most used first, so common ones get one-byte indexes.
/// Where the pack's parts start and what the wasm keeps.
struct PackLayout {
    builtin_len: usize,
    records_len: usize,
    builtin_offsets: usize,
}

/// Every offset the records use, with how often.
fn offsets_used(records: &[History]) -> HashMap<i32, usize> {
    let mut uses: HashMap<i32, usize> = HashMap::new();
    for h in records {
        for o in std::iter::once(h.first).chain(h.transitions.iter().map(|(_, o)| *o)) {
            *uses.entry(o).or_default() += 1;
        }
    }
    uses
}

/// The distinct offsets: the built-in records' first (the wasm keeps those,
/// the rest go in the pack), then most used first.
fn offset_table(records: &[History], builtin: usize) -> Vec<i32> {
    let uses = offsets_used(records);
    let builtin_uses = offsets_used(&records[..builtin]);
    let mut offsets: Vec<i32> = uses.keys().copied().collect();
    offsets.sort_unstable_by_key(|o| (!builtin_uses.contains_key(o), std::cmp::Reverse(uses[o]), *o));
    offsets
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn signed(out: &mut Vec<u8>, v: i64) {
    varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// A positive distance in seconds, in the coarsest unit that holds it exactly
/// (the `distance` encoding in `zone_format.rs`).
fn distance(out: &mut Vec<u8>, d: i64) {
    let d = u64::try_from(d).expect("transitions are strictly increasing");
    varint(out, if d % 3600 == 0 { (d / 3600) << 1 } else if d % 60 == 0 { ((d / 60) << 2) | 1 } else { (d << 2) | 3 });
}

/// One record (format in `zone_format.rs`): the longest recurring tail as a
/// rule pair, the rest as explicit transitions.
fn encode(h: &History, index_of: &HashMap<i32, u64>) -> Vec<u8> {
    let tail = recurring_tail(h);
    let explicit = &h.transitions[..h.transitions.len() - tail.as_ref().map_or(0, |t| t.years as usize * 2)];
    let mut out = Vec::new();
    varint(&mut out, index_of[&h.first]);
    varint(&mut out, explicit.len() as u64);
    match &tail {
        None => varint(&mut out, 0),
        Some(tail) => {
            varint(&mut out, tail.years);
            varint(&mut out, tail.first_year as u64);
            for (rule, offset) in tail.pair {
                out.extend([rule.month as u8, rule.day as u8, rule.weekday as u8]);
                signed(&mut out, rule.secs);
                varint(&mut out, index_of[&offset]);
            }
        }
    }
    let (mut times, mut offsets) = (Vec::new(), Vec::new());
    let mut newer: Option<i64> = None;
    for (at, offset) in explicit.iter().rev() {
        match newer {
            None => signed(&mut times, *at),
            Some(n) => distance(&mut times, n - at),
        }
        varint(&mut offsets, index_of[offset]);
        newer = Some(*at);
    }
    if !explicit.is_empty() {
        varint(&mut out, times.len() as u64);
        out.extend(times);
        out.extend(offsets);
    }
    out
}

struct Tail {
    first_year: i64,
    years: u64,
    pair: [(YearlyRule, i32); 2],
}

/// The longest suffix of the transitions that is one yearly rule pair
/// (at least two years of it), if any.
fn recurring_tail(h: &History) -> Option<Tail> {
    let tr = &h.transitions;
    let mut best = None;
    let mut len = 4;
    while len <= tr.len() {
        match fit_pair(h, tr.len() - len) {
            Some(tail) => best = Some(tail),
            None => break,
        }
        len += 2;
    }
    best
}

/// A rule pair reproducing `transitions[from..]` exactly, years consecutive.
fn fit_pair(h: &History, from: usize) -> Option<Tail> {
    let tr = &h.transitions;
    let before = |i: usize| if i == 0 { h.first } else { tr[i - 1].1 };
    let a: Vec<(i64, i32)> = (from..tr.len()).step_by(2).map(|i| (tr[i].0, before(i))).collect();
    let b: Vec<(i64, i32)> = (from + 1..tr.len()).step_by(2).map(|i| (tr[i].0, before(i))).collect();
    let (a_offset, b_offset) = (tr[from].1, tr[from + 1].1);
    if !tr[from..].chunks_exact(2).all(|pair| pair[0].1 == a_offset && pair[1].1 == b_offset) {
        return None;
    }
    let (a_rule, first_year) = fit_rule(&a)?;
    let (b_rule, b_first) = fit_rule(&b)?;
    if b_first != first_year {
        return None;
    }
    let years = a.len() as i64;
    let regenerated: Vec<i64> = (first_year..first_year + years).flat_map(|y| [a_rule.instant(y), b_rule.instant(y)]).collect();
    let wanted: Vec<i64> = tr[from..].iter().map(|(t, _)| *t).collect();
    (regenerated == wanted).then_some(Tail { first_year, years: years as u64, pair: [(a_rule, a_offset), (b_rule, b_offset)] })
}

/// A rule giving `(instant, offset before it)` for consecutive years, and the
/// first year. The day is the local (pre-transition) date, or the day before
/// or after it for changes at 24:00 and the like.
fn fit_rule(transitions: &[(i64, i32)]) -> Option<(YearlyRule, i64)> {
    for shift in [0, -1, 1] {
        let days: Vec<i64> = transitions.iter().map(|(t, before)| (t + i64::from(*before)).div_euclid(86_400) + shift).collect();
        let secs = transitions[0].0 - days[0] * 86_400;
        let (first_year, month, _) = civil_from_days(days[0]);
        let dates: Vec<(i64, u32, u32)> = days.iter().map(|d| civil_from_days(*d)).collect();
        let consistent = transitions.iter().zip(&days).all(|((t, _), d)| t - d * 86_400 == secs)
            && dates.iter().enumerate().all(|(i, (y, m, _))| *y == first_year + i as i64 && *m == month);
        if !consistent {
            continue;
        }
        let wd = weekday(days[0]);
        let candidates = [
            YearlyRule { month, day: LAST_OF_MONTH, weekday: wd, secs },
            YearlyRule { month, day: dates.iter().map(|(_, _, d)| *d).min()?, weekday: wd, secs },
            YearlyRule { month, day: dates[0].2, weekday: ANY_WEEKDAY, secs },
        ];
        let years = first_year..first_year + days.len() as i64;
        if let Some(rule) = candidates.into_iter().find(|r| years.clone().zip(&days).all(|(y, d)| r.date(y) == *d)) {
            debug_assert!(rule.day <= month_len(first_year, month));
            return Some((rule, first_year));
        }
    }
    None
}

/// Reads the record back with the runtime decoder: every span, both ends.
fn verify(h: &History, record: &[u8], offsets: &[i32]) {
    let mut spans = vec![Span { start: i64::MIN, end: i64::MAX, offset: h.first }];
    for (at, offset) in &h.transitions {
        spans.last_mut().unwrap().end = *at;
        spans.push(Span { start: *at, end: i64::MAX, offset: *offset });
    }
    for span in &spans {
        for t in [span.start.max(PROBE_FROM * 2), span.start.saturating_add(1), span.end.saturating_sub(1).min(PROBE_TO * 2)] {
            if t >= span.start && t < span.end {
                assert_eq!(span_at(record, offsets, t), *span, "record decodes differently at {t}");
            }
        }
    }
}

fn table_source(names: &[(&str, usize)], offsets: &[i32], layout: &PackLayout, pack: &[u8]) -> String {
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(",");
    let mut src = String::new();
    let mut all = String::new();
    for (name, _) in names {
        all.push_str(name);
    }
    let builtin_names: Vec<String> = names.iter().enumerate().filter(|(_, (_, start))| *start < layout.builtin_len).map(|(i, (_, start))| format!("({i},{start})")).collect();
    writeln!(src, "/// Every zone name and link, sorted, concatenated.").unwrap();
    writeln!(src, "static NAMES: &str = {all:?};").unwrap();
    // Lengths, not ends: one byte each and repetitive, so about half the gzipped bytes.
    assert!(names.iter().all(|(name, _)| name.len() <= usize::from(u8::MAX)) && all.len() <= usize::from(u16::MAX));
    writeln!(src, "/// Each name's length in `NAMES`, in order.").unwrap();
    writeln!(src, "static NAME_LENS: [u8; {}] = [{}];", names.len(), list(&mut names.iter().map(|(name, _)| name.len().to_string()))).unwrap();
    writeln!(src, "/// `(name index, record start)` of the names whose records are built in (the pack has every name's).").unwrap();
    writeln!(src, "static BUILTIN_NAMES: [(u16, u16); {}] = [{}];", builtin_names.len(), builtin_names.join(",")).unwrap();
    writeln!(src, "/// The UTC offsets (seconds) the built-in records use; the pack holds the others, which follow them.").unwrap();
    writeln!(src, "static BUILTIN_OFFSETS: [i32; {}] = [{}];", layout.builtin_offsets, list(&mut offsets[..layout.builtin_offsets].iter().map(i32::to_string))).unwrap();
    writeln!(src, "/// Distinct offsets in all.").unwrap();
    writeln!(src, "const OFFSET_COUNT: usize = {};", offsets.len()).unwrap();
    writeln!(src, "/// Largest offset magnitude in the table.").unwrap();
    writeln!(src, "const MAX_ABS_OFFSET: i64 = {};", offsets.iter().map(|o| i64::from(o.unsigned_abs())).max().unwrap()).unwrap();
    writeln!(src, "/// Zone records (format: zone_format.rs), each running to the next: the built-in zones' records.").unwrap();
    writeln!(src, "static BUILTIN_RECORDS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/zone_builtin.bin\"));").unwrap();
    writeln!(src, "/// Record starts below this are in `BUILTIN_RECORDS`; the others in the zone pack, shifted by it.").unwrap();
    writeln!(src, "const BUILTIN_LEN: usize = {};", layout.builtin_len).unwrap();
    writeln!(src, "/// The pack's records come first; then each name's record start (u16 LE), then the other offsets (i32 LE).").unwrap();
    writeln!(src, "const PACK_RECORDS_LEN: usize = {};", layout.records_len).unwrap();
    writeln!(src, "/// The zone pack's length and FNV-1a hash: a pack from another build is refused.").unwrap();
    writeln!(src, "const PACK_LEN: usize = {};", pack.len()).unwrap();
    writeln!(src, "const PACK_HASH: u64 = {:#x};", fnv1a(pack)).unwrap();
    src
}

/// FNV-1a, 64 bits: the pack's fingerprint (`zone_pack.rs` computes the same).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}
