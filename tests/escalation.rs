//! An escalated matter taken up by the body it was escalated to, through the engine's public
//! API: a member opens a new process on a new stream naming the escalated one; the engine
//! routes it to that body and journals, with its start, what the escalated one hands on (its
//! stream, outcome and objections), which the new record cites.

mod engine_support;

use coproduction::community::BodyId;
use coproduction::consent::{Response, RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineError, EngineEvent, Request};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::process::Streams;
use coproduction::values::{Outcome, RaisedAs};

use engine_support::{CO_1, CO_2, STAFF_1, STAFF_2, community, consent, engine, open, stream};

type TestEngine = Engine<MemoryJournal<EngineEvent>>;

const OBJECTION: &str = "Carers cannot take part unpaid.";

fn circle() -> BodyId {
    BodyId::new("decision_circle").unwrap()
}

fn taken_up() -> StreamId {
    StreamId::new("working-model-circle").unwrap()
}

/// The associate-roles team's round on the working model: Co-producer 2 objects, and the
/// facilitator escalates it to the decision circle at minute 25.
fn escalated() -> TestEngine {
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    escalate(&engine, &[STAFF_1, CO_1, CO_2]);
    engine
}

/// The facilitator brings the round on `working-model` to its objection round, where
/// `members` respond from minute 10 (Co-producer 2 objects, the others consent); closes it at
/// minute 20; and escalates it to the decision circle at minute 25.
fn escalate(engine: &TestEngine, members: &[coproduction::community::MemberId]) {
    let responses = members
        .iter()
        .map(|&who| {
            let response = if who == CO_2 {
                Response::Object {
                    reason: OBJECTION.into(),
                }
            } else {
                Response::consent()
            };
            (who, response)
        })
        .collect();
    escalate_after(engine, responses, true);
}

