//! [`Participants`]: who was entitled to decide, with the figures a check needs counted as
//! they are added.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::community::MemberId;
use crate::values::rules::RecordTally;

use super::Participant;

/// Who was entitled to decide ([`DecisionRecord::participants`](super::DecisionRecord::participants)),
/// with the [`RecordTally`] of them that several rules read: counted as participants are
/// added (`push`, `extend`, `collect`), while each one is at hand, so a check reads the
/// figures rather than walking the list again; a list taken whole (`From` a `Vec`, JSON) is
/// counted when first checked, and once. It reads as a slice of [`Participant`]s (it derefs
/// to one). A participant is changed in place through [`edit`](Self::edit), which lends the
/// list and has the figures counted again when next read, so they never differ from the list.
///
/// JSON: a list of participants, as a `Vec` of them is written. A list that names a member
/// twice is refused when read: one member would count twice towards a quorum or a share.
/// Built in Rust, the list is taken as given (the engine's records name each member once).
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::values::{Participant, Participants, RecordedResponse};
///
/// let mut participants: Participants = (1..=3)
///     .map(|i| Participant::new(MemberId::new(i)).responded(RecordedResponse::Consent))
///     .collect();
/// participants.push(Participant::new(MemberId::new(4)).with_lived_experience());
/// assert_eq!(participants.len(), 4);
/// assert_eq!(participants.tally().without_response, [MemberId::new(4)]);
///
/// participants.edit()[3].response = Some(RecordedResponse::Consent);
/// assert!(participants.tally().without_response.is_empty());
/// assert_eq!(participants.tally().lived_experience_responded, 1);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Participants {
    list: Vec<Participant>,
    /// The figures of `list`, when counted: kept as participants are added, emptied when the
    /// list is lent to be changed.
    tally: OnceLock<RecordTally>,
}

impl Participants {
    /// No participants (recorded as none).
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// No participants yet, with room for `capacity` without reallocating.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            list: Vec::with_capacity(capacity),
            tally: OnceLock::from(RecordTally::of_list(&[])),
        }
    }

    /// Adds a participant at the end, counting it.
    pub fn push(&mut self, participant: Participant) {
        self.extend([participant]);
    }

    /// The figures about the participants that several rules need.
    pub fn tally(&self) -> &RecordTally {
        self.tally.get_or_init(|| RecordTally::of_list(&self.list))
    }

    /// Lends the list to change, in place or in length; the figures are counted again when
    /// next read.
    pub fn edit(&mut self) -> &mut Vec<Participant> {
        self.tally.take();
        &mut self.list
    }

    /// The list.
    pub fn into_vec(self) -> Vec<Participant> {
        self.list
    }
}

impl Deref for Participants {
    type Target = [Participant];

    fn deref(&self) -> &[Participant] {
        &self.list
    }
}

impl Extend<Participant> for Participants {
    fn extend<I: IntoIterator<Item = Participant>>(&mut self, participants: I) {
        let participants = participants.into_iter();
        let Some(tally) = self.tally.get_mut() else {
            // Not counted yet: counted whole, when read.
            self.list.extend(participants);
            return;
        };
        // Written in place (`Vec::extend`), then counted while they are in cache: counting
        // each on its way in has `push` copy it from the stack, where the builder's narrow
        // writes stall the wide reads of the copy.
        let start = self.list.len();
        self.list.extend(participants);
        let mut sums = tally.sums();
        for p in self.list.iter().skip(start) {
            tally.count(&mut sums, p);
        }
        tally.set_sums(sums);
    }
}

impl FromIterator<Participant> for Participants {
    fn from_iter<I: IntoIterator<Item = Participant>>(participants: I) -> Self {
        let mut all = Self::new();
        all.extend(participants);
        all
    }
}

impl From<Vec<Participant>> for Participants {
    /// The list, counted when first read.
    fn from(list: Vec<Participant>) -> Self {
        Self {
            list,
            tally: OnceLock::new(),
        }
    }
}

impl From<Participants> for Vec<Participant> {
    fn from(participants: Participants) -> Self {
        participants.list
    }
}

