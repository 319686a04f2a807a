//! The event envelope, its hash and the chain that links envelopes.
//!
//! An [`Envelope`] wraps one event with where it belongs ([`StreamId`] and sequence number),
//! its global position, when and by whom it was recorded, the schema version, whether it
//! closes the batch it was appended in, the hash of the envelope before it and its own hash.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::JournalError;
use super::ids::StreamId;
use crate::community::MemberId;
use crate::hash::Hash;

/// The version of the envelope format written by this crate. An envelope with any other
/// version is refused on read.
pub const SCHEMA_VERSION: u32 = 1;

/// An event to append: who recorded it, when, and the event itself.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent<E> {
    /// The member on whose behalf the event is recorded.
    pub actor: MemberId,
    /// When it happened, as the caller says (the library never reads the clock).
    pub time: Timestamp,
    /// The event.
    pub event: E,
}

impl<E> NewEvent<E> {
    /// An event recorded by `actor` at `time`.
    pub fn new(actor: MemberId, time: Timestamp, event: E) -> Self {
        Self { actor, time, event }
    }
}

/// One stream's part of an atomic batch (see [`Journal::append_batch`]): the stream, the
/// sequence number the writer last saw for it (`0` for an empty stream), and the events to
/// append to it, in order. A part with no events writes nothing, but its `expected` is still
/// checked.
///
/// [`Journal::append_batch`]: super::Journal::append_batch
#[derive(Debug, Clone, PartialEq)]
pub struct BatchPart<E> {
    /// The stream the events belong to.
    pub stream: StreamId,
    /// The stream's last sequence number as the writer last saw it: the batch is refused
    /// unless it still is.
    pub expected: u64,
    /// The events to append to the stream.
    pub events: Vec<NewEvent<E>>,
}

impl<E> BatchPart<E> {
    /// The part of a batch that appends `events` to `stream`, whose last sequence number the
    /// writer saw as `expected`.
    pub fn new(stream: StreamId, expected: u64, events: Vec<NewEvent<E>>) -> Self {
        Self {
            stream,
            expected,
            events,
        }
    }
}

/// One recorded event with its place in the journal and its hashes.
///
/// Its JSON form is one object: `hash`, `position`, `stream`, `seq`, `time`, `actor`,
/// `schema`, `last_in_batch`, `prev`, `event`, in that order; unknown fields are refused.
///
/// # The canonical encoding
///
/// The *body* of an envelope is the compact `serde_json` encoding of every field except
/// `hash`, in declaration order. The hash is the BLAKE3 hash of the body's bytes. The stored
/// form (a line of a file journal, a row of an SQLite or PostgreSQL journal) is the body
/// with the hash spliced in as its first field: `{"hash":"<64 lowercase hex>",<rest of the
/// body>`. Reading a stored line therefore hashes the line's own bytes, so every byte of it
/// except the hash is covered by the hash, and the hash itself must decode strictly
/// (lowercase only) to the value it claims. Nothing is re-serialised on the read path.
///
/// [`verify_chain`] checks a sequence of envelopes held as values; there the body is
/// re-serialised, which is only canonical when the event type serialises deterministically
/// (structs, enums, `BTreeMap`; not `HashMap`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Envelope<E> {
    /// The BLAKE3 hash of the envelope's body (every other field, see the module docs).
    pub hash: Hash,
    /// The place in the whole journal, counting from 1 with no gaps: the order of "read all".
    pub position: u64,
    /// The stream the event belongs to.
    pub stream: StreamId,
    /// The place in its stream, counting from 1 with no gaps.
    pub seq: u64,
    /// When the event happened, as given by the caller.
    pub time: Timestamp,
    /// Who recorded it.
    pub actor: MemberId,
    /// The envelope format version, [`SCHEMA_VERSION`].
    pub schema: u32,
    /// Whether this is the last event of the batch it was appended with. A batch (the events
    /// of one command, in one stream or several) is all or nothing: only its very last
    /// envelope has this flag, and a file journal whose last batch lacks its closing event
    /// drops the whole batch, every stream's part of it, as a torn tail.
    pub last_in_batch: bool,
    /// The hash of the envelope before this one in the whole journal ([`Hash::GENESIS`] for
    /// the first), so that a change anywhere breaks the chain after it.
    pub prev: Hash,
    /// The event.
    pub event: E,
}

