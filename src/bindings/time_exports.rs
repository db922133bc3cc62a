//! Day-range functions, exported with the public camelCase names.

use wasm_bindgen::prelude::*;

use super::js_args::{days_arg, epoch_ms_arg, required_str, time_zone_arg, to_js, to_js_error};
use crate::time;

const DATE_KEY: &str = "a 'YYYY-MM-DD' string";

/// `dayRange(dateKey, timeZone = 'Europe/Istanbul')`
#[wasm_bindgen(js_name = dayRange)]
pub fn day_range(date_key: JsValue, time_zone: JsValue) -> Result<JsValue, JsValue> {
    let key = required_str("dateKey", DATE_KEY, &date_key)?;
    let zone = time_zone_arg(&time_zone)?;
    to_js(&time::day_range_for_key(&key, &zone).map_err(to_js_error)?)
}

/// `todayRange(nowMs, timeZone?)`
#[wasm_bindgen(js_name = todayRange)]
pub fn today_range(now_ms: JsValue, time_zone: JsValue) -> Result<JsValue, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    to_js(&time::today_range(now, &zone).map_err(to_js_error)?)
}

/// `yesterdayRange(nowMs, timeZone?)`
#[wasm_bindgen(js_name = yesterdayRange)]
pub fn yesterday_range(now_ms: JsValue, time_zone: JsValue) -> Result<JsValue, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let zone = time_zone_arg(&time_zone)?;
    to_js(&time::yesterday_range(now, &zone).map_err(to_js_error)?)
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
    // |ms| <= 8.64e15 < 2^53: exact as a JS number.
    time::next_day_start_ms(now, &zone).map(|ms| ms as f64).map_err(to_js_error)
}

/// `spanRange(endDateKey, days, timeZone?)`
#[wasm_bindgen(js_name = spanRange)]
pub fn span_range(end_date_key: JsValue, days: JsValue, time_zone: JsValue) -> Result<JsValue, JsValue> {
    let key = required_str("endDateKey", DATE_KEY, &end_date_key)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    to_js(&time::span_range(&key, days, &zone).map_err(to_js_error)?)
}

/// `lastDaysRange(nowMs, days, timeZone?)`
#[wasm_bindgen(js_name = lastDaysRange)]
pub fn last_days_range(now_ms: JsValue, days: JsValue, time_zone: JsValue) -> Result<JsValue, JsValue> {
    let now = epoch_ms_arg("nowMs", &now_ms)?;
    let days = days_arg(&days)?;
    let zone = time_zone_arg(&time_zone)?;
    to_js(&time::last_days_range(now, days, &zone).map_err(to_js_error)?)
}
