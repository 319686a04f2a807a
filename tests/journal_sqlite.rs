//! The SQLite journal on real database files: reopening, chain verification, conflicts,
//! detection of a changed row, and four concurrent writers; the same for atomic batches over
//! several streams, with writers sharing a connection or each on its own.
#![cfg(feature = "sqlite")]

use std::sync::Arc;

use coproduction::journal::{CorruptionReason, Journal, JournalError, SqliteJournal, StreamId};

mod journal_support;

use journal_support::contract::{self, new, part};
use journal_support::{
    BATCHES_PER_THREAD, Event, THREADS, assert_batches_complete, hammer_batches_on,
};

#[test]
fn appends_survive_reopening_and_a_stale_writer_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    contract::appends_survive_reopening_and_a_stale_writer_writes_nothing(|| {
        SqliteJournal::open(&path).unwrap()
    });
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
    for result in [j.read_all(), j.read_stream(&s), j.read_after(2)] {
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
    // A feed reading across the gap, or from the missing position, is told where it is.
    for after in [2, 3, 4] {
        assert!(
            matches!(
                j.read_after(after),
                Err(JournalError::Corruption {
                    position: 4,
                    reason: CorruptionReason::PositionOutOfOrder { found: 5, .. },
                    ..
                })
            ),
            "after {after}"
        );
    }
    assert!(j.read_after(5).unwrap().is_empty());
}

#[test]
fn four_threads_on_an_sqlite_journal_lose_and_duplicate_nothing_and_replay_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    contract::four_threads_on_one_journal_replay_alike(|| SqliteJournal::open(&path).unwrap());
}

#[test]
fn two_connections_to_one_database_still_refuse_a_stale_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    contract::two_writers_on_one_store_still_refuse_a_stale_writer(|| {
        SqliteJournal::open(&path).unwrap()
    });
}

#[test]
fn a_batch_over_two_streams_survives_reopening_as_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    contract::a_batch_over_two_streams_survives_reopening_as_one_batch(|| {
        SqliteJournal::open(&path).unwrap()
    });
}

#[test]
fn a_batch_stale_in_one_part_through_another_connection_writes_nothing_to_either_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    contract::a_batch_stale_in_one_part_through_another_writer_writes_nothing(|| {
        SqliteJournal::open(&path).unwrap()
    });
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
    contract::four_threads_of_batches_on_one_journal_replay_alike(|| {
        SqliteJournal::open(&path).unwrap()
    });
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
