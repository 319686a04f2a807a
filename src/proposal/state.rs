//! The state of a proposal: everything its events have established.

use crate::machine::RefusalKind;
use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cocreation::{ItemId, ThemeId, VersionId};
use crate::community::MemberId;
use crate::evaluation::Evaluation;
use crate::journal::StreamId;
use crate::values::RouteSummary;

use super::ProposalError;
use super::ProposalPhase;
use super::config::{ProposalConfig, ProposalRole, ProposalVersion};
use super::event::{DecisionResult, ReviewTrigger};

/// One deciding round the proposal went through.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecidingRound {
    /// The round's stream.
    pub round: StreamId,
    /// The version it decided on: the latest when it started.
    pub version: crate::cocreation::VersionNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// What it decided, once recorded.
    pub result: Option<DecisionResult>,
    /// When the result was recorded.
    pub decided_at: Option<Timestamp>,
    /// Who recorded the result: the engine's own actor when the round ran in the engine and
    /// the engine recorded what it reached; the member who copied it in for a round kept
    /// elsewhere, which the record marks as attested by them.
    pub recorded_by: Option<MemberId>,
}

/// The publication of the decision record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedDecision {
    /// Why it was decided.
    pub rationale: String,
    /// The alternatives considered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// When.
    pub at: Timestamp,
}

/// One review of the standing agreement.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Its number, from 1.
    pub number: u32,
    /// Why it opened.
    pub trigger: ReviewTrigger,
    /// When.
    pub opened_at: Timestamp,
    /// How it ended, once it has.
    pub outcome: Option<ReviewOutcome>,
    /// Whether it reviews a pilot: a pilot's review is decided by a reassessment round, not
    /// by the steward alone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pilot: bool,
    /// The reassessment rounds that decided (or decide) whether the agreement continues, in
    /// order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reassessments: Vec<DecidingRound>,
}

impl Review {
    /// The reassessment round running now, if any.
    pub fn running(&self) -> Option<&DecidingRound> {
        self.reassessments.last().filter(|r| r.result.is_none())
    }

    /// The last reassessment round and the body it escalated the review to, when it did
    /// and the engine saw it (it ran the round, and recorded what the round reached): that
    /// body takes it up and decides the review, and nothing here does. An escalation copied
    /// in from a round kept elsewhere is a member's word: the review stays open here.
    ///
    /// A round that took the matter up there and ended deciding nothing (withdrawn,
    /// deferred) leaves it escalated: the body it went to takes it up again.
    pub fn escalated(&self) -> Option<(&StreamId, &crate::community::BodyId)> {
        self.reassessments
            .iter()
            .rev()
            .find(|r| {
                !matches!(
                    r.result,
                    Some(DecisionResult::Withdrawn {} | DecisionResult::Deferred {})
                ) || r.recorded_by != Some(crate::engine::ENGINE_ACTOR)
            })
            .filter(|r| r.recorded_by == Some(crate::engine::ENGINE_ACTOR))
            .and_then(|r| match &r.result {
                Some(DecisionResult::Escalated { to }) => Some((&r.round, to)),
                _ => None,
            })
    }
}

