//! What a driver reads after its inputs, as one numeric record in one
//! buffer the core reuses: the deadline to arm, the registrations whose
//! snapshot changed (with a realtime snapshot's numbers inline, since one
//! changes with every event) and the command batch (`command_batch`). The
//! boundary hands JS the buffer's address, so a flush is one call and one
//! copy out of wasm memory, with no allocation inside the wasm once the
//! buffer has grown to a flush's size.
//!
//! Layout, as `f64`s:
//! - the header, `FLUSH_HEADER`: the record's length in words (this one
//!   included), the deadline (`NaN` for none) and how many changed entries follow;
//! - each changed entry, `FLUSH_CHANGE_FIELDS`: handle, version and how many
//!   snapshot numbers follow (`REALTIME_STATE_FIELDS` order for a realtime
//!   registration without an error, else 0: the driver asks for that snapshot);
//! - the command batch: `[others, text units, records…]` as `drainCommandBatch` writes it.
//!
//! Both layouts are shared facts, generated into `js/generated/core-facts.ts`.

use super::command_batch::{encode_queue, Batch};
use super::snapshot::RegistrationSnapshot;
use super::PulseEngine;

/// The header's fields, in order.
pub const FLUSH_HEADER: [&str; 3] = ["words", "deadline", "changed"];
/// A changed entry's fields, in order (its snapshot numbers follow).
pub const FLUSH_CHANGE_FIELDS: [&str; 3] = ["handle", "version", "numbers"];

impl PulseEngine {
    /// Writes the flush record into `batch.records` (cleared, its allocation
    /// kept) and the batch's text and object commands into `batch`: every
    /// queued command and every changed handle are taken.
    pub fn flush_output(&mut self, batch: &mut Batch) {
        let Batch { records: out, text, others } = batch;
        out.clear();
        text.clear();
        others.clear();
        let changed = std::mem::take(&mut self.changed);
        out.extend([0.0, self.poll_timeout().map_or(f64::NAN, |at| at as f64), changed.len() as f64]);
        for handle in changed.iter().copied() {
            let numbers = match self.snapshot(handle) {
                Some(RegistrationSnapshot::Realtime(state)) => state.to_numbers(),
                _ => None,
            };
            out.extend([f64::from(handle), self.version(handle) as f64, numbers.map_or(0.0, |n| n.len() as f64)]);
            out.extend(numbers.into_iter().flatten());
        }
        let mut emptied = changed;
        emptied.clear();
        self.changed = emptied;
        let batch_at = out.len();
        out.extend([0.0, 0.0]);
        encode_queue(&mut self.commands, batch);
        let (others, units) = (batch.others.len() as f64, batch.text.encode_utf16().count() as f64);
        let words = batch.records.len() as f64;
        if let Some(counts) = batch.records.get_mut(batch_at..batch_at + 2) {
            counts.copy_from_slice(&[others, units]);
        }
        if let Some(first) = batch.records.first_mut() {
            *first = words;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineConfig;
    use crate::realtime::{ChannelStatus, REALTIME_STATE_FIELDS};

    const SITE: &str = "11111111-1111-4111-8111-111111111111";
    const NOW: i64 = 1_770_000_000_000;

    /// A realtime registration with callbacks, its channel subscribed, and one call inserted.
    fn engine_after_a_call() -> (PulseEngine, u32) {
        let mut engine = PulseEngine::new(EngineConfig::default()).unwrap();
        let handle = engine.register_realtime(SITE, false, true, NOW).unwrap();
        engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, NOW);
        let mut batch = Batch::default();
        engine.flush_output(&mut batch);
        let call = format!(r#"{{"eventType":"INSERT","table":"calls","commit_timestamp":"t","new":{{"id":"c1","site_id":"{SITE}"}}}}"#);
        engine.handle_payload(SITE, &call, 7, NOW + 1);
        (engine, handle)
    }

    #[test]
    fn one_record_holds_the_deadline_the_changed_snapshots_and_the_batch() {
        let (mut engine, handle) = engine_after_a_call();
        let (mut twin, mut expected) = (engine.clone(), Batch { records: vec![0.0, 0.0], ..Batch::default() });
        twin.drain_batch(&mut expected);
        let numbers = match engine.snapshot(handle) {
            Some(RegistrationSnapshot::Realtime(state)) => state.to_numbers(),
            _ => None,
        };
        let deadline = engine.poll_timeout();
        let mut batch = Batch::default();
        engine.flush_output(&mut batch);
        let out = &batch.records;
        assert_eq!(out.first().copied(), Some(out.len() as f64), "the first word is the record's length");
        assert_eq!(out.get(1).copied(), Some(deadline.map_or(f64::NAN, |d| d as f64)).filter(|d| !d.is_nan()), "an armed deadline");
        assert_eq!(out.get(2).copied(), Some(1.0), "one changed handle");
        assert_eq!(out.get(3..6), Some(&[f64::from(handle), engine.version(handle) as f64, REALTIME_STATE_FIELDS.len() as f64][..]));
        let numbers = numbers.map(Vec::from).unwrap_or_default();
        let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>(); // NaN is null, and NaN != NaN
        assert_eq!(out.get(6..6 + numbers.len()).map(bits), Some(bits(&numbers)), "the realtime snapshot inline");
        let commands = out.get(6 + numbers.len()..).unwrap_or_default();
        assert!(commands.len() > 2, "the call's notify: {commands:?}");
        assert_eq!(&expected.records[..], commands, "the batch as drainCommandBatch writes it");
        assert_eq!(engine.queued_commands(), 0);
    }

    #[test]
    fn an_empty_flush_is_the_header_alone_and_reuses_the_buffer() {
        let (mut engine, _) = engine_after_a_call();
        let mut batch = Batch::default();
        engine.flush_output(&mut batch);
        let address = batch.records.as_ptr();
        engine.flush_output(&mut batch);
        assert_eq!(batch.records.len(), 5, "header, then no changes and an empty batch: {:?}", batch.records);
        assert_eq!(batch.records.get(2..), Some(&[0.0, 0.0, 0.0][..]));
        assert_eq!(batch.records.as_ptr(), address, "the same allocation");
    }
}
