//! The realtime pipeline at the boundary: `classifyAds` and the
//! `PulseRealtimeCore` class (one site, one mode) that the TS `PulseRealtime`
//! wraps. Payloads arrive as JSON text, singly or as a batch (one crossing
//! for many events); outputs leave as one JSON array per drain.

use wasm_bindgen::prelude::*;

use super::js_args::{epoch_ms_arg, required_str, text_arg, to_js_error, to_json, whole_arg};
use crate::error::{Error, ErrorKind};
use crate::realtime::{
    classify_ads_text, ChannelStatus, PayloadOutcome, PipelineConfig, RealtimeInput, RealtimeSession, MAX_PAYLOAD_BYTES,
};
use crate::site_id::validate_site_id;


/// `classifyAds(payload)` on JSON text → `{kind, reason}` as JSON text.
#[wasm_bindgen(js_name = classifyAdsJson)]
pub fn classify_ads_json(payload_json: JsValue) -> Result<String, JsValue> {
    let payload_json = text_arg("payload", &payload_json)?;
    if payload_json.len() > MAX_PAYLOAD_BYTES {
        return Err(to_js_error(Error::new(ErrorKind::InvalidPayload, format!("payload is {} bytes; the limit is {MAX_PAYLOAD_BYTES}", payload_json.len()))));
    }
    Ok(to_json(&classify_ads_text(&payload_json)))
}


/// One site's realtime reducer (see `RealtimeSession`).
#[wasm_bindgen(js_name = PulseRealtimeCore)]
pub struct RealtimeCore {
    inner: RealtimeSession,
}

fn optional_count(name: &str, value: &JsValue, default: usize) -> Result<usize, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(default);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (1.0..=100_000.0).contains(&n) => Ok(n as usize),
        _ => Err(to_js_error(Error::new(ErrorKind::InvalidArgument, format!("{name} must be a whole number 1-100000")))),
    }
}

