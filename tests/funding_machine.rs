//! Property tests of the funding decider against a reference model, with
//! proptest-state-machine.
//!
//! The model is a small, independent statement of the rules: which commands are taken in
//! which phase, with which data, and where each leads. Generated runs mix the commands the
//! current phase expects (so runs reach deciding, acceptance and review) with arbitrary ones
//! (so refusals are exercised everywhere). Few of those runs reach a decision, so the typed
//! façade, and the model, checks, route and unchanged properties once more, run over deeper
//! runs (`DeepFundingModel`), where about two in five decide.
//! Set `COPRODUCTION_PROPTEST_CASES` to run more (or fewer) sequences per property, for
//! example `COPRODUCTION_PROPTEST_CASES=20000 cargo test --release --test funding_machine`.

mod facade_driver;
mod funding_common;

use coproduction::machine::RefusalKind;
use coproduction::process::Refusal;
use std::collections::{BTreeMap, BTreeSet};

use coproduction::funding::{
    AnyFunding, Check, FundingCommand, FundingError, FundingEvent, FundingPhase, FundingProcess,
    FundingState,
};
use coproduction::machine::testkit::StepCheck;
use coproduction::machine::{Context, Decider, Facade, TransitionGraph};
use facade_driver::{Driver, Offered, proof_for};
use funding_common::model::{DeepFundingModel, FundingModel, Model, Step};
use funding_common::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

use FundingPhase as P;

/// Sequences per property: `COPRODUCTION_PROPTEST_CASES`, or 1,000.
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

// ---------------------------------------------------------------------------------------
// The system under test
// ---------------------------------------------------------------------------------------

const MODEL: u8 = 0;
const RED_LINE: u8 = 1;
const CHECKS: u8 = 2;
const ROUTE: u8 = 3;
const UNCHANGED: u8 = 4;
const GRAPH: u8 = 5;
const REPLAY: u8 = 6;
const JOURNAL: u8 = 7;
const FACADE: u8 = 8;
const TYPED: u8 = 9;

/// The machine as an app would drive it: the state, its events, the same events as read
/// back from JSON (a journal), and the typed façade over the same decision.
struct Run {
    graph: TransitionGraph<FundingPhase>,
    state: FundingState,
    events: Vec<FundingEvent>,
    journal: Vec<FundingEvent>,
    typed: Driver<AnyFunding>,
    /// The typed decisions taken, by the phase each landed in.
    decided: BTreeMap<FundingPhase, u32>,
}

impl Run {
    /// Runs `step` through the typed façade beside the machine, which answered `decided`
    /// in `before`, and checks that they agree. An acceptance takes the gate's proof for
    /// the decision as it stands.
    fn check_typed(
        &mut self,
        step: &Step,
        ctx: Context,
        before: &FundingState,
        decided: Result<(), FundingError>,
    ) {
        let offered = self.typed.offer(&step.command, ctx, |funding| {
            Ok(proof_for(funding.subject()))
        });
        self.typed.check(
            &offered,
            &step.command,
            before,
            decided,
            &self.state,
            &self.events,
        );
        if matches!(offered, Offered::Taken)
            && matches!(step.command, FundingCommand::Decide { .. })
        {
            *self.decided.entry(self.state.phase()).or_default() += 1;
        }
    }
}

struct Property<const CHECK: u8>;

impl<const CHECK: u8> StateMachineTest for Property<CHECK> {
    type SystemUnderTest = Run;
    type Reference = FundingModel;

    fn init_test(_: &Model) -> Run {
        Run {
            graph: FundingProcess::graph().unwrap(),
            state: FundingProcess::initial(),
            events: Vec::new(),
            journal: Vec::new(),
            typed: Driver::new(),
            decided: BTreeMap::new(),
        }
    }

