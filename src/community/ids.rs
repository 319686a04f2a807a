//! The typed ids of members and bodies.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::CommunityError;
use crate::slug::{self, Slug, slug_text};

/// A member's identity: a number the embedding app assigns.
///
/// Shown as `m` followed by the number (`m17`); serialised as the bare number. Read from a
/// number or from a string of digits, because JSON writes the keys of a map keyed by member
/// as strings (`{"4": [6]}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct MemberId(u64);

impl<'de> Deserialize<'de> for MemberId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = MemberId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member id: a whole number, or a string of its digits")
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<MemberId, E> {
                Ok(MemberId(n))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<MemberId, E> {
                u64::try_from(n)
                    .map(MemberId)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(n), &self))
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<MemberId, E> {
                // Digits only: no sign, no spaces, so "m4" and "+4" are refused.
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::invalid_value(serde::de::Unexpected::Str(s), &self));
                }
                s.parse()
                    .map(MemberId)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(s), &self))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

impl MemberId {
    /// The id with number `n`.
    pub const fn new(n: u64) -> Self {
        Self(n)
    }

    /// The number behind the id.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// A body's identity: a short slug such as `allies_group`, readable in governance maps and
/// reports.
///
/// 1 to 64 characters; lowercase ASCII letters, digits, `_` and `-`; starting with a letter.
/// A body named in code ([`from_static`](BodyId::from_static)) borrows its slug, so naming
/// it, and cloning the id into each route and figure of a decision record, allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BodyId(Cow<'static, str>);

impl BodyId {
    const SHAPE: Slug = Slug {
        max: 64,
        too_long: "it is longer than 64 characters",
        first: slug::lowercase,
        bad_first: "it does not start with a lowercase letter",
        allowed: |b| slug::lowercase(b) || b.is_ascii_digit() || matches!(b, b'_' | b'-'),
        bad_char: "it has a character other than a-z, 0-9, `_` and `-`",
    };

    /// Checks and wraps a slug.
    ///
    /// # Errors
    ///
    /// [`CommunityError::InvalidBodyId`] saying which rule the slug breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::BodyId;
    /// assert_eq!(BodyId::new("staff_team")?.as_str(), "staff_team");
    /// assert!(BodyId::new("Staff Team").is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(slug: impl Into<String>) -> Result<Self, CommunityError> {
        let slug = slug.into();
        match Self::SHAPE.refusal(&slug) {
            Some(reason) => Err(CommunityError::InvalidBodyId { id: slug, reason }),
            None => Ok(Self(Cow::Owned(slug))),
        }
    }

    /// Checks and borrows a slug that lives for the whole program (one written in code):
    /// the id holds no copy of it, and clones of it copy no text.
    ///
    /// # Errors
    ///
    /// [`CommunityError::InvalidBodyId`] saying which rule the slug breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::BodyId;
    /// let circle = BodyId::from_static("decision_circle")?;
    /// assert_eq!(circle, BodyId::new("decision_circle")?);
    /// assert!(BodyId::from_static("Decision Circle").is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn from_static(slug: &'static str) -> Result<Self, CommunityError> {
        match Self::SHAPE.refusal(slug) {
            Some(reason) => Err(CommunityError::InvalidBodyId {
                id: slug.to_owned(),
                reason,
            }),
            None => Ok(Self(Cow::Borrowed(slug))),
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

slug_text!(BodyId, CommunityError, String);
