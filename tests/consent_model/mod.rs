//! The reference model of a consent round, written from the `consent` module guide, and the
//! commands it generates.

pub mod commands;

use std::collections::{BTreeMap, BTreeSet};

use common::consent::{at, has_lived_experience, is_eligible, may_respond_for};
use coproduction::consent::{
    AbsencePolicy, Answers, HandedRole, ObjectionId, ObjectionStatus, QuorumSize, Response,
    RoundCommand, RoundConfig, RoundPhase,
};
use coproduction::decision::Method;
use jiff::{SignedDuration, Timestamp};

use super::common;

use RoundPhase as P;

pub const PROPOSER: u64 = 1;
pub const FACILITATOR: u64 = 5;
pub const SECRETARY: u64 = 6;

// ---------------------------------------------------------------------------------------
// The reference model
// ---------------------------------------------------------------------------------------

/// A response, reduced to what the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Consent,
    Concern,
    Object,
    StandAside,
    Advice,
}

impl Kind {
    pub fn of(response: &Response) -> (Kind, Option<&str>) {
        match response {
            Response::Consent { .. } => (Kind::Consent, None),
            Response::ConsentWithConcern { concern } => (Kind::Concern, Some(concern)),
            Response::Object { reason } => (Kind::Object, Some(reason)),
            Response::StandAside { reason } => (Kind::StandAside, Some(reason)),
            Response::Advice { advice, .. } => (Kind::Advice, Some(advice)),
            other => panic!("a response the model does not know: {other:?}"),
        }
    }

