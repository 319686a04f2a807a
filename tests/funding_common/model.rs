//! The reference model of the funding rules, and the generators of steps for
//! proptest-state-machine.
//!
//! The model is a small, independent statement of the rules: which commands are taken in
//! which phase, with which data, and where each leads. Generated runs mix the commands the
//! current phase expects (so runs reach deciding, acceptance and review) with arbitrary ones
//! (so refusals are exercised everywhere).

use std::collections::{BTreeMap, BTreeSet};

use coproduction::community::{BodyId, MemberId};
use coproduction::decision::{Method, Tier};
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingOutcome, FundingPhase, Requirement, RoundProposes,
    screen as red_lines, tier,
};
use coproduction::values::{FundingCondition, Restriction};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::*;

use FundingPhase as P;

#[derive(Debug, Clone)]
pub struct Step {
    pub command: FundingCommand,
    pub actor: u64,
    pub minute: i64,
    /// The offer whose route the context carries: usually the decision's own, as an engine
    /// gives it, now and then another's, as a caller without an engine might.
    pub route: usize,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub phase: FundingPhase,
    pub last: i64,
    pub offer: usize,
    pub hits: bool,
    pub tier: Tier,
    pub required: BTreeSet<Check>,
    pub done: BTreeSet<Check>,
    /// Member -> recused.
    pub declared: BTreeMap<u64, bool>,
    /// Members who declared an interest: what they declared stands.
    pub interested: BTreeSet<u64>,
    pub requirements: Vec<Requirement>,
    /// Body, answered.
    pub advice: Vec<(BodyId, bool)>,
    /// Body -> the minute its window closes.
    pub windows: BTreeMap<BodyId, i64>,
    pub sessions: BTreeSet<BodyId>,
    pub round: Option<bool>,
    /// Every round recorded: what it proposed, if it said, and whether it consented.
    pub rounds: Vec<(Option<RoundProposes>, bool)>,
    /// The offer whose route the decision was screened on.
    pub screened: usize,
    pub accepted: Option<bool>,
    /// Whether the decision's register entry is published (a red line's at the screen).
    pub listed: bool,
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

impl Model {
    pub fn new() -> Self {
        Self {
            phase: P::NotIdentified,
            last: 0,
            offer: 0,
            hits: false,
            tier: Tier::Zero,
            required: BTreeSet::new(),
            done: BTreeSet::new(),
            declared: BTreeMap::new(),
            interested: BTreeSet::new(),
            requirements: Vec::new(),
            advice: Vec::new(),
            windows: BTreeMap::new(),
            sessions: BTreeSet::new(),
            round: None,
            rounds: Vec::new(),
            listed: false,
            screened: 0,
            accepted: None,
        }
    }

    fn consults(&self, body: &BodyId) -> bool {
        route(self.offer).consult.iter().any(|c| &c.body == body)
    }

    pub fn met(&self, r: &Requirement, minute: i64) -> bool {
        match r {
            Requirement::AdviceAnswered { body } => {
                let from: Vec<_> = self.advice.iter().filter(|(b, _)| b == body).collect();
                !from.is_empty() && from.iter().all(|(_, answered)| *answered)
            }
            Requirement::ViewsGathered { body } => {
                self.windows.get(body).is_some_and(|c| *c <= minute) || self.sessions.contains(body)
            }
            Requirement::CommentWindow {} => self.windows.values().any(|c| *c <= minute),
            Requirement::Session {} => !self.sessions.is_empty(),
            Requirement::ConsentRound {} => self.round.is_some(),
            _ => false,
        }
    }

    /// Whether `member` declared an interest and stayed in: they take none of the
    /// decision's own steps about the offer.
    fn conflicted(&self, member: u64) -> bool {
        self.interested.contains(&member) && self.declared.get(&member) == Some(&false)
    }

    fn ready(&self, minute: i64) -> bool {
        self.required.is_subset(&self.done) && self.requirements.iter().all(|r| self.met(r, minute))
    }