    fn apply(mut run: Run, model: &Model, step: Step) -> Run {
        let ctx = routed(step.actor, step.minute, step.route);
        let before = run.state.clone();
        let decided: Result<_, FundingError> =
            FundingProcess::decide(&run.state, &step.command, &ctx);
        match &decided {
            Ok(events) => {
                for event in events {
                    let from = run.state.phase();
                    run.state = FundingProcess::evolve(run.state, event);
                    let to = run.state.phase();
                    if CHECK == GRAPH {
                        assert!(
                            from == to || run.graph.allows(from, to),
                            "{from:?} -> {to:?} is not a declared transition (after {step:?})"
                        );
                    }
                    if CHECK == JOURNAL {
                        let json = serde_json::to_string(event).unwrap();
                        run.journal.push(serde_json::from_str(&json).unwrap());
                    }
                }
                run.events.extend(events.iter().cloned());
                if let FundingCommand::Decide { .. } = &step.command {
                    let d = before.decision().unwrap();
                    match CHECK {
                        CHECKS => assert!(
                            d.missing_checks().is_empty(),
                            "decided with checks missing: {:?}",
                            d.missing_checks()
                        ),
                        ROUTE => {
                            let taken = events.iter().find_map(|e| match e {
                                FundingEvent::Decided { route_taken, .. } => Some(&**route_taken),
                                _ => None,
                            });
                            assert_eq!(
                                taken,
                                d.route().and_then(|r| r.summary()).as_ref(),
                                "decided along another route than the one screened on"
                            );
                        }
                        _ => {}
                    }
                }
            }
            Err(_) => {
                if CHECK == UNCHANGED {
                    assert_eq!(run.state, before, "a refused {step:?} changed the state");
                }
            }
        }
        if CHECK == TYPED {
            run.check_typed(
                &step,
                ctx,
                &before,
                decided.as_ref().map(|_| ()).map_err(Clone::clone),
            );
        }
        if CHECK == MODEL {
            let expected = model.accepted.unwrap();
            assert_eq!(
                decided.is_ok(),
                expected,
                "the model says {step:?} must be {} in {:?}; the machine answered {decided:?}",
                if expected { "taken" } else { "refused" },
                before.phase(),
            );
            assert_eq!(run.state.phase(), model.phase, "phase after {step:?}");
            if let Some(d) = run.state.decision() {
                let done: BTreeSet<Check> = d.checks().keys().copied().collect();
                assert_eq!(done, model.done);
                let declared: BTreeMap<u64, bool> = d
                    .declarations()
                    .iter()
                    .map(|(m, x)| (m.get(), x.recused))
                    .collect();
                assert_eq!(declared, model.declared);
                assert_eq!(d.advice().len(), model.advice.len());
            }
        }
        run
    }

    fn check_invariants(run: &Run, _: &Model) {
        match CHECK {
            RED_LINE => {
                if let Some(d) = run.state.decision() {
                    assert!(
                        !(d.phase().is_accepted() && d.red_line_hit()),
                        "a red-line offer reached {:?}",
                        d.phase()
                    );
                    if d.red_line_hit() {
                        assert_eq!(d.phase(), P::Declined);
                        assert!(d.listing().is_some(), "the reason was not published");
                    }
                }
            }
            CHECKS => {
                if let Some(d) = run.state.decision()
                    && d.decided().is_some()
                {
                    assert!(d.missing_checks().is_empty());
                    let decided = d.decided().unwrap().at;
                    assert!(d.checks().values().all(|c| c.at <= decided));
                }
            }
            ROUTE => {
                if let Some(d) = run.state.decision()
                    && let Some(decision) = d.decided()
                {
                    assert_eq!(
                        Some(&decision.route_taken),
                        d.route().and_then(|r| r.summary()).as_ref()
                    );
                }
            }
            REPLAY => assert_eq!(FundingProcess::replay(&run.events), run.state),
            JOURNAL => assert_eq!(FundingProcess::replay(&run.journal), run.state),
            FACADE => match AnyFunding::replay(run.events.clone()) {
                Ok(any) => {
                    assert_eq!(any.phase(), run.state.phase());
                    assert_eq!(Some(any.decision()), run.state.decision());
                }
                Err(error) => {
                    assert_eq!(run.state, FundingState::NotIdentified);
                    assert!(matches!(
                        error,
                        FundingError::Shared(Refusal {
                            kind: RefusalKind::NotStarted { .. },
                            ..
                        })
                    ));
                }
            },
            _ => {}
        }
    }
}

/// A property over runs that mostly reach deciding: the steps from deciding on
/// (accepting, publishing, reviewing) are rare in [`FundingModel`]'s runs.
struct Deep<const CHECK: u8>;

