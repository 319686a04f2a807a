//! The proposal machine against a reference model, with proptest-state-machine.
//!
//! Generated runs of up to 40 commands (most of them sensible for the phase and issued by
//! the right person, the rest anything at all, by anyone, at any time) are applied to the
//! machine and to a small reference model of its rules (`proposal_model`). The properties:
//! the machine takes exactly the commands the model takes and lands in the model's phase; a
//! refused command changes nothing; every phase change is a declared edge; replaying the
//! events rebuilds the state; and no proposal is adopted unless the value gate passed (or was
//! overridden): the run adopts only after the gate, and the typed façade, which takes the
//! gate's proof, must take the same step.
//!
//! The typed façade runs beside the machine for the whole run, driven by the same commands
//! (`facade_driver`, shared with the other processes): after every step it holds the
//! machine's state and events, typed as the runtime phase, or it refused with the machine's
//! error and handed the proposal back unchanged. The usual runs seldom see a proposer amend a
//! draft or withdraw, so the same property runs again over runs where the proposer does so
//! more often (`ProposerModel`), and a fixed-seed test counts the typed steps of every row of
//! the façade's step table the two take. Another checks the step table itself against the
//! machine (`StepCheck`).
//!
//! Set `COPRODUCTION_PROPTEST_CASES` to run more (or fewer) sequences, for example
//! `COPRODUCTION_PROPTEST_CASES=100000 cargo test --release --test proposal_machine`.

mod facade_driver;
mod proposal_model;

use std::collections::{BTreeMap, BTreeSet};

use coproduction::community::MemberId;
use coproduction::decision::DecisionKind;
use coproduction::machine::testkit::StepCheck;
use coproduction::machine::{Context, Decider, Facade, TransitionGraph};
use coproduction::proposal::{
    AnyProposal, DecisionResult, ProposalCommand, ProposalEvent, ProposalPhase, ProposalProcess,
    ProposalState,
};
use coproduction::values::{Charter, DecisionRecord, RuleId};
use facade_driver::{Driver, Offered};
use proposal_model::*;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

use ProposalPhase as P;

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

/// The machine as an engine drives it, and the typed façade beside it over the same
/// proposal.
struct Run {
    graph: TransitionGraph<ProposalPhase>,
    charter: Charter,
    state: ProposalState,
    events: Vec<ProposalEvent>,
    /// The typed proposal beside the machine.
    typed: Driver<AnyProposal>,
    /// The adoptions the typed façade took, each with the gate's proof.
    adoptions: u32,
    /// The model before the step: proptest-state-machine hands `apply` the model after it.
    model: Model,
}

/// What the engine checks before `command` on a proposal in `state`: the record the command
/// would project (decide, evolve a copy, project), over what the app adds.
fn gate_record(
    state: &ProposalState,
    command: &ProposalCommand,
    ctx: &Context<'_>,
    gate: Gate,
) -> DecisionRecord {
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
    let community = coproduction::community::Community::new();
    let projection = coproduction::process::Projection {
        kind: &DecisionKind::WorkingModel,
        community: &community,
        route: ctx.route,
        now: ctx.now,
    };
    coproduction::process::preview::<ProposalProcess>(
        state,
        command,
        ctx,
        &projection,
        Some(base.clone()),
    )
    .ok()
    .flatten()
    .unwrap_or(base)
}

