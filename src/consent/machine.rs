//! The consent-round decider: `decide` holds every rule, `evolve` folds the events.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::community::MemberId;
use crate::decision::Method;
use crate::machine::Phase as _;
use crate::machine::{
    Context, Decider, Events, RefusalKind, Transitions, decide_then_evolve, need_ahead, need_clock,
    need_next_on_chain, need_phase, need_text,
};

use super::ConsentError;
use super::RoundPhase;
use super::command::RoundCommand;
use super::config::{AbsencePolicy, HandedRole, RoundConfig, RoundRole};
use super::event::{CloseResult, RoundEvent};
use super::evolve::evolve_opened;
use super::objection::{
    Amendment, AmendmentId, Answers, ConcernId, ObjectionId, ObjectionStatus, ObjectionTest,
};
use super::phase::EDGES;
use super::respond::{apply_respond, decide_respond, record_response};
use super::response::{Responded, Response, Tally};
use super::seats::Seats;
use super::stage::{Deliberation, RoundStage};
use super::state::{Round, RoundState};

use RoundPhase as P;

/// The consent-round decider. See the [module guide](super) for the rules.
#[derive(Debug, Clone, Copy)]
pub struct ConsentProcess;

impl Decider for ConsentProcess {
    type State = RoundState;
    type Command = RoundCommand;
    type Event = RoundEvent;
    type Error = ConsentError;
    type Phase = RoundPhase;

    const TRANSITIONS: Transitions<RoundPhase> = Transitions {
        machine: "consent_round",
        start: P::NotOpened,
        phases: RoundPhase::ALL,
        finals: &[
            P::Adopted,
            P::Declined,
            P::Withdrawn,
            P::Deferred,
            P::Escalated,
            P::BrokenDown,
        ],
        edges: EDGES,
    };

    fn initial() -> RoundState {
        RoundState::NotOpened
    }

    fn phase(state: &RoundState) -> RoundPhase {
        state.phase()
    }

    // Inlined into its caller with the response path below, so a response's event can be
    // built where the caller keeps it rather than copied out of a returned value.
    #[inline]
    fn decide(
        state: &RoundState,
        command: &RoundCommand,
        ctx: &Context,
    ) -> Result<Events<RoundEvent>, ConsentError> {
        // The one command a large round takes once per member: its own short path, so it
        // does not pay for the general dispatch (same checks, same order).
        if let (RoundState::Opened(round), RoundCommand::Respond { member, response }) =
            (state, command)
        {
            return decide_respond(round, *member, response, ctx);
        }
        decide_other(state, command, ctx)
    }

    // A response is checked and recorded in one step, its seat found once; everything
    // else is decided, then evolved.
    #[inline]
    fn apply(
        state: &mut RoundState,
        command: &RoundCommand,
        ctx: &Context,
    ) -> Result<Events<RoundEvent>, ConsentError> {
        if let (RoundState::Opened(round), RoundCommand::Respond { member, response }) =
            (&mut *state, command)
        {
            return apply_respond(round, *member, response, ctx);
        }
        decide_then_evolve::<Self>(state, command, ctx)
    }

    #[inline]
    fn evolve(state: RoundState, event: &RoundEvent) -> RoundState {
        match (state, event) {
            // Once per member in a large round: straight to the seat.
            (
                RoundState::Opened(mut round),
                RoundEvent::Responded {
                    member,
                    response,
                    proxy,
                    at,
                    ..
                },
            ) => {
                record_response(&mut round, *member, response, *proxy, *at);
                RoundState::Opened(round)
            }
            (state, event) => evolve_other(state, event),
        }
    }
}

