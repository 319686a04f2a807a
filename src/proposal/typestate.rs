//! The typestate façade: `Lifecycle<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`Proposal`] and runs every command through the `decide` and
//! `evolve` of [`ProposalProcess`]: the rules live there alone. The façade is one step table
//! (below): each phase's steps, the command each sends, and the one phase the rules fix for
//! it. A step that lands anywhere else is refused with [`ProposalError::PhaseMismatch`];
//! [`AnyProposal`] brings a replayed runtime state back to the typed API. A refused step
//! gives the proposal back, unchanged, inside [`ProposalRefused`]. Adoption takes the value gate's
//! proof by value and keeps it with the proposal ([`Lifecycle::proof`]).

use jiff::{SignedDuration, Timestamp};

use crate::cocreation::{ItemId, ThemeId};
use crate::community::BodyId;
use crate::evaluation::{EvaluationPlan, Gathered};
use crate::journal::StreamId;
use crate::machine::{Context, previews, typestate};

use super::{
    Answer, DecisionResult, Proposal, ProposalCommand, ProposalConfig, ProposalError,
    ProposalEvent, ProposalProcess, ProposalState,
};

typestate! {
    decider: ProposalProcess,
    state: ProposalState,
    started: Created,
    data: proposal: Proposal,
    event: ProposalEvent,
    command: ProposalCommand,
    error: ProposalError,
    /// The phases of a proposal, from its first draft to its retirement.
    phase: pub enum ProposalPhase {
        /// Before the creating event.
        NotCreated,
        /// A first draft, not yet shared for co-creation.
        Draft,
        /// Shared: feedback is gathered and linked to themes; the text may be amended.
        CoCreating,
        /// Governance has given the route it is decided by.
        Ready,
        /// One or more consent rounds (or another method) are deciding it.
        InDecision,
        /// Adopted, the value gate passed; the record is not yet published.
        Adopted,
        /// The decision record is published with its rationale.
        Published,
        /// The standing agreement is in force.
        Implementing,
        /// A pilot is scheduled to start at a later date (the decision in the autumn, the pilot
        /// from the spring); it starts on its own on that date.
        PilotScheduled,
        /// The agreement is piloted until an end date.
        Pilot,
        /// Under review: the review date came, or a member objected to the standing agreement.
        UnderReview,
        /// Declined by the deciding body.
        Declined,
        /// Withdrawn by a proposer (or the deciding round was withdrawn).
        Withdrawn,
        /// Escalated to another body.
        Escalated,
        /// Retired after a review.
        Retired,
    },
    noun: "proposal",
    /// A compile-time phase of a [`Lifecycle`], naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: ProposalPhaseMarker,
    /// A proposal in the phase `P`.
    wrapper: Lifecycle,
    /// A refused step: the error, and the proposal as it was.
    refused: ProposalRefused {
        /// The proposal, unchanged.
        proposal
    },
    /// A proposal in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyProposal,
    branches: [],
    steps: [
        Draft {
            /// A proposer writes a new version of the draft.
            fn amend(ctx, text: impl Into<String> => text.into(), answers: &[Answer] => answers.to_vec())
                -> Lifecycle<Draft> = ProposalCommand::Amend { text, answers };
            /// The steward shares the draft for co-creation.
            fn start_co_creation(ctx) -> Lifecycle<CoCreating> = ProposalCommand::StartCoCreation {};
        }
        CoCreating {
            /// The steward or a proposer links feedback items and themes.
            fn link_feedback(ctx, items: &[ItemId] => items.to_vec(), themes: &[ThemeId] => themes.to_vec())
                -> Lifecycle<CoCreating> = ProposalCommand::LinkFeedback { items, themes };
            /// A proposer writes a new version in the light of the feedback.
            fn amend(ctx, text: impl Into<String> => text.into(), answers: &[Answer] => answers.to_vec())
                -> Lifecycle<CoCreating> = ProposalCommand::Amend { text, answers };
            /// The steward records the route governance gives, from the context (refused,
            /// notably, with [`ProposalError::NoFeedback`]).
            fn mark_ready(ctx) -> Lifecycle<Ready> = ProposalCommand::MarkReady {};
        }
        Ready {
            /// The steward records that a deciding round started.
            fn start_decision(ctx, round: StreamId)
                -> Lifecycle<InDecision> = ProposalCommand::StartDecision { round };
        }
        InDecision {
            /// The running round adopted the proposal.
            ///
            /// Adoption is a decided state, so it takes the proof that the value gate
            /// passed, by value: preview the adoption ([`Lifecycle::preview`] of this
            /// command, over the round's own record: the record named as this proposal's),
            /// add what neither holds, and pass it to
            /// [`Charter::gate`](crate::values::Charter::gate). The adopted proposal keeps
            /// the proof ([`Lifecycle::proof`]).
            fn adopt(ctx, round: StreamId, review_date: Timestamp; proof) -> Lifecycle<Adopted> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Adopted { review_date } };
            /// The running round declined the proposal.
            fn decline(ctx, round: StreamId) -> Lifecycle<Declined> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Declined {} };
            /// The running round was escalated to `to`.
            fn escalate(ctx, round: StreamId, to: BodyId) -> Lifecycle<Escalated> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Escalated { to } };
            /// The running round was withdrawn: so is the proposal. Recorded by one of its
            /// proposers (they alone withdraw it), not by the steward alone.
            fn round_withdrawn(ctx, round: StreamId) -> Lifecycle<Withdrawn> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Withdrawn {} };
            /// The running round was deferred or broke down: nothing was decided, and another
            /// round may start.
            fn defer(ctx, round: StreamId) -> Lifecycle<InDecision> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Deferred {} };
            /// Another round starts, after a deferred one (refused, notably, with
            /// [`ProposalError::RoundRunning`]).
            fn start_decision(ctx, round: StreamId)
                -> Lifecycle<InDecision> = ProposalCommand::StartDecision { round };
        }
        Adopted {
            /// The steward publishes the decision record with its rationale.
            fn publish(
                ctx,
                rationale: impl Into<String> => rationale.into(),
                alternatives: &[&str] => alternatives.iter().map(|a| (*a).to_owned()).collect()
            ) -> Lifecycle<Published> = ProposalCommand::Publish { rationale, alternatives };
        }
        Published {
            /// The agreement comes into force until its review date.
            fn start_implementing(ctx) -> Lifecycle<Implementing> = ProposalCommand::StartImplementing {};
            /// The agreement is piloted until `ends`, and reviewed then.
            fn start_pilot(ctx, ends: Timestamp) -> Lifecycle<Pilot> = ProposalCommand::StartPilot { ends };
            /// A pilot is scheduled to start at `starts` and run for `lasts`: its review falls
            /// due counted from its start.
            fn schedule_pilot(ctx, starts: Timestamp, lasts: SignedDuration)
                -> Lifecycle<PilotScheduled> = ProposalCommand::SchedulePilot { starts, lasts };
            /// The steward records the evaluation agreed for the pilot to come.
            fn agree_evaluation(ctx, plan: EvaluationPlan)
                -> Lifecycle<Published> = ProposalCommand::AgreeEvaluation { plan };
        }
        PilotScheduled {
            /// The steward records the evaluation agreed for the pilot to come.
            fn agree_evaluation(ctx, plan: EvaluationPlan)
                -> Lifecycle<PilotScheduled> = ProposalCommand::AgreeEvaluation { plan };
        }
        Pilot {
            /// The steward records the evaluation agreed as the pilot starts.
            fn agree_evaluation(ctx, plan: EvaluationPlan)
                -> Lifecycle<Pilot> = ProposalCommand::AgreeEvaluation { plan };
            /// The steward, a proposer or a member the agreement applies to records
            /// evidence gathered for the evaluation.
            fn gather_evidence(ctx, evidence: &[Gathered] => evidence.to_vec())
                -> Lifecycle<Pilot> = ProposalCommand::GatherEvidence { evidence };
        }
        UnderReview {
            /// Evidence gathered for the evaluation is recorded while the review runs.
            fn gather_evidence(ctx, evidence: &[Gathered] => evidence.to_vec())
                -> Lifecycle<UnderReview> = ProposalCommand::GatherEvidence { evidence };
            /// The review's reassessment round started: it decides whether the agreement
            /// continues (refused, notably, with [`ProposalError::RoundRunning`]).
            fn start_reassessment(ctx, round: StreamId)
                -> Lifecycle<UnderReview> = ProposalCommand::StartDecision { round };
            /// The reassessment round consented to continue the agreement until
            /// `review_date`.
            fn reassessment_adopted(ctx, round: StreamId, review_date: Timestamp) -> Lifecycle<Implementing> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Adopted { review_date } };
            /// The reassessment round declined to continue it: the agreement is retired.
            fn reassessment_declined(ctx, round: StreamId) -> Lifecycle<Retired> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Declined {} };
            /// The reassessment round was escalated to `to`: the review stays open.
            fn reassessment_escalated(ctx, round: StreamId, to: BodyId) -> Lifecycle<UnderReview> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Escalated { to } };
            /// The reassessment round was withdrawn: the review stays open for another.
            fn reassessment_withdrawn(ctx, round: StreamId) -> Lifecycle<UnderReview> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Withdrawn {} };
            /// The reassessment round was deferred or broke down: the review stays open for
            /// another.
            fn reassessment_deferred(ctx, round: StreamId) -> Lifecycle<UnderReview> =
                ProposalCommand::RecordDecision { round, result: DecisionResult::Deferred {} };
            /// The review continues the agreement until `review_date`.
            fn continue_until(ctx, review_date: Timestamp)
                -> Lifecycle<Implementing> = ProposalCommand::Continue { review_date };
            /// A proposer amends the agreement: a new version, linked to what it answers, goes
            /// back to co-creation. The adopted version stays in force until the new one is
            /// adopted.
            fn amend(ctx, text: impl Into<String> => text.into(), answers: &[Answer] => answers.to_vec())
                -> Lifecycle<CoCreating> = ProposalCommand::Amend { text, answers };
            /// The review retires the agreement.
            fn retire(ctx, reason: impl Into<String> => reason.into())
                -> Lifecycle<Retired> = ProposalCommand::Retire { reason };
        }
    ],
    groups: [
        /// A phase a proposer may withdraw from: before the decision.
        Withdrawable as WITHDRAWABLE: [Draft, CoCreating, Ready, InDecision] {
            /// A proposer withdraws the proposal.
            fn withdraw(ctx, reason: impl Into<String> => reason.into())
                -> Lifecycle<Withdrawn> = ProposalCommand::Withdraw { reason };
        }
        /// A phase in which the agreement stands: it can be objected to.
        Standing as STANDING: [Published, PilotScheduled, Implementing, Pilot] {
            /// A member objects to the standing agreement, which opens a review now (and
            /// calls off a pilot scheduled and not started).
            fn object(ctx, reason: impl Into<String> => reason.into())
                -> Lifecycle<UnderReview> = ProposalCommand::ObjectToStanding { reason };
        }
        /// A decision not adopted (declined, escalated): its record is published, once,
        /// and it stays where it ended.
        NotAdopted as NOT_ADOPTED: [Declined, Escalated] {
            /// The steward publishes the decision record with its rationale, once.
            fn publish_outcome(
                ctx,
                rationale: impl Into<String> => rationale.into(),
                alternatives: &[&str] => alternatives.iter().map(|a| (*a).to_owned()).collect()
            ) -> Lifecycle<P> = ProposalCommand::Publish { rationale, alternatives };
        }
        /// A phase in which the agreement's review opens on its date: a scheduled pilot
        /// starts before its review.
        Reviewable as REVIEWABLE: [Published, Implementing, Pilot] {
            /// The steward opens the review once its date has come (refused, notably, with
            /// [`ProposalError::ReviewNotDue`]).
            fn open_review(ctx) -> Lifecycle<UnderReview> = ProposalCommand::OpenReview {};
        }
    ],
}

previews!(
    Lifecycle,
    ProposalProcess,
    ProposalState::Created,
    ProposalCommand,
    ProposalError
);

impl Lifecycle<Draft> {
    /// Creates a proposal as a draft, version 1.
    ///
    /// # Errors
    ///
    /// [`ProposalError::InvalidConfig`] naming the field, or [`RefusalKind::WrongRole`](crate::machine::RefusalKind::WrongRole) if
    /// the actor is neither a proposer nor the steward.
    pub fn create(config: ProposalConfig, ctx: Context) -> Result<Self, ProposalError> {
        let config = Box::new(config);
        start_typed(ProposalCommand::Create { config }, ctx)
    }
}
