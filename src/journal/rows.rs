//! Reading the journals that keep one row an envelope (SQLite, PostgreSQL): a row holds the
//! envelope's stored line beside the columns it is looked up by, and every read checks the
//! line's own hash, that the columns agree with it, and as much of the chain as it reads.

use serde::de::DeserializeOwned;

use super::envelope::ChainState;
use super::{CorruptionReason, Envelope, Hash, JournalError, StreamId};

/// One stored row: the columns an envelope is looked up by, and its stored line.
pub(crate) struct Row {
    pub(crate) position: i64,
    pub(crate) stream: String,
    pub(crate) seq: i64,
    pub(crate) hash: String,
    pub(crate) line: String,
}

/// Reads a row's envelope and checks that the row's columns agree with it.
pub(crate) fn envelope_of<E: DeserializeOwned>(row: &Row) -> Result<Envelope<E>, CorruptionReason> {
    let envelope = Envelope::<E>::from_line(&row.line)?;
    let mismatch = |column| Err(CorruptionReason::RowMismatch { column });
    if i64::try_from(envelope.position).ok() != Some(row.position) {
        return mismatch("position");
    }
    if envelope.stream.as_str() != row.stream {
        return mismatch("stream");
    }
    if i64::try_from(envelope.seq).ok() != Some(row.seq) {
        return mismatch("seq");
    }
    if envelope.hash.to_string() != row.hash {
        return mismatch("hash");
    }
    Ok(envelope)
}

/// A stored position and hash (the journal's head, or the envelope before a read), read
/// from their columns: `(0, GENESIS)` when there is none.
pub(crate) fn position_and_hash(
    stored: Option<(i64, String)>,
    corrupt: impl Fn(u64, CorruptionReason) -> JournalError,
) -> Result<(u64, Hash), JournalError> {
    match stored {
        None => Ok((0, Hash::GENESIS)),
        Some((position, hash)) => {
            let position = u64::try_from(position).unwrap_or(0);
            let hash = Hash::from_hex(&hash)
                .map_err(|_| corrupt(position, CorruptionReason::RowMismatch { column: "hash" }))?;
            Ok((position, hash))
        }
    }
}

/// Reads the rows of one stream, in sequence order: each line sound and agreeing with its
/// columns, the sequence numbers running from 1 without a gap, the positions rising. (The
/// links to other streams' envelopes are checked by [`read_all_rows`].)
pub(crate) fn read_stream_rows<E: DeserializeOwned>(
    rows: &[Row],
    stream: &StreamId,
    corrupt: impl Fn(u64, CorruptionReason) -> JournalError,
) -> Result<Vec<Envelope<E>>, JournalError> {
    let mut out: Vec<Envelope<E>> = Vec::with_capacity(rows.len());
    for row in rows {
        let at = u64::try_from(row.position).unwrap_or(0);
        let envelope = envelope_of::<E>(row).map_err(|r| corrupt(at, r))?;
        let expected = out.last().map_or(1, |e| e.seq.saturating_add(1));
        if envelope.stream != *stream || envelope.seq != expected {
            return Err(corrupt(
                at,
                CorruptionReason::SequenceGap {
                    stream: stream.clone(),
                    expected,
                    found: envelope.seq,
                },
            ));
        }
        if let Some(last) = out.last()
            && last.position >= envelope.position
        {
            return Err(corrupt(
                at,
                CorruptionReason::PositionOutOfOrder {
                    expected: last.position.saturating_add(1),
                    found: envelope.position,
                },
            ));
        }
        out.push(envelope);
    }
    Ok(out)
}