/// The envelope without its hash: what is hashed. Field names and order match [`Envelope`].
#[derive(Serialize)]
struct Body<'a, E> {
    position: u64,
    stream: &'a StreamId,
    seq: u64,
    time: &'a Timestamp,
    actor: MemberId,
    schema: u32,
    last_in_batch: bool,
    prev: &'a Hash,
    event: &'a E,
}

/// How every stored line starts: the `hash` field, whose value follows.
pub(crate) const PREFIX: &str = "{\"hash\":\"";

impl<E: Serialize> Envelope<E> {
    fn body(&self) -> Body<'_, E> {
        Body {
            position: self.position,
            stream: &self.stream,
            seq: self.seq,
            time: &self.time,
            actor: self.actor,
            schema: self.schema,
            last_in_batch: self.last_in_batch,
            prev: &self.prev,
            event: &self.event,
        }
    }

    /// Hashes the canonical body of this envelope (ignoring its `hash` field).
    ///
    /// # Errors
    ///
    /// [`JournalError::Encode`] when the event cannot be serialised.
    pub fn compute_hash(&self) -> Result<Hash, JournalError> {
        let body = encode_body(&self.body(), &self.stream)?;
        Ok(Hash::of(body.as_bytes()))
    }

    /// The stored form: one line of JSON (without its newline) whose hash is the hash of the
    /// envelope's body.
    ///
    /// # Errors
    ///
    /// [`JournalError::Encode`] when the event cannot be serialised.
    pub fn to_line(&self) -> Result<String, JournalError> {
        let body = encode_body(&self.body(), &self.stream)?;
        splice(&Hash::of(body.as_bytes()), body.as_bytes(), &self.stream)
    }
}

impl<E: DeserializeOwned> Envelope<E> {
    /// Reads one stored line (without its newline) and checks its own hash and schema
    /// version. Linking it to its neighbours is the chain's job ([`verify_chain`]).
    ///
    /// # Errors
    ///
    /// The [`CorruptionReason`] why the line is not a sound envelope.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId, Envelope};
    ///
    /// let journal = MemoryJournal::<String>::new();
    /// let stream = StreamId::new("notes")?;
    /// let time = "2025-03-01T10:00:00Z".parse()?;
    /// let [env] = <[_; 1]>::try_from(journal.append(
    ///     &stream, 0, vec![NewEvent::new(MemberId::new(3), time, "minuted".to_owned())],
    /// )?).unwrap();
    /// let line = env.to_line()?;
    /// assert_eq!(Envelope::<String>::from_line(&line), Ok(env));
    /// let tampered = line.replace("minuted", "minutes");
    /// assert!(Envelope::<String>::from_line(&tampered).is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn from_line(line: &str) -> Result<Self, CorruptionReason> {
        super::line::read_line(line, |_| None)
    }
}

fn encode_body<E: Serialize>(
    body: &Body<'_, E>,
    stream: &StreamId,
) -> Result<String, JournalError> {
    let mut buf = Vec::with_capacity(256);
    encode_into(body, stream, &mut buf)?;
    String::from_utf8(buf).map_err(|e| JournalError::Encode {
        stream: stream.clone(),
        message: e.to_string(),
    })
}

/// Writes the JSON of `body` into `buf` (emptied first), so that a batch reuses one buffer.
fn encode_into<E: Serialize>(
    body: &Body<'_, E>,
    stream: &StreamId,
    buf: &mut Vec<u8>,
) -> Result<(), JournalError> {
    buf.clear();
    serde_json::to_writer(&mut *buf, body).map_err(|e| JournalError::Encode {
        stream: stream.clone(),
        message: e.to_string(),
    })?;
    // A raw newline (possible only through a hand-written serializer or raw JSON value)
    // would split the line and make the journal unreadable, so it is refused up front.
    if buf.contains(&b'\n') {
        return Err(JournalError::Encode {
            stream: stream.clone(),
            message: "the event's JSON contains a raw newline".to_owned(),
        });
    }
    Ok(())
}

