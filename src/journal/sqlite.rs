//! The SQLite journal; its guide is on [`SqliteJournal`].

use std::marker::PhantomData;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::{ChainState, Lines, prepare};
use super::rows::{
    Row, after_rows, position_and_hash, read_all_rows, read_stream_rows, rows_for_page,
};
use super::{Appended, BatchPart, CorruptionReason, Envelope, Journal, JournalError, StreamId};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS envelopes (
    position INTEGER PRIMARY KEY,
    stream   TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    hash     TEXT    NOT NULL,
    line     TEXT    NOT NULL,
    UNIQUE (stream, seq)
);";

/// The SQLite journal (feature `sqlite`): one row an envelope, a batch in one transaction.
///
/// Each row keeps the envelope's stored line (the same bytes a file journal writes) beside
/// the columns it is looked up by, `position`, `stream`, `seq` and `hash`. An append runs in
/// an `IMMEDIATE` transaction that checks the last sequence number of every stream the batch
/// names, reads the journal's head, and inserts the batch, so the conflict checks and the
/// write are one atomic step even with several connections or processes on one database; a
/// batch over several streams ([`Journal::append_batch`]) is one transaction too. The database runs in WAL
/// mode with `synchronous = FULL`: a committed append is on disk.
///
/// [`Journal::read_all`] verifies every line and the whole chain, like opening a file
/// journal; [`Journal::read_stream`] verifies each line's own hash, that its columns agree
/// with it, and that the stream's sequence numbers run from 1 without a gap (the links to
/// other streams' envelopes are checked by `read_all`).
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::journal::{Journal, NewEvent, SqliteJournal, StreamId};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("journal.sqlite");
/// let stream = StreamId::new("working-model:pilot")?;
/// let time = "2025-06-01T09:00:00Z".parse()?;
/// SqliteJournal::<String>::open(&path)?
///     .append(&stream, 0, vec![NewEvent::new(MemberId::new(6), time, "started".into())])?;
/// let journal = SqliteJournal::<String>::open(&path)?;
/// assert_eq!(journal.version(&stream)?, 1);
/// assert_eq!(journal.read_all()?[0].event, "started");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug)]
pub struct SqliteJournal<E> {
    name: String,
    conn: Mutex<Connection>,
    events: PhantomData<fn() -> E>,
}

impl<E> SqliteJournal<E> {
    /// Opens (or creates) the database at `path` and its table.
    ///
    /// # Errors
    ///
    /// [`JournalError::Database`] when the database cannot be opened or set up.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let name = path.as_ref().display().to_string();
        let db = |operation: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| JournalError::Database {
                journal: name,
                operation,
                message: e.to_string(),
            }
        };
        let conn = Connection::open(path.as_ref()).map_err(db("open the database"))?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(db("set the busy timeout"))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(db("switch to WAL mode"))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db("set synchronous = FULL"))?;
        conn.execute_batch(SCHEMA)
            .map_err(db("create the envelopes table"))?;
        Ok(Self {
            name,
            conn: Mutex::new(conn),
            events: PhantomData,
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, JournalError> {
        self.conn.lock().map_err(|_| JournalError::Poisoned {
            journal: self.name.clone(),
        })
    }

    fn db(&self, operation: &'static str) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        move |e| JournalError::Database {
            journal: self.name.clone(),
            operation,
            message: e.to_string(),
        }
    }

    fn corrupt(&self, position: u64, reason: CorruptionReason) -> JournalError {
        JournalError::Corruption {
            journal: self.name.clone(),
            position,
            reason,
        }
    }

    fn rows(&self, stream: Option<&StreamId>) -> Result<Vec<Row>, JournalError> {
        let conn = self.lock()?;
        let read = read_row;
        let rows = match stream {
            Some(stream) => conn
                .prepare_cached(
                    "SELECT position, stream, seq, hash, line FROM envelopes
                     WHERE stream = ?1 ORDER BY seq",
                )
                .and_then(|mut st| st.query_map([stream.as_str()], read)?.collect()),
            None => conn
                .prepare_cached(
                    "SELECT position, stream, seq, hash, line FROM envelopes ORDER BY position",
                )
                .and_then(|mut st| st.query_map([], read)?.collect()),
        };
        rows.map_err(self.db("read envelopes"))
    }
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        position: r.get(0)?,
        stream: r.get(1)?,
        seq: r.get(2)?,
        hash: r.get(3)?,
        line: r.get(4)?,
    })
}

