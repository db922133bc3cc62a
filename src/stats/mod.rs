//! Stats: the RPC snapshot, the Redis live overlay, and how they merge
//! (section 4 of the design).

mod live_stats;
mod merge;
mod normalize;
mod overlay;
mod snapshot;

pub use live_stats::{LiveStats, OverlayUpdate};
pub use merge::{merge_overlay, FieldSource, FieldSources, LiveOverlay, MergeOptions, MergePolicy, Merged, OverlayStatus, Provenance};
pub use normalize::{normalize_p0_stats, parse_instant_ms};
pub use overlay::{normalize_overlay, OverlayCounts, OverlayReply};
pub use snapshot::{CommandCenterP0Stats, IssueCode, StatsIssue};

/// Largest JSON accepted for a stats reply, a server seed or an overlay body.
pub const MAX_JSON_BYTES: usize = 1 << 20;
