//! The PostgreSQL journal on a real server: reopening, chain verification, conflicts, a
//! changed, removed or cut row, a journal of another layout, a lost connection; four
//! threads on one journal, four journals (four connections) on one database, and two
//! writer processes, racing on shared and own streams with appends and with atomic batches
//! over two streams; reads from a feed's cursor; a journal over TLS, and one refused by a
//! server that takes only TLS.
//!
//! Each test runs in a schema of its own on the server that `COPRODUCTION_PG_URL` names
//! (`.ci/postgres.sh start` starts one); without it the tests say they skipped and pass,
//! unless `COPRODUCTION_REQUIRE_POSTGRES` is set (see `journal_support/server.rs`).
#![cfg(feature = "postgres")]

use std::sync::Arc;

use coproduction::journal::{
    CorruptionReason, Journal, JournalError, PostgresJournal, StreamId, verify_chain,
};

mod journal_support;

use journal_support::contract::{self, new, part};
use journal_support::server::Schema;
use journal_support::{
    BATCHES_PER_THREAD, Event, PER_THREAD, THREADS, assert_batches_complete, assert_complete, fold,
    hammer_batches_on, hammer_on,
};

type J = PostgresJournal<Event>;

fn stream(slug: &str) -> StreamId {
    StreamId::new(slug).unwrap()
}

/// Appends five events to `s`, one at a time.
fn five(schema: &Schema, s: &StreamId) {
    let j = J::open(schema.url()).unwrap();
    for n in 0..5 {
        j.append(s, u64::from(n), vec![new(0, n)]).unwrap();
    }
}

/// Runs `sql` behind the journal's back and returns how many rows it changed.
fn tamper(schema: &Schema, sql: &str) -> u64 {
    schema.client().execute(sql, &[]).unwrap()
}

/// How many rows the envelopes table holds.
fn rows(schema: &Schema) -> i64 {
    schema
        .client()
        .query_one("SELECT count(*) FROM coproduction_envelopes", &[])
        .unwrap()
        .get(0)
}

/// The position and reason of a corruption, or a panic naming what came instead.
fn corruption<T: std::fmt::Debug>(result: Result<T, JournalError>) -> (u64, CorruptionReason) {
    match result {
        Err(JournalError::Corruption {
            position, reason, ..
        }) => (position, reason),
        other => panic!("not a corruption: {other:?}"),
    }
}

#[test]
fn appends_survive_reopening_and_a_stale_writer_writes_nothing() {
    let Some(schema) = Schema::create("reopening") else {
        return;
    };
    let reopened = contract::appends_survive_reopening_and_a_stale_writer_writes_nothing(|| {
        J::open(schema.url()).unwrap()
    });
    assert_eq!(
        reopened.read_after(0).unwrap(),
        reopened.read_all().unwrap()
    );
}

#[test]
fn a_changed_row_is_reported_as_corruption_when_read_and_when_opened() {
    let Some(schema) = Schema::create("changed_row") else {
        return;
    };
    let s = stream("s");
    five(&schema, &s);
    let j = J::open(schema.url()).unwrap();
    let changed = tamper(
        &schema,
        "UPDATE coproduction_envelopes SET line = replace(line, '\"n\":3', '\"n\":9') WHERE position = 4",
    );
    assert_eq!(changed, 1);
    for result in [j.read_all(), j.read_stream(&s), j.read_after(2)] {
        assert!(
            matches!(
                corruption(result),
                (4, CorruptionReason::HashMismatch { .. })
            ),
            "a changed line"
        );
    }
    assert!(matches!(
        corruption(J::open(schema.url())),
        (4, CorruptionReason::HashMismatch { .. })
    ));
    // Nothing is repaired.
    assert_eq!(rows(&schema), 5, "no row was dropped");

    tamper(
        &schema,
        "DELETE FROM coproduction_envelopes WHERE position = 4",
    );
    assert!(matches!(
        corruption(J::open(schema.url())),
        (4, CorruptionReason::PositionOutOfOrder { .. })
    ));
    for after in [2, 3, 4] {
        assert!(
            matches!(
                corruption(j.read_after(after)),
                (4, CorruptionReason::PositionOutOfOrder { found: 5, .. })
            ),
            "after {after}"
        );
    }
}

