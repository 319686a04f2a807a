//! The file journal; its guide is on [`FileJournal`].

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::Lines;
use super::line::read_line;
use super::memory::Log;
use super::{Appended, BatchPart, CorruptionReason, Envelope, Journal, JournalError, StreamId};

/// What opening a file journal found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenReport {
    /// How many envelopes were read and verified.
    pub events: u64,
    /// The unfinished end of the file, if any, which the next append cuts away.
    pub torn_tail: Option<TornTail>,
}

/// The unfinished end of a file journal: left by a crash during an append.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TornTail {
    /// The byte offset where the valid prefix ends and the tail begins.
    pub offset: u64,
    /// How many bytes the tail holds.
    pub bytes: u64,
    /// How many finished, valid lines the tail holds: envelopes of a batch whose closing
    /// line was never written (an unfinished last line is not counted).
    pub finished_lines: u64,
}

/// The file journal: JSON lines, one envelope a line, `fsync`ed on every append.
///
/// A line is finished when its newline is written; a batch is finished when the line of its
/// envelope with `last_in_batch` is. A batch over several streams
/// ([`Journal::append_batch`]) is one batch: its parts' lines follow one another and only the
/// very last closes it. An append writes the whole batch and then calls `sync_data`, so an
/// acknowledged append survives a crash, and a crash in the middle of one leaves an
/// unfinished batch at the end of the file, which is cut away with every stream's part of
/// it.
///
/// On open the whole file is read and verified:
///
/// - finished lines of finished batches are kept: the longest valid prefix;
/// - what follows the last finished batch (an unfinished line, or finished lines of a batch
///   whose closing line is missing) is a *torn tail*: reported in [`OpenReport::torn_tail`],
///   left in the file until the next append cuts it away;
/// - a finished line that is not valid UTF-8, does not parse, whose hash is not the hash of
///   its bytes, or whose position, `prev` or sequence number does not follow, is
///   [`JournalError::Corruption`] naming its position (its line number). Nothing is dropped
///   or repaired: the caller decides what to do with a damaged journal.
///
/// Changing any single byte of a journal is therefore caught as corruption, except changing
/// its final newline, which makes the last line unfinished and reads as a torn tail (and is
/// reported as one).
///
/// One `FileJournal` owns its file: share it between threads with an `Arc`. It holds an
/// exclusive lock on the file while it lives, so a second journal on the same file, in this
/// process or another, is refused with [`JournalError::Locked`] instead of interleaving its
/// appends (on a file system without locks, nothing stops it: do not do that).
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::journal::{FileJournal, Journal, NewEvent, StreamId};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("journal.jsonl");
/// let stream = StreamId::new("funding:4")?;
/// let time = "2025-04-01T12:00:00Z".parse()?;
/// {
///     let (journal, _) = FileJournal::<u64>::open(&path)?;
///     journal.append(&stream, 0, vec![NewEvent::new(MemberId::new(2), time, 5_000)])?;
/// }
/// // A crash in the middle of a second append leaves half a line.
/// let mut bytes = std::fs::read(&path)?;
/// bytes.extend_from_slice(b"{\"hash\":\"12ab");
/// std::fs::write(&path, &bytes)?;
///
/// let (journal, report) = FileJournal::<u64>::open(&path)?;
/// assert_eq!(report.events, 1);
/// assert_eq!(report.torn_tail.map(|t| t.bytes), Some(13));
/// journal.append(&stream, 1, vec![NewEvent::new(MemberId::new(2), time, 7_500)])?;
/// // One writer at a time: the file is locked while the journal lives.
/// assert!(FileJournal::<u64>::open(&path).is_err());
/// drop(journal);
/// assert_eq!(FileJournal::<u64>::open(&path)?.1.torn_tail, None);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug)]
pub struct FileJournal<E> {
    path: PathBuf,
    name: String,
    inner: Mutex<Inner<E>>,
}

