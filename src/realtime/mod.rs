//! The realtime pipeline (section 5 of the design): typed payloads, the ads
//! decision, dedup, session lookups, and the channel's connection state.

mod classify;
mod connection;
mod counters;
mod dedup;
mod json_fields;
mod keyed_hash;
mod lru;
mod payload;
mod payload_limits;
mod payload_view;
mod session;
mod signals;

pub use classify::{classify_ads, classify_ads_text, classify_fields, classify_kind, AdsDecision, AdsKind};
pub use json_fields::AdsFields;
pub use connection::{ChannelCommand, ChannelStatus, Connection, RECONNECT_BASE_MS, RECONNECT_CAP_MS};
pub use counters::{DropCounts, DropReason};
pub use dedup::{DedupWindow, DEFAULT_DEDUP_CAPACITY};
pub use lru::{LruCache, DEFAULT_CACHE_CAPACITY};
pub use payload_view::{decode_slots, read_slots, split_utf16, Seen, SlotTag, META_FIELDS, PAYLOAD_FIELDS, ROW_FIELDS, SLOT_COUNT};
pub use payload::{decode_batch_text, decode_payload_text, depth, ChangePayload, EventType, Table, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH};
pub use session::{channel_name, CHANNEL_PREFIX, RealtimeInput, RealtimeOutput, RealtimeSession, RealtimeState, MAX_QUEUED_OUTPUTS, REALTIME_STATE_FIELDS};
pub use signals::{LookupRequest, Notification, NotificationKind, PayloadOutcome, PipelineConfig, PipelineSizes, SignalPipeline, Signals};
