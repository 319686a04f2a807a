//! Replaying 100,000 events from a file journal (open, which verifies every hash and link,
//! then read all), against floors in the same group. The file (about 13 MB) and the
//! envelopes parsed from it together exceed a 32 MB last-level cache.
//!
//! - `floor_typed_parse_blake3`: read the file, parse each line with `serde_json::from_str`
//!   into the same `Envelope` type and hash each line once with BLAKE3. Opening a journal
//!   must at least parse every line and hash it to check the chain, so this is the floor.
//! - `floor_typed_parse`: the same without the hashing (the parse alone).
//!
//! The journal does more than either: it checks every position, `prev` link, sequence
//! number and batch, and indexes the streams. It parses each line once, reading the
//! envelope's frame (every field but `event`) with its own reader for the canonical layout
//! it writes, falling back to `serde_json` for the whole line otherwise, and the event with
//! `serde_json`; it shares one `StreamId` per stream where the floors allocate one per line.
//! `file_journal_open_and_read_all` then copies every envelope out (`read_all`);
//! `file_journal_open_and_read_all_with` lends them instead (`read_all_with`). Each
//! measurement includes dropping what it built.

use std::hint::black_box;

use coproduction::community::MemberId;
use coproduction::journal::{Envelope, FileJournal, Journal, NewEvent, StreamId};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

const EVENTS: u32 = 100_000;
const BATCH: u32 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Event {
    Counted { thread: u32, n: u32 },
    Noted { text: String },
}

fn write_journal(path: &std::path::Path) {
    let (journal, _) = FileJournal::<Event>::open(path).unwrap();
    let streams: Vec<StreamId> = (0..20)
        .map(|i| StreamId::new(&format!("consent-round:{i}")).unwrap())
        .collect();
    let start: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    for b in 0..EVENTS / BATCH {
        let stream = &streams[(b % 20) as usize];
        let expected = journal.version(stream).unwrap();
        let batch = (0..BATCH)
            .map(|i| {
                let n = b * BATCH + i;
                let event = if n.is_multiple_of(10) {
                    Event::Noted {
                        text: format!("we changed the agenda after item {n}"),
                    }
                } else {
                    Event::Counted { thread: n % 4, n }
                };
                let time = start + SignedDuration::from_secs(i64::from(n));
                NewEvent::new(MemberId::new(u64::from(n % 50)), time, event)
            })
            .collect();
        journal.append(stream, expected, batch).unwrap();
    }
}

fn replay(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    write_journal(&path);

    let mut group = c.benchmark_group("replay_100k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(EVENTS)));
    // Floor: a typed parse of every line plus one BLAKE3 hash of it, the least work that
    // both reads every envelope and could check a hash chain.
    group.bench_function(BenchmarkId::new("floor_typed_parse_blake3", EVENTS), |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(black_box(&path)).unwrap();
            let envelopes: Vec<(Envelope<Event>, blake3::Hash)> = text
                .lines()
                .map(|line| {
                    (
                        serde_json::from_str(line).unwrap(),
                        blake3::hash(line.as_bytes()),
                    )
                })
                .collect();
            assert_eq!(envelopes.len(), EVENTS as usize);
            envelopes
        })
    });
    // The parse alone, for reference: no hashing, so below what a verifying reader can do.
    group.bench_function(BenchmarkId::new("floor_typed_parse", EVENTS), |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(black_box(&path)).unwrap();
            let envelopes: Vec<Envelope<Event>> = text
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect();
            assert_eq!(envelopes.len(), EVENTS as usize);
            envelopes
        })
    });
    group.bench_function(
        BenchmarkId::new("file_journal_open_and_read_all", EVENTS),
        |b| {
            b.iter(|| {
                let (journal, report) = FileJournal::<Event>::open(black_box(&path)).unwrap();
                assert_eq!(report.events, u64::from(EVENTS));
                journal.read_all().unwrap()
            })
        },
    );
    group.bench_function(
        BenchmarkId::new("file_journal_open_and_read_all_with", EVENTS),
        |b| {
            b.iter(|| {
                let (journal, report) = FileJournal::<Event>::open(black_box(&path)).unwrap();
                assert_eq!(report.events, u64::from(EVENTS));
                let seen = journal.read_all_with(|lent| black_box(lent).len());
                assert_eq!(seen, Ok(EVENTS as usize));
                journal
            })
        },
    );
    group.bench_function(BenchmarkId::new("file_journal_open", EVENTS), |b| {
        b.iter(|| FileJournal::<Event>::open(black_box(&path)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
