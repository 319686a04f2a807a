//! The PostgreSQL journal; its guide is on [`PostgresJournal`].

use std::collections::HashMap;
use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use postgres::config::Host;
use postgres::tls::{MakeTlsConnect, TlsConnect};
use postgres::{Client, Config, IsolationLevel, NoTls, Socket, Statement, Transaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::{ChainState, Lines, prepare};
use super::rows::{
    Row, after_rows, position_and_hash, read_all_rows, read_stream_rows, rows_for_page,
};
use super::{Appended, BatchPart, CorruptionReason, Envelope, Journal, JournalError, StreamId};

/// The layout of the journal's tables that this crate reads and writes, recorded in
/// `coproduction_journal.version`.
const STORAGE_VERSION: i64 = 1;

/// The tables, created when missing. `coproduction_journal` has one row: the layout's
/// version and the journal's head (the position and hash of its last envelope). Every append
/// locks that row, so appends from any number of connections are serialised, and updates it.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS coproduction_journal (
    id            SMALLINT PRIMARY KEY CHECK (id = 1),
    version       BIGINT   NOT NULL,
    head_position BIGINT   NOT NULL CHECK (head_position >= 0),
    head_hash     TEXT     NOT NULL
);
CREATE TABLE IF NOT EXISTS coproduction_envelopes (
    position BIGINT PRIMARY KEY CHECK (position > 0),
    stream   TEXT   NOT NULL,
    seq      BIGINT NOT NULL CHECK (seq > 0),
    hash     TEXT   NOT NULL,
    line     TEXT   NOT NULL,
    UNIQUE (stream, seq)
);
INSERT INTO coproduction_journal (id, version, head_position, head_hash)
VALUES (1, 1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;";

/// The key of the transaction-level advisory lock taken while the tables are created, so
/// that two processes opening a new journal at once do not race to create them: the bytes
/// of `coprodjr`.
const SETUP_LOCK: i64 = 0x636f_7072_6f64_6a72;

/// The PostgreSQL journal (feature `postgres`): one row an envelope, a batch in one
/// transaction, any number of writers on one database.
///
/// # Storage
///
/// [`PostgresJournal::open`] creates two tables when they are missing, in the first schema
/// of the connection's `search_path` (so a journal can live in a schema of its own: add
/// `options=-csearch_path%3Dmy_schema` to a URL, or `options='-c search_path=my_schema'` to
/// a key-value string):
///
/// ```sql
/// CREATE TABLE coproduction_journal (          -- one row
///     id            SMALLINT PRIMARY KEY CHECK (id = 1),
///     version       BIGINT   NOT NULL,           -- the tables' layout: 1
///     head_position BIGINT   NOT NULL,           -- the last envelope's position (0: none)
///     head_hash     TEXT     NOT NULL            -- and its hash (64 zeros: none)
/// );
/// CREATE TABLE coproduction_envelopes (        -- one row an envelope
///     position BIGINT PRIMARY KEY,
///     stream   TEXT   NOT NULL,
///     seq      BIGINT NOT NULL,
///     hash     TEXT   NOT NULL,
///     line     TEXT   NOT NULL,                  -- the stored line, as a file journal writes it
///     UNIQUE (stream, seq)
/// );
/// ```
///
/// A database whose `version` is not 1 is refused with [`JournalError::StorageVersion`].
/// The role needs `CREATE` on the schema the first time, and `SELECT`, `INSERT` and
/// `UPDATE` on the two tables after that.
///
/// # Several writers
///
/// An append runs in one `READ COMMITTED` transaction that first locks the head row
/// (`SELECT ... FOR UPDATE`): a second writer, in this process or another, waits there
/// until the first commits. Holding the lock, it reads the last sequence number of every
/// stream the batch names (a statement of its own, so it sees what the writer before it
/// committed), refuses a stale `expected` with [`JournalError::Conflict`] as every journal
/// does, seals the batch after the head it read (so the positions and the one hash chain
/// run on across writers), inserts the envelopes and moves the head, and commits. The
/// `UNIQUE (stream, seq)` and the primary key on `position` are a second guard: a writer
/// that skipped the lock could not overwrite or duplicate an envelope, its insert would
/// fail and write nothing.
///
/// # Reading
///
/// [`PostgresJournal::open`] and [`Journal::read_all`] read every row and the head in one
/// snapshot, and verify every line, the whole chain and that it ends at the recorded head
/// (so rows removed from the end are [`JournalError::Corruption`] too, with
/// [`CorruptionReason::HeadMismatch`]). [`Journal::read_stream`] checks each line, its
/// columns and the stream's numbering; [`Journal::read_after`] checks each line and its
/// links from the envelope at the cursor on.
///
/// # Connections
///
/// The journal holds one connection. [`PostgresJournal::open`] connects without TLS (for a
/// server on the same machine or a private network); [`PostgresJournal::open_with_tls`]
/// connects through the TLS connector given (`postgres-openssl`'s, `postgres-native-tls`'s
/// or a rustls one), as the connection string's `sslmode` says: `require` refuses a server
/// that does not speak TLS, and the connector decides which certificates it trusts. A
/// connection that the server closed is opened again on the next call, the same way. A connection lost while an append commits leaves its outcome
/// unknown to the writer (the [`JournalError::Database`] it gets does not say whether the
/// commit landed): read the stream's version again before retrying, as after a conflict.
///
/// # Example
///
/// ```no_run
/// use coproduction::community::MemberId;
/// use coproduction::journal::{Journal, NewEvent, PostgresJournal, StreamId};
///
/// let url = "postgresql://postgres@127.0.0.1:5432/community";
/// let stream = StreamId::new("working-model:pilot")?;
/// let time = "2025-06-01T09:00:00Z".parse()?;
/// // Two writers, as two web servers would be, on one database.
/// let first = PostgresJournal::<String>::open(url)?;
/// let second = PostgresJournal::<String>::open(url)?;
/// first.append(&stream, 0, vec![NewEvent::new(MemberId::new(6), time, "started".into())])?;
/// // The second writer's view was stale: it is refused and writes nothing.
/// assert!(second.append(&stream, 0, vec![NewEvent::new(MemberId::new(2), time, "paused".into())]).is_err());
/// assert_eq!(second.version(&stream)?, 1);
/// # Ok::<(), coproduction::Error>(())
/// ```
pub struct PostgresJournal<E> {
    name: String,
    config: Config,
    connect: Connect,
    conn: Mutex<Option<Connection>>,
    events: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for PostgresJournal<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresJournal")
            .field("name", &self.name)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Opens a connection as the journal's configuration says, through the TLS connector the
/// journal was opened with: kept, because a connection the server closed is opened again.
type Connect = Arc<dyn Fn(&Config) -> Result<Client, postgres::Error> + Send + Sync>;

/// An open connection and the statements prepared on it.
struct Connection {
    client: Client,
    statements: Statements,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("closed", &self.client.is_closed())
            .finish_non_exhaustive()
    }
}

/// The statements every call uses, prepared once a connection.
struct Statements {
    lock_head: Statement,
    head: Statement,
    versions: Statement,
    version: Statement,
    insert: Statement,
    stream: Statement,
    all: Statement,
    at: Statement,
    after: Statement,
}

const COLUMNS: &str = "position, stream, seq, hash, line";

impl Statements {
    fn prepare(client: &mut Client) -> Result<Self, postgres::Error> {
        let rows = |filter: &str| format!("SELECT {COLUMNS} FROM coproduction_envelopes {filter}");
        Ok(Self {
            lock_head: client.prepare(
                "SELECT head_position, head_hash FROM coproduction_journal WHERE id = 1 FOR UPDATE",
            )?,
            head: client
                .prepare("SELECT head_position, head_hash FROM coproduction_journal WHERE id = 1")?,
            versions: client.prepare(
                "SELECT stream, MAX(seq) FROM coproduction_envelopes
                 WHERE stream = ANY($1) GROUP BY stream",
            )?,
            version: client.prepare(
                "SELECT COALESCE(MAX(seq), 0) FROM coproduction_envelopes WHERE stream = $1",
            )?,
            // One statement writes the batch and moves the head.
            insert: client.prepare(
                "WITH written AS (
                     INSERT INTO coproduction_envelopes (position, stream, seq, hash, line)
                     SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::TEXT[])
                 )
                 UPDATE coproduction_journal SET head_position = $6, head_hash = $7 WHERE id = 1",
            )?,
            stream: client.prepare(&rows("WHERE stream = $1 ORDER BY seq"))?,
            all: client.prepare(&rows("ORDER BY position"))?,
            at: client.prepare("SELECT position, hash FROM coproduction_envelopes WHERE position = $1")?,
            after: client.prepare(&rows("WHERE position > $1 ORDER BY position LIMIT $2"))?,
        })
    }
}

