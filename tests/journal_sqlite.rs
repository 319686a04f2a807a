//! The SQLite journal on real database files: reopening, chain verification, conflicts,
//! detection of a changed row, and four concurrent writers.
#![cfg(feature = "sqlite")]

use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::journal::{
    CorruptionReason, Journal, JournalError, NewEvent, SqliteJournal, StreamId, verify_chain,
};
use jiff::Timestamp;

mod journal_support;

use journal_support::{Event, PER_THREAD, THREADS, assert_complete, fold, hammer};

fn new(thread: u32, n: u32) -> NewEvent<Event> {
    let time: Timestamp = "2025-07-01T12:00:00Z".parse().unwrap();
    NewEvent::new(MemberId::new(1), time, Event::Counted { thread, n })
}

#[test]
fn appends_survive_reopening_and_a_stale_writer_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let a = StreamId::new("round:a").unwrap();
    let b = StreamId::new("round:b").unwrap();
    {
        let j = SqliteJournal::open(&path).unwrap();
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
    let j = SqliteJournal::<Event>::open(&path).unwrap();
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
}

#[test]
fn a_changed_row_is_reported_as_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let s = StreamId::new("s").unwrap();
    let j = SqliteJournal::open(&path).unwrap();
    for n in 0..5 {
        j.append(&s, u64::from(n), vec![new(0, n)]).unwrap();
    }
    drop(j);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn
        .execute(
            "UPDATE envelopes SET line = replace(line, '\"n\":3', '\"n\":9') WHERE position = 4",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let j = SqliteJournal::<Event>::open(&path).unwrap();
    for result in [j.read_all(), j.read_stream(&s)] {
        match result {
            Err(JournalError::Corruption {
                position: 4,
                reason: CorruptionReason::HashMismatch { .. },
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM envelopes WHERE position = 4", [])
        .unwrap();
    drop(conn);
    assert!(matches!(
        j.read_all(),
        Err(JournalError::Corruption { position: 4, .. })
    ));
}

#[test]
fn four_threads_on_an_sqlite_journal_lose_and_duplicate_nothing_and_replay_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let journal = Arc::new(SqliteJournal::open(&path).unwrap());
    hammer(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_complete(&live);
    drop(journal);
    let reopened = SqliteJournal::<Event>::open(&path).unwrap();
    let replayed = reopened.read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
    assert_eq!(replayed.len(), (THREADS * PER_THREAD) as usize);
}

#[test]
fn two_connections_to_one_database_still_refuse_a_stale_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let s = StreamId::new("s").unwrap();
    let first = SqliteJournal::open(&path).unwrap();
    let second = SqliteJournal::open(&path).unwrap();
    first.append(&s, 0, vec![new(0, 0)]).unwrap();
    assert!(matches!(
        second.append(&s, 0, vec![new(1, 0)]),
        Err(JournalError::Conflict { actual: 1, .. })
    ));
    second.append(&s, 1, vec![new(1, 0)]).unwrap();
    assert_eq!(verify_chain(&first.read_all().unwrap()), Ok(()));
    assert_eq!(first.read_all().unwrap().len(), 2);
}
