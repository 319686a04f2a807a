//! Why a change to a co-creation model, or a query on it, was refused.

use jiff::Timestamp;

use super::{
    DecisionId, InvalidThemeOutcome, ItemId, Link, Node, SessionId, ThemeId, ThemeOutcome,
};
use crate::community::MemberId;

/// Why a change to a [`CoCreation`](super::CoCreation) model or a query on it was refused.
/// A refused change leaves the model as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoCreationError {
    /// A node with this id is already in the model.
    #[error("cannot add {} {node}: it is already in the model", node.kind())]
    Duplicate {
        /// The id added twice.
        node: Node,
    },
    /// A required text field is blank.
    #[error("cannot add {} {node}: its {field} is blank", node.kind())]
    Blank {
        /// The node being added.
        node: Node,
        /// The blank field.
        field: &'static str,
    },
    /// An item names a session the model does not have.
    #[error("cannot add item {item}: its session {session} is not in the model")]
    ItemForUnknownSession {
        /// The item.
        item: ItemId,
        /// The missing session.
        session: SessionId,
    },
    /// An item is dated before the session it was given in.
    #[error("cannot add item {item}: it is dated {at}, before its session {session} ({held})")]
    ItemBeforeSession {
        /// The item.
        item: ItemId,
        /// The item's date.
        at: Timestamp,
        /// Its session.
        session: SessionId,
        /// The session's date.
        held: Timestamp,
    },
    /// A link names a node the model does not have.
    #[error("cannot link `{link}`: {} {missing} is not in the model", missing.kind())]
    UnknownNode {
        /// The refused link.
        link: Link,
        /// The end that is missing.
        missing: Node,
    },
    /// The link is already in the model.
    #[error("cannot link `{link}`: the link is already in the model")]
    LinkExists {
        /// The refused link.
        link: Link,
    },
    /// The link would close a cycle: its target already leads to its source.
    #[error(
        "cannot link `{link}`: {} already leads to {}, so the link would make a cycle",
        link.endpoints().1,
        link.endpoints().0
    )]
    Cycle {
        /// The refused link.
        link: Link,
    },
    /// The link would have a decision answer feedback given after it: a session or item
    /// that would lead to the decision is dated later than the decision. Information flows
    /// forward in time, so a decision can only take up what was said before it.
    #[error(
        "cannot link `{link}`: decision {decision} is dated {decided}, before {} {feedback} ({given}) that would lead to it, and a decision cannot answer feedback given after it",
        feedback.kind()
    )]
    DecisionBeforeFeedback {
        /// The refused link.
        link: Link,
        /// The earliest decision the link would lead to that is dated before the feedback.
        decision: DecisionId,
        /// That decision's date.
        decided: Timestamp,
        /// The earliest session or item, among those the link would put upstream of the
        /// decision, dated after it.
        feedback: Node,
        /// When that session was held or that item given.
        given: Timestamp,
    },
    /// An item names as its author someone who is not a member of the community it is
    /// checked against.
    #[error("item {item} names {author} as its author, who is not a member of the community")]
    AuthorNotMember {
        /// The item.
        item: ItemId,
        /// The author named.
        author: MemberId,
    },
    /// A query or an outcome names a session the model does not have.
    #[error("no session {session} in the model")]
    UnknownSession {
        /// The missing session.
        session: SessionId,
    },
    /// A query or an outcome names a decision the model does not have.
    #[error("no decision {decision} in the model")]
    UnknownDecision {
        /// The missing decision.
        decision: DecisionId,
    },
    /// An outcome was recorded for a theme that did not inform the decision.
    #[error(
        "cannot record what decision {decision} did with theme {theme}: the theme did not inform it (link the theme to a proposal version that leads to the decision first)"
    )]
    ThemeDidNotInform {
        /// The decision.
        decision: DecisionId,
        /// The theme.
        theme: ThemeId,
    },
    /// A settled outcome is already recorded; only a pending one may be replaced, so the
    /// record never silently changes what was done.
    #[error(
        "cannot record what decision {decision} did with theme {theme}: it is already recorded as {existing}"
    )]
    ThemeOutcomeRecorded {
        /// The decision.
        decision: DecisionId,
        /// The theme.
        theme: ThemeId,
        /// What is recorded.
        existing: ThemeOutcome,
    },
    /// The outcome itself is malformed (blank reason or description).
    #[error("cannot record what decision {decision} did with theme {theme}: {source}")]
    InvalidThemeOutcome {
        /// The decision.
        decision: DecisionId,
        /// The theme.
        theme: ThemeId,
        /// What is wrong with the outcome.
        source: InvalidThemeOutcome,
    },
}