fn splice(hash: &Hash, body: &[u8], stream: &StreamId) -> Result<String, JournalError> {
    let encode = |message: String| JournalError::Encode {
        stream: stream.clone(),
        message,
    };
    let rest = body
        .strip_prefix(b"{")
        .ok_or_else(|| encode("the envelope body is not a JSON object".to_owned()))?;
    let rest = std::str::from_utf8(rest).map_err(|e| encode(e.to_string()))?;
    let hex = hash.hex();
    let hex = std::str::from_utf8(&hex).map_err(|e| encode(e.to_string()))?;
    let mut line = String::with_capacity(body.len() + PREFIX.len() + 66);
    line.push_str(PREFIX);
    line.push_str(hex);
    line.push_str("\",");
    line.push_str(rest);
    Ok(line)
}

/// An envelope sealed for appending, with its stored line (no newline) when the journal
/// stores lines ([`Lines::Keep`]); empty otherwise.
pub(crate) struct Sealed<E> {
    pub(crate) envelope: Envelope<E>,
    pub(crate) line: String,
}

/// Whether sealing keeps each envelope's stored line: a journal that writes lines needs
/// them; the memory journal keeps only the envelopes, and sealing then writes each body
/// into one reused buffer, hashes it and keeps nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// Keep the stored line of each envelope.
    Keep,
    /// Hash each body and keep no line.
    Drop,
}

/// Checks a batch against `chain` and seals it, continuing from `chain`; mutates nothing.
///
/// The rules of [`Journal::append_batch`](super::Journal::append_batch), in this order: a
/// stream named in two parts is refused; then every part's `expected` is checked, in order;
/// then the parts are sealed in order as one batch, whose last envelope alone closes it.
pub(crate) fn prepare<E: Serialize>(
    chain: &ChainState,
    head: Option<u64>,
    parts: Vec<BatchPart<E>>,
    lines: Lines,
) -> Result<Vec<Sealed<E>>, JournalError> {
    if let Some(expected) = head
        && expected != chain.position
    {
        return Err(JournalError::Moved {
            expected,
            actual: chain.position,
        });
    }
    refuse_duplicates(&parts)?;
    for part in &parts {
        let actual = chain.version(part.stream.as_str());
        if actual != part.expected {
            return Err(JournalError::Conflict {
                stream: part.stream.clone(),
                expected: part.expected,
                actual,
            });
        }
    }
    seal_batch(chain, parts, lines)
}

/// Refuses a batch that names a stream in more than one part.
fn refuse_duplicates<E>(parts: &[BatchPart<E>]) -> Result<(), JournalError> {
    if parts.len() < 2 {
        return Ok(());
    }
    let mut seen: HashSet<&str, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(parts.len(), foldhash::fast::RandomState::default());
    match parts.iter().find(|part| !seen.insert(part.stream.as_str())) {
        Some(part) => Err(JournalError::DuplicateStream {
            stream: part.stream.clone(),
        }),
        None => Ok(()),
    }
}

/// Seals the parts of one batch in order, continuing from `chain`: positions and the hash
/// chain run on across the parts, each stream's sequence numbers continue from its last in
/// `chain`, and only the batch's last envelope has `last_in_batch`. Mutates nothing.
fn seal_batch<E: Serialize>(
    chain: &ChainState,
    parts: Vec<BatchPart<E>>,
    lines: Lines,
) -> Result<Vec<Sealed<E>>, JournalError> {
    let count: usize = parts.iter().map(|part| part.events.len()).sum();
    let mut buf = Vec::with_capacity(256);
    let mut position = chain.position;
    let mut prev = chain.head;
    let mut sealed = Vec::with_capacity(count);
    for BatchPart { stream, events, .. } in parts {
        let overflow = || JournalError::SequenceOverflow {
            stream: stream.clone(),
        };
        let mut seq = chain.version(stream.as_str());
        for new in events {
            seq = seq.checked_add(1).ok_or_else(overflow)?;
            position = position.checked_add(1).ok_or_else(overflow)?;
            let last_in_batch = sealed.len() + 1 == count;
            let body = Body {
                position,
                stream: &stream,
                seq,
                time: &new.time,
                actor: new.actor,
                schema: SCHEMA_VERSION,
                last_in_batch,
                prev: &prev,
                event: &new.event,
            };
            encode_into(&body, &stream, &mut buf)?;
            let hash = Hash::of(&buf);
            let line = match lines {
                Lines::Keep => splice(&hash, &buf, &stream)?,
                Lines::Drop => String::new(),
            };
            let envelope = Envelope {
                hash,
                position,
                stream: stream.clone(),
                seq,
                time: new.time,
                actor: new.actor,
                schema: SCHEMA_VERSION,
                last_in_batch,
                prev,
                event: new.event,
            };
            prev = hash;
            sealed.push(Sealed { envelope, line });
        }
    }
    Ok(sealed)
}