    /// The model after `step`, or `None` when the rules refuse it.
    fn take(&self, step: &Step) -> Option<Model> {
        let mut m = self.clone();
        let (actor, minute) = (step.actor, step.minute);
        let phase = self.phase;
        let is = |allowed: &[FundingPhase]| allowed.contains(&phase);
        if phase == P::NotIdentified {
            let FundingCommand::Identify { offer, .. } = &step.command else {
                return None;
            };
            m.offer = (0..OFFERS).find(|&i| super::offer(i) == **offer)?;
            m.phase = P::Identified;
            m.last = minute;
            return Some(m);
        }
        if minute < self.last {
            return None;
        }
        m.last = minute;
        match &step.command {
            FundingCommand::Identify { .. } => return None,
            FundingCommand::StartScreening {} if is(&[P::Identified]) => m.phase = P::Screening,
            FundingCommand::Screen {} if is(&[P::Screening]) => {
                let r = route(step.route);
                m.screened = step.route;
                let offer = super::offer(self.offer);
                let hits = !red_lines(&offer, seed_policy()).is_empty();
                if hits != r.is_automatic_decline() {
                    return None;
                }
                m.hits = hits;
                if hits {
                    m.phase = P::Declined;
                    m.listed = true;
                } else {
                    m.tier = tier(&offer, seed_policy()).tier;
                    if r.tier() != m.tier {
                        return None;
                    }
                    m.phase = P::Triaged;
                }
            }
            FundingCommand::StartDueDiligence {} if is(&[P::Triaged]) => {
                m.required = seed_policy().checklists.for_tier(self.tier).clone();
                // Conditions are read whatever the tier.
                if !super::offer(self.offer).conditions.is_empty() {
                    m.required.insert(Check::Conditions);
                }
                m.phase = P::DueDiligence;
            }
            FundingCommand::CompleteCheck { check, evidence }
                if is(&[P::DueDiligence, P::Consultation]) =>
            {
                if self.conflicted(actor)
                    || !self.required.contains(check)
                    || self.done.contains(check)
                    || self.declared.get(&actor) == Some(&true)
                    || blank(evidence)
                {
                    return None;
                }
                m.done.insert(*check);
            }
            FundingCommand::DeclareInterest { interest, recused }
                if is(&[P::DueDiligence, P::Consultation, P::Deciding]) =>
            {
                if interest.as_deref().is_some_and(blank) {
                    return None;
                }
                // What was declared stands: no taking back a recusal or an interest.
                if self.declared.get(&actor) == Some(&true)
                    || (self.interested.contains(&actor) && interest.is_none())
                {
                    return None;
                }
                m.declared.insert(actor, *recused);
                if interest.is_some() {
                    m.interested.insert(actor);
                }
            }
            FundingCommand::StartConsultation {} if is(&[P::DueDiligence]) => {
                let route = route(self.offer);
                let mut reqs: Vec<Requirement> = route
                    .consult
                    .iter()
                    .map(|c| {
                        if c.must_be_answered() {
                            Requirement::AdviceAnswered {
                                body: c.body.clone(),
                            }
                        } else {
                            Requirement::ViewsGathered {
                                body: c.body.clone(),
                            }
                        }
                    })
                    .collect();
                if self.tier >= Tier::One {
                    reqs.push(Requirement::CommentWindow {});
                }
                if self.tier >= Tier::Two {
                    reqs.push(Requirement::Session {});
                }
                if route.method() == Some(Method::Consent) {
                    reqs.push(Requirement::ConsentRound {});
                }
                m.requirements = reqs;
                m.phase = P::Consultation;
            }
            FundingCommand::RecordAdvice { body, advice, .. } if is(&[P::Consultation]) => {
                if !self.consults(body) || blank(advice) {
                    return None;
                }
                m.advice.push((body.clone(), false));
            }
            FundingCommand::AnswerAdvice { advice, answer } if is(&[P::Consultation]) => {
                if self.conflicted(actor) {
                    return None;
                }
                let i = (advice.0 as usize).checked_sub(1)?;
                match self.advice.get(i) {
                    Some((_, false)) if !blank(answer) => {
                        if let Some(entry) = m.advice.get_mut(i) {
                            entry.1 = true;
                        }
                    }
                    _ => return None,
                }
            }
            FundingCommand::OpenCommentWindow { body } if is(&[P::Consultation]) => {
                if !self.consults(body) || self.windows.contains_key(body) {
                    return None;
                }
                m.windows.insert(body.clone(), minute + 7 * DAY);
            }
            FundingCommand::Comment { body, text } if is(&[P::Consultation]) => {
                let closes = self.windows.get(body)?;
                if minute >= *closes || blank(text) {
                    return None;
                }
            }
            FundingCommand::RecordSession { body, reference } if is(&[P::Consultation]) => {
                if !self.consults(body) || blank(reference) {
                    return None;
                }
                m.sessions.insert(body.clone());
            }
            FundingCommand::RecordConsentRound {
                reference,
                consented,
                proposes,
            } if is(&[P::Consultation]) => {
                // A reference the record quotes: plain, with no quotation marks,
                // backticks or line breaks.
                if blank(reference)
                    || reference.contains(['"', '`'])
                    || reference.chars().any(char::is_control)
                {
                    return None;
                }
                // One round's consent decides it: none is recorded after it.
                if self.round == Some(true) {
                    return None;
                }
                m.round = Some(*consented);
                m.rounds.push((*proposes, *consented));
            }
            FundingCommand::StartDeciding {} if is(&[P::Consultation]) => {
                if self.conflicted(actor) || !self.ready(minute) {
                    return None;
                }
                m.phase = P::Deciding;
            }
            FundingCommand::Decide {
                outcome,
                deciders,
                rationale,
            } if is(&[P::Deciding]) => {
                if !self.ready(minute)
                    || deciders.is_empty()
                    || (1..deciders.len()).any(|i| deciders[..i].contains(&deciders[i]))
                    || deciders
                        .iter()
                        .any(|d| self.declared.get(&d.get()) != Some(&false))
                    || blank(rationale)
                {
                    return None;
                }
                if let FundingOutcome::Escalate { to } = outcome
                    && route(self.screened).escalation.first() != Some(to)
                {
                    return None;
                }
                // The round that consented to what it proposed decides it; until one did, no
                // outcome a round did not consent to.
                if let Some(asked) = RoundProposes::of(outcome) {
                    let consented = self.rounds.iter().find(|(_, c)| *c);
                    let against = match consented.and_then(|(p, _)| *p) {
                        Some(p) => p != asked,
                        None => self.rounds.iter().any(|(p, c)| !c && *p == Some(asked)),
                    };
                    if against {
                        return None;
                    }
                }
                let accepts = outcome.accepts();
                // A round recorded for the offer binds acceptance, whatever the route asks.
                if accepts
                    && (self.requirements.contains(&Requirement::ConsentRound {})
                        || self.round.is_some())
                    && self.round != Some(true)
                {
                    return None;
                }
                m.phase = match outcome {
                    FundingOutcome::Accept {} => P::Accepted,
                    FundingOutcome::AcceptWithConditions {
                        conditions,
                        set_aside,
                    } => {
                        let restricts = conditions.iter().any(|c| !c.restricts.is_empty());
                        if conditions.is_empty() || (restricts && self.tier < Tier::Two) {
                            return None;
                        }
                        // Only the offer's own conditions can be set aside, each once.
                        let offered = super::offer(self.offer).conditions;
                        let named = |s: &coproduction::values::SetAside| {
                            offered.iter().any(|c| c.text == s.condition)
                        };
                        let once: BTreeSet<&str> =
                            set_aside.iter().map(|s| s.condition.as_str()).collect();
                        if !set_aside.iter().all(named) || once.len() < set_aside.len() {
                            return None;
                        }
                        P::AcceptedWithConditions
                    }
                    FundingOutcome::Decline {} => P::Declined,
                    FundingOutcome::Defer {} => P::Deferred,
                    _ => P::Escalated,
                };
            }
            FundingCommand::Publish { .. } if is(&[P::Accepted, P::AcceptedWithConditions]) => {
                m.phase = P::Published;
                m.listed = true;
            }
            // A decision not to accept is listed once, and stays what it was.
            FundingCommand::Publish { .. }
                if is(&[P::Declined, P::Deferred, P::Escalated]) && !self.listed =>
            {
                m.listed = true;
            }
            FundingCommand::StartMonitoring { review_date } if is(&[P::Published]) => {
                if *review_date <= ctx(actor, minute).now {
                    return None;
                }
                m.phase = P::Monitoring;
            }
            FundingCommand::StartReview { reason } if is(&[P::Monitoring]) => {
                if self.conflicted(actor) || blank(reason) {
                    return None;
                }
                m.phase = P::UnderReview;
            }
            FundingCommand::Review { renew, rationale } if is(&[P::UnderReview]) => {
                if self.conflicted(actor) || blank(rationale) {
                    return None;
                }
                m.phase = if *renew { P::Renewed } else { P::Ended };
            }
            FundingCommand::Withdraw { reason } if phase.is_open() => {
                if blank(reason) {
                    return None;
                }
                m.phase = P::Withdrawn;
            }
            _ => return None,
        }
        Some(m)
    }
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// What a recorded round proposed: mostly nothing said, else either way.
fn proposes() -> BoxedStrategy<Option<RoundProposes>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(RoundProposes::Accept)),
        1 => Just(Some(RoundProposes::Decline)),
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![9 => Just("Because".to_owned()), 1 => Just("  ".to_owned())].boxed()
}

