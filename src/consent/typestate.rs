//! The typestate façade: `ConsentRound<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`RoundState`] and runs every command through
//! the `decide` and `evolve` of [`ConsentProcess`]: the rules live there alone.
//! Where the next phase depends on data (closing a round, starting the next one, a decider
//! deciding), a method returns an enum of typed rounds. A refused step gives the round back,
//! unchanged, inside [`Refused`].

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::machine::{Context, typestate};
use crate::values::GatePassed;

use super::{
    Answers, ConsentError, ConsentProcess, ObjectionId, Response, Round, RoundCommand, RoundConfig,
    RoundEvent, RoundPhase, RoundState, ValidityCriterion,
};

/// A phase a round can still leave by withdrawal, deferral or escalation.
pub trait OpenPhase: RoundPhaseMarker {}

typestate! {
    decider: ConsentProcess,
    state: RoundState,
    event: RoundEvent,
    command: RoundCommand,
    error: ConsentError,
    phase: RoundPhase,
    noun: "round",
    not_started: NotOpened,
    first: Presented,
    /// A compile-time phase of a [`ConsentRound`], naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: RoundPhaseMarker,
    /// A consent round in the phase `P`.
    wrapper: ConsentRound,
    /// A refused step: the error, and the round as it was.
    refused: Refused {
        /// The round, unchanged.
        round
    },
    /// A round in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyRound,
    phases: [
        /// Presented, awaiting clarifying questions.
        Presented, OpenPhase;
        /// Taking clarifying questions.
        Clarifying, OpenPhase;
        /// Taking reactions.
        Reactions, OpenPhase;
        /// The proposer is amending.
        Amending, OpenPhase;
        /// An objection round is taking responses.
        ObjectionRound, OpenPhase;
        /// Objections are being integrated.
        Integrating, OpenPhase;
        /// Consented, awaiting the recorded outcome.
        Consented, OpenPhase;
        /// Adopted.
        Adopted;
        /// Declined.
        Declined;
        /// Withdrawn.
        Withdrawn;
        /// Deferred.
        Deferred;
        /// Escalated.
        Escalated;
        /// Broken down.
        BrokenDown;
    ],
}

/// What closing an objection round led to.
#[derive(Debug)]
#[non_exhaustive]
pub enum Closed {
    /// Objections were raised.
    Integrating(ConsentRound<Integrating>),
    /// Nobody objects, or the vote carried.
    Consented(ConsentRound<Consented>),
    /// The vote did not carry.
    Declined(ConsentRound<Declined>),
    /// The absence policy deferred it.
    Deferred(ConsentRound<Deferred>),
}

/// What starting the next objection round led to.
#[derive(Debug)]
#[non_exhaustive]
pub enum Advanced {
    /// The next objection round.
    ObjectionRound(ConsentRound<ObjectionRound>),
    /// The objection rounds ran out.
    BrokenDown(ConsentRound<BrokenDown>),
}

/// What a decider's decision led to.
#[derive(Debug)]
#[non_exhaustive]
pub enum Decided {
    /// Adopted, awaiting the recorded outcome.
    Consented(ConsentRound<Consented>),
    /// Declined.
    Declined(ConsentRound<Declined>),
}

impl<P> ConsentRound<P> {
    /// The round's data. Every typed round has been opened, so this is always `Some`.
    pub fn round(&self) -> Option<&Round> {
        self.state.round()
    }

    /// A step whose next phase depends on data.
    fn branch(self, command: RoundCommand, ctx: Context) -> Result<AnyRound, Refused<Self>> {
        let (state, events) = self.apply(command, ctx)?;
        Ok(AnyRound::with_events(state, events))
    }
}

impl ConsentRound<Presented> {
    /// Opens a round.
    ///
    /// # Errors
    ///
    /// [`ConsentError::InvalidConfig`] naming the field, or [`ConsentError::WrongRole`] if
    /// the actor is neither the proposer nor the facilitator.
    pub fn open(config: RoundConfig, ctx: Context) -> Result<Self, ConsentError> {
        let config = Box::new(config);
        Self::start(RoundCommand::Open { config }, ctx)
    }

    /// The facilitator opens clarifying questions.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Advance`.
    pub fn start_clarifying(self, ctx: Context) -> Result<ConsentRound<Clarifying>, Refused<Self>> {
        self.step(RoundCommand::Advance {}, ctx)
    }

    /// A delegated decision: the decider decides with a rationale.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Decide`.
    pub fn decide(
        self,
        ctx: Context,
        adopt: bool,
        rationale: impl Into<String>,
    ) -> Result<Decided, Refused<Self>> {
        let rationale = rationale.into();
        self.branch(RoundCommand::Decide { adopt, rationale }, ctx)
            .map(AnyRound::into_decided)
    }
}

