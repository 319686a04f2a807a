//! Fault tests for the file journal: a journal cut at every byte offset reopens with exactly
//! the whole events before the cut; every single changed byte is detected.

use std::path::Path;

use coproduction::community::MemberId;
use coproduction::journal::{
    CorruptionReason, Envelope, FileJournal, Journal, JournalError, NewEvent, StreamId,
};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Event {
    Counted { thread: u32, n: u32 },
    Noted { text: String },
}

type J = FileJournal<Event>;

/// Writes a journal of `count` single-event batches over three streams and returns its
/// envelopes and bytes.
fn build(path: &Path, count: u32) -> (Vec<Envelope<Event>>, Vec<u8>) {
    let (journal, _) = J::open(path).unwrap();
    let streams: Vec<StreamId> = ["consent-round:1", "proposal:2", "funding:3"]
        .iter()
        .map(|s| StreamId::new(s).unwrap())
        .collect();
    let start: Timestamp = "2025-03-01T09:00:00Z".parse().unwrap();
    for n in 0..count {
        let stream = &streams[n as usize % streams.len()];
        let expected = journal.version(stream).unwrap();
        let event = if n % 7 == 0 {
            Event::Noted {
                text: format!("note {n}: \"quoted\" and unicode \u{e9}"),
            }
        } else {
            Event::Counted { thread: n % 4, n }
        };
        let time = start + SignedDuration::from_secs(i64::from(n) * 60);
        journal
            .append(
                stream,
                expected,
                vec![NewEvent::new(MemberId::new(u64::from(n % 5)), time, event)],
            )
            .unwrap();
    }
    let envelopes = journal.read_all().unwrap();
    drop(journal);
    (envelopes, std::fs::read(path).unwrap())
}

/// The byte offsets just after each newline.
fn line_ends(bytes: &[u8]) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect()
}

fn check_cut(path: &Path, bytes: &[u8], ends: &[usize], all: &[Envelope<Event>], cut: usize) {
    std::fs::write(path, &bytes[..cut]).unwrap();
    let (journal, report) = J::open(path).unwrap();
    let whole = ends.partition_point(|&end| end <= cut);
    let boundary = if whole == 0 { 0 } else { ends[whole - 1] };
    assert_eq!(report.events, whole as u64, "cut at {cut}");
    let expected_tail = (cut > boundary).then(|| (boundary as u64, (cut - boundary) as u64));
    assert_eq!(
        report.torn_tail.map(|t| (t.offset, t.bytes)),
        expected_tail,
        "cut at {cut}"
    );
    assert_eq!(journal.read_all().unwrap(), all[..whole], "cut at {cut}");
}

#[test]
fn a_journal_cut_at_every_byte_offset_keeps_exactly_the_whole_events_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (all, bytes) = build(&dir.path().join("full.jsonl"), 100);
    let ends = line_ends(&bytes);
    assert_eq!(ends.len(), 100);
    let path = dir.path().join("cut.jsonl");
    for cut in 0..=bytes.len() {
        check_cut(&path, &bytes, &ends, &all, cut);
    }
}

/// A small deterministic generator (an LCG from Knuth's MMIX constants), so the offsets are
/// the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn random_cuts(cuts: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (all, bytes) = build(&dir.path().join("full.jsonl"), 10_000);
    let ends = line_ends(&bytes);
    assert_eq!(ends.len(), 10_000);
    let path = dir.path().join("cut.jsonl");
    let mut rng = Lcg(0x5eed_2025);
    for _ in 0..cuts {
        let cut = rng.below(bytes.len() + 1);
        check_cut(&path, &bytes, &ends, &all, cut);
    }
}

// Each reopen verifies the whole prefix before the cut, so 2,000 reopens of a 10,000-event
// journal read about ten million lines: seconds in an optimised build, minutes in a debug
// one. Debug runs (CI) take the first 40 of the same offsets.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "2,000 reopens: run with `cargo test --release --all-features --test journal_faults -- --include-ignored`"
)]
fn a_large_journal_cut_at_2000_random_offsets_keeps_exactly_the_whole_events_before_the_cut() {
    random_cuts(2_000);
}

