//! Time that moves the process, as a property: whatever sequence of members' requests and
//! ticks reaches two rounds (each with its own time boxes and its own choice of what
//! happens at the deadline), after a tick at time T
//!
//! - nothing due at or before T is left that the round's configuration says to handle
//!   (every item with a step was taken, or reported refused);
//! - the tick took exactly the steps `due` said it would;
//! - a second tick at T appends nothing;
//! - no step is taken that the configuration did not choose: everything the engine wrote
//!   on its own is on a round that chose a step, is the lapse of a box that had ended,
//!   followed by the chosen step (a round that chose to defer is never closed).
//!
//! `COPRODUCTION_PROPTEST_CASES` sets the number of sequences (256 by default).

use std::collections::BTreeMap;

use coproduction::community::MemberId;
use coproduction::consent::{
    AbsencePolicy, AtDeadline, DeadlineStep, QuorumSize, Response, RoundCommand, RoundConfig,
    RoundEvent, RoundRoles, TimeBox,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ENGINE_ACTOR, Engine, EngineEvent, ProcessCommand, Request};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::process::PartCommand;
use coproduction::values::Charter;
use jiff::SignedDuration;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("COPRODUCTION_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

mod time_support;

use time_support::{FACILITATOR, at, community, m, team};

const STREAMS: [&str; 2] = ["a", "b"];

/// How one round is set up: its time boxes, what it does at the deadline, how absence
/// counts and how many must respond.
#[derive(Debug, Clone)]
struct Setup {
    deadline: Option<i64>,
    per_phase: Option<i64>,
    at_deadline: AtDeadline,
    absence: AbsencePolicy,
    quorum: u32,
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        prop::option::of(5i64..=150),
        prop::option::weighted(0.3, 5i64..=40),
        prop::sample::select(vec![
            AtDeadline::None,
            AtDeadline::Defer,
            AtDeadline::CloseWithThoseHeard,
        ]),
        prop::sample::select(vec![
            AbsencePolicy::CountAsAbsent,
            AbsencePolicy::CountAsNoObjection,
            AbsencePolicy::Defer,
        ]),
        1u32..=2,
    )
        .prop_map(
            |(deadline, per_phase, at_deadline, absence, quorum)| Setup {
                deadline,
                per_phase,
                at_deadline,
                absence,
                quorum,
            },
        )
}

#[derive(Debug, Clone)]
enum Act {
    Advance,
    Respond { member: u64, object: bool },
    Close,
    Defer,
    Extend { by: i64 },
    Remind,
    RecordOutcome,
    Tick,
}

#[derive(Debug, Clone)]
struct Step {
    /// Which round (an index into [`STREAMS`]).
    round: usize,
    /// Minutes after the previous step.
    after: i64,
    act: Act,
}

fn step() -> impl Strategy<Value = Step> {
    let act = prop_oneof![
        8 => Just(Act::Advance),
        6 => (1u64..=3, prop::bool::weighted(0.2)).prop_map(|(member, object)| Act::Respond { member, object }),
        2 => Just(Act::Close),
        1 => Just(Act::Defer),
        1 => (-5i64..=40).prop_map(|by| Act::Extend { by }),
        1 => Just(Act::Remind),
        1 => Just(Act::RecordOutcome),
        4 => Just(Act::Tick),
    ];
    (0usize..2, 0i64..=5, act).prop_map(|(round, after, act)| Step { round, after, act })
}

fn stream(round: usize) -> StreamId {
    StreamId::new(STREAMS[round % STREAMS.len()]).unwrap()
}