impl ConsentRound<Clarifying> {
    /// An eligible member asks a clarifying question.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `AskQuestion`.
    pub fn ask(self, ctx: Context, question: impl Into<String>) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::AskQuestion {
                question: question.into(),
            },
            ctx,
        )
    }

    /// The facilitator opens the reaction round.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Advance`.
    pub fn start_reactions(self, ctx: Context) -> Result<ConsentRound<Reactions>, Refused<Self>> {
        self.step(RoundCommand::Advance {}, ctx)
    }
}

impl ConsentRound<Reactions> {
    /// An eligible member reacts.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `React`.
    pub fn react(self, ctx: Context, reaction: impl Into<String>) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::React {
                reaction: reaction.into(),
            },
            ctx,
        )
    }

    /// The proposer amends in the light of the reactions.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Amend`.
    pub fn amend(
        self,
        ctx: Context,
        text: impl Into<String>,
    ) -> Result<ConsentRound<Amending>, Refused<Self>> {
        self.step(
            RoundCommand::Amend {
                text: text.into(),
                answers: Vec::new(),
            },
            ctx,
        )
    }

    /// The facilitator opens the first objection round.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Advance`.
    pub fn start_objection_round(
        self,
        ctx: Context,
    ) -> Result<ConsentRound<ObjectionRound>, Refused<Self>> {
        self.step(RoundCommand::Advance {}, ctx)
    }
}

impl ConsentRound<Amending> {
    /// The proposer amends again.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Amend`.
    pub fn amend(self, ctx: Context, text: impl Into<String>) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::Amend {
                text: text.into(),
                answers: Vec::new(),
            },
            ctx,
        )
    }

    /// The facilitator opens the first objection round.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Advance`.
    pub fn start_objection_round(
        self,
        ctx: Context,
    ) -> Result<ConsentRound<ObjectionRound>, Refused<Self>> {
        self.step(RoundCommand::Advance {}, ctx)
    }
}

impl ConsentRound<ObjectionRound> {
    /// `member` responds (the actor is the member, or a named supporter on their behalf).
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Respond`.
    pub fn respond(
        self,
        ctx: Context,
        member: MemberId,
        response: Response,
    ) -> Result<Self, Refused<Self>> {
        self.step(RoundCommand::Respond { member, response }, ctx)
    }

    /// The facilitator closes the round and counts it.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `CloseRound`, notably
    /// [`ConsentError::QuorumNotMet`].
    pub fn close(self, ctx: Context) -> Result<Closed, Refused<Self>> {
        self.branch(RoundCommand::CloseRound {}, ctx)
            .map(AnyRound::into_closed)
    }

    /// The decider answers a piece of advice.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `AnswerAdvice`.
    pub fn answer_advice(
        self,
        ctx: Context,
        member: MemberId,
        answer: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::AnswerAdvice {
                member,
                answer: answer.into(),
            },
            ctx,
        )
    }

    /// The decider of an advice process decides, once every piece of advice is answered.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Decide`.
    pub fn decide(
        self,
        ctx: Context,
        adopt: bool,
        rationale: impl Into<String>,
    ) -> Result<Decided, Refused<Self>> {
        let rationale = rationale.into();
        self.branch(RoundCommand::Decide { adopt, rationale }, ctx)
            .map(AnyRound::into_decided)
    }
}

impl ConsentRound<Integrating> {
    /// The facilitator records the test of the current objection.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `TestObjection`.
    pub fn test_objection(
        self,
        ctx: Context,
        objection: ObjectionId,
        criteria: &[ValidityCriterion],
        reasoning: impl Into<String>,
        valid: bool,
    ) -> Result<Self, Refused<Self>> {
        let command = RoundCommand::TestObjection {
            objection,
            criteria: criteria.to_vec(),
            reasoning: reasoning.into(),
            valid,
        };
        self.step(command, ctx)
    }