#[test]
fn a_row_whose_columns_disagree_with_its_line_is_corruption() {
    let Some(schema) = Schema::create("columns") else {
        return;
    };
    let s = stream("s");
    five(&schema, &s);
    let mut client = schema.client();
    let original = client
        .query_one(
            "SELECT stream, seq, hash FROM coproduction_envelopes WHERE position = 2",
            &[],
        )
        .unwrap();
    let (slug, seq, hash): (String, i64, String) =
        (original.get(0), original.get(1), original.get(2));
    for (change, column) in [
        ("stream = 't'", "stream"),
        ("seq = 9", "seq"),
        ("hash = repeat('a', 64)", "hash"),
    ] {
        client
            .execute(
                &format!("UPDATE coproduction_envelopes SET {change} WHERE position = 2"),
                &[],
            )
            .unwrap();
        assert_eq!(
            corruption(J::open(schema.url())),
            (2, CorruptionReason::RowMismatch { column }),
            "{change}"
        );
        client
            .execute(
                "UPDATE coproduction_envelopes SET stream = $1, seq = $2, hash = $3
                 WHERE position = 2",
                &[&slug, &seq, &hash],
            )
            .unwrap();
        J::open(schema.url()).unwrap();
    }
}

#[test]
fn rows_cut_from_the_end_are_found_missing_by_the_head() {
    let Some(schema) = Schema::create("cut_end") else {
        return;
    };
    let s = stream("s");
    five(&schema, &s);
    // The last two rows go: what is left is a sound chain, but not the journal's whole.
    tamper(
        &schema,
        "DELETE FROM coproduction_envelopes WHERE position > 3",
    );
    match corruption(J::open(schema.url())) {
        (
            4,
            CorruptionReason::HeadMismatch {
                recorded: 5,
                found: 3,
                ..
            },
        ) => {}
        other => panic!("{other:?}"),
    }
    // A head moved back to match is how the rows would have to be cut to go unseen: the
    // head row is part of what an operator must protect.
    tamper(
        &schema,
        "UPDATE coproduction_journal SET head_position = 3,
             head_hash = (SELECT hash FROM coproduction_envelopes WHERE position = 3)",
    );
    let j = J::open(schema.url()).unwrap();
    assert_eq!(j.read_all().unwrap().len(), 3);
    j.append(&s, 3, vec![new(0, 3)]).unwrap();
    assert_eq!(verify_chain(&j.read_all().unwrap()), Ok(()));
}

