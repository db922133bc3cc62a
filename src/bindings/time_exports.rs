//! Day-range functions at the boundary. Each range crosses as ONE string,
//! `"fromMs toMs fromIso toIso dateKey…"`, and the TS layer splits it into
//! the public object: building the object from Rust through
//! serde-wasm-bindgen cost ~2.8 µs per call against ~0.5 µs for the
//! computation, and numbers plus two ISO strings cost three crossings (each
//! string return is a TextDecoder call); one string is one. The ISO texts and
//! keys are thus formatted by the core's formatters only.

use wasm_bindgen::prelude::*;

use super::js_args::{days_arg, epoch_ms_arg, required_str, time_zone_arg, to_js_error};
use crate::time::{self, push_date_key, push_int, push_iso_string, to_iso_string, DayBounds, DayRef, SpanBounds};

const DATE_KEY: &str = "a 'YYYY-MM-DD' string";

/// Appends `fromMs toMs fromIso toIso` (no field contains a space).
fn push_bounds(out: &mut String, from_ms: i64, to_ms: i64) {
    push_int(out, from_ms);
    out.push(' ');
    push_int(out, to_ms);
    out.push(' ');
    push_iso_string(out, from_ms);
    out.push(' ');
    push_iso_string(out, to_ms);
}

/// `fromMs toMs fromIso toIso dateKey`.
fn day_text(b: DayBounds) -> String {
    let mut out = String::with_capacity(96);
    push_bounds(&mut out, b.from_ms, b.to_ms);
    out.push(' ');
    push_date_key(&mut out, b.date);
    out
}

/// `fromMs toMs fromIso toIso startDateKey endDateKey days`.
fn span_text(b: SpanBounds) -> String {
    let mut out = String::with_capacity(112);
    push_bounds(&mut out, b.from_ms, b.to_ms);
    out.push(' ');
    push_date_key(&mut out, b.start);
    out.push(' ');
    push_date_key(&mut out, b.end);
    out.push(' ');
    push_int(&mut out, b.days.into());
    out
}

/// A `YYYY-MM-DD` day (`dayRange`).
#[wasm_bindgen(js_name = dayRangeText)]
pub fn day_range_text(date_key: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let key = required_str("dateKey", DATE_KEY, &date_key)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Key(&key), &zone).map(day_text).map_err(to_js_error)
}

/// The day containing `nowMs` (`todayRange`).
#[wasm_bindgen(js_name = todayRangeText)]
pub fn today_range_text(now_ms: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Today(now), &zone).map(day_text).map_err(to_js_error)
}

/// The day before (`yesterdayRange`).
#[wasm_bindgen(js_name = yesterdayRangeText)]
pub fn yesterday_range_text(now_ms: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Yesterday(now), &zone).map(day_text).map_err(to_js_error)
}

/// `toIsoString(ms)`: `new Date(ms).toISOString()` byte for byte. Where Date
/// throws its RangeError (NaN, ±Infinity, beyond ±8.64e15), and for
/// non-numbers, which Date would coerce, this throws an `invalid_instant`
/// Error. The package's only ISO formatter: the TS `toIsoString` is this
/// export, and the engine formats its RPC parameters with the same function.
#[wasm_bindgen(js_name = toIsoString)]
pub fn iso_string(ms: JsValue) -> Result<String, JsValue> {
    epoch_ms_arg("ms", &ms).map(to_iso_string)
}

/// `dateKeyAt(nowMs, timeZone?)`
#[wasm_bindgen(js_name = dateKeyAt)]
pub fn date_key_at(now_ms: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::date_key_at(now, &zone).map_err(to_js_error)
}

/// `nextDayStartMs(nowMs, timeZone?)`
#[wasm_bindgen(js_name = nextDayStartMs)]
pub fn next_day_start_ms(now_ms: JsValue, time_zone: JsValue) -> Result<f64, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::next_day_start_ms(now, &zone).map(|ms| ms as f64).map_err(to_js_error)
}

/// `days` days ending with `endDateKey` (`spanRange`).
#[wasm_bindgen(js_name = spanRangeText)]
pub fn span_range_text(end_date_key: JsValue, days: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let key = required_str("endDateKey", DATE_KEY, &end_date_key)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    time::span_bounds(DayRef::Key(&key), days, &zone).map(span_text).map_err(to_js_error)
}

/// `days` days ending today (`lastDaysRange`).
#[wasm_bindgen(js_name = lastDaysRangeText)]
pub fn last_days_range_text(now_ms: JsValue, days: JsValue, time_zone: JsValue) -> Result<String, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    time::span_bounds(DayRef::Today(now), days, &zone).map(span_text).map_err(to_js_error)
}