impl<const CHECK: u8> StateMachineTest for Deep<CHECK> {
    type SystemUnderTest = Run;
    type Reference = DeepFundingModel;

    fn init_test(model: &Model) -> Run {
        Property::<CHECK>::init_test(model)
    }

    fn apply(run: Run, model: &Model, step: Step) -> Run {
        Property::<CHECK>::apply(run, model, step)
    }

    fn check_invariants(run: &Run, model: &Model) {
        Property::<CHECK>::check_invariants(run, model);
    }
}

/// The façade property runs deep.
type DeepTyped = Deep<TYPED>;

prop_state_machine! {
    #![proptest_config(config())]

    /// The machine takes exactly the commands the reference model takes, and lands in the
    /// model's phase, checks, declarations and advice.
    #[test]
    fn the_machine_follows_the_reference_model(sequential 1..70 => Property<MODEL>);

    /// An offer that hits a red line is never accepted: it is declined at screening with its
    /// reason published, and stays declined.
    #[test]
    fn never_accepted_with_a_red_line_hit(sequential 1..70 => Property<RED_LINE>);

    /// No decision is taken while a required check is incomplete, and every check was done
    /// before the decision.
    #[test]
    fn never_decided_with_an_incomplete_required_check(sequential 1..70 => Property<CHECKS>);

    /// Every decision is taken along the governance route recorded at screening.
    #[test]
    fn never_decided_along_another_route(sequential 1..70 => Property<ROUTE>);

    /// A refused command leaves the state exactly as it was.
    #[test]
    fn a_refused_command_changes_nothing(sequential 1..70 => Property<UNCHANGED>);

    /// Every phase change is an edge of `FundingProcess::graph()`.
    #[test]
    fn every_phase_change_is_a_declared_edge(sequential 1..70 => Property<GRAPH>);

    /// Replaying the events rebuilds the live state after every step.
    #[test]
    fn replaying_the_events_rebuilds_the_state(sequential 1..70 => Property<REPLAY>);

    /// Replaying the events as a journal keeps them (JSON and back) rebuilds the state.
    #[test]
    fn replaying_the_journal_rebuilds_the_state(sequential 1..70 => Property<JOURNAL>);

    /// `AnyFunding::replay` of the events lands in the runtime phase, typed as that phase.
    #[test]
    fn the_typed_replay_agrees_with_the_machine(sequential 1..70 => Property<FACADE>);

    /// The typed façade, driven by the same commands, takes exactly what the machine takes
    /// (a command its phase type offers no step for, the machine refuses), lands in the same
    /// state with the same events, typed as the runtime phase, and refuses with the machine's
    /// own error, handing the decision back unchanged. An acceptance first offered a proof for
    /// no decision refuses it, unchanged, and then takes the proof named for this decision.
    #[test]
    fn the_typed_facade_agrees_with_the_machine(sequential 1..70 => DeepTyped);

    /// As `the_machine_follows_the_reference_model`, over runs that mostly reach deciding.
    #[test]
    fn deep_runs_follow_the_reference_model(sequential 1..70 => Deep<MODEL>);

    /// As `never_decided_with_an_incomplete_required_check`, over runs that mostly decide.
    #[test]
    fn deep_runs_never_decide_with_an_incomplete_required_check(sequential 1..70 => Deep<CHECKS>);

    /// As `never_decided_along_another_route`, over runs that mostly decide.
    #[test]
    fn deep_runs_never_decide_along_another_route(sequential 1..70 => Deep<ROUTE>);

    /// As `a_refused_command_changes_nothing`, over runs that mostly reach deciding.
    #[test]
    fn deep_runs_change_nothing_on_a_refused_command(sequential 1..70 => Deep<UNCHANGED>);
}

