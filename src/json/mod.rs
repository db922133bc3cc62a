//! JSON without serde in the wasm. In: a strict pull [`Reader`] (strings
//! borrowed when unescaped), numbers split as before ([`Number`]), and
//! [`parse_value`] for the places that want a whole tree; the realtime
//! decoders (`realtime::json_fields`) read only the fields they need with the
//! same reader. Out: [`ToJson`] and the crossing shapes (`shapes.rs`), byte
//! for byte what serde_json wrote.

mod decimal;
mod number;
mod reader;
mod shapes;
mod value;
mod writer;

pub use decimal::parse_f64;
pub use number::Number;
pub use reader::{JsonError, JsonResult, Kind, Reader, MAX_NESTING};
pub use value::parse_value;
pub use writer::{to_json_text, write_str, JsonFields, ObjectWriter, ToJson};
