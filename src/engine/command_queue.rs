//! The commands waiting for the driver, bounded. A driver drains after
//! every input, so the queue holds a handful; one that never drains (a
//! broken driver, a test that forgets) must not grow the wasm memory until
//! it traps (1M undrained payloads once queued 2M commands, 227 MiB). When
//! full, the oldest command goes and is counted by kind. A dropped request
//! is recovered by its request timeout; a dropped callback is lost, counted.

use std::collections::VecDeque;

use serde_json::Value;

use crate::engine::command::{Command, RequestKind, RequestReason};
use crate::engine::command_batch::{SESSION_LOOKUP_PARAMS, SESSION_LOOKUP_RPC};

/// Commands kept between drains.
pub const MAX_QUEUED_COMMANDS: usize = 8_192;

/// Commands dropped from a full queue, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct CommandDrops {
    pub rpc: u64,
    pub fetch_overlay: u64,
    pub abort: u64,
    pub subscribe: u64,
    pub unsubscribe: u64,
    pub notify: u64,
    pub release: u64,
}

impl CommandDrops {
    fn add(&mut self, queued: &Queued) {
        let Queued::Command(command) = queued else {
            self.rpc = self.rpc.saturating_add(1); // a session lookup is an RPC
            return;
        };
        let slot = match command {
            Command::Rpc { .. } => &mut self.rpc,
            Command::FetchOverlay { .. } => &mut self.fetch_overlay,
            Command::Abort { .. } => &mut self.abort,
            Command::Subscribe { .. } => &mut self.subscribe,
            Command::Unsubscribe { .. } => &mut self.unsubscribe,
            Command::Notify { .. } => &mut self.notify,
            Command::Release { .. } => &mut self.release,
        };
        *slot = slot.saturating_add(1);
    }

    pub fn total(&self) -> u64 {
        self.rpc + self.fetch_overlay + self.abort + self.subscribe + self.unsubscribe + self.notify + self.release
    }
}

/// A command as it waits. A session lookup (about one per event on a busy
/// site) waits as its ids: the RPC's params object (a map of two strings,
/// five allocations) is built only for a driver that takes it as a `Command`
/// (`poll_command`); the numeric batch (`command_batch`) reads the ids.
#[derive(Debug, Clone, PartialEq)]
pub enum Queued {
    Command(Command),
    Lookup(SessionLookup),
}

/// A `SESSION_LOOKUP_RPC` request, its params not built yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLookup {
    pub request_id: u64,
    pub reason: RequestReason,
    pub site_id: String,
    pub session_id: String,
}

impl Queued {
    /// The command a driver polls: a lookup gets its params object.
    pub fn into_command(self) -> Command {
        let lookup = match self {
            Queued::Command(command) => return command,
            Queued::Lookup(lookup) => lookup,
        };
        let [site_param, session_param] = SESSION_LOOKUP_PARAMS;
        let mut params = serde_json::Map::new();
        params.insert(site_param.to_string(), Value::from(lookup.site_id.as_str()));
        params.insert(session_param.to_string(), Value::String(lookup.session_id));
        let SessionLookup { request_id, reason, site_id, .. } = lookup;
        Command::Rpc { request_id, kind: RequestKind::Lookup, reason, site_id, name: SESSION_LOOKUP_RPC, params: Value::Object(params) }
    }
}

/// A FIFO of at most `MAX_QUEUED_COMMANDS`.
#[derive(Debug, Clone, Default)]
pub struct CommandQueue {
    queue: VecDeque<Queued>,
    drops: CommandDrops,
}

impl CommandQueue {
    pub fn push(&mut self, command: Command) {
        self.push_queued(Queued::Command(command));
    }

    pub fn push_queued(&mut self, queued: Queued) {
        if self.queue.len() >= MAX_QUEUED_COMMANDS {
            if let Some(oldest) = self.queue.pop_front() {
                self.drops.add(&oldest);
            }
        }
        self.queue.push_back(queued);
    }

    pub fn pop(&mut self) -> Option<Command> {
        self.pop_queued().map(Queued::into_command)
    }

    pub fn pop_queued(&mut self) -> Option<Queued> {
        self.queue.pop_front()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn drops(&self) -> &CommandDrops {
        &self.drops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_the_oldest_and_counts_it() {
        let mut q = CommandQueue::default();
        for seq in 0..(MAX_QUEUED_COMMANDS as u64 + 10) {
            q.push(Command::Release { site_id: "s".into(), seq });
        }
        assert_eq!(q.len(), MAX_QUEUED_COMMANDS);
        assert_eq!(q.drops().release, 10);
        assert_eq!(q.pop(), Some(Command::Release { site_id: "s".into(), seq: 10 }));
    }

    /// A lookup waits as its ids, polls as the RPC with its params, and a full queue counts it as an RPC.
    #[test]
    fn a_lookup_waits_as_its_ids_and_polls_as_its_rpc() {
        let lookup = |request_id| Queued::Lookup(SessionLookup { request_id, reason: RequestReason::SessionLookup, site_id: "s".into(), session_id: "x".into() });
        let mut q = CommandQueue::default();
        q.push_queued(lookup(7));
        let params = serde_json::json!({"p_site_id": "s", "p_session_id": "x"});
        let rpc = Command::Rpc { request_id: 7, kind: RequestKind::Lookup, reason: RequestReason::SessionLookup, site_id: "s".into(), name: SESSION_LOOKUP_RPC, params };
        assert_eq!(q.pop(), Some(rpc));
        for id in 0..=MAX_QUEUED_COMMANDS as u64 {
            q.push_queued(lookup(id));
        }
        assert_eq!((q.drops().rpc, q.drops().total()), (1, 1));
    }
}
