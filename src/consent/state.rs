//! The state of a round: everything its events have established.

use crate::machine::RefusalKind;
use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};

use super::ConsentError;
use super::RoundPhase;
use super::config::{AtDeadline, HandedRole, RoundConfig, RoundRole};
use super::objection::{Amendment, Concern, Objection, ObjectionId};
use super::response::{Responded, Tally};
use super::seats::Seats;
use super::stage::RoundStage;

/// A question or reaction, with who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// Who.
    pub by: MemberId,
    /// What they said.
    pub text: String,
    /// When.
    pub at: Timestamp,
}

/// A decider's decision (advice process, delegated decision), or the carried vote.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundDecision {
    /// Adopted or declined.
    pub adopt: bool,
    /// The decider's rationale; `None` when consent or a vote decided.
    pub rationale: Option<String>,
    /// Who decided (the decider, or the facilitator who closed the round).
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// A time box extended by the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// When the box ended before.
    pub from: Timestamp,
    /// When it ends now.
    pub to: Timestamp,
    /// Why.
    pub reason: String,
    /// Who extended it (the facilitator).
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// A time box that passed, and the step the round's configuration took for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lapse {
    /// When the box ended.
    pub ended: Timestamp,
    /// The configured rule that made the step.
    pub rule: AtDeadline,
    /// When the engine took it.
    pub at: Timestamp,
}

/// How a round ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Ending {
    /// Adopted; the concerns and every objection's disposition are in the round.
    Adopted {
        /// The outcome statement.
        statement: String,
        /// When it comes back for review.
        review_date: Timestamp,
        /// The secretary who recorded it.
        recorded_by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Declined.
    Declined {
        /// When.
        at: Timestamp,
    },
    /// Withdrawn by the proposer.
    Withdrawn {
        /// Who.
        by: MemberId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// Deferred.
    Deferred {
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// Escalated to a body.
    Escalated {
        /// The body.
        to: BodyId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// Broken down after the objection rounds ran out.
    BrokenDown {
        /// Rounds run.
        rounds: u32,
        /// When.
        at: Timestamp,
    },
}

/// Who hands a role on, as [`Round::hands_on`] finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HandsOn {
    /// The member holding this role of the round.
    Holder(RoundRole, MemberId),
    /// Any of these members seated in the round who have not stepped out of the decision,
    /// where all who hold its roles have left.
    Seated(Vec<MemberId>),
    /// Nobody: all who could have left (or, for the secretary's role, the facilitator has,
    /// whose own role is handed on first).
    Nobody,
}

/// An opened round: everything the events have established, and the [`RoundStage`] that
/// owns what only some phases have (the decision, the ending).
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub(super) config: RoundConfig,
    pub(super) stage: RoundStage,
    pub(super) opened_at: Timestamp,
    pub(super) phase_started: Timestamp,
    pub(super) last_at: Timestamp,
    /// One seat per eligible member, holding their current response: one table, looked up
    /// to check a response and to record it (once for both, through `apply`).
    pub(super) seats: Seats,
    pub(super) objection_round: u32,
    pub(super) last_tally: Option<Tally>,
    pub(super) absent: Vec<MemberId>,
    pub(super) questions: Vec<Contribution>,
    pub(super) reactions: Vec<Contribution>,
    pub(super) amendments: Vec<Amendment>,
    pub(super) objections: Vec<Objection>,
    pub(super) concerns: Vec<Concern>,
    pub(super) advice_answers: BTreeMap<MemberId, String>,
    /// Extensions of the time box, in order.
    pub(super) extensions: Vec<Extension>,
    /// Roles handed on from members who left the community, in order.
    pub(super) handovers: Vec<crate::values::RoleHandover>,
    /// Time boxes passed and the configured steps taken for them, in order.
    pub(super) lapses: Vec<Lapse>,
    /// No running box ends before this (the last extension since the last lapse).
    pub(super) extended_to: Option<Timestamp>,
    /// The round deadline has passed and its configured step was taken: it no longer
    /// bounds the phases that follow a close with those heard.
    pub(super) deadline_spent: bool,
    /// Objections and concerns their members replaced with a later response before the
    /// objection round closed, in order: raised, then taken back.
    pub(super) replaced: Vec<Replaced>,
}

/// An objection or concern a member replaced with a later response in the same objection
/// round: it was raised, and the record says so.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Replaced {
    /// Who raised it.
    pub(super) member: MemberId,
    /// As an objection or a concern.
    pub(super) raised: crate::values::RaisedAs,
    /// Their words.
    pub(super) text: String,
    /// The objection round it was raised in.
    pub(super) round: u32,
    /// The supporter who recorded the later response for the member, when one did.
    pub(super) proxy: Option<MemberId>,
}