    /// The proposer amends to answer objections or concerns.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Amend`.
    pub fn amend(
        self,
        ctx: Context,
        text: impl Into<String>,
        answers: &[Answers],
    ) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::Amend {
                text: text.into(),
                answers: answers.to_vec(),
            },
            ctx,
        )
    }

    /// The objector or the proposer confirms the current objection resolved.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `ConfirmResolved`.
    pub fn confirm_resolved(
        self,
        ctx: Context,
        objection: ObjectionId,
    ) -> Result<Self, Refused<Self>> {
        self.step(RoundCommand::ConfirmResolved { objection }, ctx)
    }

    /// The objector withdraws an objection.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `WithdrawObjection`.
    pub fn withdraw_objection(
        self,
        ctx: Context,
        objection: ObjectionId,
    ) -> Result<Self, Refused<Self>> {
        self.step(RoundCommand::WithdrawObjection { objection }, ctx)
    }

    /// The facilitator records the current objection abandoned.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `AbandonObjection`.
    pub fn abandon_objection(
        self,
        ctx: Context,
        objection: ObjectionId,
        reason: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            RoundCommand::AbandonObjection {
                objection,
                reason: reason.into(),
            },
            ctx,
        )
    }

    /// The facilitator starts the next objection round, once every objection is settled.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Advance`, notably [`ConsentError::OpenObjections`].
    pub fn next_round(self, ctx: Context) -> Result<Advanced, Refused<Self>> {
        self.branch(RoundCommand::Advance {}, ctx)
            .map(AnyRound::into_advanced)
    }
}

impl ConsentRound<Consented> {
    /// The secretary records the outcome: the round is adopted.
    ///
    /// Adoption is a decided state, so it takes the proof that the value gate passed:
    /// project the round with [`Round::record`], add the evidence the round does not hold,
    /// name the record as this round's ([`ConsentRound::name_record`]), and pass it to
    /// [`Charter::gate`](crate::values::Charter::gate).
    ///
    /// # Errors
    ///
    /// [`ConsentError::ProofNotForThis`] when the proof's record was not named as this
    /// round's, as it stands; otherwise as [`Decider::decide`](crate::machine::Decider::decide)
    /// of [`ConsentProcess`] for `RecordOutcome`.
    pub fn record_outcome(
        self,
        ctx: Context,
        statement: impl Into<String>,
        review_date: Timestamp,
        gate: &GatePassed,
    ) -> Result<ConsentRound<Adopted>, Refused<Self>> {
        self.proven(gate)?.step(
            RoundCommand::RecordOutcome {
                statement: statement.into(),
                review_date,
            },
            ctx,
        )
    }
}

impl<P: OpenPhase> ConsentRound<P> {
    /// The proposer withdraws the proposal.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Withdraw`.
    pub fn withdraw(
        self,
        ctx: Context,
        reason: impl Into<String>,
    ) -> Result<ConsentRound<Withdrawn>, Refused<Self>> {
        self.step(
            RoundCommand::Withdraw {
                reason: reason.into(),
            },
            ctx,
        )
    }

    /// The facilitator defers the round once a time box has passed.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Defer`.
    pub fn defer(
        self,
        ctx: Context,
        reason: impl Into<String>,
    ) -> Result<ConsentRound<Deferred>, Refused<Self>> {
        self.step(
            RoundCommand::Defer {
                reason: reason.into(),
            },
            ctx,
        )
    }

    /// The facilitator escalates the round to a named body.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `Escalate`.
    pub fn escalate(
        self,
        ctx: Context,
        to: BodyId,
        reason: impl Into<String>,
    ) -> Result<ConsentRound<Escalated>, Refused<Self>> {
        self.step(
            RoundCommand::Escalate {
                to,
                reason: reason.into(),
            },
            ctx,
        )
    }
}

impl<P: RoundPhaseMarker> TryFrom<RoundState> for ConsentRound<P> {
    type Error = ConsentError;

    /// Wraps a runtime state whose phase is `P`.
    fn try_from(state: RoundState) -> Result<Self, Self::Error> {
        let phase = state.phase();
        if phase == P::PHASE {
            Ok(Self::new(state, Vec::new()))
        } else {
            Err(ConsentError::WrongPhase {
                attempted: "take the round as typed",
                phase,
            })
        }
    }
}

impl AnyRound {
    /// The rules make closing lead to integrating, consented, declined or deferred; any other
    /// phase would be a rule change, caught by the tests. Kept total without a panic.
    fn into_closed(self) -> Closed {
        match self {
            AnyRound::Integrating(r) => Closed::Integrating(r),
            AnyRound::Declined(r) => Closed::Declined(r),
            AnyRound::Deferred(r) => Closed::Deferred(r),
            other => {
                let (state, events) = other.into_parts();
                Closed::Consented(ConsentRound::new(state, events))
            }
        }
    }

    fn into_advanced(self) -> Advanced {
        match self {
            AnyRound::BrokenDown(r) => Advanced::BrokenDown(r),
            other => {
                let (state, events) = other.into_parts();
                Advanced::ObjectionRound(ConsentRound::new(state, events))
            }
        }
    }

    fn into_decided(self) -> Decided {
        match self {
            AnyRound::Declined(r) => Decided::Declined(r),
            other => {
                let (state, events) = other.into_parts();
                Decided::Consented(ConsentRound::new(state, events))
            }
        }
    }
}
