//! [`Observations`]: the evidence of one finding, its first observation kept inline.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Observation;

/// What a rule looked at ([`RuleOutcome::evidence`](super::RuleOutcome::evidence),
/// [`Finding::evidence`](crate::values::Finding::evidence)): a list of [`Observation`]s
/// whose first is kept inline, so a check whose rules each look at one fact (most built-in
/// rules, when kept) makes no allocation for its evidence; a second moves the list to the
/// heap. One inline keeps a [`RuleOutcome`](super::RuleOutcome) small enough to be moved
/// without a call to copy it (two would nearly double it). It reads as a slice (it derefs
/// to one) and builds as a `Vec` did: `push`, `collect`, `From` a `Vec`.
///
/// JSON: a list of observations, as a `Vec` of them is written.
///
/// # Example
///
/// ```
/// use coproduction::values::{Observation, Observations};
///
/// let mut evidence = Observations::new();
/// evidence.push(Observation { field: "participants".into(), observed: "200".into() });
/// assert_eq!(evidence.len(), 1);
/// assert_eq!(evidence[0].observed, "200");
/// assert_eq!(
///     serde_json::to_string(&evidence)?,
///     r#"[{"field":"participants","observed":"200"}]"#
/// );
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Observations(Repr);

#[derive(Clone, Default)]
enum Repr {
    #[default]
    None,
    One(Observation),
    Heap(Vec<Observation>),
}

impl Observations {
    /// No observations.
    pub const fn new() -> Self {
        Self(Repr::None)
    }

    /// Adds an observation at the end.
    #[inline]
    pub fn push(&mut self, observation: Observation) {
        match &mut self.0 {
            Repr::None => self.0 = Repr::One(observation),
            Repr::Heap(all) => all.push(observation),
            Repr::One(_) => self.grow(observation),
        }
    }

    /// Adds a second observation: the first moves with it to the heap.
    fn grow(&mut self, observation: Observation) {
        self.0 = match std::mem::take(&mut self.0) {
            Repr::One(first) => Repr::Heap(vec![first, observation]),
            Repr::None => Repr::One(observation),
            Repr::Heap(mut all) => {
                all.push(observation);
                Repr::Heap(all)
            }
        };
    }

    /// The observations, in the order they were made.
    #[inline]
    pub fn as_slice(&self) -> &[Observation] {
        match &self.0 {
            Repr::None => &[],
            Repr::One(one) => std::slice::from_ref(one),
            Repr::Heap(all) => all,
        }
    }

    /// The observations, in the order they were made, to change in place.
    pub fn as_mut_slice(&mut self) -> &mut [Observation] {
        match &mut self.0 {
            Repr::None => &mut [],
            Repr::One(one) => std::slice::from_mut(one),
            Repr::Heap(all) => all,
        }
    }

    /// Whether there are none (also through the slice; named here for serde's
    /// `skip_serializing_if`).
    pub fn is_empty(&self) -> bool {
        matches!(self.0, Repr::None)
    }

    /// The observations as a `Vec`.
    pub fn into_vec(self) -> Vec<Observation> {
        match self.0 {
            Repr::None => Vec::new(),
            Repr::One(one) => vec![one],
            Repr::Heap(all) => all,
        }
    }
}

impl Deref for Observations {
    type Target = [Observation];

    #[inline]
    fn deref(&self) -> &[Observation] {
        self.as_slice()
    }
}

impl DerefMut for Observations {
    fn deref_mut(&mut self) -> &mut [Observation] {
        self.as_mut_slice()
    }
}

impl From<Vec<Observation>> for Observations {
    fn from(all: Vec<Observation>) -> Self {
        if all.len() > 1 {
            Self(Repr::Heap(all))
        } else {
            all.into_iter().collect()
        }
    }
}

impl From<Observations> for Vec<Observation> {
    fn from(observations: Observations) -> Self {
        observations.into_vec()
    }
}

impl FromIterator<Observation> for Observations {
    fn from_iter<I: IntoIterator<Item = Observation>>(iter: I) -> Self {
        let mut observations = Self::new();
        observations.extend(iter);
        observations
    }
}

impl Extend<Observation> for Observations {
    fn extend<I: IntoIterator<Item = Observation>>(&mut self, iter: I) {
        for observation in iter {
            self.push(observation);
        }
    }
}

impl<'a> IntoIterator for &'a Observations {
    type Item = &'a Observation;
    type IntoIter = std::slice::Iter<'a, Observation>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl IntoIterator for Observations {
    type Item = Observation;
    type IntoIter = std::vec::IntoIter<Observation>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl PartialEq for Observations {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Observations {}

impl PartialEq<Vec<Observation>> for Observations {
    fn eq(&self, other: &Vec<Observation>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl fmt::Debug for Observations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl Serialize for Observations {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Observations {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Observation>::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Observed;

    fn observation(n: usize) -> Observation {
        Observation {
            field: "n".into(),
            observed: Observed::from(format_args!("{n}")),
        }
    }

    #[test]
    fn one_stays_inline_and_a_second_moves_both_to_the_heap() {
        let mut evidence = Observations::new();
        assert!(evidence.is_empty());
        for n in 0..4 {
            evidence.push(observation(n));
            assert_eq!(evidence.len(), n + 1);
            let inline = matches!(evidence.0, Repr::One(_));
            assert_eq!(inline, n == 0, "{n}");
        }
        let observed: Vec<&str> = evidence.iter().map(|o| o.observed.as_str()).collect();
        assert_eq!(observed, ["0", "1", "2", "3"]);
        let all: Vec<Observation> = (0..4).map(observation).collect();
        assert_eq!(evidence, all);
        assert_eq!(Observations::from(all.clone()).into_vec(), all);
    }

    #[test]
    fn it_reads_and_writes_as_a_list() {
        for n in 0..4 {
            let all: Vec<Observation> = (0..n).map(observation).collect();
            let evidence: Observations = all.iter().cloned().collect();
            let json = serde_json::to_string(&evidence).unwrap();
            assert_eq!(json, serde_json::to_string(&all).unwrap());
            assert_eq!(
                serde_json::from_str::<Observations>(&json).unwrap(),
                evidence
            );
            assert_eq!(format!("{evidence:?}"), format!("{all:?}"));
        }
    }
}
