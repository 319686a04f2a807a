//! Model-based property tests of the consent-round machine.
//!
//! Random command sequences, each command from a random member of a small fixed cast (see
//! `common::consent`) at a time that usually moves forward, are run against
//! [`ConsentProcess`] and, step by step, against an independent reference model of the rules
//! in the `consent` module guide. The model is written from the guide, not from the
//! machine's code: it keeps only the phase, the clock, the objection round, the current
//! responses (by kind), the answered advice, and each objection's objector and status, and it
//! predicts for every command whether the machine must take it or refuse it.
//!
//! Each property runs as its own test over 1,000 sequences of 1 to 39 commands; set
//! `COPRODUCTION_PROPTEST_CASES` to run more (or fewer) sequences per property, for example
//! `COPRODUCTION_PROPTEST_CASES=100000 cargo test --release --test consent_machine`.

mod common;
mod consent_model;
mod facade_driver;

use coproduction::machine::RefusalKind;
use coproduction::process::Refusal;
use std::collections::{BTreeMap, BTreeSet};

use common::consent::{ctx, is_eligible, may_respond_for};
use coproduction::consent::{
    AnyRound, ConsentError, ConsentProcess, HandedRole, ObjectionId, ObjectionStatus, RoundCommand,
    RoundEvent, RoundPhase, RoundState,
};
use coproduction::decision::Method;
use coproduction::machine::testkit::StepCheck;
use coproduction::machine::{Decider, Facade, TransitionGraph};
use facade_driver::Driver;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

use consent_model::commands::*;
use consent_model::*;

use RoundPhase as P;

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
// The system under test, and the properties
// ---------------------------------------------------------------------------------------

/// Which property a test checks.
const MODEL: u8 = 0;
const SETTLED: u8 = 1;
const ROLES: u8 = 2;
const UNCHANGED: u8 = 3;
const GRAPH: u8 = 4;
const REPLAY: u8 = 5;
const FACADE: u8 = 6;
const JOURNAL: u8 = 7;

/// The machine as an app would drive it: the state, its events, the same events as read
/// back from JSON (a journal), and the typed façade over the same round.
struct Run {
    graph: TransitionGraph<RoundPhase>,
    state: RoundState,
    events: Vec<RoundEvent>,
    journal: Vec<RoundEvent>,
    typed: Driver<AnyRound>,
}

/// A property checked over random runs; `CHECK` names the property.
struct Property<const CHECK: u8>;

/// The role rules, stated without the model: who may never issue `step` in `state`, and why.
fn role_refusal(state: &RoundState, step: &Step) -> Option<&'static str> {
    let a = step.actor;
    let objector = |id: ObjectionId| {
        state
            .round()
            .and_then(|r| r.objections().iter().find(|o| o.id == id))
            .map(|o| o.objector.get())
    };
    // The proposer as the round holds the role now (it may have been handed on).
    let proposer = state
        .round()
        .map_or(PROPOSER, |r| r.config().roles.proposer.get());
    let secretary = state.round().map(|r| r.config().roles.secretary.get());
    match &step.command {
        RoundCommand::Open { .. } if a != PROPOSER && a != FACILITATOR => {
            Some("only the proposer or the facilitator opens")
        }
        RoundCommand::Respond { member, .. } if !is_eligible(member.get()) => {
            Some("a response for a member outside the eligible snapshot")
        }
        RoundCommand::Respond { member, .. } if !may_respond_for(a, member.get()) => {
            Some("a response by someone neither the member nor their named supporter")
        }
        RoundCommand::AskQuestion { .. } | RoundCommand::React { .. } if !is_eligible(a) => {
            Some("only eligible members ask and react")
        }
        RoundCommand::Advance {}
        | RoundCommand::CloseRound {}
        | RoundCommand::TestObjection { .. }
        | RoundCommand::AbandonObjection { .. }
        | RoundCommand::Defer { .. }
        | RoundCommand::Escalate { .. }
            if a != FACILITATOR =>
        {
            Some("a facilitator's command from someone else")
        }
        RoundCommand::Amend { .. }
        | RoundCommand::Withdraw { .. }
        | RoundCommand::Decide { .. }
        | RoundCommand::AnswerAdvice { .. }
            if a != proposer =>
        {
            Some("a proposer's command from someone else")
        }
        RoundCommand::HandOnRole {
            role: HandedRole::Secretary,
            ..
        } if a != FACILITATOR => {
            Some("the secretary's role handed on by another than the facilitator")
        }
        RoundCommand::HandOnRole {
            role: HandedRole::Proposer,
            ..
        } if a != FACILITATOR && Some(a) != secretary && !is_eligible(a) => Some(
            "the proposer's role handed on by another than the facilitator, the secretary or a seated member",
        ),
        // The secretary as the round holds the role now (it may have been handed on).
        RoundCommand::RecordOutcome { .. }
            if state
                .round()
                .is_some_and(|r| a != r.config().roles.secretary.get()) =>
        {
            Some("a secretary's command from someone else")
        }
        RoundCommand::ConfirmResolved { objection }
            if a != proposer && objector(*objection) != Some(a) =>
        {
            Some("a confirmation from neither the objector nor the proposer")
        }
        RoundCommand::WithdrawObjection { objection } if objector(*objection) != Some(a) => {
            Some("an objection withdrawn by someone other than its objector")
        }
        _ => None,
    }
}

