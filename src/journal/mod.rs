//! The journal: the append-only record of every event, which never loses or silently alters
//! a decision.
//!
//! Every event is stored in an [`Envelope`]: its stream and sequence number, its global
//! position, the time and acting member, the schema version, and two BLAKE3 hashes: the hash
//! of the envelope before it in the whole journal and its own. One chain runs through all
//! streams, so a changed byte anywhere is detected when the journal is read.
//!
//! A [`Journal`] appends a batch of events to one stream, *given the sequence number the
//! writer last saw* (optimistic concurrency): a stale writer gets
//! [`JournalError::Conflict`] and nothing is written, so it can re-read and decide again.
//! [`Journal::append_batch`] appends one atomic batch over several streams (a consent round's
//! end and the decision it decides for), each [`BatchPart`] with its own expected number:
//! every part is written or none is. [`Journal::append_batch_at`] appends only while the
//! journal's last position is still the one the writer read ([`JournalError::Moved`]
//! otherwise): the engine appends so, since its checks read more streams than it writes.
//! Numbering: a stream's sequence numbers run `1, 2, 3, ...`; the expected number for an
//! empty stream is `0`. Positions in the whole journal also run from 1, in append order.
//!
//! Implementations, all `Send + Sync` with interior locking so that one journal can be
//! shared across threads:
//!
//! - [`MemoryJournal`]: in memory, for tests and short-lived engines.
//! - [`FileJournal`]: JSON lines, one envelope a line, `fsync`ed on every append. On open it
//!   keeps the longest valid prefix: an unfinished last line (or a batch whose closing line
//!   never got written) is a torn tail, reported in an [`OpenReport`] and cut away on the
//!   next append; a finished line that fails to parse or verify is
//!   [`JournalError::Corruption`], never dropped.
//! - `SqliteJournal` (feature `sqlite`): one row an envelope in an SQLite database, a batch
//!   appended in one transaction.
//! - `PostgresJournal` (feature `postgres`): one row an envelope in a PostgreSQL database,
//!   for apps that run on several machines: any number of writers (journals, processes,
//!   servers) on one database, each append a transaction that locks the journal's head row,
//!   so the positions and the one hash chain run on across writers and a stale writer gets
//!   [`JournalError::Conflict`] as with every other journal. Opening creates its tables when
//!   missing, checks their version, and verifies the whole chain.
//!
//! Every journal reads from a position too ([`Journal::read_after`]): an event feed keeps
//! the last position it delivered as its cursor and asks for what came after it, a page at
//! a time ([`Journal::read_page`], which reads only the page).
//!
//! # Example
//!
//! ```
//! use coproduction::community::MemberId;
//! use coproduction::journal::{FileJournal, Journal, JournalError, NewEvent, StreamId};
//! use jiff::Timestamp;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("community.jsonl");
//! let time: Timestamp = "2025-05-06T18:00:00Z".parse()?;
//! let round = StreamId::new("consent-round:1")?;
//!
//! let (journal, report) = FileJournal::<String>::open(&path)?;
//! assert_eq!(report.torn_tail, None);
//! journal.append(&round, 0, vec![NewEvent::new(MemberId::new(1), time, "opened".into())])?;
//! journal.append(&round, 1, vec![NewEvent::new(MemberId::new(4), time, "consented".into())])?;
//!
//! // A writer that still thinks the round has one event is refused, and writes nothing.
//! let stale = journal.append(&round, 1, vec![NewEvent::new(MemberId::new(5), time, "objected".into())]);
//! assert!(matches!(stale, Err(JournalError::Conflict { expected: 1, actual: 2, .. })));
//! drop(journal);
//!
//! let (reopened, _) = FileJournal::<String>::open(&path)?;
//! let events: Vec<String> = reopened.read_stream(&round)?.into_iter().map(|e| e.event).collect();
//! assert_eq!(events, ["opened", "consented"]);
//! # Ok::<(), coproduction::Error>(())
//! ```

