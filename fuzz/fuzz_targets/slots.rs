//! The slot path (`realtime::payload_view`, what `handlePayloadSlots` feeds
//! the engine) on arbitrary buffers, interleaved with the JSON text path.
//! Two engines see the same inputs: one gets each payload as slots, its twin
//! as the JSON text those slots describe. Never a panic; received = accepted
//! + dropped + pending at every step; the twins agree on every command and
//! counter (so nothing is accepted through slots that JSON text would refuse);
//! queues, retained rows and the log stay bounded. Raw buffers have any tag,
//! any length (NaN, negative, fractional, past the text, huge) and text cut
//! from arbitrary bytes (the binding refuses what is not UTF-8 before the
//! core); consistent ones have strings up to past the 64 KiB limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::engine::timing::LOG_CAPACITY;
use opsmantik_pulse::engine::{Command, EngineConfig, PulseEngine, RpcError, MAX_QUEUED_COMMANDS};
use opsmantik_pulse::realtime::{read_slots, MAX_PAYLOAD_BYTES, Seen, SlotTag, META_FIELDS, PAYLOAD_FIELDS, ROW_FIELDS, SLOT_COUNT};

/// Numbers a hostile caller can put in a tag or length.
const ODD: [f64; 12] = [f64::NAN, -1.0, 0.5, 7.0, 1e300, f64::INFINITY, -0.0, 9_007_199_254_740_993.0, 4_294_967_296.0, -1e18, 2.5, f64::NEG_INFINITY];
/// Texts a number slot may carry: what JSON.stringify writes, and what it never does.
const NUMBER_TEXTS: [&str; 14] = ["0", "-0", "42", "-0.5", "1e21", "1e400", "18446744073709551616", "abc", "\"s1\"", " 1", "", "[1]", "null", "1.0"];
const SITE: &str = "site-aaa";

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn take(&mut self, n: usize) -> &[u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }
    fn number(&mut self) -> f64 {
        match self.byte().unwrap_or(0) {
            b @ 0..=39 => f64::from(b),
            b => ODD[usize::from(b) % ODD.len()],
        }
    }
    /// A short string: ASCII, multi-byte, astral, control characters, spaces.
    fn text(&mut self) -> String {
        let n = usize::from(self.byte().unwrap_or(0) % 12);
        self.take(n).iter().map(|b| ['c', '1', ' ', 's', 'é', '\u{1F600}', '\n', '"', '\\', '\u{0}', 'g', '-'][usize::from(*b) % 12]).collect()
    }
}

/// One payload as consistent slots (what a correct edge writes) plus their text.
fn structured(b: &mut Bytes<'_>) -> (Vec<f64>, String) {
    let mut slots = vec![0.0; 2 * SLOT_COUNT];
    let mut text = String::new();
    for pair in slots.chunks_exact_mut(2) {
        let kind = b.byte().unwrap_or(0);
        let (tag, value) = match kind % 8 {
            0 => (SlotTag::Absent, 0.0),
            1 => (SlotTag::Null, 0.0),
            2 | 7 => {
                let s = match kind >> 3 {
                    0 => "calls".to_string(),
                    1 => "INSERT".to_string(),
                    2 => SITE.to_string(),
                    3 => "UPDATE".to_string(),
                    // Near the 64 KiB limit, in units whose JSON is 1, 2 or 6 bytes.
                    4 => ["x", "\"", "\u{1}", "é"][usize::from(b.byte().unwrap_or(0) % 4)].repeat(10_900 + 256 * usize::from(b.byte().unwrap_or(0))),
                    _ => b.text(),
                };
                text.push_str(&s);
                (SlotTag::String, s.encode_utf16().count() as f64)
            }
            3 => {
                let s = NUMBER_TEXTS[usize::from(kind >> 3) % NUMBER_TEXTS.len()];
                text.push_str(s);
                (SlotTag::Number, s.len() as f64)
            }
            4 => (SlotTag::Boolean, f64::from(kind >> 7)),
            5 => (SlotTag::Array, b.number()),
            _ => (SlotTag::Object, 0.0),
        };
        pair.copy_from_slice(&[tag as u8 as f64, value]);
    }
    (slots, text)
}

/// Arbitrary slots and text, as a hostile caller of the raw export writes them.
fn raw(b: &mut Bytes<'_>) -> (Vec<f64>, String) {
    let count = match b.byte().unwrap_or(0) {
        0 => 0,
        1 => SLOT_COUNT,
        2 => 4 * SLOT_COUNT,
        _ => 2 * SLOT_COUNT,
    };
    let slots = (0..count).map(|_| b.number()).collect();
    let n = usize::from(b.byte().unwrap_or(0));
    let text = std::str::from_utf8(b.take(n)).unwrap_or_default().to_string();
    (slots, text)
}

