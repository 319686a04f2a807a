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

use coproduction::community::Community;
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent, Request};
use coproduction::funding::FundingPolicy;
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::{Journal, MemoryJournal};
use coproduction::limits::from_json;
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{Charter, DecisionRecord};
use proptest::prelude::*;
use serde_json::Value;

mod engine_support;
mod wire_damage;

use engine_support::*;
use wire_damage::*;

fn journalled(engine: &Engine<MemoryJournal<EngineEvent>>) -> usize {
    engine.journal().read_all().unwrap().len()
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
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn damaged_lines_are_taken_or_refused_with_nothing_written(damaged in damaged_line()) {
        let DamagedLine { lines, n, line } = damaged;
        let engine = engine_after(&lines, n);
        let before = journalled(&engine);
        let control = engine_after(&lines, n);
        let expected = control.handle_json(&lines[n]).map(|e| e.len());
        match engine.handle_json(&line) {
            Err(refused) => {
                prop_assert_eq!(journalled(&engine), before, "a refused line wrote: {}", line);
                said_in_short(&refused.to_string(), 1000)?;
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

/// A refusal's message about a document, said in short (a governance map refused is told
/// every case each kind of decision leaves without a deciding body: the crate's own words,
/// as long as the map's gaps are many).
fn short(message: &str) -> Result<(), TestCaseError> {
    said_in_short(message, 16_000)
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
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

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
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

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

#[test]
fn a_value_damaged_where_earlier_damage_left_a_bare_value_replaces_it() {
    // The first replacement of a number is 0, of a string the empty string.
    let damage = Damage::Value { nth: 0, with: 0 };
    assert_eq!(apply("123", &damage), "0");
    assert_eq!(apply("\"text\"", &damage), "\"\"");
    // A line that is not JSON at all is left as it is.
    assert_eq!(apply("{not json", &damage), "{not json");
}