#[derive(Debug)]
struct Inner<E> {
    file: File,
    log: Log<E>,
    /// The length of the valid prefix: where the next append writes.
    len: u64,
    /// Whether bytes past `len` may exist (a torn tail, or a failed append).
    dirty: bool,
}

/// The verified prefix of a journal's bytes.
pub(crate) struct Replayed<E> {
    pub(crate) log: Log<E>,
    pub(crate) len: u64,
    pub(crate) torn_tail: Option<TornTail>,
}

/// Reads and verifies the bytes of journal `name`, and says what it found.
fn verified<E: DeserializeOwned>(
    bytes: &[u8],
    name: &str,
) -> Result<(Replayed<E>, OpenReport), JournalError> {
    let replayed = replay::<E>(bytes).map_err(|(position, reason)| JournalError::Corruption {
        journal: name.to_owned(),
        position,
        reason,
    })?;
    let report = OpenReport {
        events: replayed.log.envelopes.len() as u64,
        torn_tail: replayed.torn_tail,
    };
    Ok((replayed, report))
}

/// Reads and verifies a journal's bytes. Pure; `Err` carries the position of the first bad
/// line and why.
pub(crate) fn replay<E: DeserializeOwned>(
    bytes: &[u8],
) -> Result<Replayed<E>, (u64, CorruptionReason)> {
    let mut log = Log::<E>::default();
    let mut offset = 0usize;
    // The end of the last finished batch, in bytes and in envelopes.
    let mut committed = (0usize, 0usize);
    // One UTF-8 check for the whole file; the lines are then split as text, where finding a
    // newline is a fast byte search.
    let (text, invalid) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            (std::str::from_utf8(valid).unwrap_or_default(), true)
        }
    };
    let mut rest = text;
    while let Some(end) = rest.find('\n') {
        let position = log.chain.position.saturating_add(1);
        let line = rest.get(..end).unwrap_or_default();
        let envelope =
            read_line::<E>(line, |slug| log.chain.stream_id(slug)).map_err(|r| (position, r))?;
        log.admit(envelope).map_err(|r| (position, r))?;
        offset += end + 1;
        rest = rest.get(end + 1..).unwrap_or_default();
        if log.chain.open_batch().is_none() {
            committed = (offset, log.envelopes.len());
        }
    }
    // The valid text ends inside the line that holds the first invalid byte: a finished line
    // (one with a newline after it) is corrupt; an unfinished one is the torn tail.
    if invalid
        && bytes
            .get(offset..)
            .is_some_and(|tail| tail.contains(&b'\n'))
    {
        return Err((
            log.chain.position.saturating_add(1),
            CorruptionReason::NotUtf8,
        ));
    }
    let (len, kept) = committed;
    let tail_bytes = bytes.len().saturating_sub(len);
    let torn_tail = (tail_bytes > 0).then(|| TornTail {
        offset: len as u64,
        bytes: tail_bytes as u64,
        finished_lines: (log.envelopes.len() - kept) as u64,
    });
    if kept < log.envelopes.len() {
        // Rare: a batch without its closing line. Rebuild the log from the kept prefix,
        // which was verified already.
        let mut envelopes = std::mem::take(&mut log.envelopes);
        envelopes.truncate(kept);
        log = Log::default();
        for envelope in envelopes {
            let position = envelope.position;
            log.admit(envelope).map_err(|r| (position, r))?;
        }
    }
    Ok(Replayed {
        log,
        len: len as u64,
        torn_tail,
    })
}