/// Runs `step` the engine's way: an adoption passes the value gate first, and the typed
/// façade takes the gate's proof, made for the record named as the proposal's as it stands;
/// the machine and the façade run side by side and must agree. Returns whether the step was
/// taken.
fn apply_step(mut run: Run, step: &Step) -> (Run, bool) {
    let route = proposal_model::given_route();
    let ctx = Context::new(MemberId::new(step.actor), at(step.minute)).with_route(&route);
    let before = run.state.clone();
    let decided = ProposalProcess::decide(&run.state, &step.command, &ctx);
    let charter = &run.charter;
    let offered = run.typed.offer(&step.command, ctx, |p| {
        let mut record = gate_record(&before, &step.command, &ctx, step.gate);
        record.subject = p.subject();
        charter.gate(&record)
    });
    let gate_refused = matches!(offered, Offered::GateRefused(_));
    if let Offered::GateRefused(refusal) = &offered {
        // Only the record with neither a rationale nor an override fails the charter.
        assert_eq!(
            step.gate,
            Gate::Fail,
            "the gate refused {step:?}: {refusal}"
        );
        let rules: Vec<&str> = refusal.unmet().iter().map(|u| u.rule.as_str()).collect();
        assert_eq!(rules, ["T2"]);
        assert!(
            decided.is_err() || step.gate == Gate::Fail,
            "the gate refused a sound adoption: {step:?}"
        );
    }
    let accepted = match &decided {
        Ok(events) if !gate_refused => {
            for e in events.iter() {
                let from = run.state.phase();
                run.state = ProposalProcess::evolve(run.state, e);
                run.graph
                    .check_step(from, run.state.phase())
                    .expect("every phase change is a declared edge");
                run.events.push(e.clone());
            }
            true
        }
        _ => {
            assert_eq!(run.state, before, "a refused command changes nothing");
            false
        }
    };
    let decided = decided.map(|_| ());
    run.typed.check(
        &offered,
        &step.command,
        &before,
        decided,
        &run.state,
        &run.events,
    );
    if matches!(offered, Offered::Taken) && run.typed.last() == Some((P::InDecision, "adopt")) {
        run.adoptions += 1;
    }
    (run, accepted)
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
            typed: Driver::new(),
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

/// The same property over [`ProposerModel`]'s runs, where the proposer amends drafts and
/// withdraws more often.
struct ProposerProperty;

impl StateMachineTest for ProposerProperty {
    type SystemUnderTest = Run;
    type Reference = ProposerModel;

    fn init_test(model: &Model) -> Run {
        Property::init_test(model)
    }

    fn apply(run: Run, model: &Model, step: Step) -> Run {
        Property::apply(run, model, step)
    }

    fn check_invariants(run: &Run, model: &Model) {
        Property::check_invariants(run, model);
    }
}

prop_state_machine! {
    #![proptest_config(config())]

    /// The machine takes exactly the commands the model takes, refusals change nothing,
    /// every phase change is declared, replay rebuilds the state, and adoption only follows
    /// a passed (or overridden) gate. The typed façade, driven beside it by the same
    /// commands, takes exactly what the machine takes (a command its phase type offers no
    /// step for, the machine refuses), lands in the same state with the same events, typed
    /// as the runtime phase, and refuses with the machine's own error, handing the proposal
    /// back unchanged. An adoption first offered the gate's proof for the record not named
    /// as this proposal's refuses it, unchanged, and then takes the proof named for it.
    #[test]
    fn the_machine_follows_the_reference_model(sequential 1..40 => Property);

    /// As `the_machine_follows_the_reference_model`, over runs where the proposer amends
    /// drafts and withdraws more often.
    #[test]
    fn the_proposer_runs_follow_the_reference_model(sequential 1..40 => ProposerProperty);
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

/// The typed steps taken over `runs` generated runs of `M`, driven as the property drives
/// them (so every step is checked there too), each run's steps those the model says the
/// machine takes; and what the façade made of every command.
fn typed_steps_taken<M>(runs: u32) -> Driver<AnyProposal>
where
    M: ReferenceStateMachine<State = Model, Transition = Step>,
{
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = M::sequential_strategy(1..40);
    let mut all = Driver::new();
    for _ in 0..runs {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut run = Property::init_test(&m);
        let mut expected = BTreeMap::new();
        for step in steps {
            let phase = m.phase.unwrap_or(P::NotCreated);
            if m.take(&step).is_some() {
                let name = match Driver::<AnyProposal>::row(phase, &step.command) {
                    Some(row) => row.name,
                    None => "start",
                };
                *expected.entry((phase, name)).or_default() += 1;
            }
            m = M::apply(m, &step);
            run = Property::apply(run, &m, step);
            Property::check_invariants(&run, &m);
        }
        assert_eq!(run.typed.taken, expected, "the typed steps of a run");
        all.add(&run.typed);
    }
    all
}

/// The typed façade takes every step of its table, from every phase that offers it, many
/// times, over runs from both generators, each one the model says the machine takes:
/// without this, the property could pass with a typed step never taken. Seen with
/// `TestRunner::deterministic()` over 1,500 runs of each: at least 30 of every kind (the
/// fewest: an evaluation agreed as a pilot starts, and the review of a published agreement
/// opened on its date, which compete there with the steward's other steps).
#[test]
fn the_generated_runs_take_every_typed_step() {
    const RUNS: u32 = 1_500;
    let mut all = typed_steps_taken::<ProposalModel>(RUNS);
    println!(
        "typed steps over {RUNS} usual runs: {:?}; answers {:?}",
        all.taken, all.answers
    );
    let proposer = typed_steps_taken::<ProposerModel>(RUNS);
    println!(
        "typed steps over {RUNS} proposer runs: {:?}; answers {:?}",
        proposer.taken, proposer.answers
    );
    all.add(&proposer);
    for step in AnyProposal::steps() {
        for &from in step.from {
            let n = all.taken.get(&(from, step.name)).copied().unwrap_or(0);
            assert!(n >= 30, "{n} typed steps `{}` from {from:?}", step.name);
        }
    }
    let [taken, refused, no_step, gate_refused] = all.answers;
    assert!(
        refused >= 1_000 && no_step >= 1_000 && gate_refused >= 30,
        "{taken} taken, {refused} refused, {no_step} with no such step, {gate_refused} refused by the gate"
    );
}

/// The step table of the façade agrees with the machine: every phase change a row declares
/// is an edge of `TRANSITIONS`, every command the machine takes from a typed phase is sent by
/// one row offered there and lands where that row says, and over the generated runs every
/// landing the table declares is taken.
#[test]
fn the_step_table_agrees_with_the_machine() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let route = proposal_model::given_route();
    let mut check = StepCheck::<ProposalProcess>::new(AnyProposal::steps());
    let usual = ProposalModel::sequential_strategy(1..40);
    let proposer = ProposerModel::sequential_strategy(1..40);
    for i in 0..2_000 {
        let strategy = if i % 2 == 0 { &usual } else { &proposer };
        let (_, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut state = ProposalProcess::initial();
        for step in &steps {
            let ctx = Context::new(MemberId::new(step.actor), at(step.minute)).with_route(&route);
            state = check.run(state, &step.command, &ctx);
        }
    }
    check.assert_every_landing_seen();
}