/// Reads every row, in position order, as opening a file journal does: each line sound and
/// agreeing with its columns, and the whole chain verified. Batches commit in one
/// transaction, so rows that end inside a batch are damage, not a crash. Returns the
/// envelopes and the chain they end in.
pub(crate) fn read_all_rows<E: DeserializeOwned>(
    rows: &[Row],
    corrupt: impl Fn(u64, CorruptionReason) -> JournalError,
) -> Result<(Vec<Envelope<E>>, ChainState), JournalError> {
    let mut chain = ChainState::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let at = chain.position.saturating_add(1);
        let envelope = envelope_of::<E>(row).map_err(|r| corrupt(at, r))?;
        chain.admit(&envelope).map_err(|r| corrupt(at, r))?;
        out.push(envelope);
    }
    if let Some(stream) = chain.open_batch().cloned() {
        return Err(corrupt(
            chain.position,
            CorruptionReason::UnfinishedBatch { stream },
        ));
    }
    Ok((out, chain))
}

/// Reads the rows after `position`, in position order, whose first row must follow the
/// envelope at `position`, of hash `prev`: each line sound and agreeing with its columns,
/// the positions running on without a gap, each `prev` the hash before it, and the last
/// batch finished. (Each stream's numbering needs the rows before `position`: that is
/// [`read_all_rows`]'s to check.) A page keeps `limit` envelopes; rows beyond it (a read
/// asks for one more) are checked too and say the page is not the end, so its last batch
/// may go on.
pub(crate) fn read_rows_after<E: DeserializeOwned>(
    rows: &[Row],
    position: u64,
    prev: Hash,
    limit: usize,
    corrupt: impl Fn(u64, CorruptionReason) -> JournalError,
) -> Result<Vec<Envelope<E>>, JournalError> {
    let (mut position, mut head) = (position, prev);
    let mut out: Vec<Envelope<E>> = Vec::with_capacity(rows.len());
    for row in rows {
        let at = position.saturating_add(1);
        let envelope = envelope_of::<E>(row).map_err(|r| corrupt(at, r))?;
        let broken = if envelope.position != at {
            Some(CorruptionReason::PositionOutOfOrder {
                expected: at,
                found: envelope.position,
            })
        } else if envelope.prev != head {
            Some(CorruptionReason::BrokenChain {
                expected: head,
                found: envelope.prev,
            })
        } else {
            None
        };
        if let Some(reason) = broken {
            return Err(corrupt(at, reason));
        }
        (position, head) = (envelope.position, envelope.hash);
        out.push(envelope);
    }
    if out.len() > limit {
        out.truncate(limit);
        return Ok(out);
    }
    if let Some(last) = out.last()
        && !last.last_in_batch
    {
        // Named by the first envelope of the unfinished batch that this read holds.
        let start = out
            .iter()
            .rposition(|e| e.last_in_batch)
            .map_or(0, |i| i + 1);
        let stream = out.get(start).map_or(&last.stream, |e| &e.stream).clone();
        return Err(corrupt(
            last.position,
            CorruptionReason::UnfinishedBatch { stream },
        ));
    }
    Ok(out)
}

/// Reads the rows after `position` given the row at `position` (`None` when there is none):
/// [`read_rows_after`] from it; nothing when `position` is past the journal's end; and
/// [`CorruptionReason::PositionOutOfOrder`] when rows follow a `position` that has none.
pub(crate) fn after_rows<E: DeserializeOwned>(
    before: Option<(i64, String)>,
    rows: &[Row],
    position: u64,
    limit: usize,
    corrupt: impl Fn(u64, CorruptionReason) -> JournalError,
) -> Result<Vec<Envelope<E>>, JournalError> {
    let (at, prev) = position_and_hash(before, &corrupt)?;
    if at == position {
        return read_rows_after(rows, position, prev, limit, corrupt);
    }
    match rows.first() {
        None => Ok(Vec::new()),
        Some(first) => Err(corrupt(
            position,
            CorruptionReason::PositionOutOfOrder {
                expected: position,
                found: u64::try_from(first.position).unwrap_or(0),
            },
        )),
    }
}

/// The rows a page of `limit` envelopes reads: one more than it keeps (to know whether the
/// page is the end), as an SQL `LIMIT`.
pub(crate) fn rows_for_page(limit: usize) -> i64 {
    i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX)
}
