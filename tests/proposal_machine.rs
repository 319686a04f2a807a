//! The proposal machine against a reference model, with proptest-state-machine.
//!
//! Generated runs of up to 40 commands (most of them sensible for the phase and issued by
//! the right person, the rest anything at all, by anyone, at any time) are applied to the
//! machine and to a small reference model of its rules. The properties: the machine takes
//! exactly the commands the model takes and lands in the model's phase; a refused command
//! changes nothing; every phase change is a declared edge; replaying the events rebuilds the
//! state; and no proposal is adopted unless the value gate passed (or was overridden), because
//! the run adopts only through the typed façade, which takes the gate's proof.
//!
//! Set `COPRODUCTION_PROPTEST_CASES` to run more (or fewer) sequences, for example
//! `COPRODUCTION_PROPTEST_CASES=100000 cargo test --release --test proposal_machine`.

use std::collections::BTreeSet;

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::{BodyId, MemberId};
use coproduction::consent::ObjectionId;
use coproduction::decision::{DecisionKind, Method};
use coproduction::journal::StreamId;
use coproduction::machine::{Context, Decider, TransitionGraph};
use coproduction::proposal::{
    Answer, AnyProposal, DecisionResult, ProposalCommand, ProposalConfig, ProposalError,
    ProposalEvent, ProposalPhase, ProposalProcess, ProposalRoles, ProposalState,
};
use coproduction::values::{Charter, DecisionRecord, RouteSummary, RuleId};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

use ProposalPhase as P;

/// Co-producer 1 proposes; staff member 2 stewards; co-producer 3 is a member the agreement
/// applies to; ally 4 has no part.
const PROPOSER: u64 = 1;
const STEWARD: u64 = 2;
const MEMBER: u64 = 3;

fn cases() -> u32 {
    std::env::var("COPRODUCTION_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        ..ProptestConfig::default()
    }
}

fn t0() -> Timestamp {
    "2022-06-01T09:00:00Z".parse().unwrap()
}

fn at(minute: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(minute)
}

fn round(n: u32) -> StreamId {
    StreamId::new(&format!("round-{n}")).unwrap()
}

fn proposal_config(title: &str) -> ProposalConfig {
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
    }
}

/// What the value gate will find for an adoption: the record the engine checks either holds
/// a rationale and alternatives (T2 satisfied), or does not but carries an override, or
/// neither (the gate refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Pass,
    Overridden,
    Fail,
}

#[derive(Debug, Clone)]
struct Step {
    command: ProposalCommand,
    actor: u64,
    minute: i64,
    gate: Gate,
}

// ---------------------------------------------------------------------------------------
// The reference model

#[derive(Debug, Clone, Default)]
struct Model {
    phase: Option<ProposalPhase>,
    last: i64,
    versions: u32,
    feedback: bool,
    rounds: Vec<u32>,
    running: Option<u32>,
    review_due: Option<i64>,
    /// One entry per review: whether an objection opened it.
    reviews: Vec<bool>,
    adoptions: u32,
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn minute_of(t: Timestamp) -> i64 {
    t.duration_since(t0()).as_mins()
}

impl Model {
    fn take(&self, step: &Step) -> Option<Model> {
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
            ProposalCommand::RecordDecision { round: r, result }
                if phase == P::InDecision
                    && steward
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
                    DecisionResult::Escalated { .. } => m.phase = Some(P::Escalated),
                    DecisionResult::Deferred {} => {}
                    _ => return None,
                }
            }
            ProposalCommand::Publish { rationale, .. }
                if phase == P::Adopted && steward && !blank(rationale) =>
            {
                m.phase = Some(P::Published);
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
            ProposalCommand::OpenReview {}
                if [P::Implementing, P::Pilot].contains(&phase)
                    && steward
                    && self.review_due.is_some_and(|due| now >= due) =>
            {
                m.reviews.push(false);
                m.phase = Some(P::UnderReview);
            }
            ProposalCommand::ObjectToStanding { reason }
                if [P::Implementing, P::Pilot].contains(&phase)
                    && (actor == MEMBER || actor == PROPOSER)
                    && !blank(reason) =>
            {
                m.reviews.push(true);
                m.phase = Some(P::UnderReview);
            }
            ProposalCommand::Continue { review_date }
                if phase == P::UnderReview && steward && minute_of(*review_date) > now =>
            {
                m.review_due = Some(minute_of(*review_date));
                m.phase = Some(P::Implementing);
            }
            ProposalCommand::Retire { reason }
                if phase == P::UnderReview && steward && !blank(reason) =>
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
            _ => return None,
        }
        Some(m)
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

// ---------------------------------------------------------------------------------------
// Generating commands

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => Just("Because the workshops asked for it.".to_owned()),
        1 => Just("  ".to_owned()),
    ]
    .boxed()
}

