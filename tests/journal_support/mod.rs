//! Shared by the concurrency tests of every journal: the payload, four hammering writers
//! (of one-stream appends, or of batches over two streams), and the fold that a serial
//! replay computes; the contract of the journals that store their envelopes, checked on
//! each (`contract`); and (feature `postgres`) a schema of its own on the test server for
//! each PostgreSQL test (`server`).
#![allow(dead_code)]

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod contract;
#[cfg(feature = "postgres")]
pub mod server;

use std::collections::BTreeMap;
use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::journal::{
    BatchPart, Envelope, Journal, JournalError, NewEvent, StreamId, verify_chain,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub const THREADS: u32 = 4;
pub const PER_THREAD: u32 = 2_500;
/// How many two-stream batches each thread of [`hammer_batches`] appends.
pub const BATCHES_PER_THREAD: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Counted {
        thread: u32,
        n: u32,
    },
    /// One of the two events of command `n` of `thread` in [`hammer_batches`].
    Paired {
        thread: u32,
        n: u32,
    },
}

/// Appends `PER_THREAD` events from each of `THREADS` threads: even commands to one shared
/// stream (where writers collide), odd ones to the thread's own stream. A writer that hits a
/// conflict reads the stream's current sequence number and tries again. Returns how many
/// conflicts were retried.
pub fn hammer<J: Journal<Event = Event> + 'static>(journal: Arc<J>) -> u64 {
    hammer_on(|_| Arc::clone(&journal))
}