#[cfg(test)]
mod batch_tests;
mod envelope;
mod file;
mod ids;
mod line;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod rows;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use crate::hash::Hash;

/// What an append returns: the envelopes written, in order, or why nothing was.
pub type Appended<E> = Result<Vec<Envelope<E>>, JournalError>;
pub use envelope::{
    BatchPart, ChainBreak, CorruptionReason, Envelope, NewEvent, SCHEMA_VERSION, verify_chain,
};
pub use file::{FileJournal, OpenReport, TornTail};
pub use ids::StreamId;
pub use memory::MemoryJournal;
#[cfg(feature = "postgres")]
pub use postgres::PostgresJournal;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteJournal;

/// An append-only, hash-chained store of events of type `Self::Event`.
///
/// Every method is safe to call from several threads at once; appends are serialised inside.
pub trait Journal: Send + Sync {
    /// The event type carried in the envelopes.
    type Event;

    /// Appends `events` to `stream` as one batch, if the stream's last sequence number is
    /// still `expected` (`0` for an empty stream). Returns the new envelopes. An empty batch
    /// only checks `expected`.
    ///
    /// The batch of one part of [`Journal::append_batch`].
    ///
    /// # Errors
    ///
    /// [`JournalError::Conflict`] when another writer got there first (nothing is written);
    /// [`JournalError::Encode`] when an event cannot be serialised (nothing is written);
    /// storage errors ([`JournalError::Io`], [`JournalError::Database`]), after which the
    /// journal is as it was before the call.
    fn append(
        &self,
        stream: &StreamId,
        expected: u64,
        events: Vec<NewEvent<Self::Event>>,
    ) -> Result<Vec<Envelope<Self::Event>>, JournalError> {
        self.append_batch(vec![BatchPart::new(stream.clone(), expected, events)])
    }

    /// Appends one atomic batch that may span several streams: each part names its stream,
    /// the sequence number the writer last saw for it, and its events. Either every part is
    /// written, in the order given, or nothing is.
    ///
    /// - Every part's `expected` is checked, in order, before anything is written.
    /// - A stream may be named in one part only: a batch that names one twice is refused
    ///   whatever the parts hold.
    /// - The envelopes are sealed in order across the whole batch: their positions are
    ///   consecutive, one hash chain runs through them, and each stream's sequence numbers
    ///   continue from its `expected`. Only the batch's very last envelope has
    ///   [`last_in_batch`](Envelope::last_in_batch), so a file journal that stopped in the
    ///   middle of the batch keeps no part of it (a torn tail).
    /// - A part without events writes nothing to its stream, but its `expected` is checked;
    ///   a batch without parts, or whose parts are all empty, only checks.
    ///
    /// Returns the new envelopes, in the order written.
    ///
    /// # Errors
    ///
    /// Nothing is written on any error. Checked in this order:
    /// [`JournalError::DuplicateStream`] when a stream is named in more than one part;
    /// [`JournalError::Conflict`] for the first part whose stream has moved on since the
    /// writer read it; [`JournalError::Encode`] when an event cannot be serialised;
    /// [`JournalError::SequenceOverflow`]; then storage errors ([`JournalError::Io`],
    /// [`JournalError::Database`]), after which the journal is as it was before the call.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{BatchPart, FileJournal, Journal, JournalError, NewEvent, StreamId};
    /// use jiff::Timestamp;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("community.jsonl");
    /// let time: Timestamp = "2025-05-06T18:00:00Z".parse()?;
    /// let round = StreamId::new("consent-round:1")?;
    /// let proposal = StreamId::new("proposal:7")?;
    /// let event = |member, text: &str| NewEvent::new(MemberId::new(member), time, text.to_owned());
    ///
    /// let (journal, _) = FileJournal::<String>::open(&path)?;
    /// journal.append(&proposal, 0, vec![event(2, "drafted")])?;
    /// journal.append(&round, 0, vec![event(2, "opened")])?;
    ///
    /// // The round ends and decides for the proposal: both streams, one batch.
    /// let written = journal.append_batch(vec![
    ///     BatchPart::new(round.clone(), 1, vec![event(2, "consented")]),
    ///     BatchPart::new(proposal.clone(), 1, vec![event(2, "adopted")]),
    /// ])?;
    /// assert_eq!(written.iter().map(|e| e.position).collect::<Vec<_>>(), [3, 4]);
    /// assert_eq!(written[1].prev, written[0].hash);
    ///
    /// // A writer that still thinks the proposal has one event is refused, and writes
    /// // nothing to either stream.
    /// let stale = journal.append_batch(vec![
    ///     BatchPart::new(round.clone(), 2, vec![event(5, "reopened")]),
    ///     BatchPart::new(proposal.clone(), 1, vec![event(5, "withdrawn")]),
    /// ]);
    /// assert!(matches!(stale, Err(JournalError::Conflict { expected: 1, actual: 2, .. })));
    /// drop(journal);
    ///
    /// let (reopened, _) = FileJournal::<String>::open(&path)?;
    /// let events = |stream| -> Result<Vec<String>, JournalError> {
    ///     Ok(reopened.read_stream(stream)?.into_iter().map(|e| e.event).collect())
    /// };
    /// assert_eq!(events(&round)?, ["opened", "consented"]);
    /// assert_eq!(events(&proposal)?, ["drafted", "adopted"]);
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    fn append_batch(
        &self,
        parts: Vec<BatchPart<Self::Event>>,
    ) -> Result<Vec<Envelope<Self::Event>>, JournalError> {
        self.append_batch_at(None, parts)
    }