/// The generators reach every phase, and the usual one takes and refuses commands often:
/// without this, the properties above could pass on shallow runs.
#[test]
fn the_generated_runs_reach_every_phase() {
    let mut runner = TestRunner::deterministic();
    let strategy = FundingModel::sequential_strategy(1..70);
    let mut phases = BTreeSet::new();
    let (mut taken, mut refused) = (0usize, 0usize);
    for _ in 0..500 {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        for step in &steps {
            m = FundingModel::apply(m, step);
            if m.accepted == Some(true) {
                taken += 1;
            } else {
                refused += 1;
            }
            phases.insert(m.phase);
        }
    }
    // The deep runs, which the properties run over too, reach the phases past a decision
    // (a review that ends the funding) that the usual runs reach only now and then.
    let deep = DeepFundingModel::sequential_strategy(1..70);
    for _ in 0..200 {
        let (mut m, steps, _) = deep.new_tree(&mut runner).unwrap().current();
        for step in &steps {
            m = DeepFundingModel::apply(m, step);
            phases.insert(m.phase);
        }
    }
    let every: BTreeSet<FundingPhase> =
        FundingProcess::TRANSITIONS.phases.iter().copied().collect();
    assert_eq!(phases, every);
    assert!(
        taken * 5 > refused && refused * 5 > taken,
        "{taken} taken, {refused} refused"
    );
}

/// The façade property's runs take typed decisions of every kind, each one the model says
/// the machine takes: without this, the property could pass without a typed acceptance.
#[test]
fn the_deep_runs_accept_and_decline_through_the_facade() {
    const RUNS: u32 = 1_000;
    let mut runner = TestRunner::deterministic();
    let strategy = DeepFundingModel::sequential_strategy(1..70);
    let mut typed: BTreeMap<FundingPhase, u32> = BTreeMap::new();
    for _ in 0..RUNS {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut run = DeepTyped::init_test(&m);
        let mut expected: BTreeMap<FundingPhase, u32> = BTreeMap::new();
        for step in steps {
            m = FundingModel::apply(m, &step);
            if m.accepted == Some(true) && matches!(step.command, FundingCommand::Decide { .. }) {
                *expected.entry(m.phase).or_default() += 1;
            }
            run = DeepTyped::apply(run, &m, step);
        }
        assert_eq!(run.decided, expected, "the typed decisions of a run");
        for (phase, n) in run.decided {
            *typed.entry(phase).or_default() += n;
        }
    }
    println!("typed decisions over {RUNS} runs: {typed:?}");
    for phase in [
        P::Accepted,
        P::AcceptedWithConditions,
        P::Declined,
        P::Deferred,
        P::Escalated,
    ] {
        let n = typed.get(&phase).copied().unwrap_or(0);
        assert!(n >= 10, "{n} typed decisions reached {phase:?}");
    }
}

/// The step table of the façade agrees with the machine: every phase change a row declares
/// is an edge of `TRANSITIONS`, every command the machine takes from a typed phase is sent by
/// one row offered there and lands where that row says, and over the generated runs (usual
/// and deep) every landing the table declares is taken.
#[test]
fn the_step_table_agrees_with_the_machine() {
    let mut runner = TestRunner::deterministic();
    let mut check = StepCheck::<FundingProcess>::new(AnyFunding::steps());
    let usual = FundingModel::sequential_strategy(1..70);
    let deep = DeepFundingModel::sequential_strategy(1..70);
    for i in 0..1_500 {
        let strategy = if i % 2 == 0 { &usual } else { &deep };
        let (_, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut state = FundingProcess::initial();
        for step in &steps {
            let ctx = routed(step.actor, step.minute, step.route);
            state = check.run(state, &step.command, &ctx);
        }
    }
    check.assert_every_landing_seen();
}

/// The typed path takes every step of the table over the façade property's deep runs:
/// without this, the property could pass with a typed step never taken.
#[test]
fn the_deep_runs_take_every_typed_step() {
    let mut runner = TestRunner::deterministic();
    let strategy = DeepFundingModel::sequential_strategy(1..70);
    let mut all = Driver::<AnyFunding>::new();
    for _ in 0..500 {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut run = DeepTyped::init_test(&m);
        for step in steps {
            m = FundingModel::apply(m, &step);
            run = DeepTyped::apply(run, &m, step);
        }
        all.add(&run.typed);
    }
    println!("typed steps: {:?}; answers {:?}", all.taken, all.answers);
    let untaken = all.untaken(1);
    assert!(untaken.is_empty(), "typed steps seldom taken: {untaken:?}");
}