/// [`hammer`] with each thread on the journal `journal_for(thread)` gives: one shared
/// journal, or one connection each to the same database.
pub fn hammer_on<J: Journal<Event = Event> + 'static>(journal_for: impl Fn(u32) -> Arc<J>) -> u64 {
    let time: Timestamp = "2025-07-01T12:00:00Z".parse().unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let journal = journal_for(thread);
            std::thread::spawn(move || {
                let shared = StreamId::new("tally").unwrap();
                let own = StreamId::new(&format!("thread:{thread}")).unwrap();
                let mut conflicts = 0;
                for n in 0..PER_THREAD {
                    let stream = if n % 2 == 0 { &shared } else { &own };
                    let event = Event::Counted { thread, n };
                    loop {
                        let expected = journal.version(stream).unwrap();
                        let new = NewEvent::new(MemberId::new(thread.into()), time, event.clone());
                        match journal.append(stream, expected, vec![new]) {
                            Ok(envs) => {
                                assert_eq!(envs.len(), 1);
                                assert_eq!(envs[0].seq, expected + 1);
                                break;
                            }
                            Err(JournalError::Conflict { actual, .. }) => {
                                assert!(actual > expected);
                                conflicts += 1;
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

/// The streams of command `n` of `thread` in [`hammer_batches`], in the order of its parts:
/// the shared `tally`, and the shared `ledger` (even commands) or the thread's own stream
/// (odd ones); every third command names the second stream first.
pub fn paired_streams(thread: u32, n: u32) -> [StreamId; 2] {
    let tally = StreamId::new("tally").unwrap();
    let other = if n.is_multiple_of(2) {
        StreamId::new("ledger").unwrap()
    } else {
        StreamId::new(&format!("thread:{thread}")).unwrap()
    };
    if n.is_multiple_of(3) {
        [other, tally]
    } else {
        [tally, other]
    }
}

/// Appends `BATCHES_PER_THREAD` batches from each of `THREADS` threads, each batch one event
/// in each of the two streams of [`paired_streams`], so writers collide on `tally` always and
/// on `ledger` half the time. A writer that hits a conflict reads both streams' sequence
/// numbers again and tries again. Returns how many conflicts were retried.
pub fn hammer_batches<J: Journal<Event = Event> + 'static>(journal: Arc<J>) -> u64 {
    hammer_batches_on(|_| Arc::clone(&journal))
}

/// [`hammer_batches`] with each thread on the journal `journal_for(thread)` gives: one shared
/// journal, or one connection each to the same database.
pub fn hammer_batches_on<J: Journal<Event = Event> + 'static>(
    journal_for: impl Fn(u32) -> Arc<J>,
) -> u64 {
    let time: Timestamp = "2025-07-01T12:00:00Z".parse().unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let journal = journal_for(thread);
            std::thread::spawn(move || {
                let mut conflicts = 0;
                for n in 0..BATCHES_PER_THREAD {
                    let streams = paired_streams(thread, n);
                    loop {
                        let expected = streams.clone().map(|s| journal.version(&s).unwrap());
                        let parts = streams
                            .iter()
                            .zip(expected)
                            .map(|(stream, expected)| {
                                let event = Event::Paired { thread, n };
                                let new = NewEvent::new(MemberId::new(thread.into()), time, event);
                                BatchPart::new(stream.clone(), expected, vec![new])
                            })
                            .collect();
                        match journal.append_batch(parts) {
                            Ok(envs) => {
                                assert_eq!(envs.len(), 2);
                                for ((env, stream), expected) in
                                    envs.iter().zip(&streams).zip(expected)
                                {
                                    assert_eq!((&env.stream, env.seq), (stream, expected + 1));
                                }
                                break;
                            }
                            Err(JournalError::Conflict {
                                stream,
                                expected: stale,
                                actual,
                            }) => {
                                assert!(streams.contains(&stream));
                                assert!(actual > stale);
                                conflicts += 1;
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

/// The state a serial replay builds: for each thread, the commands it recorded, in order. A
/// command of [`hammer_batches`] is counted once, by the event that closes its batch.
pub fn fold(envelopes: &[Envelope<Event>]) -> BTreeMap<u32, Vec<u32>> {
    let mut state: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for e in envelopes {
        match e.event {
            Event::Counted { thread, n } => state.entry(thread).or_default().push(n),
            Event::Paired { thread, n } if e.last_in_batch => {
                state.entry(thread).or_default().push(n);
            }
            Event::Paired { .. } => {}
        }
    }
    state
}

/// What [`hammer_batches`] must leave: every batch whole, its two events side by side (in
/// the order of its parts, closed by the second alone), nothing lost or duplicated, each
/// thread's commands in the order it issued them, and each stream's events numbered without
/// a gap.
pub fn assert_batches_complete(envelopes: &[Envelope<Event>]) {
    let batches = (THREADS * BATCHES_PER_THREAD) as usize;
    assert_eq!(envelopes.len(), 2 * batches);
    assert_eq!(verify_chain(envelopes), Ok(()));
    for pair in envelopes.chunks_exact(2) {
        let (Event::Paired { thread, n }, Event::Paired { thread: t2, n: n2 }) =
            (&pair[0].event, &pair[1].event)
        else {
            panic!("not a pair: {pair:?}");
        };
        assert_eq!((thread, n), (t2, n2), "{pair:?}");
        assert_eq!(
            [pair[0].stream.clone(), pair[1].stream.clone()],
            paired_streams(*thread, *n)
        );
        assert_eq!(
            (pair[0].last_in_batch, pair[1].last_in_batch),
            (false, true)
        );
    }
    let state = fold(envelopes);
    assert_eq!(state.len(), THREADS as usize);
    for (thread, ns) in &state {
        assert_eq!(
            *ns,
            (0..BATCHES_PER_THREAD).collect::<Vec<_>>(),
            "thread {thread}"
        );
    }
    let seqs = |slug: &str| -> Vec<u64> {
        envelopes
            .iter()
            .filter(|e| e.stream.as_str() == slug)
            .map(|e| e.seq)
            .collect()
    };
    let count = |n: u32| (1..=u64::from(n)).collect::<Vec<_>>();
    assert_eq!(seqs("tally"), count(THREADS * BATCHES_PER_THREAD));
    assert_eq!(seqs("ledger"), count(THREADS * BATCHES_PER_THREAD / 2));
    for thread in 0..THREADS {
        assert_eq!(
            seqs(&format!("thread:{thread}")),
            count(BATCHES_PER_THREAD / 2)
        );
    }
}

/// Nothing lost, nothing duplicated, each thread's commands in the order it issued them.
pub fn assert_complete(envelopes: &[Envelope<Event>]) {
    assert_eq!(envelopes.len(), (THREADS * PER_THREAD) as usize);
    assert!(
        envelopes
            .iter()
            .all(|e| matches!(e.event, Event::Counted { .. }))
    );
    assert_eq!(verify_chain(envelopes), Ok(()));
    let state = fold(envelopes);
    assert_eq!(state.len(), THREADS as usize);
    for (thread, ns) in &state {
        assert_eq!(*ns, (0..PER_THREAD).collect::<Vec<_>>(), "thread {thread}");
    }
    let shared: Vec<_> = envelopes
        .iter()
        .filter(|e| e.stream.as_str() == "tally")
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        shared,
        (1..=(THREADS * PER_THREAD / 2) as u64).collect::<Vec<_>>()
    );
}