#[test]
fn a_journal_stored_in_another_layout_is_refused_and_left_alone() {
    let Some(schema) = Schema::create("layout") else {
        return;
    };
    five(&schema, &stream("s"));
    tamper(&schema, "UPDATE coproduction_journal SET version = 2");
    match J::open(schema.url()) {
        Err(JournalError::StorageVersion {
            found: 2,
            supported: 1,
            journal,
        }) => assert!(journal.starts_with("postgresql://postgres@"), "{journal}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(rows(&schema), 5, "nothing was written or dropped");
}

#[test]
fn a_server_that_cannot_be_reached_or_a_bad_string_is_a_database_error() {
    // Needs no server: port 1 of the loopback refuses at once.
    for params in [
        "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5",
        "host=127.0.0.1 port=notaport",
        "postgresql://ana:secret@127.0.0.1:1/db",
    ] {
        match J::open(params) {
            Err(e @ JournalError::Database { .. }) => {
                assert!(!e.is_refusal());
                assert!(!e.to_string().contains("secret"), "{e}");
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

/// Whether every session of the schema's journals (named by its `application_name`) is
/// encrypted, and how many there are.
fn sessions_over_tls(schema: &Schema) -> (i64, bool) {
    let row = schema
        .client()
        .query_one(
            "SELECT count(*), coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s
             JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = $1 AND a.pid <> pg_backend_pid()",
            &[&schema.name()],
        )
        .unwrap();
    (row.get(0), row.get(1))
}

#[test]
fn over_tls_the_journal_writes_reopens_and_verifies_as_over_a_plain_connection() {
    let Some(schema) = Schema::create_tls("over_tls") else {
        return;
    };
    let tls = schema.tls().unwrap().clone();
    let s = stream("minutes");
    let j = J::open_with_tls(schema.url(), tls.clone()).unwrap();
    for n in 0..5 {
        j.append(&s, u64::from(n), vec![new(0, n)]).unwrap();
    }
    // The journal's own connection is encrypted (the database takes no other).
    assert_eq!(sessions_over_tls(&schema), (1, true));
    // A second writer over TLS sees the first's appends, is refused when stale, and a
    // reopened journal verifies the whole chain.
    let second = J::open_with_tls(schema.url(), tls.clone()).unwrap();
    assert!(matches!(
        second.append(&s, 4, vec![new(1, 9)]),
        Err(JournalError::Conflict { actual: 5, .. })
    ));
    drop((j, second));
    let reopened = J::open_with_tls(schema.url(), tls).unwrap();
    let all = reopened.read_all().unwrap();
    assert_eq!(all.len(), 5);
    verify_chain(&all).unwrap();
    assert_eq!(rows(&schema), 5);
}

#[test]
fn a_plain_or_untrusting_connection_to_a_tls_only_server_is_a_database_error_and_writes_nothing() {
    let Some(schema) = Schema::create_tls("tls_refused") else {
        return;
    };
    // Without TLS, `sslmode=require` cannot be met: refused before anything is sent.
    match J::open(schema.url()) {
        Err(e @ JournalError::Database { .. }) => assert!(!e.is_refusal(), "{e}"),
        other => panic!("without TLS: {other:?}"),
    }
    // With TLS but trusting only the system's certificates, the server's own certificate
    // is not trusted: refused at the handshake.
    let system = postgres_openssl::MakeTlsConnector::new(
        openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls())
            .unwrap()
            .build(),
    );
    match J::open_with_tls(schema.url(), system) {
        Err(e @ JournalError::Database { .. }) => assert!(
            e.to_string().contains("connect to the server"),
            "untrusted certificate: {e}"
        ),
        other => panic!("untrusted certificate: {other:?}"),
    }
    // Neither created the journal's tables.
    let tables: i64 = schema
        .client()
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
            &[&schema.name()],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn a_connection_the_server_closed_is_opened_again_and_loses_nothing() {
    let Some(schema) = Schema::create("lost_connection") else {
        return;
    };
    let s = stream("s");
    let j = J::open(schema.url()).unwrap();
    j.append(&s, 0, vec![new(0, 0)]).unwrap();
    // The server ends the journal's session.
    let killed: i64 = schema
        .client()
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE application_name = $1 AND pid <> pg_backend_pid()",
            &[&schema.name()],
        )
        .unwrap()
        .get(0);
    assert!(killed >= 1);
    // The first call may meet the closed connection (a database error, nothing written);
    // the journal connects again, and the append is written exactly once.
    let mut failures = 0;
    loop {
        let expected = match j.version(&s) {
            Ok(v) => v,
            Err(JournalError::Database { .. }) if failures == 0 => {
                failures += 1;
                continue;
            }
            Err(e) => panic!("{e}"),
        };
        match j.append(&s, expected, vec![new(0, 1)]) {
            Ok(written) => {
                assert_eq!(written[0].seq, 2);
                break;
            }
            Err(JournalError::Database { .. }) if failures == 0 => failures += 1,
            Err(e) => panic!("{e}"),
        }
    }
    let all = J::open(schema.url()).unwrap().read_all().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(verify_chain(&all), Ok(()));
}

#[test]
fn every_single_byte_of_a_stored_line_changed_is_detected_at_its_position() {
    let Some(schema) = Schema::create("every_byte") else {
        return;
    };
    five(&schema, &stream("s"));
    let mut client = schema.client();
    let line: String = client
        .query_one(
            "SELECT line FROM coproduction_envelopes WHERE position = 3",
            &[],
        )
        .unwrap()
        .get(0);
    for i in 0..line.len() {
        let mut bytes = line.clone().into_bytes();
        bytes[i] ^= 0x01; // ASCII stays ASCII: a line that may still parse
        let changed = String::from_utf8(bytes).unwrap();
        client
            .execute(
                "UPDATE coproduction_envelopes SET line = $1 WHERE position = 3",
                &[&changed],
            )
            .unwrap();
        match J::open(schema.url()) {
            Err(JournalError::Corruption { position: 3, .. }) => {}
            other => panic!("byte {i} of {line}: {other:?}"),
        }
    }
    client
        .execute(
            "UPDATE coproduction_envelopes SET line = $1 WHERE position = 3",
            &[&line],
        )
        .unwrap();
    assert_eq!(J::open(schema.url()).unwrap().read_all().unwrap().len(), 5);
}

#[test]
fn two_journals_on_one_database_still_refuse_a_stale_writer() {
    let Some(schema) = Schema::create("two_journals") else {
        return;
    };
    contract::two_writers_on_one_store_still_refuse_a_stale_writer(|| {
        J::open(schema.url()).unwrap()
    });
}

#[test]
fn a_batch_over_two_streams_survives_reopening_as_one_batch() {
    let Some(schema) = Schema::create("batch_reopened") else {
        return;
    };
    contract::a_batch_over_two_streams_survives_reopening_as_one_batch(|| {
        J::open(schema.url()).unwrap()
    });
}

#[test]
fn a_batch_stale_in_one_part_through_another_journal_writes_nothing_to_either_stream() {
    let Some(schema) = Schema::create("batch_stale") else {
        return;
    };
    contract::a_batch_stale_in_one_part_through_another_writer_writes_nothing(|| {
        J::open(schema.url()).unwrap()
    });
}

#[test]
fn a_batch_over_two_streams_missing_its_closing_row_is_corruption() {
    let Some(schema) = Schema::create("batch_unclosed") else {
        return;
    };
    let round = stream("consent-round:1");
    let proposal = stream("proposal:2");
    {
        let j = J::open(schema.url()).unwrap();
        j.append(&round, 0, vec![new(0, 0)]).unwrap();
        j.append_batch(vec![part(&round, 1, &[1]), part(&proposal, 0, &[2])])
            .unwrap();
    }
    // A batch commits in one transaction: without its last row it was damaged, not torn.
    assert_eq!(
        tamper(
            &schema,
            "DELETE FROM coproduction_envelopes WHERE position = 3"
        ),
        1
    );
    match corruption(J::open(schema.url())) {
        (2, CorruptionReason::UnfinishedBatch { stream }) => assert_eq!(stream, round),
        other => panic!("{other:?}"),
    }
}

#[test]
fn four_threads_on_one_postgres_journal_lose_and_duplicate_nothing_and_replay_alike() {
    let Some(schema) = Schema::create("four_threads") else {
        return;
    };
    contract::four_threads_on_one_journal_replay_alike(|| J::open(schema.url()).unwrap());
}

#[test]
fn four_journals_on_one_database_racing_on_shared_and_own_streams_lose_and_duplicate_nothing() {
    let Some(schema) = Schema::create("four_writers") else {
        return;
    };
    // Each writer on a journal and connection of its own, as two servers (or four) would
    // be: only the database keeps the chain whole and the conflict checks honest.
    let conflicts = hammer_on(|_| Arc::new(J::open(schema.url()).unwrap()));
    let all = J::open(schema.url()).unwrap().read_all().unwrap();
    assert_complete(&all);
    // Every conflict was refused and retried: the shared stream has each command once.
    let tally = stream("tally");
    let written = J::open(schema.url()).unwrap().version(&tally).unwrap();
    assert_eq!(written, u64::from(THREADS * PER_THREAD / 2));
    eprintln!("{conflicts} conflicts refused and retried");
}

#[test]
fn four_threads_of_two_stream_batches_on_one_postgres_journal_lose_and_duplicate_nothing() {
    let Some(schema) = Schema::create("four_threads_batches") else {
        return;
    };
    contract::four_threads_of_batches_on_one_journal_replay_alike(|| {
        J::open(schema.url()).unwrap()
    });
}

#[test]
fn four_journals_of_two_stream_batches_on_one_database_lose_and_duplicate_nothing() {
    let Some(schema) = Schema::create("four_writers_batches") else {
        return;
    };
    hammer_batches_on(|_| Arc::new(J::open(schema.url()).unwrap()));
    let journal = J::open(schema.url()).unwrap();
    let all = journal.read_all().unwrap();
    assert_batches_complete(&all);
    assert_eq!(all.len(), (2 * THREADS * BATCHES_PER_THREAD) as usize);
    // A feed that read in steps from any cursor reads each envelope once, in order.
    let mut cursor = 0;
    let mut fed = Vec::new();
    loop {
        let page: Vec<_> = journal
            .read_after(cursor)
            .unwrap()
            .into_iter()
            .take(997)
            .collect();
        let Some(last) = page.last() else { break };
        cursor = last.position;
        fed.extend(page);
    }
    assert_eq!(fed, all);
}

/// How many commands each writer process of
/// [`two_processes_on_one_database_lose_and_duplicate_nothing`] appends.
const PER_PROCESS: u32 = 500;

/// The writer process: run by
/// [`two_processes_on_one_database_lose_and_duplicate_nothing`] as a child of its own test
/// binary, with `COPRODUCTION_PG_CHILD` naming the database and `COPRODUCTION_PG_WRITER`
/// its number; does nothing when run by hand. Appends `PER_PROCESS` commands, even ones to
/// the shared `tally` and odd ones to its own stream, reading again after each conflict.
#[test]
#[ignore = "a writer process, started by two_processes_on_one_database_lose_and_duplicate_nothing"]
fn writer_process() {
    let (Ok(url), Ok(writer)) = (
        std::env::var("COPRODUCTION_PG_CHILD"),
        std::env::var("COPRODUCTION_PG_WRITER"),
    ) else {
        return;
    };
    let writer: u32 = writer.parse().unwrap();
    let j = J::open(&url).unwrap();
    let shared = stream("tally");
    let own = stream(&format!("process:{writer}"));
    let mut conflicts = 0;
    for n in 0..PER_PROCESS {
        let s = if n % 2 == 0 { &shared } else { &own };
        loop {
            let expected = j.version(s).unwrap();
            match j.append(s, expected, vec![new(writer, n)]) {
                Ok(_) => break,
                Err(JournalError::Conflict { .. }) => conflicts += 1,
                Err(e) => panic!("{e}"),
            }
        }
    }
    println!("writer {writer}: {conflicts} conflicts refused and retried");
}

#[test]
fn two_processes_on_one_database_lose_and_duplicate_nothing() {
    let Some(schema) = Schema::create("two_processes") else {
        return;
    };
    // The tables exist before the writers race to open the journal.
    drop(J::open(schema.url()).unwrap());
    let exe = std::env::current_exe().unwrap();
    // Both start before either is waited for.
    let children: Vec<_> = (0..2)
        .map(|writer| {
            std::process::Command::new(&exe)
                .args(["writer_process", "--exact", "--ignored", "--nocapture"])
                .env("COPRODUCTION_PG_CHILD", schema.url())
                .env("COPRODUCTION_PG_WRITER", writer.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "a writer failed: {output:?}");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(said.contains("conflicts refused"), "{said}");
        eprint!(
            "{}",
            said.lines()
                .filter(|l| l.starts_with("writer"))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        );
    }
    let all = J::open(schema.url()).unwrap().read_all().unwrap();
    assert_eq!(all.len(), 2 * PER_PROCESS as usize);
    assert_eq!(verify_chain(&all), Ok(()));
    let state = fold(&all);
    for writer in 0..2 {
        assert_eq!(state[&writer], (0..PER_PROCESS).collect::<Vec<_>>());
    }
    let tally: Vec<u64> = all
        .iter()
        .filter(|e| e.stream.as_str() == "tally")
        .map(|e| e.seq)
        .collect();
    assert_eq!(tally, (1..=u64::from(PER_PROCESS)).collect::<Vec<_>>());
}
