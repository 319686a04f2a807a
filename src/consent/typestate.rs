//! The typestate façade: `ConsentRound<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`Round`] and runs every command through the `decide` and `evolve`
//! of [`ConsentProcess`]: the rules live there alone. The façade is one step table (below):
//! each phase's steps, the command each sends, and where it lands. Where the next phase
//! depends on data (closing a round, starting the next one, a decider deciding), a step lands
//! in an enum of typed rounds. A step that lands anywhere its row does not name is refused
//! with [`ConsentError::PhaseMismatch`]; a refused step gives the round back, unchanged,
//! inside [`RoundRefused`]. Adoption takes the value gate's proof by value and keeps it with the
//! adopted round ([`ConsentRound::proof`]).

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::machine::{Context, previews, typestate};

use super::{
    Answers, ConsentError, ConsentProcess, HandedRole, ObjectionId, Response, Round, RoundCommand,
    RoundConfig, RoundEvent, RoundState, ValidityCriterion,
};

typestate! {
    decider: ConsentProcess,
    state: RoundState,
    started: Opened,
    data: round: Round,
    event: RoundEvent,
    command: RoundCommand,
    error: ConsentError,
    /// The phases of a round.
    phase: pub enum RoundPhase {
        /// Before the opening event.
        NotOpened,
        /// The proposer presents the proposal.
        Presented,
        /// Clarifying questions, no reactions yet.
        Clarifying,
        /// Each member reacts in turn.
        Reactions,
        /// The proposer amends in the light of the reactions.
        Amending,
        /// An objection round (in a vote, the vote; in an advice process, advice-gathering).
        ObjectionRound,
        /// Objections are integrated, one at a time.
        Integrating,
        /// Consent (or a vote or a decider) has carried; waiting for the outcome to be recorded.
        Consented,
        /// Adopted, with its concerns and review date.
        Adopted,
        /// A vote that did not carry, or a decider who declined.
        Declined,
        /// Withdrawn by the proposer.
        Withdrawn,
        /// Deferred: a time box passed, or absences deferred it.
        Deferred,
        /// Escalated to a named body.
        Escalated,
        /// Integration rounds were exhausted: the process broke down.
        BrokenDown,
    },
    noun: "round",
    /// A compile-time phase of a [`ConsentRound`], naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: RoundPhaseMarker,
    /// A consent round in the phase `P`.
    wrapper: ConsentRound,
    /// A refused step: the error, and the round as it was.
    refused: RoundRefused {
        /// The round, unchanged.
        round
    },
    /// A round in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyRound,
    branches: [
        /// What closing an objection round led to.
        Closed {
            /// Objections were raised.
            Integrating,
            /// Nobody objects, or the vote carried.
            Consented,
            /// The vote did not carry.
            Declined,
            /// The absence policy deferred it.
            Deferred,
        },
        /// What starting the next objection round led to.
        Advanced {
            /// The next objection round.
            ObjectionRound,
            /// The objection rounds ran out.
            BrokenDown,
        },
        /// What a decider's decision led to.
        Decided {
            /// Adopted, awaiting the recorded outcome.
            Consented,
            /// Declined.
            Declined,
        },
    ],
    steps: [
        Presented {
            /// The facilitator opens clarifying questions.
            fn start_clarifying(ctx) -> ConsentRound<Clarifying> = RoundCommand::Advance {};
            /// A delegated decision: the decider decides with a rationale.
            fn decide(ctx, adopt: bool, rationale: impl Into<String> => rationale.into())
                -> Decided = RoundCommand::Decide { adopt, rationale };
        }
        Clarifying {
            /// An eligible member asks a clarifying question.
            fn ask(ctx, question: impl Into<String> => question.into())
                -> ConsentRound<Clarifying> = RoundCommand::AskQuestion { question };
            /// The facilitator opens the reaction round.
            fn start_reactions(ctx) -> ConsentRound<Reactions> = RoundCommand::Advance {};
        }
        Reactions {
            /// An eligible member reacts.
            fn react(ctx, reaction: impl Into<String> => reaction.into())
                -> ConsentRound<Reactions> = RoundCommand::React { reaction };
            /// The proposer amends in the light of the reactions.
            fn amend(ctx, text: impl Into<String> => text.into()) -> ConsentRound<Amending> =
                { let answers = Vec::new(); } RoundCommand::Amend { text, answers };
            /// The facilitator opens the first objection round.
            fn start_objection_round(ctx) -> ConsentRound<ObjectionRound> = RoundCommand::Advance {};
        }
        Amending {
            /// The proposer amends again.
            fn amend(ctx, text: impl Into<String> => text.into()) -> ConsentRound<Amending> =
                { let answers = Vec::new(); } RoundCommand::Amend { text, answers };
            /// The facilitator opens the first objection round.
            fn start_objection_round(ctx) -> ConsentRound<ObjectionRound> = RoundCommand::Advance {};
        }
        ObjectionRound {
            /// `member` responds (the actor is the member, or a named supporter on their
            /// behalf).
            fn respond(ctx, member: MemberId, response: Response)
                -> ConsentRound<ObjectionRound> = RoundCommand::Respond { member, response };
            /// The facilitator closes the round and counts it (refused, notably, with
            /// [`ConsentError::QuorumNotMet`]).
            fn close(ctx) -> Closed = RoundCommand::CloseRound {};
            /// The decider answers a piece of advice.
            fn answer_advice(ctx, member: MemberId, answer: impl Into<String> => answer.into())
                -> ConsentRound<ObjectionRound> = RoundCommand::AnswerAdvice { member, answer };
            /// The decider of an advice process decides, once every piece of advice is
            /// answered.
            fn decide(ctx, adopt: bool, rationale: impl Into<String> => rationale.into())
                -> Decided = RoundCommand::Decide { adopt, rationale };
        }
        Integrating {
            /// The facilitator records the test of the current objection.
            fn test_objection(
                ctx,
                objection: ObjectionId,
                criteria: &[ValidityCriterion] => criteria.to_vec(),
                reasoning: impl Into<String> => reasoning.into(),
                valid: bool
            ) -> ConsentRound<Integrating> =
                RoundCommand::TestObjection { objection, criteria, reasoning, valid };
            /// The proposer amends to answer objections or concerns.
            fn amend(ctx, text: impl Into<String> => text.into(), answers: &[Answers] => answers.to_vec())
                -> ConsentRound<Integrating> = RoundCommand::Amend { text, answers };
            /// The objector or the proposer confirms the current objection resolved.
            fn confirm_resolved(ctx, objection: ObjectionId)
                -> ConsentRound<Integrating> = RoundCommand::ConfirmResolved { objection };
            /// The objector withdraws an objection.
            fn withdraw_objection(ctx, objection: ObjectionId)
                -> ConsentRound<Integrating> = RoundCommand::WithdrawObjection { objection };
            /// The facilitator records the current objection abandoned.
            fn abandon_objection(ctx, objection: ObjectionId, reason: impl Into<String> => reason.into())
                -> ConsentRound<Integrating> = RoundCommand::AbandonObjection { objection, reason };
            /// The facilitator starts the next objection round, once every objection is
            /// settled (refused, notably, with [`ConsentError::OpenObjections`]).
            fn next_round(ctx) -> Advanced = RoundCommand::Advance {};
        }
        Consented {
            /// The secretary records the outcome: the round is adopted.
            ///
            /// Adoption is a decided state, so it takes the proof that the value gate
            /// passed, by value: preview the adoption ([`ConsentRound::preview`] of this
            /// command: the record named as this round's), add the evidence the round does
            /// not hold, and pass it to [`Charter::gate`](crate::values::Charter::gate). The
            /// adopted round keeps the proof ([`ConsentRound::proof`]).
            fn record_outcome(ctx, statement: impl Into<String> => statement.into(), review_date: Timestamp; proof)
                -> ConsentRound<Adopted> = RoundCommand::RecordOutcome { statement, review_date };
        }
    ],
    groups: [
        /// A phase a round can still leave by withdrawal, deferral or escalation.
        OpenPhase as OPEN: [Presented, Clarifying, Reactions, Amending, ObjectionRound, Integrating, Consented] {
            /// The proposer withdraws the proposal.
            fn withdraw(ctx, reason: impl Into<String> => reason.into())
                -> ConsentRound<Withdrawn> = RoundCommand::Withdraw { reason };
            /// The facilitator defers the round once a time box has passed.
            fn defer(ctx, reason: impl Into<String> => reason.into())
                -> ConsentRound<Deferred> = RoundCommand::Defer { reason };
            /// The facilitator escalates the round to a named body.
            fn escalate(ctx, to: BodyId, reason: impl Into<String> => reason.into())
                -> ConsentRound<Escalated> = RoundCommand::Escalate { to, reason };
            /// Hands `role` on to `to` from a member who has left the community (the
            /// secretary's by the facilitator, the facilitator's by the proposer); the round
            /// stays where it is.
            fn hand_on_role(ctx, role: HandedRole, to: MemberId, reason: impl Into<String> => reason.into())
                -> ConsentRound<P> = RoundCommand::HandOnRole { role, to, reason };
        }
    ],
}

previews!(
    ConsentRound,
    ConsentProcess,
    RoundState::Opened,
    RoundCommand,
    ConsentError
);

impl ConsentRound<Presented> {
    /// Opens a round.
    ///
    /// # Errors
    ///
    /// [`ConsentError::InvalidConfig`] naming the field, or [`RefusalKind::WrongRole`](crate::machine::RefusalKind::WrongRole) if
    /// the actor is neither the proposer nor the facilitator.
    pub fn open(config: RoundConfig, ctx: Context) -> Result<Self, ConsentError> {
        let config = Box::new(config);
        start_typed(RoundCommand::Open { config }, ctx)
    }
}