    /// The guide: consent, concern and objection in every method that counts responses;
    /// stand aside only in consensus and votes; advice only in an advice process.
    pub fn allowed_by(self, method: Method) -> bool {
        let counts = !matches!(method, Method::AdviceProcess | Method::Delegated);
        match self {
            Kind::Consent | Kind::Concern | Kind::Object => counts,
            Kind::StandAside => matches!(
                method,
                Method::Consensus | Method::Majority | Method::Supermajority { .. }
            ),
            Kind::Advice => matches!(method, Method::AdviceProcess),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelObjection {
    pub objector: u64,
    pub status: ObjectionStatus,
    pub amended: bool,
    pub objector_confirmed: bool,
    pub proposer_confirmed: bool,
}

/// The reference model of one round.
#[derive(Debug, Clone)]
pub struct Model {
    pub config: Option<RoundConfig>,
    pub phase: RoundPhase,
    /// Minute of the last accepted command.
    pub last: i64,
    /// Minute the current phase began.
    pub phase_started: i64,
    pub objection_round: u32,
    pub responses: BTreeMap<u64, Kind>,
    pub answered: BTreeSet<u64>,
    pub objections: Vec<ModelObjection>,
    pub concerns: usize,
    pub amendments: usize,
    /// Whether the last command must have been taken (`None` before the first).
    pub accepted: Option<bool>,
    /// Who holds the secretary's role: the configuration's, until it is handed on.
    pub secretary: u64,
    /// Who holds the proposer's role: the configuration's, until it is handed on.
    pub proposer: u64,
}

/// One command, the member who issues it and the minute they issue it at.
#[derive(Debug, Clone)]
pub struct Step {
    pub actor: u64,
    pub minute: i64,
    pub command: RoundCommand,
}

pub fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Responses needed for a quorum of four eligible members, rounding a share up.
pub fn required(size: QuorumSize) -> usize {
    match size {
        QuorumSize::Count { min } => min as usize,
        QuorumSize::Share {
            numerator,
            denominator,
        } => {
            if denominator == 0 {
                4
            } else {
                (4 * numerator as usize).div_ceil(denominator as usize)
            }
        }
        other => panic!("a quorum the model does not know: {other:?}"),
    }
}

/// The configuration checks the guide implies: a title, somebody able to meet the quorum,
/// at least one objection round, fractions that are fractions, positive phase boxes.
pub fn valid(c: &RoundConfig) -> bool {
    let share_ok = match c.quorum.size {
        QuorumSize::Share {
            numerator,
            denominator,
        } => denominator != 0 && numerator <= denominator,
        _ => true,
    };
    let method_ok = match c.method {
        Method::Supermajority {
            numerator,
            denominator,
        } => denominator != 0 && numerator != 0 && numerator <= denominator,
        _ => true,
    };
    // A round its members decide must hear at least one of them.
    let hears_someone = matches!(c.method, Method::AdviceProcess | Method::Delegated)
        || required(c.quorum.size) > 0;
    !blank(&c.title)
        && c.max_objection_rounds > 0
        && hears_someone
        && required(c.quorum.size) <= 4
        && c.quorum.lived_experience_min <= 2
        && share_ok
        && method_ok
        && c.time_box
            .per_phase
            .is_none_or(|d| d > SignedDuration::ZERO)
}

impl Model {
    pub fn new() -> Self {
        Model {
            config: None,
            phase: P::NotOpened,
            last: 0,
            phase_started: 0,
            objection_round: 0,
            responses: BTreeMap::new(),
            answered: BTreeSet::new(),
            objections: Vec::new(),
            concerns: 0,
            amendments: 0,
            accepted: None,
            secretary: SECRETARY,
            proposer: PROPOSER,
        }
    }

    pub fn method(&self) -> Option<Method> {
        self.config.as_ref().map(|c| c.method)
    }

    /// The end of the earliest running time box: the round's deadline or the phase's.
    pub fn time_box_end(&self) -> Option<Timestamp> {
        let tb = self.config.as_ref()?.time_box;
        let phase_end = tb
            .per_phase
            .map(|span| at(self.phase_started).checked_add(span).unwrap());
        match (tb.deadline, phase_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The objection being integrated: the first one raised or valid.
    pub fn current(&self) -> Option<u32> {
        self.objections
            .iter()
            .position(|o| o.status.is_open())
            .map(|i| i as u32 + 1)
    }

    pub fn objection(&self, id: ObjectionId) -> Option<&ModelObjection> {
        (id.0 as usize)
            .checked_sub(1)
            .and_then(|i| self.objections.get(i))
    }

    pub fn objection_mut(&mut self, id: ObjectionId) -> &mut ModelObjection {
        &mut self.objections[id.0 as usize - 1]
    }

    pub fn start_objection_round(&mut self, n: u32) {
        self.phase = P::ObjectionRound;
        self.objection_round = n;
        self.responses.clear();
        self.answered.clear();
    }

    /// The model after `step`, or `None` when the rules refuse it.
    pub fn take(&self, step: &Step) -> Option<Model> {
        let actor = step.actor;
        let now = step.minute;
        let mut next = self.clone();
        let command = &step.command;

        if self.phase == P::NotOpened {
            let RoundCommand::Open { config } = command else {
                return None;
            };
            if !valid(config) || (actor != PROPOSER && actor != FACILITATOR) {
                return None;
            }
            // A time box already run out would end the round as it opens.
            if config.time_box.deadline.is_some_and(|d| d <= at(now)) {
                return None;
            }
            next.config = Some(config.as_ref().clone());
            next.phase = P::Presented;
            next.last = now;
            next.phase_started = now;
            return Some(next);
        }

        // Ended rounds take nothing; the clock never runs back.
        if !self.phase.is_open() || now < self.last {
            return None;
        }
        let boxed_out = self.time_box_end().is_some_and(|end| at(now) > end);
        let exit = matches!(
            command,
            RoundCommand::Withdraw { .. }
                | RoundCommand::Defer { .. }
                | RoundCommand::Escalate { .. }
                | RoundCommand::HandOnRole { .. }
        );
        if boxed_out && !exit {
            return None;
        }
        let config = self.config.as_ref()?;
        let method = config.method;
        let phase = self.phase;

        let taken = match command {
            RoundCommand::Open { .. } => false,
            RoundCommand::Advance {} => {
                // A delegated decision has no rounds to advance through.
                actor == FACILITATOR
                    && method != Method::Delegated
                    && match phase {
                        P::Presented => {
                            next.phase = P::Clarifying;
                            true
                        }
                        P::Clarifying => {
                            next.phase = P::Reactions;
                            true
                        }
                        P::Reactions | P::Amending => {
                            next.start_objection_round(1);
                            true
                        }
                        P::Integrating => {
                            if self.current().is_some() {
                                false
                            } else if self.objection_round >= config.max_objection_rounds {
                                next.phase = P::BrokenDown;
                                true
                            } else {
                                next.start_objection_round(self.objection_round + 1);
                                true
                            }
                        }
                        _ => false,
                    }
            }
            RoundCommand::AskQuestion { question } => {
                phase == P::Clarifying && is_eligible(actor) && !blank(question)
            }
            RoundCommand::React { reaction } => {
                phase == P::Reactions && is_eligible(actor) && !blank(reaction)
            }
            RoundCommand::Amend { text, answers } => {
                let known = answers.iter().all(|a| match a {
                    Answers::Objection { id } => self.objection(*id).is_some(),
                    Answers::Concern { id } => (1..=self.concerns).contains(&(id.0 as usize)),
                    _ => false,
                });
                let ok = matches!(phase, P::Reactions | P::Amending | P::Integrating)
                    && actor == self.proposer
                    && !blank(text)
                    && known;
                if ok {
                    next.amendments += 1;
                    for a in answers {
                        if let Answers::Objection { id } = a {
                            next.objection_mut(*id).amended = true;
                        }
                    }
                    if phase == P::Reactions {
                        next.phase = P::Amending;
                    }
                }
                ok
            }
            RoundCommand::Respond { member, response } => {
                let (kind, text) = Kind::of(response);
                let ok = phase == P::ObjectionRound
                    && is_eligible(member.get())
                    && may_respond_for(actor, member.get())
                    && kind.allowed_by(method)
                    && text.is_none_or(|t| !blank(t));
                if ok {
                    next.responses.insert(member.get(), kind);
                    next.answered.remove(&member.get());
                }
                ok
            }
            RoundCommand::CloseRound {} => {
                phase == P::ObjectionRound
                    && actor == FACILITATOR
                    && !matches!(method, Method::AdviceProcess | Method::Delegated)
                    && next.close(config)
            }
            RoundCommand::TestObjection {
                objection,
                reasoning,
                valid,
                ..
            } => {
                let ok = phase == P::Integrating
                    && actor == FACILITATOR
                    && self.current() == Some(objection.0)
                    && self
                        .objection(*objection)
                        .is_some_and(|o| o.status == ObjectionStatus::Raised)
                    && !blank(reasoning);
                if ok {
                    next.objection_mut(*objection).status = if *valid {
                        ObjectionStatus::Valid
                    } else {
                        // Holacracy: an objection that fails the tests becomes a concern.
                        next.concerns += 1;
                        ObjectionStatus::KeptAsConcern
                    };
                }
                ok
            }
            RoundCommand::ConfirmResolved { objection } => {
                let ok = phase == P::Integrating
                    && self.current() == Some(objection.0)
                    && self.objection(*objection).is_some_and(|o| {
                        (actor == o.objector || actor == self.proposer)
                            // Two people: a member who is both confirms nothing alone.
                            && !(actor == o.objector && actor == self.proposer)
                            && o.status == ObjectionStatus::Valid
                            && o.amended
                    });
                if ok {
                    let o = next.objection_mut(*objection);
                    o.objector_confirmed |= actor == o.objector;
                    o.proposer_confirmed |= actor == self.proposer;
                    if o.objector_confirmed && o.proposer_confirmed {
                        o.status = ObjectionStatus::Resolved;
                    }
                }
                ok
            }
            RoundCommand::WithdrawObjection { objection } => {
                let ok = phase == P::Integrating
                    && self
                        .objection(*objection)
                        .is_some_and(|o| actor == o.objector && o.status.is_open());
                if ok {
                    next.objection_mut(*objection).status = ObjectionStatus::Withdrawn;
                }
                ok
            }
            RoundCommand::AbandonObjection { objection, reason } => {
                let ok = phase == P::Integrating
                    && actor == FACILITATOR
                    && self.current() == Some(objection.0)
                    && !blank(reason);
                if ok {
                    next.objection_mut(*objection).status = ObjectionStatus::Abandoned;
                }
                ok
            }
            RoundCommand::AnswerAdvice { member, answer } => {
                let ok = phase == P::ObjectionRound
                    && actor == self.proposer
                    && self.responses.get(&member.get()) == Some(&Kind::Advice)
                    && !blank(answer);
                if ok {
                    next.answered.insert(member.get());
                }
                ok
            }
            RoundCommand::Decide { adopt, rationale } => {
                let when = match method {
                    Method::Delegated => phase == P::Presented,
                    Method::AdviceProcess => {
                        phase == P::ObjectionRound
                            && !self.responses.is_empty()
                            && self
                                .responses
                                .iter()
                                .filter(|(_, k)| **k == Kind::Advice)
                                .all(|(m, _)| self.answered.contains(m))
                            // The advice heard must meet the round's quorum.
                            && self.responses.len() >= required(config.quorum.size)
                            && self
                                .responses
                                .keys()
                                .filter(|m| has_lived_experience(**m))
                                .count()
                                >= config.quorum.lived_experience_min as usize
                    }
                    _ => false,
                };
                let ok = actor == self.proposer && when && !blank(rationale);
                if ok {
                    next.phase = if *adopt { P::Consented } else { P::Declined };
                }
                ok
            }
            RoundCommand::RecordOutcome {
                statement,
                review_date,
            } => {
                let ok = phase == P::Consented
                    && actor == self.secretary
                    && !blank(statement)
                    && *review_date > at(now);
                if ok {
                    next.phase = P::Adopted;
                }
                ok
            }
            RoundCommand::Withdraw { reason } => {
                let ok = actor == self.proposer && !blank(reason);
                if ok {
                    next.phase = P::Withdrawn;
                }
                ok
            }
            RoundCommand::Defer { reason } => {
                let ok = actor == FACILITATOR && boxed_out && !blank(reason);
                if ok {
                    next.phase = P::Deferred;
                }
                ok
            }
            RoundCommand::Escalate { to, reason } => {
                // Escalation goes to another body, never back to the deciding one.
                let ok = actor == FACILITATOR && !blank(reason) && *to != config.deciding_body;
                if ok {
                    next.phase = P::Escalated;
                }
                ok
            }
            // The secretary's role, by the facilitator, to another member (whether the
            // holder left the community is the engine's to see, not the round's).
            RoundCommand::HandOnRole {
                role: HandedRole::Secretary,
                to,
                reason,
            } => {
                let ok = actor == FACILITATOR && !blank(reason) && to.get() != self.secretary;
                if ok {
                    next.secretary = to.get();
                }
                ok
            }
            // The proposer's role, by the facilitator, the secretary or a seated member,
            // to another member, until the round consents (who decided stays who did).
            RoundCommand::HandOnRole {
                role: HandedRole::Proposer,
                to,
                reason,
            } => {
                let by = actor == FACILITATOR || actor == self.secretary || is_eligible(actor);
                // Not to a member holding an open objection: they would confirm it alone.
                let objects = self
                    .objections
                    .iter()
                    .any(|o| o.objector == to.get() && o.status.is_open());
                let ok = by
                    && phase != P::Consented
                    && !blank(reason)
                    && to.get() != self.proposer
                    && !objects;
                if ok {
                    next.proposer = to.get();
                }
                ok
            }
            other => panic!("a command the model does not know: {other:?}"),
        };
        if !taken {
            return None;
        }
        next.last = now;
        if next.phase != self.phase {
            next.phase_started = now;
        }
        Some(next)
    }

    /// Counts the objection round; `false` when the quorum refuses the close.
    pub fn close(&mut self, config: &RoundConfig) -> bool {
        let count = |k: Kind| self.responses.values().filter(|r| **r == k).count();
        let concerns = count(Kind::Concern);
        let consents = count(Kind::Consent) + concerns;
        let objections = count(Kind::Object);
        let responded = self.responses.len();
        let lived = self
            .responses
            .keys()
            .filter(|m| has_lived_experience(**m))
            .count();
        let outcome = if config.absence == AbsencePolicy::Defer && responded < 4 {
            P::Deferred
        } else if responded < required(config.quorum.size)
            || lived < config.quorum.lived_experience_min as usize
        {
            return false;
        } else {
            match config.method {
                Method::Majority => {
                    if consents > objections {
                        P::Consented
                    } else {
                        P::Declined
                    }
                }
                Method::Supermajority {
                    numerator,
                    denominator,
                } => {
                    let cast = consents + objections;
                    if cast > 0 && consents * denominator as usize >= numerator as usize * cast {
                        P::Consented
                    } else {
                        P::Declined
                    }
                }
                _ if objections > 0 => P::Integrating,
                _ => P::Consented,
            }
        };
        // Concerns are recorded whatever the outcome; objections only where they are
        // integrated (in a vote they are votes against).
        self.concerns += concerns;
        if outcome == P::Integrating {
            for (member, kind) in &self.responses {
                if *kind == Kind::Object {
                    self.objections.push(ModelObjection {
                        objector: *member,
                        status: ObjectionStatus::Raised,
                        amended: false,
                        objector_confirmed: false,
                        proposer_confirmed: false,
                    });
                }
            }
        }
        self.phase = outcome;
        true
    }
}