/// Every command but a response (kept out of line, so the response path stays short).
#[inline(never)]
fn decide_other(
    state: &RoundState,
    command: &RoundCommand,
    ctx: &Context,
) -> Result<Events<RoundEvent>, ConsentError> {
    let attempted = command.label();
    let round = match (state, command) {
        (RoundState::NotOpened, RoundCommand::Open { config }) => {
            config.validate()?;
            // A time box that has already run out would end the round as it opens.
            if let Some(deadline) = config.time_box.deadline {
                need_ahead("time_box.deadline", deadline, ctx.now)?;
            }
            let roles = &config.roles;
            if ctx.actor != roles.proposer && ctx.actor != roles.facilitator {
                return Err(RefusalKind::WrongRole {
                    attempted,
                    actor: ctx.actor,
                    role: RoundRole::Facilitator.label(),
                }
                .into());
            }
            return Ok(Events::one(RoundEvent::Opened {
                config: config.clone(),
                by: ctx.actor,
                at: ctx.now,
            }));
        }
        (RoundState::Opened(_), RoundCommand::Open { .. } | RoundCommand::OpenOnRoute { .. }) => {
            return Err(RefusalKind::AlreadyStarted { attempted }.into());
        }
        (RoundState::NotOpened, RoundCommand::OpenOnRoute { .. }) => {
            return Err(ConsentError::NoRoute);
        }
        (RoundState::NotOpened, _) => return Err(RefusalKind::NotStarted { attempted }.into()),
        (RoundState::Opened(round), _) => round,
    };
    decide_opened(round, command, ctx)
}

/// Every event but a response (kept out of line, so the response path stays short).
#[inline(never)]
fn evolve_other(state: RoundState, event: &RoundEvent) -> RoundState {
    match (state, event) {
        (RoundState::NotOpened, RoundEvent::Opened { config, at, .. }) => {
            RoundState::Opened(Box::new(Round {
                seats: Seats::new(&config.eligible),
                config: config.as_ref().clone(),
                stage: RoundStage::Deliberating(Deliberation::Presented),
                opened_at: *at,
                phase_started: *at,
                last_at: *at,
                objection_round: 0,
                last_tally: None,
                absent: Vec::new(),
                questions: Vec::new(),
                reactions: Vec::new(),
                amendments: Vec::new(),
                objections: Vec::new(),
                concerns: Vec::new(),
                advice_answers: BTreeMap::new(),
                extensions: Vec::new(),
                handovers: Vec::new(),
                lapses: Vec::new(),
                extended_to: None,
                deadline_spent: false,
                replaced: Vec::new(),
            }))
        }
        (RoundState::Opened(mut round), event) => {
            evolve_opened(&mut round, event);
            RoundState::Opened(round)
        }
        // Events that do not fit the state are not produced by `decide`; evolve stays
        // total by leaving the state as it is.
        (state, _) => state,
    }
}

