//! A small smoke suite for the wasm boundary, run in Node and in headless
//! Chromium (`WASM_BINDGEN_USE_BROWSER=1`). It checks values cross correctly,
//! agree with the JS `Date` of the engine they run in (`toIsoString` included), and that bad JS values
//! come back as thrown `Error`s naming the argument.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use opsmantik_pulse::bindings::{date_key_at, day_range_text, iso_string, load_zone_pack, next_day_start_ms, span_range_text, today_range_text};
use opsmantik_pulse::time::{day_range_for_key, to_iso_string};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn error_message(err: JsValue) -> String {
    let e: js_sys::Error = err.dyn_into().expect("a JS Error");
    e.message().into()
}

fn js_iso(ms: f64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string().into()
}

#[wasm_bindgen_test]
fn day_range_crosses_as_one_text_that_js_date_agrees_with() {
    let text = day_range_text(JsValue::from_str("2026-02-02"), JsValue::UNDEFINED).unwrap();
    assert_eq!(text, "1769979600000 1770066000000 2026-02-01T21:00:00.000Z 2026-02-02T21:00:00.000Z 2026-02-02");
    assert_eq!(js_sys::Date::parse("2026-02-01T21:00:00.000Z"), 1_769_979_600_000.0);
    assert_eq!(js_iso(1_769_979_600_000.0), "2026-02-01T21:00:00.000Z");
}

#[wasm_bindgen_test]
fn to_iso_string_export_matches_date_and_throws_where_date_throws() {
    for ms in [0.0, -0.0, 0.5, -0.5, -1.5, 8.64e15, -8.64e15, 1_769_979_600_000.9] {
        assert_eq!(iso_string(JsValue::from_f64(ms)).unwrap(), js_iso(ms), "{ms}");
    }
    for bad in [JsValue::from_f64(f64::NAN), JsValue::from_f64(8.64e15 + 1.0), JsValue::NULL, JsValue::from_str("0")] {
        let err: js_sys::Error = iso_string(bad).unwrap_err().dyn_into().expect("a JS Error");
        let kind = js_sys::Reflect::get(&err, &JsValue::from_str("kind")).unwrap();
        assert_eq!(kind.as_string().as_deref(), Some("invalid_instant"));
    }
}

#[wasm_bindgen_test]
fn rust_iso_strings_equal_the_engines_to_iso_string() {
    let mut ms = -8.64e15;
    while ms <= 8.64e15 {
        assert_eq!(to_iso_string(ms as i64), js_iso(ms), "{ms}");
        ms += 8.64e15 / 997.0 + 12_345.0;
    }
    // Zones beyond Europe/Istanbul and UTC come in the zone pack, as a page loads it.
    load_zone_pack(js_sys::Uint8Array::from(&include_bytes!(concat!(env!("OUT_DIR"), "/zone_pack.bin"))[..]).into()).unwrap();
    let r = day_range_for_key("2024-09-08", "America/Santiago").unwrap();
    assert_eq!(r.from_iso, js_iso(r.from_ms as f64));
}

#[wasm_bindgen_test]
fn clock_functions_take_now_as_a_parameter() {
    let now = JsValue::from_f64(1_770_065_999_999.0);
    assert_eq!(date_key_at(now.clone(), JsValue::from_str("Turkey")).unwrap(), "2026-02-02");
    assert_eq!(next_day_start_ms(now.clone(), JsValue::NULL).unwrap(), 1_770_066_000_000.0);
    assert!(today_range_text(now, JsValue::from_str("UTC")).unwrap().ends_with(" 2026-02-02"));
    let span = span_range_text(JsValue::from_str("2026-02-07"), JsValue::from_f64(7.0), JsValue::UNDEFINED).unwrap();
    assert!(span.ends_with(" 2026-02-01 2026-02-07 7"), "{span}");
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
        let msg = error_message(day_range_text(key, zone).unwrap_err());
        assert!(msg.contains(needle), "{msg:?} should contain {needle:?}");
    }
    for (now, needle) in [(f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (8.64e15 + 1.0, "outside")] {
        let msg = error_message(today_range_text(JsValue::from_f64(now), JsValue::UNDEFINED).unwrap_err());
        assert!(msg.starts_with("nowMs") && msg.contains(needle), "{msg}");
    }
    // The instance is still usable after all those errors.
    assert!(day_range_text(JsValue::from_str("2026-02-03"), JsValue::UNDEFINED).is_ok());
}
