//! `coproduction` models how a co-production community makes decisions, so that an app can
//! run those decisions, show that it followed the community's own rules, and publish an
//! honest record of them.
//!
//! # A first look
//!
//! A community is people and the groups they decide in. Here is the question one
//! co-production community asked of its own advisory group: does it have as many members
//! with lived experience as members there in a professional role?
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
//!
//! let mut community = Community::new();
//! for n in 1..=5 {
//!     let mut ally = Member::new(MemberId::new(n), format!("Ally {n}")).with_role(Role::Ally);
//!     if n <= 2 {
//!         ally = ally.with_lived_experience();
//!     }
//!     community.add_member(ally)?;
//! }
//! let allies = BodyId::new("allies_group")?;
//! community.add_body(
//!     Body::new(allies.clone(), "Allies Group", BodyKind::AlliesGroup)
//!         .with_members((1..=5).map(MemberId::new)),
//! )?;
//!
//! let share = community.figures(&allies)?.lived_experience_share();
//! assert_eq!(share.to_string(), "2 of 5 (40%)");
//! assert!(!share.at_least(1, 2)); // fewer than half bring lived experience
//! # Ok::<(), coproduction::Error>(())
//! ```
//!
//! # Overview
//!
//! The crate is organised one concept to a module:
//!
//! - [`community`]: members (roles, lived experience, access needs) and bodies (the staff
//!   team, the Allies Group, the whole community, project teams), with figures such as the
//!   share of a body with lived experience.
//! - [`decision`]: the shared vocabulary: the kind of a decision, the method it is taken by,
//!   and the tier of what is at stake.
//! - [`machine`]: the pattern every decision process is written in. A [`machine::Decider`]
//!   decides (pure, fallible) and evolves (total); its phases and transitions are a checked
//!   petgraph graph that draws itself as Graphviz DOT; [`machine::testkit`] writes rules as
//!   given/when/then tests.
//! - [`journal`]: the record of every event: envelopes chained by BLAKE3 hashes, appends
//!   with optimistic concurrency, and journals in memory, in a JSON-lines file that reports
//!   a torn tail and refuses corruption, and (feature `sqlite`) in SQLite.
//!
//! # Concepts
//!
//! **Commands, events, state.** A process never changes in place. A command (`"respond to
//! this round"`) is checked against the current state by `decide`, which returns events
//! (`"member m4 consented"`) or refuses with an error. Events are folded into the state by
//! `evolve`. Replaying the events rebuilds the state, so the events are the record.
//!
//! **Time and actors come in from outside.** The library never reads the clock and never
//! decides who is acting: every command carries a [`machine::Context`] with the acting member
//! and a [`jiff::Timestamp`]. That makes every run reproducible and testable.
//!
//! **Refusals are errors, outcomes are values.** An objection being raised, or a funding offer
//! being declined, is an event. An `Err` means the caller asked for something the process
//! does not allow at that point; it says what was attempted, where, and why, and changes
//! nothing.
//!
//! **No ranks.** Roles say what a member does (co-producer, staff, ally); no role outranks
//! another. Who decides what is a matter of the community's governance, not of titles.
//!
//! # Crate features
//!
//! The default build depends only on serde, serde_json, thiserror, petgraph, jiff and blake3.
//!
//! - `sqlite`: the SQLite journal, `journal::SqliteJournal`, with SQLite compiled from
//!   source (rusqlite's bundled build), so no system library is needed.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod community;
pub mod decision;
pub mod journal;
pub mod machine;

/// Any error the crate returns, for callers who handle them all alike.
///
/// Each module also has its own error type; this wraps them so that `?` works across
/// modules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A change to a community was refused.
    #[error(transparent)]
    Community(#[from] community::CommunityError),
    /// A transition graph is broken, or a run left it.
    #[error(transparent)]
    Graph(#[from] machine::GraphError),
    /// A journal operation was refused or failed.
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
}

/// The README's examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