const BODIES: [&str; 4] = [
    "associate_roles_team",
    "allies_group",
    "whole_community",
    "staff_team",
];

fn any_body() -> BoxedStrategy<BodyId> {
    prop::sample::select(&BODIES[..]).prop_map(body).boxed()
}

/// A body the route consults, mostly.
/// Mostly a body whose comment window is open, now and then any consulted body.
fn window_body(m: &Model) -> BoxedStrategy<BodyId> {
    let open: Vec<BodyId> = m.windows.keys().cloned().collect();
    if open.is_empty() {
        consulted_body(m)
    } else {
        prop_oneof![3 => prop::sample::select(open), 1 => consulted_body(m)].boxed()
    }
}

fn consulted_body(m: &Model) -> BoxedStrategy<BodyId> {
    let bodies: Vec<BodyId> = route(m.offer)
        .consult
        .iter()
        .map(|c| c.body.clone())
        .collect();
    if bodies.is_empty() {
        any_body()
    } else {
        prop_oneof![4 => prop::sample::select(bodies), 1 => any_body()].boxed()
    }
}

fn condition() -> BoxedStrategy<FundingCondition> {
    prop_oneof![
        3 => Just(FundingCondition { text: "Publish in full".into(), restricts: BTreeSet::new() }),
        1 => Just(FundingCondition {
            text: "No public comment".into(),
            restricts: [Restriction::Voice].into(),
        }),
    ]
    .boxed()
}

