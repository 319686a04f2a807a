//! The typestate façade: `Lifecycle<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`ProposalState`] and runs every command through the `decide` and
//! `evolve` of [`ProposalProcess`]: the rules live there alone. Every step of a proposal
//! lands in one phase the rules fix, so each method names its next phase; [`AnyProposal`]
//! brings a replayed runtime state back to the typed API. A refused step gives the proposal
//! back, unchanged, inside [`Refused`].

use jiff::Timestamp;

use crate::cocreation::{ItemId, ThemeId};
use crate::community::BodyId;
use crate::journal::StreamId;
use crate::machine::{Context, typestate};
use crate::values::GatePassed;

use super::{
    Answer, DecisionResult, Proposal, ProposalCommand, ProposalConfig, ProposalError,
    ProposalEvent, ProposalPhase, ProposalProcess, ProposalState,
};

/// A phase a proposer may withdraw from: before the decision.
pub trait Withdrawable: ProposalPhaseMarker {}

/// A phase in which the agreement stands: it can be reviewed or objected to.
pub trait Standing: ProposalPhaseMarker {}

typestate! {
    decider: ProposalProcess,
    state: ProposalState,
    event: ProposalEvent,
    command: ProposalCommand,
    error: ProposalError,
    phase: ProposalPhase,
    noun: "proposal",
    not_started: NotCreated,
    first: Draft,
    /// A compile-time phase of a [`Lifecycle`], naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: ProposalPhaseMarker,
    /// A proposal in the phase `P`.
    wrapper: Lifecycle,
    /// A refused step: the error, and the proposal as it was.
    refused: Refused {
        /// The proposal, unchanged.
        proposal
    },
    /// A proposal in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyProposal,
    phases: [
        /// A draft.
        Draft, Withdrawable;
        /// Co-creating.
        CoCreating, Withdrawable;
        /// Ready, with a route.
        Ready, Withdrawable;
        /// In decision.
        InDecision, Withdrawable;
        /// Adopted, not yet published.
        Adopted;
        /// Published.
        Published;
        /// Implementing: the agreement stands.
        Implementing, Standing;
        /// A pilot until its end date.
        Pilot, Standing;
        /// Under review.
        UnderReview;
        /// Declined.
        Declined;
        /// Withdrawn.
        Withdrawn;
        /// Escalated.
        Escalated;
        /// Retired.
        Retired;
    ],
}

impl<P> Lifecycle<P> {
    /// The proposal's data. Every typed proposal has been created, so this is always
    /// `Some`.
    pub fn proposal(&self) -> Option<&Proposal> {
        self.state.proposal()
    }

    fn amend_to<Q>(
        self,
        ctx: Context,
        text: String,
        answers: &[Answer],
    ) -> Result<Lifecycle<Q>, Refused<Self>> {
        let answers = answers.to_vec();
        self.step(ProposalCommand::Amend { text, answers }, ctx)
    }
}

impl Lifecycle<Draft> {
    /// Creates a proposal as a draft, version 1.
    ///
    /// # Errors
    ///
    /// [`ProposalError::InvalidConfig`] naming the field, or [`ProposalError::WrongRole`] if
    /// the actor is neither a proposer nor the steward.
    pub fn create(config: ProposalConfig, ctx: Context) -> Result<Self, ProposalError> {
        let command = ProposalCommand::Create {
            config: Box::new(config),
        };
        Self::start(command, ctx)
    }

    /// A proposer writes a new version of the draft.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Amend`.
    pub fn amend(
        self,
        ctx: Context,
        text: impl Into<String>,
        answers: &[Answer],
    ) -> Result<Self, Refused<Self>> {
        self.amend_to(ctx, text.into(), answers)
    }

    /// The steward shares the draft for co-creation.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `StartCoCreation`.
    pub fn start_co_creation(self, ctx: Context) -> Result<Lifecycle<CoCreating>, Refused<Self>> {
        self.step(ProposalCommand::StartCoCreation {}, ctx)
    }
}

