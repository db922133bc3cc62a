//! A small smoke suite for the wasm boundary, run in Node and in headless
//! Chromium (`WASM_BINDGEN_USE_BROWSER=1`). It checks values cross correctly
//! and bad JS values come back as thrown `Error`s naming the argument.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::Reflect;
use opsmantik_pulse::bindings::{date_key_at, day_range, next_day_start_ms, span_range, today_range};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap()
}

fn error_message(err: JsValue) -> String {
    let e: js_sys::Error = err.dyn_into().expect("a JS Error");
    e.message().into()
}

#[wasm_bindgen_test]
fn day_range_crosses_as_a_plain_object() {
    let r = day_range(JsValue::from_str("2026-02-02"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "fromIso").as_string().unwrap(), "2026-02-01T21:00:00.000Z");
    assert_eq!(get(&r, "toIso").as_string().unwrap(), "2026-02-02T21:00:00.000Z");
    assert_eq!(get(&r, "timeZone").as_string().unwrap(), "Europe/Istanbul");
    let from_ms = get(&r, "fromMs").as_f64().unwrap();
    // fromMs equals Date.parse(fromIso), and toISOString round-trips.
    assert_eq!(js_sys::Date::parse("2026-02-01T21:00:00.000Z"), from_ms);
    let iso: String = js_sys::Date::new(&JsValue::from_f64(from_ms)).to_iso_string().into();
    assert_eq!(iso, "2026-02-01T21:00:00.000Z");
}

#[wasm_bindgen_test]
fn clock_functions_take_now_as_a_parameter() {
    let now = JsValue::from_f64(1_770_065_999_999.0);
    assert_eq!(date_key_at(now.clone(), JsValue::from_str("Turkey")).unwrap(), "2026-02-02");
    assert_eq!(next_day_start_ms(now.clone(), JsValue::NULL).unwrap(), 1_770_066_000_000.0);
    let today = today_range(now, JsValue::from_str("UTC")).unwrap();
    assert_eq!(get(&today, "dateKey").as_string().unwrap(), "2026-02-02");
    let span = span_range(JsValue::from_str("2026-02-07"), JsValue::from_f64(7.0), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&span, "startDateKey").as_string().unwrap(), "2026-02-01");
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors_that_name_them() {
    let cases: Vec<(JsValue, JsValue, &str)> = vec![
        (JsValue::from_str("2026-02-30"), JsValue::UNDEFINED, "'2026-02-30'"),
        (JsValue::from_str("2026-2-3"), JsValue::UNDEFINED, "'2026-2-3'"),
        (JsValue::NULL, JsValue::UNDEFINED, "dateKey must be"),
        (JsValue::UNDEFINED, JsValue::UNDEFINED, "got undefined"),
        (JsValue::from_f64(20260203.0), JsValue::UNDEFINED, "number 20260203"),
        (JsValue::from_str("2026-02-03"), JsValue::from_str("Mars/Base"), "'Mars/Base'"),
        (JsValue::from_str("2026-02-03"), JsValue::from_f64(3.0), "timeZone must be"),
    ];
    for (key, zone, needle) in cases {
        let msg = error_message(day_range(key, zone).unwrap_err());
        assert!(msg.contains(needle), "{msg:?} should contain {needle:?}");
    }
    for (now, needle) in [(f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (8.64e15 + 1.0, "outside")] {
        let msg = error_message(today_range(JsValue::from_f64(now), JsValue::UNDEFINED).unwrap_err());
        assert!(msg.starts_with("nowMs") && msg.contains(needle), "{msg}");
    }
    // The instance is still usable after all those errors.
    assert!(day_range(JsValue::from_str("2026-02-03"), JsValue::UNDEFINED).is_ok());
}
