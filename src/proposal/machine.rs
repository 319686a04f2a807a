//! The proposal decider: `decide` holds every rule, `evolve` folds the events.

use std::collections::BTreeSet;

use crate::cocreation::VersionNumber;
use crate::journal::StreamId;
use crate::machine::{
    Context, Decider, Events, RefusalKind, Transitions, need_ahead, need_clock, need_next_on_chain,
    need_phase, need_text,
};

use super::ProposalError;
use super::ProposalPhase;
use super::command::ProposalCommand;
use super::config::{Answer, ProposalRole, ProposalVersion};
use super::event::{DecisionResult, ProposalEvent, ReviewTrigger};
use super::phase::EDGES;
use super::state::{
    DecidingRound, Proposal, ProposalEnding, ProposalState, PublishedDecision, Review,
    ReviewOutcome,
};

use crate::evaluation::Evaluation;

use ProposalPhase as P;

/// The proposal decider. See the [module guide](super) for the rules.
#[derive(Debug, Clone, Copy)]
pub struct ProposalProcess;

impl Decider for ProposalProcess {
    type State = ProposalState;
    type Command = ProposalCommand;
    type Event = ProposalEvent;
    type Error = ProposalError;
    type Phase = ProposalPhase;

    const TRANSITIONS: Transitions<ProposalPhase> = Transitions {
        machine: "proposal",
        start: P::NotCreated,
        phases: ProposalPhase::ALL,
        finals: &ProposalPhase::FINAL,
        edges: EDGES,
    };

    fn initial() -> ProposalState {
        ProposalState::NotCreated
    }

    fn phase(state: &ProposalState) -> ProposalPhase {
        state.phase()
    }

    fn decide(
        state: &ProposalState,
        command: &ProposalCommand,
        ctx: &Context,
    ) -> Result<Events<ProposalEvent>, ProposalError> {
        let attempted = command.label();
        match (state, command) {
            (ProposalState::NotCreated, ProposalCommand::Create { config }) => {
                config.validate()?;
                let roles = &config.roles;
                if ctx.actor != roles.steward && !roles.proposers.contains(&ctx.actor) {
                    return Err(RefusalKind::WrongRole {
                        attempted,
                        actor: ctx.actor,
                        role: ProposalRole::ProposerOrSteward.label(),
                    }
                    .into());
                }
                Ok(Events::one(ProposalEvent::Created {
                    config: config.clone(),
                    by: ctx.actor,
                    at: ctx.now,
                }))
            }
            (ProposalState::Created(_), ProposalCommand::Create { .. }) => {
                Err(RefusalKind::AlreadyStarted { attempted }.into())
            }
            (ProposalState::NotCreated, _) => Err(RefusalKind::NotStarted { attempted }.into()),
            (ProposalState::Created(p), command) => decide_created(p, command, ctx, false),
        }
    }

    fn evolve(state: ProposalState, event: &ProposalEvent) -> ProposalState {
        match (state, event) {
            (ProposalState::NotCreated, ProposalEvent::Created { config, by, at }) => {
                ProposalState::Created(Box::new(Proposal {
                    versions: vec![ProposalVersion {
                        version: VersionNumber::new(1),
                        text: config.text.clone(),
                        answers: config.answers.clone(),
                        by: *by,
                        at: *at,
                    }],
                    config: config.as_ref().clone(),
                    phase: P::Draft,
                    created_at: *at,
                    last_at: *at,
                    items: BTreeSet::new(),
                    themes: BTreeSet::new(),
                    route: None,
                    rounds: Vec::new(),
                    adopted: None,
                    publication: None,
                    pilot_starts: None,
                    pilot_ends: None,
                    review_date: None,
                    reviews: Vec::new(),
                    ending: None,
                    evaluation: None,
                }))
            }
            (ProposalState::Created(mut p), event) => {
                evolve_created(&mut p, event);
                ProposalState::Created(p)
            }
            // Events that do not fit the state are not produced by `decide`; evolve stays
            // total by leaving the state as it is.
            (state, _) => state,
        }
    }
}