fn answer() -> BoxedStrategy<Answer> {
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

fn route() -> RouteSummary {
    RouteSummary::new(
        BodyId::new("associate_roles_team").unwrap(),
        Method::Consent,
    )
}

fn result(last: i64) -> BoxedStrategy<DecisionResult> {
    prop_oneof![
        4 => (-10..400i64).prop_map(move |d| DecisionResult::Adopted { review_date: at(last + d) }),
        1 => Just(DecisionResult::Declined {}),
        1 => Just(DecisionResult::Withdrawn {}),
        1 => Just(DecisionResult::Escalated { to: BodyId::new("allies_group").unwrap() }),
        2 => Just(DecisionResult::Deferred {}),
    ]
    .boxed()
}

/// Any command at all.
fn anything(m: &Model) -> BoxedStrategy<ProposalCommand> {
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
        Just(ProposalCommand::MarkReady { route: route() }),
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
        Just(ProposalCommand::OpenReview {}),
        text().prop_map(|reason| ProposalCommand::ObjectToStanding { reason }),
        date().prop_map(|review_date| ProposalCommand::Continue { review_date }),
        text().prop_map(|reason| ProposalCommand::Retire { reason }),
        text().prop_map(|reason| ProposalCommand::Withdraw { reason }),
    ]
    .boxed()
}

/// A command that fits the phase, with the actor who would issue it.
fn sensible(m: &Model) -> BoxedStrategy<(ProposalCommand, u64)> {
    let last = m.last;
    let steward = |c: ProposalCommand| (c, STEWARD);
    let next_round = m.rounds.len() as u32 + 1;
    let running = m.running.unwrap_or(next_round);
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
            Just(steward(ProposalCommand::MarkReady { route: route() })),
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
                steward(ProposalCommand::RecordDecision {
                    round: round(running),
                    result,
                })
            })
            .boxed(),
        Some(P::Adopted) => Just(steward(ProposalCommand::Publish {
            rationale: "The workshops asked for it.".into(),
            alternatives: vec!["Wait a year".into()],
        }))
        .boxed(),
        Some(P::Published) => prop_oneof![
            Just(steward(ProposalCommand::StartImplementing {})),
            (1..200i64).prop_map(move |d| steward(ProposalCommand::StartPilot {
                ends: at(last + d)
            })),
        ]
        .boxed(),
        Some(P::Implementing | P::Pilot) => prop_oneof![
            3 => Just(steward(ProposalCommand::OpenReview {})),
            1 => Just((ProposalCommand::ObjectToStanding { reason: "It leaves out carers.".into() }, MEMBER)),
        ]
        .boxed(),
        Some(P::UnderReview) => {
            let last_review = m.reviews.len() as u32;
            prop_oneof![
                (1..200i64).prop_map(move |d| steward(ProposalCommand::Continue {
                    review_date: at(last + d)
                })),
                Just((
                    ProposalCommand::Amend {
                        text: "Amended after review.".into(),
                        answers: vec![Answer::StandingObjection {
                            review: last_review
                        }]
                    },
                    PROPOSER
                )),
                Just(steward(ProposalCommand::Retire {
                    reason: "Replaced by the new model.".into()
                })),
            ]
            .boxed()
        }
        Some(_) => Just(steward(ProposalCommand::OpenReview {})).boxed(),
    }
}

