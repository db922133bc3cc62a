//! Day-range functions at the boundary. They return bare numbers
//! (`[fromMs, toMs, yyyymmdd...]`) and the TS layer builds the public objects:
//! creating a six-field object from Rust through serde-wasm-bindgen cost
//! ~2.8 µs per call against ~0.5 µs for the computation itself (measured with
//! `npm run bench:ranges`), so the edge carries numbers only.

use chrono::{Datelike, NaiveDate};
use wasm_bindgen::prelude::*;

use super::js_args::{days_arg, epoch_ms_arg, required_str, time_zone_arg, to_js_error};
use crate::time::{self, DayBounds, DayRef, SpanBounds};

const DATE_KEY: &str = "a 'YYYY-MM-DD' string";

/// A date as the number `yyyymmdd` (exact in f64; the TS layer formats the key).
fn date_number(date: NaiveDate) -> f64 {
    f64::from(date.year() * 10_000 + date.month() as i32 * 100 + date.day() as i32)
}

// |ms| <= 8.64e15 < 2^53, so every instant is exact as a JS number.
fn day_parts(b: DayBounds) -> Vec<f64> {
    vec![b.from_ms as f64, b.to_ms as f64, date_number(b.date)]
}

fn span_parts(b: SpanBounds) -> Vec<f64> {
    vec![b.from_ms as f64, b.to_ms as f64, date_number(b.start), date_number(b.end), f64::from(b.days)]
}

/// `[fromMs, toMs, yyyymmdd]` of a `YYYY-MM-DD` day (`dayRange`).
#[wasm_bindgen(js_name = dayRangeParts)]
pub fn day_range_parts(date_key: JsValue, time_zone: JsValue) -> Result<Vec<f64>, JsValue> {
    let key = required_str("dateKey", DATE_KEY, &date_key)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Key(&key), &zone).map(day_parts).map_err(to_js_error)
}

/// `[fromMs, toMs, yyyymmdd]` of the day containing `nowMs` (`todayRange`).
#[wasm_bindgen(js_name = todayRangeParts)]
pub fn today_range_parts(now_ms: JsValue, time_zone: JsValue) -> Result<Vec<f64>, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Today(now), &zone).map(day_parts).map_err(to_js_error)
}

/// `[fromMs, toMs, yyyymmdd]` of the day before (`yesterdayRange`).
#[wasm_bindgen(js_name = yesterdayRangeParts)]
pub fn yesterday_range_parts(now_ms: JsValue, time_zone: JsValue) -> Result<Vec<f64>, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    time::day_bounds(DayRef::Yesterday(now), &zone).map(day_parts).map_err(to_js_error)
}

/// `toIsoString(ms)`: `new Date(ms).toISOString()` byte for byte. Where Date
/// throws its RangeError (NaN, ±Infinity, beyond ±8.64e15), and for
/// non-numbers, which Date would coerce, this throws an `invalid_instant`
/// Error. The package's only ISO formatter: the TS `toIsoString` is this
/// export, and the engine formats its RPC parameters with the same function.
#[wasm_bindgen(js_name = toIsoString)]
pub fn iso_string(ms: JsValue) -> Result<String, JsValue> {
    epoch_ms_arg("ms", &ms).map(time::to_iso_string)
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

/// `[fromMs, toMs, startYyyymmdd, endYyyymmdd, days]` (`spanRange`).
#[wasm_bindgen(js_name = spanRangeParts)]
pub fn span_range_parts(end_date_key: JsValue, days: JsValue, time_zone: JsValue) -> Result<Vec<f64>, JsValue> {
    let key = required_str("endDateKey", DATE_KEY, &end_date_key)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    time::span_bounds(DayRef::Key(&key), days, &zone).map(span_parts).map_err(to_js_error)
}

/// `[fromMs, toMs, startYyyymmdd, endYyyymmdd, days]` ending today (`lastDaysRange`).
#[wasm_bindgen(js_name = lastDaysRangeParts)]
pub fn last_days_range_parts(now_ms: JsValue, days: JsValue, time_zone: JsValue) -> Result<Vec<f64>, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    time::span_bounds(DayRef::Today(now), days, &zone).map(span_parts).map_err(to_js_error)
}