fn open(round: usize, setup: &Setup) -> Request {
    let roles = RoundRoles {
        proposer: FACILITATOR,
        facilitator: FACILITATOR,
        secretary: FACILITATOR,
    };
    let mut config =
        RoundConfig::consent(&community(), &team(), "Meet", "Monthly.", roles).unwrap();
    config.absence = setup.absence;
    config.quorum.size = QuorumSize::Count { min: setup.quorum };
    config.time_box = TimeBox {
        deadline: setup.deadline.map(at),
        per_phase: setup.per_phase.map(SignedDuration::from_mins),
        at_deadline: setup.at_deadline,
    };
    Request::new(
        stream(round),
        FACILITATOR,
        at(0),
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(DecisionKind::Operational)
}

fn request(step: &Step, minute: i64) -> Option<Request> {
    let (actor, command): (MemberId, ProcessCommand) = match &step.act {
        Act::Advance => (FACILITATOR, RoundCommand::Advance {}.into()),
        Act::Respond { member, object } => {
            let response = if *object {
                Response::Object {
                    reason: "It harms our capacity".into(),
                }
            } else {
                Response::consent()
            };
            let command = RoundCommand::Respond {
                member: m(*member),
                response,
            };
            (m(*member), command.into())
        }
        Act::Close => (FACILITATOR, RoundCommand::CloseRound {}.into()),
        Act::Defer => (
            FACILITATOR,
            RoundCommand::Defer {
                reason: "Out of time".into(),
            }
            .into(),
        ),
        Act::Extend { by } => (
            FACILITATOR,
            RoundCommand::ExtendTimeBox {
                until: at(minute + by),
                reason: "Members asked for more time".into(),
            }
            .into(),
        ),
        Act::Remind => (
            FACILITATOR,
            PartCommand::Remind {
                members: [m(2), m(3)].into(),
                channel: "email".into(),
            }
            .into(),
        ),
        Act::RecordOutcome => (
            FACILITATOR,
            RoundCommand::RecordOutcome {
                statement: "Monthly".into(),
                review_date: at(minute + 100_000),
            }
            .into(),
        ),
        Act::Tick => return None,
    };
    Some(Request::new(stream(step.round), actor, at(minute), command))
}

fn written(engine: &Engine<MemoryJournal<coproduction::EngineEvent>>) -> usize {
    engine.journal().read_all().unwrap().len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn a_tick_handles_what_the_configuration_chose_once_and_nothing_else(
        setups in (setup(), setup()),
        steps in prop::collection::vec(step(), 0..60),
    ) {
        let setups = [setups.0, setups.1];
        let chose: BTreeMap<StreamId, AtDeadline> = setups
            .iter()
            .enumerate()
            .map(|(n, s)| (stream(n), s.at_deadline))
            .collect();
        let engine = Engine::builder(community())
            .charter(Charter::from_json(r#"{"values": [{"id": "transparent"}], "rules": []}"#).unwrap())
            .open(MemoryJournal::new())
            .unwrap();
        for (n, setup) in setups.iter().enumerate() {
            engine.handle(open(n, setup)).unwrap();
        }
        let mut minute = 0;
        for step in &steps {
            minute += step.after;
            let now = at(minute);
            if let Some(request) = request(step, minute) {
                // A box whose configured step is due is not extended away before a tick
                // takes it.
                let due_step = matches!(step.act, Act::Extend { .. })
                    && engine
                        .due(now)
                        .iter()
                        .any(|d| d.stream == stream(step.round) && d.item.step().is_some());
                // A refused request changes nothing; the property is about time.
                let handled = engine.handle(request);
                prop_assert!(!(due_step && handled.is_ok()), "a due step was extended away");
                continue;
            }
            let promised: BTreeMap<StreamId, DeadlineStep> = engine
                .due(now)
                .into_iter()
                .filter_map(|d| Some((d.stream, d.item.step()?)))
                .collect();
            let tick = engine.tick(now).unwrap();
            let done: BTreeMap<StreamId, DeadlineStep> = tick
                .taken
                .iter()
                .map(|t| (t.stream.clone(), t.step))
                .chain(tick.refused.iter().map(|r| (r.stream.clone(), r.step)))
                .collect();
            // The tick took exactly the steps `due` said it would.
            prop_assert_eq!(&promised, &done);
            for (stream, step) in &done {
                prop_assert_ne!(chose[stream], AtDeadline::None);
                if chose[stream] == AtDeadline::Defer {
                    prop_assert_eq!(*step, DeadlineStep::Defer);
                }
            }
            // Nothing due at or before now is left that the configuration handles.
            let left: Vec<_> = engine
                .due(now)
                .into_iter()
                .filter(|d| d.item.step().is_some())
                .filter(|d| !tick.refused.iter().any(|r| r.stream == d.stream))
                .collect();
            prop_assert!(left.is_empty(), "left after the tick: {:?}", left);
            // Idempotent.
            let before = written(&engine);
            let again = engine.tick(now).unwrap();
            prop_assert!(again.taken.is_empty());
            prop_assert_eq!(written(&engine), before);
        }

        // Everything the engine wrote on its own, beyond the founding, is a configured
        // step: the lapse of a box that had ended, then the step the round chose.
        let journal = engine.journal().read_all().unwrap();
        let community_stream = coproduction::living::stream();
        let own: Vec<_> = journal
            .iter()
            .filter(|e| e.actor == ENGINE_ACTOR && e.stream != community_stream)
            .collect();
        for pair in own.chunks(2) {
            prop_assert_eq!(pair.len(), 2);
            let (lapse, step) = (&pair[0], &pair[1]);
            prop_assert_eq!(&lapse.stream, &step.stream);
            let chosen = chose[&lapse.stream];
            let EngineEvent::Consent { event: RoundEvent::TimeBoxLapsed { ended, rule, at }, .. } = &lapse.event else {
                return Err(TestCaseError::fail(format!("not a lapse: {:?}", lapse.event)));
            };
            prop_assert_eq!(*rule, chosen);
            prop_assert!(*ended < *at);
            match &step.event {
                EngineEvent::Consent { event: RoundEvent::Deferred { .. }, .. } => {}
                EngineEvent::Consent { event: RoundEvent::RoundClosed { .. }, .. } => {
                    prop_assert_eq!(chosen, AtDeadline::CloseWithThoseHeard);
                }
                other => return Err(TestCaseError::fail(format!("not a configured step: {other:?}"))),
            }
        }
    }
}
