//! The reference model of a proposal's rules, and the commands generated for it.
//!
//! The model is a small, independent statement of which commands are taken in which phase,
//! by whom and when, and where each leads. Generated runs mix commands that fit the phase,
//! issued by the right person, with anything at all, by anyone, at any time.

use std::collections::BTreeSet;

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::{BodyId, MemberId};
use coproduction::consent::ObjectionId;
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::evaluation::{
    Benefit, Datum, EvaluationPlan, Gathered, Question, QuestionId, Source,
};
use coproduction::governance::{Case, Conditions, Procedure, Route};
use coproduction::journal::StreamId;
use coproduction::proposal::{
    Answer, DecisionResult, ProposalCommand, ProposalConfig, ProposalPhase, ProposalRoles,
};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use ProposalPhase as P;

/// Co-producer 1 proposes; staff member 2 stewards; co-producer 3 is a member the agreement
/// applies to; ally 4 has no part.
pub const PROPOSER: u64 = 1;
pub const STEWARD: u64 = 2;
pub const MEMBER: u64 = 3;

pub fn t0() -> Timestamp {
    "2022-06-01T09:00:00Z".parse().unwrap()
}

pub fn at(minute: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(minute)
}

pub fn round(n: u32) -> StreamId {
    StreamId::new(&format!("round-{n}")).unwrap()
}

pub fn proposal_config(title: &str) -> ProposalConfig {
    ProposalConfig {
        id: ProposalId::new(1),
        title: title.into(),
        kind: DecisionKind::WorkingModel,
        text: "Co-producers take paid, flexible roles.".into(),
        answers: vec![],
        roles: ProposalRoles {
            proposers: BTreeSet::from([MemberId::new(PROPOSER)]),
            steward: MemberId::new(STEWARD),
            members: BTreeSet::from([MemberId::new(MEMBER)]),
        },
        changes: vec![],
        effective_from: None,
    }
}

/// What the value gate will find for an adoption: the record the engine checks either holds
/// a rationale and alternatives (T2 satisfied), or does not but carries an override, or
/// neither (the gate refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Pass,
    Overridden,
    Fail,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub command: ProposalCommand,
    pub actor: u64,
    pub minute: i64,
    pub gate: Gate,
}

// ---------------------------------------------------------------------------------------
// The reference model

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub phase: Option<ProposalPhase>,
    pub last: i64,
    pub versions: u32,
    pub feedback: bool,
    pub rounds: Vec<u32>,
    pub running: Option<u32>,
    pub review_due: Option<i64>,
    /// One entry per review: whether an objection opened it.
    pub reviews: Vec<bool>,
    pub adoptions: u32,
    /// Whether a declined or escalated proposal's record was published (once).
    pub ended_published: bool,
    /// Whether the open review reviews a pilot (decided by a reassessment round only).
    pub pilot_review: bool,
    /// The review's reassessment round running now.
    pub reassessing: Option<u32>,
    /// When the evaluation was agreed, and the numbers of its questions.
    pub evaluation: Option<(i64, BTreeSet<u64>)>,
}

pub fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

pub fn minute_of(t: Timestamp) -> i64 {
    t.duration_since(t0()).as_mins()
}

