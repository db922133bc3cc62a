//! Commands as one numeric batch for the JS driver: the callbacks and
//! releases a payload causes (most of what the engine says per event) are
//! numbers, so draining them costs no JSON text; the other commands (requests,
//! channels) keep their object shape and are fetched only when a batch holds
//! one. The record layout is a shared fact: `BATCH_RECORDS` (the record kinds,
//! by number, each with its fields in order) and `NotificationKind::ALL` (a
//! notify's kind, by number) are generated into `js/generated/core-facts.ts`,
//! and the driver reads every record by those names.
//!
//! Records, one after another:
//! - `command`: `[0]`, the next of the batch's other commands, in order;
//! - `notify`: `[1, kind, seq (-1 for none), n, handle_1 … handle_n]`;
//! - `release`: `[2, seq]`;
//! - `lookup`: `[3, request_id, reason, site_units, session_units]`, a
//!   `SESSION_LOOKUP` RPC (one per new session: about one per event on a busy
//!   site); its site and session ids are the next `site_units` and
//!   `session_units` UTF-16 units of the batch's text.

use crate::engine::command::{Command, RequestKind, RequestReason};
use crate::engine::command_queue::{CommandQueue, Queued, SessionLookup};
use crate::realtime::NotificationKind;

/// One record kind: its name and the fields that follow its number, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchRecord {
    pub name: &'static str,
    pub fields: &'static [&'static str],
}

/// The record kinds, by their number in the batch (a notify's handles follow its fields).
pub const BATCH_RECORDS: [BatchRecord; 4] = [
    BatchRecord { name: "command", fields: &[] },
    BatchRecord { name: "notify", fields: &["kind", "seq", "handleCount"] },
    BatchRecord { name: "release", fields: &["seq"] },
    BatchRecord { name: "lookup", fields: &["requestId", "reason", "siteUnits", "sessionUnits"] },
];

/// The session lookup RPC and its two parameters (site, session), in that order.
pub const SESSION_LOOKUP_RPC: &str = "get_session_details";
pub const SESSION_LOOKUP_PARAMS: [&str; 2] = ["p_site_id", "p_session_id"];

const COMMAND: f64 = 0.0;
const NOTIFY: f64 = 1.0;
const RELEASE: f64 = 2.0;
const LOOKUP: f64 = 3.0;

/// A numeric batch: the records, the text their strings are cut from, the commands that stay objects.
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<f64>,
    pub text: String,
    pub others: Vec<Command>,
}

/// Appends `commands` to `batch` as records; the commands that stay objects go to `others`, in order.
pub fn encode_batch(commands: impl Iterator<Item = Command>, batch: &mut Batch) {
    for command in commands {
        let queued = match session_lookup(&command) {
            Some((request_id, reason, site, session)) => Queued::Lookup(SessionLookup { request_id, reason, site_id: site.to_string(), session_id: session.to_string() }),
            None => Queued::Command(command),
        };
        encode_one(queued, batch);
    }
}

/// Every command of `queue`, taken in order, appended to `batch` (`encode_batch`).
pub(crate) fn encode_queue(queue: &mut CommandQueue, batch: &mut Batch) {
    while let Some(queued) = queue.pop_queued() {
        encode_one(queued, batch);
    }
}

/// One command as its record (a lookup's ids to the text, an object command to `others`).
fn encode_one(queued: Queued, batch: &mut Batch) {
    let Batch { records: out, text, others } = batch;
    let command = match queued {
        Queued::Lookup(l) => {
            let units = |s: &str| s.encode_utf16().count() as f64;
            let reason_number = RequestReason::ALL.iter().position(|r| *r == l.reason).unwrap_or_default();
            out.extend([LOOKUP, l.request_id as f64, reason_number as f64, units(&l.site_id), units(&l.session_id)]);
            text.push_str(&l.site_id);
            text.push_str(&l.session_id);
            return;
        }
        Queued::Command(command) => command,
    };
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

/// A session lookup's request id, reason, site and session, if `command` is one.
fn session_lookup(command: &Command) -> Option<(u64, RequestReason, &str, &str)> {
    match command {
        Command::Rpc { request_id, kind: RequestKind::Lookup, reason, site_id, name, params } if *name == SESSION_LOOKUP_RPC => {
            let [site_param, session_param] = SESSION_LOOKUP_PARAMS;
            let site = params.get(site_param).and_then(|v| v.as_str()).filter(|s| s == site_id)?;
            Some((*request_id, *reason, site, params.get(session_param).and_then(|v| v.as_str())?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::Table;

    /// A record's number and field count as `BATCH_RECORDS` declares them (what the driver reads).
    fn layout(name: &str) -> Option<(f64, usize)> {
        BATCH_RECORDS.iter().position(|r| r.name == name).map(|n| (n as f64, BATCH_RECORDS.get(n).map_or(0, |r| r.fields.len())))
    }

    #[test]
    fn notifications_and_releases_are_numbers_in_order() {
        let commands = vec![
            Command::Subscribe { site_id: "s".into(), channel: "c".into() },
            Command::Notify { site_id: "s".into(), handles: vec![3, 9], kind: NotificationKind::EventCreated, table: Table::Events, seq: Some(41), row_id: Some("e1".into()) },
            Command::Release { site_id: "s".into(), seq: 41 },
            Command::Notify { site_id: "s".into(), handles: vec![3], kind: NotificationKind::DataFreshness, table: Table::Events, seq: None, row_id: None },
            Command::Unsubscribe { site_id: "s".into(), channel: "c".into() },
        ];
        let mut batch = Batch::default();
        encode_batch(commands.into_iter(), &mut batch);
        assert_eq!(batch.records, vec![0.0, 1.0, 2.0, 41.0, 2.0, 3.0, 9.0, 2.0, 41.0, 1.0, 3.0, -1.0, 1.0, 3.0, 0.0]);
        let others = &batch.others;
        assert_eq!(others.len(), 2);
        assert!(matches!(others.first(), Some(Command::Subscribe { .. })) && matches!(others.get(1), Some(Command::Unsubscribe { .. })));
        assert_eq!(layout("notify"), Some((NOTIFY, 3)), "kind, seq, handle count, then the handles");
        assert_eq!(layout("release"), Some((RELEASE, 1)));
    }

    #[test]
    fn session_lookups_are_numbers_and_text_other_rpcs_objects() {
        let lookup = |id: u64, session: &str| Command::Rpc {
            request_id: id, kind: RequestKind::Lookup, reason: RequestReason::SessionLookup, site_id: "site-é".into(), name: SESSION_LOOKUP_RPC,
            params: serde_json::json!({"p_site_id": "site-é", "p_session_id": session}),
        };
        let probe = Command::Rpc { request_id: 9, kind: RequestKind::Probe, reason: RequestReason::Cadence, site_id: "s".into(), name: "get_recent_intents_v2", params: serde_json::json!({}) };
        let mut batch = Batch::default();
        encode_batch(vec![lookup(7, "sess-\u{1F600}"), probe, lookup(8, "b")].into_iter(), &mut batch);
        let reason = RequestReason::ALL.iter().position(|r| *r == RequestReason::SessionLookup).unwrap_or_default() as f64;
        assert_eq!(batch.records, vec![3.0, 7.0, reason, 6.0, 7.0, 0.0, 3.0, 8.0, reason, 6.0, 1.0]);
        assert_eq!(batch.text, "site-ésess-\u{1F600}site-éb");
        assert_eq!(batch.others.len(), 1, "the probe stays an object");
        assert_eq!(layout("lookup"), Some((LOOKUP, 4)), "request id, reason, site units, session units");
    }
}
