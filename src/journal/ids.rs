//! The identity of a stream.

use std::borrow::Borrow;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::JournalError;
use crate::slug::{self, Slug, slug_text};

/// The identity of a stream: one decision process (a consent round, a proposal, a funding
/// decision) whose events are numbered `1, 2, 3, ...`.
///
/// A slug of 1 to 128 characters: lowercase ASCII letters, digits, `_`, `-`, `.` and `:`,
/// starting with a letter (`consent-round:17`). Cheap to clone (shared).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId(Arc<str>);

impl StreamId {
    const SHAPE: Slug = Slug {
        max: 128,
        too_long: "it is longer than 128 characters",
        first: slug::lowercase,
        bad_first: "it does not start with a lowercase letter",
        allowed: |b| {
            slug::lowercase(b) || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.' | b':')
        },
        bad_char: "it has a character other than a-z, 0-9, `_`, `-`, `.` and `:`",
    };

    /// Checks and wraps a slug.
    ///
    /// # Errors
    ///
    /// [`JournalError::InvalidStreamId`] saying which rule the slug breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::journal::StreamId;
    /// assert_eq!(StreamId::new("consent-round:17")?.as_str(), "consent-round:17");
    /// assert!(StreamId::new("Round 17").is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(slug: &str) -> Result<Self, JournalError> {
        match Self::SHAPE.refusal(slug) {
            Some(reason) => Err(JournalError::InvalidStreamId {
                id: slug.to_owned(),
                reason,
            }),
            None => Ok(Self(Arc::from(slug))),
        }
    }

    /// A stream id the crate reserves, from a slug known to be valid (a unit test of each
    /// reserved id checks it).
    pub(crate) fn reserved(slug: &'static str) -> Self {
        Self(Arc::from(slug))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for StreamId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

slug_text!(StreamId, JournalError);

impl Serialize for StreamId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for StreamId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        slug::deserialize_str(d, "a stream id slug", StreamId::new)
    }
}
