//! What a decision record is about: the one decision a gate's proof is for.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::hash::Hash;

/// The decision a [`DecisionRecord`](super::DecisionRecord) is about, as a BLAKE3 digest.
///
/// A record that names its subject passes it to its report, and the report's
/// [gate](super::ValueReport::gate) to its [`GatePassed`](super::GatePassed) proof. The typed
/// steps that take a proof (a round's adoption, a proposal's, a funding acceptance) accept
/// only a proof for themselves: their subject is the digest of their events as they stand,
/// so a proof made for one decision, or for the same decision before its last event, is
/// refused. Each façade's `name_record` (such as
/// [`ConsentRound::name_record`](crate::consent::ConsentRound::name_record)) names a record
/// as its own; an app that gates its own decisions names them with [`Subject::named`].
///
/// Written as 64 lowercase hex digits.
///
/// # Example
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::values::{Charter, DecisionRecord, Subject};
///
/// let subject = Subject::named("grant-application:2023-04");
/// assert_eq!(subject, Subject::named("grant-application:2023-04"));
/// assert_ne!(subject, Subject::named("grant-application:2023-05"));
///
/// let record = DecisionRecord::new(DecisionKind::Operational).with_subject(subject);
/// let report = Charter::from_json(r#"{"values":[{"id":"human"}],"rules":[]}"#)?.check(&record);
/// assert_eq!(report.subject(), Some(&subject));
/// assert_eq!(report.gate()?.subject(), Some(&subject));
///
/// let text = subject.to_string();
/// assert_eq!(serde_json::from_str::<Subject>(&format!("\"{text}\""))?, subject);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subject(Hash);

/// What each kind of subject's digest starts with, so that a name never equals a stream of
/// events.
const NAMED: &[u8] = b"coproduction subject, named\n";
const EVENTS: &[u8] = b"coproduction subject, events\n";

impl Subject {
    /// The subject an app names with its own id for the decision.
    pub fn named(name: &str) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(NAMED).update(name.as_bytes());
        Self(Hash::of_hasher(&hasher))
    }

    /// The subject of a process whose events so far are `events`: each event as JSON, one
    /// per line.
    pub(crate) fn of_events<E: Serialize>(events: &[E]) -> Self {
        /// The JSON is gathered in blocks this large before it is hashed: BLAKE3 is several
        /// times faster over large blocks than over serde_json's many small writes.
        const BLOCK: usize = 1 << 16;
        let mut hasher = blake3::Hasher::new();
        hasher.update(EVENTS);
        let mut block = Vec::with_capacity(BLOCK + 1024);
        for event in events {
            if let Err(error) = serde_json::to_writer(&mut block, event) {
                // No event of this crate's processes fails to serialise (their journals
                // write every one); were one to, its error still marks the digest.
                block.push(0);
                block.extend_from_slice(error.to_string().as_bytes());
            }
            block.push(b'\n');
            if block.len() >= BLOCK {
                hasher.update(&block);
                block.clear();
            }
        }
        hasher.update(&block);
        Self(Hash::of_hasher(&hasher))
    }

    /// The digest.
    pub fn hash(&self) -> &Hash {
        &self.0
    }
}

/// A gate's proof offered to a step it was not made for.
///
/// Every typed step that takes a [`GatePassed`](super::GatePassed) refuses with this (inside
/// its process's error) when the proof's subject is not the step's own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ProofMismatch {
    /// The subject of the process at the step; `None` when it carries no events to name it
    /// by (it was made from a bare runtime state).
    pub step: Option<Subject>,
    /// The subject the gated record named, if any.
    pub proof: Option<Subject>,
}

impl ProofMismatch {
    fn describe(&self) -> String {
        match (&self.step, &self.proof) {
            (None, _) => "the process carries no events to name it by (it was made from a bare \
                 state): replay it from its events, name its record, and gate that"
                .to_owned(),
            (Some(step), None) => format!(
                "the proof's record names no decision; name it as this process's ({step}) \
                 and gate it again"
            ),
            (Some(step), Some(proof)) => format!(
                "the proof was made for {proof}, not for this process as it stands ({step}): \
                 another decision, or this one before its last event"
            ),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Subject({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_names_give_different_subjects() {
        let events = ["a", "b"];
        assert_eq!(Subject::of_events(&events), Subject::of_events(&events));
        assert_ne!(
            Subject::of_events(&events),
            Subject::of_events(&events[..1])
        );
        assert_ne!(Subject::of_events(&["ab"]), Subject::of_events(&["a", "b"]));
        assert_ne!(Subject::of_events::<&str>(&[]), Subject::named(""));
    }

    #[test]
    fn a_mismatch_says_which_side_is_missing_or_different() {
        let (a, b) = (Subject::named("a"), Subject::named("b"));
        let text = |step, proof| ProofMismatch { step, proof }.to_string();
        assert!(text(None, Some(a)).contains("carries no events"));
        assert!(text(Some(a), None).contains("names no decision"));
        let both = text(Some(a), Some(b));
        assert!(both.contains(&a.to_string()) && both.contains(&b.to_string()));
    }

    #[test]
    fn an_event_that_cannot_be_written_still_marks_the_subject() {
        use std::collections::BTreeMap;
        // A map with non-string keys: serde_json refuses it.
        let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let empty: BTreeMap<(u8, u8), u8> = BTreeMap::new();
        assert!(serde_json::to_string(&bad).is_err());
        assert_ne!(Subject::of_events(&[&bad]), Subject::of_events(&[&empty]));
    }
}