fn decide_opened(
    round: &Round,
    command: &RoundCommand,
    ctx: &Context,
) -> Result<Events<RoundEvent>, ConsentError> {
    let attempted = command.label();
    let phase = round.phase();
    let now = ctx.now;
    let actor = ctx.actor;
    // A step for the member in `role`, in one of the phases `allowed`.
    let taken_by = |role: RoundRole, allowed: &[RoundPhase]| -> Result<(), ConsentError> {
        need_phase(attempted, phase, allowed)?;
        round.role_check(attempted, actor, role)
    };
    let exit = matches!(
        command,
        RoundCommand::Withdraw { .. }
            | RoundCommand::Defer { .. }
            | RoundCommand::Escalate { .. }
            | RoundCommand::ExtendTimeBox { .. }
            | RoundCommand::HandOnRole { .. }
    );
    let boxed_out = admit(round, attempted, exit, now)?;
    let method = round.config.method;
    match command {
        RoundCommand::Open { .. } | RoundCommand::OpenOnRoute { .. } => {
            Err(RefusalKind::AlreadyStarted { attempted }.into())
        }
        RoundCommand::Advance {} => {
            round.role_check(attempted, actor, RoundRole::Facilitator)?;
            if method == Method::Delegated {
                // A delegated decision has no rounds: its decider decides once presented.
                return Err(ConsentError::MethodMismatch { attempted, method });
            }
            let (to, number) = match phase {
                P::Presented => (P::Clarifying, None),
                P::Clarifying => (P::Reactions, None),
                P::Reactions | P::Amending => (P::ObjectionRound, Some(1)),
                P::Integrating => {
                    let open: Vec<ObjectionId> = round
                        .objections
                        .iter()
                        .filter(|o| o.status.is_open())
                        .map(|o| o.id)
                        .collect();
                    if !open.is_empty() {
                        return Err(ConsentError::OpenObjections {
                            attempted,
                            objections: open,
                        });
                    }
                    if round.objection_round >= round.config.max_objection_rounds {
                        return Ok(Events::one(RoundEvent::BrokenDown {
                            rounds: round.objection_round,
                            at: now,
                        }));
                    }
                    (P::ObjectionRound, Some(round.objection_round + 1))
                }
                _ => {
                    return Err(RefusalKind::WrongPhase {
                        attempted,
                        phase: phase.label(),
                    }
                    .into());
                }
            };
            Ok(Events::one(RoundEvent::Advanced {
                to,
                round: number,
                at: now,
            }))
        }
        RoundCommand::AskQuestion { question } => {
            taken_by(RoundRole::Eligible, &[P::Clarifying])?;
            need_text(attempted, "question", question)?;
            Ok(Events::one(RoundEvent::QuestionAsked {
                by: actor,
                question: question.clone(),
                at: now,
            }))
        }
        RoundCommand::React { reaction } => {
            taken_by(RoundRole::Eligible, &[P::Reactions])?;
            need_text(attempted, "reaction", reaction)?;
            Ok(Events::one(RoundEvent::Reacted {
                by: actor,
                reaction: reaction.clone(),
                at: now,
            }))
        }
        RoundCommand::Amend { text, answers } => {
            need_phase(
                attempted,
                phase,
                &[P::Reactions, P::Amending, P::Integrating],
            )?;
            round.role_check(attempted, actor, RoundRole::Proposer)?;
            need_text(attempted, "text", text)?;
            for answer in answers {
                match answer {
                    Answers::Objection { id } => {
                        round.objection(*id)?;
                    }
                    Answers::Concern { id } => {
                        if !round.concerns.iter().any(|c| c.id == *id) {
                            return Err(ConsentError::UnknownConcern { concern: *id });
                        }
                    }
                }
            }
            let id = AmendmentId(next_id(round.amendments.len()));
            Ok(Events::one(RoundEvent::Amended {
                amendment: Amendment {
                    id,
                    text: text.clone(),
                    answers: answers.clone(),
                    at: now,
                },
            }))
        }
        RoundCommand::Respond { member, response } => decide_respond(round, *member, response, ctx),
        RoundCommand::CloseRound {} => {
            taken_by(RoundRole::Facilitator, &[P::ObjectionRound])?;
            if matches!(method, Method::AdviceProcess | Method::Delegated) {
                return Err(ConsentError::MethodMismatch { attempted, method });
            }
            Ok(Events::one(close(round, now)?))
        }
        RoundCommand::TestObjection {
            objection,
            criteria,
            reasoning,
            valid,
        } => {
            taken_by(RoundRole::Facilitator, &[P::Integrating])?;
            let o = round.current(attempted, *objection)?;
            if o.status != ObjectionStatus::Raised {
                return Err(ConsentError::ObjectionStatus {
                    attempted,
                    objection: *objection,
                    status: o.status,
                });
            }
            need_text(attempted, "reasoning", reasoning)?;
            let concern = (!valid).then(|| ConcernId(next_id(round.concerns.len())));
            Ok(Events::one(RoundEvent::ObjectionTested {
                objection: *objection,
                test: ObjectionTest {
                    criteria: criteria.iter().copied().collect(),
                    reasoning: reasoning.clone(),
                    valid: *valid,
                    tested_by: actor,
                    at: now,
                },
                concern,
            }))
        }
        RoundCommand::ConfirmResolved { objection } => {
            need_phase(attempted, phase, &[P::Integrating])?;
            let o = round.current(attempted, *objection)?;
            let as_objector = actor == o.objector;
            let as_proposer = actor == round.config.roles.proposer;
            if !as_objector && !as_proposer {
                return Err(RefusalKind::WrongRole {
                    attempted,
                    actor,
                    role: RoundRole::Objector.label(),
                }
                .into());
            }
            if as_objector && as_proposer {
                return Err(ConsentError::ConfirmedAlone {
                    objection: *objection,
                    member: actor,
                });
            }
            if o.status != ObjectionStatus::Valid {
                return Err(ConsentError::ObjectionStatus {
                    attempted,
                    objection: *objection,
                    status: o.status,
                });
            }
            if o.amendments.is_empty() {
                return Err(ConsentError::NotAmended {
                    objection: *objection,
                });
            }
            Ok(Events::one(RoundEvent::ResolutionConfirmed {
                objection: *objection,
                by: actor,
                as_objector,
                as_proposer,
                at: now,
            }))
        }
        RoundCommand::WithdrawObjection { objection } => {
            need_phase(attempted, phase, &[P::Integrating])?;
            let o = round.objection(*objection)?;
            if actor != o.objector {
                return Err(RefusalKind::WrongRole {
                    attempted,
                    actor,
                    role: RoundRole::Objector.label(),
                }
                .into());
            }
            if !o.status.is_open() {
                return Err(ConsentError::ObjectionStatus {
                    attempted,
                    objection: *objection,
                    status: o.status,
                });
            }
            Ok(Events::one(RoundEvent::ObjectionWithdrawn {
                objection: *objection,
                at: now,
            }))
        }
        RoundCommand::AbandonObjection { objection, reason } => {
            taken_by(RoundRole::Facilitator, &[P::Integrating])?;
            round.current(attempted, *objection)?;
            need_text(attempted, "reason", reason)?;
            Ok(Events::one(RoundEvent::ObjectionAbandoned {
                objection: *objection,
                reason: reason.clone(),
                at: now,
            }))
        }
        RoundCommand::AnswerAdvice { member, answer } => {
            taken_by(RoundRole::Proposer, &[P::ObjectionRound])?;
            if !matches!(
                round.response(*member),
                Some(Responded {
                    response: Response::Advice { .. },
                    ..
                })
            ) {
                return Err(ConsentError::NoAdvice { member: *member });
            }
            need_text(attempted, "answer", answer)?;
            Ok(Events::one(RoundEvent::AdviceAnswered {
                member: *member,
                answer: answer.clone(),
                at: now,
            }))
        }
        RoundCommand::Decide { adopt, rationale } => {
            round.role_check(attempted, actor, RoundRole::Proposer)?;
            match method {
                Method::Delegated => need_phase(attempted, phase, &[P::Presented])?,
                Method::AdviceProcess => {
                    need_phase(attempted, phase, &[P::ObjectionRound])?;
                    advice_taken(round)?;
                }
                _ => return Err(ConsentError::MethodMismatch { attempted, method }),
            }
            need_text(attempted, "rationale", rationale)?;
            Ok(Events::one(RoundEvent::Decided {
                adopt: *adopt,
                rationale: rationale.clone(),
                by: actor,
                at: now,
            }))
        }
        RoundCommand::RecordOutcome {
            statement,
            review_date,
        } => {
            taken_by(RoundRole::Secretary, &[P::Consented])?;
            need_text(attempted, "statement", statement)?;
            need_ahead("review_date", *review_date, now)?;
            Ok(Events::one(RoundEvent::OutcomeRecorded {
                statement: statement.clone(),
                review_date: *review_date,
                by: actor,
                at: now,
            }))
        }
        RoundCommand::Withdraw { reason } => {
            round.role_check(attempted, actor, RoundRole::Proposer)?;
            need_text(attempted, "reason", reason)?;
            Ok(Events::one(RoundEvent::Withdrawn {
                by: actor,
                reason: reason.clone(),
                at: now,
            }))
        }
        RoundCommand::Defer { reason } => {
            round.role_check(attempted, actor, RoundRole::Facilitator)?;
            if boxed_out.is_none() {
                return Err(ConsentError::TimeBoxRunning {
                    until: round.time_box_end(),
                });
            }
            need_text(attempted, "reason", reason)?;
            Ok(Events::one(RoundEvent::Deferred {
                reason: reason.clone(),
                at: now,
            }))
        }
        RoundCommand::HandOnRole { role, to, reason } => {
            // The proposer's role is done with once the round has consented: who decided
            // stays who did.
            if *role == HandedRole::Proposer && !phase.is_deliberating() {
                return Err(RefusalKind::WrongPhase {
                    attempted,
                    phase: phase.label(),
                }
                .into());
            }
            // By the member it answers to (`HandedRole::handed_on_by`): who of them has
            // left, and so which of them it falls to, is the engine's to see.
            round.hand_on_check(*role, actor)?;
            need_text(attempted, "reason", reason)?;
            let from = role.holder(&round.config.roles);
            if *to == from {
                return Err(ConsentError::RoleHeldAlready {
                    role: *role,
                    member: from,
                });
            }
            if *role == HandedRole::Proposer
                && let Some(objection) = round
                    .objections
                    .iter()
                    .find(|o| o.objector == *to && o.status.is_open())
            {
                return Err(ConsentError::ObjectorAsProposer {
                    member: *to,
                    objection: objection.id,
                });
            }
            Ok(Events::one(RoundEvent::RoleHandedOn {
                role: *role,
                from,
                to: *to,
                reason: reason.clone(),
                by: actor,
                at: now,
            }))
        }
        RoundCommand::ExtendTimeBox { until, reason } => {
            round.role_check(attempted, actor, RoundRole::Facilitator)?;
            let from = round
                .time_box_end()
                .ok_or(ConsentError::NoTimeBox { attempted })?;
            // A box that passed where the round chose a step for its end (defer, close) is
            // that step's, due since it passed: extending it would undo what the round
            // chose, as it would or would not have been undone by when a tick came.
            if let Some(deadline) =
                boxed_out.filter(|_| !round.config.time_box.at_deadline.is_none())
            {
                return Err(ConsentError::TimeBoxPassed {
                    attempted,
                    deadline,
                });
            }
            if *until <= from {
                return Err(ConsentError::ExtensionNotLater {
                    until: *until,
                    from,
                });
            }
            if *until < now {
                return Err(ConsentError::ExtensionInPast { until: *until, now });
            }
            need_text(attempted, "reason", reason)?;
            Ok(Events::one(RoundEvent::TimeBoxExtended {
                from,
                to: *until,
                reason: reason.clone(),
                by: actor,
                at: now,
            }))
        }
        RoundCommand::Escalate { to, reason } => {
            round.role_check(attempted, actor, RoundRole::Facilitator)?;
            if *to == round.config.deciding_body {
                // Escalation hands the decision to another, broader body (sociocracy's next
                // circle); handing it back to the same body is not an exit.
                return Err(ConsentError::EscalationToSelf { body: to.clone() });
            }
            // Where governance routed the round, it escalates to the next body on the map's
            // chain.
            if let Some(route) = ctx.route {
                need_next_on_chain(to, &route.escalation)?;
            }
            need_text(attempted, "reason", reason)?;
            Ok(Events::one(RoundEvent::Escalated {
                to: to.clone(),
                reason: reason.clone(),
                at: now,
            }))
        }
    }
}