/// A condition set aside: mostly none, sometimes the restricting offer's (the only offer
/// with one), now and then one no offer states.
fn set_aside() -> BoxedStrategy<coproduction::values::SetAside> {
    prop_oneof![
        3 => Just("The foundation reviews findings before publication"),
        1 => Just("A condition nobody offered"),
    ]
    .prop_map(|condition| coproduction::values::SetAside {
        condition: condition.into(),
        reason: "Our condition replaces it".into(),
    })
    .boxed()
}

fn outcome() -> BoxedStrategy<FundingOutcome> {
    prop_oneof![
        3 => Just(FundingOutcome::Accept {}),
        4 => (prop::collection::vec(condition(), 0..3), prop::collection::vec(set_aside(), 0..3))
            .prop_map(|(conditions, set_aside)| FundingOutcome::AcceptWithConditions {
                conditions,
                set_aside,
            }),
        2 => Just(FundingOutcome::Decline {}),
        2 => Just(FundingOutcome::Defer {}),
        // Mostly to the next body on the map's chains (the decision circle's is the whole
        // community, the staff team's the decision circle), now and then past it or off them.
        3 => prop_oneof![
            2 => Just(body("whole_community")),
            2 => Just(body("decision_circle")),
            1 => Just(body("institution_committee")),
        ]
        .prop_map(|to| FundingOutcome::Escalate { to }),
    ]
    .boxed()
}

