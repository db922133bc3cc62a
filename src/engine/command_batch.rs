//! Commands as one numeric batch for the JS driver: the callbacks and
//! releases a payload causes (most of what the engine says per event) are
//! numbers, so draining them costs no JSON text; the other commands (requests,
//! channels) keep their object shape and are fetched only when a batch holds
//! one. The record layout is a shared fact: `BATCH_RECORDS` (the record kinds,
//! by number) and `NotificationKind::ALL` (a notify's kind, by number) are
//! generated into `js/generated/core-facts.ts`.
//!
//! Records, one after another:
//! - `command`: `[0]`, the next of the batch's other commands, in order;
//! - `notify`: `[1, kind, seq (-1 for none), n, handle_1 … handle_n]`;
//! - `release`: `[2, seq]`.

use crate::engine::command::Command;
use crate::realtime::NotificationKind;

/// The record kinds, by their number in the batch.
pub const BATCH_RECORDS: [&str; 3] = ["command", "notify", "release"];

const COMMAND: f64 = 0.0;
const NOTIFY: f64 = 1.0;
const RELEASE: f64 = 2.0;

/// Appends `commands` to `out` as records; the commands that stay objects go to `others`, in order.
pub fn encode_batch(commands: impl Iterator<Item = Command>, out: &mut Vec<f64>, others: &mut Vec<Command>) {
    for command in commands {
        match command {
            Command::Notify { handles, kind, seq, .. } => {
                let kind_number = NotificationKind::ALL.iter().position(|k| *k == kind).unwrap_or_default();
                out.extend([NOTIFY, kind_number as f64, seq.map_or(-1.0, |s| s as f64), handles.len() as f64]);
                out.extend(handles.iter().map(|h| f64::from(*h)));
            }
            Command::Release { seq, .. } => out.extend([RELEASE, seq as f64]),
            other => {
                out.push(COMMAND);
                others.push(other);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::Table;

    #[test]
    fn notifications_and_releases_are_numbers_in_order() {
        let commands = vec![
            Command::Subscribe { site_id: "s".into(), channel: "c".into() },
            Command::Notify { site_id: "s".into(), handles: vec![3, 9], kind: NotificationKind::EventCreated, table: Table::Events, seq: Some(41), row_id: Some("e1".into()) },
            Command::Release { site_id: "s".into(), seq: 41 },
            Command::Notify { site_id: "s".into(), handles: vec![3], kind: NotificationKind::DataFreshness, table: Table::Events, seq: None, row_id: None },
            Command::Unsubscribe { site_id: "s".into(), channel: "c".into() },
        ];
        let (mut out, mut others) = (Vec::new(), Vec::new());
        encode_batch(commands.into_iter(), &mut out, &mut others);
        assert_eq!(out, vec![0.0, 1.0, 2.0, 41.0, 2.0, 3.0, 9.0, 2.0, 41.0, 1.0, 3.0, -1.0, 1.0, 3.0, 0.0]);
        assert_eq!(others.len(), 2);
        assert!(matches!(others.first(), Some(Command::Subscribe { .. })) && matches!(others.get(1), Some(Command::Unsubscribe { .. })));
        assert_eq!(BATCH_RECORDS.iter().position(|r| *r == "notify"), Some(NOTIFY as usize));
        assert_eq!(BATCH_RECORDS.iter().position(|r| *r == "release"), Some(RELEASE as usize));
    }
}
