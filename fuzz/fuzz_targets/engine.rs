//! The engine fed random input sequences with a random clock: never a panic,
//! never two requests in flight for one key, never a deadline in the past.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::engine::{Command, EngineConfig, PulseEngine, RangeSpec, RpcError};
use opsmantik_pulse::realtime::ChannelStatus;

fuzz_target!(|data: &[u8]| {
    let Ok(mut e) = PulseEngine::new(EngineConfig::default()) else { return };
    let mut now: i64 = 1_770_022_800_000;
    let mut handles = Vec::new();
    let mut outstanding: Vec<Command> = Vec::new();
    let sites = ["site-aaa", "site-bbb"];
    for (i, b) in data.iter().enumerate() {
        let site = sites[usize::from(b >> 7)];
        match b % 12 {
            0 => { if let Ok(h) = e.register_realtime(site, b & 16 != 0, true, now) { handles.push(h) } }
            1 => { if let Ok(h) = e.register_stats(site, if b & 16 != 0 { RangeSpec::Today } else { RangeSpec::Fixed { from_ms: now - 86_400_000, to_ms: now } }, b & 32 != 0, now) { handles.push(h) } }
            2 => if !handles.is_empty() { let h = handles.remove(usize::from(*b) % handles.len()); e.unregister(h, now); },
            3 => { now += i64::from(*b) * 997; e.handle_timeout(now); }
            4 => { now -= i64::from(*b) * 60_000; e.handle_timeout(now); }
            5 | 6 => if !outstanding.is_empty() {
                let c = outstanding.remove(usize::from(*b) % outstanding.len());
                match c {
                    Command::Rpc { request_id, .. } => {
                        let r = if b & 8 == 0 { Ok(serde_json::json!([{"sealed": i}])) } else { Err(RpcError { code: Some("42883".into()), message: "x".into() }) };
                        e.handle_rpc_response(request_id, r, now);
                    }
                    Command::FetchOverlay { request_id, .. } => e.handle_overlay_response(request_id, Ok(serde_json::json!({"captured": i, "gclid": 0, "junk": 0})), now),
                    _ => {}
                }
            },
            7 => { let text = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t{}","new":{{"id":{},"site_id":"{}","matched_session_id":"s{}"}}}}"#, b % 5, i % 7, site, b % 3); e.handle_payload(site, &text, i as u64, now); }
            8 => e.handle_channel_status(site, [ChannelStatus::Subscribed, ChannelStatus::ChannelError, ChannelStatus::TimedOut, ChannelStatus::Closed][usize::from(*b) % 4], None, now),
            9 => e.set_visible(b & 1 == 1, now),
            10 => e.set_online(b & 1 == 1, now),
            _ => if !handles.is_empty() { e.refetch(handles[usize::from(*b) % handles.len()], now) },
        }
        while let Some(c) = e.poll_command() {
            if matches!(c, Command::Rpc { .. } | Command::FetchOverlay { .. }) { outstanding.push(c); }
        }
        let keys = e.in_flight_keys();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len());
        if let Some(d) = e.poll_timeout() {
            e.handle_timeout(now);
            while let Some(c) = e.poll_command() {
                if matches!(c, Command::Rpc { .. } | Command::FetchOverlay { .. }) { outstanding.push(c); }
            }
            let _ = d;
            if let Some(d2) = e.poll_timeout() { assert!(d2 > now); }
        }
    }
});
