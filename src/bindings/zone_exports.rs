//! The zone pack at the boundary: the records of every zone but the built-in
//! Europe/Istanbul and UTC, which the browser entry fetches only when a page
//! uses another zone (`loadZones()` in `js/zones.ts`).

use wasm_bindgen::prelude::*;

use super::js_args::{describe, to_js_error};
use crate::error::{Error, ErrorKind};
use crate::time::zone_pack;

/// Installs the zone pack (`opsmantik_pulse_zones.bin` of the same build);
/// throws `invalid_zone_pack` for other bytes and `invalid_argument` for
/// anything but a `Uint8Array`. Loading it twice is harmless.
#[wasm_bindgen(js_name = loadZonePack)]
pub fn load_zone_pack(bytes: JsValue) -> Result<(), JsValue> {
    let Some(array) = bytes.dyn_ref::<js_sys::Uint8Array>() else {
        return Err(to_js_error(Error::new(ErrorKind::InvalidArgument, format!("the zone pack must be a Uint8Array, got {}", describe(&bytes)))));
    };
    zone_pack::load(array.to_vec().into_boxed_slice()).map_err(to_js_error)
}

/// Whether the zone pack is installed.
#[wasm_bindgen(js_name = zonePackLoaded)]
pub fn zone_pack_loaded() -> bool {
    zone_pack::loaded().is_some()
}
