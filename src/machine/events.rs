//! The events one command caused.

use std::ops::Deref;

/// The events one command caused, in order.
///
/// Almost every command causes exactly one event, so one is stored inline and only more
/// spill to the heap: deciding a command costs no allocation. Reads as a slice.
///
/// # Example
///
/// ```
/// use coproduction::machine::Events;
/// let one = Events::one("responded");
/// assert_eq!(one.len(), 1);
/// let many: Events<&str> = vec!["closed", "deferred"].into();
/// assert_eq!(&many[..], ["closed", "deferred"]);
/// assert_eq!(many.into_iter().collect::<Vec<_>>(), vec!["closed", "deferred"]);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Events<E>(Repr<E>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr<E> {
    One([E; 1]),
    Many(Vec<E>),
}

impl<E> Events<E> {
    /// A single event.
    pub fn one(event: E) -> Self {
        Self(Repr::One([event]))
    }

    /// No events.
    pub fn none() -> Self {
        Self(Repr::Many(Vec::new()))
    }

    /// The events as a vector.
    pub fn into_vec(self) -> Vec<E> {
        match self.0 {
            Repr::One(one) => Vec::from(one),
            Repr::Many(many) => many,
        }
    }
}

impl<E> Deref for Events<E> {
    type Target = [E];

    fn deref(&self) -> &[E] {
        match &self.0 {
            Repr::One(one) => one,
            Repr::Many(many) => many,
        }
    }
}

impl<E> From<Vec<E>> for Events<E> {
    fn from(events: Vec<E>) -> Self {
        Self(Repr::Many(events))
    }
}

impl<E> From<E> for Events<E> {
    fn from(event: E) -> Self {
        Self::one(event)
    }
}

impl<E> FromIterator<E> for Events<E> {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        Self(Repr::Many(iter.into_iter().collect()))
    }
}

impl<E: PartialEq> PartialEq<Events<E>> for Vec<E> {
    fn eq(&self, other: &Events<E>) -> bool {
        self[..] == **other
    }
}

/// Serialised as a JSON array, like the slice it reads as.
impl<E: serde::Serialize> serde::Serialize for Events<E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<E: PartialEq> PartialEq<Vec<E>> for Events<E> {
    fn eq(&self, other: &Vec<E>) -> bool {
        **self == other[..]
    }
}

/// The owning iterator of [`Events`].
#[derive(Debug)]
pub struct IntoIter<E>(IterRepr<E>);

#[derive(Debug)]
enum IterRepr<E> {
    One(std::array::IntoIter<E, 1>),
    Many(std::vec::IntoIter<E>),
}

impl<E> Iterator for IntoIter<E> {
    type Item = E;

    fn next(&mut self) -> Option<E> {
        match &mut self.0 {
            IterRepr::One(it) => it.next(),
            IterRepr::Many(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::One(it) => it.size_hint(),
            IterRepr::Many(it) => it.size_hint(),
        }
    }
}

impl<E> IntoIterator for Events<E> {
    type Item = E;
    type IntoIter = IntoIter<E>;

    fn into_iter(self) -> IntoIter<E> {
        IntoIter(match self.0 {
            Repr::One(one) => IterRepr::One(one.into_iter()),
            Repr::Many(many) => IterRepr::Many(many.into_iter()),
        })
    }
}

impl<'a, E> IntoIterator for &'a Events<E> {
    type Item = &'a E;
    type IntoIter = std::slice::Iter<'a, E>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
