//! The funding decider: `decide` holds every rule, `evolve` folds the events.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::community::MemberId;
use crate::decision::{Method, Tier};
use crate::machine::Phase as _;
use crate::machine::{
    Context, Decider, Events, RefusalKind, Transitions, need_ahead, need_clock, need_next_on_chain,
    need_phase, need_text,
};
use crate::values::{FundingCondition, Restriction, SetAside};

use super::FundingError;
use super::FundingPhase;
use super::command::{FundingCommand, FundingOutcome, RoundProposes};
use super::config::FundingPolicy;
use super::event::{AdviceId, FundingEvent, RegisterListing, Requirement};
use super::phase::{EDGES, FINALS};
use super::stage::{
    Consulting, Decided, Diligence, FundingStage, Monitored, OnRegister, ReviewConcluded,
    ReviewOpened, ScreenedOut, Tiered, Withdrawal,
};
use super::state::{
    Advice, CommentWindow, CompletedCheck, DecisionTaken, Declaration, FundingDecision,
    FundingState, RoundReference,
};
use super::tier::{amount_band, screen, tier};

use FundingPhase as P;

/// The funding-decision decider. See the [module guide](super) for the rules.
#[derive(Debug, Clone, Copy)]
pub struct FundingProcess;

impl Decider for FundingProcess {
    type State = FundingState;
    type Command = FundingCommand;
    type Event = FundingEvent;
    type Error = FundingError;
    type Phase = FundingPhase;

    const TRANSITIONS: Transitions<FundingPhase> = Transitions {
        machine: "funding_decision",
        start: P::NotIdentified,
        phases: FundingPhase::ALL,
        finals: FINALS,
        edges: EDGES,
    };

    fn initial() -> FundingState {
        FundingState::NotIdentified
    }

    fn phase(state: &FundingState) -> FundingPhase {
        state.phase()
    }

    fn decide(
        state: &FundingState,
        command: &FundingCommand,
        ctx: &Context,
    ) -> Result<Events<FundingEvent>, FundingError> {
        let attempted = command.label();
        match (state, command) {
            (FundingState::NotIdentified, FundingCommand::Identify { offer, policy }) => {
                let policy = policy.as_ref().ok_or(FundingError::NoPolicy)?;
                policy.validate()?;
                offer.validate()?;
                Ok(Events::one(FundingEvent::Identified {
                    offer: offer.clone(),
                    policy: policy.clone(),
                    by: ctx.actor,
                    at: ctx.now,
                }))
            }
            (FundingState::Identified(_), FundingCommand::Identify { .. }) => {
                Err(RefusalKind::AlreadyStarted { attempted }.into())
            }
            (FundingState::NotIdentified, _) => Err(RefusalKind::NotStarted { attempted }.into()),
            (FundingState::Identified(decision), _) => decide_identified(decision, command, ctx),
        }
    }

    fn evolve(state: FundingState, event: &FundingEvent) -> FundingState {
        match (state, event) {
            (
                FundingState::NotIdentified,
                FundingEvent::Identified {
                    offer, policy, at, ..
                },
            ) => FundingState::Identified(Box::new(FundingDecision {
                offer: offer.as_ref().clone(),
                policy: policy.as_ref().clone(),
                identified_at: *at,
                last_at: *at,
                stage: FundingStage::Identified,
            })),
            (FundingState::Identified(mut d), event) => {
                evolve_identified(&mut d, event);
                FundingState::Identified(d)
            }
            // An event other than `Identified` before identification is not one `decide`
            // produces; evolve stays total and ignores it.
            (state @ FundingState::NotIdentified, _) => state,
        }
    }
}

/// What the route asks for before deciding: each consultee's advice (answered) or views,
/// the comment window and session the policy holds from their tiers, and a consent round
/// where the route decides in a round rather than by one accountable decider.
pub(super) fn requirements(tiered: &Tiered, policy: &FundingPolicy) -> Vec<Requirement> {
    let mut out = Vec::new();
    let route = tiered.route();
    for consultee in &route.consult {
        out.push(if consultee.must_be_answered() {
            Requirement::AdviceAnswered {
                body: consultee.body.clone(),
            }
        } else {
            Requirement::ViewsGathered {
                body: consultee.body.clone(),
            }
        });
    }
    let tier = route.tier();
    if tier >= policy.comment_window_from_tier {
        out.push(Requirement::CommentWindow {});
    }
    if tier >= policy.session_from_tier {
        out.push(Requirement::Session {});
    }
    if route
        .method()
        .is_some_and(|m| !matches!(m, Method::AdviceProcess | Method::Delegated))
    {
        out.push(Requirement::ConsentRound {});
    }
    out
}

