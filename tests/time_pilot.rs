//! A pilot scheduled to start later, through the engine's public API: what is due, the tick
//! that starts it on its day (and only then), its review counted from its start, and the
//! reassessment round held for the proposal that decides the review.

mod engine_support;

use coproduction::ProposalProcess;
use coproduction::consent::{DeadlineStep, Response, RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::ProcessError;
use coproduction::engine::{
    Due, DueItem, ENGINE_ACTOR, Engine, EngineError, EngineEvent, ProcessCommand, Request,
};
use coproduction::journal::{MemoryJournal, StreamId};
use coproduction::proposal::{
    DecisionResult, ProposalCommand, ProposalError, ProposalEvent, ProposalPhase,
};
use coproduction::values::Evidence;
use jiff::SignedDuration;

use engine_support::living::{adopt, open_on, proposal, propose};
use engine_support::{CO_1, CO_2, STAFF_1, STAFF_2, at};

type TestEngine = Engine<MemoryJournal<EngineEvent>>;

const DAY: i64 = 60 * 24;

fn model() -> StreamId {
    StreamId::new("pilot-model").unwrap()
}

fn reassessment() -> StreamId {
    StreamId::new("pilot-reassessment").unwrap()
}

/// A working model decided at minute 10 (to be reviewed 180 days on), published, and its
/// pilot scheduled on day 1 to start on day 30 and run for 60 days.
fn scheduled() -> TestEngine {
    scheduled_for(30, 60)
}

/// As [`scheduled`], the pilot to start on day `starts` and run for `lasts` days.
fn scheduled_for(starts: i64, lasts: i64) -> TestEngine {
    let engine = open_on(MemoryJournal::new());
    propose(&engine, &model(), DecisionKind::WorkingModel, vec![], 0);
    engine.handle(adopt(&model(), 10)).unwrap();
    let steward = |minute, command| proposal(&model(), CO_1, minute, command);
    engine
        .handle(steward(
            20,
            ProposalCommand::Publish {
                rationale: "The workshops asked for it.".into(),
                alternatives: vec![],
            },
        ))
        .unwrap();
    engine
        .handle(steward(
            DAY,
            ProposalCommand::SchedulePilot {
                starts: at(starts * DAY),
                lasts: SignedDuration::from_hours(24 * lasts),
            },
        ))
        .unwrap();
    engine
}

fn due_in_model(engine: &TestEngine, minute: i64) -> Vec<DueItem> {
    engine
        .due(at(minute))
        .into_iter()
        .filter(|d| d.stream == model())
        .map(|Due { item, .. }| item)
        .collect()
}

#[test]
fn a_scheduled_pilot_is_due_to_start_and_a_tick_starts_it_on_its_day_once() {
    let engine = scheduled();
    let starting = |step| DueItem::PilotStarting {
        starts: at(30 * DAY),
        review_date: at(90 * DAY),
        step,
    };
    assert_eq!(due_in_model(&engine, 29 * DAY), [starting(None)]);
    assert!(engine.tick(at(29 * DAY)).unwrap().taken.is_empty());
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::PilotScheduled)
    );

    assert_eq!(
        due_in_model(&engine, 30 * DAY),
        [starting(Some(DeadlineStep::StartPilot))]
    );
    let tick = engine.tick(at(30 * DAY + 5)).unwrap();
    assert_eq!(tick.taken.len(), 1);
    let taken = &tick.taken[0];
    assert_eq!(
        (&taken.stream, taken.step),
        (&model(), DeadlineStep::StartPilot)
    );
    assert_eq!(taken.events.len(), 1);
    assert_eq!(taken.events[0].actor, ENGINE_ACTOR);
    assert_eq!(
        taken.events[0].event,
        EngineEvent::from(ProposalEvent::PilotStarted {
            ends: at(90 * DAY),
            by: ENGINE_ACTOR,
            at: at(30 * DAY + 5),
        })
    );
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::Pilot)
    );
    // Idempotent: nothing left to start.
    assert!(engine.tick(at(30 * DAY + 5)).unwrap().taken.is_empty());

    // The review falls due counted from the pilot's start, not from the decision's date.
    assert_eq!(
        due_in_model(&engine, 90 * DAY),
        [DueItem::ReviewDue {
            review_date: at(90 * DAY),
            overdue: true
        }]
    );
}