/// A database error's message: the client's kind of error, then the server's words.
fn message(e: &postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// The journal's name in errors: the server and database, never the password.
fn name_of(config: &Config) -> String {
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            match host {
                Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                Host::Unix(dir) => format!("{}:{port}", dir.display()),
            }
        })
        .collect();
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or(user);
    format!("postgresql://{user}@{}/{db}", hosts.join(","))
}

fn read_row(row: &postgres::Row) -> Result<Row, postgres::Error> {
    Ok(Row {
        position: row.try_get(0)?,
        stream: row.try_get(1)?,
        seq: row.try_get(2)?,
        hash: row.try_get(3)?,
        line: row.try_get(4)?,
    })
}

fn read_rows(rows: &[postgres::Row]) -> Result<Vec<Row>, postgres::Error> {
    rows.iter().map(read_row).collect()
}

fn position_hash(row: &postgres::Row) -> Result<(i64, String), postgres::Error> {
    Ok((row.try_get(0)?, row.try_get(1)?))
}

impl<E: DeserializeOwned> PostgresJournal<E> {
    /// Connects to the database that `params` names, creates the journal's tables when they
    /// are missing, checks their layout's version, and reads and verifies the whole journal.
    ///
    /// `params` is a libpq connection string, as a URL
    /// (`postgresql://user@host:port/database`) or as `key=value` pairs
    /// (`host=127.0.0.1 port=5432 user=postgres dbname=community`).
    ///
    /// # Errors
    ///
    /// [`JournalError::Database`] when the string does not parse, the server cannot be
    /// reached, or the tables cannot be set up or read; [`JournalError::StorageVersion`]
    /// when the tables are of another layout; [`JournalError::Corruption`] when a stored
    /// envelope or the chain does not verify (nothing is repaired).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use coproduction::journal::{Journal, PostgresJournal};
    ///
    /// let journal = PostgresJournal::<serde_json::Value>::open(
    ///     "host=127.0.0.1 port=5432 user=postgres dbname=community options='-c search_path=journal'",
    /// )?;
    /// println!("{} envelopes", journal.read_all()?.len());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn open(params: &str) -> Result<Self, JournalError> {
        Self::open_with_tls(params, NoTls)
    }

    /// Opens the journal as [`PostgresJournal::open`] does, connecting through `tls`: the
    /// connection string's `sslmode` says whether TLS is tried (`prefer`, the default: a
    /// server that offers it is spoken to over it, one that does not, in plain), required
    /// (`require`: a server without it is refused) or not used (`disable`), and `tls` which
    /// server certificates are trusted: one it does not trust is refused whatever the
    /// `sslmode`. Every connection the journal opens, the first and any after the server
    /// closed one, goes through `tls`.
    ///
    /// # Errors
    ///
    /// As [`PostgresJournal::open`]; a server that cannot be reached over TLS when
    /// `sslmode=require`, or whose certificate `tls` does not trust, is a
    /// [`JournalError::Database`].
    ///
    /// # Example
    ///
    /// With `postgres-openssl` (any connector for the `postgres` client will do), trusting
    /// the system's certificates:
    ///
    /// ```no_run
    /// use coproduction::journal::PostgresJournal;
    /// use openssl::ssl::{SslConnector, SslMethod};
    /// use postgres_openssl::MakeTlsConnector;
    ///
    /// // A connector that trusts the system's certificates and checks the server's name.
    /// let ssl = SslConnector::builder(SslMethod::tls()).expect("OpenSSL starts");
    /// let journal = PostgresJournal::<serde_json::Value>::open_with_tls(
    ///     "postgresql://app@db.example.org/community?sslmode=require",
    ///     MakeTlsConnector::new(ssl.build()),
    /// )?;
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn open_with_tls<T>(params: &str, tls: T) -> Result<Self, JournalError>
    where
        T: MakeTlsConnect<Socket> + Clone + Send + Sync + 'static,
        T::TlsConnect: Send,
        T::Stream: Send,
        <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
    {
        let config = Config::from_str(params).map_err(|e| JournalError::Database {
            journal: "postgresql".to_owned(),
            operation: "read the connection string",
            message: message(&e),
        })?;
        let journal = Self {
            name: name_of(&config),
            config,
            connect: Arc::new(move |config: &Config| config.connect(tls.clone())),
            conn: Mutex::new(None),
            events: PhantomData,
        };
        // Connecting sets the tables up; reading verifies them.
        journal.connection(&mut *journal.lock()?)?;
        journal.read_verified()?;
        Ok(journal)
    }

    /// Reads every row and the head in one snapshot, and verifies them: what
    /// [`Journal::read_all`] returns, and what opening checks.
    fn read_verified(&self) -> Result<Vec<Envelope<E>>, JournalError> {
        let (head, rows) = self.snapshot(|tx, st| {
            let head = tx
                .query_one(&st.head, &[])
                .and_then(|row| position_hash(&row))?;
            let rows = tx.query(&st.all, &[]).and_then(|rows| read_rows(&rows))?;
            Ok((head, rows))
        })?;
        let corrupt = |at, r| self.corrupt(at, r);
        let (envelopes, chain) = read_all_rows(&rows, corrupt)?;
        let (recorded, recorded_hash) = position_and_hash(Some(head), corrupt)?;
        if (recorded, recorded_hash) != (chain.position, chain.head) {
            let at = if recorded == chain.position {
                recorded
            } else {
                recorded.min(chain.position).saturating_add(1)
            };
            return Err(self.corrupt(
                at,
                CorruptionReason::HeadMismatch {
                    recorded,
                    recorded_hash,
                    found: chain.position,
                    found_hash: chain.head,
                },
            ));
        }
        Ok(envelopes)
    }
}