impl Lifecycle<CoCreating> {
    /// The steward or a proposer links feedback items and themes.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `LinkFeedback`.
    pub fn link_feedback(
        self,
        ctx: Context,
        items: &[ItemId],
        themes: &[ThemeId],
    ) -> Result<Self, Refused<Self>> {
        let command = ProposalCommand::LinkFeedback {
            items: items.to_vec(),
            themes: themes.to_vec(),
        };
        self.step(command, ctx)
    }

    /// A proposer writes a new version in the light of the feedback.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Amend`.
    pub fn amend(
        self,
        ctx: Context,
        text: impl Into<String>,
        answers: &[Answer],
    ) -> Result<Self, Refused<Self>> {
        self.amend_to(ctx, text.into(), answers)
    }

    /// The steward records the route governance gives.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `MarkReady`, notably
    /// [`ProposalError::NoFeedback`].
    pub fn mark_ready(self, ctx: Context<'_>) -> Result<Lifecycle<Ready>, Refused<Self>> {
        self.step(ProposalCommand::MarkReady {}, ctx)
    }
}

impl Lifecycle<Ready> {
    /// The steward records that a deciding round started.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `StartDecision`.
    pub fn start_decision(
        self,
        ctx: Context,
        round: StreamId,
    ) -> Result<Lifecycle<InDecision>, Refused<Self>> {
        self.step(ProposalCommand::StartDecision { round }, ctx)
    }
}

impl Lifecycle<InDecision> {
    /// The running round adopted the proposal. Adoption is a decided state, so it takes the
    /// proof that the value gate passed: project the proposal with
    /// [`Proposal::record_for_adoption`] (over the round's own record), add what neither
    /// holds, name the record as this proposal's ([`Lifecycle::name_record`]), and pass it
    /// to [`Charter::gate`](crate::values::Charter::gate).
    ///
    /// # Errors
    ///
    /// [`ProposalError::ProofNotForThis`] when the proof's record was not named as this
    /// proposal's, as it stands; otherwise as
    /// [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for
    /// `RecordDecision`.
    pub fn adopt(
        self,
        ctx: Context,
        round: StreamId,
        review_date: Timestamp,
        gate: &GatePassed,
    ) -> Result<Lifecycle<Adopted>, Refused<Self>> {
        let result = DecisionResult::Adopted { review_date };
        self.proven(gate)?
            .step(ProposalCommand::RecordDecision { round, result }, ctx)
    }

    /// The running round declined the proposal.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `RecordDecision`.
    pub fn decline(
        self,
        ctx: Context,
        round: StreamId,
    ) -> Result<Lifecycle<Declined>, Refused<Self>> {
        let result = DecisionResult::Declined {};
        self.step(ProposalCommand::RecordDecision { round, result }, ctx)
    }

    /// The running round was escalated to `to`.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `RecordDecision`.
    pub fn escalate(
        self,
        ctx: Context,
        round: StreamId,
        to: BodyId,
    ) -> Result<Lifecycle<Escalated>, Refused<Self>> {
        let result = DecisionResult::Escalated { to };
        self.step(ProposalCommand::RecordDecision { round, result }, ctx)
    }

    /// The running round was withdrawn: so is the proposal.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `RecordDecision`.
    pub fn round_withdrawn(
        self,
        ctx: Context,
        round: StreamId,
    ) -> Result<Lifecycle<Withdrawn>, Refused<Self>> {
        let result = DecisionResult::Withdrawn {};
        self.step(ProposalCommand::RecordDecision { round, result }, ctx)
    }

    /// The running round was deferred or broke down: nothing was decided, and another round
    /// may start.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `RecordDecision`.
    pub fn defer(self, ctx: Context, round: StreamId) -> Result<Self, Refused<Self>> {
        let result = DecisionResult::Deferred {};
        self.step(ProposalCommand::RecordDecision { round, result }, ctx)
    }

    /// Another round starts, after a deferred one.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `StartDecision`, notably
    /// [`ProposalError::RoundRunning`].
    pub fn start_decision(self, ctx: Context, round: StreamId) -> Result<Self, Refused<Self>> {
        self.step(ProposalCommand::StartDecision { round }, ctx)
    }
}

