//! Time that moves the process, through the engine's public API: what is due, the steps a
//! round's configuration chose for its deadline (and only those), extensions with a reason,
//! and reminders in the record.

use coproduction::community::MemberId;
use coproduction::consent::{
    AtDeadline, ConsentError, DeadlineStep, Response, RoundCommand, RoundConfig, RoundEvent,
    RoundPhase, RoundRoles, TimeBox,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{
    Due, DueItem, ENGINE_ACTOR, Engine, EngineError, EngineEvent, ProcessCommand, Request,
};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::process::{PartCommand, ProcessError};
use coproduction::values::Charter;
use coproduction::{ConsentProcess, limits::CHANNEL_CHARS};

mod time_support;

use time_support::{FACILITATOR, at, community, m, team};

fn stream() -> StreamId {
    StreamId::new("meetings").unwrap()
}

/// A charter with rule T1 alone, publishing within `days`.
fn charter(days: u32) -> Charter {
    Charter::from_json(&format!(
        r#"{{"values": [{{"id": "transparent"}}], "rules": [{{"id": "T1", "publish_days": {days}}}]}}"#
    ))
    .unwrap()
}

fn engine() -> Engine<MemoryJournal<EngineEvent>> {
    Engine::builder(community())
        .charter(charter(7))
        .open(MemoryJournal::new())
        .unwrap()
}

fn request(actor: MemberId, minute: i64, command: impl Into<ProcessCommand>) -> Request {
    Request::new(stream(), actor, at(minute), command)
}

/// Opens a consent round of members 1-3 (facilitator and secretary 1) whose deadline is
/// minute 60 and which does `rule` then, and brings it to its first objection round, where
/// member 2 consents.
fn objection_round(engine: &Engine<MemoryJournal<EngineEvent>>, rule: AtDeadline) {
    let roles = RoundRoles {
        proposer: FACILITATOR,
        facilitator: FACILITATOR,
        secretary: FACILITATOR,
    };
    let mut config = RoundConfig::consent(
        &community(),
        &team(),
        "Meet monthly",
        "First Mondays.",
        roles,
    )
    .unwrap();
    config.quorum.size = coproduction::consent::QuorumSize::Count { min: 1 };
    config.time_box = TimeBox {
        deadline: Some(at(60)),
        at_deadline: rule,
        ..TimeBox::default()
    };
    let open = request(
        FACILITATOR,
        0,
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(DecisionKind::Operational);
    engine.handle(open).unwrap();
    for minute in 1..=3 {
        engine
            .handle(request(FACILITATOR, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    let consent = RoundCommand::Respond {
        member: m(2),
        response: Response::consent(),
    };
    engine.handle(request(m(2), 4, consent)).unwrap();
}

fn events(engine: &Engine<MemoryJournal<EngineEvent>>) -> usize {
    engine.journal().read_all().unwrap().len()
}

fn items(due: &[Due]) -> Vec<&DueItem> {
    due.iter().map(|d| &d.item).collect()
}

#[test]
fn an_objection_round_awaits_those_who_have_not_responded_by_its_deadline() {
    let engine = engine();
    objection_round(&engine, AtDeadline::None);
    let due = engine.due(at(10));
    assert_eq!(
        due,
        vec![Due {
            stream: stream(),
            item: DueItem::ResponsesAwaited {
                members: vec![m(1), m(3)],
                round: 1,
                by: Some(at(60)),
            },
        }]
    );
    let json = serde_json::to_value(&due).unwrap();
    assert_eq!(json[0]["item"]["type"], "responses_awaited");
}

#[test]
fn a_round_that_chose_nothing_waits_for_its_facilitator_and_tick_writes_nothing() {
    let engine = engine();
    objection_round(&engine, AtDeadline::None);
    let before = events(&engine);
    let due = engine.due(at(61));
    assert_eq!(
        items(&due),
        vec![&DueItem::TimeBoxPassed {
            ended: at(60),
            phase: RoundPhase::ObjectionRound,
            at_deadline: AtDeadline::None,
            step: None,
        }]
    );
    let tick = engine.tick(at(61)).unwrap();
    assert!(tick.taken.is_empty() && tick.refused.is_empty());
    assert_eq!(events(&engine), before);
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::ObjectionRound)
    );
}

#[test]
fn a_round_that_chose_to_defer_is_deferred_by_the_engine_once_and_the_journal_says_why() {
    let engine = engine();
    objection_round(&engine, AtDeadline::Defer);
    // At the deadline itself nothing has passed.
    assert!(engine.tick(at(60)).unwrap().taken.is_empty());
    assert_eq!(engine.due(at(61))[0].item.step(), Some(DeadlineStep::Defer));

    let tick = engine.tick(at(61)).unwrap();
    assert_eq!(tick.taken.len(), 1);
    let taken = &tick.taken[0];
    assert_eq!(
        (taken.stream.clone(), taken.step),
        (stream(), DeadlineStep::Defer)
    );
    assert!(taken.events.iter().all(|e| e.actor == ENGINE_ACTOR));
    assert!(matches!(
        &taken.events[0].event,
        EngineEvent::Consent { event: RoundEvent::TimeBoxLapsed { ended, rule: AtDeadline::Defer, .. }, .. }
            if *ended == at(60)
    ));
    assert!(matches!(
        &taken.events[1].event,
        EngineEvent::Consent { event: RoundEvent::Deferred { reason, .. }, .. } if reason.contains("at_deadline: defer")
    ));
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Deferred)
    );

    // Idempotent: nothing is left to do, at that time or later.
    let written = events(&engine);
    assert_eq!(engine.tick(at(61)).unwrap(), Default::default());
    assert_eq!(engine.tick(at(90)).unwrap(), Default::default());
    assert_eq!(events(&engine), written);
    assert!(engine.due(at(61)).is_empty());

    let record = engine.record(&stream(), at(61)).unwrap();
    assert_eq!(record.lapses.len(), 1);
    assert_eq!(record.lapses[0].rule, "defer");
    assert_eq!(record.lapses[0].ended, at(60));
}

#[test]
fn a_round_that_chose_to_close_with_those_heard_is_closed_and_its_outcome_recorded_after() {
    let engine = engine();
    objection_round(&engine, AtDeadline::CloseWithThoseHeard);
    let tick = engine.tick(at(61)).unwrap();
    assert_eq!(tick.taken[0].step, DeadlineStep::Close);
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Consented)
    );
    let record = engine.record(&stream(), at(61)).unwrap();
    let absent: Vec<MemberId> = record
        .participants
        .unwrap()
        .iter()
        .filter(|p| p.absence_counted_as.is_some())
        .map(|p| p.member)
        .collect();
    assert_eq!(absent, vec![m(1), m(3)]);
    // Consented, the round waits for its secretary to record what was agreed, and says so.
    let awaited = DueItem::OutcomeAwaited {
        consented_at: at(61),
        secretary: FACILITATOR,
    };
    assert!(items(&engine.due(at(62))).contains(&&awaited));
    assert!(items(&engine.due(at(10_000))).contains(&&awaited));
    // The deadline was honoured by the close: the secretary records the outcome after it.
    let outcome = RoundCommand::RecordOutcome {
        statement: "We meet monthly".into(),
        review_date: at(100_000),
    };
    engine.handle(request(FACILITATOR, 70, outcome)).unwrap();
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Adopted)
    );
    // Adopted and unpublished: T1 asks for the record within the charter's seven days.
    let due = engine.due(at(80));
    assert_eq!(
        items(&due),
        vec![&DueItem::PublicationDue {
            decided_at: at(70),
            by: at(70 + 7 * 24 * 60),
            overdue: false,
        }]
    );
    let late = engine.due(at(71 + 7 * 24 * 60));
    assert!(matches!(
        late[0].item,
        DueItem::PublicationDue { overdue: true, .. }
    ));
}

