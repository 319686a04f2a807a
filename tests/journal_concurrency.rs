//! Four threads appending 2,500 commands each to one shared journal lose and duplicate
//! nothing, and the state folded from the live journal equals a serial replay of the file.
//! The same for 1,000 atomic batches over two streams each: no batch is split, interleaved,
//! lost or duplicated.

mod journal_support;

use std::sync::Arc;

use coproduction::journal::{FileJournal, Journal, MemoryJournal, StreamId};
use journal_support::{
    BATCHES_PER_THREAD, Event, PER_THREAD, THREADS, assert_batches_complete, assert_complete, fold,
    hammer, hammer_batches,
};

#[test]
fn four_threads_on_a_memory_journal_lose_and_duplicate_nothing() {
    let journal = Arc::new(MemoryJournal::new());
    hammer(Arc::clone(&journal));
    assert_complete(&journal.read_all().unwrap());
}

#[test]
fn four_threads_on_a_file_journal_lose_and_duplicate_nothing_and_replay_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (journal, _) = FileJournal::open(&path).unwrap();
    let journal = Arc::new(journal);
    hammer(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_complete(&live);
    drop(journal);

    let (reopened, report) = FileJournal::<Event>::open(&path).unwrap();
    assert_eq!(report.events, u64::from(THREADS * PER_THREAD));
    assert_eq!(report.torn_tail, None);
    let replayed = reopened.read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
    for thread in 0..THREADS {
        let own = StreamId::new(&format!("thread:{thread}")).unwrap();
        assert_eq!(
            reopened.read_stream(&own).unwrap().len(),
            (PER_THREAD / 2) as usize
        );
    }
}

#[test]
fn four_threads_of_two_stream_batches_on_a_memory_journal_lose_and_duplicate_nothing() {
    let journal = Arc::new(MemoryJournal::new());
    hammer_batches(Arc::clone(&journal));
    assert_batches_complete(&journal.read_all().unwrap());
}

#[test]
fn four_threads_of_two_stream_batches_on_a_file_journal_lose_and_duplicate_nothing_and_replay_alike()
 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (journal, _) = FileJournal::open(&path).unwrap();
    let journal = Arc::new(journal);
    hammer_batches(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_batches_complete(&live);
    drop(journal);

    let (reopened, report) = FileJournal::<Event>::open(&path).unwrap();
    assert_eq!(report.events, u64::from(2 * THREADS * BATCHES_PER_THREAD));
    assert_eq!(report.torn_tail, None);
    let replayed = reopened.read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
    let tally = StreamId::new("tally").unwrap();
    assert_eq!(
        reopened.version(&tally).unwrap(),
        u64::from(THREADS * BATCHES_PER_THREAD)
    );
}
