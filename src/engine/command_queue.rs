//! The commands waiting for the driver, bounded. A driver drains after
//! every input, so the queue holds a handful; one that never drains (a
//! broken driver, a test that forgets) must not grow the wasm memory until
//! it traps (1M undrained payloads once queued 2M commands, 227 MiB). When
//! full, the oldest command goes and is counted by kind. A dropped request
//! is recovered by its request timeout; a dropped callback is lost, counted.

use std::collections::VecDeque;


use crate::engine::command::Command;

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
    fn add(&mut self, command: &Command) {
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

/// A FIFO of at most `MAX_QUEUED_COMMANDS`.
#[derive(Debug, Clone, Default)]
pub struct CommandQueue {
    queue: VecDeque<Command>,
    drops: CommandDrops,
}

impl CommandQueue {
    pub fn push(&mut self, command: Command) {
        if self.queue.len() >= MAX_QUEUED_COMMANDS {
            if let Some(oldest) = self.queue.pop_front() {
                self.drops.add(&oldest);
            }
        }
        self.queue.push_back(command);
    }

    pub fn pop(&mut self) -> Option<Command> {
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
}
