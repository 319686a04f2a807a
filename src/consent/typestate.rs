//! The typestate façade: `ConsentRound<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`RoundState`] and runs every command through
//! the `decide` and `evolve` of [`ConsentProcess`]: the rules live there alone.
//! Where the next phase depends on data (closing a round, starting the next one, a decider
//! deciding), a method returns an enum of typed rounds. A refused step gives the round back,
//! unchanged, inside [`Refused`].

use std::fmt;
use std::marker::PhantomData;

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::machine::{Context, Decider};
use crate::values::GatePassed;

use super::{
    Answers, ConsentError, ConsentProcess, ObjectionId, Response, Round, RoundCommand, RoundConfig,
    RoundEvent, RoundPhase, RoundState, ValidityCriterion,
};

mod sealed {
    pub trait Sealed {}
}

/// A compile-time phase of a [`ConsentRound`], naming its runtime twin.
///
/// Sealed: the phases are the crate's.
pub trait RoundPhaseMarker: sealed::Sealed {
    /// The runtime phase this marker stands for.
    const PHASE: RoundPhase;
}

/// A phase a round can still leave by withdrawal, deferral or escalation.
pub trait OpenPhase: RoundPhaseMarker {}

macro_rules! markers {
    ($($(#[$doc:meta])* $name:ident => $phase:ident, $open:tt;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum $name {}
            impl sealed::Sealed for $name {}
            impl RoundPhaseMarker for $name {
                const PHASE: RoundPhase = RoundPhase::$phase;
            }
            markers!(@open $name $open);
        )*
    };
    (@open $name:ident open) => { impl OpenPhase for $name {} };
    (@open $name:ident final) => {};
}

markers! {
    /// Presented, awaiting clarifying questions.
    Presented => Presented, open;
    /// Taking clarifying questions.
    Clarifying => Clarifying, open;
    /// Taking reactions.
    Reactions => Reactions, open;
    /// The proposer is amending.
    Amending => Amending, open;
    /// An objection round is taking responses.
    ObjectionRound => ObjectionRound, open;
    /// Objections are being integrated.
    Integrating => Integrating, open;
    /// Consented, awaiting the recorded outcome.
    Consented => Consented, open;
    /// Adopted.
    Adopted => Adopted, final;
    /// Declined.
    Declined => Declined, final;
    /// Withdrawn.
    Withdrawn => Withdrawn, final;
    /// Deferred.
    Deferred => Deferred, final;
    /// Escalated.
    Escalated => Escalated, final;
    /// Broken down.
    BrokenDown => BrokenDown, final;
}

/// A consent round in the phase `P`.
pub struct ConsentRound<P> {
    state: RoundState,
    events: Vec<RoundEvent>,
    phase: PhantomData<P>,
}

impl<P: RoundPhaseMarker> fmt::Debug for ConsentRound<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsentRound")
            .field("phase", &P::PHASE)
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

/// A refused step: the error, and the round as it was.
pub struct Refused<R> {
    /// The round, unchanged.
    pub round: R,
    /// Why the step was refused.
    pub error: ConsentError,
}

impl<R> fmt::Debug for Refused<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refused")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<R> fmt::Display for Refused<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<R> std::error::Error for Refused<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<R> From<Refused<R>> for ConsentError {
    fn from(refused: Refused<R>) -> Self {
        refused.error
    }
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

/// A round in whichever phase its state is in: the bridge from the runtime state (for
/// example after a replay) back to the typed API.
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyRound {
    /// Presented.
    Presented(ConsentRound<Presented>),
    /// Clarifying.
    Clarifying(ConsentRound<Clarifying>),
    /// Reactions.
    Reactions(ConsentRound<Reactions>),
    /// Amending.
    Amending(ConsentRound<Amending>),
    /// Objection round.
    ObjectionRound(ConsentRound<ObjectionRound>),
    /// Integrating.
    Integrating(ConsentRound<Integrating>),
    /// Consented.
    Consented(ConsentRound<Consented>),
    /// Adopted.
    Adopted(ConsentRound<Adopted>),
    /// Declined.
    Declined(ConsentRound<Declined>),
    /// Withdrawn.
    Withdrawn(ConsentRound<Withdrawn>),
    /// Deferred.
    Deferred(ConsentRound<Deferred>),
    /// Escalated.
    Escalated(ConsentRound<Escalated>),
    /// Broken down.
    BrokenDown(ConsentRound<BrokenDown>),
}

impl<P> ConsentRound<P> {
    fn new(state: RoundState, events: Vec<RoundEvent>) -> Self {
        Self {
            state,
            events,
            phase: PhantomData,
        }
    }

    /// The runtime state.
    pub fn state(&self) -> &RoundState {
        &self.state
    }

    /// The round's data. Every typed round has been opened, so this is always `Some`.
    pub fn round(&self) -> Option<&Round> {
        self.state.round()
    }

    /// The events produced through this value (and its predecessors), in order: what an app
    /// stores in its journal.
    pub fn events(&self) -> &[RoundEvent] {
        &self.events
    }

    /// Runs a command through the decider. Accepted: the state after its events and the
    /// events so far. Refused: the round unchanged.
    fn apply(
        self,
        command: RoundCommand,
        ctx: Context,
    ) -> Result<(RoundState, Vec<RoundEvent>), Refused<Self>> {
        match ConsentProcess::decide(&self.state, &command, &ctx) {
            Err(error) => Err(Refused { round: self, error }),
            Ok(new) => {
                let state = new.iter().fold(self.state, ConsentProcess::evolve);
                let mut events = self.events;
                events.extend(new);
                Ok((state, events))
            }
        }
    }

    /// A step whose next phase the rules fix: `Q` is that phase. (Tests check every such step
    /// lands in its declared phase; the runtime state stays the authority either way.)
    fn step<Q>(
        self,
        command: RoundCommand,
        ctx: Context,
    ) -> Result<ConsentRound<Q>, Refused<Self>> {
        let (state, events) = self.apply(command, ctx)?;
        Ok(ConsentRound::new(state, events))
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
        let events = ConsentProcess::decide(
            &RoundState::NotOpened,
            &RoundCommand::Open {
                config: Box::new(config),
            },
            &ctx,
        )?;
        let state = events
            .iter()
            .fold(RoundState::NotOpened, ConsentProcess::evolve);
        Ok(Self::new(state, events.into_vec()))
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
    /// and pass the record to [`Charter::gate`](crate::values::Charter::gate).
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`ConsentProcess`] for `RecordOutcome`.
    pub fn record_outcome(
        self,
        ctx: Context,
        statement: impl Into<String>,
        review_date: Timestamp,
        _gate: &GatePassed,
    ) -> Result<ConsentRound<Adopted>, Refused<Self>> {
        self.step(
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

impl<P> From<ConsentRound<P>> for RoundState {
    fn from(round: ConsentRound<P>) -> Self {
        round.state
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

impl TryFrom<RoundState> for AnyRound {
    type Error = ConsentError;

    /// Wraps an opened runtime state in its typed round.
    fn try_from(state: RoundState) -> Result<Self, Self::Error> {
        match state {
            RoundState::NotOpened => Err(ConsentError::NotOpened {
                attempted: "take the round as typed",
            }),
            state => Ok(AnyRound::with_events(state, Vec::new())),
        }
    }
}

impl AnyRound {
    /// Rebuilds a round from its events and wraps it in its typed phase.
    ///
    /// # Errors
    ///
    /// [`ConsentError::NotOpened`] if the events do not open a round.
    pub fn replay(events: Vec<RoundEvent>) -> Result<Self, ConsentError> {
        let state = ConsentProcess::replay(&events);
        match state {
            RoundState::NotOpened => Err(ConsentError::NotOpened {
                attempted: "replay",
            }),
            state => Ok(AnyRound::with_events(state, events)),
        }
    }

    /// The runtime phase.
    pub fn phase(&self) -> RoundPhase {
        self.state().phase()
    }

    /// The runtime state.
    pub fn state(&self) -> &RoundState {
        match self {
            AnyRound::Presented(r) => r.state(),
            AnyRound::Clarifying(r) => r.state(),
            AnyRound::Reactions(r) => r.state(),
            AnyRound::Amending(r) => r.state(),
            AnyRound::ObjectionRound(r) => r.state(),
            AnyRound::Integrating(r) => r.state(),
            AnyRound::Consented(r) => r.state(),
            AnyRound::Adopted(r) => r.state(),
            AnyRound::Declined(r) => r.state(),
            AnyRound::Withdrawn(r) => r.state(),
            AnyRound::Deferred(r) => r.state(),
            AnyRound::Escalated(r) => r.state(),
            AnyRound::BrokenDown(r) => r.state(),
        }
    }

    fn with_events(state: RoundState, events: Vec<RoundEvent>) -> Self {
        match state.phase() {
            // Not reachable from an opened round; kept total by treating it as presented,
            // whose every step the decider will refuse as `NotOpened`.
            RoundPhase::NotOpened | RoundPhase::Presented => {
                AnyRound::Presented(ConsentRound::new(state, events))
            }
            RoundPhase::Clarifying => AnyRound::Clarifying(ConsentRound::new(state, events)),
            RoundPhase::Reactions => AnyRound::Reactions(ConsentRound::new(state, events)),
            RoundPhase::Amending => AnyRound::Amending(ConsentRound::new(state, events)),
            RoundPhase::ObjectionRound => {
                AnyRound::ObjectionRound(ConsentRound::new(state, events))
            }
            RoundPhase::Integrating => AnyRound::Integrating(ConsentRound::new(state, events)),
            RoundPhase::Consented => AnyRound::Consented(ConsentRound::new(state, events)),
            RoundPhase::Adopted => AnyRound::Adopted(ConsentRound::new(state, events)),
            RoundPhase::Declined => AnyRound::Declined(ConsentRound::new(state, events)),
            RoundPhase::Withdrawn => AnyRound::Withdrawn(ConsentRound::new(state, events)),
            RoundPhase::Deferred => AnyRound::Deferred(ConsentRound::new(state, events)),
            RoundPhase::Escalated => AnyRound::Escalated(ConsentRound::new(state, events)),
            RoundPhase::BrokenDown => AnyRound::BrokenDown(ConsentRound::new(state, events)),
        }
    }

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

    fn into_parts(self) -> (RoundState, Vec<RoundEvent>) {
        macro_rules! parts {
            ($($v:ident),*) => {
                match self { $(AnyRound::$v(r) => (r.state, r.events),)* }
            };
        }
        parts!(
            Presented,
            Clarifying,
            Reactions,
            Amending,
            ObjectionRound,
            Integrating,
            Consented,
            Adopted,
            Declined,
            Withdrawn,
            Deferred,
            Escalated,
            BrokenDown
        )
    }
}
