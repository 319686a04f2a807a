//! [`AdviceBases`]: the footing of one piece of advice, as a set that needs no allocation.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::AdviceBasis;

/// Every basis, in the order a set lists them (their declaration order, as `Ord` sorts).
const ALL: [AdviceBasis; 4] = [
    AdviceBasis::Affected,
    AdviceBasis::Expertise,
    AdviceBasis::LivedExperience,
    AdviceBasis::CriticalFriend,
];

/// The bases of one piece of advice ([`AdviceEntry::bases`](super::AdviceEntry::bases)): a
/// set of [`AdviceBasis`] kept as one byte, so a record with an entry per adviser makes no
/// allocation for their bases (a `BTreeSet` makes one per entry). It reads and builds as that
/// set did: `contains`, `insert`, `iter` in order, `From` an array, `collect`.
///
/// JSON: the bases as a list, in order, as a set of them is written: `["affected",
/// "critical_friend"]`; a basis given twice is taken once.
///
/// # Example
///
/// ```
/// use coproduction::values::{AdviceBasis, AdviceBases};
///
/// let mut bases = AdviceBases::from([AdviceBasis::CriticalFriend, AdviceBasis::Affected]);
/// assert!(bases.contains(&AdviceBasis::Affected));
/// assert!(bases.insert(AdviceBasis::Expertise));
/// assert!(!bases.insert(AdviceBasis::Expertise));
/// assert_eq!(serde_json::to_string(&bases)?, r#"["affected","expertise","critical_friend"]"#);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AdviceBases(u8);

/// The bit of `basis` in the mask.
const fn bit(basis: AdviceBasis) -> u8 {
    1 << basis as u8
}

impl AdviceBases {
    /// No bases.
    pub const fn new() -> Self {
        Self(0)
    }

    /// Whether `basis` is among them.
    pub const fn contains(&self, basis: &AdviceBasis) -> bool {
        self.0 & bit(*basis) != 0
    }

    /// Adds `basis`; whether it was new.
    pub fn insert(&mut self, basis: AdviceBasis) -> bool {
        let new = !self.contains(&basis);
        self.0 |= bit(basis);
        new
    }

    /// Takes `basis` out; whether it was there.
    pub fn remove(&mut self, basis: &AdviceBasis) -> bool {
        let held = self.contains(basis);
        self.0 &= !bit(*basis);
        held
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// How many.
    pub const fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// The bases, in order.
    pub fn iter(&self) -> AdviceBasesIter {
        AdviceBasesIter {
            bases: *self,
            next: 0,
        }
    }
}

/// The bases of an [`AdviceBases`], in order.
#[derive(Debug, Clone)]
pub struct AdviceBasesIter {
    bases: AdviceBases,
    next: usize,
}

impl Iterator for AdviceBasesIter {
    type Item = &'static AdviceBasis;

    fn next(&mut self) -> Option<&'static AdviceBasis> {
        while let Some(basis) = ALL.get(self.next) {
            self.next += 1;
            if self.bases.contains(basis) {
                return Some(basis);
            }
        }
        None
    }
}

impl IntoIterator for &AdviceBases {
    type Item = &'static AdviceBasis;
    type IntoIter = AdviceBasesIter;

    fn into_iter(self) -> AdviceBasesIter {
        self.iter()
    }
}

impl IntoIterator for AdviceBases {
    type Item = AdviceBasis;
    type IntoIter = std::iter::Copied<AdviceBasesIter>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter().copied()
    }
}

impl Extend<AdviceBasis> for AdviceBases {
    fn extend<I: IntoIterator<Item = AdviceBasis>>(&mut self, bases: I) {
        for basis in bases {
            self.insert(basis);
        }
    }
}

impl FromIterator<AdviceBasis> for AdviceBases {
    fn from_iter<I: IntoIterator<Item = AdviceBasis>>(bases: I) -> Self {
        let mut set = Self::new();
        set.extend(bases);
        set
    }
}

impl<const N: usize> From<[AdviceBasis; N]> for AdviceBases {
    fn from(bases: [AdviceBasis; N]) -> Self {
        bases.into_iter().collect()
    }
}

impl From<&std::collections::BTreeSet<AdviceBasis>> for AdviceBases {
    fn from(bases: &std::collections::BTreeSet<AdviceBasis>) -> Self {
        bases.iter().copied().collect()
    }
}

impl fmt::Debug for AdviceBases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for AdviceBases {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for AdviceBases {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bases;

        impl<'de> serde::de::Visitor<'de> for Bases {
            type Value = AdviceBases;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of advice bases")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AdviceBases, A::Error> {
                let mut bases = AdviceBases::new();
                while let Some(basis) = seq.next_element()? {
                    bases.insert(basis);
                }
                Ok(bases)
            }
        }

        deserializer.deserialize_seq(Bases)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_set_reads_and_writes_as_the_btree_set_it_replaces() {
        for mask in 0u8..16 {
            let set: BTreeSet<AdviceBasis> =
                ALL.into_iter().filter(|b| mask & bit(*b) != 0).collect();
            let bases = AdviceBases::from(&set);
            assert_eq!(bases.len(), set.len());
            assert_eq!(bases.is_empty(), set.is_empty());
            assert!(bases.iter().eq(set.iter()));
            let json = serde_json::to_string(&set).unwrap();
            assert_eq!(serde_json::to_string(&bases).unwrap(), json);
            assert_eq!(serde_json::from_str::<AdviceBases>(&json).unwrap(), bases);
            assert_eq!(format!("{bases:?}"), format!("{set:?}"));
        }
        let twice: AdviceBases = serde_json::from_str(r#"["affected", "affected"]"#).unwrap();
        assert_eq!(twice, AdviceBases::from([AdviceBasis::Affected]));
        assert!(serde_json::from_str::<AdviceBases>(r#"["nobody"]"#).is_err());
        assert!(serde_json::from_str::<AdviceBases>(r#""affected""#).is_err());
    }

    #[test]
    fn insert_and_remove_say_what_changed() {
        let mut bases = AdviceBases::new();
        assert!(bases.insert(AdviceBasis::LivedExperience));
        assert!(!bases.insert(AdviceBasis::LivedExperience));
        assert!(bases.remove(&AdviceBasis::LivedExperience));
        assert!(!bases.remove(&AdviceBasis::LivedExperience));
        assert!(bases.is_empty());
    }
}
