//! A pilot scheduled to start later, through the engine's public API: what is due, the tick
//! that starts it on its day (and only then), its review counted from its start, the
//! reassessment round held for the proposal that decides the review, and the pilot's
//! benefits and impact evaluation that round decides on (rule C8), in its records and the
//! metrics, against evidence from outsiders, out of its time or too long.

mod engine_support;

use coproduction::community::{MemberId, Share};
use coproduction::consent::RoundPhase;
use coproduction::consent::{DeadlineStep, Response, RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::ProcessError;
use coproduction::engine::{
    Due, DueItem, ENGINE_ACTOR, Engine, EngineError, EngineEvent, ProcessCommand, Request,
};
use coproduction::evaluation::{Benefit, Datum, EvaluationPlan, Gathered, QuestionId, Source};
use coproduction::journal::Journal;
use coproduction::journal::{Envelope, MemoryJournal, StreamId};
use coproduction::machine::RefusalKind;
use coproduction::process::PartCommand;
use coproduction::process::Refusal;
use coproduction::proposal::{
    DecisionResult, ProposalCommand, ProposalError, ProposalEvent, ProposalPhase,
};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{
    Acknowledgement, Charter, Evidence, Outcome, ReviewEnd, ReviewEscalation, ReviewRoundResult,
    RuleId, Status,
};
use coproduction::{ConsentProcess, ProposalProcess};
use jiff::SignedDuration;

use engine_support::living::{adopt, dissolve, open_on, open_with, proposal, propose};
use engine_support::{ALLY, CO_1, CO_2, STAFF_1, STAFF_2, at};

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
    scheduled_under(open_on(MemoryJournal::new()), starts, lasts)
}

/// The working model on `engine`, decided at minute 10 (to be reviewed 180 days on) and
/// published at minute 20.
fn published_on(engine: &TestEngine) {
    propose(engine, &model(), DecisionKind::WorkingModel, vec![], 0);
    engine.handle(adopt(&model(), 10)).unwrap();
    engine
        .handle(proposal(
            &model(),
            CO_1,
            20,
            ProposalCommand::Publish {
                rationale: "The workshops asked for it.".into(),
                alternatives: vec![],
            },
        ))
        .unwrap();
}