impl Model {
    pub fn take(&self, step: &Step) -> Option<Model> {
        let mut m = self.clone();
        let (actor, now) = (step.actor, step.minute);
        let Some(phase) = self.phase else {
            return match &step.command {
                ProposalCommand::Create { config }
                    if !blank(&config.title) && (actor == PROPOSER || actor == STEWARD) =>
                {
                    m.phase = Some(P::Draft);
                    m.versions = 1;
                    m.last = now;
                    Some(m)
                }
                _ => None,
            };
        };
        if now < self.last {
            return None;
        }
        m.last = now;
        let steward = actor == STEWARD;
        match &step.command {
            ProposalCommand::Create { .. } => return None,
            ProposalCommand::StartCoCreation {} if phase == P::Draft && steward => {
                m.phase = Some(P::CoCreating);
            }
            ProposalCommand::LinkFeedback { items, themes }
                if phase == P::CoCreating
                    && (steward || actor == PROPOSER)
                    && !(items.is_empty() && themes.is_empty()) =>
            {
                m.feedback = true;
            }
            ProposalCommand::Amend { text, answers }
                if [P::Draft, P::CoCreating, P::UnderReview].contains(&phase)
                    && actor == PROPOSER
                    && self.reassessing.is_none()
                    && !blank(text)
                    && answers.iter().all(|a| self.answerable(a)) =>
            {
                m.versions += 1;
                if answers
                    .iter()
                    .any(|a| matches!(a, Answer::Item { .. } | Answer::Theme { .. }))
                {
                    m.feedback = true;
                }
                if phase == P::UnderReview {
                    m.phase = Some(P::CoCreating);
                }
            }
            ProposalCommand::MarkReady { .. }
                if phase == P::CoCreating && steward && self.feedback =>
            {
                m.phase = Some(P::Ready);
            }
            ProposalCommand::StartDecision { round: r }
                if phase == P::UnderReview
                    && steward
                    && self.reassessing.is_none()
                    && !self.rounds.iter().any(|n| round(*n) == *r) =>
            {
                let n = self.rounds.len() as u32 + 1;
                let n = (1..=3).find(|k| round(*k) == *r).unwrap_or(n);
                m.rounds.push(n);
                m.reassessing = Some(n);
            }
            ProposalCommand::RecordDecision { round: r, result }
                if phase == P::UnderReview
                    && steward
                    && self.reassessing.is_some_and(|n| round(n) == *r) =>
            {
                m.reassessing = None;
                match result {
                    DecisionResult::Adopted { review_date } => {
                        let due = minute_of(*review_date);
                        if due <= now {
                            return None;
                        }
                        m.review_due = Some(due);
                        m.phase = Some(P::Implementing);
                    }
                    DecisionResult::Declined {} => m.phase = Some(P::Retired),
                    DecisionResult::Escalated { to } => {
                        // Copied in by the steward, an escalation is their word: the
                        // review stays open here (only one the engine saw leaves it to the
                        // body it went to).
                        if given_route().escalation.first() != Some(to) {
                            return None;
                        }
                    }
                    DecisionResult::Withdrawn {} | DecisionResult::Deferred {} => {}
                    _ => return None,
                }
            }
            ProposalCommand::StartDecision { round: r }
                if [P::Ready, P::InDecision].contains(&phase)
                    && steward
                    && self.running.is_none()
                    && !self.rounds.iter().any(|n| round(*n) == *r) =>
            {
                let n = self.rounds.len() as u32 + 1;
                let n = (1..=3).find(|k| round(*k) == *r).unwrap_or(n);
                m.rounds.push(n);
                m.running = Some(n);
                m.phase = Some(P::InDecision);
            }
            // A first decision's round withdrawn withdraws the proposal: its proposer's
            // to record; every other result, the steward's.
            ProposalCommand::RecordDecision { round: r, result }
                if phase == P::InDecision
                    && match result {
                        DecisionResult::Withdrawn {} => actor == PROPOSER,
                        _ => steward,
                    }
                    && self.running.is_some_and(|n| round(n) == *r) =>
            {
                m.running = None;
                match result {
                    DecisionResult::Adopted { review_date } => {
                        let due = minute_of(*review_date);
                        if due <= now || step.gate == Gate::Fail {
                            return None;
                        }
                        m.review_due = Some(due);
                        m.adoptions += 1;
                        m.phase = Some(P::Adopted);
                    }
                    DecisionResult::Declined {} => m.phase = Some(P::Declined),
                    DecisionResult::Withdrawn {} => m.phase = Some(P::Withdrawn),
                    // Only to the next body on the map's chain for the proposal's route.
                    DecisionResult::Escalated { to } => {
                        if given_route().escalation.first() != Some(to) {
                            return None;
                        }
                        m.phase = Some(P::Escalated);
                    }
                    DecisionResult::Deferred {} => {}
                    _ => return None,
                }
            }
            ProposalCommand::Publish { rationale, .. }
                if phase == P::Adopted && steward && !blank(rationale) =>
            {
                m.phase = Some(P::Published);
            }
            ProposalCommand::Publish { rationale, .. }
                if [P::Declined, P::Escalated].contains(&phase)
                    && !m.ended_published
                    && steward
                    && !blank(rationale) =>
            {
                m.ended_published = true;
            }
            ProposalCommand::StartImplementing {} if phase == P::Published && steward => {
                m.phase = Some(P::Implementing);
            }
            ProposalCommand::StartPilot { ends }
                if phase == P::Published && steward && minute_of(*ends) > now =>
            {
                m.review_due = Some(minute_of(*ends));
                m.phase = Some(P::Pilot);
            }
            ProposalCommand::SchedulePilot { starts, lasts }
                if phase == P::Published
                    && steward
                    && minute_of(*starts) > now
                    && lasts.as_mins() > 0
                    // A pilot starts by the review date its decision set.
                    && self.review_due.is_none_or(|due| minute_of(*starts) <= due) =>
            {
                m.review_due = Some(minute_of(*starts) + lasts.as_mins());
                m.phase = Some(P::PilotScheduled);
            }
            // Once published, the agreement stands: started, piloted, or not yet (a scheduled
            // pilot starts before its review, and an objection calls it off).
            ProposalCommand::OpenReview {}
                if [P::Published, P::Implementing, P::Pilot].contains(&phase)
                    && steward
                    && self.review_due.is_some_and(|due| now >= due) =>
            {
                m.pilot_review = phase == P::Pilot;
                m.reviews.push(false);
                m.phase = Some(P::UnderReview);
            }
            ProposalCommand::ObjectToStanding { reason }
                if [P::Published, P::PilotScheduled, P::Implementing, P::Pilot]
                    .contains(&phase)
                    && (actor == MEMBER || actor == PROPOSER)
                    && !blank(reason) =>
            {
                m.pilot_review = phase == P::Pilot;
                m.reviews.push(true);
                m.phase = Some(P::UnderReview);
            }
            ProposalCommand::Continue { review_date }
                if phase == P::UnderReview
                    && steward
                    && self.by_hand()
                    && minute_of(*review_date) > now =>
            {
                m.review_due = Some(minute_of(*review_date));
                m.phase = Some(P::Implementing);
            }
            ProposalCommand::Retire { reason }
                if phase == P::UnderReview && steward && self.by_hand() && !blank(reason) =>
            {
                m.phase = Some(P::Retired);
            }
            ProposalCommand::Withdraw { reason }
                if [P::Draft, P::CoCreating, P::Ready, P::InDecision].contains(&phase)
                    && actor == PROPOSER
                    && !blank(reason) =>
            {
                m.phase = Some(P::Withdrawn);
            }
            ProposalCommand::AgreeEvaluation { plan }
                if [P::Published, P::PilotScheduled, P::Pilot].contains(&phase)
                    && steward
                    && self.evaluation.is_none()
                    && plan_ok(plan) =>
            {
                m.evaluation = Some((now, plan.questions.iter().map(|q| q.id.get()).collect()));
            }
            ProposalCommand::GatherEvidence { evidence }
                if [P::Pilot, P::UnderReview].contains(&phase)
                    && (steward || actor == MEMBER || actor == PROPOSER)
                    && self.evaluation.as_ref().is_some_and(|(agreed, questions)| {
                        evidence_ok(evidence, *agreed, now, questions)
                    }) => {}
            _ => return None,
        }
        Some(m)
    }