/// How a review ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ReviewOutcome {
    /// Continued until a new review date.
    Continued {
        /// The new review date.
        review_date: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// Amended: a new version, back to co-creation.
    Amended {
        /// The new version's id.
        version: VersionId,
        /// When.
        at: Timestamp,
    },
    /// Retired.
    Retired {
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
}

/// How a proposal ended, when it is in a final phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ProposalEnding {
    /// Withdrawn by a proposer, with a reason.
    Withdrawn {
        /// Who.
        by: MemberId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// Ended by a deciding round's result (declined, escalated, or the round withdrawn).
    Decided {
        /// The round.
        round: StreamId,
        /// Its result.
        result: DecisionResult,
        /// When.
        at: Timestamp,
    },
    /// Retired after a review.
    Retired {
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
}

/// A created proposal: everything the events have established.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub(super) config: ProposalConfig,
    pub(super) phase: ProposalPhase,
    pub(super) created_at: Timestamp,
    pub(super) last_at: Timestamp,
    pub(super) versions: Vec<ProposalVersion>,
    pub(super) items: BTreeSet<ItemId>,
    pub(super) themes: BTreeSet<ThemeId>,
    pub(super) route: Option<RouteSummary>,
    pub(super) rounds: Vec<DecidingRound>,
    pub(super) adopted: Option<(crate::cocreation::VersionNumber, StreamId, Timestamp)>,
    pub(super) publication: Option<PublishedDecision>,
    pub(super) pilot_starts: Option<Timestamp>,
    pub(super) pilot_ends: Option<Timestamp>,
    pub(super) review_date: Option<Timestamp>,
    pub(super) reviews: Vec<Review>,
    pub(super) ending: Option<ProposalEnding>,
    pub(super) evaluation: Option<Evaluation>,
}

/// The state of one proposal: not yet created, or created.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum ProposalState {
    /// No event yet.
    #[default]
    NotCreated,
    /// Created (possibly ended).
    Created(Box<Proposal>),
}

impl ProposalState {
    /// The phase.
    pub fn phase(&self) -> ProposalPhase {
        match self {
            ProposalState::NotCreated => ProposalPhase::NotCreated,
            ProposalState::Created(p) => p.phase,
        }
    }

    /// The proposal, once created.
    pub fn proposal(&self) -> Option<&Proposal> {
        match self {
            ProposalState::NotCreated => None,
            ProposalState::Created(p) => Some(p),
        }
    }
}

impl Proposal {
    /// The set-up fixed at creation.
    pub fn config(&self) -> &ProposalConfig {
        &self.config
    }

    /// The current phase.
    pub fn phase(&self) -> ProposalPhase {
        self.phase
    }

    /// When it was created.
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// When the last event happened.
    pub fn last_at(&self) -> Timestamp {
        self.last_at
    }

    /// Every version, oldest first; never empty for a created proposal.
    pub fn versions(&self) -> &[ProposalVersion] {
        &self.versions
    }

    /// The latest version.
    pub fn latest(&self) -> Option<&ProposalVersion> {
        self.versions.last()
    }

    /// The version adopted most recently: the one in force once published. Under review, and
    /// while an amendment is co-created and decided, it stays in force.
    pub fn in_force(&self) -> Option<&ProposalVersion> {
        let (version, _, _) = self.adopted.as_ref()?;
        self.versions.iter().find(|v| v.version == *version)
    }

    /// Feedback items linked in co-creation.
    pub fn items(&self) -> &BTreeSet<ItemId> {
        &self.items
    }

    /// Themes linked in co-creation.
    pub fn themes(&self) -> &BTreeSet<ThemeId> {
        &self.themes
    }

