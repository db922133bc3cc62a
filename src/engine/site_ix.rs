//! `SiteIx`: where a site sits in the engine's map of sites, found once per
//! input so each step of that input's pump reaches the site by position
//! instead of comparing its 36-byte id again (about ten look-ups per payload,
//! ~10% of the hooks' per-payload path in a profile of `bench:events`).
//!
//! A position is only good while no site is added or removed. One is made
//! by `PulseEngine::find_site` for one input's steps, in which no site comes;
//! the one step that removes a site (`drop_idle_site`) takes it by value and
//! gives it back only when the site stays. In debug builds (the tests) every
//! use checks that the position still holds the site's id.

use super::site::SiteTask;
use super::sorted_map::SortedMap;
use super::PulseEngine;

/// The engine's sites by id.
pub type Sites = SortedMap<String, Box<SiteTask>>;

/// A site's id and its position in [`Sites`] (not `Copy`: see the module comment).
#[derive(Debug)]
pub struct SiteIx<'a> {
    position: usize,
    id: &'a str,
}

// `get`, `get_mut` and `find_site` out of line: inlined at their twenty-odd
// callers they cost ~90 B gzip of wasm for ~60 instructions a payload (callgrind).
impl<'a> SiteIx<'a> {
    /// The site's id (for the commands and requests that name it).
    pub fn id(&self) -> &'a str {
        self.id
    }

    #[inline(never)]
    pub fn get<'m>(&self, sites: &'m Sites) -> Option<&'m SiteTask> {
        let (id, site) = sites.entry_at(self.position)?;
        debug_assert_eq!(id, self.id, "a site position outlived an insert or remove");
        Some(site)
    }

    #[inline(never)]
    pub fn get_mut<'m>(&self, sites: &'m mut Sites) -> Option<&'m mut SiteTask> {
        let (id, site) = sites.entry_at_mut(self.position)?;
        debug_assert_eq!(id, self.id, "a site position outlived an insert or remove");
        Some(site)
    }
}

impl PulseEngine {
    /// The site `site_id` names, when the engine has it.
    #[inline(never)]
    pub(super) fn find_site<'a>(&self, site_id: &'a str) -> Option<SiteIx<'a>> {
        Some(SiteIx { position: self.sites.position(site_id)?, id: site_id })
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{EngineConfig, PulseEngine};

    const NOW: i64 = 1_770_000_000_000;

    /// The guard the tests run with: a position kept past a removal that
    /// moved another site into it is caught, not read as that other site.
    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "outlived")]
    fn a_position_kept_past_a_removal_is_caught() {
        let ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"];
        let mut engine = PulseEngine::new(EngineConfig::default()).unwrap();
        for id in ids {
            engine.register_realtime(id, false, false, NOW).unwrap();
        }
        let second = engine.find_site(ids[1]).unwrap();
        assert!(second.get(&engine.sites).is_some_and(|s| s.site_id == ids[1]));
        engine.sites.remove(ids[0]);
        let _ = second.get(&engine.sites);
    }
}