    /// Whether the steward may end the open review by hand: no reassessment round runs, and
    /// it does not review a pilot.
    fn by_hand(&self) -> bool {
        self.reassessing.is_none() && !self.pilot_review
    }

    fn answerable(&self, a: &Answer) -> bool {
        match a {
            Answer::Item { .. } | Answer::Theme { .. } => true,
            Answer::Objection { round: r, .. } | Answer::Concern { round: r, .. } => {
                self.rounds.iter().any(|n| round(*n) == *r)
            }
            Answer::StandingObjection { review } => {
                self.reviews.get((*review as usize).wrapping_sub(1)) == Some(&true)
            }
            _ => false,
        }
    }
}

/// The plan rules: some questions, at most 50, each numbered once, none blank, at most 20
/// criteria each, none blank.
fn plan_ok(plan: &EvaluationPlan) -> bool {
    let ids: BTreeSet<u64> = plan.questions.iter().map(|q| q.id.get()).collect();
    !plan.questions.is_empty()
        && plan.questions.len() <= 50
        && ids.len() == plan.questions.len()
        && plan.questions.iter().all(|q| {
            !blank(&q.asks) && q.criteria.len() <= 20 && q.criteria.iter().all(|c| !blank(c))
        })
}

/// The evidence rules: some, for questions of the plan, nothing blank, gathered between the
/// plan's agreement and now.
fn evidence_ok(evidence: &[Gathered], agreed: i64, now: i64, questions: &BTreeSet<u64>) -> bool {
    !evidence.is_empty()
        && evidence.len() <= 1_000
        && evidence.iter().all(|g| {
            let said = match &g.observation {
                Datum::Figure { of, .. } => of,
                Datum::Words { said, .. } => said,
                _ => return false,
            };
            let when = minute_of(g.gathered_at);
            questions.contains(&g.question.get()) && !blank(said) && agreed <= when && when <= now
        })
}