/// Why a stored envelope, or a sequence of envelopes, is not sound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CorruptionReason {
    /// The line is not UTF-8.
    #[error("the line is not valid UTF-8")]
    NotUtf8,
    /// The line is not a well-formed envelope.
    #[error("the line is not a well-formed envelope: {message}")]
    Malformed {
        /// What the reader found wrong.
        message: String,
    },
    /// The stored hash is not the hash of the envelope's body: a byte changed.
    #[error("the stored hash {stored} is not the hash of the envelope's body ({computed})")]
    HashMismatch {
        /// The hash written in the envelope.
        stored: Hash,
        /// The hash of the body as it is now.
        computed: Hash,
    },
    /// The envelope has a schema version this crate does not read.
    #[error("schema version {found} is not the supported version {SCHEMA_VERSION}")]
    UnsupportedSchema {
        /// The version found.
        found: u32,
    },
    /// The envelope's position does not follow the one before it.
    #[error("position {found} does not follow position {}", expected.saturating_sub(1))]
    PositionOutOfOrder {
        /// The position that should come next.
        expected: u64,
        /// The position found.
        found: u64,
    },
    /// The envelope's `prev` is not the hash of the envelope before it.
    #[error("its prev {found} is not the hash of the envelope before it ({expected})")]
    BrokenChain {
        /// The hash of the envelope before it.
        expected: Hash,
        /// The `prev` it carries.
        found: Hash,
    },
    /// The envelope's sequence number does not follow the last one of its stream.
    #[error("sequence number {found} in stream `{stream}` should be {expected}")]
    SequenceGap {
        /// The stream.
        stream: StreamId,
        /// The sequence number that should come next.
        expected: u64,
        /// The sequence number found.
        found: u64,
    },
    /// An envelope returns, inside one batch, to a stream the batch had already left. A batch
    /// may span several streams, but writes each of them in one run (its parts name distinct
    /// streams).
    #[error(
        "an envelope of stream `{found}` follows one of stream `{batch}` inside a batch that left stream `{found}` before"
    )]
    BatchInterleaved {
        /// The stream of the envelope before it, in the same unfinished batch.
        batch: StreamId,
        /// The stream of the envelope found, written earlier in the same batch.
        found: StreamId,
    },
    /// The sequence ends inside a batch.
    #[error("the envelopes end inside an unfinished batch, which starts in stream `{stream}`")]
    UnfinishedBatch {
        /// The stream of the unfinished batch's first envelope.
        stream: StreamId,
    },
    /// The envelope's body could not be serialised to recompute its hash.
    #[error("the envelope's body cannot be serialised: {message}")]
    Unencodable {
        /// The serialiser's message.
        message: String,
    },
    /// The journal's recorded head (a database journal records the position and hash of its
    /// last envelope with every append) is not where its envelopes end: envelopes were
    /// removed from its end, or added without it.
    #[error(
        "the journal records its last envelope as position {recorded} of hash {recorded_hash}, but its envelopes end at position {found} of hash {found_hash}"
    )]
    HeadMismatch {
        /// The position of the last envelope, as the journal recorded it (0: none).
        recorded: u64,
        /// The hash of the last envelope, as the journal recorded it.
        recorded_hash: Hash,
        /// The position of the last envelope read (0: none).
        found: u64,
        /// The hash of the last envelope read ([`Hash::GENESIS`] for none).
        found_hash: Hash,
    },
    /// A stored row's index column disagrees with the envelope in it.
    #[error("the row's `{column}` column disagrees with the envelope it stores")]
    RowMismatch {
        /// The column.
        column: &'static str,
    },
}

/// Where [`verify_chain`] found the first unsound envelope, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("envelope {index} (position {position}) breaks the chain: {reason}")]
pub struct ChainBreak {
    /// The 0-based index of the first bad envelope in the sequence given.
    pub index: usize,
    /// The global position it should have had.
    pub position: u64,
    /// Why it is unsound.
    pub reason: CorruptionReason,
}

