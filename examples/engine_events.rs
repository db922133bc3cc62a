//! The engine's per-event cost natively (no wasm, no JS): `cargo run --release --example engine_events`.
//! The same stream shape as `bench/payloads.mjs` (60% events, 25% sessions,
//! 15% calls, 10% duplicates, 1% other site), one all-traffic registration
//! with callbacks, every command drained after each payload, session lookups
//! answered at once (one session in ten has rows), changed snapshots read.
//! Payloads go in as JSON text (the core's own decoder): this is the core's
//! cost alone, without the JS boundary `npm run bench:events` measures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::time::Instant;

use opsmantik_pulse::engine::{Command, EngineConfig, PulseEngine, RegistrationSnapshot, RequestKind};
use opsmantik_pulse::realtime::ChannelStatus;
use serde_json::json;

const SITE: &str = "3f2b6c1e-9a4d-4c1e-8f00-000000000001";
const N: usize = 100_000;

fn payloads() -> Vec<String> {
    let mut s: u32 = 7;
    let mut rand = move || {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        f64::from(s) / 4_294_967_296.0
    };
    let mut recent: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(N);
    for i in 0..N {
        if !recent.is_empty() && rand() < 0.1 {
            let pick = (rand() * recent.len() as f64) as usize;
            out.push(recent[pick].clone());
            continue;
        }
        let r = rand();
        let table = if r < 0.6 { "events" } else if r < 0.85 { "sessions" } else { "calls" };
        let event_type = if table == "calls" && rand() < 0.3 { "UPDATE" } else { "INSERT" };
        let ads = rand();
        let site = if rand() < 0.01 { "other-site-0001" } else { SITE };
        let mut row = json!({"id": format!("{}{i}", &table[..1]), "site_id": site, "session_id": format!("sess-{}", (rand() * 5000.0) as u32),
            "created_at": "2026-02-02T12:00:00Z", "event_category": "interaction", "event_action": "click", "url": "https://example.com/landing?x=1"});
        if ads < 0.3 { row["gclid"] = json!(format!("Cj0KCQ{i}")); }
        else if ads < 0.45 { row["metadata"] = json!({"utm_medium": "cpc", "utm_source": "google"}); }
        else if ads < 0.6 { row["metadata"] = json!({"utm_source": "newsletter", "utm_medium": "email"}); }
        else if ads < 0.7 { row["attribution_source"] = json!("Organic"); }
        if table == "calls" { row["status"] = json!("intent"); row["matched_session_id"] = row["session_id"].clone(); }
        let p = json!({"schema": "public", "table": table, "commit_timestamp": format!("2026-02-02T12:00:{i:09}Z"), "eventType": event_type, "new": row, "old": {}, "errors": null}).to_string();
        recent.push(p.clone());
        if recent.len() > 200 { recent.remove(0); }
        out.push(p);
    }
    out
}

fn main() {
    let texts = payloads();
    let now = 1_770_033_600_000_i64;
    for round in 0..5 {
        let mut engine = PulseEngine::new(EngineConfig { seed: 1, ..EngineConfig::default() }).unwrap();
        let handle = engine.register_realtime(SITE, false, true, now).unwrap();
        engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, now);
        while engine.poll_command().is_some() {}
        let (mut notified, mut bytes) = (0usize, 0usize);
        let t0 = Instant::now();
        for (i, text) in texts.iter().enumerate() {
            engine.handle_payload(SITE, text, i as u64 + 1, now);
            while let Some(c) = engine.poll_command() {
                match c {
                    Command::Notify { .. } => notified += 1,
                    Command::Rpc { kind: RequestKind::Lookup, request_id, params, .. } => {
                        let rows = params["p_session_id"].as_str().is_some_and(|s| s.ends_with('7'));
                        engine.handle_rpc_response(request_id, Ok(if rows { json!([{"id": 1}]) } else { json!([]) }), now);
                    }
                    _ => {}
                }
            }
            // As the driver reads them: a realtime snapshot as numbers, any other as JSON.
            for h in engine.take_changed_handles() {
                bytes += match engine.snapshot(h) {
                    Some(RegistrationSnapshot::Realtime(state)) => state.to_numbers().map_or(0, |n| n.len() * 8),
                    other => serde_json::to_string(&other).unwrap().len(),
                };
            }
        }
        let ns = t0.elapsed().as_nanos() as f64 / N as f64;
        let _ = handle;
        println!("round {round}: {ns:.0} ns/event ({notified} notifications, {bytes} snapshot bytes read)");
    }
}
