//! The events of a round: the facts its record is made of.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};

use super::RoundPhase;
use super::config::{AtDeadline, RoundConfig};
use super::objection::{Amendment, ConcernId, ObjectionId, ObjectionTest};
use super::response::{Response, Tally};

/// Why a round ended up where it did when the facilitator closed its objection round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CloseResult {
    /// Objections were raised: integration follows.
    Objections,
    /// Nobody objects (or the vote carried).
    Consented,
    /// The vote did not carry.
    Declined,
    /// A member was unheard and the absence policy defers.
    DeferredByAbsence,
}

/// The facts of a round. Each names the time it happened; the acting member is named where
/// it matters for the record.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RoundEvent {
    /// The round opened with this configuration.
    Opened {
        /// The set-up, including the eligible snapshot.
        config: Box<RoundConfig>,
        /// Who opened it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The facilitator moved the round on.
    Advanced {
        /// The phase it moved to.
        to: RoundPhase,
        /// The objection round number, when moving to an objection round.
        round: Option<u32>,
        /// When.
        at: Timestamp,
    },
    /// A clarifying question was asked.
    QuestionAsked {
        /// Who asked.
        by: MemberId,
        /// The question.
        question: String,
        /// When.
        at: Timestamp,
    },
    /// A reaction was given.
    Reacted {
        /// Who reacted.
        by: MemberId,
        /// The reaction.
        reaction: String,
        /// When.
        at: Timestamp,
    },
    /// The proposer amended the proposal.
    Amended {
        /// The amendment.
        amendment: Amendment,
    },
    /// A member responded (a later response in the same round replaces an earlier one;
    /// both stay in the events).
    Responded {
        /// Whose response.
        member: MemberId,
        /// The response.
        response: Response,
        /// The supporter who recorded it, for a proxy response.
        proxy: Option<MemberId>,
        /// The objection round.
        round: u32,
        /// When.
        at: Timestamp,
    },
    /// The facilitator closed the objection round.
    RoundClosed {
        /// The round.
        round: u32,
        /// The count. Boxed (its JSON is the same): the tally is the largest part of any
        /// event, and every event of a round, a member's response among them, would
        /// otherwise be as large as this one.
        tally: Box<Tally>,
        /// What follows.
        result: CloseResult,
        /// Objections raised, numbered.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        objections: Vec<(ObjectionId, MemberId, String)>,
        /// Concerns logged from consents with a concern.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<(ConcernId, MemberId, String)>,
        /// Eligible members who had not responded, and were counted by the absence policy.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        absent: Vec<MemberId>,
        /// When.
        at: Timestamp,
    },
    /// The facilitator recorded an objection's test.
    ObjectionTested {
        /// The objection.
        objection: ObjectionId,
        /// The test. An objection found not valid becomes a concern with the next id.
        test: ObjectionTest,
        /// The concern it became, if found not valid.
        concern: Option<ConcernId>,
    },
    /// The objector or the proposer confirmed an objection resolved.
    ResolutionConfirmed {
        /// The objection.
        objection: ObjectionId,
        /// Who confirmed.
        by: MemberId,
        /// The objector confirmed.
        as_objector: bool,
        /// The proposer confirmed.
        as_proposer: bool,
        /// When.
        at: Timestamp,
    },
    /// The objector withdrew an objection.
    ObjectionWithdrawn {
        /// The objection.
        objection: ObjectionId,
        /// When.
        at: Timestamp,
    },
    /// The facilitator recorded an objection abandoned.
    ObjectionAbandoned {
        /// The objection.
        objection: ObjectionId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// The decider answered a piece of advice.
    AdviceAnswered {
        /// Whose advice.
        member: MemberId,
        /// The answer.
        answer: String,
        /// When.
        at: Timestamp,
    },
    /// The decider decided.
    Decided {
        /// Adopted or declined.
        adopt: bool,
        /// Why.
        rationale: String,
        /// Who decided.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The secretary recorded the outcome: the round is adopted.
    OutcomeRecorded {
        /// The statement.
        statement: String,
        /// The review date.
        review_date: Timestamp,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The proposer withdrew the proposal.
    Withdrawn {
        /// Who.
        by: MemberId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// The facilitator deferred the round after a time box passed.
    Deferred {
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// The facilitator extended the round's time box.
    TimeBoxExtended {
        /// When the box ended before.
        from: Timestamp,
        /// When it ends now.
        to: Timestamp,
        /// Why.
        reason: String,
        /// Who extended it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A role was handed on from a member who had left the community.
    RoleHandedOn {
        /// The role.
        role: super::HandedRole,
        /// Who held it.
        from: MemberId,
        /// Who holds it now.
        to: MemberId,
        /// Why.
        reason: String,
        /// Who handed it on.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The engine found the round's time box passed and took the step the round's
    /// configuration chose for it ([`TimeBox::at_deadline`](super::TimeBox::at_deadline));
    /// the step's own event (deferred, or the objection round closed) follows in the same
    /// batch. Journalled by the engine's actor, [`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR).
    TimeBoxLapsed {
        /// When the box ended.
        ended: Timestamp,
        /// The configured rule that made the step.
        rule: AtDeadline,
        /// When the engine took it (the time of the tick).
        at: Timestamp,
    },
    /// The facilitator escalated the round.
    Escalated {
        /// To which body.
        to: BodyId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// The objection rounds were exhausted.
    BrokenDown {
        /// How many objection rounds ran.
        rounds: u32,
        /// When.
        at: Timestamp,
    },
}

impl RoundEvent {
    /// When the event happened.
    pub fn at(&self) -> Timestamp {
        match self {
            RoundEvent::Amended { amendment } => amendment.at,
            RoundEvent::ObjectionTested { test, .. } => test.at,
            RoundEvent::Opened { at, .. }
            | RoundEvent::Advanced { at, .. }
            | RoundEvent::QuestionAsked { at, .. }
            | RoundEvent::Reacted { at, .. }
            | RoundEvent::Responded { at, .. }
            | RoundEvent::RoundClosed { at, .. }
            | RoundEvent::ResolutionConfirmed { at, .. }
            | RoundEvent::ObjectionWithdrawn { at, .. }
            | RoundEvent::ObjectionAbandoned { at, .. }
            | RoundEvent::AdviceAnswered { at, .. }
            | RoundEvent::Decided { at, .. }
            | RoundEvent::OutcomeRecorded { at, .. }
            | RoundEvent::Withdrawn { at, .. }
            | RoundEvent::Deferred { at, .. }
            | RoundEvent::TimeBoxExtended { at, .. }
            | RoundEvent::RoleHandedOn { at, .. }
            | RoundEvent::TimeBoxLapsed { at, .. }
            | RoundEvent::Escalated { at, .. }
            | RoundEvent::BrokenDown { at, .. } => *at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_as_large_as_a_response_needs_not_as_a_tally() {
        // A large round makes one `Responded` per member, and every event is as large as
        // the largest variant: with the tally boxed, the largest is the close's lists.
        assert!(
            size_of::<RoundEvent>() <= 104,
            "{}",
            size_of::<RoundEvent>()
        );
        assert!(size_of::<Response>() <= 32, "{}", size_of::<Response>());
    }
}