fn kinds(state: &RoundState) -> BTreeMap<u64, Kind> {
    state.round().map_or_else(BTreeMap::new, |r| {
        r.responses()
            .into_iter()
            .map(|(m, resp)| (m.get(), Kind::of(&resp.response).0))
            .collect()
    })
}

impl<const CHECK: u8> StateMachineTest for Property<CHECK> {
    type SystemUnderTest = Run;
    type Reference = RoundModel;

    fn init_test(_: &Model) -> Run {
        Run {
            graph: ConsentProcess::graph().unwrap(),
            state: ConsentProcess::initial(),
            events: Vec::new(),
            journal: Vec::new(),
            typed: Driver::new(),
        }
    }

    fn apply(mut run: Run, model: &Model, step: Step) -> Run {
        let ctx = ctx(step.actor, step.minute);
        let before = run.state.clone();
        let decided = ConsentProcess::decide(&run.state, &step.command, &ctx);
        match &decided {
            Ok(events) => {
                for event in events {
                    let from = run.state.phase();
                    run.state = ConsentProcess::evolve(run.state, event);
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
            }
            Err(_) => {
                if CHECK == UNCHANGED {
                    assert_eq!(run.state, before, "a refused {step:?} changed the state");
                }
            }
        }

        match CHECK {
            MODEL => {
                let expected = model.accepted.unwrap();
                assert_eq!(
                    decided.is_ok(),
                    expected,
                    "the model says {step:?} must be {} in {:?}; the machine answered {decided:?}",
                    if expected { "taken" } else { "refused" },
                    before.phase(),
                );
                assert_eq!(run.state.phase(), model.phase, "phase after {step:?}");
                if let Some(round) = run.state.round() {
                    assert_eq!(round.objection_round(), model.objection_round);
                    let objections: Vec<(u64, ObjectionStatus)> = round
                        .objections()
                        .iter()
                        .map(|o| (o.objector.get(), o.status))
                        .collect();
                    let predicted: Vec<(u64, ObjectionStatus)> = model
                        .objections
                        .iter()
                        .map(|o| (o.objector, o.status))
                        .collect();
                    assert_eq!(objections, predicted, "objections after {step:?}");
                    assert_eq!(round.concerns().len(), model.concerns);
                    assert_eq!(round.amendments().len(), model.amendments);
                    assert_eq!(kinds(&run.state), model.responses);
                    let answered: BTreeSet<u64> =
                        round.advice_answers().keys().map(|m| m.get()).collect();
                    assert_eq!(answered, model.answered);
                }
            }
            ROLES => {
                if let Some(rule) = role_refusal(&before, &step) {
                    assert!(decided.is_err(), "took {rule}: {step:?}");
                }
            }
            UNCHANGED | FACADE => {
                let offered = run.typed.offer(&step.command, ctx, |round| {
                    Ok(common::consent::passed_gate(round.subject()))
                });
                let decided = decided.map(|_| ());
                run.typed.check(
                    &offered,
                    &step.command,
                    &before,
                    decided,
                    &run.state,
                    &run.events,
                );
            }
            _ => {}
        }
        run
    }

    fn check_invariants(run: &Run, _: &Model) {
        match CHECK {
            SETTLED => {
                if let Some(round) = run.state.round()
                    && matches!(round.phase(), P::Adopted | P::Consented)
                {
                    let open: Vec<_> = round
                        .objections()
                        .iter()
                        .filter(|o| {
                            matches!(o.status, ObjectionStatus::Valid | ObjectionStatus::Raised)
                        })
                        .collect();
                    assert!(
                        open.is_empty(),
                        "{:?} with open objections {open:?}",
                        round.phase()
                    );
                }
            }
            REPLAY => assert_eq!(ConsentProcess::replay(&run.events), run.state),
            JOURNAL => assert_eq!(ConsentProcess::replay(&run.journal), run.state),
            FACADE => match AnyRound::replay(run.events.clone()) {
                Ok(round) => {
                    assert_eq!(round.phase(), run.state.phase());
                    assert_eq!(Some(round.round()), run.state.round());
                }
                Err(error) => {
                    assert_eq!(run.state, RoundState::NotOpened);
                    assert!(matches!(
                        error,
                        ConsentError::Shared(Refusal {
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

prop_state_machine! {
    #![proptest_config(config())]

    /// The machine takes exactly the commands the reference model takes, and lands in the
    /// model's phase, objection round, objections (objector and status), concerns,
    /// amendments, responses and answered advice.
    #[test]
    fn the_machine_follows_the_reference_model(sequential 1..40 => Property<MODEL>);

    /// A round in phase `consented` or `adopted` never has an objection that is `raised` or
    /// `valid`.
    #[test]
    fn never_adopted_with_an_open_objection(sequential 1..40 => Property<SETTLED>);

    /// A response for a member outside the eligible snapshot, or recorded by someone who is
    /// neither the member nor a named supporter, is always refused; so is every command that
    /// needs the facilitator, proposer, secretary, an eligible member or the objector when
    /// someone else issues it.
    #[test]
    fn only_the_right_people_are_heard(sequential 1..40 => Property<ROLES>);

    /// A refused command leaves the state exactly as it was: the runtime state, and the
    /// typed round handed back inside `Refused` (state and events).
    #[test]
    fn a_refused_command_changes_nothing(sequential 1..40 => Property<UNCHANGED>);

    /// Every phase change is an edge of `ConsentProcess::graph()`.
    #[test]
    fn every_phase_change_is_a_declared_edge(sequential 1..40 => Property<GRAPH>);

    /// Replaying the events rebuilds the live state after every step.
    #[test]
    fn replaying_the_events_rebuilds_the_state(sequential 1..40 => Property<REPLAY>);

    /// Replaying the events as a journal keeps them (written to JSON and read back) rebuilds
    /// the live state after every step.
    #[test]
    fn replaying_the_journal_rebuilds_the_state(sequential 1..40 => Property<JOURNAL>);

    /// The typed façade agrees with the runtime machine: driven by the same commands (each
    /// through the typed step whose row sends it), it takes and refuses the same ones, with
    /// the same errors, holds the machine's state and events, hands a refused round back
    /// unchanged, takes adoption only with the proof made for the round, and
    /// `AnyRound::replay` of the events lands in the runtime phase.
    #[test]
    fn the_typed_facade_agrees_with_the_machine(sequential 1..40 => Property<FACADE>);
}

/// The generator reaches every phase and every objection status: without this, the
/// properties above could pass on shallow runs.
#[test]
fn the_generated_runs_reach_every_phase_and_status() {
    let mut runner = TestRunner::deterministic();
    let strategy = RoundModel::sequential_strategy(1..40);
    let mut phases = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    let mut taken = 0usize;
    let mut refused = 0usize;
    for _ in 0..500 {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        for step in &steps {
            m = RoundModel::apply(m, step);
            if m.accepted == Some(true) {
                taken += 1;
            } else {
                refused += 1;
            }
            phases.insert(m.phase);
            statuses.extend(m.objections.iter().map(|o| o.status.label()));
        }
    }
    let every_phase: BTreeSet<RoundPhase> =
        ConsentProcess::TRANSITIONS.phases.iter().copied().collect();
    assert_eq!(phases, every_phase);
    let every_status: BTreeSet<&str> = [
        "raised",
        "valid",
        "resolved",
        "kept_as_concern",
        "withdrawn",
        "abandoned",
    ]
    .into_iter()
    .collect();
    assert_eq!(statuses, every_status);
    // Both outcomes must be common, or one side of every property goes untested.
    assert!(
        taken * 5 > refused && refused * 5 > taken,
        "{taken} taken, {refused} refused"
    );
}

/// The smallest case of the journal failure: the opening event of a round whose config names
/// a supporter does not read back from its own JSON, because the supporters map is keyed by
/// member id, JSON writes the keys as strings, and serde's internally tagged `RoundEvent`
/// buffers them as strings before the id's `u64` can be read.
#[test]
fn an_opened_event_with_supporters_reads_back_from_json() {
    let config = common::consent::config(Method::Consent);
    assert!(!config.supporters.is_empty());
    let events = ConsentProcess::decide(
        &RoundState::NotOpened,
        &RoundCommand::Open {
            config: Box::new(config),
        },
        &ctx(PROPOSER, 0),
    )
    .unwrap();
    let json = serde_json::to_string(&events).unwrap();
    let back: Vec<RoundEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, events);
}

/// The step table of the façade agrees with the machine: every phase change a row declares
/// is an edge of `TRANSITIONS`, every command the machine takes from a typed phase is sent by
/// one row offered there and lands where that row says, and over the generated runs every
/// landing the table declares, from every phase that offers the step, is taken.
#[test]
fn the_step_table_agrees_with_the_machine() {
    let mut runner = TestRunner::deterministic();
    let strategy = RoundModel::sequential_strategy(1..40);
    let mut check = StepCheck::<ConsentProcess>::new(AnyRound::steps());
    let generated = (0..2_000).map(|_| strategy.new_tree(&mut runner).unwrap().current().1);
    for steps in generated.chain(advice_runs()) {
        let mut state = ConsentProcess::initial();
        for step in &steps {
            state = check.run(state, &step.command, &ctx(step.actor, step.minute));
        }
    }
    check.assert_every_landing_seen();
}

/// The typed path takes every step of the table, from every phase that offers it, over the
/// façade property's runs: without this, the property could pass with a typed step never
/// taken.
#[test]
fn the_generated_runs_take_every_typed_step() {
    let mut runner = TestRunner::deterministic();
    let strategy = RoundModel::sequential_strategy(1..40);
    let mut all = Driver::<AnyRound>::new();
    for _ in 0..1_000 {
        let (mut m, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        let mut run = Property::<FACADE>::init_test(&m);
        for step in steps {
            m = RoundModel::apply(m, &step);
            run = Property::<FACADE>::apply(run, &m, step);
            Property::<FACADE>::check_invariants(&run, &m);
        }
        all.add(&run.typed);
    }
    for steps in advice_runs() {
        all.run(
            steps
                .into_iter()
                .map(|step| (step.command, ctx(step.actor, step.minute))),
        );
    }
    println!("typed steps: {:?}; answers {:?}", all.taken, all.answers);
    let untaken = all.untaken(2);
    assert!(untaken.is_empty(), "typed steps seldom taken: {untaken:?}");
    let [taken, refused, no_step, _] = all.answers;
    assert!(
        taken >= 1_000 && refused >= 1_000 && no_step >= 1_000,
        "{taken} taken, {refused} refused, {no_step} with no such step"
    );
}

/// Two advice processes, one adopted and one declined by the decider: the generated runs
/// seldom answer every piece of advice, which deciding waits for.
fn advice_runs() -> Vec<Vec<Step>> {
    let mut config = common::consent::config(Method::AdviceProcess);
    config.quorum = coproduction::consent::Quorum::NONE;
    let step = |actor, minute, command| Step {
        actor,
        minute,
        command,
    };
    [true, false]
        .map(|adopt| {
            vec![
                step(
                    PROPOSER,
                    0,
                    RoundCommand::Open {
                        config: Box::new(config.clone()),
                    },
                ),
                step(FACILITATOR, 1, RoundCommand::Advance {}),
                step(FACILITATOR, 2, RoundCommand::Advance {}),
                step(FACILITATOR, 3, RoundCommand::Advance {}),
                step(
                    3,
                    4,
                    RoundCommand::Respond {
                        member: coproduction::community::MemberId::new(3),
                        response: coproduction::consent::Response::Advice {
                            advice: "Ask the carers' forum first.".into(),
                            affected: true,
                            expertise: false,
                        },
                    },
                ),
                step(
                    PROPOSER,
                    5,
                    RoundCommand::AnswerAdvice {
                        member: coproduction::community::MemberId::new(3),
                        answer: "Asked; they agree.".into(),
                    },
                ),
                step(
                    PROPOSER,
                    6,
                    RoundCommand::Decide {
                        adopt,
                        rationale: "Advice weighed.".into(),
                    },
                ),
            ]
        })
        .into()
}