#[wasm_bindgen(js_class = PulseRealtimeCore)]
impl RealtimeCore {
    /// `new PulseRealtimeCore(siteId, adsOnly, seed, dedupCapacity?, cacheCapacity?)`
    #[wasm_bindgen(constructor)]
    pub fn new(site_id: JsValue, ads_only: JsValue, seed: JsValue, dedup_capacity: JsValue, cache_capacity: JsValue) -> Result<RealtimeCore, JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        validate_site_id(&site).map_err(to_js_error)?;
        let mut config = PipelineConfig::new(&site, ads_only.is_truthy());
        config.dedup_capacity = optional_count("dedupCapacity", &dedup_capacity, config.dedup_capacity)?;
        config.cache_capacity = optional_count("cacheCapacity", &cache_capacity, config.cache_capacity)?;
        let seed = seed.as_f64().filter(|s| s.is_finite()).map_or(0, |s| s.abs() as u64);
        config.seed = seed;
        Ok(RealtimeCore { inner: RealtimeSession::new(config, seed) })
    }

    /// One payload as JSON text, numbered `seq` by the caller (notifications
    /// about its row carry the number back). Returns `""` when processed,
    /// `"retained"` when it waits on a session lookup (keep the row until a
    /// `release`), or the drop reason.
    #[wasm_bindgen(js_name = handlePayloadJson)]
    pub fn handle_payload_json(&mut self, payload_json: JsValue, seq: f64, now_ms: JsValue) -> Result<String, JsValue> {
        let text = text_arg("payload", &payload_json)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let outcome = self.inner.handle(RealtimeInput::PayloadText { text: &text, seq: whole_arg(seq) }, now);
        Ok(match outcome {
            Some(PayloadOutcome::Retained) => "retained".to_string(),
            Some(PayloadOutcome::Dropped(reason)) => reason.as_str().to_string(),
            Some(PayloadOutcome::Accepted) | None => String::new(),
        })
    }

    /// A JSON array of payloads numbered from `firstSeq`, in one crossing and
    /// one parse. Returns one byte per payload: 0 processed, 1 retained, 2 dropped.
    #[wasm_bindgen(js_name = handlePayloadsJson)]
    pub fn handle_payloads_json(&mut self, payloads_json: JsValue, first_seq: f64, now_ms: JsValue) -> Result<Vec<u8>, JsValue> {
        let text = text_arg("payloads", &payloads_json)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let outcomes = self
            .inner
            .handle_batch_text(&text, whole_arg(first_seq), now)
            .map_err(|_| to_js_error(Error::new(ErrorKind::InvalidPayload, "payloads must be a JSON array")))?;
        Ok(outcomes
            .iter()
            .map(|o| match o {
                PayloadOutcome::Accepted => 0,
                PayloadOutcome::Retained => 1,
                PayloadOutcome::Dropped(_) => 2,
            })
            .collect())
    }

    /// A `get_session_details` result: `isAds` when it succeeded, else `error`.
    #[wasm_bindgen(js_name = handleLookupResult)]
    pub fn handle_lookup_result(&mut self, request_id: f64, is_ads: JsValue, error: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let result = match error.as_string() {
            Some(message) => Err(message),
            None => Ok(is_ads.is_truthy()),
        };
        self.inner.handle(RealtimeInput::LookupResult { request_id: request_id.max(0.0) as u64, result }, now);
        Ok(())
    }

    /// A channel status string from the adapter (`SUBSCRIBED`, `CHANNEL_ERROR`, ...).
    #[wasm_bindgen(js_name = handleChannelStatus)]
    pub fn handle_channel_status(&mut self, status: JsValue, message: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let text = required_str("status", "a channel status string", &status)?;
        let status = ChannelStatus::parse(&text).map_err(to_js_error)?;
        let message = message.as_string();
        self.inner.handle(RealtimeInput::ChannelStatus { status, message: message.as_deref() }, now);
        Ok(())
    }

    #[wasm_bindgen(js_name = handleSocketProbe)]
    pub fn handle_socket_probe(&mut self, open: bool, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle(RealtimeInput::SocketProbe { open }, now);
        Ok(())
    }

    pub fn reconnect(&mut self, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle(RealtimeInput::Reconnect, now);
        Ok(())
    }

    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle(RealtimeInput::Timeout, now);
        Ok(())
    }

    pub fn close(&mut self, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle(RealtimeInput::Close, now);
        Ok(())
    }

    /// When to call `handleTimeout` next (epoch ms), or `undefined`.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> Option<f64> {
        self.inner.next_deadline().map(|ms| ms as f64)
    }

    /// A payload the TS edge refused before crossing (over `MAX_PAYLOAD_BYTES`): counted as `oversized`.
    #[wasm_bindgen(js_name = handleOversizedPayload)]
    pub fn handle_oversized_payload(&mut self) {
        self.inner.pipeline_mut().record_drop(crate::realtime::DropReason::Oversized);
    }

    /// Every queued output as a JSON array, oldest first.
    #[wasm_bindgen(js_name = drainOutputsJson)]
    pub fn drain_outputs_json(&mut self) -> String {
        let mut out = Vec::new();
        while let Some(o) = self.inner.poll_output() {
            out.push(o);
        }
        to_json(&out)
    }

    /// The hook state as JSON.
    #[wasm_bindgen(js_name = stateJson)]
    pub fn state_json(&self) -> String {
        to_json(&self.inner.state())
    }

    /// `{received, accepted, pending, dropped: {...}, droppedNotifications, sizes}` as JSON;
    /// `received == accepted + sum(dropped) + pending`.
    #[wasm_bindgen(js_name = countersJson)]
    pub fn counters_json(&self) -> String {
        let p = self.inner.pipeline();
        let dropped_notifications = self.inner.dropped_outputs().saturating_add(p.overflowed_notifications());
        to_json(&serde_json::json!({
            "received": p.received(), "accepted": p.accepted(), "pending": p.waiting_rows(), "dropped": p.drops(),
            "droppedNotifications": dropped_notifications, "sizes": p.sizes(),
        }))
    }
}