impl IntoIterator for Participants {
    type Item = Participant;
    type IntoIter = std::vec::IntoIter<Participant>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Participants {
    type Item = &'a Participant;
    type IntoIter = std::slice::Iter<'a, Participant>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl PartialEq for Participants {
    /// The same participants, in the same order (the figures follow from them).
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Participants {}

impl fmt::Debug for Participants {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.list, f)
    }
}

impl Serialize for Participants {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Participants {
    /// Refuses a list that names a member twice: counted twice, one member would count as
    /// two towards a quorum or a share.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<Participant>::deserialize(deserializer)?;
        let mut seen: HashMap<MemberId, usize, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(list.len(), foldhash::fast::RandomState::default());
        for (i, p) in list.iter().enumerate() {
            if let Some(first) = seen.insert(p.member, i) {
                return Err(serde::de::Error::custom(format_args!(
                    "member {} is listed twice among the participants, at entries {first} and {i} (counting from 0)",
                    p.member
                )));
            }
        }
        Ok(Self::from(list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::MemberId;
    use crate::values::{AbsenceCounted, Conflict, PaymentStatus, RecordedResponse};

    fn mixed() -> Vec<Participant> {
        (1..=40)
            .map(|i| {
                let p = Participant::new(MemberId::new(i));
                let p = match i % 4 {
                    0 => p.responded(RecordedResponse::Consent),
                    1 => p.absent(AbsenceCounted::Consent),
                    2 => p.absent(AbsenceCounted::NotCounted),
                    _ => p,
                };
                let p = if i % 3 == 0 {
                    p.with_lived_experience()
                } else {
                    p
                };
                let p = match i % 5 {
                    0 => p.contributor(PaymentStatus::NotOffered),
                    1 => p.contributor(PaymentStatus::Accepted),
                    2 => p.declared(Conflict::DeclaredAndRecused),
                    3 => p.declared(Conflict::DeclaredAndTookPart),
                    _ => p.declared(Conflict::None),
                };
                if i % 7 == 0 {
                    p.with_lived_experience().absent(AbsenceCounted::Objection)
                } else {
                    p
                }
            })
            .collect()
    }

    #[test]
    fn json_naming_a_member_twice_is_refused_and_once_each_is_read() {
        let twice = r#"[{"member": 4, "lived_experience": true}, {"member": 5},
            {"member": 4, "lived_experience": true}]"#;
        let error = serde_json::from_str::<Participants>(twice).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "member m4 is listed twice among the participants, at entries 0 and 2"
            ),
            "{error}"
        );
        let once: Participants = serde_json::from_str(r#"[{"member": 4}, {"member": 5}]"#).unwrap();
        assert_eq!(once.tally().participants, 2);
    }

    #[test]
    fn counted_as_added_or_when_read_the_figures_are_the_same() {
        let list = mixed();
        let whole = Participants::from(list.clone());
        let collected: Participants = list.iter().cloned().collect();
        let mut pushed = Participants::new();
        for p in &list {
            pushed.push(p.clone());
        }
        let expected = whole.tally().clone();
        assert!(expected.recorded && expected.participants == 40);
        assert_eq!(collected.tally(), &expected);
        assert_eq!(pushed.tally(), &expected);
        assert_eq!(collected, whole);
        let json = serde_json::to_string(&collected).unwrap();
        assert_eq!(json, serde_json::to_string(&list).unwrap());
        let read: Participants = serde_json::from_str(&json).unwrap();
        assert_eq!(read.tally(), &expected);
    }

    #[test]
    fn an_edit_is_counted_again() {
        let mut participants: Participants = mixed().into_iter().collect();
        for p in participants.edit().iter_mut() {
            p.response = Some(RecordedResponse::Consent);
            p.conflict = Some(Conflict::None);
        }
        participants.push(Participant::new(MemberId::new(99)));
        let fresh = Participants::from(participants.clone().into_vec());
        assert_eq!(participants.tally(), fresh.tally());
        assert_eq!(participants.tally().without_response, [MemberId::new(99)]);
        assert_eq!(participants.tally().participants, 41);
    }
}