fn deciders(m: &Model) -> BoxedStrategy<Vec<MemberId>> {
    let fit: Vec<u64> = m
        .declared
        .iter()
        .filter(|(_, recused)| !**recused)
        .map(|(d, _)| *d)
        .collect();
    let any = prop::collection::vec(1u64..=6, 0..3)
        .prop_map(|v| v.into_iter().map(MemberId::new).collect())
        .boxed();
    if fit.is_empty() {
        any
    } else {
        let n = fit.len();
        prop_oneof![
            4 => prop::sample::subsequence(fit, 1..=n)
                .prop_map(|v| v.into_iter().map(MemberId::new).collect()),
            1 => any,
        ]
        .boxed()
    }
}

fn check(m: &Model) -> BoxedStrategy<Check> {
    let missing: Vec<Check> = m.required.difference(&m.done).copied().collect();
    if missing.is_empty() {
        prop::sample::select(&Check::ALL[..]).boxed()
    } else {
        prop_oneof![5 => prop::sample::select(missing), 1 => prop::sample::select(&Check::ALL[..])]
            .boxed()
    }
}

/// A command of any kind, with arbitrary data: mostly refused. Built once per thread: it
/// does not depend on the model, and building strategies dominates the run time.
fn any_command() -> BoxedStrategy<FundingCommand> {
    thread_local! {
        static ANY: BoxedStrategy<FundingCommand> = prop_oneof![
            (0..OFFERS).prop_map(identify),
            Just(FundingCommand::StartScreening {}),
            Just(screen()),
            Just(FundingCommand::StartDueDiligence {}),
            Just(FundingCommand::StartConsultation {}),
            Just(FundingCommand::StartDeciding {}),
            (any_body(), text()).prop_map(|(body, reference)| FundingCommand::RecordSession { body, reference }),
            (outcome(), prop::collection::vec(1u64..=6, 0..3)).prop_map(|(outcome, deciders)| {
                FundingCommand::Decide {
                    outcome,
                    deciders: deciders.into_iter().map(MemberId::new).collect(),
                    rationale: "Because".into(),
                }
            }),
            Just(FundingCommand::Publish { withheld_reason: None }),
            text().prop_map(|reason| FundingCommand::StartReview { reason }),
            text().prop_map(|reason| FundingCommand::Withdraw { reason }),
        ]
        .boxed();
    }
    ANY.with(Clone::clone)
}