#[test]
fn the_facilitator_extends_the_time_box_with_a_reason_and_the_record_lists_it() {
    let engine = engine();
    objection_round(&engine, AtDeadline::Defer);
    let before = events(&engine);
    let extend = |actor, minute, until, reason: &str| {
        request(
            actor,
            minute,
            RoundCommand::ExtendTimeBox {
                until,
                reason: reason.into(),
            },
        )
    };
    // Only the facilitator; a reason; a later end, not before now.
    for refused in [
        extend(m(2), 30, at(120), "more time"),
        extend(FACILITATOR, 30, at(120), "  "),
        extend(FACILITATOR, 30, at(50), "more time"),
        extend(FACILITATOR, 130, at(120), "more time"),
        extend(FACILITATOR, 30, at(120), &"r".repeat(5_000)),
    ] {
        let error = engine.handle(refused).unwrap_err();
        assert!(error.is_refusal(), "{error}");
    }
    assert_eq!(events(&engine), before);

    // Once the box has passed, the step the round chose for its end is due: the box is
    // not revived, whether a tick has come yet or not.
    let lapsed = engine
        .handle(extend(FACILITATOR, 61, at(120), "more time"))
        .unwrap_err();
    assert!(
        matches!(
            lapsed,
            EngineError::Refused {
                source: ProcessError::Consent(ConsentError::TimeBoxPassed { .. }),
                ..
            }
        ),
        "{lapsed}"
    );
    assert_eq!(events(&engine), before);

    let reason = "two members asked for a week: they were away";
    engine
        .handle(extend(FACILITATOR, 59, at(120), reason))
        .unwrap();
    // Past the first deadline, but extended before it: nothing lapses, responses are taken.
    assert_eq!(engine.tick(at(90)).unwrap(), Default::default());
    let consent = RoundCommand::Respond {
        member: m(3),
        response: Response::consent(),
    };
    engine.handle(request(m(3), 91, consent)).unwrap();
    let record = engine.record(&stream(), at(91)).unwrap();
    assert_eq!(record.extensions.len(), 1);
    let extension = &record.extensions[0];
    assert_eq!(
        (extension.from, extension.to, extension.by, extension.at),
        (at(60), at(120), FACILITATOR, at(59))
    );
    assert_eq!(extension.reason, reason);
    // And the new end is the one the engine keeps to.
    assert_eq!(engine.tick(at(121)).unwrap().taken.len(), 1);
}