impl<E: DeserializeOwned> FileJournal<E> {
    /// Reads and verifies the journal at `path` as [`FileJournal::open`] does, without
    /// locking or writing the file, into a [`MemoryJournal`](super::MemoryJournal): for
    /// readers (reports, metrics, a replay check) while a writer holds the file. What the
    /// snapshot holds is what was finished when it was read; appending to it does not touch
    /// the file.
    ///
    /// # Errors
    ///
    /// [`JournalError::Io`] when the file cannot be read (a missing file is not created);
    /// [`JournalError::Corruption`] at the first finished line that fails to parse or verify.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::journal::{FileJournal, Journal, NewEvent, StreamId};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("journal.jsonl");
    /// let (writer, _) = FileJournal::<u64>::open(&path)?;
    /// let stream = StreamId::new("funding:4")?;
    /// let time = "2025-04-01T12:00:00Z".parse()?;
    /// writer.append(&stream, 0, vec![NewEvent::new(MemberId::new(2), time, 5_000)])?;
    ///
    /// // The writer holds the file; a reader takes a snapshot.
    /// let (snapshot, report) = FileJournal::<u64>::snapshot(&path)?;
    /// assert_eq!(report.events, 1);
    /// assert_eq!(snapshot.read_all()?, writer.read_all()?);
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn snapshot(
        path: impl AsRef<Path>,
    ) -> Result<(super::MemoryJournal<E>, OpenReport), JournalError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(io_error(&name, "read the file"))?;
        let (replayed, report) = verified::<E>(&bytes, &name)?;
        Ok((super::MemoryJournal::from_log(replayed.log), report))
    }

    /// Opens the journal at `path`, creating an empty one if there is no file, and reads and
    /// verifies every envelope in it.
    ///
    /// # Errors
    ///
    /// [`JournalError::Corruption`] at the first finished line that fails to parse or
    /// verify; [`JournalError::Io`] when the file cannot be opened or read.
    pub fn open(path: impl AsRef<Path>) -> Result<(Self, OpenReport), JournalError> {
        let path = path.as_ref().to_path_buf();
        let name = path.display().to_string();
        let io = |operation| io_error(&name, operation);
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io("open the file"))?;
        // One writer at a time: a second journal on the same file, here or in another
        // process, would interleave lines and break the chain. The lock goes with the file
        // handle. A file system without locks is used as it is.
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JournalError::Locked { journal: name });
            }
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("lock the file")(e)),
        }
        if !existed {
            sync_parent(&path).map_err(io("sync the directory of a new file"))?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io("read the file"))?;
        let (replayed, report) = verified::<E>(&bytes, &name)?;
        let journal = Self {
            path,
            name,
            inner: Mutex::new(Inner {
                file,
                log: replayed.log,
                len: replayed.len,
                dirty: replayed.torn_tail.is_some(),
            }),
        };
        Ok((journal, report))
    }
}

impl<E> FileJournal<E> {
    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner<E>>, JournalError> {
        self.inner.lock().map_err(|_| JournalError::Poisoned {
            journal: self.name.clone(),
        })
    }
}

/// The error for an I/O failure while doing `operation` on the journal `journal`.
fn io_error(journal: &str, operation: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
    move |e| JournalError::Io {
        journal: journal.to_owned(),
        operation,
        kind: e.kind(),
        message: e.to_string(),
    }
}

