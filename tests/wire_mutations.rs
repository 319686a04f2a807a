//! Hostile JSON on the wire, as a property: a request line from the working-model round (or
//! the trust's grant) damaged at random (spans cut out, tokens dropped in, numbers pushed to
//! their limits, keys doubled, the line cut short) is either taken or refused. Refused, it
//! writes nothing, says so in a short message, and leaves the engine as it was: the request
//! it was made from is then taken as it would have been without it. Taken, the damage was
//! harmless (white space, an equal number), and the request it was made from must be what
//! was taken: the same events, or a refusal of the original for having been taken already.
//!
//! The documents an app hands the crate are damaged the same way: a charter, a governance
//! map, a community, a funding policy and a decision record are each read or refused with
//! a short message, and whatever record reads is judged: checked, gated and written as
//! Markdown and HTML, without a panic, whatever numbers, dates and texts it holds.
//!
//! `COPRODUCTION_PROPTEST_CASES` sets the number of damaged lines and documents (256 of
//! each by default).

use coproduction::community::{Community, Naming};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent, Request};
use coproduction::funding::FundingPolicy;
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::{Journal, MemoryJournal};
use coproduction::limits::from_json;
use coproduction::living::CommunityChange;
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{Charter, DecisionRecord};
use proptest::prelude::*;
use serde_json::{Value, json};

mod engine_support;

use engine_support::*;