impl<E> PostgresJournal<E> {
    fn lock(&self) -> Result<MutexGuard<'_, Option<Connection>>, JournalError> {
        self.conn.lock().map_err(|_| JournalError::Poisoned {
            journal: self.name.clone(),
        })
    }

    /// The open connection, connecting first if there is none or the server closed it.
    fn connection<'a>(
        &self,
        slot: &'a mut Option<Connection>,
    ) -> Result<&'a mut Connection, JournalError> {
        if slot.as_ref().is_some_and(|c| c.client.is_closed()) {
            *slot = None;
        }
        match slot {
            Some(conn) => Ok(conn),
            None => {
                let mut client =
                    (self.connect)(&self.config).map_err(self.db("connect to the server"))?;
                // The tables must exist before statements on them can be prepared.
                self.set_up(&mut client)?;
                let statements =
                    Statements::prepare(&mut client).map_err(self.db("prepare statements"))?;
                Ok(slot.insert(Connection { client, statements }))
            }
        }
    }

    /// Runs `run` on the open connection. A database error may leave the connection broken
    /// (the server closed it, the network reset it), so after one the next call starts on a
    /// new connection; a refusal keeps it.
    fn with_connection<T>(
        &self,
        run: impl FnOnce(&mut Connection) -> Result<T, JournalError>,
    ) -> Result<T, JournalError> {
        let mut guard = self.lock()?;
        let result = run(self.connection(&mut guard)?);
        if matches!(result, Err(JournalError::Database { .. })) {
            *guard = None;
        }
        result
    }

    /// Creates the tables when missing and checks their layout's version.
    fn set_up(&self, client: &mut Client) -> Result<(), JournalError> {
        let mut tx = client
            .transaction()
            .map_err(self.db("begin setting up the tables"))?;
        let exists: bool = tx
            .query_one(
                "SELECT to_regclass('coproduction_journal') IS NOT NULL
                    AND to_regclass('coproduction_envelopes') IS NOT NULL",
                &[],
            )
            .and_then(|row| row.try_get(0))
            .map_err(self.db("look for the journal's tables"))?;
        if !exists {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SETUP_LOCK])
                .map_err(self.db("lock the set-up"))?;
            tx.batch_execute(SCHEMA)
                .map_err(self.db("create the journal's tables"))?;
        }
        let found: i64 = tx
            .query_one("SELECT version FROM coproduction_journal WHERE id = 1", &[])
            .and_then(|row| row.try_get(0))
            .map_err(self.db("read the tables' version"))?;
        tx.commit()
            .map_err(self.db("commit setting up the tables"))?;
        if found != STORAGE_VERSION {
            return Err(JournalError::StorageVersion {
                journal: self.name.clone(),
                found,
                supported: STORAGE_VERSION,
            });
        }
        Ok(())
    }

    fn db(&self, operation: &'static str) -> impl Fn(postgres::Error) -> JournalError + '_ {
        move |e| JournalError::Database {
            journal: self.name.clone(),
            operation,
            message: message(&e),
        }
    }

    fn corrupt(&self, position: u64, reason: CorruptionReason) -> JournalError {
        JournalError::Corruption {
            journal: self.name.clone(),
            position,
            reason,
        }
    }

    /// Runs `read` in one read-only `REPEATABLE READ` transaction: what it reads is one
    /// snapshot of the journal.
    fn snapshot<T>(
        &self,
        read: impl FnOnce(&mut Transaction<'_>, &Statements) -> Result<T, postgres::Error>,
    ) -> Result<T, JournalError> {
        self.with_connection(|Connection { client, statements }| {
            let mut tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(self.db("begin a read"))?;
            let read = read(&mut tx, statements).map_err(self.db("read envelopes"))?;
            tx.commit().map_err(self.db("end a read"))?;
            Ok(read)
        })
    }

    /// Appends one batch on `conn`; see the type's guide.
    fn append_on(
        &self,
        Connection { client, statements }: &mut Connection,
        guard: Option<u64>,
        parts: Vec<BatchPart<E>>,
    ) -> Result<Vec<Envelope<E>>, JournalError>
    where
        E: Serialize,
    {
        // READ COMMITTED whatever the connection's default: each statement after the lock
        // sees what the writer before committed.
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .map_err(self.db("begin an append"))?;
        // Waits here while another writer appends.
        let head = tx
            .query_one(&statements.lock_head, &[])
            .and_then(|row| position_hash(&row))
            .map_err(self.db("lock the journal's head"))?;
        let names: Vec<&str> = parts.iter().map(|part| part.stream.as_str()).collect();
        let found: HashMap<String, i64> = tx
            .query(&statements.versions, &[&names])
            .and_then(|rows| {
                rows.iter()
                    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
                    .collect()
            })
            .map_err(self.db("read the streams' last sequence numbers"))?;
        let versions = parts.iter().map(|part| {
            let seq = found.get(part.stream.as_str()).copied().unwrap_or(0);
            (part.stream.clone(), u64::try_from(seq).unwrap_or(0))
        });
        let (position, head) = position_and_hash(Some(head), |at, r| self.corrupt(at, r))?;
        let chain = ChainState::at(position, head, versions);
        // The rules and the sealing are every journal's own; a refusal drops the
        // transaction, which rolls it back.
        let sealed = prepare(&chain, guard, parts, Lines::Keep)?;
        let Some(last) = sealed.last().map(|s| &s.envelope) else {
            return Ok(Vec::new());
        };
        let overflow = |stream: &StreamId| JournalError::SequenceOverflow {
            stream: stream.clone(),
        };
        let big = |n: u64, stream: &StreamId| i64::try_from(n).map_err(|_| overflow(stream));
        let mut columns = (
            Vec::with_capacity(sealed.len()),
            Vec::with_capacity(sealed.len()),
            Vec::with_capacity(sealed.len()),
            Vec::with_capacity(sealed.len()),
            Vec::with_capacity(sealed.len()),
        );
        for s in &sealed {
            let e = &s.envelope;
            columns.0.push(big(e.position, &e.stream)?);
            columns.1.push(e.stream.as_str());
            columns.2.push(big(e.seq, &e.stream)?);
            columns.3.push(e.hash.to_string());
            columns.4.push(s.line.as_str());
        }
        let head_position = big(last.position, &last.stream)?;
        let head_hash = last.hash.to_string();
        tx.execute(
            &statements.insert,
            &[
                &columns.0,
                &columns.1,
                &columns.2,
                &columns.3,
                &columns.4,
                &head_position,
                &head_hash,
            ],
        )
        .map_err(self.db("insert a batch"))?;
        tx.commit().map_err(self.db("commit an append"))?;
        Ok(sealed.into_iter().map(|s| s.envelope).collect())
    }
}

impl<E> Journal for PostgresJournal<E>
where
    E: Serialize + DeserializeOwned,
{
    type Event = E;

    fn append_batch_at(&self, head: Option<u64>, parts: Vec<BatchPart<E>>) -> Appended<E> {
        self.with_connection(|conn| self.append_on(conn, head, parts))
    }

    fn version(&self, stream: &StreamId) -> Result<u64, JournalError> {
        let seq: i64 = self.with_connection(|Connection { client, statements }| {
            client
                .query_one(&statements.version, &[&stream.as_str()])
                .and_then(|row| row.try_get(0))
                .map_err(self.db("read the stream's last sequence number"))
        })?;
        Ok(u64::try_from(seq).unwrap_or(0))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<Envelope<E>>, JournalError> {
        let rows = self.with_connection(|Connection { client, statements }| {
            client
                .query(&statements.stream, &[&stream.as_str()])
                .and_then(|rows| read_rows(&rows))
                .map_err(self.db("read a stream"))
        })?;
        read_stream_rows(&rows, stream, |at, r| self.corrupt(at, r))
    }

    fn read_all(&self) -> Result<Vec<Envelope<E>>, JournalError> {
        self.read_verified()
    }

    fn read_after(&self, position: u64) -> Result<Vec<Envelope<E>>, JournalError> {
        self.read_page(position, usize::MAX)
    }

    fn read_page(&self, position: u64, limit: usize) -> Result<Vec<Envelope<E>>, JournalError> {
        let Ok(after) = i64::try_from(position) else {
            return Ok(Vec::new());
        };
        let (before, rows) = self.snapshot(|tx, st| {
            let before = match tx.query_opt(&st.at, &[&after])? {
                Some(row) => Some(position_hash(&row)?),
                None => None,
            };
            let rows = tx
                .query(&st.after, &[&after, &rows_for_page(limit)])
                .and_then(|rows| read_rows(&rows))?;
            Ok((before, rows))
        })?;
        after_rows(before, &rows, position, limit, |at, r| self.corrupt(at, r))
    }
}

/// The test server's schemas, shared with the integration tests.
#[cfg(test)]
#[path = "../../tests/journal_support/server.rs"]
mod server;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Hash;
    use crate::journal::batch_tests::{Ev, batch_rules};

    #[test]
    fn the_schema_seeds_the_head_at_genesis() {
        assert!(SCHEMA.contains(&format!("'{}'", Hash::GENESIS)));
        assert!(SCHEMA.contains(&format!("VALUES (1, {STORAGE_VERSION}, 0,")));
    }

    #[test]
    fn a_name_never_shows_the_password() {
        let config = Config::from_str("postgresql://ana:secret@127.0.0.1:5433/community").unwrap();
        assert_eq!(
            name_of(&config),
            "postgresql://ana@127.0.0.1:5433/community"
        );
        let config = Config::from_str("host=db user=bo password=secret").unwrap();
        assert_eq!(name_of(&config), "postgresql://bo@db:5432/bo");
    }

    /// Runs `check` on a new journal in a schema of its own, then opens it again: it holds
    /// exactly what the journal held, and nothing of the batches it refused.
    fn on_server(test: &str, check: fn(&PostgresJournal<Ev>)) {
        let Some(schema) = server::Schema::create(test) else {
            return;
        };
        let j = PostgresJournal::open(schema.url()).unwrap();
        check(&j);
        let live = j.read_all().unwrap();
        drop(j);
        let j = PostgresJournal::<Ev>::open(schema.url()).unwrap();
        assert_eq!(j.read_all().unwrap(), live);
    }

    batch_rules!(on_server);
}
