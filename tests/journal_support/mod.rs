//! Shared by the concurrency tests of every journal: the payload, four hammering writers,
//! and the fold that a serial replay computes.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::journal::{Envelope, Journal, JournalError, NewEvent, StreamId, verify_chain};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub const THREADS: u32 = 4;
pub const PER_THREAD: u32 = 2_500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Counted { thread: u32, n: u32 },
}

/// Appends `PER_THREAD` events from each of `THREADS` threads: even commands to one shared
/// stream (where writers collide), odd ones to the thread's own stream. A writer that hits a
/// conflict reads the stream's current sequence number and tries again. Returns how many
/// conflicts were retried.
pub fn hammer<J: Journal<Event = Event> + 'static>(journal: Arc<J>) -> u64 {
    let time: Timestamp = "2025-07-01T12:00:00Z".parse().unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let journal = Arc::clone(&journal);
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

/// The state a serial replay builds: for each thread, the commands it recorded, in order.
pub fn fold(envelopes: &[Envelope<Event>]) -> BTreeMap<u32, Vec<u32>> {
    let mut state: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for e in envelopes {
        let Event::Counted { thread, n } = e.event;
        state.entry(thread).or_default().push(n);
    }
    state
}

/// Nothing lost, nothing duplicated, each thread's commands in the order it issued them.
pub fn assert_complete(envelopes: &[Envelope<Event>]) {
    assert_eq!(envelopes.len(), (THREADS * PER_THREAD) as usize);
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