struct ProposalModel;

impl ReferenceStateMachine for ProposalModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        let last = m.last;
        let gate = prop_oneof![
            3 => Just(Gate::Pass),
            1 => Just(Gate::Overridden),
            1 => Just(Gate::Fail)
        ];
        let minute =
            prop_oneof![10 => (0..120i64).prop_map(move |d| last + d), 1 => Just(last - 1)];
        let command = prop_oneof![
            4 => sensible(m),
            1 => (anything(m), 1..5u64),
        ];
        (command, minute, gate)
            .prop_map(|((command, actor), minute, gate)| Step {
                command,
                actor,
                minute,
                gate,
            })
            .boxed()
    }

    fn apply(m: Model, step: &Step) -> Model {
        m.take(step).unwrap_or(m)
    }
}

// ---------------------------------------------------------------------------------------
// The system under test

struct Run {
    graph: TransitionGraph<ProposalPhase>,
    charter: Charter,
    state: ProposalState,
    events: Vec<ProposalEvent>,
    adoptions: u32,
    /// The model before the step: proptest-state-machine hands `apply` the model after it.
    model: Model,
}

impl Run {
    /// What the engine checks before an adoption.
    fn gate_record(&self, gate: Gate, review_date: Timestamp, now: Timestamp) -> DecisionRecord {
        let mut base = DecisionRecord::new(DecisionKind::WorkingModel);
        let steward = MemberId::new(STEWARD);
        match gate {
            Gate::Pass => {
                base.rationale = Some("The workshops asked for it.".into());
                base.alternatives = Some(vec!["Wait a year".into()]);
            }
            Gate::Overridden => {
                base = base.with_override(
                    RuleId::new("T2").unwrap(),
                    steward,
                    "The rationale is published within a week",
                );
            }
            Gate::Fail => {}
        }
        self.state
            .proposal()
            .map(|p| p.record_for_adoption(Some(base.clone()), review_date, now))
            .unwrap_or(base)
    }
}

fn apply_step(mut run: Run, step: &Step) -> (Run, bool) {
    let ctx = Context::new(MemberId::new(step.actor), at(step.minute));
    let before = run.state.clone();
    if let ProposalCommand::RecordDecision {
        round,
        result: DecisionResult::Adopted { review_date },
    } = &step.command
    {
        // The engine's way: the gate first, then the typed step that takes its proof. Only
        // an adoption in phase `in_decision` can be typed; elsewhere the runtime refuses.
        // The typed proposal is replayed from its events, which name it for the gate.
        let typed = match AnyProposal::replay(run.events.clone()) {
            Ok(AnyProposal::InDecision(typed)) => Some(typed),
            _ => None,
        };
        let record = run.gate_record(step.gate, *review_date, ctx.now);
        let record = match &typed {
            Some(typed) => typed.name_record(record),
            None => record,
        };
        let proof = run.charter.gate(&record);
        let (Ok(proof), Some(mut typed)) = (proof, typed) else {
            let refused = ProposalProcess::decide(&run.state, &step.command, &ctx).is_err()
                || step.gate == Gate::Fail;
            assert!(refused, "an adoption went ahead without the gate");
            return (run, false);
        };
        // The same evidence, not named as this proposal's: its proof is refused first.
        let unnamed = DecisionRecord {
            subject: None,
            ..record
        };
        if let Ok(unnamed) = run.charter.gate(&unnamed) {
            let refused = typed
                .adopt(ctx, round.clone(), *review_date, &unnamed)
                .expect_err("a proof for no decision adopts nothing");
            assert!(matches!(refused.error, ProposalError::ProofNotForThis(_)));
            assert_eq!(refused.proposal.state(), &before);
            typed = refused.proposal;
        }
        return match typed.adopt(ctx, round.clone(), *review_date, &proof) {
            Ok(adopted) => {
                run.events = adopted.events().to_vec();
                run.state = adopted.into();
                run.adoptions += 1;
                (run, true)
            }
            Err(refused) => {
                assert_eq!(
                    ProposalState::from(refused.proposal),
                    before,
                    "a refused typed step gives the proposal back unchanged"
                );
                (run, false)
            }
        };
    }
    match ProposalProcess::decide(&run.state, &step.command, &ctx) {
        Ok(events) => {
            for e in events.iter() {
                let from = run.state.phase();
                run.state = ProposalProcess::evolve(run.state, e);
                run.graph
                    .check_step(from, run.state.phase())
                    .expect("every phase change is a declared edge");
                run.events.push(e.clone());
            }
            (run, true)
        }
        Err(_) => {
            assert_eq!(run.state, before, "a refused command changes nothing");
            (run, false)
        }
    }
}

