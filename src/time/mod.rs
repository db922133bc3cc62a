//! Day-range math in a site's time zone (section 3 of the design).

mod civil;
mod date_key;
mod day_range;
mod digits;
mod instant;
mod rfc3339;
mod zone;
mod zone_format;
mod zone_rule;
mod zone_table;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod zone_vs_chrono_tz;

pub use date_key::{format_date_key, parse_date_key, push_date_key};
pub use day_range::{
    date_at, date_key_at, day_bounds, day_range, span_bounds, DayBounds, DayRef, SpanBounds, day_range_for_key, last_days_range, next_day_start_ms, span_range,
    start_of_day_ms, today_range, yesterday_range, DayRange, SpanRange, MAX_SPAN_DAYS,
};
pub use instant::{epoch_ms_from_f64, push_iso_string, to_iso_string, MAX_EPOCH_MS};
pub use rfc3339::parse_rfc3339_ms;
pub use zone::{parse_time_zone, Zone, DEFAULT_TIME_ZONE};
pub use zone_table::zone_pack;
// Message helpers shared with the bindings (and, natively, unused).
#[allow(unused_imports)]
pub(crate) use digits::push_int;
#[allow(unused_imports)]
pub(crate) use instant::js_number;
#[allow(unused_imports)]
pub(crate) use crate::text::truncate;
