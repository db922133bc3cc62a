//! The realtime pipeline at the boundary: `classifyAds`. Payloads reach the
//! pipeline through the engine (`PulseEngineCore.handlePayload*`): there is
//! one realtime API, the engine's (README, "One realtime API").

use wasm_bindgen::prelude::*;

use super::js_args::{text_arg, to_js_error, to_json};
use crate::error::{Error, ErrorKind};
use crate::realtime::{classify_ads_text, MAX_PAYLOAD_BYTES};


/// `classifyAds(payload)` on JSON text → `{kind, reason}` as JSON text.
#[wasm_bindgen(js_name = classifyAdsJson)]
pub fn classify_ads_json(payload_json: JsValue) -> Result<String, JsValue> {
    let payload_json = text_arg("payload", &payload_json)?;
    if payload_json.len() > MAX_PAYLOAD_BYTES {
        return Err(to_js_error(Error::new(ErrorKind::InvalidPayload, format!("payload is {} bytes; the limit is {MAX_PAYLOAD_BYTES}", payload_json.len()))));
    }
    Ok(to_json(&classify_ads_text(&payload_json)))
}