fn cases() -> u32 {
    std::env::var("COPRODUCTION_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// The lines of the working-model round to adoption, its members taking part beside it,
/// then the grant's round opened on its route with the funder's condition recorded, then a
/// member's own changes to the community's record of them.
fn corpus() -> Vec<String> {
    let community = community();
    let mut requests: Vec<Request> = to_consented_taking_part(&community);
    requests.push(adopt().with_evidence(evidence()));
    requests.extend(grant_requests(&community));
    requests.push(living::change(
        MEMBER,
        100,
        CommunityChange::LivedExperience {
            member: MEMBER,
            declared: true,
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
    requests
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect()
}

fn journalled(engine: &Engine<MemoryJournal<EngineEvent>>) -> usize {
    engine.journal().read_all().unwrap().len()
}

/// What is dropped into a line: JSON's punctuation, values of every type, numbers and dates
/// at and past their limits, a control character, text that is not ASCII, a long string.
const TOKENS: &[&str] = &[
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
const NUMBERS: &[&str] = &[
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
enum Damage {
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

fn damage() -> impl Strategy<Value = Damage> {
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
fn boundary(line: &str, at: usize) -> usize {
    let count = line.chars().count().max(1);
    line.char_indices()
        .nth(at % count)
        .map_or(line.len(), |(i, _)| i)
}

fn apply(line: &str, damage: &Damage) -> String {
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
                if count > 0 {
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
fn replacements(value: &Value) -> Vec<Option<Value>> {
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
fn leaves(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(leaves).sum(),
        Value::Array(items) => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// Replaces the `nth` leaf of `value` (counting down) by its `with`th replacement, or leaves
/// its key out when that is `None` (in an array, the item goes).
fn replace_leaf(value: &mut Value, nth: &mut usize, with: usize) -> bool {
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
fn digit_runs(line: &str) -> Vec<(usize, usize)> {
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

/// An engine that has taken the first `n` lines.
fn engine_after(lines: &[String], n: usize) -> Engine<MemoryJournal<EngineEvent>> {
    let engine = engine();
    for line in &lines[..n] {
        engine.handle_json(line).unwrap();
    }
    engine
}

#[test]
fn every_line_of_the_corpus_is_taken_in_order() {
    let lines = corpus();
    let engine = engine();
    for line in &lines {
        assert!(!engine.handle_json(line).unwrap().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn damaged_lines_are_taken_or_refused_with_nothing_written(
        which in any::<prop::sample::Index>(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let lines = corpus();
        let n = which.index(lines.len());
        let line = damages.iter().fold(lines[n].clone(), |l, d| apply(&l, d));
        let engine = engine_after(&lines, n);
        let before = journalled(&engine);
        let control = engine_after(&lines, n);
        let expected = control.handle_json(&lines[n]).map(|e| e.len());
        match engine.handle_json(&line) {
            Err(refused) => {
                prop_assert_eq!(journalled(&engine), before, "a refused line wrote: {}", line);
                // Short, and quoting the input only in short: the long strings dropped in
                // are cut to 80 characters (what a refusal may list beside them, the
                // variants or fields expected, is the crate's own text).
                let message = refused.to_string();
                prop_assert!(
                    message.len() < 1000 && !message.contains(&"a".repeat(81)),
                    "{} bytes: {}",
                    message.len(),
                    message.chars().take(1000).collect::<String>()
                );
                // Nothing changed: the undamaged line is taken as it would have been.
                let after = engine.handle_json(&lines[n]).map(|e| e.len());
                prop_assert_eq!(after, expected);
            }
            Ok(written) => {
                // Taken, the line still reads as a request (white space, a number changed):
                // the same engine takes that request with the same events, whichever way it
                // comes.
                let parsed: Request = serde_json::from_str(&line).unwrap();
                let events = |written: Vec<coproduction::journal::Envelope<EngineEvent>>| {
                    written.into_iter().map(|e| e.event).collect::<Vec<_>>()
                };
                prop_assert_eq!(journalled(&engine), before + written.len());
                // Witnessed: every event written is dated and signed as the request was.
                prop_assert!(
                    written.iter().all(|e| e.actor == parsed.actor && e.time == parsed.now),
                    "taken: {}", line
                );
                let again = engine_after(&lines, n).handle(parsed.clone()).map(events);
                prop_assert_eq!(again.ok(), Some(events(written)), "taken: {}", line);
                if serde_json::from_str::<Request>(&lines[n]).ok() == Some(parsed) {
                    prop_assert!(expected.is_ok(), "taken: {}", line);
                }
            }
        }
    }
}

/// The seed community's documents, as an app would hand them over.
const DOCUMENTS: [(&str, &str); 5] = [
    ("charter", include_str!("../examples/data/charter.json")),
    (
        "governance",
        include_str!("../examples/data/governance.json"),
    ),
    ("community", include_str!("../examples/data/community.json")),
    (
        "funding_policy",
        include_str!("../examples/data/funding_policy.json"),
    ),
    (
        "record",
        include_str!("../examples/data/partnership_record.json"),
    ),
];

/// A refusal's message about a document: quoting the document only in short (a long text
/// dropped in is cut to 80 characters), and never the document whole. (A governance map
/// refused is told every case each kind of decision leaves without a deciding body: the
/// crate's own words, as long as the map's gaps are many.)
fn short(message: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        message.len() < 16_000 && !message.contains(&"a".repeat(81)),
        "{} bytes: {}",
        message.len(),
        message.chars().take(1000).collect::<String>()
    );
    Ok(())
}

/// Judges `record` every way an app may: checked by the default charter and by `charter`,
/// gated, written as Markdown and as HTML.
fn judge(record: &DecisionRecord, charter: &Charter) {
    for charter in [&Charter::default(), charter] {
        let report = charter.check(record);
        let _ = report.clone().gate();
        let markdown = DecisionRecordMarkdown::new(record, &report);
        assert!(!markdown.to_string().is_empty());
        assert!(!markdown.html().to_string().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn damaged_documents_are_read_or_refused_and_every_record_read_is_judged(
        which in 0..DOCUMENTS.len(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let (name, text) = DOCUMENTS[which];
        // The documents are pretty-printed: read as one line, as a request is.
        let line = serde_json::from_str::<Value>(text).unwrap().to_string();
        let doc = damages.iter().fold(line, |l, d| apply(&l, d));
        let community = community();
        let charter = Charter::default();
        let record: DecisionRecord =
            from_json(include_str!("../examples/data/partnership_record.json")).unwrap();
        match name {
            "charter" => match Charter::from_json(&doc) {
                Ok(charter) => judge(&record, &charter),
                Err(e) => short(&e.to_string())?,
            },
            "governance" => match Governance::from_json(&doc, &community) {
                Ok(governance) => {
                    for amount in [0, 1_999, 2_000, 25_000, u64::MAX] {
                        let facts = RouteFacts::new().amount(amount);
                        for kind in [DecisionKind::Funding, DecisionKind::WorkingModel] {
                            if let Err(e) = governance.route(&kind, facts) {
                                short(&e.to_string())?;
                            }
                        }
                    }
                }
                Err(e) => short(&e.to_string())?,
            },
            "community" => match from_json::<Community>(&doc) {
                Ok(community) => {
                    if let Err(e) = Engine::builder(community).open(MemoryJournal::new()) {
                        short(&e.to_string())?;
                    }
                }
                Err(e) => short(&e.to_string())?,
            },
            "funding_policy" => match from_json::<FundingPolicy>(&doc) {
                Ok(policy) => {
                    if let Err(e) = policy.validate() {
                        short(&e.to_string())?;
                    }
                }
                Err(e) => short(&e.to_string())?,
            },
            _ => match from_json::<DecisionRecord>(&doc) {
                Ok(record) => judge(&record, &charter),
                Err(e) => short(&e.to_string())?,
            },
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// The value check is what other apps embed: any record that reads, whatever its
    /// numbers (a body of none, more members with lived experience than members, counts at
    /// their limits), dates (long before, long after) and texts (blank, huge), is judged.
    #[test]
    fn every_record_that_reads_is_judged(
        values in prop::collection::vec((any::<usize>(), any::<usize>()), 1..8),
    ) {
        let text = include_str!("../examples/data/partnership_record.json");
        let line = serde_json::from_str::<Value>(text).unwrap().to_string();
        let doc = values
            .iter()
            .fold(line, |l, &(nth, with)| apply(&l, &Damage::Value { nth, with }));
        match from_json::<DecisionRecord>(&doc) {
            Ok(record) => judge(&record, &Charter::default()),
            Err(e) => short(&e.to_string())?,
        }
    }
}