impl<E> Journal for SqliteJournal<E>
where
    E: Serialize + DeserializeOwned,
{
    type Event = E;

    fn append_batch_at(&self, guard: Option<u64>, parts: Vec<BatchPart<E>>) -> Appended<E> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.db("begin an append"))?;
        let mut versions = Vec::with_capacity(parts.len());
        for part in &parts {
            let actual: i64 = tx
                .query_row(
                    "SELECT COALESCE(MAX(seq), 0) FROM envelopes WHERE stream = ?1",
                    [part.stream.as_str()],
                    |r| r.get(0),
                )
                .map_err(self.db("read the stream's last sequence number"))?;
            versions.push((part.stream.clone(), u64::try_from(actual).unwrap_or(0)));
        }
        // A batch without events only checks: the journal's head is read when there is
        // something to seal after it, or a position to check.
        let head: Option<(i64, String)> =
            if guard.is_some() || parts.iter().any(|part| !part.events.is_empty()) {
                tx.query_row(
                    "SELECT position, hash FROM envelopes ORDER BY position DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(self.db("read the journal's head"))?
            } else {
                None
            };
        let (position, head) = position_and_hash(head, |at, r| self.corrupt(at, r))?;
        let chain = ChainState::at(position, head, versions);
        // The rules (a stream named twice, a stale `expected`) and the sealing are the memory
        // and file journals' own; a refusal drops the transaction, which rolls it back.
        let sealed = prepare(&chain, guard, parts, Lines::Keep)?;
        if sealed.is_empty() {
            return Ok(Vec::new());
        }
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO envelopes (position, stream, seq, hash, line)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(self.db("prepare an insert"))?;
            for s in &sealed {
                let e = &s.envelope;
                let overflow = || JournalError::SequenceOverflow {
                    stream: e.stream.clone(),
                };
                insert
                    .execute(params![
                        i64::try_from(e.position).map_err(|_| overflow())?,
                        e.stream.as_str(),
                        i64::try_from(e.seq).map_err(|_| overflow())?,
                        e.hash.to_string(),
                        s.line,
                    ])
                    .map_err(self.db("insert an envelope"))?;
            }
        }
        tx.commit().map_err(self.db("commit an append"))?;
        Ok(sealed.into_iter().map(|s| s.envelope).collect())
    }

    fn version(&self, stream: &StreamId) -> Result<u64, JournalError> {
        let conn = self.lock()?;
        let seq: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(seq), 0) FROM envelopes WHERE stream = ?1",
                [stream.as_str()],
                |r| r.get(0),
            )
            .map_err(self.db("read the stream's last sequence number"))?;
        Ok(u64::try_from(seq).unwrap_or(0))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<Envelope<E>>, JournalError> {
        let rows = self.rows(Some(stream))?;
        read_stream_rows(&rows, stream, |at, r| self.corrupt(at, r))
    }

    fn read_all(&self) -> Result<Vec<Envelope<E>>, JournalError> {
        let rows = self.rows(None)?;
        Ok(read_all_rows(&rows, |at, r| self.corrupt(at, r))?.0)
    }

    fn read_after(&self, position: u64) -> Result<Vec<Envelope<E>>, JournalError> {
        self.read_page(position, usize::MAX)
    }

    fn read_page(&self, position: u64, limit: usize) -> Result<Vec<Envelope<E>>, JournalError> {
        let Ok(after) = i64::try_from(position) else {
            return Ok(Vec::new());
        };
        let mut conn = self.lock()?;
        // One read transaction: the envelope before and those after are of one state.
        let tx = conn.transaction().map_err(self.db("begin a read"))?;
        let before: Option<(i64, String)> = tx
            .query_row(
                "SELECT position, hash FROM envelopes WHERE position = ?1",
                [after],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.db("read the envelope before a position"))?;
        let rows = tx
            .prepare_cached(
                "SELECT position, stream, seq, hash, line FROM envelopes
                 WHERE position > ?1 ORDER BY position LIMIT ?2",
            )
            .and_then(|mut st| {
                st.query_map([after, rows_for_page(limit)], read_row)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(self.db("read envelopes"))?;
        drop(tx);
        after_rows(before, &rows, position, limit, |at, r| self.corrupt(at, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::batch_tests::{Ev, batch_rules};

    /// Runs `check` on a new SQLite journal, then opens the database again: it holds exactly
    /// what the journal held, and nothing of the batches it refused.
    fn on_database(check: fn(&SqliteJournal<Ev>)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let j = SqliteJournal::open(&path).unwrap();
        check(&j);
        let live = j.read_all().unwrap();
        drop(j);
        let j = SqliteJournal::<Ev>::open(&path).unwrap();
        assert_eq!(j.read_all().unwrap(), live);
    }

    batch_rules!(|_, check| on_database(check));
}
