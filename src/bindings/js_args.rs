//! Argument conversion at the JS boundary. Arguments arrive as `JsValue` so
//! that `null`, `undefined` or a number where a string belongs produce an
//! error naming the parameter instead of wasm-bindgen's generic cast failure.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorKind};
use crate::json::ToJson;
use crate::stats::MergePolicy;
use crate::time::{epoch_ms_from_f64, js_number, truncate, DEFAULT_TIME_ZONE};

/// A thrown JS `Error` carrying `kind` (snake_case `ErrorKind`).
pub fn to_js_error(err: Error) -> JsValue {
    let js = js_sys::Error::new(err.message());
    let kind = JsValue::from_str(err.kind().as_str());
    // Setting a property on a fresh Error cannot fail; if it did, the message still stands.
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("kind"), &kind);
    js.into()
}

/// How a JS value is named in an error message: its type and a short rendering.
pub fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        // Only the head crosses: quoting a 100 MB string where a number
        // belongs must not copy it into wasm memory, which never shrinks.
        let head = String::from(s.slice(0, 41));
        format!("string '{}'", truncate(&head, 40))
    } else if let Some(n) = value.as_f64() {
        format!("number {}", js_number(n))
    } else if let Some(b) = value.as_bool() {
        format!("boolean {b}")
    } else if value.is_bigint() {
        "bigint".into()
    } else if value.is_function() {
        "function".into()
    } else if js_sys::Array::is_array(value) {
        "array".into()
    } else {
        "object".into()
    }
}

/// A required string argument.
pub fn required_str(name: &str, expected: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        to_js_error(Error::new(ErrorKind::InvalidArgument, format!("{name} must be {expected}, got {}", describe(value))))
    })
}

/// A JSON-text argument. Taken as `JsValue`, never `&str`: wasm-bindgen's
/// `&str` glue does not check the JS type, and a non-string there traps the
/// instance (found by the hostile-arguments test).
pub fn text_arg(name: &str, value: &JsValue) -> Result<String, JsValue> {
    required_str(name, "a string", value)
}

/// The optional `timeZone` argument: `undefined`/`null` mean the default zone.
pub fn time_zone_arg(value: &JsValue) -> Result<String, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(DEFAULT_TIME_ZONE.to_string());
    }
    required_str("timeZone", "an IANA zone name such as 'Europe/Istanbul'", value)
}

/// A required epoch-ms argument, validated like `new Date(ms)`.
pub fn epoch_ms_arg(name: &str, value: &JsValue) -> Result<i64, JsValue> {
    let n = value.as_f64().ok_or_else(|| {
        to_js_error(Error::new(ErrorKind::InvalidInstant, format!("{name} must be an epoch-ms number, got {}", describe(value))))
    })?;
    epoch_ms_from_f64(name, n).map_err(to_js_error)
}

/// An optional epoch-ms argument: `undefined`/`null` mean absent.
pub fn optional_epoch_ms_arg(name: &str, value: &JsValue) -> Result<Option<i64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    epoch_ms_arg(name, value).map(Some)
}

/// A positive whole day count.
pub fn days_arg(value: &JsValue) -> Result<u32, JsValue> {
    let bad = || to_js_error(Error::new(ErrorKind::InvalidDays, format!("days must be a positive whole number, got {}", describe(value))));
    let n = value.as_f64().ok_or_else(bad)?;
    if n.fract() != 0.0 || !(1.0..=f64::from(u32::MAX)).contains(&n) {
        return Err(bad());
    }
    Ok(n as u32)
}

/// A core result as JSON text (one parse on the JS side).
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    crate::json::to_json_text(value)
}

/// The optional `policy` argument: `db-truth` (default) or `legacy-max`.
pub fn policy_arg(value: &JsValue) -> Result<MergePolicy, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(MergePolicy::default());
    }
    value.as_string().as_deref().and_then(MergePolicy::parse).ok_or_else(|| {
        let got = value.as_string().map_or_else(|| describe(value), |s| format!("'{}'", truncate(&s, 40)));
        to_js_error(Error::new(ErrorKind::InvalidArgument, format!("policy must be 'db-truth' or 'legacy-max', got {got}")))
    })
}

/// A request id, sequence number or handle the TS layer already checked is a
/// non-negative safe integer; anything else maps to 0, which names nothing.
pub fn whole_arg(value: f64) -> u64 {
    if value.is_finite() && value >= 0.0 {
        value as u64
    } else {
        0
    }
}

/// A count or offset no wrapper checks first (the raw slot export's): a whole
/// number from 0 to `max`, else an `invalid_argument` naming it and the value.
pub fn count_arg(name: &str, value: f64, max: u64) -> Result<u64, JsValue> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= max as f64 {
        return Ok(value as u64);
    }
    Err(to_js_error(Error::new(ErrorKind::InvalidArgument, format!("{name} must be a whole number from 0 to {max}, got {}", js_number(value)))))
}

/// A registration handle (see `whole_arg`); out of range is 0, no handle.
pub fn handle_arg(value: f64) -> u32 {
    u32::try_from(whole_arg(value)).unwrap_or(0)
}