#[test]
fn a_large_journal_cut_at_40_random_offsets_keeps_exactly_the_whole_events_before_the_cut() {
    random_cuts(40);
}

/// Changes every byte of a 100-event journal in turn with `pattern` and reopens it.
fn flip_every_byte(pattern: u8) {
    let dir = tempfile::tempdir().unwrap();
    let (all, bytes) = build(&dir.path().join("full.jsonl"), 100);
    let ends = line_ends(&bytes);
    let last_start = ends[98];
    let path = dir.path().join("flipped.jsonl");
    {
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= pattern;
            std::fs::write(&path, &flipped).unwrap();
            let opened = J::open(&path);
            if i == bytes.len() - 1 {
                // The final newline: the last line is now unfinished, a torn tail.
                let (journal, report) = opened.unwrap();
                assert_eq!(report.events, 99);
                assert_eq!(
                    report
                        .torn_tail
                        .map(|t| (t.offset, t.bytes, t.finished_lines)),
                    Some((last_start as u64, (bytes.len() - last_start) as u64, 0))
                );
                assert_eq!(journal.read_all().unwrap(), all[..99]);
                continue;
            }
            let line = 1 + ends.partition_point(|&end| end <= i) as u64;
            match opened {
                Err(JournalError::Corruption { position, .. }) => assert_eq!(
                    position, line,
                    "byte {i} ^ {pattern:#04x} reported at the wrong position"
                ),
                Err(other) => panic!("byte {i} ^ {pattern:#04x}: unexpected error {other}"),
                Ok((_, report)) => panic!(
                    "byte {i} ^ {pattern:#04x} went undetected: {} events, tail {:?}",
                    report.events, report.torn_tail
                ),
            }
        }
    }
}

#[test]
fn every_single_byte_changed_in_its_lowest_bit_is_detected() {
    flip_every_byte(0x01); // digits, letters, punctuation: a JSON that may still parse
}

#[test]
fn every_single_byte_changed_in_its_highest_bit_is_detected() {
    flip_every_byte(0x80); // invalid UTF-8
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "more patterns: run with `--release -- --include-ignored`"
)]
fn every_single_byte_changed_by_other_patterns_is_detected() {
    flip_every_byte(0x20); // letter case: a hash has one spelling
    flip_every_byte(0xff);
}

#[test]
fn a_corrupt_journal_names_the_first_bad_position_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let (_, bytes) = build(&path, 10);
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();

    // A changed payload that still parses is caught by the hash.
    let changed = lines[3].replacen("\"n\":3", "\"n\":8", 1);
    assert_ne!(changed, lines[3]);
    let mut edited = lines.clone();
    edited[3] = &changed;
    std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    match J::open(&path) {
        Err(JournalError::Corruption {
            position: 4,
            reason: CorruptionReason::HashMismatch { .. },
            ..
        }) => {}
        other => panic!("{other:?}"),
    }

    // A deleted line breaks the chain after it.
    lines.remove(5);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    match J::open(&path) {
        Err(e @ JournalError::Corruption { position: 6, .. }) => {
            assert!(e.to_string().contains("corrupt at position 6"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_next_append_cuts_a_torn_tail_away() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let (all, bytes) = build(&path, 5);
    let ends = line_ends(&bytes);
    std::fs::write(&path, &bytes[..ends[3] + 40]).unwrap();
    let (journal, report) = J::open(&path).unwrap();
    assert_eq!(
        report
            .torn_tail
            .map(|t| (t.offset, t.bytes, t.finished_lines)),
        Some((ends[3] as u64, 40, 0)),
        "the unfinished fifth line"
    );
    let stream = all[4].stream.clone();
    let version = journal.version(&stream).unwrap();
    let time: Timestamp = "2025-03-02T09:00:00Z".parse().unwrap();
    let text = "after the crash".to_owned();
    journal
        .append(
            &stream,
            version,
            vec![NewEvent::new(MemberId::new(1), time, Event::Noted { text })],
        )
        .unwrap();
    drop(journal);
    let (journal, report) = J::open(&path).unwrap();
    assert_eq!(report.torn_tail, None);
    let reread = journal.read_all().unwrap();
    assert_eq!(reread.len(), 5);
    assert_eq!(reread[..4], all[..4]);
}
