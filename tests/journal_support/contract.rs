//! The contract every journal that stores its envelopes keeps across reopening and across
//! writers, checked the same way on each: `open` opens the one store the test set up (the
//! same database every call, a new journal and connection each time).

use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::journal::{BatchPart, Journal, JournalError, NewEvent, StreamId, verify_chain};
use jiff::Timestamp;

use super::{
    Event, PER_THREAD, THREADS, assert_batches_complete, assert_complete, fold, hammer,
    hammer_batches,
};

/// Event `n` of `thread`, recorded by member 1.
pub fn new(thread: u32, n: u32) -> NewEvent<Event> {
    let time: Timestamp = "2025-07-01T12:00:00Z".parse().unwrap();
    NewEvent::new(MemberId::new(1), time, Event::Counted { thread, n })
}

/// The part of a batch that appends events `ns` (of thread 0) to `stream`.
pub fn part(stream: &StreamId, expected: u64, ns: &[u32]) -> BatchPart<Event> {
    BatchPart::new(
        stream.clone(),
        expected,
        ns.iter().map(|&n| new(0, n)).collect(),
    )
}

/// Appends survive reopening, numbered and chained; a stale writer is refused and writes
/// nothing; an empty append only checks. Returns the journal reopened.
pub fn appends_survive_reopening_and_a_stale_writer_writes_nothing<J>(open: impl Fn() -> J) -> J
where
    J: Journal<Event = Event>,
{
    let a = StreamId::new("round:a").unwrap();
    let b = StreamId::new("round:b").unwrap();
    {
        let j = open();
        j.append(&a, 0, vec![new(0, 0), new(0, 1)]).unwrap();
        j.append(&b, 0, vec![new(1, 0)]).unwrap();
        let err = j.append(&a, 1, vec![new(0, 2)]).unwrap_err();
        assert_eq!(
            err,
            JournalError::Conflict {
                stream: a.clone(),
                expected: 1,
                actual: 2
            }
        );
        assert!(j.append(&a, 2, vec![]).unwrap().is_empty());
    }
    let j = open();
    let all = j.read_all().unwrap();
    assert_eq!(verify_chain(&all), Ok(()));
    assert_eq!(
        all.iter()
            .map(|e| (e.position, e.stream.as_str(), e.seq, e.last_in_batch))
            .collect::<Vec<_>>(),
        [
            (1, "round:a", 1, false),
            (2, "round:a", 2, true),
            (3, "round:b", 1, true)
        ]
    );
    assert_eq!(j.read_stream(&a).unwrap(), all[..2]);
    assert_eq!(j.version(&a).unwrap(), 2);
    assert_eq!(j.version(&StreamId::new("none").unwrap()).unwrap(), 0);
    assert_eq!(j.read_after(1).unwrap(), all[1..]);
    assert!(j.read_after(3).unwrap().is_empty());
    j
}

/// Two journals on one store: the second, stale, is refused, then appends after the first;
/// the first reads what the second wrote.
pub fn two_writers_on_one_store_still_refuse_a_stale_writer<J>(open: impl Fn() -> J)
where
    J: Journal<Event = Event>,
{
    let s = StreamId::new("s").unwrap();
    let first = open();
    let second = open();
    first.append(&s, 0, vec![new(0, 0)]).unwrap();
    assert_eq!(
        second.append(&s, 0, vec![new(1, 0)]),
        Err(JournalError::Conflict {
            stream: s.clone(),
            expected: 0,
            actual: 1
        })
    );
    second.append(&s, 1, vec![new(1, 0)]).unwrap();
    let all = first.read_all().unwrap();
    assert_eq!(verify_chain(&all), Ok(()));
    assert_eq!(all.len(), 2);
    assert_eq!(first.read_after(1).unwrap(), all[1..]);
}