#[test]
fn reminders_are_journalled_and_the_record_shows_who_was_reminded_before_an_absence() {
    let engine = engine();
    objection_round(&engine, AtDeadline::CloseWithThoseHeard);
    let before = events(&engine);
    let remind = |actor, channel: &str| {
        request(
            actor,
            30,
            PartCommand::Remind {
                members: [m(1), m(3)].into(),
                channel: channel.into(),
            },
        )
    };
    // Only a member who runs the round; a channel named, and in short.
    for refused in [
        remind(m(2), "email"),
        remind(FACILITATOR, " "),
        remind(FACILITATOR, &"c".repeat(CHANNEL_CHARS + 1)),
    ] {
        let error = engine.handle(refused).unwrap_err();
        assert!(error.is_refusal(), "{error}");
    }
    let nobody = request(
        FACILITATOR,
        30,
        PartCommand::Remind {
            members: Default::default(),
            channel: "email".into(),
        },
    );
    assert!(matches!(
        engine.handle(nobody),
        Err(EngineError::Part { .. })
    ));
    assert_eq!(events(&engine), before);

    engine.handle(remind(FACILITATOR, "email")).unwrap();
    engine.tick(at(61)).unwrap();
    let record = engine.record(&stream(), at(61)).unwrap();
    assert_eq!(record.reminders.len(), 1);
    let reminder = &record.reminders[0];
    assert_eq!(reminder.members, vec![m(1), m(3)]);
    assert_eq!((reminder.channel.as_str(), reminder.at), ("email", at(30)));
    // Reminded at minute 30, counted absent at the close of minute 61.
    assert_eq!(record.lapses[0].at, at(61));
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["reminders"][0]["channel"], "email");
}

#[test]
fn advice_asked_and_not_given_then_given_and_not_answered_is_due() {
    let engine = engine();
    objection_round(&engine, AtDeadline::None);
    let ask = PartCommand::AskAdvice {
        members: [m(4)].into(),
    };
    engine.handle(request(FACILITATOR, 5, ask)).unwrap();
    assert!(
        items(&engine.due(at(6))).contains(&&DueItem::AdviceAwaited {
            members: vec![m(4)]
        })
    );
    let give = PartCommand::GiveAdvice {
        advice: "Try it for three months first".into(),
        bases: Default::default(),
    };
    engine.handle(request(m(4), 7, give)).unwrap();
    let due = engine.due(at(8));
    assert!(items(&due).contains(&&DueItem::AdviceUnanswered {
        members: vec![m(4)]
    }));
    assert!(!items(&due).iter().any(|i| i.label() == "advice_awaited"));
    let answer = PartCommand::AnswerAdvice {
        member: m(4),
        answer: "We review at three months".into(),
    };
    engine.handle(request(FACILITATOR, 9, answer)).unwrap();
    assert!(
        !items(&engine.due(at(10)))
            .iter()
            .any(|i| i.label().starts_with("advice"))
    );
}

