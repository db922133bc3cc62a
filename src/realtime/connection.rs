//! One site's channel: its status, the error text the dashboard shows, and
//! reconnects with capped exponential backoff. Sans-IO: it asks for
//! `Subscribe`/`Unsubscribe` and says when it wants to be woken.


use crate::backoff::Backoff;
use crate::error::{Error, ErrorKind, Result};
use crate::time::truncate;

/// The statuses the dashboard shows (supabase-js's plus our own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum ChannelStatus {
    Init,
    Starting,
    Subscribed,
    ChannelError,
    TimedOut,
    Closed,
    Reconnecting,
    Error,
}

impl ChannelStatus {
    /// Every status, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 8] = [ChannelStatus::Init, ChannelStatus::Starting, ChannelStatus::Subscribed, ChannelStatus::ChannelError, ChannelStatus::TimedOut, ChannelStatus::Closed, ChannelStatus::Reconnecting, ChannelStatus::Error];
}

impl ChannelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Init => "INIT",
            ChannelStatus::Starting => "STARTING",
            ChannelStatus::Subscribed => "SUBSCRIBED",
            ChannelStatus::ChannelError => "CHANNEL_ERROR",
            ChannelStatus::TimedOut => "TIMED_OUT",
            ChannelStatus::Closed => "CLOSED",
            ChannelStatus::Reconnecting => "RECONNECTING",
            ChannelStatus::Error => "ERROR",
        }
    }

    /// Parses a status string from the realtime adapter.
    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "SUBSCRIBED" => ChannelStatus::Subscribed,
            "CHANNEL_ERROR" => ChannelStatus::ChannelError,
            "TIMED_OUT" => ChannelStatus::TimedOut,
            "CLOSED" => ChannelStatus::Closed,
            "ERROR" => ChannelStatus::Error,
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("unknown channel status '{}' (expected SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED or ERROR)", truncate(other, 40)),
                ))
            }
        })
    }
}

/// What the connection asks the driver to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelCommand {
    Subscribe,
    Unsubscribe,
}

/// Backoff bounds for reconnects.
pub const RECONNECT_BASE_MS: i64 = 1_000;
pub const RECONNECT_CAP_MS: i64 = 30_000;

/// A site's channel state.
#[derive(Debug, Clone)]
pub struct Connection {
    status: ChannelStatus,
    socket_open: bool,
    error: Option<String>,
    wanted: bool,
    reconnect_at: Option<i64>,
    backoff: Backoff,
    commands: Vec<ChannelCommand>,
    reconnects: u64,
}

impl Connection {
    pub fn new(seed: u64) -> Self {
        Self {
            status: ChannelStatus::Init,
            socket_open: true,
            error: None,
            wanted: false,
            reconnect_at: None,
            backoff: Backoff::new(RECONNECT_BASE_MS, RECONNECT_CAP_MS, seed),
            commands: Vec::new(),
            reconnects: 0,
        }
    }

