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

mod proposal_model;

use std::collections::BTreeSet;

use coproduction::community::MemberId;
use coproduction::decision::DecisionKind;
use coproduction::machine::{Context, Decider, TransitionGraph};
use coproduction::proposal::{
    AnyProposal, DecisionResult, ProposalCommand, ProposalError, ProposalEvent, ProposalPhase,
    ProposalProcess, ProposalState,
};
use coproduction::values::{Charter, DecisionRecord, RuleId};
use jiff::Timestamp;
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
