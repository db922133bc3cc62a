//! Every row of the independent oracle's `day-ranges.tsv` (Python zoneinfo,
//! tzdb 2025b) must match. The file is a verbatim copy of
//! `shared/vectors/day-ranges.tsv`; when the shared folder is beside the repo
//! we also check the copy has not drifted.

use opsmantik_pulse::time::{day_range_for_key, MAX_EPOCH_MS};

const VECTORS: &str = include_str!("../vectors/day-ranges.tsv");

#[test]
fn copy_matches_shared_vectors_when_present() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/day-ranges.tsv");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        assert!(text == VECTORS, "tests/vectors/day-ranges.tsv differs from {}", shared.display());
    }
}

#[test]
fn every_oracle_row_matches() {
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in VECTORS.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [zone, key, from_iso, to_iso] = cols[..] else { panic!("bad vector row: {line}") };
        rows += 1;
        match day_range_for_key(key, zone) {
            Ok(r) if r.from_iso == from_iso && r.to_iso == to_iso && r.date_key == key => {
                assert!(r.from_ms <= r.to_ms && r.to_ms.abs() <= MAX_EPOCH_MS);
            }
            Ok(r) => failures.push(format!("{zone} {key}: got {} {} want {from_iso} {to_iso}", r.from_iso, r.to_iso)),
            Err(e) => failures.push(format!("{zone} {key}: error {e}")),
        }
    }
    assert!(rows > 17_000, "only {rows} rows read");
    assert!(failures.is_empty(), "{} of {rows} rows differ, first: {:#?}", failures.len(), &failures[..failures.len().min(10)]);
}
