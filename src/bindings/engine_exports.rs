//! `PulseEngineCore`: the engine at the boundary. Commands, snapshots and
//! counters leave as JSON text (one parse per drain on the JS side); inputs
//! arrive as numbers and strings, every one validated here.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::js_args::{count_arg, epoch_ms_arg, handle_arg, optional_epoch_ms_arg, policy_arg, required_str, text_arg, time_zone_arg, to_js_error, to_json, whole_arg};
use crate::engine::{Batch, Cadence, EngineConfig, PulseEngine, RangeSpec, RegistrationSnapshot, RpcError};
use crate::error::{Error, ErrorKind};
use crate::realtime::{split_utf16, ChannelStatus, MAX_PAYLOAD_BYTES, SLOT_COUNT};
use crate::time::epoch_ms_from_f64;
use crate::stats::MAX_JSON_BYTES;

fn json_text(name: &str, text: &str) -> Result<Value, String> {
    if text.len() > MAX_JSON_BYTES {
        return Err(format!("{name} is larger than {MAX_JSON_BYTES} bytes"));
    }
    crate::json::parse_value(text).map_err(|e| format!("{name} is not JSON: {}", e.message(text)))
}


/// The page's scheduler (see `PulseEngine` for the run loop).
#[wasm_bindgen(js_name = PulseEngineCore)]
pub struct EngineCore {
    inner: PulseEngine,
    /// Where the JS edge writes a payload's slots (`realtime::payload_view`): allocated once, never moved.
    slots: Vec<f64>,
    /// Where it writes the site id and the slots' texts, UTF-8.
    text: Vec<u8>,
    /// The last batch's text and the commands that stay objects, until taken.
    batch: Batch,
}

/// The site id, then every slot's text: a payload within the limits fits.
const SLOT_TEXT_BYTES: usize = MAX_PAYLOAD_BYTES + 256;
/// The largest sequence number JS can hold exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

#[wasm_bindgen(js_class = PulseEngineCore)]
impl EngineCore {
    /// `new PulseEngineCore(timeZone?, policy?, seed?, replayCalls?, cadenceJson?)`:
    /// `cadenceJson` is an object of cadence overrides as JSON text (checked by `Cadence::from_overrides`).
    #[wasm_bindgen(constructor)]
    pub fn new(time_zone: JsValue, policy: JsValue, seed: JsValue, replay_calls: JsValue, cadence_json: JsValue) -> Result<EngineCore, JsValue> {
        let cadence = match cadence_json.as_string() {
            Some(text) => {
                let value = json_text("cadence", &text).map_err(|m| to_js_error(Error::new(ErrorKind::InvalidCadence, m)))?;
                Cadence::from_overrides(&value).map_err(to_js_error)?
            }
            None => Cadence::default(),
        };
        let config = EngineConfig {
            cadence,
            time_zone: time_zone_arg(&time_zone)?,
            policy: policy_arg(&policy)?,
            seed: seed.as_f64().filter(|s| s.is_finite()).map_or(0x5eed, |s| s.abs() as u64),
            replay_calls: replay_calls.as_bool().unwrap_or(false),
        };
        Ok(EngineCore { inner: PulseEngine::new(config).map_err(to_js_error)?, slots: vec![0.0; SLOT_COUNT * 2], text: vec![0; SLOT_TEXT_BYTES], batch: Batch::default() })
    }

    /// The page's data is complete as of `atMs` (the server snapshot's `nowMs`).
    #[wasm_bindgen(js_name = setDataAsOf)]
    pub fn set_data_as_of(&mut self, at_ms: JsValue) -> Result<(), JsValue> {
        self.inner.set_data_as_of(epoch_ms_arg("atMs", &at_ms)?);
        Ok(())
    }

