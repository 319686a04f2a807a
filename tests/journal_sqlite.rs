//! The SQLite journal on real database files: reopening, chain verification, conflicts,
//! detection of a changed row, and four concurrent writers; the same for atomic batches over
//! several streams, with writers sharing a connection or each on its own.
#![cfg(feature = "sqlite")]

use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::journal::{
    BatchPart, CorruptionReason, Journal, JournalError, NewEvent, SqliteJournal, StreamId,
    verify_chain,
};
use jiff::Timestamp;

mod journal_support;

use journal_support::{
    BATCHES_PER_THREAD, Event, PER_THREAD, THREADS, assert_batches_complete, assert_complete, fold,
    hammer, hammer_batches, hammer_batches_on,
};

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

fn part(stream: &StreamId, expected: u64, ns: &[u32]) -> BatchPart<Event> {
    BatchPart::new(
        stream.clone(),
        expected,
        ns.iter().map(|&n| new(0, n)).collect(),
    )
}

#[test]
fn a_batch_over_two_streams_survives_reopening_as_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let round = StreamId::new("consent-round:1").unwrap();
    let proposal = StreamId::new("proposal:2").unwrap();
    let written = {
        let j = SqliteJournal::open(&path).unwrap();
        j.append(&proposal, 0, vec![new(0, 0)]).unwrap();
        j.append(&round, 0, vec![new(0, 1)]).unwrap();
        j.append_batch(vec![part(&round, 1, &[2]), part(&proposal, 1, &[3, 4])])
            .unwrap()
    };
    let j = SqliteJournal::<Event>::open(&path).unwrap();
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
}

#[test]
fn a_batch_stale_in_one_part_through_another_connection_writes_nothing_to_either_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let round = StreamId::new("consent-round:1").unwrap();
    let proposal = StreamId::new("proposal:2").unwrap();
    let first = SqliteJournal::open(&path).unwrap();
    let second = SqliteJournal::open(&path).unwrap();
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

#[test]
fn a_batch_over_two_streams_missing_its_closing_row_is_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let round = StreamId::new("consent-round:1").unwrap();
    let proposal = StreamId::new("proposal:2").unwrap();
    let j = SqliteJournal::open(&path).unwrap();
    j.append(&round, 0, vec![new(0, 0)]).unwrap();
    j.append_batch(vec![part(&round, 1, &[1]), part(&proposal, 0, &[2])])
        .unwrap();
    drop(j);
    // A batch commits in one transaction: without its last row it was damaged, not torn.
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(
        conn.execute("DELETE FROM envelopes WHERE position = 3", [])
            .unwrap(),
        1
    );
    drop(conn);
    let j = SqliteJournal::<Event>::open(&path).unwrap();
    match j.read_all() {
        Err(JournalError::Corruption {
            position: 2,
            reason: CorruptionReason::UnfinishedBatch { stream },
            ..
        }) => assert_eq!(stream, round),
        other => panic!("{other:?}"),
    }
}

#[test]
fn four_threads_of_two_stream_batches_on_an_sqlite_journal_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let journal = Arc::new(SqliteJournal::open(&path).unwrap());
    hammer_batches(Arc::clone(&journal));
    let live = journal.read_all().unwrap();
    assert_batches_complete(&live);
    drop(journal);
    let reopened = SqliteJournal::<Event>::open(&path).unwrap();
    let replayed = reopened.read_all().unwrap();
    assert_eq!(replayed, live);
    assert_eq!(fold(&replayed), fold(&live));
}

#[test]
fn four_connections_of_two_stream_batches_to_one_database_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    // Each writer on its own connection: only the database's transactions keep the batches
    // whole and the conflict checks honest.
    hammer_batches_on(|_| Arc::new(SqliteJournal::open(&path).unwrap()));
    let all = SqliteJournal::<Event>::open(&path)
        .unwrap()
        .read_all()
        .unwrap();
    assert_batches_complete(&all);
    assert_eq!(all.len(), (2 * THREADS * BATCHES_PER_THREAD) as usize);
}