    pub fn status(&self) -> ChannelStatus {
        self.status
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Subscribed and the socket reports open.
    pub fn is_connected(&self) -> bool {
        self.status == ChannelStatus::Subscribed && self.socket_open
    }

    pub fn is_wanted(&self) -> bool {
        self.wanted
    }

    /// Reconnect attempts made so far (automatic and manual).
    pub fn reconnects(&self) -> u64 {
        self.reconnects
    }

    /// Opens the channel (first interest in the site).
    pub fn start(&mut self) {
        if !self.wanted {
            self.wanted = true;
            self.status = ChannelStatus::Starting;
            self.commands.push(ChannelCommand::Subscribe);
        }
    }

    /// Closes the channel (last interest gone). Late statuses are then ignored.
    pub fn stop(&mut self) {
        if self.wanted {
            self.wanted = false;
            self.reconnect_at = None;
            self.status = ChannelStatus::Closed;
            self.error = None;
            self.commands.push(ChannelCommand::Unsubscribe);
        }
    }

    /// A status from the realtime adapter. Failures schedule one reconnect;
    /// a storm of failures while one is pending does not stack more.
    pub fn on_status(&mut self, status: ChannelStatus, message: Option<&str>, now_ms: i64) {
        if !self.wanted {
            return;
        }
        match status {
            ChannelStatus::Subscribed => {
                self.status = status;
                self.error = None;
                self.reconnect_at = None;
                self.backoff.reset();
            }
            ChannelStatus::ChannelError | ChannelStatus::TimedOut | ChannelStatus::Closed | ChannelStatus::Error => {
                self.status = status;
                self.error = Some(match (status, message) {
                    (ChannelStatus::Error, Some(m)) => crate::text::message(&format!("Connection error: {}", truncate(m, 200))),
                    _ => format!("Connection error: {}", status.as_str()),
                });
                if self.reconnect_at.is_none() {
                    self.reconnect_at = Some(now_ms.saturating_add(self.backoff.next_delay_ms()));
                }
            }
            ChannelStatus::Init | ChannelStatus::Starting | ChannelStatus::Reconnecting => {}
        }
    }

    /// The socket-open probe (the original polled it every 500 ms; here the
    /// driver reports changes).
    pub fn on_socket_probe(&mut self, open: bool) {
        self.socket_open = open;
    }

    /// `reconnect()`: resubscribe now, with a fresh backoff.
    pub fn reconnect(&mut self) {
        if !self.wanted {
            return;
        }
        self.backoff.reset();
        self.resubscribe();
    }

    /// When the connection wants to be woken (a pending reconnect).
    pub fn next_deadline(&self) -> Option<i64> {
        self.reconnect_at
    }

    /// The clock was corrected back to `now_ms`: a pending reconnect is due
    /// at once instead of waiting for the old time to come round.
    pub fn rebase(&mut self, now_ms: i64) {
        self.reconnect_at = self.reconnect_at.map(|at| at.min(now_ms));
    }

    /// Fires a due reconnect. Harmless to call at any time.
    pub fn handle_timeout(&mut self, now_ms: i64) {
        if self.reconnect_at.is_some_and(|at| at <= now_ms) && self.wanted {
            self.resubscribe();
        }
    }

    fn resubscribe(&mut self) {
        self.reconnect_at = None;
        self.status = ChannelStatus::Reconnecting;
        self.reconnects = self.reconnects.saturating_add(1);
        self.commands.push(ChannelCommand::Unsubscribe);
        self.commands.push(ChannelCommand::Subscribe);
    }

    /// Commands wait to be drained (else the engine does not look).
    pub fn has_commands(&self) -> bool {
        !self.commands.is_empty()
    }

    /// Drains the commands in order.
    pub fn drain_commands(&mut self) -> std::vec::Drain<'_, ChannelCommand> {
        self.commands.drain(..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChannelCommand::*;

    fn drained(c: &mut Connection) -> Vec<ChannelCommand> {
        c.drain_commands().collect()
    }

    #[test]
    fn status_transitions_and_error_strings() {
        let mut c = Connection::new(1);
        assert_eq!(c.status(), ChannelStatus::Init);
        c.start();
        assert_eq!((c.status(), drained(&mut c)), (ChannelStatus::Starting, vec![Subscribe]));
        c.on_status(ChannelStatus::Subscribed, None, 0);
        assert!(c.is_connected());
        c.on_socket_probe(false);
        assert!(!c.is_connected(), "socket closed under a subscribed channel");
        c.on_socket_probe(true);
        c.on_status(ChannelStatus::TimedOut, None, 1_000);
        assert_eq!(c.error(), Some("Connection error: TIMED_OUT"));
        assert!(!c.is_connected());
        let at = c.next_deadline().unwrap();
        assert!((1_500..=2_000).contains(&at), "{at}");
        // A storm does not stack reconnects or push the deadline.
        c.on_status(ChannelStatus::ChannelError, None, 1_100);
        c.on_status(ChannelStatus::Closed, None, 1_200);
        assert_eq!(c.next_deadline(), Some(at));
        assert_eq!(c.error(), Some("Connection error: CLOSED"));
        c.handle_timeout(at - 1);
        assert!(drained(&mut c).is_empty(), "not due yet");
        c.handle_timeout(at);
        assert_eq!((c.status(), drained(&mut c)), (ChannelStatus::Reconnecting, vec![Unsubscribe, Subscribe]));
        c.on_status(ChannelStatus::Subscribed, None, at + 10);
        assert_eq!((c.error(), c.next_deadline()), (None, None));
    }

    #[test]
    fn backoff_grows_across_failed_reconnects_and_resets_on_success() {
        let mut c = Connection::new(3);
        c.start();
        let mut now = 0;
        let mut delays = Vec::new();
        for _ in 0..7 {
            c.on_status(ChannelStatus::ChannelError, None, now);
            let at = c.next_deadline().unwrap();
            delays.push(at - now);
            now = at;
            c.handle_timeout(now);
        }
        for (i, d) in delays.iter().enumerate() {
            let exp = (RECONNECT_BASE_MS << i).min(RECONNECT_CAP_MS);
            assert!(*d >= exp / 2 && *d <= exp, "attempt {i}: {d}");
        }
        c.on_status(ChannelStatus::Subscribed, None, now);
        c.on_status(ChannelStatus::ChannelError, None, now);
        assert!(c.next_deadline().unwrap() - now <= RECONNECT_BASE_MS);
    }

    #[test]
    fn manual_reconnect_stop_and_late_statuses() {
        let mut c = Connection::new(1);
        c.reconnect();
        assert!(drained(&mut c).is_empty(), "nothing to reconnect before start");
        c.start();
        c.reconnect();
        assert_eq!(drained(&mut c), vec![Subscribe, Unsubscribe, Subscribe]);
        c.on_status(ChannelStatus::Error, Some("subscribe threw"), 5);
        assert_eq!(c.error(), Some("Connection error: subscribe threw"));
        c.stop();
        assert_eq!((c.status(), c.next_deadline(), drained(&mut c)), (ChannelStatus::Closed, None, vec![Unsubscribe]));
        c.on_status(ChannelStatus::ChannelError, None, 10);
        assert_eq!((c.status(), c.next_deadline()), (ChannelStatus::Closed, None), "late status after stop is ignored");
        assert!(ChannelStatus::parse("JOINED").unwrap_err().message().contains("'JOINED'"));
    }
}