pub fn evaluation_plan(questions: &[(u64, &str)]) -> EvaluationPlan {
    EvaluationPlan {
        agreed_by: BodyId::new("co_producers").unwrap(),
        questions: questions
            .iter()
            .map(|(n, asks)| Question {
                id: QuestionId::new(*n),
                benefit: Benefit::ALL[*n as usize % 3],
                asks: (*asks).to_owned(),
                criteria: vec!["Most say so".into()],
            })
            .collect(),
    }
}

pub fn gathered(question: u64, said: &str, minute: i64) -> Gathered {
    Gathered {
        question: QuestionId::new(question),
        observation: Datum::Words {
            said: said.to_owned(),
            from: Some(MemberId::new(MEMBER)),
        },
        source: Source::Interview {},
        gathered_at: at(minute),
    }
}

// ---------------------------------------------------------------------------------------
// Generating commands

pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => Just("Because the workshops asked for it.".to_owned()),
        1 => Just("  ".to_owned()),
    ]
    .boxed()
}

pub fn answer() -> BoxedStrategy<Answer> {
    prop_oneof![
        (1..5u64).prop_map(|n| Answer::Item { id: ItemId::new(n) }),
        (1..4u32).prop_map(|n| Answer::Objection {
            round: round(n),
            id: ObjectionId(1)
        }),
        (1..3u32).prop_map(|review| Answer::StandingObjection { review }),
    ]
    .boxed()
}

/// The route governance gives the proposal, as an engine hands it to `decide` in the
/// context.
pub fn given_route() -> Route {
    Route {
        kind: DecisionKind::WorkingModel,
        case: Case {
            tier: Tier::Zero,
            red_line: false,
            institutional_policy: false,
        },
        decider: BodyId::new("associate_roles_team").unwrap(),
        procedure: Procedure::Method(Method::Consent),
        consult: Vec::new(),
        informed: Vec::new(),
        escalation: vec![
            BodyId::new("decision_circle").unwrap(),
            BodyId::new("whole_community").unwrap(),
        ],
        selected_by: Conditions::default(),
        override_by: Default::default(),
    }
}

pub fn result(last: i64) -> BoxedStrategy<DecisionResult> {
    prop_oneof![
        4 => (-10..400i64).prop_map(move |d| DecisionResult::Adopted { review_date: at(last + d) }),
        1 => Just(DecisionResult::Declined {}),
        1 => Just(DecisionResult::Withdrawn {}),
        1 => Just(DecisionResult::Escalated { to: BodyId::new("decision_circle").unwrap() }),
        1 => Just(DecisionResult::Escalated { to: BodyId::new("allies_group").unwrap() }),
        2 => Just(DecisionResult::Deferred {}),
    ]
    .boxed()
}

