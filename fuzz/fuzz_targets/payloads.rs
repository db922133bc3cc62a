//! Payload decoding and the realtime pipeline, single and batched, on
//! arbitrary text: never a panic, memory bounded, every payload counted once
//! (received = accepted + dropped + pending), and the limits the same
//! whichever path a payload takes (alone or inside a batch).
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::realtime::{classify_ads_text, decode_batch_text, decode_payload_text, PipelineConfig, RealtimeInput, RealtimeSession};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = classify_ads_text(&text);
    let mut config = PipelineConfig::new("site-aaa", data.first().is_some_and(|b| b & 1 == 1));
    config.dedup_capacity = 8;
    config.cache_capacity = 4;
    let mut s = RealtimeSession::new(config, 1);
    for (i, chunk) in text.split('\u{1e}').enumerate() {
        // Path independence: a payload alone and the same payload as a one-element batch agree.
        let alone = decode_payload_text(chunk).err();
        if let Ok(batch) = decode_batch_text(&format!("[{chunk}]")) {
            if batch.len() == 1 && !chunk.trim().is_empty() {
                assert_eq!(batch.first().and_then(|d| d.clone().err()), alone, "{chunk:?}");
            }
        }
        s.handle(RealtimeInput::PayloadText { text: chunk, seq: i as u64 }, i as i64);
        s.handle(RealtimeInput::LookupResult { request_id: i as u64, result: Ok(i % 2 == 0) }, i as i64);
    }
    let _ = s.handle_batch_text(&text, 1000, 99);
    while s.poll_output().is_some() {}
    let z = s.sizes();
    assert!(z.dedup <= 8 && z.cache <= 4);
    let p = s.pipeline();
    assert_eq!(p.received(), p.accepted() + p.drops().total() + p.waiting_rows());
});