/// Refuses an advice process's decision until advice was given, every piece of it answered,
/// and the round's quorum met.
pub(super) fn advice_taken(round: &Round) -> Result<(), ConsentError> {
    let responses = round.responses();
    if responses.is_empty() {
        // The advice process is seeking advice; deciding without any is a delegated
        // decision by another name.
        return Err(ConsentError::NoAdviceGiven);
    }
    let unanswered: Vec<MemberId> = responses
        .into_iter()
        .filter(|(m, r)| {
            matches!(r.response, Response::Advice { .. }) && !round.advice_answers.contains_key(m)
        })
        .map(|(m, _)| m)
        .collect();
    if !unanswered.is_empty() {
        return Err(ConsentError::AdviceUnanswered {
            members: unanswered,
        });
    }
    // The route says whose advice to seek (tier 0: a co-producer with lived experience and
    // a staff colleague): the round's quorum holds that.
    quorum_met(&round.config, &round.tally())
}

/// Refuses a count that falls short of the round's quorum: of responses, or of responses
/// from members with lived experience.
fn quorum_met(config: &RoundConfig, tally: &Tally) -> Result<(), ConsentError> {
    let required = config.quorum.required(tally.eligible);
    let lived_required = config.quorum.lived_experience_min as usize;
    if tally.responded < required || tally.lived_experience_responded < lived_required {
        return Err(ConsentError::QuorumNotMet {
            responded: tally.responded,
            required,
            lived_experience_responded: tally.lived_experience_responded,
            lived_experience_required: lived_required,
        });
    }
    Ok(())
}