/// What a reassessment round reaches, each result as often as the others.
pub fn reassessed(last: i64) -> BoxedStrategy<DecisionResult> {
    prop_oneof![
        (1..400i64).prop_map(move |d| DecisionResult::Adopted {
            review_date: at(last + d)
        }),
        Just(DecisionResult::Declined {}),
        Just(DecisionResult::Withdrawn {}),
        Just(DecisionResult::Escalated {
            to: BodyId::new("decision_circle").unwrap()
        }),
        Just(DecisionResult::Deferred {}),
    ]
    .boxed()
}

/// Any command at all.
pub fn anything(m: &Model) -> BoxedStrategy<ProposalCommand> {
    let last = m.last;
    let date = move || (-10..400i64).prop_map(move |d| at(last + d));
    prop_oneof![
        text().prop_map(|t| ProposalCommand::Create {
            config: Box::new(proposal_config(&t))
        }),
        Just(ProposalCommand::StartCoCreation {}),
        (0..3usize, 0..2usize).prop_map(|(i, t)| ProposalCommand::LinkFeedback {
            items: (1..=i as u64).map(ItemId::new).collect(),
            themes: (1..=t as u64).map(ThemeId::new).collect(),
        }),
        (text(), proptest::collection::vec(answer(), 0..3))
            .prop_map(|(text, answers)| ProposalCommand::Amend { text, answers }),
        Just(ProposalCommand::MarkReady {}),
        (1..4u32).prop_map(|n| ProposalCommand::StartDecision { round: round(n) }),
        ((1..4u32), result(last)).prop_map(|(n, result)| ProposalCommand::RecordDecision {
            round: round(n),
            result
        }),
        text().prop_map(|rationale| ProposalCommand::Publish {
            rationale,
            alternatives: vec![]
        }),
        Just(ProposalCommand::StartImplementing {}),
        date().prop_map(|ends| ProposalCommand::StartPilot { ends }),
        (date(), -10..400i64).prop_map(|(starts, lasts)| ProposalCommand::SchedulePilot {
            starts,
            lasts: SignedDuration::from_mins(lasts)
        }),
        Just(ProposalCommand::OpenReview {}),
        text().prop_map(|reason| ProposalCommand::ObjectToStanding { reason }),
        date().prop_map(|review_date| ProposalCommand::Continue { review_date }),
        text().prop_map(|reason| ProposalCommand::Retire { reason }),
        text().prop_map(|reason| ProposalCommand::Withdraw { reason }),
        proptest::collection::vec((0..4u64, text()), 0..4).prop_map(|qs| {
            let qs: Vec<(u64, &str)> = qs.iter().map(|(n, t)| (*n, t.as_str())).collect();
            ProposalCommand::AgreeEvaluation {
                plan: evaluation_plan(&qs),
            }
        }),
        proptest::collection::vec((0..4u64, text(), -10..400i64), 0..3).prop_map(move |gs| {
            ProposalCommand::GatherEvidence {
                evidence: gs
                    .iter()
                    .map(|(q, said, d)| gathered(*q, said, last + d))
                    .collect(),
            }
        }),
    ]
    .boxed()
}