/// The running state of a chain check: the last position and hash, each stream's last
/// sequence number, and the streams of an unfinished batch.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChainState {
    pub(crate) position: u64,
    pub(crate) head: Hash,
    streams: HashMap<StreamId, u64, foldhash::fast::RandomState>,
    /// The streams an unfinished batch has written, in order (the last is the one it is
    /// writing); empty between batches.
    batch: Vec<StreamId>,
}

impl ChainState {
    /// A state that knows only the journal's head and some streams' last sequence numbers:
    /// enough to check and seal a batch for those streams.
    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
    pub(crate) fn at(
        position: u64,
        head: Hash,
        versions: impl IntoIterator<Item = (StreamId, u64)>,
    ) -> Self {
        let streams = versions.into_iter().filter(|(_, seq)| *seq > 0).collect();
        Self {
            position,
            head,
            streams,
            batch: Vec::new(),
        }
    }

    /// The first stream of an unfinished batch, `None` between batches.
    pub(crate) fn open_batch(&self) -> Option<&StreamId> {
        self.batch.first()
    }

    /// The last sequence number of `stream`, 0 when it has none.
    pub(crate) fn version(&self, stream: &str) -> u64 {
        self.streams.get(stream).copied().unwrap_or(0)
    }

    /// The id held for the stream `slug`, if it has envelopes: a replay shares it.
    pub(crate) fn stream_id(&self, slug: &str) -> Option<StreamId> {
        self.streams.get_key_value(slug).map(|(id, _)| id.clone())
    }

    /// Checks that `envelope` follows the chain so far and, if it does, takes it in.
    pub(crate) fn admit<E>(&mut self, envelope: &Envelope<E>) -> Result<(), CorruptionReason> {
        let expected = self.position.saturating_add(1);
        if envelope.position != expected {
            return Err(CorruptionReason::PositionOutOfOrder {
                expected,
                found: envelope.position,
            });
        }
        if envelope.prev != self.head {
            return Err(CorruptionReason::BrokenChain {
                expected: self.head,
                found: envelope.prev,
            });
        }
        // A batch may move on to another stream, never back to one it has left.
        if let Some(current) = self.batch.last()
            && *current != envelope.stream
            && self.batch.contains(&envelope.stream)
        {
            return Err(CorruptionReason::BatchInterleaved {
                batch: current.clone(),
                found: envelope.stream.clone(),
            });
        }
        let slot = self.streams.get_mut(envelope.stream.as_str());
        let last = slot.as_ref().map_or(0, |s| **s);
        if envelope.seq != last.saturating_add(1) {
            return Err(CorruptionReason::SequenceGap {
                stream: envelope.stream.clone(),
                expected: last.saturating_add(1),
                found: envelope.seq,
            });
        }
        match slot {
            Some(seq) => *seq = envelope.seq,
            None => {
                self.streams.insert(envelope.stream.clone(), envelope.seq);
            }
        }
        self.position = envelope.position;
        self.head = envelope.hash;
        if envelope.last_in_batch {
            self.batch.clear();
        } else if self.batch.last() != Some(&envelope.stream) {
            // The batch starts, or moves on to a stream it has not written (checked above).
            self.batch.push(envelope.stream.clone());
        }
        Ok(())
    }
}

