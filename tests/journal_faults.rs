//! Fault tests for the file journal: a journal cut at every byte offset reopens with exactly
//! the whole batches before the cut (a batch over several streams included: a cut inside it
//! leaves none of its parts); every single changed byte is detected.

use std::path::Path;

use coproduction::community::MemberId;
use coproduction::journal::{
    BatchPart, CorruptionReason, Envelope, FileJournal, Journal, JournalError, NewEvent, StreamId,
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

/// A journal as written: its envelopes, its bytes, the offset just after each newline, and
/// its batches.
struct Built {
    all: Vec<Envelope<Event>>,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    batches: Vec<Batch>,
}

/// One batch of a written journal.
struct Batch {
    /// The byte offset just after its closing line.
    end: usize,
    /// How many envelopes the journal holds up to and including this batch.
    events: usize,
    /// The streams it writes, each with its last sequence number before the batch.
    streams: Vec<(StreamId, u64)>,
}

impl Built {
    /// How many byte offsets fall strictly inside a batch over several streams.
    fn offsets_inside_multi_stream_batches(&self) -> usize {
        let mut start = 0;
        let mut inside = 0;
        for batch in &self.batches {
            if batch.streams.len() > 1 {
                inside += batch.end - start - 1;
            }
            start = batch.end;
        }
        inside
    }
}

/// Writes a journal of `count` commands over three streams and returns what it wrote. Most
/// commands are batches of one event; every tenth ends a consent round together with the
/// decision it decides for, one batch over several streams: the round and a proposal (two
/// events), or a funding decision, the round and the proposal, in that order. The batches
/// are the calls made, not what the journal's flags say.
fn build(path: &Path, count: u32) -> Built {
    let (journal, _) = J::open(path).unwrap();
    let streams: Vec<StreamId> = ["consent-round:1", "proposal:2", "funding:3"]
        .iter()
        .map(|s| StreamId::new(s).unwrap())
        .collect();
    let [round, proposal, funding] = [0, 1, 2].map(|i| streams[i].clone());
    let start: Timestamp = "2025-03-01T09:00:00Z".parse().unwrap();
    // Per call: how many envelopes it wrote, and its streams with their versions before it.
    let mut calls: Vec<(usize, Vec<(StreamId, u64)>)> = Vec::new();
    for n in 0..count {
        let time = start + SignedDuration::from_secs(i64::from(n) * 60);
        let new = |event| NewEvent::new(MemberId::new(u64::from(n % 5)), time, event);
        let counted = |k: u32| new(Event::Counted { thread: k, n });
        let part = |stream: &StreamId, events| {
            BatchPart::new(stream.clone(), journal.version(stream).unwrap(), events)
        };
        if n % 10 == 9 {
            let decided = new(Event::Noted {
                text: format!("round decided at command {n}"),
            });
            let parts = if n % 20 == 9 {
                vec![
                    part(&round, vec![decided]),
                    part(&proposal, vec![counted(0), counted(1)]),
                ]
            } else {
                vec![
                    part(&funding, vec![counted(0)]),
                    part(&round, vec![decided]),
                    part(&proposal, vec![counted(1)]),
                ]
            };
            let streams = parts
                .iter()
                .map(|p| (p.stream.clone(), p.expected))
                .collect();
            calls.push((journal.append_batch(parts).unwrap().len(), streams));
            continue;
        }
        let stream = &streams[n as usize % streams.len()];
        let expected = journal.version(stream).unwrap();
        let event = if n % 7 == 0 {
            Event::Noted {
                text: format!("note {n}: \"quoted\" and unicode \u{e9}"),
            }
        } else {
            Event::Counted { thread: n % 4, n }
        };
        let written = journal.append(stream, expected, vec![new(event)]).unwrap();
        calls.push((written.len(), vec![(stream.clone(), expected)]));
    }
    let all = journal.read_all().unwrap();
    drop(journal);
    let bytes = std::fs::read(path).unwrap();
    let ends = line_ends(&bytes);
    assert_eq!(ends.len(), all.len());
    let mut events = 0;
    let batches = calls
        .into_iter()
        .map(|(written, streams)| {
            events += written;
            Batch {
                end: ends[events - 1],
                events,
                streams,
            }
        })
        .collect();
    Built {
        all,
        bytes,
        ends,
        batches,
    }
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

/// Cuts the journal at `cut` and reopens it: it holds exactly the whole batches before the
/// cut, and reports what follows them as a torn tail. A cut inside a batch leaves none of
/// its parts: each stream it writes is where it was before it. Returns whether the cut fell
/// inside a batch over several streams.
fn check_cut(path: &Path, built: &Built, cut: usize) -> bool {
    std::fs::write(path, &built.bytes[..cut]).unwrap();
    let (journal, report) = J::open(path).unwrap();
    let done = built.batches.partition_point(|batch| batch.end <= cut);
    let (boundary, whole) = match done.checked_sub(1) {
        Some(last) => (built.batches[last].end, built.batches[last].events),
        None => (0, 0),
    };
    let lines = built.ends.partition_point(|&end| end <= cut);
    assert_eq!(report.events, whole as u64, "cut at {cut}");
    let expected_tail = (cut > boundary).then(|| {
        (
            boundary as u64,
            (cut - boundary) as u64,
            (lines - whole) as u64,
        )
    });
    assert_eq!(
        report
            .torn_tail
            .map(|t| (t.offset, t.bytes, t.finished_lines)),
        expected_tail,
        "cut at {cut}"
    );
    assert_eq!(
        journal.read_all().unwrap(),
        built.all[..whole],
        "cut at {cut}"
    );
    match built.batches.get(done) {
        Some(torn) if cut > boundary => {
            for (stream, before) in &torn.streams {
                assert_eq!(
                    journal.version(stream).unwrap(),
                    *before,
                    "cut at {cut}: stream {stream}"
                );
                assert_eq!(
                    journal.read_stream(stream).unwrap().len() as u64,
                    *before,
                    "cut at {cut}: stream {stream}"
                );
            }
            torn.streams.len() > 1
        }
        _ => false,
    }
}

#[test]
fn a_journal_cut_at_every_byte_offset_keeps_exactly_the_whole_batches_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let built = build(&dir.path().join("full.jsonl"), 100);
    // 90 single events, 10 batches of three events over two or three streams.
    assert_eq!(built.ends.len(), 120);
    assert_eq!(built.batches.len(), 100);
    let path = dir.path().join("cut.jsonl");
    let mut inside_multi_stream = 0;
    for cut in 0..=built.bytes.len() {
        inside_multi_stream += usize::from(check_cut(&path, &built, cut));
    }
    // Every offset inside each batch over several streams was cut and left none of it.
    assert_eq!(
        inside_multi_stream,
        built.offsets_inside_multi_stream_batches()
    );
    assert!(inside_multi_stream > 1_000, "{inside_multi_stream}");
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
    let built = build(&dir.path().join("full.jsonl"), 10_000);
    assert_eq!(built.ends.len(), 12_000);
    let path = dir.path().join("cut.jsonl");
    let mut rng = Lcg(0x5eed_2025);
    for _ in 0..cuts {
        let cut = rng.below(built.bytes.len() + 1);
        check_cut(&path, &built, cut);
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
fn a_large_journal_cut_at_2000_random_offsets_keeps_exactly_the_whole_batches_before_the_cut() {
    random_cuts(2_000);
}

#[test]
fn a_large_journal_cut_at_40_random_offsets_keeps_exactly_the_whole_batches_before_the_cut() {
    random_cuts(40);
}

/// Changes every byte of a 100-command journal in turn with `pattern` and reopens it.
fn flip_every_byte(pattern: u8) {
    let dir = tempfile::tempdir().unwrap();
    let Built {
        all,
        bytes,
        ends,
        batches,
    } = build(&dir.path().join("full.jsonl"), 100);
    // The journal ends with a batch over three streams, of three lines.
    let [.., before_last, last] = &batches[..] else {
        panic!("fewer than two batches");
    };
    assert_eq!(
        (last.streams.len(), last.events - before_last.events),
        (3, 3)
    );
    let path = dir.path().join("flipped.jsonl");
    {
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= pattern;
            std::fs::write(&path, &flipped).unwrap();
            let opened = J::open(&path);
            if i == bytes.len() - 1 {
                // The final newline: the last line is now unfinished, and the last batch with
                // it, a torn tail with its two finished lines.
                let (journal, report) = opened.unwrap();
                let start = before_last.end;
                assert_eq!(report.events, before_last.events as u64);
                assert_eq!(
                    report
                        .torn_tail
                        .map(|t| (t.offset, t.bytes, t.finished_lines)),
                    Some((start as u64, (bytes.len() - start) as u64, 2))
                );
                assert_eq!(journal.read_all().unwrap(), all[..before_last.events]);
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
    let text = String::from_utf8(build(&path, 10).bytes).unwrap();
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
    let Built {
        all, bytes, ends, ..
    } = build(&path, 5);
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
