//! How each event changes an opened round. Total, as `evolve` must be: the rules live in
//! `decide` (see `machine`), and this only records what an event says happened.

use super::event::{CloseResult, RoundEvent};
use super::objection::{Answers, Concern, ConcernSource, Objection, ObjectionStatus};
use super::respond::record_response;
use super::stage::{Deliberation, RoundEnd, RoundStage};
use super::state::{Contribution, Ending, Extension, Lapse, Round, RoundDecision};

/// Moves `round` into `stage`; a new phase starts its time box at `at`.
fn enter(round: &mut Round, stage: RoundStage, at: jiff::Timestamp) {
    if round.phase() != stage.phase() {
        round.phase_started = at;
    }
    round.stage = stage;
}

/// Ends `round` with `ending`, keeping the decision that carried, if one did.
fn end(round: &mut Round, ending: Ending, at: jiff::Timestamp) {
    let decision = round.stage.decision().cloned();
    enter(round, RoundStage::Ended(RoundEnd { ending, decision }), at);
}

/// Folds `event` into `round`.
pub(super) fn evolve_opened(round: &mut Round, event: &RoundEvent) {
    let at = event.at();
    round.last_at = round.last_at.max(at);
    match event {
        RoundEvent::Opened { .. } => {}
        RoundEvent::Advanced { to, round: n, .. } => {
            if let Some(n) = n {
                round.objection_round = *n;
                round.seats.clear_responses();
                round.advice_answers.clear();
            }
            // `decide` advances only between deliberating phases.
            if let Ok(to) = Deliberation::try_from(*to) {
                enter(round, RoundStage::Deliberating(to), at);
            }
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
            if round.stage == RoundStage::Deliberating(Deliberation::Reactions) {
                enter(round, RoundStage::Deliberating(Deliberation::Amending), at);
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
            round.last_tally = Some(**tally);
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
                CloseResult::Objections => enter(
                    round,
                    RoundStage::Deliberating(Deliberation::Integrating),
                    *at,
                ),
                CloseResult::Consented => {
                    let decision = RoundDecision {
                        adopt: true,
                        rationale: None,
                        by: round.config.roles.facilitator,
                        at: *at,
                    };
                    enter(round, RoundStage::Consented(decision), *at);
                }
                CloseResult::Declined => end(round, Ending::Declined { at: *at }, *at),
                CloseResult::DeferredByAbsence => {
                    let reason = format!(
                        "{} eligible member(s) had not responded and the absence policy defers",
                        absent.len()
                    );
                    end(round, Ending::Deferred { reason, at: *at }, *at);
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
            let decision = RoundDecision {
                adopt: *adopt,
                rationale: Some(rationale.clone()),
                by: *by,
                at: *at,
            };
            let stage = if *adopt {
                RoundStage::Consented(decision)
            } else {
                RoundStage::Ended(RoundEnd {
                    ending: Ending::Declined { at: *at },
                    decision: Some(decision),
                })
            };
            enter(round, stage, *at);
        }
        RoundEvent::OutcomeRecorded {
            statement,
            review_date,
            by,
            at,
        } => {
            let ending = Ending::Adopted {
                statement: statement.clone(),
                review_date: *review_date,
                recorded_by: *by,
                at: *at,
            };
            end(round, ending, *at);
        }
        RoundEvent::Withdrawn { by, reason, at } => {
            let ending = Ending::Withdrawn {
                by: *by,
                reason: reason.clone(),
                at: *at,
            };
            end(round, ending, *at);
        }
        RoundEvent::Deferred { reason, at } => {
            let ending = Ending::Deferred {
                reason: reason.clone(),
                at: *at,
            };
            end(round, ending, *at);
        }
        RoundEvent::TimeBoxExtended {
            from,
            to,
            reason,
            by,
            at,
        } => {
            round.extended_to = Some(*to);
            round.extensions.push(Extension {
                from: *from,
                to: *to,
                reason: reason.clone(),
                by: *by,
                at: *at,
            });
        }
        RoundEvent::RoleHandedOn {
            role,
            from,
            to,
            reason,
            by,
            at,
        } => {
            match role {
                super::HandedRole::Secretary => round.config.roles.secretary = *to,
                super::HandedRole::Facilitator => round.config.roles.facilitator = *to,
                super::HandedRole::Proposer => round.config.roles.proposer = *to,
            }
            round.handovers.push(crate::values::RoleHandover {
                role: role.label().to_owned(),
                from: *from,
                to: *to,
                reason: reason.clone(),
                by: *by,
                at: *at,
            });
        }
        RoundEvent::TimeBoxLapsed { ended, rule, at } => {
            // Every box that had passed when the step was taken is spent: the step that
            // follows (a deferral, or a close with those heard that starts a new phase)
            // answered for all of them, and is not bound by any again. (A phase's box that
            // ends first leaves a round deadline passed by the same tick spent too.)
            if round
                .config
                .time_box
                .deadline
                .is_some_and(|deadline| deadline <= *ended.max(at))
            {
                round.deadline_spent = true;
            }
            round.extended_to = None;
            round.lapses.push(Lapse {
                ended: *ended,
                rule: *rule,
                at: *at,
            });
        }
        RoundEvent::Escalated { to, reason, at } => {
            let ending = Ending::Escalated {
                to: to.clone(),
                reason: reason.clone(),
                at: *at,
            };
            end(round, ending, *at);
        }
        RoundEvent::BrokenDown { rounds, at } => {
            end(
                round,
                Ending::BrokenDown {
                    rounds: *rounds,
                    at: *at,
                },
                *at,
            );
        }
    }
}