/// The events that record a round held for the offer escalating the decision to `to`, in
/// the batch that escalates the round: the round recorded as not consenting, deciding
/// started, and the decision taken as an escalation to `to` (no deciders of the offer's
/// own: its record takes the round's responses). The body the matter went to decides it;
/// the offer's own process publishes the escalation, as it would one it decided itself.
///
/// # Errors
///
/// What recording the round refuses (the offer not in consultation, the clock gone back),
/// and [`RefusalKind::OffEscalationChain`] when `to` is not the next body on the offer's
/// route.
pub(super) fn escalated_by_round(
    state: &FundingState,
    reference: &str,
    proposes: Option<RoundProposes>,
    to: &crate::community::BodyId,
    ctx: &Context,
) -> Result<Events<FundingEvent>, FundingError> {
    let record = FundingCommand::RecordConsentRound {
        reference: reference.to_owned(),
        consented: false,
        proposes,
    };
    let attempted = record.label();
    let recorded = FundingProcess::decide(state, &record, ctx)?;
    let route = match state.decision().map(|d| &d.stage) {
        Some(FundingStage::Consultation(c)) => c.diligence.tiered.route(),
        _ => {
            return Err(RefusalKind::WrongPhase {
                attempted,
                phase: FundingProcess::phase(state).label(),
            }
            .into());
        }
    };
    need_next_on_chain(to, &route.escalation)?;
    let route_taken = route.summary().ok_or(RefusalKind::NoRoute { attempted })?;
    let (by, at) = (ctx.actor, ctx.now);
    let mut events = recorded.into_vec();
    events.push(FundingEvent::DecidingStarted { by, at });
    events.push(FundingEvent::Decided {
        outcome: FundingOutcome::Escalate { to: to.clone() },
        route_taken: Box::new(route_taken),
        deciders: Vec::new(),
        rationale: format!("Round `{reference}`, held for the offer, escalated it to {to}."),
        by,
        at,
    });
    Ok(events.into())
}

