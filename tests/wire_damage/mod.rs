//! Damage done to JSON on the wire, shared by the tests that send it: to the engine as a
//! request line or a document, and to the tool on its input.

#![allow(dead_code)]

use coproduction::community::Naming;
use coproduction::decision::DecisionKind;
use coproduction::engine::Request;
use coproduction::journal::StreamId;
use coproduction::living::CommunityChange;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::engine_support::*;

/// How many cases a property runs: `COPRODUCTION_PROPTEST_CASES`, or `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("COPRODUCTION_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The lines of the working-model round to adoption, its members taking part beside it,
/// then the grant's round opened on its route with the funder's condition recorded, then a
/// member's own changes to the community's record of them.
pub fn corpus() -> Vec<String> {
    let community = community();
    let mut requests: Vec<Request> = to_consented_taking_part(&community);
    requests.push(adopt().with_evidence(evidence()));
    requests.extend(grant_requests(&community));
    requests.push(living::change(
        MEMBER,
        100,
        // Member 20 declared lived experience when the community was founded, and takes
        // the declaration back.
        CommunityChange::LivedExperience {
            member: MEMBER,
            declared: false,
        },
    ));
    requests.push(living::change(
        MEMBER,
        101,
        CommunityChange::Named {
            member: MEMBER,
            named: Naming::Initials,
        },
    ));
    requests.extend(living::proposal_requests(
        &StreamId::new("allies-proposal").unwrap(),
        DecisionKind::Governance,
        Vec::new(),
        None,
        200,
    ));
    requests.extend(funding::ready_requests());
    requests.push(funding::decide_with_evidence());
    requests
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect()
}

/// A line of the corpus damaged 1 to 3 times, with the corpus and the line's place in it.
pub struct DamagedLine {
    /// The corpus, undamaged.
    pub lines: Vec<String>,
    /// The place of the damaged line in it.
    pub n: usize,
    /// The line, damaged.
    pub line: String,
}

/// The damaged line and its place; the corpus is the same in every case.
impl std::fmt::Debug for DamagedLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DamagedLine")
            .field("n", &self.n)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

/// A line of [`corpus`], chosen and damaged at random.
pub fn damaged_line() -> impl Strategy<Value = DamagedLine> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(damage(), 1..4),
    )
        .prop_map(|(which, damages)| {
            let lines = corpus();
            let n = which.index(lines.len());
            let line = damages.iter().fold(lines[n].clone(), |l, d| apply(&l, d));
            DamagedLine { lines, n, line }
        })
}

/// A refusal's message is under `bound` bytes and quotes the input only in short: a long
/// text dropped in (a run of `a`) is cut to 80 characters. What else it lists (the variants
/// or fields expected, a governance map's gaps) is the crate's own text.
pub fn said_in_short(message: &str, bound: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        message.len() < bound && !message.contains(&"a".repeat(81)),
        "{} bytes: {}",
        message.len(),
        message.chars().take(1000).collect::<String>()
    );
    Ok(())
}

/// What is dropped into a line: JSON's punctuation, values of every type, numbers and dates
/// at and past their limits, a control character, text that is not ASCII, a long string.
pub const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "-0.5",
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "9223372036854775808",
    "\"9999-12-31T23:59:59Z\"",
    "\"-009999-01-01T00:00:00Z\"",
    "\"1970-01-01T00:00:00Z\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"é\u{1F600}\"",
    "[1, 2]",
    "{}",
    "\"living\"",
    "\"working-model\"",
    " ",
];

/// The numbers a number in the line is replaced by.
pub const NUMBERS: &[&str] = &[
    "0",
    "1",
    "99",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "-1",
    "1.5",
    "1e3",
];

#[derive(Debug, Clone)]
pub enum Damage {
    /// Cut out `len` characters from the character at `at` (both taken modulo the line).
    Cut { at: usize, len: usize },
    /// Drop a token in before the character at `at`.
    Insert { at: usize, token: usize },
    /// Replace the `nth` run of digits with a number from [`NUMBERS`].
    Number { nth: usize, number: usize },
    /// Write the `nth` key a second time, with the value `null`, just before it.
    DoubleKey { nth: usize },
    /// Cut the line short at the character at `at`.
    Truncate { at: usize },
    /// A string of `len` thousand characters before the character at `at`.
    Long { at: usize, len: usize },
    /// The `nth` value of the request (a number, a string, a flag; taken modulo the count),
    /// replaced by the `with`th of [`replacements`] for its type, or its key left out.
    Value { nth: usize, with: usize },
}

pub fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        1 => (any::<usize>(), 1usize..12).prop_map(|(at, len)| Damage::Cut { at, len }),
        1 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Damage::Insert { at, token }),
        1 => (any::<usize>(), 0..NUMBERS.len()).prop_map(|(nth, number)| Damage::Number { nth, number }),
        1 => any::<usize>().prop_map(|nth| Damage::DoubleKey { nth }),
        1 => any::<usize>().prop_map(|at| Damage::Truncate { at }),
        1 => (any::<usize>(), 1usize..80).prop_map(|(at, len)| Damage::Long { at, len }),
        // Values replaced as often as all the other damage together: the line still reads
        // as JSON, so the request's own checks are what refuse it.
        6 => (any::<usize>(), any::<usize>()).prop_map(|(nth, with)| Damage::Value { nth, with }),
    ]
}