#[cfg(unix)]
fn sync_parent(path: &Path) -> std::io::Result<()> {
    // A new file's directory entry is only durable once the directory is synced (POSIX
    // fsync semantics); otherwise a crash could lose the whole journal.
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_parent(_: &Path) -> std::io::Result<()> {
    Ok(())
}

impl<E> Journal for FileJournal<E>
where
    E: Serialize + DeserializeOwned + Clone + Send,
{
    type Event = E;

    fn append_batch_at(&self, head: Option<u64>, parts: Vec<BatchPart<E>>) -> Appended<E> {
        let mut guard = self.lock()?;
        let inner = &mut *guard;
        let sealed = inner.log.prepare(head, parts, Lines::Keep)?;
        if sealed.is_empty() {
            return Ok(Vec::new());
        }
        let mut buf = String::with_capacity(sealed.iter().map(|s| s.line.len() + 1).sum());
        for s in &sealed {
            buf.push_str(&s.line);
            buf.push('\n');
        }
        // Mark dirty first: if any step fails, the next append starts by cutting the file
        // back to the valid prefix, so a failed append leaves no trace.
        let was_dirty = std::mem::replace(&mut inner.dirty, true);
        if was_dirty {
            inner
                .file
                .set_len(inner.len)
                .map_err(io_error(&self.name, "cut away a torn tail"))?;
        }
        inner
            .file
            .seek(SeekFrom::Start(inner.len))
            .map_err(io_error(&self.name, "seek to the end of the valid prefix"))?;
        inner
            .file
            .write_all(buf.as_bytes())
            .map_err(io_error(&self.name, "write a batch"))?;
        inner
            .file
            .sync_data()
            .map_err(io_error(&self.name, "sync a batch to disk"))?;
        inner.dirty = false;
        inner.len += buf.len() as u64;
        inner.log.commit(sealed, &self.name)
    }

    fn version(&self, stream: &StreamId) -> Result<u64, JournalError> {
        Ok(self.lock()?.log.version(stream))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.log.stream(stream))
    }

    fn read_all(&self) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.log.envelopes.clone())
    }

    fn read_after(&self, position: u64) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.log.page(position, usize::MAX))
    }

    fn read_page(&self, position: u64, limit: usize) -> Result<Vec<Envelope<E>>, JournalError> {
        Ok(self.lock()?.log.page(position, limit))
    }

    fn read_all_with<R>(&self, read: impl FnOnce(&[Envelope<E>]) -> R) -> Result<R, JournalError> {
        Ok(read(&self.lock()?.log.envelopes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::MemberId;
    use crate::journal::batch_tests::{Ev, batch_rules, numbered as new};
    use crate::journal::{BatchPart, NewEvent};

    #[test]
    fn invalid_utf8_is_corruption_in_a_finished_line_and_a_torn_tail_in_an_unfinished_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let s = StreamId::new("s").unwrap();
        let time = "2025-01-01T00:00:00Z".parse().unwrap();
        {
            let (j, _) = FileJournal::<String>::open(&path).unwrap();
            for (i, text) in ["réunion", "café", "thé"].into_iter().enumerate() {
                let new = NewEvent::new(MemberId::new(1), time, text.to_owned());
                j.append(&s, i as u64, vec![new]).unwrap();
            }
        }
        let bytes = std::fs::read(&path).unwrap();
        let ends: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').collect();
        // The second byte of the `é` of the last line: cut there, the line is unfinished.
        let last_e = bytes.len() - 4;
        assert_eq!(&bytes[last_e - 1..last_e + 1], "é".as_bytes());
        std::fs::write(&path, &bytes[..last_e]).unwrap();
        let (_, report) = FileJournal::<String>::open(&path).unwrap();
        assert_eq!(report.events, 2);
        assert_eq!(report.torn_tail.map(|t| t.offset), Some(ends[1] as u64 + 1));

        // The same byte made invalid in a finished line: the second line is corrupt.
        let mut broken = bytes.clone();
        let second_e = ends[1] - 3;
        assert_eq!(&bytes[second_e - 1..second_e + 1], "é".as_bytes());
        broken[second_e] = 0xff;
        std::fs::write(&path, &broken).unwrap();
        match FileJournal::<String>::open(&path) {
            Err(JournalError::Corruption {
                position: 2,
                reason: CorruptionReason::NotUtf8,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_journal_file_has_one_writer_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let (first, _) = FileJournal::<u32>::open(&path).unwrap();
        let second = FileJournal::<u32>::open(&path);
        assert!(
            matches!(&second, Err(JournalError::Locked { journal }) if journal.ends_with("j.jsonl")),
            "{second:?}"
        );
        drop(first);
        FileJournal::<u32>::open(&path).unwrap();
    }

    /// Runs `check` on a new file journal, then reopens its file: it holds exactly what the
    /// journal held, and no stray bytes from the batches it refused.
    fn on_file(check: fn(&FileJournal<Ev>)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let (j, _) = FileJournal::open(&path).unwrap();
        check(&j);
        let live = j.read_all().unwrap();
        drop(j);
        let (j, report) = FileJournal::<Ev>::open(&path).unwrap();
        assert_eq!(report.torn_tail, None);
        assert_eq!(report.events, live.len() as u64);
        assert_eq!(j.read_all().unwrap(), live);
    }

    batch_rules!(|_, check| on_file(check));

    /// Where each line of `bytes` ends: the offset just after its newline.
    fn line_ends(bytes: &[u8]) -> Vec<usize> {
        (1..=bytes.len())
            .filter(|&end| bytes[end - 1] == b'\n')
            .collect()
    }

    #[test]
    fn a_batch_over_two_streams_cut_before_its_closing_line_leaves_neither_part() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let a = StreamId::new("consent-round:1").unwrap();
        let b = StreamId::new("proposal:2").unwrap();
        {
            let (j, _) = FileJournal::open(&path).unwrap();
            j.append(&a, 0, vec![new(1)]).unwrap();
            j.append(&b, 0, vec![new(2)]).unwrap();
            j.append_batch(vec![
                BatchPart::new(a.clone(), 1, vec![new(3), new(4)]),
                BatchPart::new(b.clone(), 1, vec![new(5)]),
            ])
            .unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        let line_ends = line_ends(&bytes);
        assert_eq!(line_ends.len(), 5);
        // After the first line of `a`'s part, after the whole of it, inside `b`'s line.
        for (cut, finished_lines) in [(line_ends[2], 1), (line_ends[3], 2), (line_ends[4] - 1, 2)] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let (j, report) = FileJournal::<u32>::open(&path).unwrap();
            assert_eq!(report.events, 2, "cut at {cut}");
            assert_eq!(
                report.torn_tail,
                Some(TornTail {
                    offset: line_ends[1] as u64,
                    bytes: (cut - line_ends[1]) as u64,
                    finished_lines
                }),
                "cut at {cut}"
            );
            assert_eq!((j.version(&a).unwrap(), j.version(&b).unwrap()), (1, 1));
            assert_eq!(j.read_stream(&a).unwrap().len(), 1);
            assert_eq!(j.read_stream(&b).unwrap().len(), 1);
        }
        // The next batch cuts the torn one away.
        let (j, _) = FileJournal::<u32>::open(&path).unwrap();
        j.append_batch(vec![
            BatchPart::new(b.clone(), 1, vec![new(6)]),
            BatchPart::new(a.clone(), 1, vec![new(7)]),
        ])
        .unwrap();
        drop(j);
        let (j, report) = FileJournal::<u32>::open(&path).unwrap();
        assert_eq!(report.torn_tail, None);
        let events =
            |s| -> Vec<u32> { j.read_stream(s).unwrap().iter().map(|e| e.event).collect() };
        assert_eq!((events(&a), events(&b)), (vec![1, 7], vec![2, 6]));
    }

    #[test]
    fn a_batch_without_its_closing_line_is_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let s = StreamId::new("s").unwrap();
        {
            let (j, _) = FileJournal::open(&path).unwrap();
            j.append(&s, 0, vec![new(1)]).unwrap();
            j.append(&s, 1, vec![new(2), new(3), new(4)]).unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        let line_ends = line_ends(&bytes);
        // Cut after the third line: two finished lines of the open batch.
        std::fs::write(&path, &bytes[..line_ends[2]]).unwrap();
        let (j, report) = FileJournal::<u32>::open(&path).unwrap();
        assert_eq!(report.events, 1);
        assert_eq!(
            report.torn_tail,
            Some(TornTail {
                offset: line_ends[0] as u64,
                bytes: (line_ends[2] - line_ends[0]) as u64,
                finished_lines: 2
            })
        );
        assert_eq!(j.version(&s).unwrap(), 1);
        j.append(&s, 1, vec![new(5)]).unwrap();
        drop(j);
        let (j, report) = FileJournal::<u32>::open(&path).unwrap();
        assert_eq!(report.torn_tail, None);
        let events: Vec<u32> = j.read_all().unwrap().iter().map(|e| e.event).collect();
        assert_eq!(events, [1, 5]);
    }
}