    /// [`Journal::append_batch`], and given `head`, only if the journal's last position is
    /// still `head` (`0` for an empty journal): a writer whose checks read other streams
    /// than those it writes (who is in the community, whether another round runs for the
    /// same matter) writes only on the journal it read, and another writer's append in
    /// between, to any stream, refuses it. `None` checks no position.
    ///
    /// # Errors
    ///
    /// As [`Journal::append_batch`], and [`JournalError::Moved`], checked first, when the
    /// journal's last position is not `head`; nothing is written.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{BatchPart, Journal, JournalError, MemoryJournal, NewEvent, StreamId};
    ///
    /// let journal = MemoryJournal::<String>::new();
    /// let event = |text: &str| NewEvent::new(MemberId::new(1), jiff::Timestamp::UNIX_EPOCH, text.to_owned());
    /// let round = StreamId::new("round")?;
    /// let other = StreamId::new("other-round")?;
    /// journal.append_batch_at(Some(0), vec![BatchPart::new(round.clone(), 0, vec![event("opened")])])?;
    /// // Another writer appends elsewhere; a writer that read the journal at position 1 is refused.
    /// journal.append(&other, 0, vec![event("opened")])?;
    /// let stale = journal.append_batch_at(Some(1), vec![BatchPart::new(round, 1, vec![event("closed")])]);
    /// assert!(matches!(stale, Err(JournalError::Moved { expected: 1, actual: 2 })));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    fn append_batch_at(
        &self,
        head: Option<u64>,
        parts: Vec<BatchPart<Self::Event>>,
    ) -> Appended<Self::Event>;

    /// The last sequence number of `stream`: the `expected` for the next append.
    ///
    /// # Errors
    ///
    /// Storage errors.
    fn version(&self, stream: &StreamId) -> Result<u64, JournalError>;

    /// The envelopes of one stream, in sequence order.
    ///
    /// # Errors
    ///
    /// Storage errors, and [`JournalError::Corruption`] where the implementation reads
    /// from storage and finds a bad envelope.
    fn read_stream(&self, stream: &StreamId) -> Result<Vec<Envelope<Self::Event>>, JournalError>;

    /// Every envelope, in position order.
    ///
    /// # Errors
    ///
    /// As [`Journal::read_stream`].
    fn read_all(&self) -> Result<Vec<Envelope<Self::Event>>, JournalError>;

    /// The envelopes after `position` in the whole journal, in position order: an event
    /// feed that has delivered every envelope up to `position` (its cursor) asks for what
    /// came since. `read_after(0)` is [`Journal::read_all`]; a position at or past the end
    /// gives nothing.
    ///
    /// A journal that reads from storage checks what it reads: each envelope's own hash,
    /// that the positions run on from `position` without a gap, that the first links to the
    /// envelope at `position` and each to the one before it, and that the last batch is
    /// finished. The default reads the whole journal with [`Journal::read_all`] and keeps
    /// the tail.
    ///
    /// # Errors
    ///
    /// As [`Journal::read_all`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId};
    ///
    /// let journal = MemoryJournal::<String>::new();
    /// let stream = StreamId::new("round-1")?;
    /// let at = "2025-01-01T00:00:00Z".parse()?;
    /// let event = |text: &str| NewEvent::new(MemberId::new(1), at, text.to_owned());
    /// journal.append(&stream, 0, vec![event("opened"), event("consented")])?;
    /// // A feed delivered position 1; one more event came since.
    /// let since: Vec<_> = journal.read_after(1)?.into_iter().map(|e| (e.position, e.event)).collect();
    /// assert_eq!(since, [(2, "consented".to_owned())]);
    /// assert!(journal.read_after(2)?.is_empty());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    fn read_after(&self, position: u64) -> Result<Vec<Envelope<Self::Event>>, JournalError> {
        let mut all = self.read_all()?;
        let start = usize::try_from(position).map_or(all.len(), |p| p.min(all.len()));
        Ok(all.split_off(start))
    }

    /// At most `limit` of the envelopes after `position`, in position order: one page of
    /// [`Journal::read_after`], for a feed that hands envelopes on a page at a time. What a
    /// page costs follows its size, not the journal's: a client asking for the first page of
    /// a long journal does not make the journal read the rest. A page may end inside a
    /// batch; the next page goes on from its last position. A journal that reads from
    /// storage checks a page as [`Journal::read_after`] checks the tail, except that a full
    /// page is not the end, so its last batch may go on beyond it. The default reads the
    /// whole tail and keeps the page.
    ///
    /// # Errors
    ///
    /// As [`Journal::read_after`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId};
    ///
    /// let journal = MemoryJournal::<u32>::new();
    /// let stream = StreamId::new("round-1")?;
    /// let at = "2025-01-01T00:00:00Z".parse()?;
    /// journal.append(&stream, 0, (1..=5).map(|n| NewEvent::new(MemberId::new(1), at, n)).collect())?;
    /// let page: Vec<_> = journal.read_page(1, 2)?.into_iter().map(|e| e.event).collect();
    /// assert_eq!(page, [2, 3]);
    /// assert!(journal.read_page(5, 2)?.is_empty());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    fn read_page(
        &self,
        position: u64,
        limit: usize,
    ) -> Result<Vec<Envelope<Self::Event>>, JournalError> {
        let mut tail = self.read_after(position)?;
        tail.truncate(limit);
        Ok(tail)
    }

    /// Lends every envelope, in position order, to `read`, and returns what it returns,
    /// without copying the envelopes out: a replay that only folds them needs no copy of
    /// the journal beside the one the journal keeps. A journal that keeps its envelopes in
    /// memory lends them under its lock, so `read` must not call back into the same
    /// journal (an append from inside `read` would wait for itself). A journal that reads
    /// from storage (the default) reads them with [`Journal::read_all`] and lends those.
    ///
    /// # Errors
    ///
    /// As [`Journal::read_all`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId};
    ///
    /// let journal = MemoryJournal::<String>::new();
    /// let stream = StreamId::new("round-1")?;
    /// let at = "2025-01-01T00:00:00Z".parse()?;
    /// journal.append(&stream, 0, vec![NewEvent::new(MemberId::new(1), at, "opened".to_owned())])?;
    /// let text = journal.read_all_with(|envelopes| envelopes.iter().map(|e| e.event.len()).sum::<usize>())?;
    /// assert_eq!(text, "opened".len());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    fn read_all_with<R>(
        &self,
        read: impl FnOnce(&[Envelope<Self::Event>]) -> R,
    ) -> Result<R, JournalError>
    where
        Self: Sized,
    {
        Ok(read(&self.read_all()?))
    }
}