/// Records what the round deciding the proposal reached (or, under review, the review's
/// reassessment round), as an engine that witnessed the round does: the proposal's own rules
/// apply (the phase, this round, a review date ahead), but not the steward's role, since
/// nobody copies the result by hand.
pub(crate) fn record_round_result(
    state: &ProposalState,
    round: &StreamId,
    result: DecisionResult,
    ctx: &Context,
) -> Result<Events<ProposalEvent>, ProposalError> {
    witnessed_step(
        state,
        &ProposalCommand::RecordDecision {
            round: round.clone(),
            result,
        },
        ctx,
    )
}

/// Starts `round`, opened to take up the review its reassessment round escalated, in the
/// body it went to, as the review's round: the engine witnessed the escalation and the
/// take-up (see [`Process::take_up`](crate::process::Process::take_up)), so neither the
/// steward's role nor the escalation that holds the steward back applies.
pub(crate) fn take_up_review(
    state: &ProposalState,
    round: &StreamId,
    ctx: &Context,
) -> Result<Events<ProposalEvent>, ProposalError> {
    witnessed_step(
        state,
        &ProposalCommand::StartDecision {
            round: round.clone(),
        },
        ctx,
    )
}

/// `command` as the engine takes it on what it witnessed (see [`decide_created`]).
fn witnessed_step(
    state: &ProposalState,
    command: &ProposalCommand,
    ctx: &Context,
) -> Result<Events<ProposalEvent>, ProposalError> {
    match state {
        ProposalState::Created(p) => decide_created(p, command, ctx, true),
        ProposalState::NotCreated => Err(RefusalKind::NotStarted {
            attempted: command.label(),
        }
        .into()),
    }
}

