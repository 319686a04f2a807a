//! Members taking part beside a process, as the engine witnesses it: advice asked of the
//! bodies the route consults, given by those asked in their own name and answered by who
//! runs the process; interests declared and recusals, by the member themselves; payment
//! offered by who runs the process and answered by the member offered; access needs, the
//! community's record of them, met. Each forgery is refused with a typed error and nothing
//! is written; what is accepted is what the record and the value-check read.

use coproduction::community::{AccessNeedKind, MemberId};
use coproduction::consent::{Response, RoundCommand};
use coproduction::engine::{Engine, EngineError, Request};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::machine::RefusalKind;
use coproduction::process::{PartCommand, PartError, PartEvent, ProcessKind, Refusal};
use coproduction::values::{AdviceBasis, Conflict, PaymentStatus, Status};

mod engine_support;

use engine_support::*;

type TestEngine = Engine<MemoryJournal<coproduction::EngineEvent>>;

/// The working-model round, opened and moved on to its objection round (minutes 0 to 3).
fn opened() -> TestEngine {
    let engine = engine();
    for request in to_consented_requests(&engine.community())
        .into_iter()
        .take(4)
    {
        engine.handle(request).unwrap();
    }
    engine
}

fn part(actor: MemberId, minute: i64, command: PartCommand) -> Request {
    Request::new(stream(), actor, at(minute), command)
}

fn ask() -> PartCommand {
    PartCommand::AskAdvice {
        members: Default::default(),
    }
}

fn give(basis: AdviceBasis) -> PartCommand {
    PartCommand::GiveAdvice {
        advice: "Pay for preparation time".into(),
        bases: [basis].into(),
    }
}

fn answer(member: MemberId) -> PartCommand {
    PartCommand::AnswerAdvice {
        member,
        answer: "Taken into the terms".into(),
    }
}

/// Sends `request` and expects the refusal `expected`, with nothing written.
fn refused(engine: &TestEngine, request: Request, expected: &PartError) {
    let before = engine.journal().read_all().unwrap();
    let err = engine.handle(request).unwrap_err();
    assert!(
        matches!(&err, EngineError::Part { source, .. } if source == expected),
        "expected {expected:?}, got {err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
}

#[test]
fn advice_comes_only_from_who_was_asked_and_is_answered_by_who_runs_the_round() {
    let engine = opened();
    // Nobody has been asked yet.
    refused(
        &engine,
        part(ALLY, 4, give(AdviceBasis::Affected)),
        &PartError::NotAsked { member: ALLY },
    );
    // Only who runs the round asks.
    refused(
        &engine,
        part(ALLY, 4, ask()),
        &PartError::NotRunning {
            attempted: "ask_advice",
            actor: ALLY,
        },
    );
    engine.handle(part(STAFF_1, 4, ask())).unwrap();
    // The route consults the whole community, so every member is asked; a stranger is not
    // a member at all.
    let stranger = MemberId::new(99);
    let err = engine
        .handle(part(stranger, 5, give(AdviceBasis::Affected)))
        .unwrap_err();
    assert!(matches!(err, EngineError::UnknownActor { .. }), "{err}");
    // Lived experience the community does not record of the adviser.
    refused(
        &engine,
        part(STAFF_2, 5, give(AdviceBasis::LivedExperience)),
        &PartError::BasisNotRecorded { member: STAFF_2 },
    );
    // Blank advice.
    refused(
        &engine,
        part(
            STAFF_2,
            5,
            PartCommand::GiveAdvice {
                advice: "  ".into(),
                bases: Default::default(),
            },
        ),
        &PartError::Shared(Refusal {
            process: ProcessKind::Consent,
            kind: RefusalKind::TextRequired {
                attempted: "give_advice",
                field: "advice",
            },
        }),
    );
    engine
        .handle(part(ALLY, 5, give(AdviceBasis::Affected)))
        .unwrap();
    // An answer to advice nobody gave, and an answer from who does not run the round.
    refused(
        &engine,
        part(STAFF_1, 6, answer(MEMBER)),
        &PartError::NoAdvice { member: MEMBER },
    );
    refused(
        &engine,
        part(MEMBER, 6, answer(ALLY)),
        &PartError::NotRunning {
            attempted: "answer_advice",
            actor: MEMBER,
        },
    );
    // Backdated before the advice it would answer.
    refused(
        &engine,
        part(STAFF_1, 4, answer(ALLY)),
        &PartError::Shared(Refusal {
            process: ProcessKind::Consent,
            kind: RefusalKind::ClockWentBack {
                now: at(4),
                last: at(5),
            },
        }),
    );
    // Refused alike by every process, and found as such through the crate's error.
    let err = engine.handle(part(STAFF_1, 4, answer(ALLY))).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "stream `working-model`: the command's time {} is before the round's last event at {}",
            at(4),
            at(5)
        )
    );
    let refusal = coproduction::Error::from(err).refusal().cloned();
    assert!(matches!(
        refusal,
        Some(Refusal {
            process: ProcessKind::Consent,
            kind: RefusalKind::ClockWentBack { .. }
        })
    ));
    engine.handle(part(STAFF_1, 6, answer(ALLY))).unwrap();

    // The record holds the advice as witnessed: the ally's lived experience and their place
    // as a critical friend are the community's to say, and the engine adds them.
    let record = engine.record(&stream(), at(7)).unwrap();
    let advice = record.advice.unwrap();
    assert_eq!(advice.len(), 1);
    assert_eq!(advice[0].from, ALLY);
    assert_eq!(
        advice[0].bases,
        [
            AdviceBasis::Affected,
            AdviceBasis::LivedExperience,
            AdviceBasis::CriticalFriend
        ]
        .into()
    );
    assert_eq!(advice[0].given_at, Some(at(5)));
    assert_eq!(advice[0].answer.as_deref(), Some("Taken into the terms"));
    // The Allies Group was heard on the route taken; the staff team was not.
    let consulted = &record.route_taken.unwrap().consulted;
    assert!(consulted.contains(&"allies_group".parse().unwrap()));
    assert!(consulted.contains(&"whole_community".parse().unwrap()));
    assert!(!consulted.contains(&"staff_team".parse().unwrap()));
}