/// The checks every command on an opened round passes first, in this order: the round has
/// not ended, the clock has not gone back, and no time box has passed (exits and an
/// extension of the box excepted).
/// Returns the time box that has passed, if any.
#[inline]
pub(super) fn admit(
    round: &Round,
    attempted: &'static str,
    exit: bool,
    now: Timestamp,
) -> Result<Option<Timestamp>, ConsentError> {
    let phase = round.phase();
    if !phase.is_open() {
        return Err(RefusalKind::WrongPhase {
            attempted,
            phase: phase.label(),
        }
        .into());
    }
    need_clock(now, round.last_at)?;
    let boxed_out = round.time_box_end().filter(|end| now > *end);
    if let (Some(deadline), false) = (boxed_out, exit) {
        return Err(ConsentError::TimeBoxPassed {
            attempted,
            deadline,
        });
    }
    Ok(boxed_out)
}

/// Numbers start at 1; a round never holds anywhere near `u32::MAX` items.
fn next_id(len: usize) -> u32 {
    u32::try_from(len).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// Counts the objection round and says what follows: the one place every method's close is
/// decided.
pub(super) fn close(round: &Round, now: Timestamp) -> Result<RoundEvent, ConsentError> {
    let config = &round.config;
    // One pass over the seats (the same count as `Round::tally`): the tally, who is absent,
    // and who objected or raised a concern. Only those few are sorted, so the record lists
    // them in member order.
    let mut tally = Tally {
        eligible: round.seats.len(),
        ..Tally::default()
    };
    let mut absent = Vec::new();
    let mut responses = Vec::new();
    for seat in round.seats.iter() {
        let member = seat.member;
        let Some(r) = &seat.response else {
            absent.push(member);
            continue;
        };
        tally.add(seat.lived_experience, r);
        if matches!(
            r.response,
            Response::Object { .. } | Response::ConsentWithConcern { .. }
        ) {
            responses.push((member, r));
        }
    }
    absent.sort_unstable();
    responses.sort_unstable_by_key(|(member, _)| *member);
    let mut concerns = Vec::new();
    let mut objections = Vec::new();
    for (member, r) in responses {
        match &r.response {
            Response::ConsentWithConcern { concern } => concerns.push((
                ConcernId(next_id(round.concerns.len() + concerns.len())),
                member,
                concern.clone(),
            )),
            Response::Object { reason } => objections.push((member, reason.clone())),
            _ => {}
        }
    }

    let result = if config.absence == AbsencePolicy::Defer && !absent.is_empty() {
        CloseResult::DeferredByAbsence
    } else {
        quorum_met(config, &tally)?;
        match tally.carries(config.method) {
            Some(true) => CloseResult::Consented,
            Some(false) => CloseResult::Declined,
            None if tally.objections > 0 => CloseResult::Objections,
            None => CloseResult::Consented,
        }
    };
    // Votes count objections as votes against; only consent and consensus integrate them.
    let objections = if result == CloseResult::Objections {
        objections
            .into_iter()
            .enumerate()
            .map(|(i, (member, reason))| {
                (
                    ObjectionId(next_id(round.objections.len() + i)),
                    member,
                    reason,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(RoundEvent::RoundClosed {
        round: round.objection_round,
        tally: Box::new(tally),
        result,
        objections,
        concerns,
        absent,
        at: now,
    })
}
