//! What a proposal is set up with, and the versions it keeps.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::living::CommunityChange;

use crate::cocreation::{ItemId, ProposalId, ThemeId, VersionId, VersionNumber};
use crate::community::MemberId;
use crate::consent::{ConcernId, ObjectionId};
use crate::decision::DecisionKind;
use crate::journal::StreamId;

use super::ProposalError;

/// Who does what in a proposal, fixed when it is created.
///
/// Fixing the roles up front follows the sociocratic habit of naming a facilitator (here the
/// steward) before a proposal starts moving: nobody takes a role mid-way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalRoles {
    /// Who bring the proposal: they amend and may withdraw it.
    pub proposers: BTreeSet<MemberId>,
    /// Who moves it between phases and records what the deciding rounds decided.
    pub steward: MemberId,
    /// Who may object to the standing agreement once it is in force (besides the proposers):
    /// usually the members of the community it applies to.
    #[serde(default)]
    pub members: BTreeSet<MemberId>,
}

/// A role in a proposal, as named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProposalRole {
    /// One of the proposers.
    Proposer,
    /// The steward.
    Steward,
    /// A proposer or the steward.
    ProposerOrSteward,
    /// A member the standing agreement applies to, or a proposer.
    Member,
}

impl ProposalRole {
    /// The stable name of the role.
    pub fn label(self) -> &'static str {
        match self {
            ProposalRole::Proposer => "proposer",
            ProposalRole::Steward => "steward",
            ProposalRole::ProposerOrSteward => "proposer or steward",
            ProposalRole::Member => "member",
        }
    }
}

/// A proposal's set-up: its id, what it is about, its first text and its roles.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalConfig {
    /// The proposal's id, shared by every version.
    pub id: ProposalId,
    /// A short title.
    pub title: String,
    /// What kind of decision it asks for.
    pub kind: DecisionKind,
    /// The text of version 1.
    pub text: String,
    /// What version 1 answers (feedback items and themes from co-creation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// Who does what.
    pub roles: ProposalRoles,
    /// The changes to the community, its bodies, governance map or charter that the
    /// proposal makes if adopted: the engine writes them to the community's stream with
    /// the adoption, in force from then or from [`effective_from`](Self::effective_from)
    /// (see [`living`](crate::living)). Each must be a change that a decision of the
    /// proposal's kind makes; at most [`MAX_CHANGES`](Self::MAX_CHANGES).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<CommunityChange>,
    /// When the changes take effect, if later than the adoption (a new map from the start
    /// of a quarter, say). A time that has passed when the proposal is adopted means from
    /// the adoption: a change is never backdated. Only with `changes`.
    pub effective_from: Option<Timestamp>,
}

impl ProposalConfig {
    /// The most changes one proposal carries.
    pub const MAX_CHANGES: usize = 64;

    /// Checks the set-up.
    ///
    /// # Errors
    ///
    /// [`ProposalError::InvalidConfig`] naming the field.
    pub fn validate(&self) -> Result<(), ProposalError> {
        let invalid = |field, reason| {
            Err(ProposalError::InvalidConfig {
                proposal: self.id,
                field,
                reason,
            })
        };
        if crate::limits::is_blank(&self.title) {
            return invalid("title", "it is blank");
        }
        if crate::limits::is_blank(&self.text) {
            return invalid("text", "it is blank");
        }
        if self.roles.proposers.is_empty() {
            return invalid("roles.proposers", "a proposal needs at least one proposer");
        }
        if self
            .answers
            .iter()
            .any(|a| !matches!(a, Answer::Item { .. } | Answer::Theme { .. }))
        {
            return invalid(
                "answers",
                "the first version can only answer feedback items and themes",
            );
        }
        if self.changes.len() > Self::MAX_CHANGES {
            return invalid("changes", "a proposal carries at most 64 changes");
        }
        if self.changes.iter().any(|c| c.only_the_member().is_some()) {
            return invalid(
                "changes",
                "a member's leaving, lived experience and naming are their own to change: no decision makes them",
            );
        }
        if self.changes.iter().any(|c| c.named_twice().is_some()) {
            return invalid("changes", "an appointment or release names a member twice");
        }
        if self.effective_from.is_some() && self.changes.is_empty() {
            return invalid(
                "effective_from",
                "it dates changes, and the proposal carries none",
            );
        }
        Ok(())
    }
}

/// What a version answers: the feedback, themes, objections or concerns it responds to.
/// Linking each amendment to what prompted it keeps the record honest about why the text
/// changed ("you said, we did").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Answer {
    /// A feedback item from co-creation.
    Item {
        /// Which.
        id: ItemId,
    },
    /// A theme from co-creation.
    Theme {
        /// Which.
        id: ThemeId,
    },
    /// An objection raised in one of this proposal's deciding rounds.
    Objection {
        /// The round's stream.
        round: StreamId,
        /// Which objection of that round.
        id: ObjectionId,
    },
    /// A concern logged in one of this proposal's deciding rounds.
    Concern {
        /// The round's stream.
        round: StreamId,
        /// Which concern of that round.
        id: ConcernId,
    },
    /// The objection to the standing agreement that opened a review.
    StandingObjection {
        /// The review, numbered from 1.
        review: u32,
    },
}

impl Answer {
    /// A short stable label for reports: `i3`, `t2`, `round-1 objection 1`, `review 1`.
    pub fn label(&self) -> String {
        match self {
            Answer::Item { id } => id.to_string(),
            Answer::Theme { id } => id.to_string(),
            Answer::Objection { round, id } => format!("{round} {id}"),
            Answer::Concern { round, id } => format!("{round} {id}"),
            Answer::StandingObjection { review } => format!("the objection of review {review}"),
        }
    }
}

/// One version of a proposal. Every version is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalVersion {
    /// Its number, from 1.
    pub version: VersionNumber,
    /// The full text of this version.
    pub text: String,
    /// What it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// Who wrote it.
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

impl ProposalVersion {
    /// The version's id within `proposal`.
    pub fn id(&self, proposal: ProposalId) -> VersionId {
        VersionId::new(proposal, self.version)
    }
}
