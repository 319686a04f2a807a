//! The event envelope, its hash and the chain that links envelopes.
//!
//! An [`Envelope`] wraps one event with where it belongs ([`StreamId`] and sequence number),
//! its global position, when and by whom it was recorded, the schema version, whether it
//! closes the batch it was appended in, the hash of the envelope before it and its own hash.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::JournalError;
use super::ids::{Hash, StreamId};
use crate::community::MemberId;

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

/// One recorded event with its place in the journal and its hashes.
///
/// Its JSON form is one object: `hash`, `position`, `stream`, `seq`, `time`, `actor`,
/// `schema`, `last_in_batch`, `prev`, `event`, in that order; unknown fields are refused.
///
/// # The canonical encoding
///
/// The *body* of an envelope is the compact `serde_json` encoding of every field except
/// `hash`, in declaration order. The hash is the BLAKE3 hash of the body's bytes. The stored
/// form (a line of a file journal, a row of an SQLite journal) is the body with the hash
/// spliced in as its first field: `{"hash":"<64 lowercase hex>",<rest of the body>`. Reading a
/// stored line therefore hashes the line's own bytes, so every byte of it except the hash is
/// covered by the hash, and the hash itself must decode strictly (lowercase only) to the
/// value it claims. Nothing is re-serialised on the read path.
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
    /// of one command) is all or nothing: a file journal whose last batch lacks its closing
    /// event drops the whole batch as a torn tail.
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
        splice(&Hash::of(body.as_bytes()), &body, &self.stream)
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
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_line(line: &str) -> Result<Self, CorruptionReason> {
        super::line::read_line(line, |_| None)
    }
}

fn encode_body<E: Serialize>(
    body: &Body<'_, E>,
    stream: &StreamId,
) -> Result<String, JournalError> {
    let text = serde_json::to_string(body).map_err(|e| JournalError::Encode {
        stream: stream.clone(),
        message: e.to_string(),
    })?;
    // A raw newline (possible only through a hand-written serializer or raw JSON value)
    // would split the line and make the journal unreadable, so it is refused up front.
    if text.contains('\n') {
        return Err(JournalError::Encode {
            stream: stream.clone(),
            message: "the event's JSON contains a raw newline".to_owned(),
        });
    }
    Ok(text)
}

fn splice(hash: &Hash, body: &str, stream: &StreamId) -> Result<String, JournalError> {
    let rest = body.strip_prefix('{').ok_or_else(|| JournalError::Encode {
        stream: stream.clone(),
        message: "the envelope body is not a JSON object".to_owned(),
    })?;
    let hex = hash.hex();
    let hex = std::str::from_utf8(&hex).map_err(|e| JournalError::Encode {
        stream: stream.clone(),
        message: e.to_string(),
    })?;
    let mut line = String::with_capacity(body.len() + PREFIX.len() + 66);
    line.push_str(PREFIX);
    line.push_str(hex);
    line.push_str("\",");
    line.push_str(rest);
    Ok(line)
}

/// An envelope sealed for appending, with its stored line (no newline).
pub(crate) struct Sealed<E> {
    pub(crate) envelope: Envelope<E>,
    pub(crate) line: String,
}

/// Seals a batch for `stream`, continuing from `chain`. Mutates nothing.
pub(crate) fn seal_batch<E: Serialize>(
    chain: &ChainState,
    stream: &StreamId,
    events: Vec<NewEvent<E>>,
) -> Result<Vec<Sealed<E>>, JournalError> {
    let overflow = || JournalError::SequenceOverflow {
        stream: stream.clone(),
    };
    let mut seq = chain.version(stream.as_str());
    let mut position = chain.position;
    let mut prev = chain.head;
    let count = events.len();
    let mut sealed = Vec::with_capacity(count);
    for (i, new) in events.into_iter().enumerate() {
        seq = seq.checked_add(1).ok_or_else(overflow)?;
        position = position.checked_add(1).ok_or_else(overflow)?;
        let body = Body {
            position,
            stream,
            seq,
            time: &new.time,
            actor: new.actor,
            schema: SCHEMA_VERSION,
            last_in_batch: i + 1 == count,
            prev: &prev,
            event: &new.event,
        };
        let text = encode_body(&body, stream)?;
        let hash = Hash::of(text.as_bytes());
        let line = splice(&hash, &text, stream)?;
        let envelope = Envelope {
            hash,
            position,
            stream: stream.clone(),
            seq,
            time: new.time,
            actor: new.actor,
            schema: SCHEMA_VERSION,
            last_in_batch: i + 1 == count,
            prev,
            event: new.event,
        };
        prev = hash;
        sealed.push(Sealed { envelope, line });
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
    /// An envelope of another stream sits inside a batch, which belongs to one stream.
    #[error("an envelope of stream `{found}` sits inside an unfinished batch of stream `{batch}`")]
    BatchInterleaved {
        /// The stream of the open batch.
        batch: StreamId,
        /// The stream of the envelope found.
        found: StreamId,
    },
    /// The sequence ends inside a batch.
    #[error("the envelopes end inside an unfinished batch of stream `{stream}`")]
    UnfinishedBatch {
        /// The stream of the open batch.
        stream: StreamId,
    },
    /// The envelope's body could not be serialised to recompute its hash.
    #[error("the envelope's body cannot be serialised: {message}")]
    Unencodable {
        /// The serialiser's message.
        message: String,
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
/// sequence number, and the stream of an unfinished batch.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChainState {
    pub(crate) position: u64,
    pub(crate) head: Hash,
    streams: HashMap<StreamId, u64, foldhash::fast::RandomState>,
    pub(crate) open_batch: Option<StreamId>,
}

impl ChainState {
    /// A state that knows only the journal's head and one stream's last sequence number:
    /// enough to seal a batch for that stream.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn at(position: u64, head: Hash, stream: &StreamId, seq: u64) -> Self {
        let mut streams = HashMap::default();
        if seq > 0 {
            streams.insert(stream.clone(), seq);
        }
        Self {
            position,
            head,
            streams,
            open_batch: None,
        }
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
        if let Some(batch) = &self.open_batch
            && *batch != envelope.stream
        {
            return Err(CorruptionReason::BatchInterleaved {
                batch: batch.clone(),
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
            self.open_batch = None;
        } else if self.open_batch.is_none() {
            // Inside a batch the stream is the one already held (checked above).
            self.open_batch = Some(envelope.stream.clone());
        }
        Ok(())
    }
}

/// Checks a sequence of envelopes, as read from a journal from its start: each hash is the
/// hash of its body, positions run `1, 2, 3, ...`, each `prev` is the hash before it, each
/// stream's sequence numbers run `1, 2, 3, ...`, batches are not interleaved and the last
/// batch is finished. Pure: no I/O.
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
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
        if chain.open_batch.is_none() {
            batch_start = index;
        }
        chain.admit(envelope).map_err(fail)?;
    }
    match chain.open_batch {
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
        seal_batch(
            &chain,
            &stream,
            vec![
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
            ],
        )
        .unwrap()
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
