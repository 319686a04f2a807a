//! The commands a round takes.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};

use super::config::{RoundConfig, RoundRoles};
use super::objection::{Answers, ObjectionId, ValidityCriterion};
use super::response::Response;

/// What a caller asks of a round. The acting member and the time come with the
/// [`Context`](crate::machine::Context).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RoundCommand {
    /// Open the round (proposer or facilitator named in the config).
    Open {
        /// The round's set-up.
        config: Box<RoundConfig>,
    },
    /// Open the round on the route governance gives (through an [`Engine`](crate::engine::Engine),
    /// which knows the route and the community): the deciding body, the method and who is
    /// eligible come from the route and the community as they stand, the rest as in
    /// [`RoundConfig::from_route`]. The engine opens the round with that set-up; the round
    /// itself cannot resolve a route and refuses this command.
    OpenOnRoute {
        /// What is being decided, in a line.
        title: String,
        /// The proposal's text as presented.
        proposal: String,
        /// Who runs the round.
        roles: RoundRoles,
    },
    /// Move on to the next step (facilitator): presented -> clarifying -> reactions ->
    /// objection round; amending -> objection round; integrating -> the next objection
    /// round, or breakdown when the rounds are exhausted.
    Advance {},
    /// Ask a clarifying question (eligible member, clarifying phase).
    AskQuestion {
        /// The question.
        question: String,
    },
    /// Give a reaction (eligible member, reactions phase).
    React {
        /// The reaction.
        reaction: String,
    },
    /// Amend the proposal (proposer; reactions, amending or integrating phase).
    Amend {
        /// The change, in words.
        text: String,
        /// The objections and concerns it answers.
        #[serde(default)]
        answers: Vec<Answers>,
    },
    /// Respond in the objection round (the member, or a named supporter on their behalf).
    Respond {
        /// Whose response it is.
        member: MemberId,
        /// The response.
        response: Response,
    },
    /// Close the objection round and count it (facilitator).
    CloseRound {},
    /// Record the test of the objection being integrated (facilitator).
    TestObjection {
        /// The objection.
        objection: ObjectionId,
        /// The criteria the objector asserted.
        criteria: Vec<ValidityCriterion>,
        /// The reasoning heard.
        reasoning: String,
        /// The facilitator's finding.
        valid: bool,
    },
    /// Confirm that an amendment resolves a valid objection (its objector, or the proposer
    /// confirming the original need is still met): resolved once both have, two people (a
    /// proposer who raised the objection withdraws it instead).
    ConfirmResolved {
        /// The objection.
        objection: ObjectionId,
    },
    /// Withdraw one's own objection (its objector).
    WithdrawObjection {
        /// The objection.
        objection: ObjectionId,
    },
    /// Record that the objection being integrated is abandoned (facilitator).
    AbandonObjection {
        /// The objection.
        objection: ObjectionId,
        /// Why.
        reason: String,
    },
    /// Answer a piece of advice (the decider, in an advice process).
    AnswerAdvice {
        /// Whose advice.
        member: MemberId,
        /// The answer.
        answer: String,
    },
    /// Decide (the decider: the proposer of an advice process or a delegated decision).
    Decide {
        /// Adopt, or decline.
        adopt: bool,
        /// Why; required.
        rationale: String,
    },
    /// Record the outcome of a consented round (secretary).
    RecordOutcome {
        /// The outcome statement.
        statement: String,
        /// When the decision comes back for review; after now.
        review_date: Timestamp,
    },
    /// Withdraw the proposal (proposer).
    Withdraw {
        /// Why.
        reason: String,
    },
    /// Defer the round once a time box has passed (facilitator).
    Defer {
        /// Why.
        reason: String,
    },
    /// Extend the round's time box to `until`, with a reason (facilitator): every running
    /// box then ends no earlier than `until`. Taken before or after a box has passed, while
    /// the round is open; `until` is later than the box's current end and not before now.
    ExtendTimeBox {
        /// The new end.
        until: Timestamp,
        /// Why; required, and kept in the record.
        reason: String,
    },
    /// Hand a role on from a member who has left the community, as the engine witnesses:
    /// the secretary's, by the facilitator; the facilitator's, by the proposer (or, where
    /// the proposer has left too, the secretary; where all three have left, a member
    /// seated in the round); the proposer's, by the facilitator (else the secretary, else a
    /// seated member), as [`HandedRole::handed_on_by`](super::HandedRole::handed_on_by)
    /// says. The round goes on with `to` in the role; the record keeps who handed it on,
    /// when and why.
    HandOnRole {
        /// The role.
        role: super::HandedRole,
        /// The member who takes it.
        to: MemberId,
        /// Why; required, and kept in the record.
        reason: String,
    },
    /// Escalate the round to a named body (facilitator).
    Escalate {
        /// The body that takes it.
        to: BodyId,
        /// Why.
        reason: String,
    },
}

impl RoundCommand {
    /// The stable name of the command, used in errors.
    pub fn label(&self) -> &'static str {
        self.into()
    }
}