    /// The pilot's benefits and impact evaluation, once agreed, with the evidence recorded
    /// for it.
    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.evaluation.as_ref()
    }

    /// The route governance gave, once ready.
    pub fn route(&self) -> Option<&RouteSummary> {
        self.route.as_ref()
    }

    /// Every deciding round, in order.
    pub fn rounds(&self) -> &[DecidingRound] {
        &self.rounds
    }

    /// The round running now, if any: under review, the review's reassessment round;
    /// otherwise the round deciding the proposal.
    pub fn current_round(&self) -> Option<&DecidingRound> {
        match self.open_review() {
            Some(review) => review.running(),
            None => self.rounds.last().filter(|r| r.result.is_none()),
        }
    }

    /// The round that adopted the proposal most recently, with when.
    pub fn adopting_round(&self) -> Option<(&StreamId, Timestamp)> {
        self.adopted.as_ref().map(|(_, round, at)| (round, *at))
    }

    /// The published record's rationale and alternatives, once published.
    pub fn publication(&self) -> Option<&PublishedDecision> {
        self.publication.as_ref()
    }

    /// Whether the decision that ended the proposal (declined, escalated) was published
    /// since: a publication of an earlier version's adoption does not count.
    pub fn published_since_ended(&self) -> bool {
        match (&self.ending, &self.publication) {
            (Some(ProposalEnding::Decided { at, .. }), Some(published)) => published.at >= *at,
            _ => false,
        }
    }

    /// When the pilot starts (or started), for a pilot scheduled to start later.
    pub fn pilot_starts(&self) -> Option<Timestamp> {
        self.pilot_starts
    }

    /// The review open now, if the proposal is under review.
    pub fn open_review(&self) -> Option<&Review> {
        self.reviews
            .last()
            .filter(|_| self.phase == ProposalPhase::UnderReview)
    }

    /// When the pilot ends, for a piloted agreement.
    pub fn pilot_ends(&self) -> Option<Timestamp> {
        self.pilot_ends
    }

    /// When the agreement next comes up for review.
    pub fn review_date(&self) -> Option<Timestamp> {
        self.review_date
    }

    /// Every review, in order.
    pub fn reviews(&self) -> &[Review] {
        &self.reviews
    }

    /// How the proposal ended, in a final phase.
    pub fn ending(&self) -> Option<&ProposalEnding> {
        self.ending.as_ref()
    }

    /// Whether `actor` holds `role`.
    pub fn holds(&self, actor: MemberId, role: ProposalRole) -> bool {
        let roles = &self.config.roles;
        match role {
            ProposalRole::Proposer => roles.proposers.contains(&actor),
            ProposalRole::Steward => roles.steward == actor,
            ProposalRole::ProposerOrSteward => {
                roles.steward == actor || roles.proposers.contains(&actor)
            }
            ProposalRole::Member => {
                roles.members.contains(&actor) || roles.proposers.contains(&actor)
            }
        }
    }

    /// Whether `round` already decided on the proposal: one of its deciding rounds, or a
    /// review's reassessment round.
    pub(super) fn used(&self, round: &StreamId) -> bool {
        self.rounds.iter().any(|r| r.round == *round)
            || self
                .reviews
                .iter()
                .flat_map(|r| &r.reassessments)
                .any(|r| r.round == *round)
    }

    /// Refuses a steward's own continuation or retirement while the review's reassessment
    /// round runs, once that round escalated the review (the body it went to decides it),
    /// or of a pilot's review, which a reassessment round decides.
    pub(super) fn by_hand(&self, attempted: &'static str) -> Result<(), ProposalError> {
        let Some(review) = self.open_review() else {
            return Ok(());
        };
        if let Some(running) = review.running() {
            return Err(ProposalError::RoundRunning {
                attempted,
                proposal: self.config.id,
                round: running.round.clone(),
            });
        }
        self.not_escalated(attempted)?;
        if review.pilot {
            return Err(ProposalError::ReassessmentRequired {
                attempted,
                proposal: self.config.id,
            });
        }
        Ok(())
    }

    /// Refuses `attempted` under a review whose last reassessment round escalated it: the
    /// body it went to decides the review, not a step here.
    pub(super) fn not_escalated(&self, attempted: &'static str) -> Result<(), ProposalError> {
        match self.open_review().and_then(Review::escalated) {
            Some((round, to)) => Err(ProposalError::ReviewEscalated {
                attempted,
                proposal: self.config.id,
                round: round.clone(),
                to: to.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Refuses a pilot that would start after the review date the decision adopted.
    pub(super) fn starts_by_review(
        &self,
        attempted: &'static str,
        starts: Timestamp,
    ) -> Result<(), ProposalError> {
        match self.review_date {
            Some(review_date) if starts > review_date => Err(ProposalError::PilotPastReview {
                attempted,
                proposal: self.config.id,
                starts,
                review_date,
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn role_check(
        &self,
        attempted: &'static str,
        actor: MemberId,
        role: ProposalRole,
    ) -> Result<(), ProposalError> {
        if self.holds(actor, role) {
            Ok(())
        } else {
            Err(RefusalKind::WrongRole {
                attempted,
                actor,
                role: role.label(),
            }
            .into())
        }
    }
}