/// The state of one round: not yet opened, or opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RoundState {
    /// No event yet.
    #[default]
    NotOpened,
    /// Opened (possibly ended).
    Opened(Box<Round>),
}

impl RoundState {
    /// The phase.
    pub fn phase(&self) -> RoundPhase {
        match self {
            RoundState::NotOpened => RoundPhase::NotOpened,
            RoundState::Opened(round) => round.phase(),
        }
    }

    /// The round, once opened.
    pub fn round(&self) -> Option<&Round> {
        match self {
            RoundState::NotOpened => None,
            RoundState::Opened(round) => Some(round),
        }
    }
}

impl Round {
    /// The configuration fixed at opening.
    pub fn config(&self) -> &RoundConfig {
        &self.config
    }

    /// Where the round stands, with the data its phase owns.
    pub fn stage(&self) -> &RoundStage {
        &self.stage
    }

    /// The current phase, derived from the stage.
    #[inline]
    pub fn phase(&self) -> RoundPhase {
        self.stage.phase()
    }

    /// When the round opened.
    pub fn opened_at(&self) -> Timestamp {
        self.opened_at
    }

    /// When the last event happened.
    pub fn last_at(&self) -> Timestamp {
        self.last_at
    }

    /// The current (or last) objection round's number; 0 before the first.
    pub fn objection_round(&self) -> u32 {
        self.objection_round
    }

    /// Whether `member` is eligible to respond.
    #[inline]
    pub fn is_eligible(&self, member: MemberId) -> bool {
        self.seats.contains(member)
    }

    /// The current responses of the current objection round, by member id.
    pub fn responses(&self) -> Vec<(MemberId, &Responded)> {
        let mut out: Vec<_> = self
            .seats
            .iter()
            .filter_map(|seat| Some((seat.member, seat.response.as_ref()?)))
            .collect();
        out.sort_by_key(|(m, _)| *m);
        out
    }

    /// The response `member` currently has in this round.
    pub fn response(&self, member: MemberId) -> Option<&Responded> {
        self.seats.get(member)?.response.as_ref()
    }

    /// The count of the current responses.
    pub fn tally(&self) -> Tally {
        Tally::count(
            self.seats.len(),
            self.seats
                .iter()
                .filter_map(|seat| Some((seat.lived_experience, seat.response.as_ref()?))),
        )
    }

    /// The count at the last close, if a round has closed.
    pub fn last_tally(&self) -> Option<Tally> {
        self.last_tally
    }

    /// Members counted by the absence policy at the last close.
    pub fn absent(&self) -> &[MemberId] {
        &self.absent
    }

    /// Clarifying questions asked.
    pub fn questions(&self) -> &[Contribution] {
        &self.questions
    }

    /// Reactions given.
    pub fn reactions(&self) -> &[Contribution] {
        &self.reactions
    }

    /// Amendments made.
    pub fn amendments(&self) -> &[Amendment] {
        &self.amendments
    }

    /// Every objection raised, in order.
    pub fn objections(&self) -> &[Objection] {
        &self.objections
    }

    /// Every concern logged, in order.
    pub fn concerns(&self) -> &[Concern] {
        &self.concerns
    }

    /// The objections and concerns members raised and then replaced with a later response
    /// in the same objection round, in order: who, as what, their words, and the supporter
    /// who recorded the later response for them, if one did. They were never collected at
    /// the close, and the record keeps each as taken back.
    pub fn replaced(
        &self,
    ) -> impl Iterator<Item = (MemberId, crate::values::RaisedAs, &str, Option<MemberId>)> {
        self.replaced
            .iter()
            .map(|r| (r.member, r.raised, r.text.as_str(), r.proxy))
    }

    /// The objection being integrated: the first one still raised or valid.
    pub fn current_objection(&self) -> Option<&Objection> {
        self.objections.iter().find(|o| o.status.is_open())
    }

    /// Answers given to advice, by adviser.
    pub fn advice_answers(&self) -> &BTreeMap<MemberId, String> {
        &self.advice_answers
    }

    /// The decision that carried (or declined), once there is one.
    pub fn decision(&self) -> Option<&RoundDecision> {
        self.stage.decision()
    }

