//! The events of a proposal: the facts its record is made of.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cocreation::{ItemId, ThemeId};
use crate::community::{BodyId, MemberId};
use crate::evaluation::{EvaluationPlan, Gathered};
use crate::journal::StreamId;
use crate::values::{Outcome, RouteSummary};

use super::config::{ProposalConfig, ProposalVersion};

/// What a deciding round decided, as the proposal records it.
///
/// The proposal cannot look inside the round (another process, with its own events); the
/// steward records its result here, naming the round's stream so the two records link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DecisionResult {
    /// Adopted, to be reviewed on `review_date`.
    Adopted {
        /// When the agreement comes back for review; after now.
        review_date: Timestamp,
    },
    /// Declined.
    Declined {},
    /// The round was withdrawn: so is the proposal.
    Withdrawn {},
    /// Escalated to another body.
    Escalated {
        /// The body.
        to: BodyId,
    },
    /// Deferred, or broken down: nothing decided; another round may follow.
    Deferred {},
}

impl DecisionResult {
    /// The stable name of the result.
    pub fn label(&self) -> &'static str {
        self.into()
    }

    /// The result as the value-check records an outcome.
    pub fn outcome(&self) -> Outcome {
        match self {
            DecisionResult::Adopted { .. } => Outcome::Adopted,
            DecisionResult::Declined {} => Outcome::Declined,
            DecisionResult::Withdrawn {} => Outcome::Withdrawn,
            DecisionResult::Escalated { .. } => Outcome::Escalated,
            DecisionResult::Deferred {} => Outcome::Deferred,
        }
    }
}

/// Why a review opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ReviewTrigger {
    /// The review date came.
    ReviewDate {
        /// The review date.
        due: Timestamp,
        /// The steward who opened it.
        opened_by: MemberId,
    },
    /// A member objected to the standing agreement.
    Objection {
        /// Who objected.
        by: MemberId,
        /// Why.
        reason: String,
    },
}

/// The facts of a proposal. Each names who acted and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ProposalEvent {
    /// The proposal was created as a draft; its text is version 1.
    Created {
        /// The set-up.
        config: Box<ProposalConfig>,
        /// Who created it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The draft was shared for co-creation.
    CoCreationStarted {
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Feedback and themes were linked.
    FeedbackLinked {
        /// Feedback items.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<ItemId>,
        /// Themes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        themes: Vec<ThemeId>,
        /// Who linked them.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A new version was written (under review: the agreement was amended, and the proposal
    /// went back to co-creation).
    Amended {
        /// The new version.
        version: ProposalVersion,
    },
    /// Governance gave the route; the proposal is ready.
    MarkedReady {
        /// The route.
        route: RouteSummary,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A deciding round started.
    DecisionStarted {
        /// The round's stream.
        round: StreamId,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The running round's result was recorded.
    DecisionRecorded {
        /// The round.
        round: StreamId,
        /// What it decided.
        result: DecisionResult,
        /// Who recorded it: the steward, for a round kept elsewhere (their word), or the
        /// engine's own actor ([`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR)) when the engine
        /// ran the round and recorded what it reached.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The decision record was published.
    Published {
        /// Why it was decided.
        rationale: String,
        /// The alternatives considered.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        alternatives: Vec<String>,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The agreement came into force.
    ImplementationStarted {
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A pilot started.
    PilotStarted {
        /// When it ends and is reviewed.
        ends: Timestamp,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A pilot was scheduled to start later.
    PilotScheduled {
        /// When it starts.
        starts: Timestamp,
        /// When it ends and is reviewed: its length counted from `starts`.
        ends: Timestamp,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A review opened.
    ReviewOpened {
        /// Why.
        trigger: ReviewTrigger,
        /// When.
        at: Timestamp,
    },
    /// The review's reassessment round started: a round, opened `decides_for` the proposal,
    /// decides whether the agreement continues.
    ReassessmentStarted {
        /// The round's stream.
        round: StreamId,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// What the review's reassessment round decided, recorded: adopted continues the
    /// agreement until its review date, declined retires it; withdrawn, deferred or
    /// escalated leave the review open for another round.
    Reassessed {
        /// The round.
        round: StreamId,
        /// What it decided.
        result: DecisionResult,
        /// Who recorded it: the steward, for a round kept elsewhere (their word), or the
        /// engine's own actor ([`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR)) when the engine
        /// ran the round and recorded what it reached (the request that ended the round is
        /// on the round's stream).
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The review continued the agreement.
    Continued {
        /// The next review date.
        review_date: Timestamp,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The review retired the agreement.
    Retired {
        /// Why.
        reason: String,
        /// The steward.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A proposer withdrew the proposal.
    Withdrawn {
        /// Why.
        reason: String,
        /// The proposer.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The pilot's benefits and impact evaluation was agreed.
    EvaluationAgreed {
        /// The plan.
        plan: EvaluationPlan,
        /// The steward who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Evidence for the evaluation was recorded.
    EvidenceGathered {
        /// What was gathered.
        evidence: Vec<Gathered>,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
}

impl ProposalEvent {
    /// When the event happened.
    pub fn at(&self) -> Timestamp {
        match self {
            ProposalEvent::Amended { version } => version.at,
            ProposalEvent::Created { at, .. }
            | ProposalEvent::CoCreationStarted { at, .. }
            | ProposalEvent::FeedbackLinked { at, .. }
            | ProposalEvent::MarkedReady { at, .. }
            | ProposalEvent::DecisionStarted { at, .. }
            | ProposalEvent::DecisionRecorded { at, .. }
            | ProposalEvent::Published { at, .. }
            | ProposalEvent::ImplementationStarted { at, .. }
            | ProposalEvent::PilotStarted { at, .. }
            | ProposalEvent::PilotScheduled { at, .. }
            | ProposalEvent::ReviewOpened { at, .. }
            | ProposalEvent::ReassessmentStarted { at, .. }
            | ProposalEvent::Reassessed { at, .. }
            | ProposalEvent::Continued { at, .. }
            | ProposalEvent::Retired { at, .. }
            | ProposalEvent::Withdrawn { at, .. }
            | ProposalEvent::EvaluationAgreed { at, .. }
            | ProposalEvent::EvidenceGathered { at, .. } => *at,
        }
    }
}