fn decide_identified(
    d: &FundingDecision,
    command: &FundingCommand,
    ctx: &Context,
) -> Result<Events<FundingEvent>, FundingError> {
    let attempted = command.label();
    let (actor, now) = (ctx.actor, ctx.now);
    let phase = d.phase();
    let wrong_phase: FundingError = RefusalKind::WrongPhase {
        attempted,
        phase: phase.label(),
    }
    .into();
    need_clock(now, d.last_at)?;
    let event = match command {
        FundingCommand::Identify { .. } => {
            return Err(RefusalKind::AlreadyStarted { attempted }.into());
        }
        FundingCommand::StartScreening {} => {
            need_phase(attempted, phase, &[P::Identified])?;
            FundingEvent::ScreeningStarted { by: actor, at: now }
        }
        FundingCommand::Screen {} => {
            need_phase(attempted, phase, &[P::Screening])?;
            let route = ctx.route.ok_or(RefusalKind::NoRoute { attempted })?;
            if route.kind != d.offer.kind {
                return Err(FundingError::RouteKindMismatch {
                    offer: d.offer.kind.clone(),
                    route: route.kind.clone(),
                });
            }
            let hits = screen(&d.offer, &d.policy);
            if hits.is_empty() == route.is_automatic_decline() {
                return Err(FundingError::RedLineRouteMismatch {
                    red_line: !hits.is_empty(),
                });
            }
            if hits.is_empty() {
                let triage = tier(&d.offer, &d.policy);
                if triage.tier != route.tier() {
                    return Err(FundingError::RouteTierMismatch {
                        tier: triage.tier,
                        route: route.tier(),
                    });
                }
                FundingEvent::Triaged {
                    triage,
                    route: Box::new(route.clone()),
                    by: actor,
                    at: now,
                }
            } else {
                let reasons: Vec<String> = hits.iter().map(ToString::to_string).collect();
                let listing = RegisterListing {
                    funder: d.offer.funder.clone(),
                    amount_band: amount_band(d.offer.amount, d.policy.amount_bands),
                    conditions: d.offer.conditions.clone(),
                    route: None,
                    outcome: "declined at screening".to_owned(),
                    rationale: format!("Declined automatically: {}.", reasons.join("; ")),
                    withheld_reason: None,
                    set_aside: Vec::new(),
                };
                FundingEvent::ScreenFailed {
                    hits,
                    route: Box::new(route.clone()),
                    listing: Box::new(listing),
                    by: actor,
                    at: now,
                }
            }
        }
        FundingCommand::StartDueDiligence {} => {
            let FundingStage::Triaged(tiered) = &d.stage else {
                return Err(wrong_phase);
            };
            let tier = tiered.tier();
            FundingEvent::DueDiligenceStarted {
                checks: d.policy.checks_for(&d.offer, tier).into_iter().collect(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::CompleteCheck { check, evidence } => {
            let diligence = d.stage.checking().ok_or(wrong_phase)?;
            unconflicted(d, attempted, actor)?;
            if !diligence.required.contains(check) {
                return Err(FundingError::CheckNotOnChecklist { check: *check });
            }
            if diligence.checks.contains_key(check) {
                return Err(FundingError::CheckAlreadyCompleted { check: *check });
            }
            if diligence.recused(actor) {
                return Err(FundingError::Recused {
                    attempted,
                    member: actor,
                });
            }
            need_text(attempted, "evidence", evidence)?;
            FundingEvent::CheckCompleted {
                check: *check,
                evidence: evidence.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::DeclareInterest { interest, recused } => {
            let diligence = d.stage.declaring().ok_or(wrong_phase)?;
            if let Some(text) = interest {
                need_text(attempted, "interest", text)?;
            }
            // What a member declared stands: a later declaration may add to it (step out
            // after declaring), never take it back.
            match diligence.declarations.get(&actor) {
                Some(earlier) if earlier.recused => {
                    return Err(FundingError::Recused {
                        attempted,
                        member: actor,
                    });
                }
                Some(earlier) if earlier.interest.is_some() && interest.is_none() => {
                    return Err(FundingError::InterestStands { member: actor });
                }
                _ => {}
            }
            FundingEvent::InterestDeclared {
                member: actor,
                interest: interest.clone(),
                recused: *recused,
                at: now,
            }
        }
        FundingCommand::StartConsultation {} => {
            let FundingStage::DueDiligence(diligence) = &d.stage else {
                return Err(wrong_phase);
            };
            FundingEvent::ConsultationStarted {
                requirements: requirements(diligence.tiered(), &d.policy),
                by: actor,
                at: now,
            }
        }
        FundingCommand::RecordAdvice { body, from, advice } => {
            let c = consultation(&d.stage, wrong_phase)?;
            consulted(c, body)?;
            need_text(attempted, "advice", advice)?;
            FundingEvent::AdviceRecorded {
                advice: AdviceId(next_id(c.advice.len())),
                body: body.clone(),
                from: *from,
                text: advice.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::AnswerAdvice { advice, answer } => {
            let c = consultation(&d.stage, wrong_phase)?;
            unconflicted(d, attempted, actor)?;
            let entry = advice_entry(&c.advice, *advice)
                .ok_or(FundingError::UnknownAdvice { advice: *advice })?;
            if entry.answer.is_some() {
                return Err(FundingError::AdviceAlreadyAnswered { advice: *advice });
            }
            need_text(attempted, "answer", answer)?;
            FundingEvent::AdviceAnswered {
                advice: *advice,
                answer: answer.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::OpenCommentWindow { body } => {
            let c = consultation(&d.stage, wrong_phase)?;
            consulted(c, body)?;
            if c.windows.contains_key(body) {
                return Err(FundingError::CommentWindowAlreadyOpened { body: body.clone() });
            }
            let days = i64::from(d.policy.comment_window_days);
            let closes_at = now
                .checked_add(SignedDuration::from_hours(days.saturating_mul(24)))
                .map_err(|_| FundingError::TimeOutOfRange { at: now })?;
            FundingEvent::CommentWindowOpened {
                body: body.clone(),
                closes_at,
                by: actor,
                at: now,
            }
        }
        FundingCommand::Comment { body, text } => {
            let c = consultation(&d.stage, wrong_phase)?;
            let window = c
                .windows
                .get(body)
                .ok_or_else(|| FundingError::NoCommentWindow { body: body.clone() })?;
            if now >= window.closes_at {
                return Err(FundingError::CommentWindowClosed {
                    body: body.clone(),
                    closed_at: window.closes_at,
                });
            }
            need_text(attempted, "text", text)?;
            FundingEvent::Commented {
                body: body.clone(),
                text: text.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::RecordSession { body, reference } => {
            let c = consultation(&d.stage, wrong_phase)?;
            consulted(c, body)?;
            need_text(attempted, "reference", reference)?;
            FundingEvent::SessionRecorded {
                body: body.clone(),
                reference: reference.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::RecordConsentRound {
            reference,
            consented,
            proposes,
        } => {
            need_phase(attempted, phase, &[P::Consultation])?;
            need_text(attempted, "reference", reference)?;
            if !plain_reference(reference) {
                return Err(FundingError::ReferenceNotPlain);
            }
            // One round's consent decides it: a round recorded after it would set its
            // consent aside, and a later round's objections would go unheard.
            if let Some(held) = consultation(&d.stage, wrong_phase)?
                .consent_rounds
                .iter()
                .find(|r| r.consented)
            {
                return Err(FundingError::RoundConsented {
                    reference: crate::limits::quote(&held.reference).into_owned(),
                });
            }
            FundingEvent::ConsentRoundRecorded {
                reference: reference.clone(),
                consented: *consented,
                proposes: *proposes,
                by: actor,
                at: now,
            }
        }
        FundingCommand::StartDeciding {} => {
            let c = consultation(&d.stage, wrong_phase)?;
            unconflicted(d, attempted, actor)?;
            ready_to_decide(c, attempted, now)?;
            FundingEvent::DecidingStarted { by: actor, at: now }
        }
        FundingCommand::Decide {
            outcome,
            deciders,
            rationale,
        } => {
            let FundingStage::Deciding(c) = &d.stage else {
                return Err(wrong_phase);
            };
            let route_taken =
                decide_outcome(c, &d.offer.conditions, attempted, outcome, deciders, now)?;
            need_text(attempted, "rationale", rationale)?;
            FundingEvent::Decided {
                outcome: outcome.clone(),
                route_taken: Box::new(route_taken),
                deciders: deciders.clone(),
                rationale: rationale.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::Publish { withheld_reason } => {
            // Every decision is listed with its reasons, an offer not accepted too (C4: a
            // decline is published with why); each once.
            let FundingStage::Decided(Decided {
                taken: decision, ..
            }) = &d.stage
            else {
                return Err(wrong_phase);
            };
            if let Some(reason) = withheld_reason {
                need_text(attempted, "withheld_reason", reason)?;
            }
            // What stands: the offer's conditions not set aside, then the community's; none,
            // where the offer was not accepted.
            let mut conditions = if decision.outcome.accepts() {
                standing(&d.offer.conditions, &decision.outcome)
            } else {
                Vec::new()
            };
            let mut set_aside = Vec::new();
            if let FundingOutcome::AcceptWithConditions {
                conditions: own,
                set_aside: aside,
            } = &decision.outcome
            {
                conditions.extend(own.iter().cloned());
                set_aside.clone_from(aside);
            }
            FundingEvent::Published {
                listing: Box::new(RegisterListing {
                    funder: d.offer.funder.clone(),
                    amount_band: amount_band(d.offer.amount, d.policy.amount_bands),
                    conditions,
                    route: Some(decision.route_taken.clone()),
                    outcome: decision.outcome.label().to_owned(),
                    rationale: decision.rationale.clone(),
                    withheld_reason: withheld_reason.clone(),
                    set_aside,
                }),
                by: actor,
                at: now,
            }
        }
        FundingCommand::StartMonitoring { review_date } => {
            need_phase(attempted, phase, &[P::Published])?;
            need_ahead("review_date", *review_date, now)?;
            FundingEvent::MonitoringStarted {
                review_date: *review_date,
                by: actor,
                at: now,
            }
        }
        FundingCommand::StartReview { reason } => {
            need_phase(attempted, phase, &[P::Monitoring])?;
            unconflicted(d, attempted, actor)?;
            need_text(attempted, "reason", reason)?;
            FundingEvent::ReviewStarted {
                reason: reason.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::Review { renew, rationale } => {
            need_phase(attempted, phase, &[P::UnderReview])?;
            unconflicted(d, attempted, actor)?;
            need_text(attempted, "rationale", rationale)?;
            FundingEvent::Reviewed {
                renew: *renew,
                rationale: rationale.clone(),
                by: actor,
                at: now,
            }
        }
        FundingCommand::Withdraw { reason } => {
            need_phase(attempted, phase, FundingPhase::OPEN)?;
            need_text(attempted, "reason", reason)?;
            FundingEvent::Withdrawn {
                reason: reason.clone(),
                by: actor,
                at: now,
            }
        }
    };
    Ok(Events::one(event))
}

/// A member who declared an interest in the offer and has not stepped out takes none of the
/// decision's own steps about it: its checks, answering its advice, starting its deciding,
/// its review. "Conflicts of interest are identified, handled (the conflicted person steps
/// out) and recorded" (UK charity practice): an interest declared and then acted on is not
/// handled. One who stepped out is refused as [`FundingError::Recused`] where the step
/// already refuses them, and by the engine's roles elsewhere.
fn unconflicted(
    d: &FundingDecision,
    attempted: &'static str,
    actor: MemberId,
) -> Result<(), FundingError> {
    match d.declarations().get(&actor) {
        Some(Declaration {
            interest: Some(interest),
            recused: false,
            ..
        }) => Err(FundingError::Conflicted {
            attempted,
            member: actor,
            interest: crate::limits::quote(interest).into_owned(),
        }),
        _ => Ok(()),
    }
}

/// [`unconflicted`] for a step the engine checks on the offer's behalf (a round kept
/// elsewhere, recorded by hand): the same refusal, read from the same declarations.
pub(crate) fn refuse_conflicted(
    state: &FundingState,
    attempted: &'static str,
    member: MemberId,
) -> Result<(), FundingError> {
    state
        .decision()
        .map_or(Ok(()), |d| unconflicted(d, attempted, member))
}

/// Whether `member` declared an interest in the offer and has not stepped out: they take
/// none of its own steps ([`unconflicted`]).
pub(super) fn conflicted(state: &FundingState, member: MemberId) -> bool {
    state
        .decision()
        .is_some_and(|d| unconflicted(d, "start_deciding", member).is_err())
}

/// The consultation, in the one phase that records to it.
fn consultation(
    stage: &FundingStage,
    wrong_phase: FundingError,
) -> Result<&Consulting, FundingError> {
    match stage {
        FundingStage::Consultation(c) => Ok(c),
        _ => Err(wrong_phase),
    }
}

/// Consultation inputs come only from the bodies the route names.
fn consulted(c: &Consulting, body: &crate::community::BodyId) -> Result<(), FundingError> {
    if c.diligence.tiered.route.consults(body) {
        Ok(())
    } else {
        Err(FundingError::NotConsulted { body: body.clone() })
    }
}

/// Every required check complete and every consultation requirement met.
/// Refuses deciding until every check the tier asks for is done and the consultation
/// holds all its route asks for at `now`.
pub(super) fn ready_to_decide(
    c: &Consulting,
    attempted: &'static str,
    now: Timestamp,
) -> Result<(), FundingError> {
    let missing = c.diligence.missing_checks();
    if !missing.is_empty() {
        return Err(FundingError::MissingChecks {
            attempted,
            checks: missing,
        });
    }
    let unmet = c.unmet_requirements(now);
    if !unmet.is_empty() {
        return Err(FundingError::ConsultationIncomplete {
            attempted,
            missing: unmet,
        });
    }
    Ok(())
}

fn decide_outcome(
    c: &Consulting,
    offered: &[FundingCondition],
    attempted: &'static str,
    outcome: &FundingOutcome,
    deciders: &[MemberId],
    now: Timestamp,
) -> Result<crate::values::RouteSummary, FundingError> {
    // A red-line offer never reaches deciding: the stage holds a `Tiered`, which only a
    // screen that passed makes, so no path accepts one (rule C4 takes no override).
    let diligence = &c.diligence;
    let route = &diligence.tiered.route;
    // The decision takes the route recorded at screening: the one governance gave. Its
    // summary is missing only for a route with no method, an automatic decline, which
    // screening refuses for a clear offer.
    let route_taken = route.summary().ok_or(RefusalKind::NoRoute { attempted })?;
    // It escalates to the next body on the governance map's chain for that route.
    if let FundingOutcome::Escalate { to } = outcome {
        need_next_on_chain(to, &route.escalation)?;
    }
    ready_to_decide(c, attempted, now)?;
    if deciders.is_empty() {
        return Err(FundingError::NoDeciders);
    }
    let mut named = std::collections::BTreeSet::new();
    if let Some(member) = deciders.iter().find(|m| !named.insert(**m)) {
        return Err(FundingError::DeciderTwice { member: *member });
    }
    for member in deciders {
        match diligence.declarations.get(member) {
            None => return Err(FundingError::UndeclaredDecider { member: *member }),
            Some(x) if x.recused => {
                return Err(FundingError::Recused {
                    attempted,
                    member: *member,
                });
            }
            Some(_) => {}
        }
    }
    // The rounds that said what they proposed bind the decision: a round that consented
    // (the last: none is recorded after it) decides it, both ways; until one did, no
    // outcome a round did not consent to is taken, whatever rounds came after. Deferring
    // or escalating stays open.
    if let Some(asked) = RoundProposes::of(outcome)
        && let Some((round, proposes)) = against_rounds(&c.consent_rounds, asked)
    {
        return Err(FundingError::AgainstRound {
            round: crate::limits::quote(&round.reference).into_owned(),
            proposes,
            consented: round.consented,
        });
    }
    // Where the route decides by a consent round, or a round was held for the offer all
    // the same (an advice process's decider decides in it), accepting takes its consent.
    // What a round consented to is its proposal, which may be to decline: a round that did
    // not say what it proposed counts only as the consent accepting needs.
    if outcome.accepts()
        && (c.requirements.contains(&Requirement::ConsentRound {}) || !c.consent_rounds.is_empty())
        && !c.consent_rounds.iter().any(|r| r.consented)
    {
        return Err(FundingError::ConsentNotGiven);
    }
    if let FundingOutcome::AcceptWithConditions {
        conditions,
        set_aside,
    } = outcome
    {
        check_conditions(diligence.tiered.tier(), conditions)?;
        check_set_aside(offered, set_aside)?;
    }
    Ok(route_taken)
}

/// Whether a round's `reference` reads only as itself where the record and the messages
/// quote it: no quotation mark of any script, no backtick, no break, tab or other
/// white space but a plain space, none at either end, and nothing invisible (a zero-width
/// space would make one reference look like another).
fn plain_reference(reference: &str) -> bool {
    // Double quotation marks of any script, and the corner and angle marks that stand for
    // them (single quotes are apostrophes in many a name, and break out of nothing here).
    const QUOTES: &[char] = &[
        '"', '`', '\u{ab}', '\u{bb}', '\u{201c}', '\u{201d}', '\u{201e}', '\u{201f}', '\u{2033}',
        '\u{2039}', '\u{203a}', '\u{275d}', '\u{275e}', '\u{2e42}', '\u{300c}', '\u{300d}',
        '\u{300e}', '\u{300f}', '\u{301d}', '\u{301e}', '\u{301f}', '\u{fe41}', '\u{fe42}',
        '\u{fe43}', '\u{fe44}', '\u{ff02}', '\u{ff62}', '\u{ff63}',
    ];
    // Characters that show nothing: annotation marks, and the braille blank.
    const BLANK: &[char] = &['\u{fff9}', '\u{fffa}', '\u{fffb}', '\u{2800}'];
    reference.trim() == reference
        && !reference.chars().any(|c| {
            c.is_control()
                || (c.is_whitespace() && c != ' ')
                || crate::limits::default_ignorable(c)
                || QUOTES.contains(&c)
                || BLANK.contains(&c)
        })
}

/// The round recorded for the offer whose result an outcome `asked` goes against, with what
/// it proposed: the round that consented, to another outcome; else a round that did not
/// consent to `asked`. A consent given after rounds that did not consent decides it: the
/// body agreed at last.
fn against_rounds(
    rounds: &[RoundReference],
    asked: RoundProposes,
) -> Option<(&RoundReference, RoundProposes)> {
    fn proposing(r: &RoundReference) -> Option<(&RoundReference, RoundProposes)> {
        r.proposes.map(|p| (r, p))
    }
    match rounds.iter().find(|r| r.consented).and_then(proposing) {
        Some((round, proposes)) => (proposes != asked).then_some((round, proposes)),
        None => rounds
            .iter()
            .filter_map(proposing)
            .find(|(r, p)| !r.consented && *p == asked),
    }
}

/// Each condition set aside is one of the offer's, named once, with a reason.
fn check_set_aside(
    offered: &[FundingCondition],
    set_aside: &[SetAside],
) -> Result<(), FundingError> {
    for (n, s) in set_aside.iter().enumerate() {
        let refuse = |problem| FundingError::NotAnOfferCondition {
            condition: crate::limits::quote(&s.condition).into_owned(),
            problem,
        };
        if !offered.iter().any(|c| c.text == s.condition) {
            return Err(refuse("the offer states no such condition"));
        }
        if set_aside.iter().take(n).any(|e| e.condition == s.condition) {
            return Err(refuse("it is set aside twice"));
        }
        if crate::limits::is_blank(&s.reason) {
            return Err(RefusalKind::TextRequired {
                attempted: "decide",
                field: "set_aside.reason",
            }
            .into());
        }
    }
    Ok(())
}

/// The offer's conditions that stand once `outcome` sets some aside.
pub(super) fn standing(
    offered: &[FundingCondition],
    outcome: &FundingOutcome,
) -> Vec<FundingCondition> {
    let set_aside: &[SetAside] = match outcome {
        FundingOutcome::AcceptWithConditions { set_aside, .. } => set_aside,
        _ => &[],
    };
    offered
        .iter()
        .filter(|c| !set_aside.iter().any(|s| s.condition == c.text))
        .cloned()
        .collect()
}

fn check_conditions(tier: Tier, conditions: &[FundingCondition]) -> Result<(), FundingError> {
    if conditions.is_empty() {
        return Err(FundingError::NoConditions);
    }
    if conditions.iter().any(|c| crate::limits::is_blank(&c.text)) {
        return Err(RefusalKind::TextRequired {
            attempted: "decide",
            field: "conditions",
        }
        .into());
    }
    // Rule C5: a condition restricting publication or voice is for tier 2 or higher.
    let restricts = conditions.iter().any(|c| {
        c.restricts.contains(&Restriction::Publication) || c.restricts.contains(&Restriction::Voice)
    });
    if restricts && tier < Tier::Two {
        return Err(FundingError::RestrictiveConditionBelowTierTwo { tier });
    }
    Ok(())
}

/// Advice is numbered from 1 in the order recorded, so its number is its place: a lookup
/// costs nothing however long the consultation.
fn advice_index(advice: &[Advice], id: AdviceId) -> Option<usize> {
    let i = usize::try_from(id.0).ok()?.checked_sub(1)?;
    advice.get(i).filter(|a| a.id == id).map(|_| i)
}

fn advice_entry(advice: &[Advice], id: AdviceId) -> Option<&Advice> {
    advice_index(advice, id).and_then(|i| advice.get(i))
}

/// Numbers start at 1; a decision never holds anywhere near `u32::MAX` items.
fn next_id(len: usize) -> u32 {
    u32::try_from(len).map_or(u32::MAX, |n| n.saturating_add(1))
}

fn evolve_identified(d: &mut FundingDecision, event: &FundingEvent) {
    d.last_at = d.last_at.max(event.at());
    // Most events (advice, checks, declarations, comments) record into the stage that owns
    // their data, in place; only the rest are offered to `evolve_stage`, which moves the
    // stage by value into the next phase's.
    if !record_into(&mut d.stage, event) {
        let stage = std::mem::replace(&mut d.stage, FundingStage::Identified);
        d.stage = evolve_stage(stage, event);
    }
}

/// A phase change moves the stage's data into the next stage. An event that is not one here
/// (recorded in place by [`record_into`], or not one `decide` produces in this phase) leaves
/// the stage as it is.
fn evolve_stage(stage: FundingStage, event: &FundingEvent) -> FundingStage {
    use FundingStage as S;
    match (stage, event) {
        (S::Identified, FundingEvent::ScreeningStarted { .. }) => S::Screening,
        (
            S::Screening,
            FundingEvent::ScreenFailed {
                hits,
                route,
                listing,
                at,
                ..
            },
        ) => S::DeclinedAtScreening(Box::new(ScreenedOut {
            hits: hits.clone(),
            route: route.as_ref().clone(),
            listing: (**listing).clone(),
            published_at: *at,
        })),
        (S::Screening, FundingEvent::Triaged { triage, route, .. }) => S::Triaged(Tiered {
            triage: triage.clone(),
            route: route.as_ref().clone(),
        }),
        (S::Triaged(tiered), FundingEvent::DueDiligenceStarted { checks, .. }) => {
            S::DueDiligence(Diligence {
                tiered,
                required: checks.clone(),
                checks: BTreeMap::new(),
                declarations: BTreeMap::new(),
            })
        }
        (S::DueDiligence(diligence), FundingEvent::ConsultationStarted { requirements, .. }) => {
            S::Consultation(Consulting {
                diligence,
                requirements: requirements.clone(),
                advice: Vec::new(),
                windows: BTreeMap::new(),
                sessions: Vec::new(),
                consent_rounds: Vec::new(),
            })
        }
        (S::Consultation(c), FundingEvent::DecidingStarted { .. }) => S::Deciding(c),
        (
            S::Deciding(consulting),
            FundingEvent::Decided {
                outcome,
                route_taken,
                deciders,
                rationale,
                at,
                ..
            },
        ) => S::Decided(Decided {
            consulting,
            taken: DecisionTaken {
                outcome: outcome.clone(),
                route_taken: (**route_taken).clone(),
                deciders: deciders.clone(),
                rationale: rationale.clone(),
                at: *at,
            },
        }),
        (S::Decided(decided), FundingEvent::Published { listing, at, .. }) => {
            S::Published(OnRegister {
                decided,
                listing: (**listing).clone(),
                published_at: *at,
            })
        }
        (S::Published(listed), FundingEvent::MonitoringStarted { review_date, .. }) => {
            S::Monitoring(Monitored {
                listed,
                review_date: *review_date,
            })
        }
        (S::Monitoring(monitored), FundingEvent::ReviewStarted { reason, by, at }) => {
            S::UnderReview(ReviewOpened {
                monitored,
                reason: reason.clone(),
                by: *by,
                at: *at,
            })
        }
        (
            S::UnderReview(opened),
            FundingEvent::Reviewed {
                renew,
                rationale,
                at,
                ..
            },
        ) => S::Reviewed(ReviewConcluded {
            opened,
            renew: *renew,
            rationale: rationale.clone(),
            at: *at,
        }),
        (stage, FundingEvent::Withdrawn { reason, by, at }) if stage.phase().is_open() => {
            S::Withdrawn(Withdrawal {
                before: Box::new(stage),
                reason: reason.clone(),
                by: *by,
                at: *at,
            })
        }
        // Not a phase change here: `evolve_identified` has recorded what it could.
        (stage, _) => stage,
    }
}

/// Records an event that does not change the phase into the stage that owns its data;
/// whether it did.
fn record_into(stage: &mut FundingStage, event: &FundingEvent) -> bool {
    match event {
        FundingEvent::CheckCompleted {
            check,
            evidence,
            by,
            at,
        } => {
            if let Some(diligence) = stage.checking_mut() {
                diligence.checks.insert(
                    *check,
                    CompletedCheck {
                        by: *by,
                        evidence: evidence.clone(),
                        at: *at,
                    },
                );
            }
            true
        }
        FundingEvent::InterestDeclared {
            member,
            interest,
            recused,
            at,
        } => {
            if let Some(diligence) = stage.declaring_mut() {
                diligence.declarations.insert(
                    *member,
                    Declaration {
                        interest: interest.clone(),
                        recused: *recused,
                        at: *at,
                    },
                );
            }
            true
        }
        _ => match stage {
            FundingStage::Consultation(c) => record_consulting(c, event),
            _ => false,
        },
    }
}

/// Records an event of the consultation into it; whether it was one.
fn record_consulting(c: &mut Consulting, event: &FundingEvent) -> bool {
    match event {
        FundingEvent::AdviceRecorded {
            advice,
            body,
            from,
            text,
            at,
            ..
        } => c.advice.push(Advice {
            id: *advice,
            body: body.clone(),
            from: *from,
            text: text.clone(),
            at: *at,
            answer: None,
        }),
        FundingEvent::AdviceAnswered { advice, answer, .. } => {
            let index = advice_index(&c.advice, *advice);
            if let Some(entry) = index.and_then(|i| c.advice.get_mut(i)) {
                entry.answer = Some(answer.clone());
            }
        }
        FundingEvent::CommentWindowOpened {
            body,
            closes_at,
            at,
            ..
        } => {
            c.windows.insert(
                body.clone(),
                CommentWindow {
                    opened_at: *at,
                    closes_at: *closes_at,
                    comments: Vec::new(),
                },
            );
        }
        FundingEvent::Commented { body, text, by, .. } => {
            if let Some(window) = c.windows.get_mut(body) {
                window.comments.push((*by, text.clone()));
            }
        }
        FundingEvent::SessionRecorded {
            body, reference, ..
        } => c.sessions.push((body.clone(), reference.clone())),
        FundingEvent::ConsentRoundRecorded {
            reference,
            consented,
            proposes,
            ..
        } => {
            c.consent_rounds.push(RoundReference {
                reference: reference.clone(),
                consented: *consented,
                proposes: *proposes,
            });
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::funding::Check;
    use crate::funding::typestate::tests::{ctx, triaged};

    #[test]
    fn a_member_with_an_interest_who_stayed_in_does_not_check_the_offer() {
        let two = |minute| Context::new(MemberId::new(2), ctx(minute).now);
        let dd = triaged()
            .start_due_diligence(ctx(3))
            .unwrap()
            .declare_interest(two(4), Some("Trustee of the funder".into()), false)
            .unwrap();
        let state = FundingState::Identified(Box::new(dd.decision().clone()));
        let check = FundingCommand::CompleteCheck {
            check: Check::ConflictsOfInterest,
            evidence: "No conflicts found".into(),
        };
        assert_eq!(
            FundingProcess::decide(&state, &check, &two(5)).unwrap_err(),
            FundingError::Conflicted {
                attempted: "complete_check",
                member: MemberId::new(2),
                interest: "Trustee of the funder".into(),
            }
        );
        // Anyone else may; and once member 2 steps out, the engine's roles keep them out.
        assert!(FundingProcess::decide(&state, &check, &ctx(5)).is_ok());
        let out = dd
            .declare_interest(two(6), Some("Trustee of the funder".into()), true)
            .unwrap();
        assert!(matches!(
            FundingProcess::decide(&FundingState::from(out), &check, &two(7)),
            Err(FundingError::Recused { .. })
        ));
    }

    #[test]
    fn the_graph_is_well_formed() {
        let graph = FundingProcess::graph().unwrap();
        assert!(graph.allows(P::Screening, P::Declined));
        assert!(!graph.allows(P::Declined, P::Accepted));
        assert!(!graph.allows(P::Screening, P::Accepted));
    }
}