    /// Who decides alone (an advice process, a delegated decision): the member who decided,
    /// once the round has decided (whoever holds the proposer's role since); its proposer
    /// until then. `None` for a method in which a body decides.
    pub fn decider(&self) -> Option<MemberId> {
        let proposer = self.config.accountable_decider()?;
        Some(self.decision().map_or(proposer, |d| d.by))
    }

    /// How the round ended, once it has.
    pub fn ending(&self) -> Option<&Ending> {
        self.stage.ending()
    }

    /// The earliest time box still running, if any: the round deadline or the end of the
    /// current phase's box, moved to no earlier than the last extension. A deadline whose
    /// configured step was taken (a close with those heard) bounds no later phase.
    #[inline]
    pub fn time_box_end(&self) -> Option<Timestamp> {
        let phase_end = self
            .config
            .time_box
            .per_phase
            .and_then(|span| self.phase_started.checked_add(span).ok());
        let deadline = self
            .config
            .time_box
            .deadline
            .filter(|_| !self.deadline_spent);
        let end = match (deadline, phase_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match (end, self.extended_to) {
            (Some(end), Some(extended)) => Some(end.max(extended)),
            (end, _) => end,
        }
    }

    /// The time box's extensions, in order.
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The time boxes that passed and the configured steps the engine took, in order.
    pub fn lapses(&self) -> &[Lapse] {
        &self.lapses
    }

    /// Who hands `role` on, as the community stands (`gone`: whether a member has left
    /// it): the first of [`HandedRole::handed_on_by`] still in it (for the proposer's role,
    /// and who has not stepped out of the decision, `out`); of the members seated in the
    /// round, those who have not stepped out either.
    pub(crate) fn hands_on(
        &self,
        role: HandedRole,
        gone: impl Fn(&MemberId) -> bool,
        out: impl Fn(&MemberId) -> bool,
    ) -> HandsOn {
        for by in role.handed_on_by() {
            match self.config.roles.holder(*by) {
                // Who stepped out of the decision chooses nobody to take it up.
                Some(member) if role == HandedRole::Proposer && out(&member) => {}
                Some(member) if !gone(&member) => return HandsOn::Holder(*by, member),
                Some(_) => {}
                None => {
                    let seated: Vec<MemberId> = self
                        .seats
                        .iter()
                        .map(|seat| seat.member)
                        .filter(|m| !gone(m) && !out(m))
                        .collect();
                    if !seated.is_empty() {
                        return HandsOn::Seated(seated);
                    }
                }
            }
        }
        HandsOn::Nobody
    }

    /// Refuses `actor` handing `role` on unless they hold one of the roles it is handed on
    /// by, taking the caller's word on who has left.
    pub(crate) fn hand_on_check(
        &self,
        role: HandedRole,
        actor: MemberId,
    ) -> Result<(), ConsentError> {
        let attempted = "hand_on_role";
        if role
            .handed_on_by()
            .iter()
            .any(|by| self.role_check(attempted, actor, *by).is_ok())
        {
            return Ok(());
        }
        Err(RefusalKind::WrongRole {
            attempted,
            actor,
            role: match role {
                HandedRole::Secretary => "facilitator",
                HandedRole::Facilitator => "proposer, secretary or a member seated in it",
                HandedRole::Proposer => "facilitator, secretary or a member seated in it",
            },
        }
        .into())
    }

    pub(super) fn role_check(
        &self,
        attempted: &'static str,
        actor: MemberId,
        role: RoundRole,
    ) -> Result<(), ConsentError> {
        let holds = match role {
            RoundRole::Eligible => self.is_eligible(actor),
            role => self.config.roles.holder(role) == Some(actor),
        };
        if holds {
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

    pub(super) fn objection(&self, id: ObjectionId) -> Result<&Objection, ConsentError> {
        self.objections
            .iter()
            .find(|o| o.id == id)
            .ok_or(ConsentError::UnknownObjection { objection: id })
    }

    pub(super) fn current(
        &self,
        attempted: &'static str,
        id: ObjectionId,
    ) -> Result<&Objection, ConsentError> {
        let objection = self.objection(id)?;
        let current = self.current_objection().map(|o| o.id);
        if current != Some(id) {
            return Err(ConsentError::NotCurrentObjection {
                attempted,
                objection: id,
                current,
            });
        }
        Ok(objection)
    }
}