/// A command that fits the phase, with the actor who would issue it.
pub fn sensible(m: &Model) -> BoxedStrategy<(ProposalCommand, u64)> {
    let last = m.last;
    let steward = |c: ProposalCommand| (c, STEWARD);
    let next_round = m.rounds.len() as u32 + 1;
    let running = m.running.unwrap_or(next_round);
    let running_reassessment = m.reassessing.unwrap_or(next_round);
    let agree = ProposalCommand::AgreeEvaluation {
        plan: evaluation_plan(&[(1, "Do co-producers grow?"), (2, "Do projects gain?")]),
    };
    let gather = ProposalCommand::GatherEvidence {
        evidence: vec![gathered(1, "I chaired a meeting.", last)],
    };
    match m.phase {
        None => Just((
            ProposalCommand::Create {
                config: Box::new(proposal_config("Associate roles")),
            },
            PROPOSER,
        ))
        .boxed(),
        Some(P::Draft) => Just(steward(ProposalCommand::StartCoCreation {})).boxed(),
        Some(P::CoCreating) => prop_oneof![
            Just(steward(ProposalCommand::LinkFeedback {
                items: vec![ItemId::new(1)],
                themes: vec![ThemeId::new(1)]
            })),
            Just((
                ProposalCommand::Amend {
                    text: "Version with paid preparation time.".into(),
                    answers: vec![Answer::Theme { id: ThemeId::new(1) }]
                },
                PROPOSER
            )),
            Just(steward(ProposalCommand::MarkReady {})),
        ]
        .boxed(),
        Some(P::Ready) => Just(steward(ProposalCommand::StartDecision {
            round: round(next_round),
        }))
        .boxed(),
        Some(P::InDecision) if m.running.is_none() => Just(steward(
            ProposalCommand::StartDecision {
                round: round(next_round),
            },
        ))
        .boxed(),
        Some(P::InDecision) => result(last)
            .prop_map(move |result| {
                let withdrawn = result == DecisionResult::Withdrawn {};
                let record = ProposalCommand::RecordDecision {
                    round: round(running),
                    result,
                };
                match withdrawn {
                    true => (record, PROPOSER),
                    false => steward(record),
                }
            })
            .boxed(),
        Some(P::Adopted) => Just(steward(ProposalCommand::Publish {
            rationale: "The workshops asked for it.".into(),
            alternatives: vec!["Wait a year".into()],
        }))
        .boxed(),
        // A decision not adopted is published once; after that, mostly refused.
        Some(P::Declined | P::Escalated) => Just(steward(ProposalCommand::Publish {
            rationale: "The circle could not take it on this year.".into(),
            alternatives: vec!["Take it to the whole community".into()],
        }))
        .boxed(),
        // A pilot starts by the review date its decision set: mostly within it, sometimes
        // just past it, to be refused.
        Some(P::Published) => {
            let room = m.review_due.map_or(200, |due| (due - last).clamp(2, 200)) + 5;
            prop_oneof![
                1 => Just(steward(agree.clone())),
                3 => Just(steward(ProposalCommand::StartImplementing {})),
                2 => (1..200i64).prop_map(move |d| steward(ProposalCommand::StartPilot {
                    ends: at(last + d)
                })),
                2 => (1..room, 1..200i64).prop_map(move |(d, lasts)| steward(
                    ProposalCommand::SchedulePilot {
                        starts: at(last + d),
                        lasts: SignedDuration::from_mins(lasts)
                    }
                )),
                // Published and not yet started, it stands: a member may object to it, and
                // its review opens on its date.
                1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
                1 => Just(steward(ProposalCommand::OpenReview {})),
            ]
            .boxed()
        }
        Some(P::PilotScheduled) if m.evaluation.is_none() => prop_oneof![
            2 => Just(steward(agree)),
            1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
            1 => Just(steward(ProposalCommand::OpenReview {})),
        ]
        .boxed(),
        Some(P::PilotScheduled) => prop_oneof![
            2 => Just(steward(ProposalCommand::OpenReview {})),
            1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
        ]
        .boxed(),
        Some(P::Pilot) if m.evaluation.is_none() => prop_oneof![
            2 => Just(steward(agree)),
            3 => Just(steward(ProposalCommand::OpenReview {})),
            2 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
        ]
        .boxed(),
        Some(P::Pilot) => prop_oneof![
            2 => Just(steward(ProposalCommand::OpenReview {})),
            3 => Just((gather, MEMBER)),
            1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
        ]
        .boxed(),
        Some(P::Implementing) => prop_oneof![
            3 => Just(steward(ProposalCommand::OpenReview {})),
            1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
        ]
        .boxed(),
        Some(P::UnderReview) if m.evaluation.is_some() && m.reassessing.is_none() && m.pilot_review => prop_oneof![
            2 => Just(steward(ProposalCommand::StartDecision {
                round: round(next_round),
            })),
            2 => Just(steward(gather)),
            1 => Just((
                ProposalCommand::Amend {
                    text: "Amended after the pilot's evaluation.".into(),
                    answers: vec![],
                },
                PROPOSER
            )),
        ]
        .boxed(),
        Some(P::UnderReview) if m.reassessing.is_some() => reassessed(last)
            .prop_map(move |result| {
                steward(ProposalCommand::RecordDecision {
                    round: round(running_reassessment),
                    result,
                })
            })
            .boxed(),
        Some(P::UnderReview) if m.pilot_review => prop_oneof![
            3 => Just(steward(ProposalCommand::StartDecision {
                round: round(next_round),
            })),
            1 => Just((
                ProposalCommand::Amend {
                    text: "Amended after the pilot.".into(),
                    answers: vec![],
                },
                PROPOSER
            )),
        ]
        .boxed(),
        Some(P::UnderReview) => {
            let last_review = m.reviews.len() as u32;
            prop_oneof![
                3 => Just(steward(ProposalCommand::StartDecision {
                    round: round(next_round),
                })),
                1 => (1..200i64).prop_map(move |d| steward(ProposalCommand::Continue {
                    review_date: at(last + d)
                })),
                1 => Just((
                    ProposalCommand::Amend {
                        text: "Amended after review.".into(),
                        answers: vec![Answer::StandingObjection {
                            review: last_review
                        }]
                    },
                    PROPOSER
                )),
                1 => Just(steward(ProposalCommand::Retire {
                    reason: "Replaced by the new model.".into()
                })),
            ]
            .boxed()
        }
        Some(_) => Just(steward(ProposalCommand::OpenReview {})).boxed(),
    }
}