/// What the current phase expects, with usual data most of the time.
fn expected(m: &Model) -> BoxedStrategy<FundingCommand> {
    match m.phase {
        P::NotIdentified => (0..OFFERS).prop_map(identify).boxed(),
        P::Identified => Just(FundingCommand::StartScreening {}).boxed(),
        P::Screening => Just(screen()).boxed(),
        P::Triaged => Just(FundingCommand::StartDueDiligence {}).boxed(),
        P::DueDiligence | P::Consultation => {
            let diligence = prop_oneof![
                (check(m), text()).prop_map(|(check, evidence)| FundingCommand::CompleteCheck {
                    check,
                    evidence
                }),
                (prop::bool::weighted(0.2), prop::bool::weighted(0.2)).prop_map(
                    |(has, recused)| {
                        FundingCommand::DeclareInterest {
                            interest: has.then(|| "A past tie".to_owned()),
                            recused,
                        }
                    }
                ),
            ];
            if m.phase == P::DueDiligence {
                prop_oneof![4 => diligence, 1 => Just(FundingCommand::StartConsultation {})].boxed()
            } else {
                let unanswered: Vec<u32> = m
                    .advice
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, answered))| !answered)
                    .map(|(i, _)| i as u32 + 1)
                    .collect();
                let answer = if unanswered.is_empty() {
                    (1u32..4).boxed()
                } else {
                    prop::sample::select(unanswered).boxed()
                };
                prop_oneof![
                    2 => diligence,
                    3 => (consulted_body(m), 1u64..=20, text()).prop_map(|(body, from, advice)| {
                        FundingCommand::RecordAdvice { body, from: MemberId::new(from), advice }
                    }),
                    3 => (answer, text()).prop_map(|(n, answer)| FundingCommand::AnswerAdvice {
                        advice: AdviceId(n),
                        answer,
                    }),
                    1 => consulted_body(m).prop_map(|body| FundingCommand::OpenCommentWindow { body }),
                    1 => (window_body(m), text()).prop_map(|(body, text)| FundingCommand::Comment { body, text }),
                    1 => (consulted_body(m), text()).prop_map(|(body, reference)| FundingCommand::RecordSession { body, reference }),
                    1 => (text(), prop::bool::weighted(0.8), proposes()).prop_map(|(reference, consented, proposes)| {
                        FundingCommand::RecordConsentRound { reference, consented, proposes }
                    }),
                    2 => Just(FundingCommand::StartDeciding {}),
                ]
                .boxed()
            }
        }
        P::Deciding => (outcome(), deciders(m), text())
            .prop_map(|(outcome, deciders, rationale)| FundingCommand::Decide {
                outcome,
                deciders,
                rationale,
            })
            .boxed(),
        P::Accepted | P::AcceptedWithConditions | P::Declined | P::Deferred | P::Escalated => {
            Just(FundingCommand::Publish {
                withheld_reason: None,
            })
            .boxed()
        }
        P::Published => {
            let last = m.last;
            prop_oneof![
                4 => Just(365 * DAY),
                1 => Just(0i64),
            ]
            .prop_map(move |ahead| FundingCommand::StartMonitoring {
                // Ahead of the step's own minute only if at least a few minutes ahead.
                review_date: ctx(1, last + ahead).now,
            })
            .boxed()
        }
        P::Monitoring => text()
            .prop_map(|reason| FundingCommand::StartReview { reason })
            .boxed(),
        P::UnderReview => (any::<bool>(), text())
            .prop_map(|(renew, rationale)| FundingCommand::Review { renew, rationale })
            .boxed(),
        _ => any_command(),
    }
}

/// The next useful command: a missing check, a declaration, the next thing the route asks
/// for, or the step to the next phase. Keeps generated runs going deep.
fn helpful(m: &Model) -> BoxedStrategy<FundingCommand> {
    let evidence = || "Looked at".to_owned();
    match m.phase {
        P::DueDiligence | P::Consultation if !m.required.is_subset(&m.done) => {
            let missing: Vec<Check> = m.required.difference(&m.done).copied().collect();
            prop::sample::select(missing)
                .prop_map(move |check| FundingCommand::CompleteCheck {
                    check,
                    evidence: evidence(),
                })
                .boxed()
        }
        P::DueDiligence => {
            if m.declared.values().filter(|r| !**r).count() < 2 {
                (prop::bool::weighted(0.2), prop::bool::weighted(0.3))
                    .prop_map(|(has, recused)| FundingCommand::DeclareInterest {
                        interest: has.then(|| "A past tie".to_owned()),
                        recused,
                    })
                    .boxed()
            } else {
                Just(FundingCommand::StartConsultation {}).boxed()
            }
        }
        P::Consultation => {
            let far = m.last + 8 * DAY;
            let Some(unmet) = m.requirements.iter().find(|r| !m.met(r, far)) else {
                return Just(FundingCommand::StartDeciding {}).boxed();
            };
            let command = match unmet {
                Requirement::AdviceAnswered { body } => {
                    match m
                        .advice
                        .iter()
                        .position(|(b, answered)| b == body && !answered)
                    {
                        Some(i) => FundingCommand::AnswerAdvice {
                            advice: AdviceId(i as u32 + 1),
                            answer: "Answered".into(),
                        },
                        None => FundingCommand::RecordAdvice {
                            body: body.clone(),
                            from: MemberId::new(13),
                            advice: "Advice".into(),
                        },
                    }
                }
                Requirement::ViewsGathered { body } => {
                    FundingCommand::OpenCommentWindow { body: body.clone() }
                }
                Requirement::CommentWindow {} => FundingCommand::OpenCommentWindow {
                    body: route(m.offer)
                        .consult
                        .last()
                        .map_or_else(|| body("whole_community"), |c| c.body.clone()),
                },
                Requirement::Session {} => FundingCommand::RecordSession {
                    body: body("whole_community"),
                    reference: "Session".into(),
                },
                _ => FundingCommand::RecordConsentRound {
                    reference: "Round".into(),
                    consented: true,
                    proposes: None,
                },
            };
            prop_oneof![4 => Just(command), 1 => Just(FundingCommand::StartDeciding {})].boxed()
        }
        _ => expected(m),
    }
}