#[test]
fn a_configuration_written_before_at_deadline_existed_reads_as_nothing_automatic() {
    let time_box: TimeBox =
        serde_json::from_str(r#"{"deadline": "2022-09-08T10:00:00Z"}"#).unwrap();
    assert_eq!(time_box.at_deadline, AtDeadline::None);
    // And is written as it was.
    assert_eq!(
        serde_json::to_string(&time_box).unwrap(),
        r#"{"deadline":"2022-09-08T10:00:00Z"}"#
    );
    let chosen: TimeBox = serde_json::from_str(
        r#"{"deadline": "2022-09-08T10:00:00Z", "at_deadline": "close_with_those_heard"}"#,
    )
    .unwrap();
    assert_eq!(chosen.at_deadline, AtDeadline::CloseWithThoseHeard);
    assert!(serde_json::from_str::<TimeBox>(r#"{"at_deadline": "close"}"#).is_err());
}

#[test]
fn a_round_that_decided_or_ended_waits_on_no_advice_asked_before() {
    // Advice asked of member 4, given by nobody; then the round is decided.
    let decided = engine();
    objection_round(&decided, AtDeadline::CloseWithThoseHeard);
    let ask = PartCommand::AskAdvice {
        members: [m(4)].into(),
    };
    decided
        .handle(request(FACILITATOR, 5, ask.clone()))
        .unwrap();
    assert!(
        items(&decided.due(at(6)))
            .iter()
            .any(|i| i.label() == "advice_awaited")
    );
    decided.tick(at(61)).unwrap();
    let outcome = RoundCommand::RecordOutcome {
        statement: "We meet monthly".into(),
        review_date: at(100_000),
    };
    decided.handle(request(FACILITATOR, 70, outcome)).unwrap();
    assert_eq!(
        decided.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Adopted)
    );
    let due = decided.due(at(80));
    assert!(
        !items(&due).iter().any(|i| i.label().starts_with("advice")),
        "{due:?}"
    );

    // The same for a round that ended without deciding: deferred at its deadline.
    let ended = engine();
    objection_round(&ended, AtDeadline::Defer);
    ended.handle(request(FACILITATOR, 5, ask)).unwrap();
    ended.tick(at(61)).unwrap();
    assert_eq!(
        ended.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Deferred)
    );
    let due = ended.due(at(80));
    assert!(
        !items(&due).iter().any(|i| i.label().starts_with("advice")),
        "{due:?}"
    );
}

/// A tick dated before the community's last change takes no step, as a request so dated
/// would be refused: the journal would say the step came first.
#[test]
fn a_tick_dated_before_the_communitys_last_change_takes_no_step() {
    let engine = engine();
    objection_round(&engine, AtDeadline::Defer);
    let leave = Request::new(
        coproduction::living::stream(),
        m(3),
        at(100),
        ProcessCommand::Change {
            change: Box::new(coproduction::living::CommunityChange::Leave { member: m(3) }),
        },
    );
    engine.handle(leave).unwrap();
    let before = events(&engine);
    let tick = engine.tick(at(61)).unwrap();
    assert!(tick.taken.is_empty());
    let [refused] = tick.refused.as_slice() else {
        panic!("{tick:?}");
    };
    assert_eq!(refused.stream, stream());
    assert_eq!(refused.step, DeadlineStep::Defer);
    assert!(
        refused.reason.contains("the community last changed"),
        "{}",
        refused.reason
    );
    assert_eq!(events(&engine), before);
    // Dated after it, the step is taken.
    assert_eq!(engine.tick(at(101)).unwrap().taken.len(), 1);
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Deferred)
    );
}

/// A member who has left the community is not awaited in a round they were seated in: what
/// is due lists the others still to respond.
#[test]
fn a_member_who_left_the_community_is_not_awaited() {
    let engine = engine();
    objection_round(&engine, AtDeadline::None);
    let awaited = |minute| -> Vec<MemberId> {
        engine
            .due(at(minute))
            .into_iter()
            .find_map(|d| match d.item {
                DueItem::ResponsesAwaited { members, .. } => Some(members),
                _ => None,
            })
            .unwrap_or_default()
    };
    let before = awaited(5);
    let gone = *before.last().unwrap();
    let leave = Request::new(
        coproduction::living::stream(),
        gone,
        at(6),
        ProcessCommand::Change {
            change: Box::new(coproduction::living::CommunityChange::Leave { member: gone }),
        },
    );
    engine.handle(leave).unwrap();
    let after = awaited(7);
    assert!(!after.contains(&gone), "{after:?}");
    assert_eq!(after.len(), before.len() - 1);
}

/// A tick dated before the round's last event takes no step there: the journal would say the
/// deferral came after what it is dated before. Dated after it, the tick takes the step.
#[test]
fn a_tick_dated_before_a_rounds_last_event_takes_no_step_there() {
    let engine = engine();
    objection_round(&engine, AtDeadline::Defer);
    // The facilitator records the rationale after the deadline (minute 60).
    let evidence = coproduction::values::Evidence {
        rationale: Some("Monthly meetings suit the carers among us".into()),
        ..Default::default()
    };
    engine
        .handle(request(FACILITATOR, 70, ProcessCommand::Evidence {}).with_evidence(evidence))
        .unwrap();
    let written = events(&engine);
    let early = engine.tick(at(61)).unwrap();
    assert!(early.taken.is_empty());
    assert_eq!(early.refused.len(), 1);
    assert!(
        early.refused[0].reason.contains("before"),
        "{:?}",
        early.refused
    );
    assert_eq!(events(&engine), written);
    let late = engine.tick(at(71)).unwrap();
    assert_eq!(late.taken.len(), 1);
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Deferred)
    );
}