/// As [`scheduled_for`], on `engine`.
fn scheduled_under(engine: TestEngine, starts: i64, lasts: i64) -> TestEngine {
    published_on(&engine);
    let steward = |minute, command| proposal(&model(), CO_1, minute, command);
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
    let tick = engine.tick(at(30 * DAY)).unwrap();
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
            at: at(30 * DAY),
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

/// A request by staff member 1, at `minute`, opening a round on `stream` about the working
/// model, on the route governance gives, with `title` and `text`: staff member 1 proposes,
/// co-producer 1 facilitates, staff member 2 records.
fn opening(stream: StreamId, minute: i64, title: &str, text: &str) -> Request {
    Request::new(
        stream,
        STAFF_1,
        at(minute),
        RoundCommand::OpenOnRoute {
            title: title.into(),
            proposal: text.into(),
            roles: RoundRoles {
                proposer: STAFF_1,
                facilitator: CO_1,
                secretary: STAFF_2,
            },
        },
    )
    .with_kind(DecisionKind::WorkingModel)
}

/// Starts the pilot, and opens its review on its end date, the steward starting its
/// decision in the reassessment round at minute 1 of that day.
fn review_started(engine: &TestEngine) {
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
}

/// Opens the review of the pilot on its end date and the reassessment round held for the
/// proposal, on the route governance gives, at minute 2 of its day.
fn reassessment_opened(engine: &TestEngine) {
    review_started(engine);
    let open = opening(
        reassessment(),
        90 * DAY + 2,
        "Continue the working model after its pilot",
        "The evaluation found paid preparation time worked: continue.",
    );
    engine.handle(open.deciding_for(model())).unwrap();
}

/// `command` by `actor` in the reassessment round, `minute` minutes into the review's day.
fn in_reassessment(actor: MemberId, minute: i64, command: RoundCommand) -> Request {
    Request::new(reassessment(), actor, at(90 * DAY + minute), command)
}

/// As [`reassessment_opened`], and the round brought to consent.
fn reassessing(engine: &TestEngine) {
    reassessment_opened(engine);
    for minute in 3..=5 {
        engine
            .handle(in_reassessment(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    for (minute, who) in (10..).zip([STAFF_1, CO_1, CO_2]) {
        let respond = RoundCommand::Respond {
            member: who,
            response: Response::consent(),
        };
        engine
            .handle(in_reassessment(who, minute, respond))
            .unwrap();
    }
    engine
        .handle(in_reassessment(CO_1, 20, RoundCommand::CloseRound {}))
        .unwrap();
}

/// Asserts that `written` holds, on the proposal, the engine's record that `round`
/// continued the agreement to day 455, `minute` minutes into the review's day: the engine
/// saw the round reach it, so it is the engine's record, not the secretary's word.
fn continued_by(written: &[Envelope<EngineEvent>], round: StreamId, minute: i64) {
    let reassessed = written
        .iter()
        .find(|e| e.stream == model())
        .expect("the proposal records what the round reached");
    assert_eq!(
        reassessed.event,
        EngineEvent::from(ProposalEvent::Reassessed {
            round,
            result: DecisionResult::Adopted {
                review_date: at(455 * DAY)
            },
            by: ENGINE_ACTOR,
            at: at(90 * DAY + minute),
        })
    );
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
    let written = record_reassessment(&engine, None).unwrap();
    // The round's adoption and the proposal's continuation, in one batch.
    continued_by(&written, reassessment(), 30);
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

/// A reassessment round that escalates a pilot's review: the review stays open, the body it
/// went to decides it where it went, and the record says so; nothing here decides it any
/// more (another round, the steward's continuation or retirement, an amendment: each refused
/// naming the round and the body), and answers to what the review asked are still taken.
#[test]
fn a_review_whose_reassessment_round_escalated_is_decided_only_where_it_went() {
    let engine = scheduled();
    let to = reassessment_escalated(&engine);
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
    let record = engine.record(&model(), at(90 * DAY + 4)).unwrap();
    assert_eq!(record.reviews[0].escalated_to.as_ref(), Some(&to));
    let report = engine.report(&model(), at(90 * DAY + 4)).unwrap();
    let names = engine.community();
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_names(&names)
        .to_string();
    let body = names.body(&to).unwrap().name.clone();
    assert!(
        text.contains(
            &format!(
                "`{}` escalated it to {body}, which decides it",
                reassessment()
            )
            .replace('`', "\\`")
        ),
        "{text}"
    );

    for (who, command) in [
        (
            CO_1,
            ProposalCommand::StartDecision {
                round: StreamId::new("reassessment-2").unwrap(),
            },
        ),
        (
            CO_1,
            ProposalCommand::Continue {
                review_date: at(400 * DAY),
            },
        ),
        (
            CO_1,
            ProposalCommand::Retire {
                reason: "The steward would end it".into(),
            },
        ),
        (
            STAFF_1,
            ProposalCommand::Amend {
                text: "Another version".into(),
                answers: vec![],
            },
        ),
    ] {
        let refused = engine
            .handle(proposal(&model(), who, 90 * DAY + 5, command))
            .unwrap_err();
        assert_left_to(&refused, &to);
    }
    let open = RoundCommand::OpenOnRoute {
        title: "Continue the working model, again".into(),
        proposal: "Continue it.".into(),
        roles: RoundRoles {
            proposer: STAFF_1,
            facilitator: CO_1,
            secretary: STAFF_2,
        },
    };
    let open = Request::new(
        StreamId::new("reassessment-2").unwrap(),
        STAFF_1,
        at(90 * DAY + 6),
        open,
    )
    .with_kind(DecisionKind::WorkingModel)
    .deciding_for(model());
    let refused = engine.handle(open).unwrap_err();
    assert!(
        matches!(refused, EngineError::RoundNotAwaited { .. }),
        "{refused}"
    );
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
}

/// The reassessment round escalated to the body next on the route's escalation chain;
/// returns that body.
fn reassessment_escalated(engine: &TestEngine) -> coproduction::community::BodyId {
    reassessment_opened(engine);
    escalate_reassessment(engine)
}

/// The reassessment round's facilitator escalates it at minute 3, to the body its route
/// escalates to, which this returns.
fn escalate_reassessment(engine: &TestEngine) -> coproduction::community::BodyId {
    let route = engine
        .governance()
        .unwrap()
        .route(&DecisionKind::WorkingModel, Default::default())
        .unwrap();
    let to = route.escalation[0].clone();
    let escalate = RoundCommand::Escalate {
        to: to.clone(),
        reason: "The decision circle should weigh the pilot's evaluation".into(),
    };
    engine.handle(in_reassessment(CO_1, 3, escalate)).unwrap();
    to
}

fn take_up() -> StreamId {
    StreamId::new("pilot-taken-up").unwrap()
}

/// `command` by `actor` in the round taking the escalated review up, `minute` minutes into
/// the review's day.
fn in_take_up(actor: MemberId, minute: i64, command: RoundCommand) -> Request {
    Request::new(take_up(), actor, at(90 * DAY + minute), command)
}

/// Asserts `refused` refuses a step on the proposal because the reassessment round
/// escalated its review to `to`, which decides it.
fn assert_left_to(refused: &EngineError, to: &coproduction::community::BodyId) {
    assert!(
        matches!(refused, EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::ReviewEscalated { round, to: went, .. }),
            ..
        } if *round == reassessment() && went == to),
        "{refused}"
    );
}

/// The request that opens `round`, `minute` minutes into the review's day, taking up the
/// escalated reassessment round in the body it went to.
fn taking_up(round: StreamId, minute: i64) -> Request {
    Request::new(
        round,
        STAFF_1,
        at(90 * DAY + minute),
        RoundCommand::OpenOnRoute {
            title: "The pilot's review, escalated".into(),
            proposal: "Continue the working model.".into(),
            roles: RoundRoles {
                proposer: STAFF_1,
                facilitator: CO_1,
                secretary: STAFF_2,
            },
        },
    )
    .with_kind(DecisionKind::WorkingModel)
    .taking_up(reassessment())
}

/// The body the review went to takes it up in a round of its own, and brings it to
/// consent; every member of the decision circle consents.
fn taken_up_to_consent(engine: &TestEngine) -> Vec<Envelope<EngineEvent>> {
    taken_up_to_consent_by(engine, [1, 2, 5, 9, 13, 14, 16, 18].map(MemberId::new))
}

/// As [`taken_up_to_consent`], the body that takes it up being `members`.
fn taken_up_to_consent_by(
    engine: &TestEngine,
    members: impl IntoIterator<Item = MemberId>,
) -> Vec<Envelope<EngineEvent>> {
    let opened = engine.handle(taking_up(take_up(), 40)).unwrap();
    for minute in 41..=43 {
        engine
            .handle(in_take_up(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    for (minute, who) in (50..).zip(members) {
        let respond = RoundCommand::Respond {
            member: who,
            response: Response::consent(),
        };
        engine.handle(in_take_up(who, minute, respond)).unwrap();
    }
    engine
        .handle(in_take_up(CO_1, 60, RoundCommand::CloseRound {}))
        .unwrap();
    opened
}

/// The take-up's secretary records, at minute 70, that it continues the agreement to day
/// 455, on the evaluation `body` found sound.
fn take_up_continues(body: &str) -> Request {
    in_take_up(
        STAFF_2,
        70,
        RoundCommand::RecordOutcome {
            statement: "Continued as the standing working model.".into(),
            review_date: at(455 * DAY),
        },
    )
    .with_evidence(Evidence {
        rationale: Some(format!("{body} found the pilot's evaluation sound.").into()),
        alternatives: Some(vec!["Pilot for six more months".into()]),
        ..Evidence::default()
    })
}

/// The round taking up an escalated review decides for the proposal: an ally outside the
/// decision circle it went to does not open it (a take-up is the circle's), nor is named
/// its proposer by a member of the circle (who alone could withdraw it); nothing is
/// written, and the circle's member then takes it up.
#[test]
fn an_escalated_review_is_taken_up_by_those_who_sit_where_it_went() {
    let engine = scheduled();
    reassessment_escalated(&engine);
    let written = engine.journal().read_all().unwrap().len();
    let taking_up_by = |actor: MemberId, proposer: MemberId| {
        let mut request = taking_up(take_up(), 40);
        request.actor = actor;
        if let ProcessCommand::Consent {
            command: RoundCommand::OpenOnRoute { roles, .. },
        } = &mut request.command
        {
            roles.proposer = proposer;
            roles.facilitator = actor;
        }
        request
    };
    let refused = engine.handle(taking_up_by(ALLY, ALLY)).unwrap_err();
    assert!(
        matches!(&refused, EngineError::NotEscalated { reason, .. }
            if reason.contains("does not sit on the body it went to")),
        "{refused}"
    );
    let refused = engine.handle(taking_up_by(STAFF_1, ALLY)).unwrap_err();
    assert!(
        matches!(&refused, EngineError::RoundNotTheirs { member, target, .. }
            if *member == ALLY && *target == model()),
        "{refused}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    engine.handle(taking_up(take_up(), 40)).unwrap();
}

/// Where the review went, the round that takes it up decides it: it registers with the
/// proposal as the review's round when it opens (in the same batch), and what it reaches
/// continues the agreement there, recorded by the engine.
#[test]
fn an_escalated_review_is_decided_by_the_round_that_takes_it_up_where_it_went() {
    let engine = scheduled();
    let to = reassessment_escalated(&engine);
    let opened = taken_up_to_consent(&engine);
    assert!(
        opened.iter().any(|e| e.stream == model()
            && e.event
                == EngineEvent::from(ProposalEvent::ReassessmentStarted {
                    round: take_up(),
                    by: ENGINE_ACTOR,
                    at: at(90 * DAY + 40),
                })),
        "{opened:?}"
    );
    // While it runs, nothing here decides the review by hand either.
    let by_hand = engine.handle(proposal(
        &model(),
        CO_1,
        90 * DAY + 61,
        ProposalCommand::Continue {
            review_date: at(400 * DAY),
        },
    ));
    assert!(
        matches!(
            by_hand,
            Err(EngineError::Refused {
                source: ProcessError::Proposal(ProposalError::RoundRunning { .. }),
                ..
            })
        ),
        "{by_hand:?}"
    );
    let written = engine.handle(take_up_continues("The circle")).unwrap();
    continued_by(&written, take_up(), 70);
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::Implementing)
    );
    let record = engine.record(&model(), at(90 * DAY + 71)).unwrap();
    assert_eq!(record.reviews[0].escalated_to, None);
    assert!(
        record.reviews[0].rounds.contains(&take_up()),
        "{:?}",
        record.reviews[0]
    );
    // The take-up's own record says what it took up, and where it had gone.
    let taken = engine.record(&take_up(), at(90 * DAY + 71)).unwrap();
    assert_eq!(
        taken.escalated_from.map(|e| (e.stream, e.to)),
        Some((reassessment(), to))
    );
    // That escalation was the first review's, decided where it went: the next review is
    // decided by a round of its own here again.
    let second = StreamId::new("pilot-second-review").unwrap();
    let steward = |day: i64, command| proposal(&model(), CO_1, day, command);
    engine
        .handle(steward(455 * DAY, ProposalCommand::OpenReview {}))
        .unwrap();
    engine
        .handle(steward(
            455 * DAY + 1,
            ProposalCommand::StartDecision {
                round: second.clone(),
            },
        ))
        .unwrap();
    let open = opening(
        second.clone(),
        455 * DAY + 2,
        "Continue the working model",
        "Continue it for another year.",
    );
    engine.handle(open.deciding_for(model())).unwrap();
    let record = engine.record(&model(), at(455 * DAY + 3)).unwrap();
    assert_eq!(record.reviews[1].rounds, vec![second]);
}

/// A take-up that ends deciding nothing (withdrawn) leaves the review where it went: the
/// steward still decides nothing here, and the body takes it up again.
#[test]
fn a_withdrawn_take_up_leaves_the_review_with_the_body_it_went_to() {
    let engine = scheduled();
    let to = reassessment_escalated(&engine);
    taken_up_to_consent(&engine);
    let withdraw = in_take_up(
        STAFF_1,
        65,
        RoundCommand::Withdraw {
            reason: "The circle will meet on it in person".into(),
        },
    );
    engine.handle(withdraw).unwrap();
    let refused = engine
        .handle(proposal(
            &model(),
            CO_1,
            90 * DAY + 66,
            ProposalCommand::Continue {
                review_date: at(400 * DAY),
            },
        ))
        .unwrap_err();
    assert_left_to(&refused, &to);
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
    // The record names the round that escalated it, not the take-up that was withdrawn.
    let record = engine.record(&model(), at(90 * DAY + 66)).unwrap();
    assert_eq!(record.reviews[0].escalated_by, Some(reassessment()));
    let report = engine.report(&model(), at(90 * DAY + 66)).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(&format!(
            "the reassessment round \\`{}\\` escalated it",
            reassessment()
        )),
        "{text}"
    );
    // Another round takes it up again, and decides it there.
    let again = taking_up(StreamId::new("pilot-taken-up-again").unwrap(), 67);
    let written = engine.handle(again).unwrap();
    assert!(written.iter().any(|e| e.stream == model()), "{written:?}");
}

/// The body the review went to is dissolved before anyone takes it up: what is due says so,
/// the map in force routes the matter, a member of the body it names takes it up, and what
/// that round reaches decides the review. The record tells the way the review went.
#[test]
fn an_escalated_review_whose_body_was_dissolved_is_taken_up_where_the_map_in_force_routes_it() {
    let engine = scheduled();
    reassessment_opened(&engine);
    // Payment offered to a co-producer while the round runs, answered only later.
    let payment = |actor, minute, command| {
        Request::new(
            reassessment(),
            actor,
            at(90 * DAY + minute),
            ProcessCommand::Part { command },
        )
    };
    let offer = PartCommand::OfferPayment {
        member: CO_2,
        benefits_advice: true,
    };
    engine.handle(payment(CO_1, 2, offer)).unwrap();
    let to = escalate_reassessment(&engine);
    let awaited = |minute| {
        engine
            .due(at(90 * DAY + minute))
            .into_iter()
            .filter(|d| matches!(d.item, DueItem::TakeUpAwaited { .. }))
            .collect::<Vec<_>>()
    };
    let waiting = |dissolved| Due {
        stream: reassessment(),
        item: DueItem::TakeUpAwaited {
            to: to.clone(),
            escalated_at: at(90 * DAY + 3),
            dissolved,
        },
    };
    assert_eq!(awaited(4), vec![waiting(false)]);
    dissolve(
        &engine,
        &StreamId::new("no-circle").unwrap(),
        &to,
        90 * DAY + 5,
    );
    // A body formed again under its id, of allies, is another body: the review did not go
    // to it.
    let again = coproduction::community::Body::new(
        to.clone(),
        "A new circle",
        coproduction::community::BodyKind::Custom,
    )
    .with_members([5, 6, 7].map(MemberId::new));
    let formed = StreamId::new("circle-again").unwrap();
    let form = coproduction::living::CommunityChange::FormBody { body: again };
    propose(
        &engine,
        &formed,
        DecisionKind::Governance,
        vec![form],
        90 * DAY + 20,
    );
    engine.handle(adopt(&formed, 90 * DAY + 30)).unwrap();
    // An answer to the payment offer, after it all, moves neither when it was escalated nor
    // where it went.
    let answer = PartCommand::AnswerPayment { accept: true };
    engine.handle(payment(CO_2, 34, answer)).unwrap();
    assert_eq!(awaited(35), vec![waiting(true)]);
    let record = engine.record(&model(), at(90 * DAY + 35)).unwrap();
    let report = engine.report(&model(), at(90 * DAY + 35)).unwrap();
    let community = engine.community();
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_names(&community)
        .to_string();
    assert!(
        text.contains(&format!(
            "escalated it to \\`{to}\\`, which the community has dissolved since"
        )) && !text.contains("A new circle"),
        "{text}"
    );
    // A member of the new circle, who does not sit on the body the map in force gives (the
    // associate roles team, for a working model), does not take it up.
    let mut outsider = taking_up(take_up(), 40);
    outsider.actor = MemberId::new(6);
    let refused = engine.handle(outsider).unwrap_err();
    assert!(
        matches!(refused, EngineError::NotEscalated { .. })
            && refused.to_string().contains("map in force"),
        "{refused}"
    );
    // Nor is it routed on facts the take-up gives: the map in force routes it in the case
    // the review's round was routed in.
    let claimed = taking_up(take_up(), 40).with_facts(coproduction::governance::RouteFacts {
        amount: Some(90_000),
        ..Default::default()
    });
    let refused = engine.handle(claimed).unwrap_err();
    assert!(
        matches!(refused, EngineError::Unwitnessed { .. })
            && refused.to_string().contains("the escalated process"),
        "{refused}"
    );
    // A member of the team takes it up, and the team decides it.
    let opened = taken_up_to_consent_by(&engine, [STAFF_1, CO_1, CO_2]);
    assert!(opened.iter().any(|e| e.stream == model()), "{opened:?}");
    let route = engine.record(&take_up(), at(90 * DAY + 61)).unwrap();
    // The take-up's record says where the review went, and that the map routed it on.
    let from = route.escalated_from.as_ref().unwrap();
    assert_eq!(
        (&from.to, from.at, from.dissolved),
        (&to, Some(at(90 * DAY + 3)), true)
    );
    let report = engine.report(&take_up(), at(90 * DAY + 61)).unwrap();
    let text = DecisionRecordMarkdown::new(&route, &report)
        .with_names(&community)
        .to_string();
    assert!(
        text.contains(&format!(
            "escalated to \\`{to}\\` (which the community had dissolved since"
        )),
        "{text}"
    );
    assert_eq!(
        route.route_taken.map(|r| r.deciding_body.to_string()),
        Some("associate_roles_team".to_owned())
    );
    assert!(awaited(61).is_empty());
    continued_by(
        &engine.handle(take_up_continues("The team")).unwrap(),
        take_up(),
        70,
    );
    let record = engine.record(&model(), at(90 * DAY + 71)).unwrap();
    assert_eq!(
        record.reviews[0].escalations,
        vec![ReviewEscalation {
            by: reassessment(),
            to: to.clone(),
            at: at(90 * DAY + 3),
            dissolved: true,
        }]
    );
    // The body that decided it is the one the map routed it to (back to the team whose
    // round escalated it), not the one dissolved.
    let team = coproduction::community::BodyId::new("associate_roles_team").unwrap();
    assert_eq!(
        record.reviews[0]
            .reached
            .iter()
            .map(|r| (&r.round, r.body.as_ref()))
            .collect::<Vec<_>>(),
        [(&reassessment(), Some(&team)), (&take_up(), Some(&team))]
            .into_iter()
            .collect::<Vec<_>>()
    );
    let report = engine.report(&model(), at(90 * DAY + 71)).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(&format!(
            "decided by the reassessment round \\`{}\\`, held by {team}, which took it up after \\`{}\\` escalated it to \\`{to}\\` (which the community has dissolved since)",
            take_up(),
            reassessment()
        )),
        "{text}"
    );
    // Dissolved in turn, the team that held the take-up is named by its id.
    let minute = 90 * DAY + 100;
    dissolve(
        &engine,
        &StreamId::new("dissolve-the-team").unwrap(),
        &team,
        minute,
    );
    let record = engine.record(&model(), at(minute + 20)).unwrap();
    assert!(record.reviews[0].reached.iter().all(|r| r.body_dissolved));
    let report = engine.report(&model(), at(minute + 20)).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(&format!(
            "held by \\`{team}\\` (which the community has dissolved since)"
        )),
        "{text}"
    );
}

/// A review escalated by its round is taken up by a round, whose result is recorded on the
/// proposal: a proposal taking it up would hold the review and never end it, and is refused.
#[test]
fn an_escalated_review_is_taken_up_by_a_round_only() {
    let engine = scheduled();
    reassessment_escalated(&engine);
    let stream = StreamId::new("pilot-taken-up-as-proposal").unwrap();
    let create = engine_support::living::proposal_requests(
        &stream,
        DecisionKind::WorkingModel,
        vec![],
        None,
        90 * DAY + 40,
    )
    .into_iter()
    .next()
    .unwrap()
    .taking_up(reassessment());
    let refused = engine.handle(create).unwrap_err();
    assert!(
        matches!(refused, EngineError::NotEscalated { .. })
            && refused.to_string().contains("only a round takes it up"),
        "{refused}"
    );
    // A round still takes it up.
    let opened = taken_up_to_consent(&engine);
    assert!(opened.iter().any(|e| e.stream == model()));
}

/// A review's round kept elsewhere: what the steward copies in is their word. Escalated
/// there, the review stays open here and the record says nothing passed it on; each result
/// is listed as attested, and the review's end names whose word it stands on.
#[test]
fn a_reviews_round_kept_elsewhere_is_the_stewards_word_in_its_record() {
    let engine = scheduled();
    engine.tick(at(30 * DAY)).unwrap();
    let steward = |minute, command| proposal(&model(), CO_1, 90 * DAY + minute, command);
    engine
        .handle(steward(0, ProposalCommand::OpenReview {}))
        .unwrap();
    let elsewhere = |n: u32| StreamId::new(&format!("held-elsewhere-{n}")).unwrap();
    let to = engine
        .governance()
        .unwrap()
        .route(&DecisionKind::WorkingModel, Default::default())
        .unwrap()
        .escalation[0]
        .clone();
    let results = [
        DecisionResult::Escalated { to: to.clone() },
        DecisionResult::Deferred {},
        DecisionResult::Adopted {
            review_date: at(455 * DAY),
        },
    ];
    let markdown = |minute| {
        let record = engine.record(&model(), at(90 * DAY + minute)).unwrap();
        let report = engine.report(&model(), at(90 * DAY + minute)).unwrap();
        let text = DecisionRecordMarkdown::new(&record, &report).to_string();
        (record, text)
    };
    let mut said = Vec::new();
    for (n, result) in (1..).zip(results) {
        let minute = i64::from(n) * 10;
        let round = elsewhere(n);
        engine
            .handle(steward(
                minute,
                ProposalCommand::StartDecision {
                    round: round.clone(),
                },
            ))
            .unwrap();
        engine
            .handle(steward(
                minute + 1,
                ProposalCommand::RecordDecision {
                    round: round.clone(),
                    result: result.clone(),
                },
            ))
            .unwrap();
        let (record, text) = markdown(minute + 2);
        let review = &record.reviews[0];
        said.push(ReviewRoundResult {
            round: round.clone(),
            outcome: result.outcome(),
            to: matches!(result, DecisionResult::Escalated { .. }).then(|| to.clone()),
            at: at(90 * DAY + minute + 1),
            attested_by: Some(CO_1),
            body: None,
            body_dissolved: false,
        });
        assert_eq!(review.reached, said);
        // Nothing the engine saw escalated it: no body decides it but here.
        assert_eq!(
            (&review.escalated_to, &review.escalations[..]),
            (&None, &[][..])
        );
        let attested = format!("review 1: the outcome of the reassessment round `{round}`");
        assert!(
            record
                .attested
                .iter()
                .any(|a| a.fact == attested && a.by == CO_1),
            "{:?}",
            record.attested
        );
        let word = format!("on the word of {CO_1}, who recorded it from a round held elsewhere");
        let expected = match n {
            1 => format!(
                "Still open here: the reassessment round \\`{round}\\` escalated it to {to}, {word}; the engine did not see that, so the review was not passed to that body and stays open here."
            ),
            2 => format!(
                "Still open: the reassessment round \\`{round}\\` ended deciding nothing (deferred), {word}."
            ),
            _ => format!("(decided by the reassessment round \\`{round}\\`, {word})"),
        };
        assert!(text.contains(&expected), "{expected}\n{text}");
        assert!(!text.contains(&format!("`{round}\\` decides it")), "{text}");
    }
    // The last, adopted, continued the agreement.
    let (record, _) = markdown(40);
    assert_eq!(
        record.reviews[0].ended,
        Some(ReviewEnd::Continued {
            review_date: at(455 * DAY),
            at: at(90 * DAY + 31),
        })
    );
}

/// A review's round is a round of its own: one named by a stream that holds another process
/// here (another proposal's round the engine runs, another proposal, the community's stream,
/// the proposal itself) would never bring its result back, and the review would wait for it
/// for good. Refused, writing nothing; a fresh id is taken. Once named, the stream opens
/// only for a round deciding for the proposal.
#[test]
fn a_reviews_round_is_never_a_stream_that_holds_another_process() {
    let engine = scheduled();
    engine.tick(at(30 * DAY)).unwrap();
    let other = StreamId::new("another-proposal").unwrap();
    propose(
        &engine,
        &other,
        DecisionKind::WorkingModel,
        vec![],
        90 * DAY - 60,
    );
    let others_round = engine_support::living::round_of(&other);
    let open = opening(
        others_round.clone(),
        90 * DAY - 30,
        "Another working model",
        "Another way of working.",
    );
    engine.handle(open.deciding_for(other.clone())).unwrap();
    let steward = |minute, command| proposal(&model(), CO_1, 90 * DAY + minute, command);
    engine
        .handle(steward(0, ProposalCommand::OpenReview {}))
        .unwrap();
    let written = engine.journal().read_all().unwrap().len();
    for round in [others_round, other, coproduction::living::stream(), model()] {
        let refused = engine
            .handle(steward(
                1,
                ProposalCommand::StartDecision {
                    round: round.clone(),
                },
            ))
            .unwrap_err();
        // The other proposal's round, which it started its decision in, is refused for
        // that first.
        assert!(
            matches!(
                &refused,
                EngineError::RoundStreamTaken { round: named, .. }
                    | EngineError::RoundNameTaken { round: named, .. } if *named == round
            ),
            "{refused}"
        );
        assert_eq!(engine.journal().read_all().unwrap().len(), written);
    }
    engine
        .handle(steward(
            2,
            ProposalCommand::StartDecision {
                round: reassessment(),
            },
        ))
        .unwrap();
    // Nor, the other way round, does another process open on the stream the review's round
    // was named: only a round deciding for the proposal opens there.
    let written = engine.journal().read_all().unwrap().len();
    let squatting = opening(
        reassessment(),
        90 * DAY + 3,
        "Something else",
        "Another matter.",
    );
    let refused = engine.handle(squatting).unwrap_err();
    assert!(
        matches!(&refused, EngineError::RoundClaimed { by, .. } if *by == model()),
        "{refused}"
    );
    let refused = engine
        .handle(
            engine_support::living::proposal_requests(
                &reassessment(),
                DecisionKind::WorkingModel,
                vec![],
                None,
                90 * DAY + 3,
            )
            .remove(0),
        )
        .unwrap_err();
    assert!(
        matches!(&refused, EngineError::RoundClaimed { by, .. } if *by == model()),
        "{refused}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    // The round deciding for it opens there.
    let open = opening(reassessment(), 90 * DAY + 4, "Continue it", "Continue it.");
    engine.handle(open.deciding_for(model())).unwrap();
}

/// A round deciding for a proposal is brought by one who runs it (a proposer, its
/// steward) or sits on the body its route gives the decision: an ally outside both cannot
/// open it, nor be named its proposer (who alone withdraws it), and so cannot hold the
/// review; nothing is written, and the round then opens as the team brings it.
#[test]
fn a_round_deciding_for_a_proposal_is_brought_by_those_who_run_it() {
    let engine = scheduled();
    review_started(&engine);
    let written = engine.journal().read_all().unwrap().len();
    let bringing = |actor: MemberId, proposer: MemberId, facilitator: MemberId| {
        Request::new(
            reassessment(),
            actor,
            at(90 * DAY + 2),
            RoundCommand::OpenOnRoute {
                title: "Stop the working model".into(),
                proposal: "Stop it.".into(),
                roles: RoundRoles {
                    proposer,
                    facilitator,
                    secretary: STAFF_2,
                },
            },
        )
        .with_kind(DecisionKind::WorkingModel)
        .deciding_for(model())
    };
    // The ally opens it as its proposer, or as its facilitator with the steward proposing;
    // a member of the team opens it naming the ally its proposer.
    for (actor, proposer, facilitator) in [
        (ALLY, ALLY, ALLY),
        (ALLY, CO_1, ALLY),
        (STAFF_1, ALLY, STAFF_1),
    ] {
        let refused = engine
            .handle(bringing(actor, proposer, facilitator))
            .unwrap_err();
        assert!(
            matches!(
                &refused,
                EngineError::RoundNotTheirs { member, target, .. }
                    if *member == ALLY && *target == model()
            ),
            "{refused}"
        );
        assert_eq!(refused.kind(), "round_not_theirs");
        let said = refused.to_string();
        assert!(
            said.starts_with("cannot open round `pilot-reassessment` deciding for `pilot-model`: member m6, ")
                && said.contains(", is not one of the proposal's proposers, its steward, or a member of the body its route gives the decision, who has not stepped out of it (`associate_roles_team`)"),
            "{said}"
        );
        assert_eq!(engine.journal().read_all().unwrap().len(), written);
    }
    // The steward brings it, with the ally facilitating (a facilitator need not run it);
    // and a team member who is neither proposer nor steward could have too.
    engine.handle(bringing(CO_1, CO_1, ALLY)).unwrap();
    assert_eq!(
        engine.phase::<ConsentProcess>(&reassessment()),
        Some(RoundPhase::Presented)
    );
    // Nothing moves the round on but its facilitator, and what is due says so, since when;
    // once the ally has left, the steward, its proposer, hands the role on.
    let waiting = |minute: i64| -> Vec<DueItem> {
        let due = engine.due(at(90 * DAY + minute));
        due.into_iter()
            .filter(|d| d.stream == reassessment())
            .map(|d| d.item)
            .collect()
    };
    assert_eq!(
        waiting(60),
        [DueItem::FacilitatorAwaited {
            facilitator: ALLY,
            phase: RoundPhase::Presented,
            since: at(90 * DAY + 2),
        }]
    );
    let leaves = coproduction::living::CommunityChange::Leave { member: ALLY };
    engine
        .handle(engine_support::living::change(ALLY, 90 * DAY + 70, leaves))
        .unwrap();
    assert_eq!(
        waiting(80),
        [DueItem::RoleToHandOn {
            role: coproduction::consent::HandedRole::Facilitator,
            left: ALLY,
            by: Some(CO_1),
            seated: vec![],
        }]
    );
}

/// A round's name is one proposal's: another proposal, still open, cannot start its own
/// decision in it, nor does a proposal opened there "deciding for" the first take it (only
/// a round decides for another process); once the first is withdrawn, the name is free.
#[test]
fn a_round_named_by_one_proposal_is_not_another_processes() {
    use engine_support::living::{proposal_requests, round_of};
    let engine = open_on(MemoryJournal::new());
    let first = StreamId::new("first-proposal").unwrap();
    propose(&engine, &first, DecisionKind::WorkingModel, vec![], 0);
    let second = StreamId::new("second-proposal").unwrap();
    let mut requests = proposal_requests(&second, DecisionKind::WorkingModel, vec![], None, 20);
    requests.pop();
    for request in requests {
        engine.handle(request).unwrap();
    }
    let naming = |minute| {
        proposal(
            &second,
            CO_1,
            minute,
            ProposalCommand::StartDecision {
                round: round_of(&first),
            },
        )
    };
    let written = engine.journal().read_all().unwrap().len();
    let refused = engine.handle(naming(30)).unwrap_err();
    assert!(
        matches!(&refused, EngineError::RoundNameTaken { by, .. } if *by == first),
        "{refused}"
    );
    // A proposal opened on the round's stream "deciding for" the first is refused: only a
    // round decides for another process, there or anywhere.
    for stream in [round_of(&first), StreamId::new("elsewhere").unwrap()] {
        let create = proposal_requests(&stream, DecisionKind::WorkingModel, vec![], None, 31)
            .remove(0)
            .deciding_for(first.clone());
        let refused = engine.handle(create).unwrap_err();
        assert!(
            matches!(
                &refused,
                EngineError::RoundClaimed { .. } | EngineError::RoundNotAwaited { .. }
            ),
            "{refused}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    // Withdrawn, the first claims its round no more.
    engine
        .handle(proposal(
            &first,
            STAFF_1,
            40,
            ProposalCommand::Withdraw {
                reason: "Merged into the second proposal".into(),
            },
        ))
        .unwrap();
    engine.handle(naming(41)).unwrap();
    // Its id stays its own.
    let mut reused =
        proposal_requests(&first, DecisionKind::WorkingModel, vec![], None, 42).remove(0);
    reused.stream = StreamId::new("reusing-the-first-id").unwrap();
    let refused = engine.handle(reused).unwrap_err();
    assert!(
        matches!(&refused, EngineError::ProposalIdTaken { held_by, .. } if *held_by == first),
        "{refused}"
    );
}

/// Two proposals naming one round at the same moment: exactly one names it, whichever
/// comes first; the other is refused (`round_name_taken`).
#[test]
fn two_proposals_naming_one_round_at_once_do_not_both_take_it() {
    use engine_support::living::proposal_requests;
    for _ in 0..20 {
        let engine = open_on(MemoryJournal::new());
        let streams = ["naming-first", "naming-second"].map(|s| StreamId::new(s).unwrap());
        for (i, stream) in (0..).zip(&streams) {
            let mut requests =
                proposal_requests(stream, DecisionKind::WorkingModel, vec![], None, 10 * i);
            requests.pop();
            for request in requests {
                engine.handle(request).unwrap();
            }
        }
        let round = StreamId::new("the-one-round").unwrap();
        let barrier = std::sync::Barrier::new(2);
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = streams
                .iter()
                .map(|stream| {
                    let (engine, barrier, round) = (&engine, &barrier, round.clone());
                    scope.spawn(move || {
                        barrier.wait();
                        engine.handle(proposal(
                            stream,
                            CO_1,
                            30,
                            ProposalCommand::StartDecision { round },
                        ))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            outcomes.iter().filter(|o| o.is_ok()).count(),
            1,
            "{outcomes:?}"
        );
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Err(EngineError::RoundNameTaken { .. }))),
            "{outcomes:?}"
        );
    }
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
    /// come, once, with its end counted from the start it journals (a tick days late starts
    /// it then, for as long as it was to run); before, it takes nothing.
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
        let started = if come { tick.max(starts) } else { starts };
        proptest::prop_assert_eq!(review, Some(at((started + lasts) * DAY)));
        proptest::prop_assert!(engine.tick(at(tick * DAY)).unwrap().taken.is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// The pilot's benefits and impact evaluation

/// T2 and C8 (a pilot is reassessed on the evidence of its evaluation).
fn evaluated_charter() -> Charter {
    Charter::from_json(
        r#"{"values": [{"id": "transparent"}, {"id": "challenging"}], "rules": [{"id": "T2"}, {"id": "C8"}]}"#,
    )
    .unwrap()
}

/// A pilot scheduled under [`evaluated_charter`], started by the tick on day 30, and its
/// evaluation agreed that day through the wire format: two questions, for co-producers
/// and for projects.
fn evaluated() -> TestEngine {
    let engine = scheduled_under(open_with(MemoryJournal::new(), evaluated_charter()), 30, 60);
    engine.tick(at(30 * DAY)).unwrap();
    let agree = format!(
        r#"{{"stream": "pilot-model", "actor": {}, "now": "{}", "command": {{"process": "proposal", "command": {{"type": "agree_evaluation", "plan": {{"agreed_by": "whole_community", "questions": [{{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow in skills and confidence?", "criteria": ["Most say they learned something they use"]}}, {{"id": 2, "benefit": "projects", "asks": "Do projects gain from a co-producer?", "criteria": []}}]}}}}}}}}"#,
        CO_1.get(),
        at(30 * DAY + 10)
    );
    engine.handle_json(&agree).unwrap();
    engine
}

fn words(question: u64, said: &str, from: Option<MemberId>, day: i64) -> Gathered {
    Gathered {
        question: QuestionId::new(question),
        observation: Datum::Words {
            said: said.into(),
            from,
        },
        source: Source::Interview {},
        gathered_at: at(day * DAY),
    }
}

fn figure(question: u64, value: u64, of: &str, day: i64) -> Gathered {
    Gathered {
        question: QuestionId::new(question),
        observation: Datum::Figure {
            value,
            of: of.into(),
        },
        source: Source::Records {},
        gathered_at: at(day * DAY),
    }
}

/// The member the agreement applies to records, on day 40, their own words from day 39.
fn in_own_words(engine: &TestEngine) {
    let said = words(1, "I chaired my first project meeting.", Some(ALLY), 39);
    engine.handle(gather(ALLY, 40 * DAY, vec![said])).unwrap();
}

fn gather(actor: MemberId, minute: i64, evidence: Vec<Gathered>) -> Request {
    proposal(
        &model(),
        actor,
        minute,
        ProposalCommand::GatherEvidence { evidence },
    )
}

/// The reassessment round's adoption by its secretary, with its rationale; first, when
/// `acknowledge` gives a reason, the facilitator's acknowledgement of C8 on the round.
fn record_reassessment(
    engine: &TestEngine,
    acknowledge: Option<&str>,
) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
    if let Some(reason) = acknowledge {
        let evidence = Evidence {
            acknowledgements: vec![Acknowledgement::new(
                RuleId::new("C8").unwrap(),
                CO_1,
                reason,
            )],
            ..Evidence::default()
        };
        let acknowledged = Request::new(
            reassessment(),
            CO_1,
            at(90 * DAY + 29),
            ProcessCommand::Evidence {},
        )
        .with_evidence(evidence);
        engine.handle(acknowledged)?;
    }
    let evidence = Evidence {
        rationale: Some("The pilot's evaluation showed the roles worked.".into()),
        alternatives: Some(vec!["Pilot for six more months".into()]),
        ..Evidence::default()
    };
    let adopt = Request::new(
        reassessment(),
        STAFF_2,
        at(90 * DAY + 30),
        ProcessCommand::from(RoundCommand::RecordOutcome {
            statement: "Continued as the standing working model.".into(),
            review_date: at(455 * DAY),
        }),
    )
    .with_evidence(evidence);
    engine.handle(adopt)
}

#[test]
fn a_pilot_is_reassessed_on_its_evaluation_and_every_record_shows_the_evidence() {
    let engine = evaluated();
    // The member the agreement applies to, in their own words; the steward, a figure from
    // the records and words a co-producer gave anonymously.
    in_own_words(&engine);
    engine
        .handle(gather(
            CO_1,
            60 * DAY,
            vec![
                figure(2, 4, "projects with a co-producer taking a lead", 58),
                words(2, "Our project was better for it.", None, 59),
            ],
        ))
        .unwrap();
    reassessing(&engine);
    record_reassessment(&engine, None).unwrap();

    // The gate judged the round on the proposal's evaluation: C8 satisfied.
    let report = engine.report(&reassessment(), at(91 * DAY)).unwrap();
    let c8 = report.finding("C8").unwrap();
    assert_eq!(c8.status, Status::Satisfied, "{c8:?}");
    let gates = engine.gates(&reassessment());
    assert!(
        gates[0]
            .rules_checked
            .iter()
            .any(|r| *r == RuleId::new("C8").unwrap())
    );

    // The round's record carries the evaluation, as the proposal's own does.
    let record = engine.record(&reassessment(), at(91 * DAY)).unwrap();
    let evaluation = record.evaluation.as_ref().unwrap();
    assert_eq!(evaluation.evidence.len(), 3);
    assert_eq!(evaluation.recorded_by, CO_1);
    assert!(evaluation.evidence[0].in_own_words());
    assert_eq!(
        engine
            .record(&model(), at(91 * DAY))
            .unwrap()
            .evaluation
            .as_ref(),
        Some(evaluation)
    );
    let markdown = DecisionRecordMarkdown::new(&record, &report).to_string();
    let section = markdown
        .split("### Evaluation of benefits and impact")
        .nth(1)
        .expect("the record has an evaluation section");
    assert!(section.contains("3 pieces of evidence, 2 of them in people's own words"));
    assert!(section.contains("q1, for co-producers: Do co-producers grow in skills and confidence? Judged by: Most say they learned something they use."));
    assert!(section.contains("\"I chaired my first project meeting.\""));
    assert!(section.contains("4 projects with a co-producer taking a lead; recorded by"));
    assert!(section.contains("\"Our project was better for it.\" (anonymous)"));
    assert!(section.contains("No question asks about benefits for the community."));

    // The metrics count it, and what the reassessment decided.
    let metrics = engine.metrics(None).unwrap();
    assert_eq!(metrics.evaluations.len(), 1);
    let e = &metrics.evaluations[0];
    assert_eq!(e.stream, model());
    assert_eq!(
        (e.figures, e.words, e.own_words, e.anonymous_words),
        (1, 2, 1, 1)
    );
    assert!(e.without_evidence.is_empty());
    assert_eq!(e.reassessed, Some(Outcome::Adopted));
    assert_eq!(
        e.benefits
            .iter()
            .map(|b| (b.benefit, b.answered))
            .collect::<Vec<_>>(),
        [
            (Benefit::CoProducers, Share::new(1, 1)),
            (Benefit::Projects, Share::new(1, 1))
        ]
    );
    assert!(
        metrics
            .table()
            .to_string()
            .contains("questions without evidence")
    );
}

#[test]
fn a_question_left_without_evidence_needs_an_acknowledgement_to_reassess() {
    let engine = evaluated();
    in_own_words(&engine);
    reassessing(&engine);
    let refused = record_reassessment(&engine, None).unwrap_err();
    let EngineError::Gate { source, .. } = &refused else {
        panic!("{refused:?}")
    };
    assert!(source.to_string().contains("C8"), "{source}");
    assert!(source.to_string().contains("q2"), "{source}");
    // Nothing was written: the round still waits for its outcome.
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
    record_reassessment(
        &engine,
        Some("The projects' figures come with the annual report; we continue meanwhile."),
    )
    .unwrap();
    let metrics = engine.metrics(None).unwrap();
    assert_eq!(
        metrics.evaluations[0].without_evidence,
        [QuestionId::new(2)]
    );
}

/// What an evaluation states about the community is witnessed, as an opening is: the body
/// that agreed the plan must be the community's, and words quoted as a member's must be
/// from someone who was a member when they were gathered. Refused, nothing is written.
#[test]
fn an_evaluations_body_and_authors_are_the_communitys_own() {
    let engine = scheduled_under(open_with(MemoryJournal::new(), evaluated_charter()), 30, 60);
    engine.tick(at(30 * DAY)).unwrap();
    let before = engine.journal().read_all().unwrap().len();
    let plan = |body: &str| -> EvaluationPlan {
        serde_json::from_str(&format!(
            r#"{{"agreed_by": "{body}", "questions": [{{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow in confidence?"}}]}}"#
        ))
        .unwrap()
    };
    let agree = |body: &str| {
        proposal(
            &model(),
            CO_1,
            30 * DAY + 10,
            ProposalCommand::AgreeEvaluation { plan: plan(body) },
        )
    };
    let refused = engine.handle(agree("steering_board")).unwrap_err();
    assert!(
        matches!(&refused, EngineError::Unwitnessed { difference, .. } if difference.contains("`steering_board`")),
        "{refused}"
    );
    assert!(refused.is_refusal());
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    engine.handle(agree("whole_community")).unwrap();

    // Words put in the mouth of someone the community has never had.
    let before = engine.journal().read_all().unwrap().len();
    let stranger = words(1, "It changed my life.", Some(MemberId::new(999)), 39);
    let refused = engine
        .handle(gather(ALLY, 40 * DAY, vec![stranger]))
        .unwrap_err();
    assert!(
        matches!(&refused, EngineError::Unwitnessed { difference, .. } if difference.contains("m999")),
        "{refused}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    // The member's own words, and words given anonymously, are taken.
    in_own_words(&engine);
    let anonymous = words(1, "More paid time to prepare, please.", None, 39);
    engine
        .handle(gather(ALLY, 41 * DAY, vec![anonymous]))
        .unwrap();
}

#[test]
fn evidence_is_refused_from_outsiders_out_of_its_time_or_for_questions_not_asked() {
    let engine = evaluated();
    let before = engine.journal().read_all().unwrap().len();
    let refused = |request: Request| {
        let error = engine.handle(request).unwrap_err();
        assert!(error.is_refusal(), "{error:?}");
        error
    };
    // A member with no part in the agreement.
    assert!(matches!(
        refused(gather(
            CO_2,
            40 * DAY,
            vec![words(1, "Fine.", Some(CO_2), 39)]
        )),
        EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::Shared(Refusal {
                kind: RefusalKind::WrongRole { .. },
                ..
            })),
            ..
        }
    ));
    // Backdated before the questions were agreed, dated in the future, for a question the
    // plan does not ask, and nothing at all.
    for evidence in [
        vec![figure(1, 3, "sessions", 29)],
        vec![figure(1, 3, "sessions", 41)],
        vec![figure(7, 3, "sessions", 39)],
        vec![],
    ] {
        assert!(matches!(
            refused(gather(ALLY, 40 * DAY, evidence)),
            EngineError::Refused {
                source: ProcessError::Proposal(ProposalError::Evaluation { .. }),
                ..
            }
        ));
    }
    // A second plan for the same pilot.
    let plan: EvaluationPlan = serde_json::from_str(
        r#"{"agreed_by": "whole_community", "questions": [{"id": 1, "benefit": "community", "asks": "Does the community grow?"}]}"#,
    )
    .unwrap();
    assert!(matches!(
        refused(proposal(
            &model(),
            CO_1,
            40 * DAY,
            ProposalCommand::AgreeEvaluation { plan }
        )),
        EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::EvaluationAgreedAlready { .. }),
            ..
        }
    ));
    // Words past the limit on free text, and a field the wire format does not know.
    let long = words(
        1,
        &"a".repeat(coproduction::limits::NOTE_CHARS + 1),
        None,
        39,
    );
    assert!(matches!(
        refused(gather(ALLY, 40 * DAY, vec![long])),
        EngineError::Input(_)
    ));
    let unknown = format!(
        r#"{{"stream": "pilot-model", "actor": {}, "now": "{}", "command": {{"process": "proposal", "command": {{"type": "gather_evidence", "evidence": [{{"question": 1, "observation": {{"type": "figure", "value": 3, "of": "sessions", "weight": 2}}, "source": {{"type": "records"}}, "gathered_at": "{}"}}]}}}}}}"#,
        ALLY.get(),
        at(40 * DAY),
        at(39 * DAY)
    );
    assert!(engine.handle_json(&unknown).is_err());
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
}

/// The pilot of [`scheduled`], under the evaluated charter, its one question agreed by the
/// whole community on day 10, before it starts.
fn questions_agreed_before_the_pilot() -> TestEngine {
    let engine = scheduled_under(open_with(MemoryJournal::new(), evaluated_charter()), 30, 60);
    let plan: EvaluationPlan = serde_json::from_str(
        r#"{"agreed_by": "whole_community", "questions": [{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow?"}]}"#,
    )
    .unwrap();
    engine
        .handle(proposal(
            &model(),
            CO_1,
            10 * DAY,
            ProposalCommand::AgreeEvaluation { plan },
        ))
        .unwrap();
    engine
}

#[test]
fn a_pilots_evidence_is_from_the_pilot_and_who_agreed_its_questions_is_attested() {
    // The questions agreed on day 10, while the pilot waits for its start on day 30.
    let engine = questions_agreed_before_the_pilot();
    engine.tick(at(30 * DAY)).unwrap();
    let before = engine.journal().read_all().unwrap().len();
    // Words dated day 20, after the questions but before the pilot: not the pilot's.
    let early = engine
        .handle(gather(
            ALLY,
            40 * DAY,
            vec![words(1, "Fine.", Some(ALLY), 20)],
        ))
        .unwrap_err();
    assert!(
        matches!(
            &early,
            EngineError::Refused {
                source: ProcessError::Proposal(ProposalError::EvidenceBeforePilot { starts, .. }),
                ..
            } if *starts == at(30 * DAY)
        ),
        "{early:?}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    engine
        .handle(gather(
            ALLY,
            40 * DAY,
            vec![words(1, "Fine.", Some(ALLY), 31)],
        ))
        .unwrap();
    // That the whole community agreed the questions is the steward's word.
    let record = engine.record(&model(), at(41 * DAY)).unwrap();
    assert!(
        record.attested.iter().any(|a| a.by == CO_1
            && a.at == at(10 * DAY)
            && a.fact.contains("agreed by `whole_community`")),
        "{:?}",
        record.attested
    );
}

/// The working model of [`published_on`], never started.
fn published() -> TestEngine {
    let engine = open_on(MemoryJournal::new());
    published_on(&engine);
    engine
}

#[test]
fn a_published_agreement_the_steward_never_started_still_falls_due_for_review() {
    let engine = published();
    let review_date = at(10 + 180 * DAY);
    assert_eq!(
        due_in_model(&engine, 179 * DAY),
        [DueItem::ReviewDue {
            review_date,
            overdue: false
        }]
    );
    assert_eq!(
        due_in_model(&engine, 400 * DAY),
        [DueItem::ReviewDue {
            review_date,
            overdue: true
        }]
    );
    // Not before its date; on it, the steward opens it.
    let open = |minute| proposal(&model(), CO_1, minute, ProposalCommand::OpenReview {});
    assert!(matches!(
        engine.handle(open(179 * DAY)),
        Err(EngineError::Refused {
            source: ProcessError::Proposal(ProposalError::ReviewNotDue { .. }),
            ..
        })
    ));
    engine.handle(open(181 * DAY)).unwrap();
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
    assert!(due_in_model(&engine, 182 * DAY).is_empty());
    let record = engine.record(&model(), at(182 * DAY)).unwrap();
    assert_eq!(record.reviews.len(), 1);
    assert_eq!(record.reviews[0].opened_at, at(181 * DAY));
}

/// An ally the agreement applies to objects to it at `minute`, which opens its review.
fn objected(engine: &TestEngine, minute: i64) {
    engine
        .handle(proposal(
            &model(),
            ALLY,
            minute,
            ProposalCommand::ObjectToStanding {
                reason: "Carers cannot take part unpaid.".into(),
            },
        ))
        .unwrap();
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
}

#[test]
fn a_member_objects_to_a_published_agreement_before_it_is_started() {
    let engine = published();
    objected(&engine, DAY);
    let record = engine.record(&model(), at(DAY + 1)).unwrap();
    let [review] = record.reviews.as_slice() else {
        panic!("{:?}", record.reviews);
    };
    assert_eq!(review.objected_by, Some(ALLY));
    let report = engine.report(&model(), at(DAY + 1)).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("objected to the agreement in force: \"Carers cannot take part unpaid.\""),
        "{text}"
    );
}

#[test]
fn an_objection_to_a_scheduled_pilot_calls_it_off_and_its_review_waits_for_its_start() {
    let engine = scheduled();
    let steward = |minute, command| proposal(&model(), CO_1, minute, command);
    // A scheduled pilot's review date is its end: its review opens once it has run.
    let refused = engine
        .handle(steward(100 * DAY, ProposalCommand::OpenReview {}))
        .unwrap_err();
    assert!(
        matches!(
            &refused,
            EngineError::Refused { source, .. }
                if source.refusal().is_some_and(|r| matches!(r.kind, RefusalKind::WrongPhase { .. }))
        ),
        "{refused:?}"
    );
    objected(&engine, 2 * DAY);
    // Called off: nothing is due to start, and the tick on its day starts nothing.
    assert!(due_in_model(&engine, 30 * DAY).is_empty());
    assert!(engine.tick(at(31 * DAY)).unwrap().taken.is_empty());
    assert_eq!(
        engine.phase::<ProposalProcess>(&model()),
        Some(ProposalPhase::UnderReview)
    );
}

/// A tick that comes after the pilot should have ended starts it then, for as long as it
/// was scheduled to run: the journal never holds a pilot that started after its own end.
#[test]
fn a_pilot_started_late_runs_its_length_from_the_start_the_journal_holds() {
    // Scheduled on day 1 to start on day 30 and run 30 days; no tick until day 100.
    let engine = scheduled_for(30, 30);
    let tick = engine.tick(at(100 * DAY)).unwrap();
    assert_eq!(
        tick.taken[0].events[0].event,
        EngineEvent::from(ProposalEvent::PilotStarted {
            ends: at(130 * DAY),
            by: ENGINE_ACTOR,
            at: at(100 * DAY),
        })
    );
    assert_eq!(
        due_in_model(&engine, 101 * DAY),
        [DueItem::ReviewDue {
            review_date: at(130 * DAY),
            overdue: false
        }]
    );
}

/// Evidence for a pilot started late by the tick is from the start the journal holds, not
/// from the day it was scheduled for.
#[test]
fn a_late_pilots_evidence_is_from_the_start_the_journal_holds() {
    let engine = questions_agreed_before_the_pilot();
    // No tick on day 30: the pilot starts on day 35.
    engine.tick(at(35 * DAY)).unwrap();
    let early = engine
        .handle(gather(
            ALLY,
            40 * DAY,
            vec![words(1, "Fine.", Some(ALLY), 32)],
        ))
        .unwrap_err();
    assert!(
        matches!(
            &early,
            EngineError::Refused {
                source: ProcessError::Proposal(ProposalError::EvidenceBeforePilot { starts, .. }),
                ..
            } if *starts == at(35 * DAY)
        ),
        "{early:?}"
    );
}
