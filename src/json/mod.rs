//! JSON without serde's deserializer in the wasm: a strict pull [`Reader`]
//! (strings borrowed when unescaped), numbers split as before
//! ([`Number`]), and [`parse_value`] for the places that want a whole tree.
//! The realtime decoders (`realtime::json_fields`) read only the fields they
//! need with the same reader.

mod number;
mod reader;
mod value;

pub use number::Number;
pub use reader::{JsonError, JsonResult, Kind, Reader, MAX_NESTING};
pub use value::parse_value;
