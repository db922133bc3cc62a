//! JSON text into a `serde_json::Value` tree, by our reader: the tree type
//! stays (the engine and stats code walk it), serde's deserializer does not
//! ship in the wasm.

use serde_json::{Map, Value};

use super::number::Number;
use super::reader::{JsonError, JsonResult, Kind, Reader};

/// The whole text as one value (nothing but whitespace after it).
pub fn parse_value(text: &str) -> Result<Value, JsonError> {
    let mut reader = Reader::new(text);
    let value = read_value(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

fn read_value(r: &mut Reader<'_>) -> JsonResult<Value> {
    Ok(match r.kind()? {
        Kind::Null => {
            r.read_null()?;
            Value::Null
        }
        Kind::Bool => Value::Bool(r.read_bool()?),
        Kind::Number => number_value(r)?,
        Kind::String => Value::String(r.read_string()?.into_owned()),
        Kind::Array => {
            r.begin_array()?;
            let mut items = Vec::new();
            while r.next_element(items.is_empty())? {
                items.push(read_value(r)?);
            }
            Value::Array(items)
        }
        Kind::Object => {
            r.begin_object()?;
            let mut map = Map::new();
            let mut first = true;
            // A repeated key keeps its last value (as JSON.parse does).
            while let Some(key) = r.next_key(first)? {
                first = false;
                let value = read_value(r)?;
                map.insert(key.into_owned(), value);
            }
            Value::Object(map)
        }
    })
}

fn number_value(r: &mut Reader<'_>) -> JsonResult<Value> {
    let text = r.read_number()?;
    match Number::of_text(text) {
        Some(Number::Unsigned(n)) => Ok(Value::from(n)),
        Some(Number::Negative(n)) => Ok(Value::from(n)),
        Some(Number::Double(f)) => Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        None => Err(r.error_here("number out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree matches serde_json's own parse, numbers' types included.
    #[test]
    fn same_tree_as_serde_json() {
        for text in [
            r#"{"b":[1,-2,3.5,-0,1e2,18446744073709551615,18446744073709551616],"a":{"x":null,"y":true,"z":"\u00e9\n"},"a":2}"#,
            r#"[[],{},"",0.1,-9223372036854775808]"#,
            " 42 ",
        ] {
            let ours = parse_value(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn out_of_range_numbers_are_errors() {
        assert_eq!(parse_value("[1e400]").map_err(|e| e.what), Err("number out of range"));
    }
}