/// Why a journal operation was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum JournalError {
    /// An append was refused because the stream has moved on since the writer read it.
    #[error(
        "cannot append to stream `{stream}`: the writer expected its last sequence number to be {expected}, but it is {actual}; nothing was written"
    )]
    Conflict {
        /// The stream.
        stream: StreamId,
        /// The sequence number the writer expected.
        expected: u64,
        /// The stream's actual last sequence number.
        actual: u64,
    },
    /// An append was refused because the journal has moved on since the writer read it:
    /// another writer appended to some stream (see [`Journal::append_batch_at`]).
    #[error(
        "cannot append: the writer read the journal up to position {expected}, but it is at {actual}: another writer appended since; nothing was written"
    )]
    #[strum(serialize = "journal_moved")]
    Moved {
        /// The last position the writer read.
        expected: u64,
        /// The journal's actual last position.
        actual: u64,
    },
    /// A stored envelope failed to parse or verify. Everything from `position` on is
    /// untrusted; nothing was dropped or repaired.
    #[error("journal `{journal}` is corrupt at position {position}: {reason}")]
    #[strum(serialize = "journal_corrupt")]
    Corruption {
        /// The journal (a path, a database, or `memory`).
        journal: String,
        /// The global position (equal to the line number in a file journal) of the first
        /// bad envelope.
        position: u64,
        /// Why it is bad.
        reason: CorruptionReason,
    },
    /// An event could not be serialised into an envelope; nothing was written.
    #[error("cannot append to stream `{stream}`: an event cannot be encoded: {message}")]
    #[strum(serialize = "journal_encode")]
    Encode {
        /// The stream.
        stream: StreamId,
        /// The serialiser's message.
        message: String,
    },
    /// A batch names a stream in more than one of its parts; nothing was written.
    #[error(
        "cannot append a batch: stream `{stream}` is named in more than one of its parts; nothing was written"
    )]
    DuplicateStream {
        /// The first stream named a second time.
        stream: StreamId,
    },
    /// A stream or journal position would pass `u64::MAX`.
    #[error("cannot append to stream `{stream}`: its sequence numbers are exhausted")]
    SequenceOverflow {
        /// The stream.
        stream: StreamId,
    },
    /// A stream id was not a valid slug.
    #[error("invalid stream id `{id}`: {reason}")]
    #[strum(serialize = "invalid_stream")]
    InvalidStreamId {
        /// The text that was refused.
        id: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A file operation failed.
    #[error("journal `{journal}`: could not {operation}: {message}")]
    #[strum(serialize = "journal_io")]
    Io {
        /// The journal's path.
        journal: String,
        /// What was being done.
        operation: &'static str,
        /// The kind of I/O error.
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// A database operation of the SQLite or PostgreSQL journal failed.
    #[error("journal `{journal}`: could not {operation}: {message}")]
    #[strum(serialize = "journal_database")]
    Database {
        /// The database: an SQLite path, or a PostgreSQL database and server (never a
        /// password).
        journal: String,
        /// What was being done.
        operation: &'static str,
        /// The database's message.
        message: String,
    },
    /// The database holds a journal in a layout (its tables' schema version) that this
    /// crate does not read; nothing was read or written.
    #[error(
        "journal `{journal}` is stored in schema version {found}; this crate reads version {supported}"
    )]
    #[strum(serialize = "journal_storage_version")]
    StorageVersion {
        /// The database.
        journal: String,
        /// The version the database records.
        found: i64,
        /// The version this crate reads and writes.
        supported: i64,
    },
    /// A thread panicked while holding the journal's lock, so its state is not trusted.
    #[error("journal `{journal}` is unusable: a writer panicked while holding its lock")]
    #[strum(serialize = "journal_poisoned")]
    Poisoned {
        /// The journal.
        journal: String,
    },
    /// The journal file is open in another journal (in this process or another), which
    /// holds its lock: two writers would interleave their lines.
    #[error("journal `{journal}` is open elsewhere: its file is locked by another writer")]
    #[strum(serialize = "journal_locked")]
    Locked {
        /// The journal.
        journal: String,
    },
}

