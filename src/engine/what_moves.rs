//! Which change can move which data: the one table the scheduler consults
//! before it spends a request. The stats RPC (`get_command_center_p0_stats_v2`)
//! reads `calls` joined to `sessions`; the overlay counts events.
//!
//! | change | moves |
//! |---|---|
//! | `calls` INSERT / UPDATE | the site's stats whose range covers now: all-traffic keys always; ads-only keys when the call's session is ads or could not be decided (the ads-only pipeline's freshness), or when no ads-only pipeline decides it |
//! | `sessions` INSERT, `events` INSERT | no stats (they only make the site live) |
//! | overlay `captured`/`gclid` rise | the `live` counters only (and the site is live) |
//! | no realtime channel, or not SUBSCRIBED | stats covering now are refreshed on a timer (`STATS_REFRESH_WITHOUT_REALTIME_MS`), so nothing goes stale unseen |

use crate::realtime::Table;

/// A change a pipeline of mode `from_ads_only` reported (a call callback or a data-freshness signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub table: Table,
    pub from_ads_only: bool,
}

/// Whether `change` can move a stats key of scope `key_ads_only`, given
/// whether the site has an ads-only pipeline deciding ads calls.
pub fn moves_stats(change: Change, key_ads_only: bool, site_has_ads_pipeline: bool) -> bool {
    if change.table != Table::Calls {
        return false;
    }
    match (key_ads_only, change.from_ads_only) {
        (false, false) => true,
        // The all-traffic pipeline also fires for ads calls; the ads-only one adds nothing new for all-traffic keys.
        (false, true) => false,
        (true, true) => true,
        // Without an ads-only pipeline nobody decides the session: refresh (it may be ads).
        (true, false) => !site_has_ads_pipeline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_calls_move_stats_and_each_scope_listens_to_its_own_pipeline() {
        let calls = |from_ads_only| Change { table: Table::Calls, from_ads_only };
        for table in [Table::Sessions, Table::Events] {
            for (a, b, c) in [(false, false, false), (true, true, true), (true, false, false)] {
                assert!(!moves_stats(Change { table, from_ads_only: a }, b, c));
            }
        }
        assert!(moves_stats(calls(false), false, true));
        assert!(!moves_stats(calls(true), false, true));
        assert!(moves_stats(calls(true), true, true));
        assert!(!moves_stats(calls(false), true, true));
        assert!(moves_stats(calls(false), true, false));
    }
}