#[test]
fn interests_and_recusals_are_each_members_own_and_a_recused_member_cannot_respond() {
    let engine = opened();
    refused(
        &engine,
        part(
            CO_2,
            4,
            PartCommand::Recuse {
                reason: "A tie".into(),
            },
        ),
        &PartError::NoInterest { member: CO_2 },
    );
    engine
        .handle(part(
            CO_2,
            4,
            PartCommand::DeclareInterests {
                interest: Some("My partner would take one of the roles".into()),
            },
        ))
        .unwrap();
    engine
        .handle(part(
            CO_1,
            4,
            PartCommand::DeclareInterests { interest: None },
        ))
        .unwrap();
    engine
        .handle(part(
            CO_2,
            5,
            PartCommand::Recuse {
                reason: "A close tie to the roles".into(),
            },
        ))
        .unwrap();
    refused(
        &engine,
        part(
            CO_2,
            6,
            PartCommand::Recuse {
                reason: "Again".into(),
            },
        ),
        &PartError::AlreadyRecused { member: CO_2 },
    );
    // Stepped out: no response from them in the objection round.
    let respond = RoundCommand::Respond {
        member: CO_2,
        response: Response::consent(),
    };
    refused(
        &engine,
        consent(CO_2, 10, respond),
        &PartError::SteppedOut { member: CO_2 },
    );

    // A member who has responded cannot step out afterwards.
    let respond = RoundCommand::Respond {
        member: STAFF_1,
        response: Response::consent(),
    };
    engine.handle(consent(STAFF_1, 10, respond)).unwrap();
    engine
        .handle(part(
            STAFF_1,
            10,
            PartCommand::DeclareInterests {
                interest: Some("I would manage the roles".into()),
            },
        ))
        .unwrap();
    refused(
        &engine,
        part(
            STAFF_1,
            10,
            PartCommand::Recuse {
                reason: "I manage the roles".into(),
            },
        ),
        &PartError::AlreadyResponded { member: STAFF_1 },
    );

    let record = engine.record(&stream(), at(11)).unwrap();
    let conflict = |m: MemberId| {
        record
            .participants
            .iter()
            .flatten()
            .find(|p| p.member == m)
            .and_then(|p| p.conflict)
    };
    assert_eq!(conflict(CO_2), Some(Conflict::DeclaredAndRecused));
    assert_eq!(conflict(CO_1), Some(Conflict::None));
    assert_eq!(conflict(STAFF_1), Some(Conflict::DeclaredAndTookPart));
    assert_eq!(conflict(CO_1), Some(Conflict::None));
    // The record keeps their words: the interest declared, and why they stepped out.
    let co_2 = record
        .participants
        .iter()
        .flatten()
        .find(|p| p.member == CO_2)
        .unwrap();
    assert_eq!(
        co_2.interest.as_deref(),
        Some("My partner would take one of the roles")
    );
    assert_eq!(
        co_2.stepped_out.as_deref(),
        Some("A close tie to the roles")
    );
    let report = engine.report(&stream(), at(11)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(&format!(
            "- {CO_2} (lived experience, public contributor): stepped out: A close tie to the roles; declared an interest (My partner would take one of the roles)\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("declared an interest (I would manage the roles) and took part"),
        "{text}"
    );
}

#[test]
fn payment_is_offered_by_who_runs_the_round_and_answered_by_the_member() {
    let engine = opened();
    let offer = |to: MemberId| PartCommand::OfferPayment {
        member: to,
        benefits_advice: false,
    };
    refused(
        &engine,
        part(CO_2, 4, offer(CO_2)),
        &PartError::NotRunning {
            attempted: "offer_payment",
            actor: CO_2,
        },
    );
    refused(
        &engine,
        part(CO_1, 4, PartCommand::AnswerPayment { accept: true }),
        &PartError::NotOffered { member: CO_1 },
    );
    refused(
        &engine,
        part(STAFF_2, 4, offer(MemberId::new(99))),
        &PartError::NotAMember {
            member: MemberId::new(99),
        },
    );
    engine.handle(part(STAFF_2, 4, offer(CO_1))).unwrap();
    engine.handle(part(STAFF_2, 4, offer(CO_2))).unwrap();
    engine
        .handle(part(CO_2, 5, PartCommand::AnswerPayment { accept: false }))
        .unwrap();

    let record = engine.record(&stream(), at(6)).unwrap();
    let payment = |m: MemberId| {
        record
            .participants
            .iter()
            .flatten()
            .find(|p| p.member == m)
            .and_then(|p| p.payment)
    };
    assert_eq!(payment(CO_1), Some(PaymentStatus::Offered));
    assert_eq!(payment(CO_2), Some(PaymentStatus::Declined));
    // Offered without benefits advice: H3 finds it.
    assert_eq!(record.benefits_advice_signposted, Some(false));
    let report = engine.report(&stream(), at(6)).unwrap();
    assert_eq!(report.finding("H3").unwrap().status, Status::Violated);
    // Every public contributor (the two co-producers; the proposer is staff) was offered
    // payment or declined it.
    assert_eq!(report.finding("H1").unwrap().status, Status::Satisfied);
}

/// A strategy is decided by the whole community, one of whose members asks for captions and
/// papers in advance: their access requests are raised from what they declared, and I4
/// finds them unmet until who runs the round records each one met.
#[test]
fn access_requests_come_from_declared_needs_and_are_met_as_events() {
    let engine = engine();
    let community = engine.community().clone();
    let strategy = StreamId::new("strategy").unwrap();
    let roles = coproduction::consent::RoundRoles {
        proposer: STAFF_1,
        facilitator: CO_1,
        secretary: STAFF_2,
    };
    let open = RoundCommand::OpenOnRoute {
        title: "The next three years".into(),
        proposal: "Five values, not four.".into(),
        roles,
    };
    engine
        .handle(
            Request::new(strategy.clone(), STAFF_1, at(0), open)
                .with_kind(coproduction::DecisionKind::Strategy),
        )
        .unwrap();
    let needs = MemberId::new(25);
    // Raised by the engine as the round seated the whole community, in the batch that
    // opened it.
    let raised: Vec<_> = engine
        .journal()
        .read_all()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.event {
            coproduction::EngineEvent::Part {
                event: PartEvent::AccessRequested { member, needs, .. },
            } => Some((member, needs)),
            _ => None,
        })
        .collect();
    assert_eq!(
        raised,
        [(
            needs,
            vec![AccessNeedKind::Captions, AccessNeedKind::PapersInAdvance]
        )]
    );
    let record = engine.record(&strategy, at(1)).unwrap();
    let requests = record.access_requests.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.member == needs && r.met_at.is_none())
    );
    let i4 = |engine: &TestEngine| {
        engine
            .report(&strategy, at(2))
            .unwrap()
            .finding("I4")
            .unwrap()
            .status
    };
    assert_eq!(i4(&engine), Status::Violated);

    let meet = |need: AccessNeedKind| PartCommand::MeetAccess {
        member: needs,
        need,
        adjustment: "Booked".into(),
    };
    let meet_on = |actor: MemberId, need: AccessNeedKind| {
        Request::new(strategy.clone(), actor, at(1), meet(need))
    };
    // A need the member never declared, and a member who does not run the round.
    let before = engine.journal().read_all().unwrap();
    for (request, expected) in [
        (
            meet_on(STAFF_2, AccessNeedKind::SignLanguage),
            PartError::NeedNotDeclared {
                member: needs,
                need: AccessNeedKind::SignLanguage,
            },
        ),
        (
            meet_on(needs, AccessNeedKind::Captions),
            PartError::NotRunning {
                attempted: "meet_access",
                actor: needs,
            },
        ),
    ] {
        let err = engine.handle(request).unwrap_err();
        assert!(
            matches!(&err, EngineError::Part { source, .. } if *source == expected),
            "{err}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap(), before);
    assert!(community.member(needs).is_some());
    for need in [AccessNeedKind::Captions, AccessNeedKind::PapersInAdvance] {
        engine.handle(meet_on(STAFF_2, need)).unwrap();
    }
    // Met after the round opened, with no session yet: not before the session.
    assert_eq!(i4(&engine), Status::Violated);
    // The community met the next day, the needs met before it: attested once it was held.
    let mut session = coproduction::values::Evidence::default();
    session.dates.session_at = Some(at(60 * 24));
    engine
        .handle(
            Request::new(
                strategy.clone(),
                STAFF_2,
                at(60 * 24 + 5),
                coproduction::ProcessCommand::Evidence {},
            )
            .with_evidence(session),
        )
        .unwrap();
    assert_eq!(i4(&engine), Status::Satisfied);
}

/// An advice process decides on advice; T8 judges the advice the engine witnessed: the
/// round's own (an ally, affected, with lived experience) and, asked by name, a colleague
/// with expertise.
#[test]
fn t8_judges_witnessed_advice() {
    let engine = engine();
    grant_advised(&engine);
    let t8 = |engine: &TestEngine| {
        engine
            .report(&grant(), at(9))
            .unwrap()
            .finding("T8")
            .cloned()
    };
    let before = t8(&engine).unwrap();
    assert_eq!(before.status, Status::Violated, "{}", before.message);
    assert!(before.message.contains("expertise"), "{}", before.message);

    let colleague = MemberId::new(3);
    let on_grant = |actor: MemberId, minute: i64, command: PartCommand| {
        Request::new(grant(), actor, at(minute), command)
    };
    engine
        .handle(on_grant(
            STAFF_2,
            6,
            PartCommand::AskAdvice {
                members: [colleague].into(),
            },
        ))
        .unwrap();
    engine
        .handle(on_grant(colleague, 7, give(AdviceBasis::Expertise)))
        .unwrap();
    let after = t8(&engine).unwrap();
    assert_eq!(after.status, Status::Satisfied, "{}", after.message);
}

/// A member taking part in a process that does not exist is refused as an unknown stream.
#[test]
fn taking_part_needs_a_process() {
    let engine = engine();
    let err = engine.handle(part(STAFF_1, 0, ask())).unwrap_err();
    assert!(matches!(err, EngineError::UnknownStream { .. }), "{err}");
    assert_eq!(
        engine.journal().read_all().unwrap().len(),
        1,
        "only the founding"
    );
}