/// The facilitator brings the round to its objection round, where each of `responses` is
/// given from minute 10; closes it at minute 20 if `close`; and escalates it to the
/// decision circle at minute 25.
fn escalate_after(
    engine: &TestEngine,
    responses: Vec<(coproduction::community::MemberId, Response)>,
    close: bool,
) {
    for minute in 1..=3 {
        engine
            .handle(consent(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    for (minute, (who, response)) in (10..).zip(responses) {
        let respond = RoundCommand::Respond {
            member: who,
            response,
        };
        engine.handle(consent(who, minute, respond)).unwrap();
    }
    if close {
        engine
            .handle(consent(CO_1, 20, RoundCommand::CloseRound {}))
            .unwrap();
    }
    engine
        .handle(consent(
            CO_1,
            25,
            RoundCommand::Escalate {
                to: circle(),
                reason: "The team cannot integrate the objection on its own.".into(),
            },
        ))
        .unwrap();
}

/// A round opened on the route by staff member 1, at minute 30, on `stream`.
fn take_up(stream: StreamId, kind: DecisionKind, escalated: StreamId) -> Request {
    Request::new(
        stream,
        STAFF_1,
        engine_support::at(30),
        RoundCommand::OpenOnRoute {
            title: "The working model, escalated".into(),
            proposal: "Pilot the model; the circle decides how carers are paid.".into(),
            roles: RoundRoles {
                proposer: STAFF_1,
                facilitator: CO_1,
                secretary: STAFF_2,
            },
        },
    )
    .with_kind(kind)
    .taking_up(escalated)
}

#[test]
fn the_body_an_escalation_went_to_takes_it_up_on_a_new_stream_with_its_history() {
    let engine = escalated();
    let written = engine
        .handle(take_up(taken_up(), DecisionKind::WorkingModel, stream()))
        .unwrap();
    let EngineEvent::Started {
        route: Some(route),
        escalated_from: Some(from),
        ..
    } = &written[0].event
    else {
        panic!(
            "the new stream starts with what it takes up: {:?}",
            written[0]
        );
    };
    // Routed to the body it was escalated to, by the same method, escalating further on.
    assert_eq!(route.decider, circle());
    assert_eq!(route.escalation, [BodyId::new("whole_community").unwrap()]);
    // It carries the escalated round's stream, outcome and objection, as the engine saw it.
    assert_eq!(from.stream, stream());
    assert_eq!(from.to, circle());
    assert_eq!(from.outcome, Some(Outcome::Escalated));
    assert_eq!(from.objections.len(), 1);
    assert_eq!(from.objections[0].by, CO_2);
    assert_eq!(from.objections[0].raised_as, RaisedAs::Objection);
    assert_eq!(from.objections[0].text.as_deref(), Some(OBJECTION));
    // The new record cites it, and so does a replay of the journal.
    let record = engine.record(&taken_up(), engine_support::at(31)).unwrap();
    assert_eq!(record.escalated_from.as_ref(), Some(&**from));
    let replayed = Streams::replay(&engine.journal().read_all().unwrap());
    assert_eq!(
        replayed.get(&taken_up()).unwrap().escalated_from(),
        Some(&**from)
    );
    // The seats are the decision circle's, as the community records it.
    let seated: Vec<_> = record
        .participants
        .unwrap()
        .iter()
        .map(|p| p.member)
        .collect();
    let circle_members: Vec<_> = engine
        .community()
        .body(&circle())
        .unwrap()
        .members()
        .collect();
    assert_eq!(seated.len(), circle_members.len());
}

#[test]
fn only_an_escalated_matter_of_the_same_kind_is_taken_up_and_a_refusal_writes_nothing() {
    let engine = escalated();
    let not_escalated = StreamId::new("another-round").unwrap();
    engine
        .handle(
            Request::new(
                not_escalated.clone(),
                STAFF_1,
                engine_support::at(26),
                RoundCommand::OpenOnRoute {
                    title: "Meet monthly".into(),
                    proposal: "First Mondays.".into(),
                    roles: RoundRoles {
                        proposer: STAFF_1,
                        facilitator: CO_1,
                        secretary: STAFF_2,
                    },
                },
            )
            .with_kind(DecisionKind::WorkingModel),
        )
        .unwrap();
    let before = engine.journal().read_all().unwrap().len();
    for (escalated, kind, reason) in [
        (
            StreamId::new("nowhere").unwrap(),
            DecisionKind::WorkingModel,
            "no process runs there",
        ),
        (
            not_escalated,
            DecisionKind::WorkingModel,
            "its process has not been escalated",
        ),
        (
            stream(),
            DecisionKind::Recruitment,
            "it is about another kind of decision",
        ),
    ] {
        let refused = engine.handle(take_up(taken_up(), kind, escalated.clone()));
        assert_eq!(
            refused.unwrap_err(),
            EngineError::NotEscalated {
                stream: taken_up(),
                escalated,
                reason,
            }
        );
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    assert!(engine.state(&taken_up()).is_none());
}

#[test]
fn an_escalated_matter_is_not_taken_up_by_the_body_it_left() {
    let engine = escalated();
    let community = engine.community();
    let mut config = engine_support::config(
        &community,
        "associate_roles_team",
        coproduction::decision::Method::Consent,
    );
    config.title = "The working model, again".into();
    let again = Request::new(
        taken_up(),
        STAFF_1,
        engine_support::at(30),
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(DecisionKind::WorkingModel)
    .taking_up(stream());
    assert!(matches!(
        engine.handle(again),
        Err(EngineError::OffRoute { .. })
    ));
}

#[test]
fn a_proposal_escalated_by_its_round_is_taken_up_with_the_rounds_objections() {
    use coproduction::proposal::{ProposalCommand, ProposalPhase};
    use engine_support::living::{proposal, propose};
    // The round on `working-model` decides for a proposal: its escalation ends the proposal
    // too, and the body takes up the proposal, citing the round's objection.
    let engine = engine();
    let model = StreamId::new("working-model-proposal").unwrap();
    propose(&engine, &model, DecisionKind::WorkingModel, vec![], -50);
    // `propose` started a round kept elsewhere; another, run here, decides it.
    engine
        .handle(proposal(
            &model,
            CO_1,
            -40,
            ProposalCommand::RecordDecision {
                round: engine_support::living::round_of(&model),
                result: coproduction::proposal::DecisionResult::Deferred {},
            },
        ))
        .unwrap();
    engine
        .handle(proposal(
            &model,
            CO_1,
            -30,
            ProposalCommand::StartDecision { round: stream() },
        ))
        .unwrap();
    engine
        .handle(open(&community()).deciding_for(model.clone()))
        .unwrap();
    escalate(&engine, &[STAFF_1, CO_2]);
    assert_eq!(
        engine.phase::<coproduction::ProposalProcess>(&model),
        Some(ProposalPhase::Escalated)
    );
    let taken_up_by = |stream: &StreamId| {
        engine
            .record(stream, engine_support::at(31))
            .and_then(|r| r.taken_up_by)
    };
    assert_eq!(taken_up_by(&model), None);
    engine
        .handle(take_up(
            taken_up(),
            DecisionKind::WorkingModel,
            model.clone(),
        ))
        .unwrap();
    let from = engine
        .record(&taken_up(), engine_support::at(31))
        .and_then(|r| r.escalated_from)
        .unwrap();
    assert_eq!((from.stream, from.to), (model.clone(), circle()));
    assert_eq!(from.objections.len(), 1);
    assert_eq!(from.objections[0].by, CO_2);
    // The proposal and its round, one matter, each name the process that took it up.
    assert_eq!(taken_up_by(&model), Some(taken_up()));
    assert_eq!(taken_up_by(&stream()), Some(taken_up()));
    let record = engine.record(&model, engine_support::at(31)).unwrap();
    let report = engine.report(&model, engine_support::at(31)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(&format!(
            "it escalated it, and \\`{}\\` took it up",
            taken_up()
        )),
        "{text}"
    );
}

#[test]
fn objections_raised_in_an_objection_round_escalated_before_it_closed_are_carried_on() {
    // The same responses, but the facilitator escalates while the objection round is still
    // open: Co-producer 2's objection was raised, never tested, and goes with the matter.
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    let concern = Response::ConsentWithConcern {
        concern: "Six months is short.".into(),
    };
    let objection = Response::Object {
        reason: OBJECTION.into(),
    };
    escalate_after(&engine, vec![(STAFF_1, concern), (CO_2, objection)], false);
    let record = engine.record(&stream(), engine_support::at(26)).unwrap();
    let raised: Vec<_> = record
        .objections
        .unwrap()
        .iter()
        .map(|e| (e.by, e.raised_as, e.text.clone().unwrap(), e.disposition))
        .collect();
    assert_eq!(
        raised,
        [
            (
                STAFF_1,
                RaisedAs::Concern,
                "Six months is short.".to_owned(),
                None
            ),
            (CO_2, RaisedAs::Objection, OBJECTION.to_owned(), None),
        ]
    );
    let written = engine
        .handle(take_up(taken_up(), DecisionKind::WorkingModel, stream()))
        .unwrap();
    let EngineEvent::Started {
        escalated_from: Some(from),
        ..
    } = &written[0].event
    else {
        panic!("{:?}", written[0]);
    };
    assert_eq!(from.objections.len(), 2, "{from:?}");
}

#[test]
fn only_a_member_of_the_body_it_went_to_takes_up_an_escalated_matter() {
    // Member 20 sits in the whole community only, not in the decision circle.
    let engine = escalated();
    let outsider = coproduction::community::MemberId::new(20);
    let mut request = take_up(taken_up(), DecisionKind::WorkingModel, stream());
    request.actor = outsider;
    let written = engine.journal().read_all().unwrap().len();
    let err = engine.handle(request).unwrap_err();
    assert!(
        matches!(&err, EngineError::NotEscalated { reason, .. } if reason.contains("does not sit on the body")),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    // A member of the circle may.
    engine
        .handle(take_up(taken_up(), DecisionKind::WorkingModel, stream()))
        .unwrap();
}

#[test]
fn a_take_up_withdrawn_before_it_decided_leaves_the_matter_to_be_taken_up_again() {
    let engine = escalated();
    engine
        .handle(take_up(taken_up(), DecisionKind::WorkingModel, stream()))
        .unwrap();
    // Payment offered to a co-producer while it runs, answered only after it ended.
    let payment = |actor, minute, command| {
        Request::new(
            taken_up(),
            actor,
            engine_support::at(minute),
            coproduction::engine::ProcessCommand::Part { command },
        )
    };
    let offer = coproduction::process::PartCommand::OfferPayment {
        member: CO_2,
        benefits_advice: true,
    };
    engine.handle(payment(CO_1, 30, offer)).unwrap();
    engine
        .handle(Request::new(
            taken_up(),
            STAFF_1,
            engine_support::at(31),
            RoundCommand::Withdraw {
                reason: "Opened on the wrong text.".into(),
            },
        ))
        .unwrap();
    // The record says who withdrew it and why: the circle decided nothing.
    let withdrawn = engine.record(&taken_up(), engine_support::at(31)).unwrap();
    assert_eq!(withdrawn.withdrawn.as_ref().map(|w| w.by), Some(STAFF_1));
    let report = engine.report(&taken_up(), engine_support::at(31)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&withdrawn, &report).to_string();
    assert!(
        text.contains("Who decided, and how: nobody; ")
            && text.contains(
                " withdrew it on 2022-08-20, before decision_circle decided: \"Opened on the wrong text.\""
            ),
        "{text}"
    );
    assert!(
        !text.contains("Who decided, and how: decision_circle"),
        "{text}"
    );
    let again = StreamId::new("working-model-circle-again").unwrap();
    let at = |mut request: Request, minute| {
        request.now = engine_support::at(minute);
        request
    };
    engine
        .handle(at(
            take_up(again.clone(), DecisionKind::WorkingModel, stream()),
            32,
        ))
        .unwrap();
    // While that one runs, nobody else takes the matter up.
    let third = StreamId::new("working-model-circle-third").unwrap();
    let err = engine
        .handle(at(take_up(third, DecisionKind::WorkingModel, stream()), 33))
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::NotEscalated { reason, .. } if reason.contains("another process has taken it up")),
        "{err}"
    );
    let record = engine.record(&again, engine_support::at(34)).unwrap();
    assert_eq!(record.escalated_from.unwrap().stream, stream());
    let answer = coproduction::process::PartCommand::AnswerPayment { accept: true };
    engine.handle(payment(CO_2, 35, answer)).unwrap();
    // The escalated round's record, read at each time, names the process that held the
    // matter then: none before the first take-up opened, that one until it was withdrawn
    // (a later answer to its offer does not move that), none in between, the second since.
    let taken_up_by = |minute| {
        engine
            .record(&stream(), engine_support::at(minute))
            .and_then(|r| r.taken_up_by)
    };
    assert_eq!(
        [29, 30, 31, 32, 34].map(taken_up_by),
        [
            None,
            Some(taken_up()),
            None,
            Some(again.clone()),
            Some(again)
        ]
    );
}

/// A matter escalated twice (the team's round to the circle, the circle's take-up to the
/// whole community) reaches the last body with every step's objections: none is lost on
/// the way, in the journal or in the record.
#[test]
fn a_matter_escalated_twice_reaches_the_last_body_with_every_steps_objections() {
    let engine = escalated();
    engine
        .handle(take_up(taken_up(), DecisionKind::WorkingModel, stream()))
        .unwrap();
    let in_circle = |actor, minute, command| {
        Request::new(taken_up(), actor, engine_support::at(minute), command)
    };
    for minute in 31..=33 {
        engine
            .handle(in_circle(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    let ally = coproduction::community::MemberId::new(5);
    let object = RoundCommand::Respond {
        member: ally,
        response: Response::Object {
            reason: "Pay carers before the pilot starts.".into(),
        },
    };
    engine.handle(in_circle(ally, 40, object)).unwrap();
    for (minute, who) in (41..).zip([STAFF_1, CO_1, CO_2]) {
        let respond = RoundCommand::Respond {
            member: who,
            response: Response::consent(),
        };
        engine.handle(in_circle(who, minute, respond)).unwrap();
    }
    engine
        .handle(in_circle(CO_1, 45, RoundCommand::CloseRound {}))
        .unwrap();
    let whole = BodyId::new("whole_community").unwrap();
    let escalate = RoundCommand::Escalate {
        to: whole.clone(),
        reason: "The circle is split on paying carers.".into(),
    };
    engine.handle(in_circle(CO_1, 50, escalate)).unwrap();

    let everyone = StreamId::new("working-model-everyone").unwrap();
    let mut again = take_up(everyone.clone(), DecisionKind::WorkingModel, taken_up());
    again.now = engine_support::at(60);
    engine.handle(again).unwrap();
    let record = engine.record(&everyone, engine_support::at(61)).unwrap();
    let from = record.escalated_from.as_ref().unwrap();
    let steps: Vec<_> = from
        .steps()
        .map(|step| {
            let said = step.objections.iter().map(|o| (o.by, o.text.clone()));
            (
                step.stream.clone(),
                step.to.clone(),
                said.collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                taken_up(),
                whole,
                vec![(ally, Some("Pay carers before the pilot starts.".into()))]
            ),
            (stream(), circle(), vec![(CO_2, Some(OBJECTION.into()))]),
        ]
    );
    let report = engine.report(&everyone, engine_support::at(61)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("That process had taken it up after \\`working-model\\` escalated it to")
            && text.contains(OBJECTION),
        "{text}"
    );
}

#[test]
fn a_round_escalates_to_the_next_body_on_its_chain_not_past_it() {
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    let escalate = |minute, to: &str| {
        engine.handle(consent(
            CO_1,
            minute,
            RoundCommand::Escalate {
                to: BodyId::new(to).unwrap(),
                reason: "I would rather everyone decided.".into(),
            },
        ))
    };
    let written = engine.journal().read_all().unwrap().len();
    let err = escalate(2, "whole_community").unwrap_err();
    assert!(
        err.to_string()
            .contains("to the next body on its chain, `decision_circle`"),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    escalate(3, "decision_circle").unwrap();
}