/// The byte offset of the character at `at`, taken modulo the number of characters.
pub fn boundary(line: &str, at: usize) -> usize {
    let count = line.chars().count().max(1);
    line.char_indices()
        .nth(at % count)
        .map_or(line.len(), |(i, _)| i)
}

pub fn apply(line: &str, damage: &Damage) -> String {
    let mut out = line.to_owned();
    match *damage {
        Damage::Cut { at, len } => {
            let start = boundary(line, at);
            let end = line[start..]
                .char_indices()
                .nth(len)
                .map_or(line.len(), |(i, _)| start + i);
            out.replace_range(start..end, "");
        }
        Damage::Insert { at, token } => out.insert_str(boundary(line, at), TOKENS[token]),
        Damage::Number { nth, number } => {
            let runs: Vec<(usize, usize)> = digit_runs(line);
            if let Some(&(start, end)) = runs.get(nth % runs.len().max(1)) {
                out.replace_range(start..end, NUMBERS[number]);
            }
        }
        Damage::DoubleKey { nth } => {
            let keys: Vec<usize> = line.match_indices("\":").map(|(i, _)| i).collect();
            if let Some(&colon) = keys.get(nth % keys.len().max(1)) {
                let open = line[..colon].rfind('"').unwrap_or(0);
                let key = &line[open..colon + 2];
                out.insert_str(open, &format!("{key}null,"));
            }
        }
        Damage::Truncate { at } => out.truncate(boundary(line, at)),
        Damage::Long { at, len } => {
            let long = format!("\"{}\"", "a".repeat(len * 1000));
            out.insert_str(boundary(line, at), &long);
        }
        Damage::Value { nth, with } => {
            if let Ok(mut value) = serde_json::from_str::<Value>(line) {
                let count = leaves(&value);
                if !matches!(value, Value::Object(_) | Value::Array(_)) {
                    // Earlier damage left a bare value: it is the one leaf.
                    let options = replacements(&value);
                    if let Some(new) = &options[with % options.len()] {
                        out = new.to_string();
                    }
                } else if count > 0 {
                    let mut nth = nth % count;
                    replace_leaf(&mut value, &mut nth, with);
                    out = value.to_string();
                }
            }
        }
    }
    out
}

/// What a value of the request is replaced by, by its type: numbers at and past the limits
/// of member ids and counts; dates long before, just before and long after the round;
/// texts blank, huge, reserved or unknown; `None` leaves the key out.
pub fn replacements(value: &Value) -> Vec<Option<Value>> {
    let mut with: Vec<Option<Value>> = match value {
        Value::Number(_) => [
            json!(0),
            json!(1),
            json!(20),
            json!(99),
            json!(4_294_967_295u64),
            json!(u64::MAX),
            json!(-1),
            json!(1.5),
        ]
        .into_iter()
        .map(Some)
        .collect(),
        Value::String(_) => [
            json!(""),
            json!("   "),
            json!("1970-01-01T00:00:00Z"),
            json!("2022-08-20T12:00:00Z"),
            json!("2022-08-20T12:45:00Z"),
            json!("9999-12-31T23:59:59Z"),
            json!("living"),
            json!("trust-grant"),
            json!("staff_team"),
            json!("a".repeat(20_000)),
            json!(13),
        ]
        .into_iter()
        .map(Some)
        .collect(),
        Value::Bool(b) => vec![Some(json!(!b))],
        _ => vec![Some(json!(1))],
    };
    with.push(None);
    with
}

/// How many leaves (numbers, strings, flags, nulls) `value` holds.
pub fn leaves(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(leaves).sum(),
        Value::Array(items) => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// Replaces the `nth` leaf of `value` (counting down) by its `with`th replacement, or leaves
/// its key out when that is `None` (in an array, the item goes).
pub fn replace_leaf(value: &mut Value, nth: &mut usize, with: usize) -> bool {
    match value {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(child) = map.get_mut(&key) else {
                    continue;
                };
                if !matches!(child, Value::Object(_) | Value::Array(_)) && *nth == 0 {
                    let options = replacements(child);
                    match &options[with % options.len()] {
                        Some(new) => *child = new.clone(),
                        None => {
                            map.remove(&key);
                        }
                    }
                    return true;
                }
                if replace_leaf(child, nth, with) {
                    return true;
                }
            }
            false
        }
        Value::Array(items) => {
            for i in 0..items.len() {
                if !matches!(items[i], Value::Object(_) | Value::Array(_)) && *nth == 0 {
                    let options = replacements(&items[i]);
                    match &options[with % options.len()] {
                        Some(new) => items[i] = new.clone(),
                        None => {
                            items.remove(i);
                        }
                    }
                    return true;
                }
                if replace_leaf(&mut items[i], nth, with) {
                    return true;
                }
            }
            false
        }
        _ => {
            *nth -= 1;
            false
        }
    }
}

/// The byte ranges of the runs of ASCII digits in `line`.
pub fn digit_runs(line: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, b) in line.bytes().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, line.len()));
    }
    runs
}