    #[wasm_bindgen(js_name = registerRealtime)]
    pub fn register_realtime(&mut self, site_id: JsValue, ads_only: bool, callbacks: bool, now_ms: JsValue) -> Result<u32, JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.register_realtime(&site, ads_only, callbacks, now).map_err(to_js_error)
    }

    /// Stats for "today" (both bounds undefined) or `[fromMs, toMs)`, optionally
    /// seeded with the server's snapshot (`seedJson`, fetched at `seedAtMs`).
    #[wasm_bindgen(js_name = registerStats)]
    #[allow(clippy::too_many_arguments)]
    pub fn register_stats(
        &mut self,
        site_id: JsValue,
        from_ms: JsValue,
        to_ms: JsValue,
        ads_only: bool,
        now_ms: JsValue,
        seed_json: JsValue,
        seed_at_ms: JsValue,
    ) -> Result<u32, JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let range = match (optional_epoch_ms_arg("fromMs", &from_ms)?, optional_epoch_ms_arg("toMs", &to_ms)?) {
            (None, None) => RangeSpec::Today,
            (Some(from_ms), Some(to_ms)) => RangeSpec::Fixed { from_ms, to_ms },
            _ => return Err(to_js_error(Error::new(ErrorKind::InvalidArgument, "range needs both fromMs and toMs, or neither for today"))),
        };
        let seed_value = match (seed_json.as_string(), optional_epoch_ms_arg("seedAtMs", &seed_at_ms)?) {
            (Some(text), Some(at)) => Some((json_text("seed", &text).map_err(|m| to_js_error(Error::new(ErrorKind::InvalidStats, m)))?, at)),
            _ => None,
        };
        let seed = seed_value.as_ref().map(|(v, at)| (v, *at));
        self.inner.register_stats_seeded(&site, range, ads_only, seed, now).map_err(to_js_error)
    }

    #[wasm_bindgen(js_name = registerRelativeTime)]
    pub fn register_relative_time(&mut self, at_ms: JsValue, now_ms: JsValue) -> Result<u32, JsValue> {
        let at = epoch_ms_arg("atMs", &at_ms)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        Ok(self.inner.register_relative_time(at, now))
    }

    pub fn unregister(&mut self, handle: f64, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.unregister(handle_arg(handle), now);
        Ok(())
    }

    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle_timeout(now);
        Ok(())
    }

    /// An RPC result: `dataJson` on success, or `errorMessage` (with an optional PostgREST `errorCode`).
    #[wasm_bindgen(js_name = handleRpcResponse)]
    pub fn handle_rpc_response(&mut self, request_id: f64, data_json: JsValue, error_code: JsValue, error_message: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let result = match error_message.as_string() {
            Some(message) => Err(RpcError { code: error_code.as_string(), message }),
            None => match data_json.as_string() {
                Some(text) => json_text("data", &text).map_err(|message| RpcError { code: None, message }),
                None => Ok(Value::Null),
            },
        };
        self.inner.handle_rpc_response(whole_arg(request_id), result, now);
        Ok(())
    }

    /// An overlay result: the body's JSON text, or `error`.
    #[wasm_bindgen(js_name = handleOverlayResponse)]
    pub fn handle_overlay_response(&mut self, request_id: f64, body_json: JsValue, error: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let result = match error.as_string() {
            Some(message) => Err(message),
            None => json_text("overlay body", &body_json.as_string().unwrap_or_default()),
        };
        self.inner.handle_overlay_response(whole_arg(request_id), result, now);
        Ok(())
    }

    /// A payload as JSON text, numbered `seq`. `true` when the driver must keep its row until a `release`.
    #[wasm_bindgen(js_name = handlePayload)]
    pub fn handle_payload(&mut self, site_id: JsValue, text: JsValue, seq: f64, now_ms: JsValue) -> Result<bool, JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        let text = text_arg("payload", &text)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        Ok(self.inner.handle_payload(&site, &text, whole_arg(seq), now))
    }

    /// The linear memory the slot buffers live in (the JS edge views it).
    #[wasm_bindgen(js_name = slotMemory)]
    pub fn slot_memory(&self) -> JsValue {
        wasm_bindgen::memory()
    }

    /// Address of the `SLOT_COUNT` (tag, value) pairs, as f64s.
    #[wasm_bindgen(js_name = slotsPtr)]
    pub fn slots_ptr(&self) -> u32 {
        self.slots.as_ptr() as u32
    }

    /// Address and size of the text buffer.
    #[wasm_bindgen(js_name = slotTextPtr)]
    pub fn slot_text_ptr(&self) -> u32 {
        self.text.as_ptr() as u32
    }

    #[wasm_bindgen(js_name = slotTextCapacity)]
    pub fn slot_text_capacity(&self) -> u32 {
        SLOT_TEXT_BYTES as u32
    }

    /// A payload the JS edge read into the slot buffers: the site id (its
    /// first `siteUnits` UTF-16 units of text), then the slots' texts,
    /// `textBytes` bytes of UTF-8 in all. Numbered `seq` like `handlePayload`.
    /// Returns the commands now queued times 2, plus 1 when the driver must
    /// keep the row until a `release` (one crossing, numbers only).
    #[wasm_bindgen(js_name = handlePayloadSlots)]
    pub fn handle_payload_slots(&mut self, site_units: f64, text_bytes: f64, seq: f64, now_ms: f64) -> Result<u32, JsValue> {
        let now = epoch_ms_from_f64("nowMs", now_ms).map_err(to_js_error)?;
        // Only the TS edge calls this, but a caller of the raw class gets a
        // kinded error for any count it could pass, never a silent clamp.
        let text_bytes = count_arg("textBytes", text_bytes, SLOT_TEXT_BYTES as u64)?;
        count_arg("siteUnits", site_units, SLOT_TEXT_BYTES as u64)?;
        let seq = count_arg("seq", seq, MAX_SAFE_INTEGER)?;
        let used = self.text.get(..text_bytes as usize).unwrap_or_default();
        let text = std::str::from_utf8(used)
            .map_err(|e| to_js_error(Error::new(ErrorKind::InvalidArgument, format!("payload slots: the text written is not UTF-8 ({e})"))))?;
        let Some((site, rest)) = split_utf16(text, site_units) else {
            return Err(to_js_error(Error::new(ErrorKind::InvalidArgument, "payload slots: the site id does not fit the text written")));
        };
        let retained = self.inner.handle_payload_slots(site, &self.slots, rest, seq, now);
        let queued = u32::try_from(self.inner.queued_commands()).unwrap_or(u32::MAX >> 1).min(u32::MAX >> 1);
        Ok(queued << 1 | u32::from(retained))
    }

    /// A payload the TS edge refused before crossing (over `MAX_PAYLOAD_BYTES`): counted as `oversized`.
    #[wasm_bindgen(js_name = handleOversizedPayload)]
    pub fn handle_oversized_payload(&mut self, site_id: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle_oversized_payload(&site, now);
        Ok(())
    }

    #[wasm_bindgen(js_name = handleChannelStatus)]
    pub fn handle_channel_status(&mut self, site_id: JsValue, status: JsValue, message: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let site = required_str("siteId", "a site id string", &site_id)?;
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let text = required_str("status", "a channel status string", &status)?;
        let status = ChannelStatus::parse(&text).map_err(to_js_error)?;
        self.inner.handle_channel_status(&site, status, message.as_string().as_deref(), now);
        Ok(())
    }

    #[wasm_bindgen(js_name = handleSocketProbe)]
    pub fn handle_socket_probe(&mut self, open: bool, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.handle_socket_probe(open, now);
        Ok(())
    }

    #[wasm_bindgen(js_name = setVisible)]
    pub fn set_visible(&mut self, visible: bool, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.set_visible(visible, now);
        Ok(())
    }

    #[wasm_bindgen(js_name = setOnline)]
    pub fn set_online(&mut self, online: bool, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.set_online(online, now);
        Ok(())
    }

    pub fn refetch(&mut self, handle: f64, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.refetch(handle_arg(handle), now);
        Ok(())
    }

    pub fn reconnect(&mut self, handle: f64, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        self.inner.reconnect(handle_arg(handle), now);
        Ok(())
    }

    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(&mut self, policy: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let now = epoch_ms_arg("nowMs", &now_ms)?;
        let policy = policy_arg(&policy)?;
        self.inner.set_policy(policy, now);
        Ok(())
    }

    /// Every queued command, oldest first, as a JSON array.
    #[wasm_bindgen(js_name = drainCommandsJson)]
    pub fn drain_commands_json(&mut self) -> String {
        let mut out = Vec::new();
        while let Some(c) = self.inner.poll_command() {
            out.push(c);
        }
        to_json(&out)
    }

    /// Every queued command as one numeric batch (`engine::command_batch`):
    /// `[others, text units, records…]`: `others` counts the `command`
    /// records, whose objects `takeBatchCommandsJson` then returns; the
    /// records' strings are cut from `takeBatchText`. Empty when nothing is queued.
    #[wasm_bindgen(js_name = drainCommandBatch)]
    pub fn drain_command_batch(&mut self) -> Vec<f64> {
        if self.inner.queued_commands() == 0 {
            return Vec::new();
        }
        self.batch = Batch { records: vec![0.0, 0.0], ..Batch::default() };
        self.inner.drain_batch(&mut self.batch);
        let (others, units) = (self.batch.others.len() as f64, self.batch.text.encode_utf16().count() as f64);
        if let Some(header) = self.batch.records.get_mut(..2) {
            header.copy_from_slice(&[others, units]);
        }
        std::mem::take(&mut self.batch.records)
    }

    /// Everything a flush reads, in one call (`engine::flush_output`): the
    /// deadline, the changed handles (a realtime snapshot's numbers inline)
    /// and every queued command as a batch. Returns the address of the record
    /// in wasm memory, whose first word is its length; it stays valid until
    /// the next call that writes a batch. `takeBatchCommandsJson` and
    /// `takeBatchText` then give its objects and text, as for `drainCommandBatch`.
    #[wasm_bindgen(js_name = flushOutput)]
    pub fn flush_output(&mut self) -> u32 {
        self.inner.flush_output(&mut self.batch);
        self.batch.records.as_ptr() as u32
    }

    /// The `command` records' objects of the last batch, in order, as a JSON array (once).
    #[wasm_bindgen(js_name = takeBatchCommandsJson)]
    pub fn take_batch_commands_json(&mut self) -> String {
        to_json(&std::mem::take(&mut self.batch.others))
    }

    /// The last batch's text (once).
    #[wasm_bindgen(js_name = takeBatchText)]
    pub fn take_batch_text(&mut self) -> String {
        std::mem::take(&mut self.batch.text)
    }

    /// An RPC answer whose data is `null` (`isArray` false) or `[]`: the core
    /// reads it as that JSON, without a text crossing (most lookups and probes).
    #[wasm_bindgen(js_name = handleRpcEmptyData)]
    pub fn handle_rpc_empty_data(&mut self, request_id: f64, is_array: bool, now_ms: f64) -> Result<(), JsValue> {
        let now = epoch_ms_from_f64("nowMs", now_ms).map_err(to_js_error)?;
        let data = if is_array { Value::Array(Vec::new()) } else { Value::Null };
        self.inner.handle_rpc_response(whole_arg(request_id), Ok(data), now);
        Ok(())
    }

    /// Handles whose snapshot changed since the last call, with their versions: `[handle, version, …]`.
    #[wasm_bindgen(js_name = takeChangedVersions)]
    pub fn take_changed_versions(&mut self) -> Vec<f64> {
        self.inner.take_changed_versions()
    }

    /// The one deadline to arm, or `undefined`.
    #[wasm_bindgen(js_name = pollTimeout)]
    pub fn poll_timeout(&self) -> Option<f64> {
        self.inner.poll_timeout().map(|ms| ms as f64)
    }

    /// Handles whose snapshot changed since the last call.
    #[wasm_bindgen(js_name = takeChangedHandles)]
    pub fn take_changed_handles(&mut self) -> Vec<u32> {
        self.inner.take_changed_handles()
    }

    /// Commands waiting to be drained (0 means `drainCommandsJson` would return `[]`).
    #[wasm_bindgen(js_name = queuedCommands)]
    pub fn queued_commands(&self) -> u32 {
        u32::try_from(self.inner.queued_commands()).unwrap_or(u32::MAX)
    }

    /// Moves whenever the handle's snapshot changes.
    pub fn version(&self, handle: f64) -> f64 {
        self.inner.version(handle_arg(handle)) as f64
    }

    /// A realtime registration's snapshot as numbers (`REALTIME_STATE_FIELDS`
    /// order); empty for any other registration or while it shows an error.
    #[wasm_bindgen(js_name = realtimeSnapshotNumbers)]
    pub fn realtime_snapshot_numbers(&self, handle: f64) -> Vec<f64> {
        match self.inner.snapshot(handle_arg(handle)) {
            Some(RegistrationSnapshot::Realtime(state)) => state.to_numbers().map(Vec::from).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    #[wasm_bindgen(js_name = snapshotJson)]
    pub fn snapshot_json(&self, handle: f64) -> String {
        to_json(&self.inner.snapshot(handle_arg(handle)))
    }

    #[wasm_bindgen(js_name = countersJson)]
    pub fn counters_json(&self) -> String {
        to_json(&self.inner.counters())
    }

    #[wasm_bindgen(js_name = logJson)]
    pub fn log_json(&self) -> String {
        to_json(&self.inner.log())
    }

    /// Sites, tasks, in-flight requests and sizes, for devtools.
    #[wasm_bindgen(js_name = debugJson)]
    pub fn debug_json(&self) -> String {
        self.inner.debug_json()
    }
}
