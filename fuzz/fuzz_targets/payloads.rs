//! Payload decoding and the realtime pipeline, single and batched, on
//! arbitrary text: never a panic, memory bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::realtime::{classify_ads_text, PipelineConfig, RealtimeInput, RealtimeSession};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = classify_ads_text(&text);
    let mut config = PipelineConfig::new("site-aaa", data.first().is_some_and(|b| b & 1 == 1));
    config.dedup_capacity = 8;
    config.cache_capacity = 4;
    let mut s = RealtimeSession::new(config, 1);
    for (i, chunk) in text.split('\u{1e}').enumerate() {
        s.handle(RealtimeInput::PayloadText { text: chunk, seq: i as u64 }, i as i64);
        s.handle(RealtimeInput::LookupResult { request_id: i as u64, result: Ok(i % 2 == 0) }, i as i64);
    }
    let _ = s.handle_batch_text(&text, 1000, 99);
    while s.poll_output().is_some() {}
    let z = s.sizes();
    assert!(z.dedup <= 8 && z.cache <= 4);
});