impl JournalError {
    /// A stable `snake_case` name of the error's kind, for the wire (an HTTP server's error
    /// body, a log): `conflict`, `journal_corrupt`, `journal_io`... One name per variant, the
    /// engine's [`kind`](crate::engine::EngineError::kind) of a journal error.
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// Whether the call was refused, rather than the journal failing.
    ///
    /// A refusal is of what was asked, and nothing was written: an append that lost a race
    /// ([`Conflict`](JournalError::Conflict): read the stream again and decide again), a
    /// batch naming a stream twice, an event that cannot be encoded, a stream id that is not
    /// a slug. A failure is of the journal itself, whatever was asked: it is corrupt, a file
    /// or database operation failed, a writer panicked holding it, another writer holds its
    /// file, it is stored in a layout this crate does not read, or a stream's sequence
    /// numbers are exhausted.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::journal::{JournalError, StreamId};
    ///
    /// assert!(StreamId::new("Round 17").unwrap_err().is_refusal());
    /// assert!(!JournalError::Locked { journal: "decisions.jsonl".into() }.is_refusal());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn is_refusal(&self) -> bool {
        match self {
            JournalError::Conflict { .. }
            | JournalError::Moved { .. }
            | JournalError::Encode { .. }
            | JournalError::DuplicateStream { .. }
            | JournalError::InvalidStreamId { .. } => true,
            JournalError::Corruption { .. }
            | JournalError::SequenceOverflow { .. }
            | JournalError::Io { .. }
            | JournalError::Database { .. }
            | JournalError::StorageVersion { .. }
            | JournalError::Poisoned { .. }
            | JournalError::Locked { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_of_a_call_and_failures_of_the_journal_are_told_apart() {
        let stream = StreamId::new("s").unwrap();
        let journal = || "j.jsonl".to_owned();
        let every = [
            (
                JournalError::Conflict {
                    stream: stream.clone(),
                    expected: 1,
                    actual: 2,
                },
                true,
            ),
            (
                JournalError::Encode {
                    stream: stream.clone(),
                    message: "m".into(),
                },
                true,
            ),
            (
                JournalError::DuplicateStream {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                JournalError::InvalidStreamId {
                    id: "S".into(),
                    reason: "r",
                },
                true,
            ),
            (
                JournalError::Corruption {
                    journal: journal(),
                    position: 3,
                    reason: CorruptionReason::NotUtf8,
                },
                false,
            ),
            (JournalError::SequenceOverflow { stream }, false),
            (
                JournalError::Io {
                    journal: journal(),
                    operation: "append",
                    kind: std::io::ErrorKind::StorageFull,
                    message: "no space left".into(),
                },
                false,
            ),
            (
                JournalError::Database {
                    journal: journal(),
                    operation: "append",
                    message: "disk I/O error".into(),
                },
                false,
            ),
            (
                JournalError::StorageVersion {
                    journal: journal(),
                    found: 2,
                    supported: 1,
                },
                false,
            ),
            (JournalError::Poisoned { journal: journal() }, false),
            (JournalError::Locked { journal: journal() }, false),
        ];
        for (error, refusal) in every {
            assert_eq!(error.is_refusal(), refusal, "{error:?}");
        }
    }
}