impl Lifecycle<Adopted> {
    /// The steward publishes the decision record with its rationale.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Publish`.
    pub fn publish(
        self,
        ctx: Context,
        rationale: impl Into<String>,
        alternatives: &[&str],
    ) -> Result<Lifecycle<Published>, Refused<Self>> {
        let command = ProposalCommand::Publish {
            rationale: rationale.into(),
            alternatives: alternatives.iter().map(|a| (*a).to_owned()).collect(),
        };
        self.step(command, ctx)
    }
}

impl Lifecycle<Published> {
    /// The agreement comes into force until its review date.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `StartImplementing`.
    pub fn start_implementing(
        self,
        ctx: Context,
    ) -> Result<Lifecycle<Implementing>, Refused<Self>> {
        self.step(ProposalCommand::StartImplementing {}, ctx)
    }

    /// The agreement is piloted until `ends`, and reviewed then.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `StartPilot`.
    pub fn start_pilot(
        self,
        ctx: Context,
        ends: Timestamp,
    ) -> Result<Lifecycle<Pilot>, Refused<Self>> {
        self.step(ProposalCommand::StartPilot { ends }, ctx)
    }
}

impl<P: Standing> Lifecycle<P> {
    /// The steward opens the review once its date has come.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `OpenReview`, notably
    /// [`ProposalError::ReviewNotDue`].
    pub fn open_review(self, ctx: Context) -> Result<Lifecycle<UnderReview>, Refused<Self>> {
        self.step(ProposalCommand::OpenReview {}, ctx)
    }

    /// A member objects to the standing agreement, which opens a review now.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `ObjectToStanding`.
    pub fn object(
        self,
        ctx: Context,
        reason: impl Into<String>,
    ) -> Result<Lifecycle<UnderReview>, Refused<Self>> {
        let reason = reason.into();
        self.step(ProposalCommand::ObjectToStanding { reason }, ctx)
    }
}

impl Lifecycle<UnderReview> {
    /// The review continues the agreement until `review_date`.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Continue`.
    pub fn continue_until(
        self,
        ctx: Context,
        review_date: Timestamp,
    ) -> Result<Lifecycle<Implementing>, Refused<Self>> {
        self.step(ProposalCommand::Continue { review_date }, ctx)
    }

    /// A proposer amends the agreement: a new version, linked to what it answers, goes back
    /// to co-creation. The adopted version stays in force until the new one is adopted.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Amend`.
    pub fn amend(
        self,
        ctx: Context,
        text: impl Into<String>,
        answers: &[Answer],
    ) -> Result<Lifecycle<CoCreating>, Refused<Self>> {
        self.amend_to(ctx, text.into(), answers)
    }

    /// The review retires the agreement.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Retire`.
    pub fn retire(
        self,
        ctx: Context,
        reason: impl Into<String>,
    ) -> Result<Lifecycle<Retired>, Refused<Self>> {
        let reason = reason.into();
        self.step(ProposalCommand::Retire { reason }, ctx)
    }
}

impl<P: Withdrawable> Lifecycle<P> {
    /// A proposer withdraws the proposal.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ProposalProcess`] for `Withdraw`.
    pub fn withdraw(
        self,
        ctx: Context,
        reason: impl Into<String>,
    ) -> Result<Lifecycle<Withdrawn>, Refused<Self>> {
        let reason = reason.into();
        self.step(ProposalCommand::Withdraw { reason }, ctx)
    }
}

impl<P: ProposalPhaseMarker> TryFrom<ProposalState> for Lifecycle<P> {
    type Error = ProposalError;

    /// Wraps a runtime state whose phase is `P`.
    fn try_from(state: ProposalState) -> Result<Self, Self::Error> {
        match state.proposal() {
            None => Err(ProposalError::NotCreated {
                attempted: "take the proposal as typed",
            }),
            Some(p) if p.phase() != P::PHASE => Err(ProposalError::WrongPhase {
                attempted: "take the proposal as typed",
                proposal: p.config().id,
                phase: p.phase(),
            }),
            Some(_) => Ok(Self::new(state, Vec::new())),
        }
    }
}