/// Checks a sequence of envelopes, as read from a journal from its start: each hash is the
/// hash of its body, positions run `1, 2, 3, ...`, each `prev` is the hash before it, each
/// stream's sequence numbers run `1, 2, 3, ...`, a batch (which may span several streams)
/// does not return to a stream it has left, and the last batch is finished. Pure: no I/O.
///
/// # Errors
///
/// The first [`ChainBreak`].
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::journal::{verify_chain, Journal, MemoryJournal, NewEvent, StreamId};
///
/// let journal = MemoryJournal::<u32>::new();
/// let stream = StreamId::new("tally")?;
/// let time = "2025-03-01T10:00:00Z".parse()?;
/// journal.append(&stream, 0, vec![NewEvent::new(MemberId::new(1), time, 7)])?;
/// journal.append(&stream, 1, vec![NewEvent::new(MemberId::new(2), time, 8)])?;
/// let mut envelopes = journal.read_all()?;
/// assert!(verify_chain(&envelopes).is_ok());
///
/// envelopes[0].event = 9; // a changed decision
/// assert_eq!(verify_chain(&envelopes).unwrap_err().index, 0);
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn verify_chain<E: Serialize>(envelopes: &[Envelope<E>]) -> Result<(), ChainBreak> {
    let mut chain = ChainState::default();
    let mut batch_start = 0;
    for (index, envelope) in envelopes.iter().enumerate() {
        let position = chain.position.saturating_add(1);
        let fail = |reason| ChainBreak {
            index,
            position,
            reason,
        };
        let computed = envelope.compute_hash().map_err(|e| {
            fail(CorruptionReason::Unencodable {
                message: e.to_string(),
            })
        })?;
        if computed != envelope.hash {
            return Err(fail(CorruptionReason::HashMismatch {
                stored: envelope.hash,
                computed,
            }));
        }
        if envelope.schema != SCHEMA_VERSION {
            return Err(fail(CorruptionReason::UnsupportedSchema {
                found: envelope.schema,
            }));
        }
        if chain.open_batch().is_none() {
            batch_start = index;
        }
        chain.admit(envelope).map_err(fail)?;
    }
    match chain.open_batch().cloned() {
        Some(stream) => Err(ChainBreak {
            index: batch_start,
            position: u64::try_from(batch_start)
                .unwrap_or(u64::MAX)
                .saturating_add(1),
            reason: CorruptionReason::UnfinishedBatch { stream },
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Sealed<serde_json::Value>> {
        let chain = ChainState::default();
        let stream = StreamId::new("round:1").unwrap();
        let time: Timestamp = "2025-01-02T03:04:05Z".parse().unwrap();
        let events = vec![
            NewEvent::new(
                MemberId::new(4),
                time,
                serde_json::json!({"type": "opened"}),
            ),
            NewEvent::new(
                MemberId::new(5),
                time,
                serde_json::json!({"type": "closed"}),
            ),
        ];
        prepare(
            &chain,
            None,
            vec![BatchPart::new(stream, 0, events)],
            Lines::Keep,
        )
        .unwrap()
    }

    #[test]
    fn sealing_without_lines_gives_the_same_envelopes() {
        let kept = sample();
        let stream = StreamId::new("round:1").unwrap();
        let events = kept
            .iter()
            .map(|s| NewEvent::new(s.envelope.actor, s.envelope.time, s.envelope.event.clone()))
            .collect();
        let parts = vec![BatchPart::new(stream, 0, events)];
        let dropped = prepare(&ChainState::default(), None, parts, Lines::Drop).unwrap();
        assert_eq!(kept.len(), dropped.len());
        for (k, d) in kept.iter().zip(&dropped) {
            assert_eq!(k.envelope, d.envelope);
            assert!(d.line.is_empty());
            assert_eq!(Envelope::from_line(&k.line), Ok(d.envelope.clone()));
        }
    }

    /// Seals `parts` as one batch after a first batch of one event in `round:1`.
    fn after_one(parts: &[(&str, &[u32])]) -> Vec<Envelope<u32>> {
        let time: Timestamp = "2025-01-02T03:04:05Z".parse().unwrap();
        let new = |n: u32| NewEvent::new(MemberId::new(1), time, n);
        let round = StreamId::new("round:1").unwrap();
        let first = prepare(
            &ChainState::default(),
            None,
            vec![BatchPart::new(round.clone(), 0, vec![new(0)])],
            Lines::Keep,
        )
        .unwrap();
        let mut chain = ChainState::default();
        let mut envelopes: Vec<Envelope<u32>> = first.into_iter().map(|s| s.envelope).collect();
        for e in &envelopes {
            chain.admit(e).unwrap();
        }
        let parts = parts
            .iter()
            .map(|(stream, events)| {
                let stream = StreamId::new(stream).unwrap();
                let expected = chain.version(stream.as_str());
                BatchPart::new(stream, expected, events.iter().map(|&n| new(n)).collect())
            })
            .collect();
        envelopes.extend(
            prepare(&chain, None, parts, Lines::Keep)
                .unwrap()
                .into_iter()
                .map(|s| s.envelope),
        );
        envelopes
    }

    #[test]
    fn a_batch_over_several_streams_is_one_chained_batch_closed_by_its_last_envelope() {
        let envs = after_one(&[
            ("round:1", &[1]),
            ("proposal:2", &[2, 3]),
            ("funding:3", &[4]),
        ]);
        assert_eq!(
            envs.iter()
                .map(|e| (e.position, e.stream.as_str(), e.seq, e.last_in_batch))
                .collect::<Vec<_>>(),
            [
                (1, "round:1", 1, true),
                (2, "round:1", 2, false),
                (3, "proposal:2", 1, false),
                (4, "proposal:2", 2, false),
                (5, "funding:3", 1, true),
            ]
        );
        for pair in envs.windows(2) {
            assert_eq!(pair[1].prev, pair[0].hash);
        }
        assert_eq!(verify_chain(&envs), Ok(()));
        // Cut anywhere inside the batch, it is unfinished, named by its first stream.
        for end in 2..5 {
            let unfinished = verify_chain(&envs[..end]).unwrap_err();
            assert_eq!(
                (unfinished.index, unfinished.position, unfinished.reason),
                (
                    1,
                    2,
                    CorruptionReason::UnfinishedBatch {
                        stream: StreamId::new("round:1").unwrap()
                    }
                )
            );
        }
    }

    #[test]
    fn a_batch_that_returns_to_a_stream_it_left_breaks_the_chain() {
        // Sealed by hand: `prepare` refuses a stream named twice, so only a hand-made or
        // rewritten journal holds such a batch.
        let mut envs = after_one(&[("round:1", &[1]), ("proposal:2", &[2]), ("funding:3", &[3])]);
        let last = &mut envs[3];
        last.stream = StreamId::new("round:1").unwrap();
        last.seq = 3;
        last.hash = last.compute_hash().unwrap();
        assert_eq!(
            verify_chain(&envs).unwrap_err().reason,
            CorruptionReason::BatchInterleaved {
                batch: StreamId::new("proposal:2").unwrap(),
                found: StreamId::new("round:1").unwrap(),
            }
        );
    }

    #[test]
    fn a_stream_named_twice_is_refused_before_any_expected_is_checked() {
        let stream = StreamId::new("round:1").unwrap();
        let time: Timestamp = "2025-01-02T03:04:05Z".parse().unwrap();
        let part = |expected| {
            BatchPart::new(
                stream.clone(),
                expected,
                vec![NewEvent::new(MemberId::new(1), time, 1u32)],
            )
        };
        let refused = prepare(
            &ChainState::default(),
            None,
            vec![part(4), part(0)],
            Lines::Keep,
        );
        assert_eq!(
            refused.err(),
            Some(JournalError::DuplicateStream {
                stream: stream.clone()
            })
        );
    }

    #[test]
    fn the_line_is_the_serde_encoding_of_the_envelope() {
        for s in sample() {
            assert_eq!(serde_json::to_string(&s.envelope).unwrap(), s.line);
            assert_eq!(s.envelope.to_line().unwrap(), s.line);
            assert_eq!(
                Envelope::<serde_json::Value>::from_line(&s.line).unwrap(),
                s.envelope
            );
        }
    }

    #[test]
    fn a_batch_is_chained_and_closed_by_its_last_envelope() {
        let sealed = sample();
        let envs: Vec<_> = sealed.into_iter().map(|s| s.envelope).collect();
        assert_eq!(envs[0].prev, Hash::GENESIS);
        assert_eq!(envs[1].prev, envs[0].hash);
        assert_eq!((envs[0].seq, envs[1].seq), (1, 2));
        assert_eq!(
            (envs[0].last_in_batch, envs[1].last_in_batch),
            (false, true)
        );
        assert_eq!(verify_chain(&envs), Ok(()));
        let unfinished = verify_chain(&envs[..1]).unwrap_err();
        assert!(matches!(
            unfinished.reason,
            CorruptionReason::UnfinishedBatch { .. }
        ));
    }

    #[test]
    fn unknown_fields_and_uppercase_hashes_are_refused() {
        let line = sample().remove(0).line;
        let extra = line.replacen("\"schema\":1", "\"schema\":1,\"junk\":1", 1);
        assert!(serde_json::from_str::<Envelope<serde_json::Value>>(&extra).is_err());
        let upper = format!(
            "{}{}{}",
            &line[..9],
            line[9..73].to_uppercase(),
            &line[73..]
        );
        assert!(Envelope::<serde_json::Value>::from_line(&upper).is_err());
    }

    #[test]
    fn stream_ids_are_slugs() {
        assert!(StreamId::new("funding:2025-04").is_ok());
        for bad in ["", "9lives", "A", "has space", &"a".repeat(129)] {
            assert!(StreamId::new(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<StreamId>("\"Bad\"").is_err());
    }
}