fn minute(last: i64) -> BoxedStrategy<i64> {
    prop_oneof![
        16 => (0i64..=3).prop_map(move |d| last + d),
        1 => (1i64..=3).prop_map(move |d| last - d),
        2 => (7 * DAY..=8 * DAY).prop_map(move |d| last + d),
    ]
    .boxed()
}

/// The reference state machine: the model, and the generator of steps.
pub struct FundingModel;

impl ReferenceStateMachine for FundingModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::new()).boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        let command = prop_oneof![
            6 => helpful(m),
            4 => expected(m),
            1 => any_command(),
            1 => text().prop_map(|reason| FundingCommand::Withdraw { reason }),
        ];
        step(m, command.boxed())
    }

    fn apply(m: Model, step: &Step) -> Model {
        match m.take(step) {
            Some(mut next) => {
                next.accepted = Some(true);
                next
            }
            None => Model {
                accepted: Some(false),
                ..m
            },
        }
    }
}

/// `command` by the usual member (or, now and then, anyone), at a minute that usually moves
/// forward (and, while a comment window is open, often past its close).
fn step(m: &Model, command: BoxedStrategy<FundingCommand>) -> BoxedStrategy<Step> {
    let waiting = m.phase == P::Consultation && m.windows.values().any(|c| *c > m.last);
    let when = if waiting {
        prop_oneof![3 => minute(m.last), 1 => Just(m.last + 7 * DAY)].boxed()
    } else {
        minute(m.last)
    };
    let route = prop_oneof![4 => Just(m.offer), 1 => 0..OFFERS];
    (command, prop::bool::weighted(0.8), 1u64..=6, when, route)
        .prop_map(|(command, usual, anyone, minute, route)| Step {
            actor: if usual { 1 } else { anyone },
            minute,
            command,
            route,
        })
        .boxed()
}

/// The same model, with runs that go deep: the helpful step far more often, a withdrawal
/// only among the arbitrary commands, and someone who may decide declared before deciding.
/// Two in three of [`FundingModel`]'s runs end in a withdrawal, and about two in a hundred
/// take a decision; about two in five of these do (most of those of 35 steps or more), so
/// the steps from deciding on are exercised in many runs, not a few.
pub struct DeepFundingModel;

impl ReferenceStateMachine for DeepFundingModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        FundingModel::init_state()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        // The helpful step declares interests only in due diligence, and a run that moved on
        // before anyone declared would be stuck at deciding with no one who may decide.
        let no_decider = !m.declared.values().any(|recused| !recused);
        let next = if m.phase == P::Consultation && no_decider {
            Just(FundingCommand::DeclareInterest {
                interest: None,
                recused: false,
            })
            .boxed()
        } else {
            helpful(m)
        };
        let command = prop_oneof![
            12 => next,
            4 => expected(m),
            1 => any_command(),
        ];
        step(m, command.boxed())
    }

    fn apply(m: Model, step: &Step) -> Model {
        FundingModel::apply(m, step)
    }
}