/// Opens the review of the pilot on its end date and the reassessment round held for the
/// proposal, on the route governance gives, and brings it to consent.
fn reassessing(engine: &TestEngine) {
    engine.tick(at(30 * DAY)).unwrap();
    let steward = |minute, command| proposal(&model(), CO_1, minute, command);
    engine
        .handle(steward(90 * DAY, ProposalCommand::OpenReview {}))
        .unwrap();
    engine
        .handle(steward(
            90 * DAY + 1,
            ProposalCommand::StartDecision {
                round: reassessment(),
            },
        ))
        .unwrap();
    let round = |actor, minute, command: RoundCommand| {
        Request::new(reassessment(), actor, at(90 * DAY + minute), command)
    };
    let open = round(
        STAFF_1,
        2,
        RoundCommand::OpenOnRoute {
            title: "Continue the working model after its pilot".into(),
            proposal: "The evaluation found paid preparation time worked: continue.".into(),
            roles: RoundRoles {
                proposer: STAFF_1,
                facilitator: CO_1,
                secretary: STAFF_2,
            },
        },
    )
    .with_kind(DecisionKind::WorkingModel)
    .deciding_for(model());
    engine.handle(open).unwrap();
    for minute in 3..=5 {
        engine
            .handle(round(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    for (minute, who) in (10..).zip([STAFF_1, CO_1, CO_2]) {
        let respond = RoundCommand::Respond {
            member: who,
            response: Response::consent(),
        };
        engine.handle(round(who, minute, respond)).unwrap();
    }
    engine
        .handle(round(CO_1, 20, RoundCommand::CloseRound {}))
        .unwrap();
}

#[test]
fn a_pilots_review_is_decided_by_the_reassessment_round_held_for_it_in_one_batch() {
    let engine = scheduled();
    reassessing(&engine);
    // Nobody continues it by hand meanwhile.
    let by_hand = engine.handle(proposal(
        &model(),
        CO_1,
        90 * DAY + 21,
        ProposalCommand::Continue {
            review_date: at(400 * DAY),
        },
    ));
    assert!(matches!(
        by_hand,
        Err(EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::RoundRunning { .. }),
            ..
        })
    ));
    let adopt = Request::new(
        reassessment(),
        STAFF_2,
        at(90 * DAY + 30),
        ProcessCommand::from(RoundCommand::RecordOutcome {
            statement: "Continued as the standing working model.".into(),
            review_date: at(455 * DAY),
        }),
    )
    .with_evidence(Evidence {
        rationale: Some("The pilot's evaluation showed the roles worked.".into()),
        alternatives: Some(vec!["Pilot for six more months".into()]),
        ..Evidence::default()
    });
    let written = engine.handle(adopt).unwrap();
    // The round's adoption and the proposal's continuation, in one batch.
    let reassessed = written
        .iter()
        .find(|e| e.stream == model())
        .expect("the proposal records what its reassessment reached");
    assert_eq!(
        reassessed.event,
        EngineEvent::from(ProposalEvent::Reassessed {
            round: reassessment(),
            result: DecisionResult::Adopted {
                review_date: at(455 * DAY)
            },
            by: STAFF_2,
            at: at(90 * DAY + 30),
        })
    );
    assert!(written.last().is_some_and(|e| e.last_in_batch));
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::Implementing)
    );
    assert_eq!(
        due_in_model(&engine, 100 * DAY),
        [DueItem::ReviewDue {
            review_date: at(455 * DAY),
            overdue: false
        }]
    );
}

#[test]
fn a_pilots_review_is_not_continued_by_the_steward_alone() {
    let engine = scheduled();
    engine.tick(at(30 * DAY)).unwrap();
    let steward = |minute, command| proposal(&model(), CO_1, minute, command);
    engine
        .handle(steward(90 * DAY, ProposalCommand::OpenReview {}))
        .unwrap();
    let refused = engine.handle(steward(
        90 * DAY + 1,
        ProposalCommand::Continue {
            review_date: at(400 * DAY),
        },
    ));
    assert!(matches!(
        refused,
        Err(EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::ReassessmentRequired { .. }),
            ..
        })
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 48, ..Default::default() })]

    /// For any schedule and any tick: the tick starts the pilot exactly when its start has
    /// come, once, with its end counted from its start; before, it takes nothing.
    #[test]
    fn a_tick_starts_a_scheduled_pilot_only_once_its_day_has_come(
        starts in 2..60i64,
        lasts in 1..100i64,
        tick in 0..200i64,
    ) {
        let engine = scheduled_for(starts, lasts);
        let taken = engine.tick(at(tick * DAY)).unwrap().taken;
        let come = tick >= starts;
        proptest::prop_assert_eq!(taken.len(), usize::from(come));
        let phase = engine.phase::<ProposalProcess>(&model());
        let expected = if come { ProposalPhase::Pilot } else { ProposalPhase::PilotScheduled };
        proptest::prop_assert_eq!(phase, Some(expected));
        let review = engine
            .state(&model())
            .and_then(|s| match s {
                coproduction::engine::ProcessState::Proposal(p) => p.proposal().and_then(|p| p.review_date()),
                _ => None,
            });
        proptest::prop_assert_eq!(review, Some(at((starts + lasts) * DAY)));
        proptest::prop_assert!(engine.tick(at(tick * DAY)).unwrap().taken.is_empty());
    }
}