/// A batch over two streams survives reopening as one batch, each stream reading its part.
pub fn a_batch_over_two_streams_survives_reopening_as_one_batch<J>(open: impl Fn() -> J)
where
    J: Journal<Event = Event>,
{
    let round = StreamId::new("consent-round:1").unwrap();
    let proposal = StreamId::new("proposal:2").unwrap();
    let written = {
        let j = open();
        j.append(&proposal, 0, vec![new(0, 0)]).unwrap();
        j.append(&round, 0, vec![new(0, 1)]).unwrap();
        j.append_batch(vec![part(&round, 1, &[2]), part(&proposal, 1, &[3, 4])])
            .unwrap()
    };
    let j = open();
    let all = j.read_all().unwrap();
    assert_eq!(verify_chain(&all), Ok(()));
    assert_eq!(all[2..], written[..]);
    assert_eq!(
        all.iter()
            .map(|e| (e.position, e.stream.as_str(), e.seq, e.last_in_batch))
            .collect::<Vec<_>>(),
        [
            (1, "proposal:2", 1, true),
            (2, "consent-round:1", 1, true),
            (3, "consent-round:1", 2, false),
            (4, "proposal:2", 2, false),
            (5, "proposal:2", 3, true),
        ]
    );
    assert_eq!(
        j.read_stream(&round).unwrap(),
        [all[1].clone(), all[2].clone()]
    );
    assert_eq!(
        j.read_stream(&proposal).unwrap(),
        [all[0].clone(), all[3].clone(), all[4].clone()]
    );
    assert_eq!(
        (j.version(&round).unwrap(), j.version(&proposal).unwrap()),
        (2, 3)
    );
    // A cursor inside the batch reads the rest of it.
    assert_eq!(j.read_after(3).unwrap(), all[3..]);
}

/// A batch stale in one part, written through a second journal on the store, writes nothing
/// to either stream; so does one naming a stream twice; read again, it is written whole.
pub fn a_batch_stale_in_one_part_through_another_writer_writes_nothing<J>(open: impl Fn() -> J)
where
    J: Journal<Event = Event>,
{
    let round = StreamId::new("consent-round:1").unwrap();
    let proposal = StreamId::new("proposal:2").unwrap();
    let first = open();
    let second = open();
    first.append(&round, 0, vec![new(0, 0)]).unwrap();
    // The second writer read both streams before the first wrote to the proposal.
    first.append(&proposal, 0, vec![new(0, 1)]).unwrap();
    assert_eq!(
        second.append_batch(vec![part(&round, 1, &[2]), part(&proposal, 0, &[3])]),
        Err(JournalError::Conflict {
            stream: proposal.clone(),
            expected: 0,
            actual: 1
        })
    );
    assert_eq!(
        second.append_batch(vec![part(&round, 1, &[2]), part(&round, 1, &[3])]),
        Err(JournalError::DuplicateStream {
            stream: round.clone()
        })
    );
    assert_eq!(first.read_all().unwrap().len(), 2);
    assert_eq!(first.version(&round).unwrap(), 1);
    // Read again, it is written whole.
    let written = second
        .append_batch(vec![part(&round, 1, &[2]), part(&proposal, 1, &[3])])
        .unwrap();
    assert_eq!(
        written.iter().map(|e| e.position).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(verify_chain(&first.read_all().unwrap()), Ok(()));
}

/// Four threads hammer one shared journal ([`hammer`]); it loses and duplicates nothing,
/// and reopened it replays alike.
pub fn four_threads_on_one_journal_replay_alike<J>(open: impl Fn() -> J)
where
    J: Journal<Event = Event> + 'static,
{
    let journal = Arc::new(open());
    hammer(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_complete(&live);
    drop(journal);
    let replayed = open().read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
    assert_eq!(replayed.len(), (THREADS * PER_THREAD) as usize);
}

/// Four threads append two-stream batches to one shared journal ([`hammer_batches`]);
/// reopened, it replays alike.
pub fn four_threads_of_batches_on_one_journal_replay_alike<J>(open: impl Fn() -> J)
where
    J: Journal<Event = Event> + 'static,
{
    let journal = Arc::new(open());
    hammer_batches(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_batches_complete(&live);
    drop(journal);
    let replayed = open().read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
}
