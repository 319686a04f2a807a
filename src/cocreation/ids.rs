//! Typed ids for everything in a co-creation model.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares an id that is a number: `Name(u64)` (or `Name(pub u32)`: the number's type, and
/// whether the field is public), serialised as the bare number and shown after `$prefix`,
/// with `new` and `get`. Every numbered id in the crate is declared by it.
macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident($vis:vis $int:ty), $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name($vis $int);

        impl $name {
            /// The id with number `n`.
            pub const fn new(n: $int) -> Self {
                Self(n)
            }

            /// The number behind the id.
            pub const fn get(self) -> $int {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}
pub(crate) use numeric_id;

numeric_id!(
    /// A co-creation session's id: a number the embedding app assigns.
    ///
    /// Shown as `s` followed by the number (`s1`); serialised as the bare number.
    SessionId(u64),
    "s"
);
numeric_id!(
    /// A feedback item's id. Shown as `i3`; serialised as the bare number.
    ItemId(u64),
    "i"
);
numeric_id!(
    /// A theme's id. Shown as `t2`; serialised as the bare number.
    ThemeId(u64),
    "t"
);
numeric_id!(
    /// A proposal's id, shared by all its versions. Shown as `p1`; serialised as the bare
    /// number.
    ProposalId(u64),
    "p"
);
numeric_id!(
    /// A decision's id. Shown as `d1`; serialised as the bare number.
    DecisionId(u64),
    "d"
);

/// A version number of a proposal, counted from 1 by convention. Shown as `v2`; serialised
/// as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionNumber(u32);

impl VersionNumber {
    /// Version number `n`.
    pub const fn new(n: u32) -> Self {
        Self(n)
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The version after this one, or `None` past `u32::MAX`.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// One version of one proposal: the unit that themes inform and that leads to decisions,
/// because an amended proposal is a new version and the record keeps every one.
///
/// Shown as `p1v2`; serialised as `{"proposal": 1, "version": 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionId {
    /// The proposal.
    pub proposal: ProposalId,
    /// Which version of it.
    pub version: VersionNumber,
}

impl VersionId {
    /// Version `version` of `proposal`.
    pub const fn new(proposal: ProposalId, version: VersionNumber) -> Self {
        Self { proposal, version }
    }
}

impl fmt::Display for VersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.proposal, self.version)
    }
}

/// Any node of the provenance graph, named by its typed id. Ordered by kind first, in the
/// order information flows: session, item, theme, proposal version, decision.
///
/// Shown as its id (`s1`, `i3`, `t2`, `p1v2`, `d1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    content = "id",
    rename_all = "snake_case",
    deny_unknown_fields
)]
#[non_exhaustive]
pub enum Node {
    /// A session.
    Session(SessionId),
    /// A feedback item.
    Item(ItemId),
    /// A theme.
    Theme(ThemeId),
    /// A proposal version.
    Version(VersionId),
    /// A decision.
    Decision(DecisionId),
}

impl Node {
    /// What kind of node it is, in words: `session`, `item`, `theme`, `proposal version`,
    /// `decision`.
    pub fn kind(self) -> &'static str {
        match self {
            Node::Session(_) => "session",
            Node::Item(_) => "item",
            Node::Theme(_) => "theme",
            Node::Version(_) => "proposal version",
            Node::Decision(_) => "decision",
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Session(id) => id.fmt(f),
            Node::Item(id) => id.fmt(f),
            Node::Theme(id) => id.fmt(f),
            Node::Version(id) => id.fmt(f),
            Node::Decision(id) => id.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_with_their_prefix_and_serialise_bare() {
        assert_eq!(SessionId::new(1).to_string(), "s1");
        assert_eq!(ItemId::new(3).to_string(), "i3");
        assert_eq!(ThemeId::new(2).to_string(), "t2");
        assert_eq!(DecisionId::new(4).to_string(), "d4");
        let v = VersionId::new(ProposalId::new(1), VersionNumber::new(2));
        assert_eq!(v.to_string(), "p1v2");
        assert_eq!(Node::Version(v).to_string(), "p1v2");
        assert_eq!(serde_json::to_string(&ItemId::new(3)).unwrap(), "3");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"proposal":1,"version":2}"#
        );
        assert!(serde_json::from_str::<VersionId>(r#"{"proposal":1,"version":2,"x":0}"#).is_err());
        assert_eq!(VersionNumber::new(1).next(), Some(VersionNumber::new(2)));
        assert_eq!(VersionNumber::new(u32::MAX).next(), None);
    }

    #[test]
    fn nodes_order_by_kind_in_the_direction_information_flows() {
        assert!(Node::Session(SessionId::new(9)) < Node::Item(ItemId::new(1)));
        assert!(Node::Item(ItemId::new(9)) < Node::Theme(ThemeId::new(1)));
        assert!(Node::Decision(DecisionId::new(1)) > Node::Theme(ThemeId::new(9)));
    }
}
