//! The in-memory journal, and the verified log that the file journal keeps in memory too.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::{ChainState, Lines, Sealed, prepare};
use super::{Appended, BatchPart, CorruptionReason, Envelope, Journal, JournalError, StreamId};

/// Verified envelopes with an index by stream.
#[derive(Debug, Clone)]
pub(crate) struct Log<E> {
    pub(crate) envelopes: Vec<Envelope<E>>,
    by_stream: HashMap<StreamId, Vec<usize>, foldhash::fast::RandomState>,
    pub(crate) chain: ChainState,
}

impl<E> Default for Log<E> {
    fn default() -> Self {
        Self {
            envelopes: Vec::new(),
            by_stream: HashMap::default(),
            chain: ChainState::default(),
        }
    }
}

impl<E> Log<E> {
    /// Checks that `envelope` continues the chain and, if so, adds it.
    pub(crate) fn admit(&mut self, envelope: Envelope<E>) -> Result<(), CorruptionReason> {
        self.chain.admit(&envelope)?;
        let index = self.envelopes.len();
        match self.by_stream.get_mut(envelope.stream.as_str()) {
            Some(indices) => indices.push(index),
            None => {
                self.by_stream.insert(envelope.stream.clone(), vec![index]);
            }
        }
        self.envelopes.push(envelope);
        Ok(())
    }

    pub(crate) fn version(&self, stream: &StreamId) -> u64 {
        self.chain.version(stream.as_str())
    }

    /// Refuses a batch that names a stream twice or holds a stale `expected`, then seals it
    /// to follow this log; mutates nothing.
    pub(crate) fn prepare(
        &self,
        head: Option<u64>,
        parts: Vec<BatchPart<E>>,
        lines: Lines,
    ) -> Result<Vec<Sealed<E>>, JournalError>
    where
        E: Serialize,
    {
        prepare(&self.chain, head, parts, lines)
    }

    /// Adds envelopes sealed by [`Log::prepare`] and returns copies of them.
    pub(crate) fn commit(
        &mut self,
        sealed: Vec<Sealed<E>>,
        journal: &str,
    ) -> Result<Vec<Envelope<E>>, JournalError>
    where
        E: Clone,
    {
        let mut out = Vec::with_capacity(sealed.len());
        for s in sealed {
            let position = s.envelope.position;
            out.push(s.envelope.clone());
            self.admit(s.envelope)
                .map_err(|reason| JournalError::Corruption {
                    journal: journal.to_owned(),
                    position,
                    reason,
                })?;
        }
        Ok(out)
    }

    /// Copies of the envelopes after `position` (positions count from 1, one an index).
    /// At most `limit` envelopes after `position`, copied: only those.
    pub(crate) fn page(&self, position: u64, limit: usize) -> Vec<Envelope<E>>
    where
        E: Clone,
    {
        usize::try_from(position)
            .ok()
            .and_then(|start| self.envelopes.get(start..))
            .map(|tail| tail.get(..limit).unwrap_or(tail).to_vec())
            .unwrap_or_default()
    }

    pub(crate) fn stream(&self, stream: &StreamId) -> Vec<Envelope<E>>
    where
        E: Clone,
    {
        self.by_stream
            .get(stream.as_str())
            .map(|indices| {
                indices
                    .iter()
                    .filter_map(|&i| self.envelopes.get(i).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A journal held in memory: the same rules as the file journal, nothing stored.
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId};
///
/// let journal = MemoryJournal::<String>::new();
/// let stream = StreamId::new("proposal:3")?;
/// let time = "2025-02-01T09:30:00Z".parse()?;
/// let envs = journal.append(&stream, 0, vec![
///     NewEvent::new(MemberId::new(2), time, "drafted".to_owned()),
///     NewEvent::new(MemberId::new(2), time, "shared".to_owned()),
/// ])?;
/// assert_eq!(envs[1].seq, 2);
/// assert_eq!(envs[1].prev, envs[0].hash);
/// assert_eq!(journal.version(&stream)?, 2);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug)]
pub struct MemoryJournal<E> {
    log: Mutex<Log<E>>,
}

impl<E> MemoryJournal<E> {
    /// A memory journal holding a log verified elsewhere (a file journal's snapshot).
    pub(crate) fn from_log(log: Log<E>) -> Self {
        Self {
            log: Mutex::new(log),
        }
    }
}

impl<E> Default for MemoryJournal<E> {
    fn default() -> Self {
        Self {
            log: Mutex::new(Log::default()),
        }
    }
}

impl<E> MemoryJournal<E> {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Log<E>>, JournalError> {
        self.log.lock().map_err(|_| JournalError::Poisoned {
            journal: "memory".to_owned(),
        })
    }
}

impl<E> Journal for MemoryJournal<E>
where
    E: Serialize + DeserializeOwned + Clone + Send,
{
    type Event = E;

    fn append_batch_at(&self, head: Option<u64>, parts: Vec<BatchPart<E>>) -> Appended<E> {
        let mut log = self.lock()?;
        let sealed = log.prepare(head, parts, Lines::Drop)?;
        log.commit(sealed, "memory")
    }

    fn version(&self, stream: &StreamId) -> Result<u64, JournalError> {
        Ok(self.lock()?.version(stream))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.stream(stream))
    }

    fn read_all(&self) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.envelopes.clone())
    }

    fn read_after(&self, position: u64) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.page(position, usize::MAX))
    }

    fn read_page(&self, position: u64, limit: usize) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.page(position, limit))
    }

    fn read_all_with<R>(&self, read: impl FnOnce(&[Envelope<E>]) -> R) -> Result<R, JournalError> {
        Ok(read(&self.lock()?.envelopes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::batch_tests::{Ev, batch_rules, numbered as new};
    use crate::journal::verify_chain;

    #[test]
    fn a_stale_writer_conflicts_and_writes_nothing() {
        let j = MemoryJournal::new();
        let a = StreamId::new("a").unwrap();
        j.append(&a, 0, vec![new(1), new(2)]).unwrap();
        let err = j.append(&a, 1, vec![new(3)]).unwrap_err();
        assert_eq!(
            err,
            JournalError::Conflict {
                stream: a.clone(),
                expected: 1,
                actual: 2
            }
        );
        assert_eq!(j.read_all().unwrap().len(), 2);
        assert!(j.append(&a, 2, vec![]).unwrap().is_empty());
        assert!(j.append(&a, 5, vec![]).is_err());
    }

    batch_rules!(|_, check: fn(&MemoryJournal<Ev>)| check(&MemoryJournal::new()));

    #[test]
    fn streams_are_numbered_apart_and_chained_together() {
        let j = MemoryJournal::new();
        let a = StreamId::new("a").unwrap();
        let b = StreamId::new("b").unwrap();
        j.append(&a, 0, vec![new(1)]).unwrap();
        j.append(&b, 0, vec![new(2)]).unwrap();
        j.append(&a, 1, vec![new(3)]).unwrap();
        let all = j.read_all().unwrap();
        assert_eq!(
            all.iter().map(|e| (e.position, e.seq)).collect::<Vec<_>>(),
            [(1, 1), (2, 1), (3, 2)]
        );
        assert_eq!(
            j.read_stream(&a)
                .unwrap()
                .iter()
                .map(|e| e.event)
                .collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(verify_chain(&all), Ok(()));
        assert!(
            j.read_stream(&StreamId::new("c").unwrap())
                .unwrap()
                .is_empty()
        );
    }
}