/// A step: `command` by its actor, at a minute near the last (now and then one before it),
/// with what the value gate will find should it adopt.
fn step(m: &Model, command: BoxedStrategy<(ProposalCommand, u64)>) -> BoxedStrategy<Step> {
    let last = m.last;
    let gate = prop_oneof![
        3 => Just(Gate::Pass),
        1 => Just(Gate::Overridden),
        1 => Just(Gate::Fail)
    ];
    let minute = prop_oneof![10 => (0..120i64).prop_map(move |d| last + d), 1 => Just(last - 1)];
    (command, minute, gate)
        .prop_map(|((command, actor), minute, gate)| Step {
            command,
            actor,
            minute,
            gate,
        })
        .boxed()
}

/// What the proposer may do on their own in the phase: amend the draft, or withdraw the
/// proposal before it is decided; elsewhere, what fits the phase.
fn proposer(m: &Model) -> BoxedStrategy<(ProposalCommand, u64)> {
    let withdraw = Just((
        ProposalCommand::Withdraw {
            reason: "The associates asked for more time.".into(),
        },
        PROPOSER,
    ));
    match m.phase {
        Some(P::Draft) => prop_oneof![
            withdraw,
            Just((
                ProposalCommand::Amend {
                    text: "Version with a clearer pay rate.".into(),
                    answers: vec![],
                },
                PROPOSER
            )),
        ]
        .boxed(),
        Some(P::CoCreating | P::Ready | P::InDecision) => withdraw.boxed(),
        _ => sensible(m),
    }
}

/// Runs of commands that mostly fit the phase, the rest anything at all.
pub struct ProposalModel;

impl ReferenceStateMachine for ProposalModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        let command = prop_oneof![
            4 => sensible(m),
            1 => (anything(m), 1..5u64),
        ];
        step(m, command.boxed())
    }

    fn apply(m: Model, step: &Step) -> Model {
        m.take(step).unwrap_or(m)
    }
}

/// As [`ProposalModel`], with the proposer acting on their own more often: in
/// [`ProposalModel`]'s runs a proposer seldom amends a draft or withdraws, since only the
/// arbitrary commands do, so a withdrawal from a draft or a ready proposal comes about twice
/// in a thousand runs.
pub struct ProposerModel;

impl ReferenceStateMachine for ProposerModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        ProposalModel::init_state()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        let command = prop_oneof![
            8 => sensible(m),
            2 => proposer(m),
            2 => (anything(m), 1..5u64),
        ];
        step(m, command.boxed())
    }

    fn apply(m: Model, step: &Step) -> Model {
        ProposalModel::apply(m, step)
    }
}