struct Property;

impl StateMachineTest for Property {
    type SystemUnderTest = Run;
    type Reference = ProposalModel;

    fn init_test(_: &Model) -> Run {
        Run {
            graph: ProposalProcess::graph().unwrap(),
            charter: Charter::from_json(
                r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#,
            )
            .unwrap(),
            state: ProposalProcess::initial(),
            events: Vec::new(),
            adoptions: 0,
            model: Model::default(),
        }
    }

    fn apply(run: Run, _: &Model, step: Step) -> Run {
        let next = run.model.take(&step);
        let phase = run.model.phase;
        let (mut run, accepted) = apply_step(run, &step);
        assert_eq!(
            accepted,
            next.is_some(),
            "machine and model disagree on {step:?} in {phase:?}"
        );
        if let Some(next) = next {
            run.model = next;
        }
        run
    }

    fn check_invariants(run: &Run, model: &Model) {
        assert_eq!(
            run.state.phase(),
            model.phase.unwrap_or(P::NotCreated),
            "the machine lands in the model's phase"
        );
        assert_eq!(
            ProposalProcess::replay(&run.events),
            run.state,
            "replaying the events rebuilds the state"
        );
        assert_eq!(run.adoptions, model.adoptions, "adoptions match the model");
        let adopted_events = run
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    ProposalEvent::DecisionRecorded {
                        result: DecisionResult::Adopted { .. },
                        ..
                    }
                )
            })
            .count() as u32;
        assert_eq!(
            adopted_events, run.adoptions,
            "every adoption went through the gate"
        );
        if let Some(p) = run.state.proposal() {
            assert_eq!(
                p.versions().len() as u32,
                model.versions,
                "every version kept"
            );
            let numbers: Vec<u32> = p.versions().iter().map(|v| v.version.get()).collect();
            let expected: Vec<u32> = (1..=model.versions).collect();
            assert_eq!(numbers, expected, "versions are numbered 1, 2, ...");
        }
    }
}

prop_state_machine! {
    #![proptest_config(config())]

    /// The machine takes exactly the commands the model takes, refusals change nothing,
    /// every phase change is declared, replay rebuilds the state, and adoption only follows
    /// a passed (or overridden) gate.
    #[test]
    fn the_machine_follows_the_reference_model(sequential 1..40 => Property);
}

/// The generated runs reach every phase, so the properties are not vacuous.
#[test]
fn the_generated_runs_reach_every_phase() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    for _ in 0..300 {
        let mut m = Model::default();
        for _ in 0..40 {
            let step = ProposalModel::transitions(&m)
                .new_tree(&mut runner)
                .unwrap()
                .current();
            m = ProposalModel::apply(m, &step);
            seen.insert(m.phase.unwrap_or(P::NotCreated));
        }
    }
    for phase in ProposalProcess::graph().unwrap().phases() {
        if phase != P::NotCreated {
            assert!(seen.contains(&phase), "no generated run reached {phase:?}");
        }
    }
}
