//! Replaying 100,000 events from a file journal (open, which verifies every hash and link,
//! then read all), against bare `serde_json` parsing of the same lines in the same group.
//!
//! The main baseline reads the file and parses each line with `serde_json::from_str` into
//! the same `Envelope` type, with no verification. The journal does all of that work and
//! more: it checks every line's BLAKE3 hash, every position, `prev` link, sequence number
//! and batch, indexes the streams, and `read_all` then copies every envelope out. It parses
//! each line once, reading the envelope's frame (every field but `event`) with its own
//! reader for the canonical layout it writes, falling back to `serde_json` for the whole
//! line otherwise, and the event with `serde_json`; it shares one `StreamId` per stream
//! where the baseline allocates one per line. A second baseline parses into
//! `serde_json::Value`. Each measurement includes dropping what it built.

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
    group.bench_function(
        BenchmarkId::new("baseline_serde_json_envelopes", EVENTS),
        |b| {
            b.iter(|| {
                let text = std::fs::read_to_string(black_box(&path)).unwrap();
                let envelopes: Vec<Envelope<Event>> = text
                    .lines()
                    .map(|line| serde_json::from_str(line).unwrap())
                    .collect();
                assert_eq!(envelopes.len(), EVENTS as usize);
                envelopes
            })
        },
    );
    group.bench_function(BenchmarkId::new("baseline_serde_json_value", EVENTS), |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(black_box(&path)).unwrap();
            let values: Vec<serde_json::Value> = text
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect();
            assert_eq!(values.len(), EVENTS as usize);
            values
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
    group.bench_function(BenchmarkId::new("file_journal_open", EVENTS), |b| {
        b.iter(|| FileJournal::<Event>::open(black_box(&path)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
