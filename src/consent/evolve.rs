//! How each event changes an opened round. Total, as `evolve` must be: the rules live in
//! `decide` (see `machine`), and this only records what an event says happened.

use super::event::{CloseResult, RoundEvent};
use super::objection::{Answers, Concern, ConcernSource, Objection, ObjectionStatus};
use super::phase::RoundPhase;
use super::respond::record_response;
use super::state::{Contribution, Ending, Round, RoundDecision};

use RoundPhase as P;

/// Folds `event` into `round`.
pub(super) fn evolve_opened(round: &mut Round, event: &RoundEvent) {
    let at = event.at();
    round.last_at = round.last_at.max(at);
    let enter = |round: &mut Round, phase: RoundPhase| {
        if round.phase != phase {
            round.phase = phase;
            round.phase_started = at;
        }
    };
    match event {
        RoundEvent::Opened { .. } => {}
        RoundEvent::Advanced { to, round: n, .. } => {
            if let Some(n) = n {
                round.objection_round = *n;
                round.seats.clear_responses();
                round.advice_answers.clear();
            }
            enter(round, *to);
        }
        RoundEvent::QuestionAsked { by, question, at } => round.questions.push(Contribution {
            by: *by,
            text: question.clone(),
            at: *at,
        }),
        RoundEvent::Reacted { by, reaction, at } => round.reactions.push(Contribution {
            by: *by,
            text: reaction.clone(),
            at: *at,
        }),
        RoundEvent::Amended { amendment } => {
            for answer in &amendment.answers {
                match answer {
                    Answers::Objection { id } => {
                        if let Some(o) = round.objections.iter_mut().find(|o| o.id == *id) {
                            o.amendments.push(amendment.id);
                        }
                    }
                    Answers::Concern { id } => {
                        if let Some(c) = round.concerns.iter_mut().find(|c| c.id == *id) {
                            c.amendments.push(amendment.id);
                        }
                    }
                }
            }
            round.amendments.push(amendment.clone());
            if round.phase == P::Reactions {
                enter(round, P::Amending);
            }
        }
        RoundEvent::Responded {
            member,
            response,
            proxy,
            at,
            ..
        } => record_response(round, *member, response, *proxy, *at),
        RoundEvent::RoundClosed {
            round: n,
            tally,
            result,
            objections,
            concerns,
            absent,
            at,
        } => {
            round.last_tally = Some(*tally);
            round.absent.clone_from(absent);
            for (id, by, text) in concerns {
                round.concerns.push(Concern {
                    id: *id,
                    by: *by,
                    text: text.clone(),
                    source: ConcernSource::Response { round: *n },
                    amendments: Vec::new(),
                });
            }
            for (id, objector, reason) in objections {
                round.objections.push(Objection {
                    id: *id,
                    objector: *objector,
                    reason: reason.clone(),
                    round: *n,
                    status: ObjectionStatus::Raised,
                    test: None,
                    amendments: Vec::new(),
                    objector_confirmed: false,
                    proposer_confirmed: false,
                    abandoned_because: None,
                });
            }
            match result {
                CloseResult::Objections => enter(round, P::Integrating),
                CloseResult::Consented => {
                    round.decision = Some(RoundDecision {
                        adopt: true,
                        rationale: None,
                        by: round.config.roles.facilitator,
                        at: *at,
                    });
                    enter(round, P::Consented);
                }
                CloseResult::Declined => {
                    round.ending = Some(Ending::Declined { at: *at });
                    enter(round, P::Declined);
                }
                CloseResult::DeferredByAbsence => {
                    round.ending = Some(Ending::Deferred {
                        reason: format!(
                            "{} eligible member(s) had not responded and the absence policy defers",
                            absent.len()
                        ),
                        at: *at,
                    });
                    enter(round, P::Deferred);
                }
            }
        }
        RoundEvent::ObjectionTested {
            objection,
            test,
            concern,
        } => {
            if let Some(o) = round.objections.iter_mut().find(|o| o.id == *objection) {
                o.test = Some(test.clone());
                if test.valid {
                    o.status = ObjectionStatus::Valid;
                } else {
                    o.status = ObjectionStatus::KeptAsConcern;
                    let (by, text) = (o.objector, o.reason.clone());
                    if let Some(id) = concern {
                        round.concerns.push(Concern {
                            id: *id,
                            by,
                            text,
                            source: ConcernSource::Objection {
                                objection: *objection,
                            },
                            amendments: Vec::new(),
                        });
                    }
                }
            }
        }
        RoundEvent::ResolutionConfirmed {
            objection,
            as_objector,
            as_proposer,
            ..
        } => {
            if let Some(o) = round.objections.iter_mut().find(|o| o.id == *objection) {
                o.objector_confirmed |= as_objector;
                o.proposer_confirmed |= as_proposer;
                if o.objector_confirmed && o.proposer_confirmed {
                    o.status = ObjectionStatus::Resolved;
                }
            }
        }
        RoundEvent::ObjectionWithdrawn { objection, .. } => {
            if let Some(o) = round.objections.iter_mut().find(|o| o.id == *objection) {
                o.status = ObjectionStatus::Withdrawn;
            }
        }
        RoundEvent::ObjectionAbandoned {
            objection, reason, ..
        } => {
            if let Some(o) = round.objections.iter_mut().find(|o| o.id == *objection) {
                o.status = ObjectionStatus::Abandoned;
                o.abandoned_because = Some(reason.clone());
            }
        }
        RoundEvent::AdviceAnswered { member, answer, .. } => {
            round.advice_answers.insert(*member, answer.clone());
        }
        RoundEvent::Decided {
            adopt,
            rationale,
            by,
            at,
        } => {
            round.decision = Some(RoundDecision {
                adopt: *adopt,
                rationale: Some(rationale.clone()),
                by: *by,
                at: *at,
            });
            if *adopt {
                enter(round, P::Consented);
            } else {
                round.ending = Some(Ending::Declined { at: *at });
                enter(round, P::Declined);
            }
        }
        RoundEvent::OutcomeRecorded {
            statement,
            review_date,
            by,
            at,
        } => {
            round.ending = Some(Ending::Adopted {
                statement: statement.clone(),
                review_date: *review_date,
                recorded_by: *by,
                at: *at,
            });
            enter(round, P::Adopted);
        }
        RoundEvent::Withdrawn { by, reason, at } => {
            round.ending = Some(Ending::Withdrawn {
                by: *by,
                reason: reason.clone(),
                at: *at,
            });
            enter(round, P::Withdrawn);
        }
        RoundEvent::Deferred { reason, at } => {
            round.ending = Some(Ending::Deferred {
                reason: reason.clone(),
                at: *at,
            });
            enter(round, P::Deferred);
        }
        RoundEvent::Escalated { to, reason, at } => {
            round.ending = Some(Ending::Escalated {
                to: to.clone(),
                reason: reason.clone(),
                at: *at,
            });
            enter(round, P::Escalated);
        }
        RoundEvent::BrokenDown { rounds, at } => {
            round.ending = Some(Ending::BrokenDown {
                rounds: *rounds,
                at: *at,
            });
            enter(round, P::BrokenDown);
        }
    }
}
