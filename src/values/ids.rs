//! The ids of values and rules.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::slug::{self, Slug, slug_text};

/// A value's id: a slug such as `inclusive`.
///
/// Values are data, not a fixed enum: the community's set changed over time, and a charter
/// may declare any set. 1 to 64 characters of `a-z`, `0-9` and `_`, starting with a letter.
/// Cheap to clone, because every finding of a report names its value: the seed values are
/// static text (a clone is a copy), any other is shared.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ValueId(Text);

/// A value id's text: static for the seed values, so a check that clones one per finding
/// touches no shared count; shared for the rest.
#[derive(Clone)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        match text {
            Text::Static(slug) => slug.to_owned(),
            Text::Shared(slug) => slug.as_ref().to_owned(),
        }
    }
}

/// The seed community's values, which a charter read from text names as well.
const SEED_VALUES: [&str; 4] = ["human", "inclusive", "transparent", "challenging"];

impl PartialEq for ValueId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ValueId {}

impl PartialOrd for ValueId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ValueId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for ValueId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for ValueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ValueId").field(&self.as_str()).finish()
    }
}

/// An id that breaks the slug rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} id `{id}`: {reason}")]
pub struct InvalidId {
    /// What the id names: `value` or `rule`.
    pub what: &'static str,
    /// The refused text.
    pub id: String,
    /// Which rule it breaks.
    pub reason: &'static str,
}

impl ValueId {
    const SHAPE: Slug = Slug {
        max: 64,
        too_long: "it is longer than 64 characters",
        first: slug::lowercase,
        bad_first: "it does not start with a lowercase letter",
        allowed: |b| slug::lowercase(b) || b.is_ascii_digit() || b == b'_',
        bad_char: "it has a character other than a-z, 0-9 and `_`",
    };

    /// Checks and wraps a slug.
    ///
    /// # Errors
    ///
    /// [`InvalidId`] saying which rule the slug breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::values::ValueId;
    /// assert_eq!(ValueId::new("inclusive")?.as_str(), "inclusive");
    /// assert!(ValueId::new("Inclusive").is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(slug: impl AsRef<str>) -> Result<Self, InvalidId> {
        let slug = slug.as_ref();
        match Self::SHAPE.refusal(slug) {
            Some(reason) => Err(InvalidId {
                what: "value",
                id: slug.to_owned(),
                reason,
            }),
            None => Ok(match SEED_VALUES.iter().find(|seed| **seed == slug) {
                Some(seed) => Self(Text::Static(seed)),
                None => Self(Text::Shared(Arc::from(slug))),
            }),
        }
    }

    /// The seed community's value `human`.
    pub fn human() -> Self {
        Self(Text::Static("human"))
    }

    /// The seed community's value `inclusive`.
    pub fn inclusive() -> Self {
        Self(Text::Static("inclusive"))
    }

    /// The seed community's value `transparent`.
    pub fn transparent() -> Self {
        Self(Text::Static("transparent"))
    }

    /// The seed community's value `challenging`.
    pub fn challenging() -> Self {
        Self(Text::Static("challenging"))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Text::Static(slug) => slug,
            Text::Shared(slug) => slug,
        }
    }
}

slug_text!(ValueId, InvalidId, String);

impl Borrow<str> for ValueId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// A rule's id, such as `I1`; reports list findings sorted by it.
///
/// 1 to 32 characters of ASCII letters, digits, `_` and `-`, starting with a letter. The
/// built-in ids (`H1`..`H6`, `I1`..`I8`, `T1`..`T9`, `C1`..`C8`) are reserved for the
/// built-in rules: a custom rule must take another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuleId(Cow<'static, str>);

impl RuleId {
    const SHAPE: Slug = Slug {
        max: 32,
        too_long: "it is longer than 32 characters",
        first: |b| b.is_ascii_alphabetic(),
        bad_first: "it does not start with a letter",
        allowed: |b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'),
        bad_char: "it has a character other than letters, digits, `_` and `-`",
    };

    /// Checks and wraps an id.
    ///
    /// # Errors
    ///
    /// [`InvalidId`] saying which rule the id breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::values::RuleId;
    /// assert_eq!(RuleId::new("X-quiet-hours")?.as_str(), "X-quiet-hours");
    /// assert!(RuleId::new("1st").is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidId> {
        let id = id.into();
        match Self::SHAPE.refusal(&id) {
            Some(reason) => Err(InvalidId {
                what: "rule",
                id,
                reason,
            }),
            None => Ok(Self(Cow::Owned(id))),
        }
    }

    /// A built-in id, known valid; no allocation.
    pub(crate) const fn builtin(id: &'static str) -> Self {
        Self(Cow::Borrowed(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

slug_text!(RuleId, InvalidId, String);

crate::slug::str_eq!(RuleId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_their_slug_rules() {
        assert!(ValueId::new("dignity_2").is_ok());
        assert_eq!(ValueId::new("").unwrap_err().reason, "it is empty");
        assert!(ValueId::new("two words").is_err());
        assert!(RuleId::new("H1").is_ok());
        assert!(RuleId::new("-x").is_err());
        assert!(serde_json::from_str::<RuleId>(r#""a b""#).is_err());
        assert_eq!(
            serde_json::to_string(&ValueId::human()).unwrap(),
            r#""human""#
        );
        assert_eq!(RuleId::builtin("C4"), RuleId::new("C4").unwrap());
    }

    #[test]
    fn seed_and_other_value_ids_compare_hash_and_print_by_their_text() {
        use std::collections::hash_map::DefaultHasher;
        use std::hash::{Hash, Hasher};
        let hash = |id: &ValueId| {
            let mut h = DefaultHasher::new();
            id.hash(&mut h);
            h.finish()
        };
        let seed = ValueId::human();
        let read = ValueId::new("human").unwrap();
        let shared = ValueId(Text::Shared(Arc::from("human")));
        assert!(matches!(read.0, Text::Static(_)));
        assert_eq!(seed, shared);
        assert_eq!(hash(&seed), hash(&shared));
        assert_eq!(hash(&seed), {
            let mut h = DefaultHasher::new();
            "human".hash(&mut h);
            h.finish()
        });
        let dignity = ValueId::new("dignity").unwrap();
        assert!(matches!(dignity.0, Text::Shared(_)));
        assert_eq!(seed.cmp(&dignity), "human".cmp("dignity"));
        assert_eq!(format!("{dignity:?}"), r#"ValueId("dignity")"#);
        assert_eq!(dignity.to_string(), "dignity");
        assert_eq!(
            serde_json::from_str::<ValueId>(r#""inclusive""#).unwrap(),
            ValueId::inclusive()
        );
    }
}
