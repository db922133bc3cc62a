//! Site ids. A site id goes into a URL (`/api/stats/realtime?siteId=…`) and a
//! channel filter (`site_id=eq.…`), so it is validated before either: a UUID,
//! or a public id of 3-64 ASCII letters, digits, `-` and `_`. Anything else
//! (spaces, `&`, `,`, `.`, quotes) could change the meaning of a filter.

use crate::error::{Error, ErrorKind, Result};
use crate::time::truncate;

/// Validates a site id; returns it unchanged when acceptable.
pub fn validate_site_id(site_id: &str) -> Result<&str> {
    let ok = (3..=64).contains(&site_id.len())
        && site_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(site_id)
    } else {
        Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "siteId '{}' is not a site id (a UUID or 3-64 letters, digits, '-' or '_')",
                truncate(site_id, 40)
            ),
        ))
    }
}

/// A UUID's length in its text form (generated into the TS layer, which spells site ids as the engine does).
pub const UUID_LENGTH: usize = 36;
/// Where its dashes are (8-4-4-4-12); every other character is a hex digit.
pub const UUID_DASH_AT: [usize; 4] = [8, 13, 18, 23];

/// True for the 8-4-4-4-12 hex shape of a UUID, in either case.
fn is_uuid(id: &str) -> bool {
    let [d1, d2, d3, d4] = UUID_DASH_AT;
    id.len() == UUID_LENGTH
        && id.bytes().enumerate().all(|(i, b)| if i == d1 || i == d2 || i == d3 || i == d4 { b == b'-' } else { b.is_ascii_hexdigit() })
}

/// The form Postgres sends a site id in: a UUID in lower case (`uuid`
/// columns print that way), any other id as it is. Registrations and
/// payloads are compared in this form, so `3F2B…` matches `3f2b…`.
pub fn canonical_site_id(site_id: &str) -> String {
    if is_uuid(site_id) {
        site_id.to_ascii_lowercase()
    } else {
        site_id.to_string()
    }
}

/// Whether two site ids name the same site (UUIDs compare case-insensitively).
pub fn same_site(a: &str, b: &str) -> bool {
    a == b || (is_uuid(a) && is_uuid(b) && a.eq_ignore_ascii_case(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_compare_in_lower_case_and_other_ids_exactly() {
        let upper = "3F2B6C1E-9A4D-4C1E-8F00-00000000000A";
        assert_eq!(canonical_site_id(upper), "3f2b6c1e-9a4d-4c1e-8f00-00000000000a");
        assert!(same_site(upper, "3f2b6c1e-9a4d-4c1e-8f00-00000000000a"));
        assert_eq!(canonical_site_id("Demo-Site"), "Demo-Site");
        assert!(!same_site("Demo-Site", "demo-site"));
    }

    #[test]
    fn uuids_and_public_ids_pass_filters_and_urls_do_not() {
        for ok in ["3f2b6c1e-9a4d-4c1e-8f00-000000000001", "demo-site", "site_42", "abc"] {
            assert_eq!(validate_site_id(ok), Ok(ok));
        }
        for bad in ["", "ab", "a b", "x&y=1", "id,site_id.eq.2", "s1)", "../etc", "é-site", &"a".repeat(65)] {
            let err = validate_site_id(bad).unwrap_err();
            assert!(err.message().starts_with("siteId"), "{bad}: {err}");
        }
    }
}