/// The JSON text whose fields are what the slots say, or `None` when they are inconsistent.
fn json_of(slots: &[f64], text: &str) -> Option<String> {
    let seen = read_slots(slots, text).ok()?;
    let value = |s: &Seen<'_>| -> Option<String> {
        Some(match s {
            Seen::Absent => return None,
            Seen::Null => "null".into(),
            Seen::Str(s) => serde_json::to_string(s).unwrap_or_default(),
            // A JSON number as written; any other text reads like a value no rule takes.
            Seen::Number(n) => match serde_json::from_str::<serde_json::Value>(n) {
                Ok(serde_json::Value::Number(_)) => n.to_string(),
                _ => "true".into(),
            },
            Seen::Boolean(v) => v.to_string(),
            // The shortest array of that length (cut once it is surely over the limit).
            Seen::Array(len) => format!("[{}]", vec!["0"; (*len).min(MAX_PAYLOAD_BYTES)].join(",")),
            Seen::Object => "{}".into(),
        })
    };
    let object = |names: &[&str], base: usize, nested: &dyn Fn(usize) -> Option<String>| -> String {
        let fields: Vec<String> = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let s = seen.get(base + i)?;
                let v = if *s == Seen::Object { nested(base + i).unwrap_or_else(|| "{}".into()) } else { value(s)? };
                Some(format!("{}:{v}", serde_json::to_string(name).unwrap_or_default()))
            })
            .collect();
        format!("{{{}}}", fields.join(","))
    };
    let row_base = PAYLOAD_FIELDS.len();
    let meta_base = row_base + ROW_FIELDS.len();
    let metadata_at = row_base + ROW_FIELDS.iter().position(|f| *f == "metadata")?;
    let meta_at = row_base + ROW_FIELDS.iter().position(|f| *f == "meta")?;
    let new_at = PAYLOAD_FIELDS.iter().position(|f| *f == "new")?;
    let meta = |at: usize| -> Option<String> {
        let base = if at == metadata_at { meta_base } else if at == meta_at { meta_base + META_FIELDS.len() } else { return None };
        Some(object(&META_FIELDS, base, &|_| None))
    };
    let row = |at: usize| -> Option<String> { (at == new_at).then(|| object(&ROW_FIELDS, row_base, &meta)) };
    Some(object(&PAYLOAD_FIELDS, 0, &row))
}

fn drain(e: &mut PulseEngine) -> Vec<Command> {
    std::iter::from_fn(|| e.poll_command()).collect()
}

fuzz_target!(|data: &[u8]| {
    let (Ok(mut slots_engine), Ok(mut text_engine)) = (PulseEngine::new(EngineConfig::default()), PulseEngine::new(EngineConfig::default())) else { return };
    let mut now: i64 = 1_770_022_800_000;
    let mut handles = Vec::new();
    let mut lookups: Vec<u64> = Vec::new();
    let mut b = Bytes(data);
    let mut seq = 0u64;
    while let Some(op) = b.byte() {
        seq += 1;
        match op % 8 {
            0 => {
                let (a, t) = (slots_engine.register_realtime(SITE, op & 16 != 0, true, now), text_engine.register_realtime(SITE, op & 16 != 0, true, now));
                assert_eq!(a.is_ok(), t.is_ok());
                if let Ok(h) = a { handles.push(h) }
            }
            1 => if !handles.is_empty() {
                let h = handles.remove(usize::from(op) % handles.len());
                slots_engine.unregister(h, now);
                text_engine.unregister(h, now);
            },
            2 => {
                now += i64::from(op) * 1013;
                slots_engine.handle_timeout(now);
                text_engine.handle_timeout(now);
            }
            3 => if !lookups.is_empty() {
                let id = lookups.remove(usize::from(op) % lookups.len());
                let r = if op & 32 == 0 { Ok(serde_json::json!([{"id": "s1", "site_id": SITE}])) } else { Err(RpcError { code: None, message: "x".into() }) };
                slots_engine.handle_rpc_response(id, r.clone(), now);
                text_engine.handle_rpc_response(id, r, now);
            },
            4 => {
                // The JSON path alone, to both: interleaving must not change what slots decide later.
                let t = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t{}","new":{{"id":"c{}","site_id":"{SITE}","matched_session_id":"s{}"}}}}"#, op % 5, op % 7, op % 3);
                assert_eq!(slots_engine.handle_payload(SITE, &t, seq, now), text_engine.handle_payload(SITE, &t, seq, now), "{t}");
            }
            _ => {
                let (slots, text) = if op % 8 == 5 { raw(&mut b) } else { structured(&mut b) };
                let retained = slots_engine.handle_payload_slots(SITE, &slots, &text, seq, now);
                // Inconsistent slots are malformed; so is text that is not JSON.
                let json = json_of(&slots, &text).unwrap_or_else(|| "{".to_string());
                assert_eq!(retained, text_engine.handle_payload(SITE, &json, seq, now), "{slots:?} {text:?} {json}");
            }
        }
        let (a, t) = (drain(&mut slots_engine), drain(&mut text_engine));
        assert_eq!(format!("{a:?}"), format!("{t:?}"));
        for c in a {
            if let Command::Rpc { request_id, .. } = c { lookups.push(request_id) }
        }
        let c = slots_engine.counters();
        assert!(c.payloads.adds_up(), "{:?}", c.payloads);
        assert_eq!(format!("{:?}", c), format!("{:?}", text_engine.counters()));
        assert!(slots_engine.queued_commands() <= MAX_QUEUED_COMMANDS);
        assert!(slots_engine.log().len() <= LOG_CAPACITY && slots_engine.log().iter().all(|l| l.what.len() <= 256));
        assert_eq!(slots_engine.retained_rows(), text_engine.retained_rows());
        assert_eq!(format!("{:?}", slots_engine.debug_json()), format!("{:?}", text_engine.debug_json()));
    }
});