/// `witnessed`: the command comes from the engine, which saw what it records.
fn decide_created(
    p: &Proposal,
    command: &ProposalCommand,
    ctx: &Context,
    witnessed: bool,
) -> Result<Events<ProposalEvent>, ProposalError> {
    let attempted = command.label();
    let phase = p.phase;
    let proposal = p.config.id;
    let (actor, now) = (ctx.actor, ctx.now);
    let need = |allowed: &[ProposalPhase]| need_phase(attempted, phase, allowed);
    // A step of the steward's own, in one of the phases `allowed`.
    let steward = |allowed: &[ProposalPhase]| -> Result<(), ProposalError> {
        need_phase(attempted, phase, allowed)?;
        p.role_check(attempted, actor, ProposalRole::Steward)
    };
    let ahead = |field: &'static str, date: jiff::Timestamp| need_ahead(field, date, now);
    need_clock(now, p.last_at)?;
    let event = match command {
        ProposalCommand::Create { .. } => {
            return Err(RefusalKind::AlreadyStarted { attempted }.into());
        }
        ProposalCommand::StartCoCreation {} => {
            steward(&[P::Draft])?;
            ProposalEvent::CoCreationStarted { by: actor, at: now }
        }
        ProposalCommand::LinkFeedback { items, themes } => {
            need(&[P::CoCreating])?;
            p.role_check(attempted, actor, ProposalRole::ProposerOrSteward)?;
            if items.is_empty() && themes.is_empty() {
                return Err(ProposalError::NothingToLink { proposal });
            }
            ProposalEvent::FeedbackLinked {
                items: items.clone(),
                themes: themes.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::Amend { text, answers } => {
            need(&[P::Draft, P::CoCreating, P::UnderReview])?;
            p.role_check(attempted, actor, ProposalRole::Proposer)?;
            need_text(attempted, "text", text)?;
            if let Some(running) = p.current_round() {
                return Err(ProposalError::RoundRunning {
                    attempted,
                    proposal,
                    round: running.round.clone(),
                });
            }
            p.not_escalated(attempted)?;
            if let Some(answer) = answers.iter().find(|a| !answerable(p, a)) {
                return Err(ProposalError::UnknownAnswer {
                    proposal,
                    answer: answer.clone(),
                });
            }
            let version = p
                .versions
                .last()
                .and_then(|v| v.version.next())
                .ok_or(ProposalError::VersionsExhausted { proposal })?;
            ProposalEvent::Amended {
                version: ProposalVersion {
                    version,
                    text: text.clone(),
                    answers: answers.clone(),
                    by: actor,
                    at: now,
                },
            }
        }
        ProposalCommand::MarkReady {} => {
            steward(&[P::CoCreating])?;
            // Co-production asks that the people affected shape a proposal before it is
            // decided: no route is taken until some feedback is linked to it.
            let answered = p
                .versions
                .iter()
                .flat_map(|v| &v.answers)
                .any(|a| matches!(a, Answer::Item { .. } | Answer::Theme { .. }));
            if p.items.is_empty() && p.themes.is_empty() && !answered {
                return Err(ProposalError::NoFeedback { proposal });
            }
            let given = ctx.route.ok_or(RefusalKind::NoRoute { attempted })?;
            let route = given
                .summary()
                .filter(|_| given.kind == p.config.kind)
                .ok_or_else(|| ProposalError::RouteNotForThis {
                    proposal,
                    kind: p.config.kind.clone(),
                    route_kind: given.kind.clone(),
                })?;
            ProposalEvent::MarkedReady {
                route,
                by: actor,
                at: now,
            }
        }
        ProposalCommand::StartDecision { round } => {
            // The engine starts one itself only for a round taking up an escalated review.
            if witnessed {
                need(&[P::UnderReview])?;
            } else {
                steward(&[P::Ready, P::InDecision, P::UnderReview])?;
            }
            if p.used(round) {
                return Err(ProposalError::RoundReused {
                    proposal,
                    round: round.clone(),
                });
            }
            // Under review, the round reassesses the standing agreement (a pilot's
            // evaluation): co-produced, as the decision was, not one steward's word.
            if let Some(current) = p.current_round() {
                return Err(ProposalError::RoundRunning {
                    attempted,
                    proposal,
                    round: current.round.clone(),
                });
            }
            if p.open_review().is_some() {
                // Escalated, the review is decided by the round taking it up where it went,
                // which the engine registers, and by no step here.
                if !witnessed {
                    p.not_escalated(attempted)?;
                }
                return Ok(Events::one(ProposalEvent::ReassessmentStarted {
                    round: round.clone(),
                    by: if witnessed {
                        crate::engine::ENGINE_ACTOR
                    } else {
                        actor
                    },
                    at: now,
                }));
            }
            ProposalEvent::DecisionStarted {
                round: round.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::RecordDecision { round, result } => {
            need(&[P::InDecision, P::UnderReview])?;
            let review = p.open_review();
            if !witnessed {
                // The steward copies in what a round kept elsewhere reached; but a first
                // decision's round withdrawn withdraws the proposal, which is its
                // proposers' alone to do (as the engine holds its own rounds to).
                let role = match (result, &review) {
                    (DecisionResult::Withdrawn {}, None) => ProposalRole::Proposer,
                    _ => ProposalRole::Steward,
                };
                p.role_check(attempted, actor, role)?;
            }
            let current = p.current_round().map(|r| &r.round);
            if current != Some(round) {
                return Err(ProposalError::NotTheCurrentRound {
                    proposal,
                    round: round.clone(),
                    current: current.cloned(),
                });
            }
            if let DecisionResult::Adopted { review_date } = result {
                ahead("review_date", *review_date)?;
            }
            if let (DecisionResult::Escalated { to }, Some(route)) = (result, ctx.route) {
                need_next_on_chain(to, &route.escalation)?;
            }
            // A result the engine saw its round reach is the engine's record; one copied in
            // from a round kept elsewhere is the steward's word.
            let by = if witnessed {
                crate::engine::ENGINE_ACTOR
            } else {
                actor
            };
            if review.is_some() {
                ProposalEvent::Reassessed {
                    round: round.clone(),
                    result: result.clone(),
                    by,
                    at: now,
                }
            } else {
                ProposalEvent::DecisionRecorded {
                    round: round.clone(),
                    result: result.clone(),
                    by,
                    at: now,
                }
            }
        }
        ProposalCommand::Publish {
            rationale,
            alternatives,
        } => {
            // An adopted decision is published to be carried out; one declined or
            // escalated is published too (rule T1 asks it of every decision), once, and
            // stays where it ended.
            if [P::Declined, P::Escalated].contains(&phase) && p.published_since_ended() {
                need(&[])?;
            }
            steward(&[P::Adopted, P::Declined, P::Escalated])?;
            // T2: a published decision states why it was taken.
            need_text(attempted, "rationale", rationale)?;
            ProposalEvent::Published {
                rationale: rationale.clone(),
                alternatives: alternatives.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::StartImplementing {} => {
            steward(&[P::Published])?;
            ProposalEvent::ImplementationStarted { by: actor, at: now }
        }
        ProposalCommand::StartPilot { ends } => {
            steward(&[P::Published])?;
            ahead("ends", *ends)?;
            ProposalEvent::PilotStarted {
                ends: *ends,
                by: actor,
                at: now,
            }
        }
        ProposalCommand::SchedulePilot { starts, lasts } => {
            steward(&[P::Published])?;
            ahead("starts", *starts)?;
            p.starts_by_review(attempted, *starts)?;
            let invalid = |reason| ProposalError::InvalidLength {
                attempted,
                field: "lasts",
                reason,
            };
            if lasts.is_negative() || lasts.is_zero() {
                return Err(invalid("must be positive"));
            }
            // The review is counted from the pilot's start, not from the decision.
            let ends = starts
                .checked_add(*lasts)
                .map_err(|_| invalid("runs past the last time the calendar holds"))?;
            ProposalEvent::PilotScheduled {
                starts: *starts,
                ends,
                by: actor,
                at: now,
            }
        }
        ProposalCommand::OpenReview {} => {
            steward(ProposalPhase::REVIEWABLE)?;
            match p.review_date {
                Some(due) if now >= due => ProposalEvent::ReviewOpened {
                    trigger: ReviewTrigger::ReviewDate {
                        due,
                        opened_by: actor,
                    },
                    at: now,
                },
                due => return Err(ProposalError::ReviewNotDue { proposal, due, now }),
            }
        }
        ProposalCommand::ObjectToStanding { reason } => {
            need(ProposalPhase::STANDING)?;
            p.role_check(attempted, actor, ProposalRole::Member)?;
            need_text(attempted, "reason", reason)?;
            ProposalEvent::ReviewOpened {
                trigger: ReviewTrigger::Objection {
                    by: actor,
                    reason: reason.clone(),
                },
                at: now,
            }
        }
        ProposalCommand::Continue { review_date } => {
            steward(&[P::UnderReview])?;
            p.by_hand(attempted)?;
            ahead("review_date", *review_date)?;
            ProposalEvent::Continued {
                review_date: *review_date,
                by: actor,
                at: now,
            }
        }
        ProposalCommand::Retire { reason } => {
            steward(&[P::UnderReview])?;
            p.by_hand(attempted)?;
            need_text(attempted, "reason", reason)?;
            ProposalEvent::Retired {
                reason: reason.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::AgreeEvaluation { plan } => {
            steward(&[P::Published, P::PilotScheduled, P::Pilot])?;
            if p.evaluation.is_some() {
                return Err(ProposalError::EvaluationAgreedAlready { proposal });
            }
            plan.check()
                .map_err(|source| ProposalError::Evaluation { proposal, source })?;
            ProposalEvent::EvaluationAgreed {
                plan: plan.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::GatherEvidence { evidence } => {
            need(&[P::Pilot, P::UnderReview])?;
            if !p.holds(actor, ProposalRole::Steward) {
                p.role_check(attempted, actor, ProposalRole::Member)?;
            }
            let Some(evaluation) = &p.evaluation else {
                return Err(ProposalError::NoEvaluation { proposal });
            };
            evaluation
                .check(evidence, now)
                .map_err(|source| ProposalError::Evaluation { proposal, source })?;
            // What a pilot's evaluation gathers is from the pilot, not from before it.
            if let Some((starts, early)) = p
                .pilot_starts
                .and_then(|s| Some((s, evidence.iter().find(|g| g.gathered_at < s)?)))
            {
                return Err(ProposalError::EvidenceBeforePilot {
                    proposal,
                    gathered_at: early.gathered_at,
                    starts,
                });
            }
            ProposalEvent::EvidenceGathered {
                evidence: evidence.clone(),
                by: actor,
                at: now,
            }
        }
        ProposalCommand::Withdraw { reason } => {
            need(ProposalPhase::WITHDRAWABLE)?;
            p.role_check(attempted, actor, ProposalRole::Proposer)?;
            need_text(attempted, "reason", reason)?;
            ProposalEvent::Withdrawn {
                reason: reason.clone(),
                by: actor,
                at: now,
            }
        }
    };
    Ok(Events::one(event))
}

/// Whether this proposal can answer `answer`: feedback and themes live in the co-creation
/// model, outside the proposal, and are taken as given; objections and concerns must come
/// from one of its own rounds, and a standing objection from one of its reviews.
fn answerable(p: &Proposal, answer: &Answer) -> bool {
    match answer {
        Answer::Item { .. } | Answer::Theme { .. } => true,
        Answer::Objection { round, .. } | Answer::Concern { round, .. } => p.used(round),
        Answer::StandingObjection { review } => p
            .reviews
            .iter()
            .any(|r| r.number == *review && matches!(r.trigger, ReviewTrigger::Objection { .. })),
    }
}

fn evolve_created(p: &mut Proposal, event: &ProposalEvent) {
    p.last_at = event.at();
    match event {
        ProposalEvent::Created { .. } => {}
        ProposalEvent::CoCreationStarted { .. } => p.phase = P::CoCreating,
        ProposalEvent::FeedbackLinked { items, themes, .. } => {
            p.items.extend(items.iter().copied());
            p.themes.extend(themes.iter().copied());
        }
        ProposalEvent::Amended { version } => {
            if p.phase == P::UnderReview {
                if let Some(review) = p.reviews.last_mut() {
                    review.outcome = Some(ReviewOutcome::Amended {
                        version: version.id(p.config.id),
                        at: version.at,
                    });
                }
                p.phase = P::CoCreating;
            }
            p.versions.push(version.clone());
        }
        ProposalEvent::MarkedReady { route, .. } => {
            p.route = Some(route.clone());
            p.phase = P::Ready;
        }
        ProposalEvent::DecisionStarted { round, at, .. } => {
            let version = p
                .versions
                .last()
                .map_or(VersionNumber::new(1), |v| v.version);
            p.rounds.push(DecidingRound {
                round: round.clone(),
                version,
                started_at: *at,
                result: None,
                decided_at: None,
                recorded_by: None,
            });
            p.phase = P::InDecision;
        }
        ProposalEvent::DecisionRecorded {
            round,
            result,
            by,
            at,
        } => {
            let mut version = None;
            if let Some(r) = p.rounds.last_mut() {
                r.result = Some(result.clone());
                r.decided_at = Some(*at);
                r.recorded_by = Some(*by);
                version = Some(r.version);
            }
            let ended = |p: &mut Proposal, phase| {
                p.phase = phase;
                p.ending = Some(ProposalEnding::Decided {
                    round: round.clone(),
                    result: result.clone(),
                    at: *at,
                });
            };
            match result {
                DecisionResult::Adopted { review_date } => {
                    let version = version.unwrap_or(VersionNumber::new(1));
                    p.adopted = Some((version, round.clone(), *at));
                    p.review_date = Some(*review_date);
                    // A new adoption (of an amendment) is published and put in force anew.
                    p.publication = None;
                    p.pilot_starts = None;
                    p.pilot_ends = None;
                    p.phase = P::Adopted;
                }
                DecisionResult::Declined {} => ended(p, P::Declined),
                DecisionResult::Withdrawn {} => ended(p, P::Withdrawn),
                DecisionResult::Escalated { .. } => ended(p, P::Escalated),
                DecisionResult::Deferred {} => {}
            }
        }
        ProposalEvent::Published {
            rationale,
            alternatives,
            at,
            ..
        } => {
            p.publication = Some(PublishedDecision {
                rationale: rationale.clone(),
                alternatives: alternatives.clone(),
                at: *at,
            });
            if p.phase == P::Adopted {
                p.phase = P::Published;
            }
        }
        ProposalEvent::ImplementationStarted { .. } => p.phase = P::Implementing,
        ProposalEvent::PilotScheduled { starts, ends, .. } => {
            p.pilot_starts = Some(*starts);
            p.pilot_ends = Some(*ends);
            p.review_date = Some(*ends);
            p.phase = P::PilotScheduled;
        }
        ProposalEvent::PilotStarted { ends, at, .. } => {
            // Started when the journal says: on its scheduled day, or later.
            p.pilot_starts = Some(*at);
            p.pilot_ends = Some(*ends);
            p.review_date = Some(*ends);
            p.phase = P::Pilot;
        }
        ProposalEvent::ReviewOpened { trigger, at } => {
            let number = u32::try_from(p.reviews.len())
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            p.reviews.push(Review {
                number,
                trigger: trigger.clone(),
                opened_at: *at,
                outcome: None,
                pilot: p.phase == P::Pilot,
                reassessments: Vec::new(),
            });
            // A pilot scheduled and not started is called off: the review decides what
            // comes next.
            if p.phase == P::PilotScheduled {
                p.pilot_starts = None;
                p.pilot_ends = None;
            }
            p.phase = P::UnderReview;
        }
        ProposalEvent::ReassessmentStarted { round, at, .. } => {
            let version = p
                .in_force()
                .or(p.versions.last())
                .map_or(VersionNumber::new(1), |v| v.version);
            if let Some(review) = p.reviews.last_mut() {
                review.reassessments.push(DecidingRound {
                    round: round.clone(),
                    version,
                    started_at: *at,
                    result: None,
                    decided_at: None,
                    recorded_by: None,
                });
            }
        }
        ProposalEvent::Reassessed {
            round,
            result,
            by,
            at,
        } => reassessed(p, round, result, *by, *at),
        ProposalEvent::Continued {
            review_date, at, ..
        } => {
            if let Some(review) = p.reviews.last_mut() {
                review.outcome = Some(ReviewOutcome::Continued {
                    review_date: *review_date,
                    at: *at,
                });
            }
            p.review_date = Some(*review_date);
            p.phase = P::Implementing;
        }
        ProposalEvent::Retired { reason, at, .. } => {
            if let Some(review) = p.reviews.last_mut() {
                review.outcome = Some(ReviewOutcome::Retired {
                    reason: reason.clone(),
                    at: *at,
                });
            }
            p.ending = Some(ProposalEnding::Retired {
                reason: reason.clone(),
                at: *at,
            });
            p.phase = P::Retired;
        }
        ProposalEvent::Withdrawn { reason, by, at } => {
            p.ending = Some(ProposalEnding::Withdrawn {
                by: *by,
                reason: reason.clone(),
                at: *at,
            });
            p.phase = P::Withdrawn;
        }
        ProposalEvent::EvaluationAgreed { plan, by, at } => {
            p.evaluation = Some(Evaluation::agreed(plan.clone(), *by, *at));
        }
        ProposalEvent::EvidenceGathered { evidence, by, at } => {
            if let Some(evaluation) = &mut p.evaluation {
                evaluation.record(evidence.clone(), *by, *at);
            }
        }
    }
}

/// What the review's reassessment round decided: consent continues the agreement until the
/// round's review date, a decline retires it; anything else leaves the review open.
fn reassessed(
    p: &mut Proposal,
    round: &StreamId,
    result: &DecisionResult,
    by: crate::community::MemberId,
    at: jiff::Timestamp,
) {
    let Some(review) = p.reviews.last_mut() else {
        return;
    };
    if let Some(r) = review.reassessments.last_mut() {
        r.result = Some(result.clone());
        r.decided_at = Some(at);
        r.recorded_by = Some(by);
    }
    match result {
        DecisionResult::Adopted { review_date } => {
            review.outcome = Some(ReviewOutcome::Continued {
                review_date: *review_date,
                at,
            });
            p.review_date = Some(*review_date);
            p.phase = P::Implementing;
        }
        DecisionResult::Declined {} => {
            let reason = format!("the reassessment round {round} declined to continue it");
            review.outcome = Some(ReviewOutcome::Retired {
                reason: reason.clone(),
                at,
            });
            p.ending = Some(ProposalEnding::Retired { reason, at });
            p.phase = P::Retired;
        }
        _ => {}
    }
}
