//! Funding decisions run on the engine: routed on the offer's own facts, screened along that
//! route, checked against the consent round they record, gated on acceptance, replayed.

mod engine_support;
mod funding_common;

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{
    HandedRole, Response, RoundCommand, RoundConfig, RoundEvent, RoundPhase, RoundRoles,
};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{
    Engine, EngineError, EngineEvent, ProcessCommand, ProcessError, ProcessState, Request,
};
use coproduction::funding::{
    AdviceId, FundingCommand, FundingError, FundingEvent, FundingOutcome, FundingPhase,
    FundingPolicy, Offer, RoundProposes, route_facts,
};
use coproduction::governance::Route;
use coproduction::journal::{FileJournal, Journal, MemoryJournal, StreamId};
use coproduction::machine::RefusalKind;
use coproduction::process::{ProcessKind, Refusal};
use coproduction::values::{Charter, Conflict, Restriction, Status, Verdict};
use engine_support::funding::{
    accept, co_producers_advice, consulting_requests, decide_with_evidence, evidence, funding,
    identify, ready_requests, small_grant,
};
use engine_support::refused;
use funding_common::{community, governance, seed_policy};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

fn stream(s: &str) -> StreamId {
    StreamId::new(s).unwrap()
}

fn engine<J: Journal<Event = EngineEvent>>(journal: J) -> Engine<J> {
    Engine::open(
        community().clone(),
        Some(governance().clone()),
        Charter::default(),
        journal,
    )
    .unwrap()
}

/// The route governance gives `offer`: these offers are not `funding_common`'s, whose
/// purposes (and condition) read differently, so their routes are asked for here.
fn route_for(offer: &Offer) -> Route {
    governance()
        .route(&offer.kind, route_facts(offer, seed_policy()))
        .unwrap()
}

fn restricting_offer() -> Offer {
    Offer::new(
        DecisionKind::Funding,
        "A pharmaceutical company's foundation",
        "Pharmaceutical philanthropy",
        "£12,000 towards the associate-roles pilot",
    )
    .amount(12_000)
    .condition(
        "The foundation reviews findings before they are published",
        [Restriction::Publication],
    )
}

/// The members of the decision circle as the community was founded.
fn founding_circle() -> Vec<MemberId> {
    let circle = BodyId::new("decision_circle").unwrap();
    community().body(&circle).unwrap().members().collect()
}

/// The restricting offer on stream `f`, identified, screened, checked and in consultation
/// on 2024-05-01, routed to the decision circle by consent.
fn restricting_offer_consulting(engine: &Engine<impl Journal<Event = EngineEvent>>) {
    let offer = restricting_offer();
    for (minute, command) in [
        ("00", identify(&offer)),
        ("05", FundingCommand::StartScreening {}),
        ("10", FundingCommand::Screen {}),
        ("15", FundingCommand::StartDueDiligence {}),
        ("20", FundingCommand::StartConsultation {}),
    ] {
        let now = format!("2024-05-01T09:{minute}:00Z");
        engine.handle(funding("f", 1, &now, command)).unwrap();
    }
}

/// A round on stream `round`, opened on the route by member 1 at `when`, deciding for the
/// offer on `f`.
fn offer_round(round: &str, when: &str) -> Request {
    let open = RoundCommand::OpenOnRoute {
        title: "Accept the foundation's offer".into(),
        proposal: "Accept with our publication condition.".into(),
        roles: RoundRoles {
            proposer: m(1),
            facilitator: m(13),
            secretary: m(14),
        },
    };
    Request::new(stream(round), m(1), at(when), open)
        .with_kind(DecisionKind::Funding)
        .deciding_for(stream("f"))
        .proposing(RoundProposes::Accept)
}

/// A request to the round on `f-round` from `who`, at minute `minute` past 18:00 on
/// 2024-05-16.
fn in_offer_round(who: MemberId, minute: u32, command: RoundCommand) -> Request {
    let now = at(&format!("2024-05-16T18:{minute:02}:00Z"));
    Request::new(stream("f-round"), who, now, command)
}

/// The metrics row of the round on `f-round`.
fn round_row(
    engine: &Engine<impl Journal<Event = EngineEvent>>,
) -> coproduction::metrics::DecisionMetrics {
    let metrics = engine.metrics(None).unwrap();
    metrics
        .decisions
        .into_iter()
        .find(|d| d.stream.as_str() == "f-round")
        .unwrap()
}

/// The round on `f-round` advanced to its objection round by its facilitator, member 13.
fn advance_offer_round(engine: &Engine<impl Journal<Event = EngineEvent>>) {
    for minute in [5, 15, 30] {
        engine
            .handle(in_offer_round(m(13), minute, RoundCommand::Advance {}))
            .unwrap();
    }
}

/// `member`'s consent in the round on `f-round`.
fn consent_in_offer_round(member: MemberId, minute: u32) -> Request {
    let response = Response::consent();
    in_offer_round(member, minute, RoundCommand::Respond { member, response })
}

/// The small grant identified, screened, checked and declared: in consultation.
fn small_grant_consulting(engine: &Engine<impl Journal<Event = EngineEvent>>) {
    for request in consulting_requests() {
        engine.handle(request).unwrap();
    }
}

/// The small grant identified, screened, checked, declared and advised on: ready to decide.
fn small_grant_ready(engine: &Engine<impl Journal<Event = EngineEvent>>) {
    for request in ready_requests() {
        engine.handle(request).unwrap();
    }
}

/// A tobacco company's offer, identified and screened: a red line, declined automatically.
fn decline_tobacco(engine: &Engine<impl Journal<Event = EngineEvent>>) {
    let offer = Offer::new(
        DecisionKind::Funding,
        "A tobacco company",
        "Tobacco",
        "A grant towards community events",
    )
    .amount(5_000);
    for (minute, command) in [
        ("00", identify(&offer)),
        ("05", FundingCommand::StartScreening {}),
        ("10", FundingCommand::Screen {}),
    ] {
        engine
            .handle(funding(
                "tobacco",
                1,
                &format!("2024-06-03T09:{minute}:00Z"),
                command,
            ))
            .unwrap();
    }
}

#[test]
fn a_funding_decision_is_routed_on_its_offers_facts() {
    let engine = engine(MemoryJournal::new());
    let written = engine
        .handle(funding(
            "room-hire",
            1,
            "2024-03-01T09:00:00Z",
            identify(&small_grant()),
        ))
        .unwrap();
    let EngineEvent::Started { route, .. } = &written[0].event else {
        panic!("the first event starts the process");
    };
    let route = route.as_ref().unwrap();
    assert_eq!(route.decider.as_str(), "staff_team");
    assert_eq!(route.method(), Some(Method::AdviceProcess));
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("room-hire")),
        Some(FundingPhase::Identified)
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream("room-hire")),
        None
    );
}

/// The offer is screened on the route governance gave it when it was identified: a screen
/// names no route, and one that tries is refused as the wire refuses any unknown field.
#[test]
fn a_screen_takes_the_route_governance_gave_and_names_none() {
    let engine = engine(MemoryJournal::new());
    let offer = restricting_offer();
    engine
        .handle(funding("f", 1, "2024-05-01T09:00:00Z", identify(&offer)))
        .unwrap();
    engine
        .handle(funding(
            "f",
            1,
            "2024-05-01T09:05:00Z",
            FundingCommand::StartScreening {},
        ))
        .unwrap();
    let before = engine.journal().read_all().unwrap();
    let named = r#"{"stream": "f", "actor": 1, "now": "2024-05-01T09:10:00Z",
        "command": {"process": "funding", "command": {"type": "screen",
            "route": {"deciding_body": "staff_team", "method": {"type": "advice_process"}}}}}"#;
    let err = engine.handle_json(named).unwrap_err();
    assert!(matches!(err, EngineError::Json { .. }), "{err}");
    assert_eq!(engine.journal().read_all().unwrap(), before);

    let written = engine
        .handle(funding(
            "f",
            1,
            "2024-05-01T09:10:00Z",
            FundingCommand::Screen {},
        ))
        .unwrap();
    let EngineEvent::Funding {
        event: FundingEvent::Triaged { route, .. },
        ..
    } = &written[0].event
    else {
        panic!("triaged: {:?}", written[0].event)
    };
    assert_eq!(**route, route_for(&offer));
    assert_eq!(route.decider.as_str(), "decision_circle");
}

#[test]
fn acceptance_is_gated_on_the_communitys_values() {
    let engine = engine(MemoryJournal::new());
    small_grant_ready(&engine);
    let before = engine.journal().read_all().unwrap().len();

    // Without the evidence the decision does not hold (the alternatives, access, expenses),
    // the gate refuses, and nothing is written.
    let err = engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()))
        .unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("the gate refuses: {err}");
    };
    assert!(source.unmet().iter().any(|u| u.rule.as_str() == "T2"));
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("room-hire")),
        Some(FundingPhase::Deciding)
    );

    // A member named twice among the deciders would count as two: refused, nothing written.
    let FundingCommand::Decide {
        outcome, rationale, ..
    } = accept()
    else {
        unreachable!()
    };
    let twice = FundingCommand::Decide {
        outcome,
        rationale,
        deciders: [1, 2, 1, 3].map(m).to_vec(),
    };
    let err = engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", twice).with_evidence(evidence()))
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("cannot decide: member m1 is named twice among the deciders"),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);

    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()))
        .unwrap();
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("room-hire")),
        Some(FundingPhase::Accepted)
    );
    let report = engine
        .report(&stream("room-hire"), at("2024-03-05T10:00:00Z"))
        .unwrap();
    assert_eq!(report.finding("C4").unwrap().status, Status::Satisfied);
    assert_eq!(report.finding("T7").unwrap().status, Status::Satisfied);
    assert_eq!(report.finding("T5").unwrap().status, Status::Satisfied);
    // The gate names the funding policy the offer was screened under.
    let gate = &engine.gates(&stream("room-hire"))[0];
    assert_eq!(
        gate.funding_policy,
        Some(coproduction::hash::Hash::of_json(&FundingPolicy::seed()))
    );
}

#[test]
fn a_red_line_offer_is_declined_at_screening_and_nothing_accepts_it() {
    let engine = engine(MemoryJournal::new());
    decline_tobacco(&engine);
    // An automatic decline has no deliberative route.
    let all = engine.journal().read_all().unwrap();
    // The first event past the journal's founding.
    let started = all
        .iter()
        .find(|e| e.stream != coproduction::living::stream())
        .unwrap();
    assert!(matches!(
        &started.event,
        EngineEvent::Started {
            route: Some(route),
            ..
        } if route.is_automatic_decline()
    ));
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("tobacco")),
        Some(FundingPhase::Declined)
    );
    let report = engine
        .report(&stream("tobacco"), at("2024-06-03T10:00:00Z"))
        .unwrap();
    // Declining it is the red line held: every value upheld, the rules about taking part
    // not applicable, saying why.
    assert_eq!(report.finding("C4").unwrap().status, Status::Satisfied);
    for value in ["human", "inclusive", "transparent", "challenging"] {
        assert_eq!(report.verdict(value), Some(Verdict::Upheld), "{value}");
    }
    let c1 = report.finding("C1").unwrap();
    assert_eq!(c1.status, Status::NotApplicable);
    assert!(
        c1.message.contains("declined automatically"),
        "{}",
        c1.message
    );

    let err = engine
        .handle(funding("tobacco", 1, "2024-06-03T10:00:00Z", accept()))
        .unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Refused {
                source: coproduction::engine::ProcessError::Funding(_),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("tobacco")),
        Some(FundingPhase::Declined)
    );
}

#[test]
fn the_consent_round_a_funding_decision_records_must_have_reached_it() {
    let engine = engine(MemoryJournal::new());
    let offer = restricting_offer();
    let route = route_for(&offer);
    for (minute, command) in [
        ("00", identify(&offer)),
        ("05", FundingCommand::StartScreening {}),
        ("10", FundingCommand::Screen {}),
        ("15", FundingCommand::StartDueDiligence {}),
        ("20", FundingCommand::StartConsultation {}),
    ] {
        engine
            .handle(funding(
                "f",
                1,
                &format!("2024-05-01T09:{minute}:00Z"),
                command,
            ))
            .unwrap();
    }
    // The round in the decision circle, opened on the engine along the offer's route.
    let community = community();
    let config = RoundConfig::from_route(
        &route,
        community,
        "Accept the foundation's offer",
        "Accept with our publication condition.",
        RoundRoles {
            proposer: m(1),
            facilitator: m(13),
            secretary: m(14),
        },
    )
    .unwrap();
    let round = |who: u64, when: &str, command: RoundCommand| {
        Request::new(
            stream("f-round"),
            m(who),
            at(when),
            ProcessCommand::Consent { command },
        )
    };
    engine
        .handle(
            round(
                1,
                "2024-05-16T18:00:00Z",
                RoundCommand::Open {
                    config: Box::new(config),
                },
            )
            .with_kind(DecisionKind::Funding)
            .with_facts(route_facts(&offer, &FundingPolicy::seed()))
            .deciding_for(stream("f"))
            .proposing(RoundProposes::Accept),
        )
        .unwrap();
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream("f-round")),
        Some(RoundPhase::Presented)
    );
    // One round at a time decides for the offer: a second, opened while the first runs,
    // is refused.
    let second = |when: &str| offer_round("f-round-2", when);
    let err = refused(&engine, second("2024-05-16T18:01:00Z"));
    assert!(
        matches!(&err, EngineError::RoundNotAwaited { reason, .. }
            if reason.contains("round `f-round` decides for it and has not ended")),
        "{err}"
    );

    // The funding decision cannot say what the round reached: the engine records it itself.
    let record = FundingCommand::RecordConsentRound {
        reference: "f-round".into(),
        consented: true,
        proposes: None,
    };
    let before = engine.journal().read_all().unwrap().len();
    let err = engine
        .handle(funding("f", 14, "2024-05-16T18:50:00Z", record))
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::RecordedByTheEngine { round, .. } if round.as_str() == "f-round"),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);

    // Drive the round to consent: its close is recorded in the funding decision too.
    for minute in ["05", "15", "30"] {
        engine
            .handle(round(
                13,
                &format!("2024-05-16T18:{minute}:00Z"),
                RoundCommand::Advance {},
            ))
            .unwrap();
    }
    let circle: Vec<MemberId> = community
        .body(&BodyId::new("decision_circle").unwrap())
        .unwrap()
        .members()
        .collect();
    for (i, member) in circle.iter().enumerate() {
        engine
            .handle(round(
                member.get(),
                &format!("2024-05-16T18:{:02}:00Z", 31 + i),
                RoundCommand::Respond {
                    member: *member,
                    response: Response::consent(),
                },
            ))
            .unwrap();
    }
    engine
        .handle(round(
            13,
            "2024-05-16T18:45:00Z",
            RoundCommand::CloseRound {},
        ))
        .unwrap();
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream("f-round")),
        Some(RoundPhase::Consented)
    );
    let closed = engine.journal().read_all().unwrap();
    let last = &closed[closed.len() - 1];
    assert_eq!(last.stream.as_str(), "f");
    assert!(
        last.last_in_batch,
        "one batch: the round's close and the decision's record"
    );
    assert!(
        matches!(
            &last.event,
            EngineEvent::Funding {
                event: FundingEvent::ConsentRoundRecorded {
                    consented: true,
                    ..
                },
                ..
            }
        ),
        "{:?}",
        last.event
    );
    let decision = match engine.state(&stream("f")) {
        Some(ProcessState::Funding(state)) => state.decision().cloned().unwrap(),
        other => panic!("not a funding decision: {other:?}"),
    };
    let reference = decision.consent_round().unwrap();
    assert!(reference.consented && reference.reference == "f-round");

    // Its consent decides the offer: a later round, whose objections the offer would not
    // hear, is refused.
    let err = engine.handle(second("2024-05-16T19:00:00Z")).unwrap_err();
    assert!(
        matches!(&err, EngineError::RoundNotAwaited { reason, .. }
            if reason.contains("round `f-round` already consented to it")),
        "{err}"
    );

    // The round is done with the offer: it awaits no outcome, and records none.
    let due = engine.due(at("2024-05-20T00:00:00Z"));
    assert!(
        !due.iter().any(|d| d.stream.as_str() == "f-round"
            && matches!(
                d.item,
                coproduction::process::DueItem::OutcomeAwaited { .. }
            )),
        "{due:?}"
    );
    let before = engine.journal().read_all().unwrap().len();
    let outcome = RoundCommand::RecordOutcome {
        statement: "Consented to accept".into(),
        review_date: at("2025-05-16T00:00:00Z"),
    };
    let err = engine
        .handle(round(14, "2024-05-16T18:55:00Z", outcome))
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::OutcomeTakenBy { stream, target }
            if stream.as_str() == "f-round" && target.as_str() == "f"),
        "{err}"
    );
    assert_eq!(err.kind(), "outcome_taken_by");
    assert_eq!(engine.journal().read_all().unwrap().len(), before);

    // Nor, its secretary and then its facilitator gone, has it a role to hand on.
    for (leaving, when) in [(14, "2024-05-17T09:00:00Z"), (13, "2024-05-17T10:00:00Z")] {
        let leave = coproduction::living::CommunityChange::Leave { member: m(leaving) };
        let change = ProcessCommand::Change {
            change: Box::new(leave),
        };
        let request = Request::new(coproduction::living::stream(), m(leaving), at(when), change);
        engine.handle(request).unwrap();
        let due = engine.due(at("2024-05-20T00:00:00Z"));
        assert!(
            !due.iter().any(|d| d.stream.as_str() == "f-round"),
            "{due:?}"
        );
    }
}

#[test]
fn a_funding_decision_is_rebuilt_by_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (state, record) = {
        let (journal, _) = FileJournal::open(&path).unwrap();
        let engine = engine(journal);
        small_grant_ready(&engine);
        engine
            .handle(
                funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()),
            )
            .unwrap();
        (
            engine.state(&stream("room-hire")).unwrap(),
            engine
                .record(&stream("room-hire"), at("2024-03-06T00:00:00Z"))
                .unwrap(),
        )
    };
    let (journal, report) = FileJournal::open(&path).unwrap();
    assert_eq!(report.torn_tail, None);
    let engine = engine(journal);
    assert_eq!(engine.state(&stream("room-hire")).unwrap(), state);
    assert_eq!(
        engine
            .record(&stream("room-hire"), at("2024-03-06T00:00:00Z"))
            .unwrap(),
        record
    );
}

#[test]
fn metrics_count_a_funding_decision_taken_without_a_round() {
    let engine = engine(MemoryJournal::new());
    small_grant_ready(&engine);
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()))
        .unwrap();
    engine
        .handle(funding(
            "room-hire",
            1,
            "2024-03-12T10:00:00Z",
            FundingCommand::Publish {
                withheld_reason: None,
            },
        ))
        .unwrap();
    // A red-line offer declined at screening is nobody's decision.
    decline_tobacco(&engine);

    let metrics = engine.metrics(None).unwrap();
    assert_eq!(metrics.totals.decisions, 1);
    let d = &metrics.decisions[0];
    assert_eq!(d.stream.as_str(), "room-hire");
    assert_eq!(d.deciding_body.as_str(), "staff_team");
    assert_eq!(d.method, Method::AdviceProcess);
    // The four staff members decided; two of them bring lived experience.
    assert_eq!((d.participation.part, d.participation.whole), (4, 4));
    assert_eq!((d.lived_experience.part, d.lived_experience.whole), (2, 4));
    assert_eq!(d.outcome, "published");
    assert!(d.decided);
    assert_eq!(
        d.time_to_decision,
        Some(jiff::SignedDuration::from_secs(4 * 86_400 + 3_600))
    );
    assert!(d.published_in_time);
    assert_eq!(
        (
            metrics.publication.in_time.part,
            metrics.publication.in_time.whole
        ),
        (1, 1)
    );
}

/// A past decision's figures are those of the community it was taken in: a decider who
/// leaves, or withdraws their declaration of lived experience, later changes neither its
/// participation nor its lived-experience share, through the engine or the tool.
#[test]
fn metrics_judge_a_past_decision_by_the_community_it_was_taken_in() {
    use coproduction::living::{self, CommunityChange};
    let engine = engine(MemoryJournal::new());
    small_grant_ready(&engine);
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()))
        .unwrap();
    let figures = |engine: &Engine<MemoryJournal<EngineEvent>>| {
        let metrics = engine.metrics(None).unwrap();
        let d = &metrics.decisions[0];
        (
            (d.participation.part, d.participation.whole),
            (d.lived_experience.part, d.lived_experience.whole),
        )
    };
    // The four staff members decided; members 1 and 4 bring lived experience.
    assert_eq!(figures(&engine), ((4, 4), (2, 4)));
    let change = |who: u64, when: &str, change: CommunityChange| {
        engine
            .handle(Request::new(
                living::stream(),
                m(who),
                at(when),
                ProcessCommand::Change {
                    change: Box::new(change),
                },
            ))
            .unwrap();
    };
    change(
        1,
        "2024-04-01T09:00:00Z",
        CommunityChange::LivedExperience {
            member: m(1),
            declared: false,
        },
    );
    change(
        4,
        "2024-04-01T09:01:00Z",
        CommunityChange::Leave { member: m(4) },
    );
    assert_eq!(
        engine
            .community()
            .body(&BodyId::new("staff_team").unwrap())
            .unwrap()
            .members()
            .count(),
        3
    );
    assert_eq!(figures(&engine), ((4, 4), (2, 4)));
}

/// Through the engine, advice to a funding decision is given by the adviser, in their own
/// name, as a member of the body consulted: recorded by another, or from outside the body,
/// it is refused and nothing is written.
#[test]
fn funding_advice_is_given_in_the_advisers_own_name() {
    use coproduction::process::PartError;
    let engine = engine(MemoryJournal::new());
    small_grant_consulting(&engine);
    let before = engine.journal().read_all().unwrap();
    let advice = |actor: u64, from: u64| {
        funding(
            "room-hire",
            actor,
            "2024-03-04T10:00:00Z",
            FundingCommand::RecordAdvice {
                body: BodyId::new("associate_roles_team").unwrap(),
                from: m(from),
                advice: "Use it for sessions co-producers can reach".into(),
            },
        )
    };
    for (request, expected) in [
        (
            advice(1, 13),
            PartError::NotInOwnName {
                actor: m(1),
                member: m(13),
            },
        ),
        (advice(20, 20), PartError::NotAsked { member: m(20) }),
    ] {
        let err = engine.handle(request).unwrap_err();
        assert!(
            matches!(&err, EngineError::Part { source, .. } if *source == expected),
            "{err}"
        );
        assert_eq!(engine.journal().read_all().unwrap(), before);
    }
    engine.handle(advice(13, 13)).unwrap();
}

/// Refused as a step only the decision's deciders take, in the words every process uses
/// for a role, with nothing written.
fn not_running(engine: &Engine<MemoryJournal<EngineEvent>>, request: Request, who: u64) {
    let before = engine.journal().read_all().unwrap();
    let err = engine.handle(request).unwrap_err();
    assert!(err.is_refusal(), "{err}");
    let refusal = err.refusal().cloned();
    assert!(
        matches!(
            &refusal,
            Some(Refusal {
                process: ProcessKind::Funding,
                kind: RefusalKind::WrongRole { actor, role: "decider", .. },
            }) if *actor == m(who)
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains(&format!(
            "member m{who} is not the funding decision's decider"
        )),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
}

#[test]
fn only_the_deciding_body_moves_a_funding_decision_on() {
    // The room hire is tier 0: the staff team (members 1 to 4) decides by advice process.
    let engine = engine(MemoryJournal::new());
    let id = "room-hire";
    // Anyone in the community may bring an offer.
    engine
        .handle(funding(
            id,
            20,
            "2024-03-01T09:00:00Z",
            identify(&small_grant()),
        ))
        .unwrap();
    // A community member, an ally and a co-producer outside the staff team cannot start
    // the screen, whoever brought the offer.
    for who in [20, 5, 13] {
        not_running(
            &engine,
            funding(
                id,
                who,
                "2024-03-01T09:05:00Z",
                FundingCommand::StartScreening {},
            ),
            who,
        );
    }
    let engine = engine_with_consultation();
    // Advice from the associate-roles team is the co-producer's to give, and the staff
    // team's to answer: the co-producer cannot answer it for them.
    engine.handle(co_producers_advice()).unwrap();
    let answer = FundingCommand::AnswerAdvice {
        advice: AdviceId(1),
        answer: "Answered, by someone who does not decide".into(),
    };
    not_running(&engine, funding(id, 13, "2024-03-04T11:00:00Z", answer), 13);
    // Nor may a member outside the team decide, with or without evidence.
    not_running(
        &engine,
        funding(id, 20, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()),
        20,
    );
    not_running(
        &engine,
        funding(id, 20, "2024-03-05T10:00:00Z", accept()),
        20,
    );
}

/// An engine with the room hire in consultation: its checks completed by member 3 of the
/// staff team, everyone's interests declared.
fn engine_with_consultation() -> Engine<MemoryJournal<EngineEvent>> {
    let engine = engine(MemoryJournal::new());
    small_grant_consulting(&engine);
    engine
}

/// The requests of [`ready_requests`], with member `who` declaring `interest` (stepping out
/// when `recused`) before the consultation starts.
fn ready_declaring(who: u64, interest: Option<&str>, recused: bool) -> Vec<Request> {
    let mut requests = ready_requests();
    let consultation = requests
        .iter()
        .position(|r| {
            matches!(
                &r.command,
                ProcessCommand::Funding {
                    command: FundingCommand::StartConsultation {}
                }
            )
        })
        .unwrap();
    requests.insert(
        consultation,
        funding(
            "room-hire",
            who,
            "2024-03-03T09:30:00Z",
            FundingCommand::DeclareInterest {
                interest: interest.map(Into::into),
                recused,
            },
        ),
    );
    requests
}

#[test]
fn a_decision_names_as_deciders_only_the_deciding_body() {
    let engine = engine(MemoryJournal::new());
    // A community member outside the staff team declares no interest, as any member may.
    let requests = ready_declaring(20, None, false);
    for request in requests {
        engine.handle(request).unwrap();
    }
    let before = engine.journal().read_all().unwrap();
    // The staff lead may not name them among the deciders: the record would say they
    // decided.
    let decide = FundingCommand::Decide {
        outcome: FundingOutcome::Accept {},
        deciders: vec![m(1), m(20)],
        rationale: "Free rooms for a year let more people take part".into(),
    };
    let err = engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", decide).with_evidence(evidence()))
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::Unwitnessed { difference, .. }
            if difference.contains("member m20, named a decider, does not sit on `staff_team`")),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
    // The staff team, as the route seats it, decides.
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()))
        .unwrap();
}

#[test]
fn a_comment_in_a_bodys_window_comes_from_a_member_of_that_body() {
    // A trust's £5,000: tier 1, consulting bodies whose views a comment window gathers.
    let offer = Offer::new(
        DecisionKind::Funding,
        "A community trust",
        "Charitable trust",
        "Travel and care costs for the pilot's sessions",
    )
    .amount(5_000);
    let route = route_for(&offer);
    let decider = route.decider.clone();
    let runner = community()
        .body(&decider)
        .unwrap()
        .members()
        .next()
        .unwrap();
    let who = runner.get();
    let engine = engine(MemoryJournal::new());
    let id = "travel-costs";
    let send = |who: u64, when: &str, command: FundingCommand| {
        engine.handle(funding(id, who, when, command))
    };
    send(who, "2024-04-01T09:00:00Z", identify(&offer)).unwrap();
    send(
        who,
        "2024-04-01T09:05:00Z",
        FundingCommand::StartScreening {},
    )
    .unwrap();
    send(who, "2024-04-01T09:10:00Z", FundingCommand::Screen {}).unwrap();
    let written = send(
        who,
        "2024-04-01T09:15:00Z",
        FundingCommand::StartDueDiligence {},
    )
    .unwrap();
    let checks = written
        .iter()
        .find_map(|e| match &e.event {
            EngineEvent::Funding {
                event: FundingEvent::DueDiligenceStarted { checks, .. },
                ..
            } => Some(checks.clone()),
            _ => None,
        })
        .unwrap();
    for (i, check) in checks.into_iter().enumerate() {
        let command = FundingCommand::CompleteCheck {
            check,
            evidence: "Looked up; nothing found".into(),
        };
        send(who, &format!("2024-04-02T1{i}:00:00Z"), command).unwrap();
    }
    for (i, member) in community().body(&decider).unwrap().members().enumerate() {
        let command = FundingCommand::DeclareInterest {
            interest: None,
            recused: false,
        };
        send(member.get(), &format!("2024-04-03T09:{i:02}:00Z"), command).unwrap();
    }
    send(
        who,
        "2024-04-04T09:00:00Z",
        FundingCommand::StartConsultation {},
    )
    .unwrap();
    // A window for a body consulted that not every member sits on.
    let consulted = route
        .consult
        .iter()
        .map(|c| c.body.clone())
        .find(|b| b.as_str() != "whole_community")
        .unwrap();
    send(
        who,
        "2024-04-04T10:00:00Z",
        FundingCommand::OpenCommentWindow {
            body: consulted.clone(),
        },
    )
    .unwrap();
    let body = community().body(&consulted).unwrap().clone();
    let outsider = (1..=28).map(m).find(|m| !body.contains(*m)).unwrap();
    let inside = body.members().next().unwrap();
    let comment = |text: &str| FundingCommand::Comment {
        body: consulted.clone(),
        text: text.into(),
    };
    let before = engine.journal().read_all().unwrap();
    let err = send(outsider.get(), "2024-04-05T10:00:00Z", comment("Take it")).unwrap_err();
    assert!(
        matches!(&err, EngineError::Unwitnessed { difference, .. }
            if difference.contains(&format!("member {outsider} comments in the window of `{consulted}` but is not in it"))),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
    send(
        inside.get(),
        "2024-04-05T10:00:00Z",
        comment("Take it, and say what it pays for"),
    )
    .unwrap();
}

#[test]
fn a_decider_who_stepped_out_is_refused_by_the_decisions_own_rule() {
    let engine = engine(MemoryJournal::new());
    // Staff member 2 sits on the deciding body, and steps out.
    let requests = ready_declaring(2, Some("A trustee of the trust is my neighbour"), true);
    for request in requests {
        engine.handle(request).unwrap();
    }
    let before = engine.journal().read_all().unwrap();
    let err = engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence()))
        .unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Refused {
                source: coproduction::engine::ProcessError::Funding(coproduction::funding::FundingError::Recused { member, .. }),
                ..
            } if *member == m(2)
        ),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
}

/// The ready requests, with staff member 2 declaring an interest in the funder and staying in.
fn ready_with_member_two_conflicted() -> Vec<Request> {
    ready_requests()
        .into_iter()
        .map(|request| match &request.command {
            ProcessCommand::Funding {
                command: FundingCommand::DeclareInterest { .. },
            } if request.actor == m(2) => funding(
                "room-hire",
                2,
                "2024-03-03T09:02:00Z",
                FundingCommand::DeclareInterest {
                    interest: Some("My sister chairs the trust".into()),
                    recused: false,
                },
            ),
            _ => request,
        })
        .collect()
}

#[test]
fn a_conflicted_member_who_stays_in_is_in_the_record_and_answers_no_advice() {
    let engine = engine(MemoryJournal::new());
    let requests = ready_with_member_two_conflicted();
    let (before_deciding, deciding) = requests.split_at(requests.len() - 1);
    for request in before_deciding {
        engine.handle(request.clone()).unwrap();
    }
    // Member 2 sits on the deciding body, but does not run the decision about the offer.
    engine
        .handle(funding(
            "room-hire",
            13,
            "2024-03-04T14:00:00Z",
            FundingCommand::RecordAdvice {
                body: BodyId::new("associate_roles_team").unwrap(),
                from: m(13),
                advice: "Ask what the trust expects in return".into(),
            },
        ))
        .unwrap();
    for command in [
        FundingCommand::AnswerAdvice {
            advice: AdviceId(3),
            answer: "It is fine.".into(),
        },
        FundingCommand::StartDeciding {},
    ] {
        let err = engine
            .handle(funding("room-hire", 2, "2024-03-04T15:00:00Z", command))
            .unwrap_err();
        assert!(
            matches!(
                &err,
                EngineError::Refused {
                    source: coproduction::engine::ProcessError::Funding(
                        coproduction::funding::FundingError::Conflicted { member, interest, .. }
                    ),
                    ..
                } if *member == m(2) && interest == "My sister chairs the trust"
            ),
            "{err}"
        );
    }
    engine
        .handle(funding(
            "room-hire",
            1,
            "2024-03-04T15:30:00Z",
            FundingCommand::AnswerAdvice {
                advice: AdviceId(3),
                answer: "Answered by the staff lead".into(),
            },
        ))
        .unwrap();
    engine.handle(deciding[0].clone()).unwrap();

    // Deciding without member 2 is held by rule T4: they declared and did not step out.
    let decide = FundingCommand::Decide {
        outcome: FundingOutcome::Accept {},
        deciders: vec![m(1), m(3), m(4)],
        rationale: "Free rooms for a year let more people take part".into(),
    };
    let err = engine
        .handle(
            funding("room-hire", 1, "2024-03-05T10:00:00Z", decide.clone())
                .with_evidence(evidence()),
        )
        .unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("the gate refuses: {err}");
    };
    assert!(
        source.unmet().iter().any(|u| u.rule.as_str() == "T4"),
        "{err}"
    );

    // Overridden, in the staff lead's name, the record shows member 2 and their interest,
    // and who did each check with what they found.
    let evidence = evidence().with_override(
        coproduction::values::RuleId::new("T4").unwrap(),
        m(1),
        "Member 2 took no part after declaring",
    );
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", decide).with_evidence(evidence))
        .unwrap();
    let record = engine
        .record(&stream("room-hire"), at("2024-03-06T00:00:00Z"))
        .unwrap();
    let participants = record.participants.as_deref().unwrap();
    let two = participants.iter().find(|p| p.member == m(2)).unwrap();
    assert_eq!(
        two.conflict,
        Some(coproduction::values::Conflict::DeclaredAndTookPart)
    );
    assert_eq!(two.interest.as_deref(), Some("My sister chairs the trust"));
    let checks = record.due_diligence.as_deref().unwrap();
    assert!(
        checks.iter().all(
            |c| c.by == Some(m(3)) && c.evidence.as_deref() == Some("Looked up; nothing found")
        )
    );
    let report = engine
        .report(&stream("room-hire"), at("2024-03-06T00:00:00Z"))
        .unwrap();
    assert_eq!(report.finding("T4").unwrap().status, Status::Violated);
}

#[test]
fn a_red_line_sector_is_not_passed_off_with_invisible_or_lookalike_letters() {
    let engine = engine(MemoryJournal::new());
    let offer = |sector: &str| {
        Offer::new(DecisionKind::Funding, "A company", sector, "A grant").amount(1_000)
    };
    // Invisible characters: refused by the input limits, naming the field.
    for (n, sector) in ["tob\u{200B}acco", "to\u{AD}bacco", "tob\u{2060}acco"]
        .into_iter()
        .enumerate()
    {
        let err = engine
            .handle(funding(
                &format!("hidden-{n}"),
                1,
                "2024-06-03T09:00:00Z",
                identify(&offer(sector)),
            ))
            .unwrap_err();
        assert!(
            matches!(
                &err,
                EngineError::Input(coproduction::limits::InputError::InvisibleCharacter { path, .. })
                    if path.ends_with("offer.sector")
            ),
            "{err}"
        );
    }
    // A Cyrillic `о` among Latin letters: refused when the offer is identified.
    let err = engine
        .handle(funding(
            "lookalike",
            1,
            "2024-06-03T09:00:00Z",
            identify(&offer("T\u{43E}bacco")),
        ))
        .unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Refused {
                source: coproduction::engine::ProcessError::Funding(
                    coproduction::funding::FundingError::InvalidOffer {
                        field: "sector",
                        ..
                    }
                ),
                ..
            }
        ),
        "{err}"
    );
    // Fullwidth letters fold to the red line, and the offer is declined at screening.
    for (minute, command) in [
        ("00", identify(&offer("ｔｏｂａｃｃｏ"))),
        ("05", FundingCommand::StartScreening {}),
        ("10", FundingCommand::Screen {}),
    ] {
        engine
            .handle(funding(
                "fullwidth",
                1,
                &format!("2024-06-03T09:{minute}:00Z"),
                command,
            ))
            .unwrap();
    }
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream("fullwidth")),
        Some(FundingPhase::Declined)
    );
    let record = engine
        .record(&stream("fullwidth"), at("2024-06-04T00:00:00Z"))
        .unwrap();
    assert_eq!(
        record.funder.unwrap().sector.as_deref(),
        Some("ｔｏｂａｃｃｏ")
    );
}

#[test]
fn an_offer_in_kind_is_routed_as_tier_one_and_its_record_says_why() {
    let engine = engine(MemoryJournal::new());
    let in_kind = Offer::new(
        DecisionKind::Partnership,
        "A property developer",
        "Property development",
        "Free use of a whole office floor for three years",
    )
    .condition(
        "The developer approves every publication that mentions the building",
        [],
    );
    for (minute, command) in [
        ("00", identify(&in_kind)),
        ("05", FundingCommand::StartScreening {}),
        ("10", FundingCommand::Screen {}),
        ("15", FundingCommand::StartDueDiligence {}),
    ] {
        engine
            .handle(funding(
                "office",
                1,
                &format!("2024-06-03T09:{minute}:00Z"),
                command,
            ))
            .unwrap();
    }
    let record = engine
        .record(&stream("office"), at("2024-06-04T00:00:00Z"))
        .unwrap();
    assert_eq!(record.tier, Some(coproduction::decision::Tier::One));
    let funder = record.funder.unwrap();
    assert_eq!(funder.amount_band.as_deref(), Some("value not stated"));
    assert_eq!(
        funder.tier_reasons,
        ["no amount or value is stated (tier 1)"]
    );
    let checks = record.due_diligence.unwrap();
    assert!(checks.iter().any(|c| c.check == "conditions" && c.required));
}

/// A member outside the deciding body may declare an interest (an adviser, say), but was
/// never entitled to decide: their declaration neither counts against the deciders (rule
/// T4) nor makes them a participant the record says took part.
#[test]
fn an_interest_declared_outside_the_deciding_body_does_not_count_against_it() {
    let engine = engine(MemoryJournal::new());
    for request in ready_declaring(20, Some("I volunteer for the trust"), false) {
        engine.handle(request).unwrap();
    }
    engine.handle(decide_with_evidence()).unwrap();
    let now = at("2024-03-06T00:00:00Z");
    let record = engine.record(&stream("room-hire"), now).unwrap();
    let ids: Vec<u64> = record
        .participants
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.member.get())
        .collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    let report = engine.report(&stream("room-hire"), now).unwrap();
    assert_eq!(report.finding("T4").unwrap().status, Status::Satisfied);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(!text.contains("m20"), "{text}");
}

/// The engine of `engine`'s journal with `changes` to the community made at `when`, as an
/// adopted recruitment decision would journal them.
fn with_changes(
    engine: Engine<MemoryJournal<EngineEvent>>,
    when: Timestamp,
    changes: Vec<coproduction::living::CommunityChange>,
) -> Engine<MemoryJournal<EngineEvent>> {
    use coproduction::journal::NewEvent;
    use coproduction::living::{self, LivingEvent};
    let copy = MemoryJournal::new();
    for e in engine.journal().read_all().unwrap() {
        let event = NewEvent::new(e.actor, e.time, e.event);
        copy.append(&e.stream, e.seq - 1, vec![event]).unwrap();
    }
    let version = copy.version(&living::stream()).unwrap();
    let changed = changes
        .into_iter()
        .map(|change| {
            let event = EngineEvent::Community {
                event: LivingEvent::Changed {
                    change: Box::new(change),
                    decided_by: Some(stream("staff-changes")),
                    from: None,
                    attested_by: None,
                },
            };
            NewEvent::new(m(1), when, event)
        })
        .collect();
    copy.append(&living::stream(), version, changed).unwrap();
    Engine::from_journal(copy).unwrap()
}

/// The deciding body is the one that stood when the offer was identified, as its record
/// and gate read it: a member appointed to it since does not decide the offer, and one
/// released since still may, and attests what its steps need.
#[test]
fn a_funding_decision_is_taken_by_the_body_as_it_stood_when_the_offer_opened() {
    use coproduction::living::CommunityChange;
    let engine = engine(MemoryJournal::new());
    small_grant_ready(&engine);
    // The staff team changes after the offer opened: member 4 released, member 15 in.
    let staff = BodyId::new("staff_team").unwrap();
    let engine = with_changes(
        engine,
        at("2024-03-04T14:00:00Z"),
        vec![
            CommunityChange::Release {
                body: staff.clone(),
                members: vec![m(4)],
            },
            CommunityChange::Appoint {
                body: staff.clone(),
                members: vec![m(15)],
            },
        ],
    );
    assert!(!engine.community().body(&staff).unwrap().contains(m(4)));
    // Member 15, appointed since, is no decider of this offer.
    let mut by_newcomer = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut by_newcomer {
        *deciders = vec![m(1), m(2), m(3), m(15)];
    }
    let err = engine
        .handle(
            funding("room-hire", 1, "2024-03-05T10:00:00Z", by_newcomer).with_evidence(evidence()),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("member m15, named a decider, does not sit on `staff_team`"),
        "{err}"
    );
    // Member 4, released since, still takes the offer's steps, and attests what they need.
    let attested = coproduction::values::Evidence {
        alternatives: Some(vec!["Book rooms at the library instead".into()]),
        ..Default::default()
    };
    let request = Request::new(
        stream("room-hire"),
        m(4),
        at("2024-03-05T09:30:00Z"),
        ProcessCommand::Evidence {},
    );
    engine.handle(request.with_evidence(attested)).unwrap();
    // The body as it stood, member 4 among it, decides.
    engine.handle(decide_with_evidence()).unwrap();
}

/// A consent round held for an offer seats the deciding body as it stands when the round
/// opens; the offer's record then reads the body as the round seated it and who was heard
/// there, and its decision names as deciders only members the round seated. Resized since
/// the offer opened (a member released, another appointed), the body that met is the one
/// that counts: in the round's record, the offer's, and the metrics alike.
#[test]
fn an_offer_decided_through_a_round_reads_the_body_the_round_seated() {
    use coproduction::living::CommunityChange;
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    let circle_id = BodyId::new("decision_circle").unwrap();
    let before = founding_circle();
    let (released, newcomer) = (before[before.len() - 1], m(20));
    assert!(!before.contains(&newcomer));
    let engine = with_changes(
        engine,
        at("2024-05-10T12:00:00Z"),
        vec![
            CommunityChange::Release {
                body: circle_id.clone(),
                members: vec![released],
            },
            CommunityChange::Appoint {
                body: circle_id.clone(),
                members: vec![newcomer],
            },
        ],
    );
    let body: Vec<MemberId> = engine
        .community()
        .body(&circle_id)
        .unwrap()
        .members()
        .collect();
    // Each member of the circle declares on the offer; the second steps out.
    let stepped_out = body[1];
    for (i, member) in body.iter().enumerate() {
        let (interest, recused) = match *member == stepped_out {
            true => (Some("I advise the foundation".to_owned()), true),
            false => (None, false),
        };
        let declare = FundingCommand::DeclareInterest { interest, recused };
        let now = format!("2024-05-15T10:{i:02}:00Z");
        engine
            .handle(funding("f", member.get(), &now, declare))
            .unwrap();
    }
    let circle: Vec<MemberId> = body.iter().copied().filter(|m| *m != stepped_out).collect();
    // The round is brought by one of the circle, as its proposer: not by the member who
    // stepped out, nor the one released, nor in their name.
    for (actor, proposer) in [
        (stepped_out, stepped_out),
        (m(13), stepped_out),
        (released, released),
    ] {
        let mut request = offer_round("f-round", "2024-05-16T18:00:00Z");
        request.actor = actor;
        if let ProcessCommand::Consent {
            command: RoundCommand::OpenOnRoute { roles, .. },
        } = &mut request.command
        {
            roles.proposer = proposer;
        }
        let err = refused(&engine, request);
        assert!(
            matches!(&err, EngineError::RoundNotTheirs { member, .. } if *member == proposer),
            "{err}"
        );
        assert!(
            err.to_string().contains(
                "is not a member of the body its route gives the decision, who has not stepped out of it (`decision_circle`)"
            ),
            "{err}"
        );
    }
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    advance_offer_round(&engine);
    // The round seats the body as it stands: the newcomer in, the released member out.
    let respond = consent_in_offer_round;
    let round = in_offer_round;
    let err = engine.handle(respond(released, 31)).unwrap_err();
    assert!(err.to_string().contains("not eligible"), "{err}");
    for (i, member) in circle.iter().enumerate() {
        engine.handle(respond(*member, 32 + i as u32)).unwrap();
    }
    engine
        .handle(round(m(13), 50, RoundCommand::CloseRound {}))
        .unwrap();
    // Its offer took the round's consent: the round has no role left to hand on.
    for role in [HandedRole::Secretary, HandedRole::Facilitator] {
        let hand_on = RoundCommand::HandOnRole {
            role,
            to: circle[0],
            reason: "The secretary is away".into(),
        };
        let err = refused(&engine, round(m(13), 51, hand_on));
        assert!(matches!(err, EngineError::OutcomeTakenBy { .. }), "{err}");
    }
    // The offer's own steps are now those of the body as the round seated it: not the
    // released member's, though they sat on it when the offer opened, but the newcomer's.
    let by = |member: MemberId, minute: u32, command| {
        funding(
            "f",
            member.get(),
            &format!("2024-05-16T18:{minute}:00Z"),
            command,
        )
    };
    for command in [
        FundingCommand::Withdraw {
            reason: "Not ours to take".into(),
        },
        FundingCommand::StartDeciding {},
    ] {
        let err = refused(&engine, by(released, 52, command));
        let said = format!("member {released} is not the funding decision's decider");
        assert!(err.to_string().contains(&said), "{err}");
    }
    // The newcomer passes the role and meets the offer's own rule: its checks are not done.
    let err = refused(&engine, by(newcomer, 53, FundingCommand::StartDeciding {}));
    assert!(err.to_string().contains("checks"), "{err}");
    assert!(!err.to_string().contains("decider"), "{err}");

    // The round's record and the offer's read one body, the one that met, and one list of
    // who was heard.
    let now = at("2024-05-17T00:00:00Z");
    let of_round = engine.record(&stream("f-round"), now).unwrap();
    let of_offer = engine.record(&stream("f"), now).unwrap();
    let heard = |record: &coproduction::values::DecisionRecord| -> Vec<MemberId> {
        let participants = record.participants.as_ref().unwrap();
        participants.iter().map(|p| p.member).collect()
    };
    assert_eq!(heard(&of_round), circle);
    // The offer's lists who stepped out of it too, and each with what they declared on it.
    assert_eq!(heard(&of_offer), body);
    for p in of_offer.participants.as_ref().unwrap().iter() {
        let declared = match p.member == stepped_out {
            true => Conflict::DeclaredAndRecused,
            false => Conflict::None,
        };
        assert_eq!(p.conflict, Some(declared), "{:?}", p.member);
    }
    let figures = of_round.body.clone().unwrap();
    assert_eq!(figures.size, circle.len());
    assert_eq!(of_offer.body, Some(figures));
    // The metrics count the same.
    let row = round_row(&engine);
    let n = circle.len();
    assert_eq!((row.participation.part, row.participation.whole), (n, n));

    // The offer's decision names as deciders only members the round seated: not the one
    // released before it met, though they sat on the body when the offer opened.
    assert!(before.contains(&released));
    let mut named = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut named {
        *deciders = vec![circle[0], released];
    }
    let decide = |named| funding("f", circle[0].get(), "2024-05-17T10:00:00Z", named);
    let err = refused(&engine, decide(named));
    let said = format!("member {released}, named a decider, was not seated in `f-round`");
    assert!(err.to_string().contains(&said), "{err}");
    // Nor one member alone in the body's name: every member whose consent carried the
    // round is among the deciders.
    let mut alone = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut alone {
        *deciders = vec![circle[0]];
    }
    let err = refused(&engine, decide(alone));
    let said = format!(
        "member {} consented in `f-round`, the round that decided it, and is not among the deciders",
        circle[1]
    );
    assert!(err.to_string().contains(&said), "{err}");

    // A member whose consent carried the round leaves the community: they decide nothing
    // after, and the decision is taken by the others whose consent carried it.
    let gone = circle[1];
    let leave = Request::new(
        coproduction::living::stream(),
        gone,
        at("2024-05-17T09:00:00Z"),
        ProcessCommand::Change {
            change: Box::new(coproduction::living::CommunityChange::Leave { member: gone }),
        },
    );
    engine.handle(leave).unwrap();
    let mut with_them = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut with_them {
        deciders.clone_from(&circle);
    }
    let err = refused(&engine, decide(with_them));
    let said = format!("member {gone}, named a decider, is not in the community");
    assert!(err.to_string().contains(&said), "{err}");
    let mut without_them = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut without_them {
        *deciders = circle.iter().copied().filter(|m| *m != gone).collect();
    }
    // Whatever the value gate makes of the rest, the deciders named are the ones to take it.
    match engine.handle(decide(without_them)) {
        Ok(_) => {}
        Err(err) => assert!(
            !matches!(err, EngineError::Unwitnessed { .. }),
            "the remaining deciders are refused: {err}"
        ),
    }
}

/// Stepping out of an offer while its round runs: a member who steps out before responding
/// responds no more; one who steps out after their consent was counted took part all the
/// same, and the offer's record says so (rule T4), counting them among those heard.
#[test]
fn stepping_out_of_an_offer_while_its_round_runs_is_told_apart_from_stepping_out_before() {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    let circle = founding_circle();
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    advance_offer_round(&engine);
    let (respond, round) = (consent_in_offer_round, in_offer_round);
    let step_out = |member: MemberId, minute: u32| {
        let declare = FundingCommand::DeclareInterest {
            interest: Some("I advise the foundation".into()),
            recused: true,
        };
        let now = format!("2024-05-16T18:{minute:02}:00Z");
        funding("f", member.get(), &now, declare)
    };
    let (late, early) = (circle[0], circle[1]);
    // One consents, then steps out of the offer; the other steps out first.
    engine.handle(respond(late, 31)).unwrap();
    engine.handle(step_out(late, 32)).unwrap();
    engine.handle(step_out(early, 33)).unwrap();
    let err = refused(&engine, respond(early, 34));
    assert!(err.to_string().contains("stepped out"), "{err}");
    for (i, member) in circle[2..].iter().enumerate() {
        engine.handle(respond(*member, 35 + i as u32)).unwrap();
    }
    engine
        .handle(round(m(13), 50, RoundCommand::CloseRound {}))
        .unwrap();

    let record = engine
        .record(&stream("f"), at("2024-05-17T00:00:00Z"))
        .unwrap();
    let conflict = |member: MemberId| {
        let participants = record.participants.as_ref().unwrap();
        participants
            .iter()
            .find(|p| p.member == member)
            .unwrap()
            .conflict
    };
    assert_eq!(conflict(late), Some(Conflict::DeclaredAndTookPart));
    assert_eq!(conflict(early), Some(Conflict::DeclaredAndRecused));
    let report = engine
        .report(&stream("f"), at("2024-05-17T00:00:00Z"))
        .unwrap();
    let t4 = report.finding("T4").unwrap();
    assert_eq!(t4.status, Status::Violated, "{t4:?}");
}

/// Who stepped out of a round held for an offer takes none of the offer's steps, and does
/// not take the step back with a declaration on the offer itself.
#[test]
fn a_member_who_stepped_out_of_the_offers_round_takes_none_of_its_steps() {
    use coproduction::process::PartCommand;
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    let member = founding_circle()[2];
    let part = |minute: u32, command: PartCommand| {
        let now = at(&format!("2024-05-16T18:{minute:02}:00Z"));
        Request::new(stream("f-round"), member, now, command)
    };
    let declare = PartCommand::DeclareInterests {
        interest: Some("A tie to the funder".into()),
    };
    engine.handle(part(1, declare)).unwrap();
    let recuse = PartCommand::Recuse {
        reason: "A tie to the funder".into(),
    };
    engine.handle(part(2, recuse)).unwrap();
    let on_offer = |minute: u32, command| {
        let now = format!("2024-05-16T18:{minute:02}:00Z");
        funding("f", member.get(), &now, command)
    };
    let withdraw = FundingCommand::Withdraw {
        reason: "Not for us".into(),
    };
    let err = refused(&engine, on_offer(3, withdraw));
    assert!(err.to_string().contains("decider"), "{err}");
    let none = FundingCommand::DeclareInterest {
        interest: None,
        recused: false,
    };
    let err = refused(&engine, on_offer(4, none));
    assert!(err.to_string().contains("stepped out"), "{err}");
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream("f-round")),
        Some(RoundPhase::Presented)
    );
}

/// A member who stepped out of the round held for an offer took no part in what it decided:
/// a decision naming them among its deciders is refused, naming the round, and nothing is
/// written.
#[test]
fn a_member_who_stepped_out_of_the_offers_round_is_named_no_decider() {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    let circle = founding_circle();
    let out = circle[2];
    step_out_of_round(
        &engine,
        "f-round",
        out,
        ("2024-05-16T18:01:00Z", "2024-05-16T18:02:00Z"),
    );
    advance_offer_round(&engine);
    let others: Vec<MemberId> = circle.iter().copied().filter(|m| *m != out).collect();
    for (i, member) in others.iter().enumerate() {
        engine
            .handle(consent_in_offer_round(*member, 32 + i as u32))
            .unwrap();
    }
    engine
        .handle(in_offer_round(m(13), 50, RoundCommand::CloseRound {}))
        .unwrap();
    let mut named = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut named {
        deciders.clone_from(&circle);
    }
    let decide = |named| funding("f", others[0].get(), "2024-05-17T10:00:00Z", named);
    let err = refused(&engine, decide(named));
    assert!(
        err.to_string().contains(&format!(
            "member {out}, named a decider, stepped out of `f-round`, a round held for it"
        )),
        "{err}"
    );
}

/// `who` declares an interest in the round on `round` and steps out of it, at the two times
/// given.
fn step_out_of_round(
    engine: &Engine<MemoryJournal<EngineEvent>>,
    round: &str,
    who: MemberId,
    (declared, recused): (&str, &str),
) {
    use coproduction::process::PartCommand;
    let interest = "A tie to the funder";
    for (when, command) in [
        (
            declared,
            PartCommand::DeclareInterests {
                interest: Some(interest.into()),
            },
        ),
        (
            recused,
            PartCommand::Recuse {
                reason: interest.into(),
            },
        ),
    ] {
        engine
            .handle(Request::new(stream(round), who, at(when), command))
            .unwrap();
    }
}

/// A member who stepped out of a round held for an offer, withdrawn since, stepped out of
/// the matter: the next round seats them no more, so no consent of theirs can carry it and
/// leave the offer with no deciders it would take.
#[test]
fn a_member_who_stepped_out_of_a_withdrawn_round_is_not_seated_in_the_next() {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    let out = founding_circle()[2];
    step_out_of_round(
        &engine,
        "f-round",
        out,
        ("2024-05-16T18:01:00Z", "2024-05-16T18:02:00Z"),
    );
    let end = RoundCommand::Withdraw {
        reason: "The circle meets again next week".into(),
    };
    engine.handle(in_offer_round(m(1), 10, end)).unwrap();
    engine
        .handle(offer_round("f-round-2", "2024-05-23T18:00:00Z"))
        .unwrap();
    let in_second = |who: MemberId, minute: u32, command: RoundCommand| {
        let now = at(&format!("2024-05-23T18:{minute:02}:00Z"));
        Request::new(stream("f-round-2"), who, now, command)
    };
    for minute in [5, 15, 30] {
        engine
            .handle(in_second(m(13), minute, RoundCommand::Advance {}))
            .unwrap();
    }
    let respond = RoundCommand::Respond {
        member: out,
        response: Response::consent(),
    };
    let err = refused(&engine, in_second(out, 31, respond));
    assert!(err.is_refusal(), "{err}");
    let seated = engine
        .record(&stream("f-round-2"), at("2024-05-23T18:32:00Z"))
        .and_then(|r| r.participants)
        .unwrap_or_default();
    assert!(seated.iter().all(|p| p.member != out), "{seated:?}");
}

/// Stepping out of a round held for an offer counts as stepping out of it when the body as
/// it stood is read for who is left: with the rest of the staff team out of the advice
/// round and its decider gone from the community, a member appointed since takes the
/// offer's steps.
#[test]
fn the_body_as_it_stands_takes_an_offer_on_when_those_left_stepped_out_of_its_round() {
    use coproduction::living::{self, CommunityChange};
    let engine = offer_ready_to_decide();
    staff_round_advised(&engine);
    for who in [2u64, 3, 4] {
        let (declared, recused) = (
            format!("2024-03-04T16:05:{}Z", who * 10),
            format!("2024-03-04T16:05:{}Z", who * 10 + 5),
        );
        step_out_of_round(&engine, "room-hire-round", m(who), (&declared, &recused));
    }
    let decide = RoundCommand::Decide {
        adopt: true,
        rationale: "The staff lead weighed the advice".into(),
    };
    engine.handle(in_round(1, 6, decide)).unwrap();
    let leave = Request::new(
        living::stream(),
        m(1),
        at("2024-03-04T16:30:00Z"),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Leave { member: m(1) }),
        },
    );
    engine.handle(leave).unwrap();
    let engine = with_changes(
        engine,
        at("2024-03-04T16:40:00Z"),
        vec![CommunityChange::Appoint {
            body: BodyId::new("staff_team").unwrap(),
            members: vec![m(20)],
        }],
    );
    let start = FundingCommand::StartDeciding {};
    engine
        .handle(funding("room-hire", 20, "2024-03-04T17:00:00Z", start))
        .unwrap();
}

/// Stepping out of an advice process held for an offer (which seats those whose advice it
/// seeks, not the body) is stepping out of the matter all the same: the staff member takes
/// none of the offer's steps, is not awaited, and is named no decider.
#[test]
fn a_member_who_stepped_out_of_an_advice_round_for_the_offer_takes_no_step() {
    use coproduction::process::DueItem;
    let engine = offer_ready_to_decide();
    staff_round_advised(&engine);
    step_out_of_round(
        &engine,
        "room-hire-round",
        m(3),
        ("2024-03-04T16:05:10Z", "2024-03-04T16:05:20Z"),
    );
    let decide = RoundCommand::Decide {
        adopt: true,
        rationale: "The staff lead weighed the advice".into(),
    };
    engine.handle(in_round(1, 6, decide)).unwrap();
    let err = refused(
        &engine,
        funding(
            "room-hire",
            3,
            "2024-03-04T17:00:00Z",
            FundingCommand::StartDeciding {},
        ),
    );
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::WrongRole { .. })
        ),
        "{err}"
    );
    let awaited = engine
        .due(at("2024-03-04T17:00:00Z"))
        .into_iter()
        .find_map(|d| match d.item {
            DueItem::BodyDecisionAwaited { members, .. } => members,
            _ => None,
        })
        .unwrap();
    assert!(!awaited.contains(&m(3)), "{awaited:?}");
    engine
        .handle(funding(
            "room-hire",
            1,
            "2024-03-04T17:00:00Z",
            FundingCommand::StartDeciding {},
        ))
        .unwrap();
    let mut named = room_hire_decided(FundingOutcome::Accept {}, "2024-03-04T17:10:00Z");
    if let ProcessCommand::Funding {
        command: FundingCommand::Decide { deciders, .. },
    } = &mut named.command
    {
        deciders.push(m(3));
    }
    let err = refused(&engine, named);
    assert!(
        err.to_string().contains(
            "member m3, named a decider, stepped out of `room-hire-round`, a round held for it"
        ),
        "{err}"
    );
}

/// While a second round runs for an offer, after the first was withdrawn and the body
/// resized again, the offer's steps are those of the members the running round seated: not
/// of one the first round seated and the body has released since.
#[test]
fn the_round_running_for_an_offer_seats_who_takes_its_steps() {
    use coproduction::living::CommunityChange;
    let engine = offer_round_withdrawn("The circle will meet again once it is whole");
    let circle_id = BodyId::new("decision_circle").unwrap();
    let before = founding_circle();
    let (released, newcomer) = (before[before.len() - 1], m(20));
    let engine = with_changes(
        engine,
        at("2024-05-17T12:00:00Z"),
        vec![
            CommunityChange::Release {
                body: circle_id.clone(),
                members: vec![released],
            },
            CommunityChange::Appoint {
                body: circle_id,
                members: vec![newcomer],
            },
        ],
    );
    engine
        .handle(offer_round("f-round-2", "2024-05-18T18:00:00Z"))
        .unwrap();
    let withdraw = || FundingCommand::Withdraw {
        reason: "The foundation asked for its offer back".into(),
    };
    let by = |member: MemberId| funding("f", member.get(), "2024-05-18T19:00:00Z", withdraw());
    let err = refused(&engine, by(released));
    assert!(err.to_string().contains("decider"), "{err}");
    let written = engine.handle(by(newcomer)).unwrap();
    let streams: Vec<String> = written.iter().map(|e| e.stream.to_string()).collect();
    assert_eq!(streams, ["f", "f-round-2"]);
}

/// The small grant made ready and escalated by the staff team to the decision circle on
/// 2024-03-05, with `evidence`.
fn escalate_room_hire(
    engine: &Engine<impl Journal<Event = EngineEvent>>,
    evidence: coproduction::values::Evidence,
) {
    small_grant_ready(engine);
    let escalate = FundingCommand::Decide {
        outcome: FundingOutcome::Escalate {
            to: BodyId::new("decision_circle").unwrap(),
        },
        deciders: (1..=4).map(MemberId::new).collect(),
        rationale: "The circle should weigh a year's free rooms".into(),
    };
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", escalate).with_evidence(evidence))
        .unwrap();
}

/// A funding decision taking up an escalated offer identifies that offer: identifying
/// another in its name is refused, and writes nothing; the escalated offer itself is taken
/// up by the body it went to.
#[test]
fn an_escalated_offer_is_taken_up_as_itself_not_as_another() {
    let engine = engine(MemoryJournal::new());
    escalate_room_hire(&engine, evidence());
    let circle: Vec<MemberId> = community()
        .body(&BodyId::new("decision_circle").unwrap())
        .unwrap()
        .members()
        .collect();
    let take_up = |offer: &Offer| {
        funding(
            "room-hire-circle",
            circle[0].get(),
            "2024-03-06T10:00:00Z",
            identify(offer),
        )
        .taking_up(stream("room-hire"))
    };
    let another = Offer::new(
        DecisionKind::Funding,
        "Another company entirely",
        "Retail",
        "A sponsorship",
    )
    .amount(90_000);
    let err = refused(&engine, take_up(&another));
    assert!(
        matches!(&err, EngineError::NotEscalated { reason, .. }
            if reason.contains("another offer than the one escalated")),
        "{err}"
    );
    engine.handle(take_up(&small_grant())).unwrap();
}

/// An offer decided by one member of the body by advice process: the decider took the
/// decision, which the record counts as their response, and the metrics count one decider
/// of one entitled to decide, not one of the whole team.
#[test]
fn one_decider_by_advice_process_is_recorded_as_having_decided() {
    let engine = engine(MemoryJournal::new());
    small_grant_ready(&engine);
    let mut alone = accept();
    if let FundingCommand::Decide { deciders, .. } = &mut alone {
        *deciders = vec![m(1)];
    }
    engine
        .handle(funding("room-hire", 1, "2024-03-05T10:00:00Z", alone).with_evidence(evidence()))
        .unwrap();
    let now = at("2024-03-06T00:00:00Z");
    let record = engine.record(&stream("room-hire"), now).unwrap();
    let report = engine.report(&stream("room-hire"), now).unwrap();
    let decider = record
        .participants
        .as_ref()
        .unwrap()
        .iter()
        .find(|p| p.member == m(1))
        .unwrap();
    assert_eq!(
        decider.response,
        Some(coproduction::values::RecordedResponse::Consent)
    );
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("Who was heard: 1 of 1 members responded"),
        "{text}"
    );
    let metrics = engine.metrics(None).unwrap();
    let d = &metrics.decisions[0];
    assert_eq!((d.participation.part, d.participation.whole), (1, 1));
}

/// An offer withdrawn while its round runs ends the round in the same batch: the round is
/// withdrawn by the member who withdrew the offer, saying why, and waits on nobody. The
/// metrics count the matter once, as the round held for it, while the round runs and after.
#[test]
fn an_offer_withdrawn_while_its_round_runs_ends_the_round_with_it() {
    // The round opens in one engine; the offer is withdrawn in another, opened on the
    // journal since: the round is known from the journal.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let counted = |engine: &Engine<FileJournal<EngineEvent>>| -> Vec<String> {
        let metrics = engine.metrics(None).unwrap();
        metrics
            .decisions
            .iter()
            .map(|d| d.stream.to_string())
            .collect()
    };
    {
        let engine = engine(FileJournal::open(&path).unwrap().0);
        restricting_offer_consulting(&engine);
        engine
            .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
            .unwrap();
        assert_eq!(counted(&engine), ["f-round"]);
        // The round's row names the offer it decides for while it runs.
        let metrics = engine.metrics(None).unwrap();
        assert_eq!(metrics.decisions[0].decides_for, Some(stream("f")));
    }
    let engine = engine(FileJournal::open(&path).unwrap().0);
    // The round reaches its objection round at 18:30, and a member objects at 18:31; a
    // withdrawal dated before that would end the round before its own last event: refused,
    // naming the round, and nothing is written.
    advance_offer_round(&engine);
    let objector = founding_circle()[0];
    let object = RoundCommand::Respond {
        member: objector,
        response: Response::Object {
            reason: "The publication condition gags us".into(),
        },
    };
    engine.handle(in_offer_round(objector, 31, object)).unwrap();
    let written = engine.journal().read_all().unwrap().len();
    let early = FundingCommand::Withdraw {
        reason: "The foundation withdrew its offer".into(),
    };
    let err = refused(&engine, funding("f", 1, "2024-05-16T18:30:30Z", early));
    match &err {
        EngineError::Refused { stream: at, source } => {
            assert_eq!(at, &stream("f-round"));
            assert!(source.to_string().contains("before"), "{err}");
        }
        other => panic!("refused on the round's clock: {other}"),
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    let withdraw = FundingCommand::Withdraw {
        reason: "The foundation withdrew its offer".into(),
    };
    let written = engine
        .handle(funding("f", 1, "2024-05-16T18:40:00Z", withdraw))
        .unwrap();
    // One batch: the offer's withdrawal, then the round's.
    let streams: Vec<String> = written.iter().map(|e| e.stream.to_string()).collect();
    assert_eq!(streams, ["f", "f-round"]);
    assert!(!written[0].last_in_batch && written[1].last_in_batch);
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream("f-round")),
        Some(RoundPhase::Withdrawn)
    );
    let EngineEvent::Consent {
        event: RoundEvent::Withdrawn { by, reason, .. },
        ..
    } = &written[1].event
    else {
        panic!("the round's withdrawal: {:?}", written[1].event);
    };
    assert_eq!(*by, m(1));
    assert!(
        reason.contains("`f`") && reason.contains("withdrawn"),
        "{reason}"
    );
    // Nothing is awaited of the round, and nothing more can end it.
    let due = engine.due(at("2024-05-16T18:50:00Z"));
    assert!(due.iter().all(|d| d.stream != stream("f-round")), "{due:?}");
    let end = RoundCommand::Withdraw {
        reason: "There is no offer to decide".into(),
    };
    assert!(engine.handle(in_offer_round(m(1), 45, end)).is_err());
    assert_eq!(counted(&engine), ["f-round"]);
    // The objection raised stands open in the round's record and in its metrics alike.
    let record = engine
        .record(&stream("f-round"), at("2024-05-16T18:50:00Z"))
        .unwrap();
    let raised: Vec<MemberId> = record.objections.unwrap().iter().map(|o| o.by).collect();
    assert_eq!(raised, [objector]);
    let metrics = engine.metrics(None).unwrap();
    let row = &metrics.decisions[0];
    assert_eq!(row.decides_for, Some(stream("f")));
    assert_eq!((row.objections.raised, row.objections.open), (1, 1));
}

/// A round held for an offer follows the offer's route: facts of its own that would put
/// the decision in another case (an institutional policy the offer does not state) are
/// refused, not ignored; the offer's own facts are taken.
#[test]
fn a_round_held_for_an_offer_states_no_facts_that_would_route_it_otherwise() {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    let offer = restricting_offer();
    let claimed = route_facts(&offer, &FundingPolicy::seed()).institutional_policy_applies();
    let open = |facts| offer_round("f-round", "2024-05-16T18:00:00Z").with_facts(facts);
    let err = refused(&engine, open(claimed));
    assert!(matches!(err, EngineError::Unwitnessed { .. }), "{err}");
    assert!(err.to_string().contains("another case"), "{err}");
    engine
        .handle(open(route_facts(&offer, &FundingPolicy::seed())))
        .unwrap();
}

/// A funder attested to have passed the red-line screen is screened against the funding
/// policy in force: a sector that crosses one of its red lines is refused, whoever says
/// the screen passed, and nothing is written.
#[test]
fn a_funder_attested_to_pass_the_screen_is_screened_against_the_policy_in_force() {
    use coproduction::values::{FunderFacts, Screen};
    let engine = Engine::builder(community().clone())
        .governance(governance().clone())
        .charter(Charter::default())
        .funding_policy(FundingPolicy::seed())
        .open(MemoryJournal::new())
        .unwrap();
    small_grant_ready(&engine);
    let attested = |id: &str, who: MemberId, when: &str, sector: &str| {
        let mut funder = FunderFacts::new("A local trust");
        funder.sector = Some(sector.to_owned().into());
        funder.red_line_screen = Some(Screen::Passed);
        let evidence = coproduction::values::Evidence {
            funder: Some(funder),
            ..Default::default()
        };
        Request::new(stream(id), who, at(when), ProcessCommand::Evidence {}).with_evidence(evidence)
    };
    let on_offer = |sector| attested("room-hire", m(1), "2024-03-05T09:00:00Z", sector);
    let err = refused(&engine, on_offer("Tobacco products"));
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.contains("the tobacco sector is a red line")),
        "{err}"
    );
    // On an offer's own stream the funder is the process's to state, whatever the sector.
    let err = refused(&engine, on_offer("Charitable trust"));
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.contains("the offer's process witnesses it")),
        "{err}"
    );
    // A round deciding on a grant with no offer behind it takes the funder as evidence,
    // screened alike.
    let open = engine_support::grant_requests(&engine.community()).remove(0);
    let (who, when) = (open.actor, open.now);
    engine.handle(open).unwrap();
    let on_round = |sector| attested("trust-grant", who, &when.to_string(), sector);
    let err = refused(&engine, on_round("Tobacco products"));
    assert!(matches!(err, EngineError::Unattested { .. }), "{err}");
    engine.handle(on_round("Charitable trust")).unwrap();
}

/// An offer escalated by the staff team to the decision circle, and taken up there by a
/// consent round: the round decides on the offer's funder, red-line screen and checks as
/// the offer's process witnessed them (rules C4 and T5 find them), and no member may state
/// them again. The decision to escalate goes in the public register through the offer's
/// own process; nothing is due of it after, and nobody may attest its publication.
#[test]
fn a_round_taking_up_an_escalated_offer_decides_on_what_the_offer_witnessed() {
    let charter = Charter::from_json(
        r#"{"values": [{"id": "challenging"}, {"id": "transparent"}],
            "rules": [{"id": "C4"}, {"id": "T5"}]}"#,
    )
    .unwrap();
    let engine = Engine::open(
        community().clone(),
        Some(governance().clone()),
        charter,
        MemoryJournal::new(),
    )
    .unwrap();
    escalate_room_hire(&engine, coproduction::values::Evidence::default());
    let offer = engine
        .record(&stream("room-hire"), at("2024-03-05T10:00:00Z"))
        .unwrap();
    assert!(offer.funder.is_some() && offer.due_diligence.is_some());

    // The circle takes it up in a round of its own.
    let circle = founding_circle();
    let (proposer, facilitator, secretary) = (circle[0], circle[1], circle[2]);
    let up = |who: MemberId, when: &str, command: RoundCommand| {
        Request::new(stream("room-hire-circle"), who, at(when), command)
    };
    let open = RoundCommand::OpenOnRoute {
        title: "The trust's room hire, escalated".into(),
        proposal: "Accept the offer.".into(),
        roles: RoundRoles {
            proposer,
            facilitator,
            secretary,
        },
    };
    engine
        .handle(
            up(proposer, "2024-03-06T10:00:00Z", open)
                .with_kind(DecisionKind::Funding)
                .taking_up(stream("room-hire")),
        )
        .unwrap();
    for minute in 1..=3 {
        let now = format!("2024-03-06T10:0{minute}:00Z");
        engine
            .handle(up(facilitator, &now, RoundCommand::Advance {}))
            .unwrap();
    }
    // What the offer's process witnessed is not a member's to state again.
    for restated in [
        coproduction::values::Evidence {
            funder: offer.funder.clone(),
            ..Default::default()
        },
        coproduction::values::Evidence {
            due_diligence: offer.due_diligence.clone(),
            ..Default::default()
        },
    ] {
        let attest = up(proposer, "2024-03-06T10:05:00Z", RoundCommand::Advance {});
        let attest = Request {
            command: ProcessCommand::Evidence {},
            ..attest
        }
        .with_evidence(restated);
        let err = refused(&engine, attest);
        assert!(
            matches!(&err, EngineError::Unattested { reason, .. }
                if reason.contains("the offer's process witnesses it")),
            "{err}"
        );
    }
    // The staff team's route was an advice process, and so is the circle's: the proposer
    // decides, on the advice of those the round seats, each answered.
    let Some(ProcessState::Consent(state)) = engine.state(&stream("room-hire-circle")) else {
        panic!("a round");
    };
    let advisers: Vec<MemberId> = state
        .round()
        .unwrap()
        .config()
        .eligible
        .iter()
        .map(|seat| seat.member)
        .collect();
    for (n, member) in advisers.iter().enumerate() {
        let advice = Response::Advice {
            advice: "Take it; book the evening sessions".into(),
            affected: true,
            expertise: false,
        };
        let respond = RoundCommand::Respond {
            member: *member,
            response: advice,
        };
        let answer = RoundCommand::AnswerAdvice {
            member: *member,
            answer: "Booked for the evenings".into(),
        };
        engine
            .handle(up(
                *member,
                &format!("2024-03-06T10:{:02}:00Z", 10 + n),
                respond,
            ))
            .unwrap();
        engine
            .handle(up(
                proposer,
                &format!("2024-03-06T10:{:02}:30Z", 10 + n),
                answer,
            ))
            .unwrap();
    }
    let decide = RoundCommand::Decide {
        adopt: true,
        rationale: "Free rooms let more people take part".into(),
    };
    engine
        .handle(up(proposer, "2024-03-06T12:00:00Z", decide))
        .unwrap();
    let outcome = RoundCommand::RecordOutcome {
        statement: "The circle accepts the trust's room hire".into(),
        review_date: at("2025-03-06T00:00:00Z"),
    };
    engine
        .handle(up(secretary, "2024-03-06T12:10:00Z", outcome))
        .unwrap();
    let now = at("2024-03-07T00:00:00Z");
    let record = engine.record(&stream("room-hire-circle"), now).unwrap();
    assert_eq!(record.funder, offer.funder);
    assert_eq!(record.due_diligence, offer.due_diligence);
    let report = engine.report(&stream("room-hire-circle"), now).unwrap();
    for rule in ["C4", "T5"] {
        let finding = report.finding(rule).unwrap();
        assert_eq!(finding.status, Status::Satisfied, "{finding:?}");
    }

    // The escalation is published by the offer's own process, and stays an escalation.
    let publication_due = |engine: &Engine<MemoryJournal<EngineEvent>>, when: &str| {
        engine.due(at(when)).into_iter().any(|d| {
            d.stream == stream("room-hire")
                && matches!(
                    d.item,
                    coproduction::process::DueItem::PublicationDue { .. }
                )
        })
    };
    assert!(publication_due(&engine, "2024-03-07T00:00:00Z"));
    let publish = FundingCommand::Publish {
        withheld_reason: None,
    };
    engine
        .handle(funding("room-hire", 1, "2024-03-07T09:00:00Z", publish))
        .unwrap();
    assert_eq!(
        engine.phase::<coproduction::funding::FundingProcess>(&stream("room-hire")),
        Some(FundingPhase::Escalated)
    );
    assert!(!publication_due(&engine, "2024-04-07T00:00:00Z"));
    let listed = engine
        .record(&stream("room-hire"), at("2024-03-08T00:00:00Z"))
        .unwrap();
    let report = engine
        .report(&stream("room-hire"), at("2024-03-08T00:00:00Z"))
        .unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&listed, &report).to_string();
    assert!(
        text.contains("What conditions apply: none: the offer was not accepted"),
        "{text}"
    );
    let register = listed.funder.and_then(|f| f.register).unwrap();
    assert!(register.withheld_reason.is_none());
    assert!(listed.publication.is_some());
    // Its publication is the process's to record, not a member's to attest; nor is it
    // published twice.
    let attest = funding("room-hire", 1, "2024-03-08T09:00:00Z", accept());
    let attest = Request {
        command: ProcessCommand::Evidence {},
        ..attest
    }
    .with_evidence(coproduction::values::Evidence {
        publication: listed.publication.clone(),
        ..Default::default()
    });
    let err = refused(&engine, attest);
    assert!(matches!(err, EngineError::Unattested { .. }), "{err}");
    let again = FundingCommand::Publish {
        withheld_reason: None,
    };
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-08T09:00:00Z", again),
    );
    assert!(matches!(err, EngineError::Refused { .. }), "{err}");
}

/// An engine whose round `f-round`, held for the offer in consultation, member 1 withdrew
/// ten minutes after it opened, for `reason`.
fn offer_round_withdrawn(reason: &str) -> Engine<MemoryJournal<EngineEvent>> {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    let end = RoundCommand::Withdraw {
        reason: reason.into(),
    };
    engine.handle(in_offer_round(m(1), 10, end)).unwrap();
    engine
}

/// An engine whose round `f-round`, held for the offer in consultation, its facilitator
/// escalated to the whole community, with what that wrote.
fn offer_round_escalated() -> (
    Engine<MemoryJournal<EngineEvent>>,
    Vec<coproduction::journal::Envelope<EngineEvent>>,
) {
    offer_round_escalated_after(|_| {})
}

/// As [`offer_round_escalated`], with `first` done on the offer in consultation before its
/// round opens.
fn offer_round_escalated_after(
    first: impl FnOnce(&Engine<MemoryJournal<EngineEvent>>),
) -> (
    Engine<MemoryJournal<EngineEvent>>,
    Vec<coproduction::journal::Envelope<EngineEvent>>,
) {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    first(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    advance_offer_round(&engine);
    let escalate = RoundCommand::Escalate {
        to: BodyId::new("whole_community").unwrap(),
        reason: "The circle wants the whole community to weigh a publication condition".into(),
    };
    let written = engine.handle(in_offer_round(m(13), 40, escalate)).unwrap();
    (engine, written)
}

/// A round of the whole community on `round`, opened by member 20 at `when`, taking up the
/// round `f-round` escalated to it.
fn taking_up(round: &str, when: &str) -> Request {
    let open = RoundCommand::OpenOnRoute {
        title: "The foundation's offer, escalated".into(),
        proposal: "Accept with our publication condition.".into(),
        roles: RoundRoles {
            proposer: m(20),
            facilitator: m(20),
            secretary: m(21),
        },
    };
    Request::new(stream(round), m(20), at(when), open)
        .with_kind(DecisionKind::Funding)
        .taking_up(stream("f-round"))
}

/// A funding decision of the whole community on `id`, opened by member 20 at `when`,
/// taking up the offer `f` by identifying it.
fn offer_taken_up(id: &str, when: &str) -> Request {
    funding(id, 20, when, identify(&restricting_offer())).taking_up(stream("f"))
}

/// An offer escalated with its round while a comment window is open: the window closed
/// when the escalation ended the offer (comments are refused from then), and the record
/// says so; before, while it was open, it had no closing.
#[test]
fn an_escalation_closes_the_offers_comment_window_when_it_ends_the_offer() {
    let mut body = None;
    let (engine, _) = offer_round_escalated_after(|engine| {
        let consulted = engine
            .record(&stream("f"), at("2024-05-01T09:30:00Z"))
            .and_then(|r| r.route_given)
            .map(|r| r.consulted)
            .unwrap();
        let first = consulted.first().unwrap().clone();
        let window = FundingCommand::OpenCommentWindow {
            body: first.clone(),
        };
        engine
            .handle(funding("f", 1, "2024-05-16T17:00:00Z", window))
            .unwrap();
        let open = engine
            .record(&stream("f"), at("2024-05-16T17:30:00Z"))
            .unwrap();
        assert_eq!(
            open.dates.comment_window_opened_at,
            Some(at("2024-05-16T17:00:00Z"))
        );
        assert_eq!(open.dates.comment_window_closed_at, None);
        body = Some(first);
    });
    let body = body.unwrap();
    let ended = engine
        .record(&stream("f"), at("2024-05-17T10:00:00Z"))
        .unwrap();
    assert_eq!(
        ended.dates.comment_window_closed_at,
        Some(at("2024-05-16T18:40:00Z"))
    );
    let member = community().body(&body).unwrap().members().next().unwrap();
    let comment = FundingCommand::Comment {
        body,
        text: "Keep the window open".into(),
    };
    let err = refused(
        &engine,
        funding("f", member.get(), "2024-05-16T19:00:00Z", comment),
    );
    assert!(err.to_string().contains("escalated"), "{err}");
}

/// The objections of a decision held in a round the engine ran are the round's: evidence
/// stating them, on the offer the round decided for or on the round itself, is refused, and
/// nothing is written. A round the engine ran and that was withdrawn witnesses nothing: an
/// offer decided in a round kept elsewhere takes its objections as evidence.
#[test]
fn evidence_cannot_restate_the_objections_a_round_recorded() {
    let (engine, _) = offer_round_escalated();
    let before = engine.journal().read_all().unwrap();
    let mut entry =
        coproduction::values::ObjectionEntry::new(m(3), coproduction::values::RaisedAs::Objection);
    entry.disposition = Some(coproduction::values::Disposition::Integrated);
    for on in ["f", "f-round"] {
        let attest = Request::new(
            stream(on),
            m(1),
            at("2024-05-17T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(coproduction::values::Evidence {
            objections: Some(vec![entry.clone()]),
            ..Default::default()
        });
        let err = refused(&engine, attest);
        assert!(
            matches!(err, EngineError::Unattested { .. })
                && err
                    .to_string()
                    .contains("objections: the round held for the decision witnesses it"),
            "{err}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap(), before);

    // A round the engine ran, withdrawn, and the offer then decided in a round kept
    // elsewhere: that round's objections are the evidence's to give.
    let other = offer_round_withdrawn("The circle will meet in person instead");
    let attest = |when: &str| {
        Request::new(stream("f"), m(1), at(when), ProcessCommand::Evidence {}).with_evidence(
            coproduction::values::Evidence {
                objections: Some(vec![entry.clone()]),
                ..Default::default()
            },
        )
    };
    other.handle(attest("2024-05-16T18:15:00Z")).unwrap();
    // The withdrawn round said what it proposed: the round kept elsewhere says so too.
    let unsaid = FundingCommand::RecordConsentRound {
        reference: "circle-meeting-2024-05-20".into(),
        consented: true,
        proposes: None,
    };
    let err = refused(&other, funding("f", 1, "2024-05-20T18:00:00Z", unsaid));
    assert!(
        matches!(&err, EngineError::ProposesRequired { round, .. } if round == "f-round"),
        "{err}"
    );
    let elsewhere = FundingCommand::RecordConsentRound {
        reference: "circle-meeting-2024-05-20".into(),
        consented: true,
        proposes: Some(RoundProposes::Accept),
    };
    other
        .handle(funding("f", 1, "2024-05-20T18:00:00Z", elsewhere))
        .unwrap();
    other.handle(attest("2024-05-20T18:05:00Z")).unwrap();
}

/// While a round the engine runs for an offer is running, no round's result is copied in
/// for the offer (a round kept elsewhere would decide over the running one and its
/// objections): refused, naming the running round, and nothing is written.
#[test]
fn no_round_kept_elsewhere_decides_over_a_running_one() {
    let engine = engine(MemoryJournal::new());
    restricting_offer_consulting(&engine);
    engine
        .handle(offer_round("f-round", "2024-05-16T18:00:00Z"))
        .unwrap();
    advance_offer_round(&engine);
    let before = engine.journal().read_all().unwrap();
    let elsewhere = FundingCommand::RecordConsentRound {
        reference: "circle-meeting-2024-05-20".into(),
        consented: true,
        proposes: None,
    };
    let err = refused(&engine, funding("f", 1, "2024-05-20T18:00:00Z", elsewhere));
    assert!(
        matches!(&err, EngineError::RecordedByTheEngine { round, .. } if *round == stream("f-round")),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
}

/// An offer escalated with its round is one matter with it: taken up as the offer (a funding
/// decision of the body it went to identifying it), the round is not taken up again.
#[test]
fn an_offer_escalated_with_its_round_is_taken_up_once() {
    let (engine, _) = offer_round_escalated();
    // A funding decision takes up the offer, not the round that escalated it.
    let err = refused(
        &engine,
        offer_taken_up("f-community", "2024-05-17T09:55:00Z").taking_up(stream("f-round")),
    );
    assert!(
        matches!(err, EngineError::NotEscalated { .. })
            && err
                .to_string()
                .contains("named by its own stream, and this is no offer"),
        "{err}"
    );
    let record = engine
        .record(&stream("f"), at("2024-05-17T09:55:00Z"))
        .unwrap();
    let to = community()
        .body(&BodyId::new("whole_community").unwrap())
        .unwrap()
        .name
        .clone();
    assert_eq!(
        record.statement.as_deref(),
        Some(format!("The decision on the offer goes to {to}.").as_str())
    );
    // Its record says the circle sent it on; it does not say the circle decided it.
    let report = Charter::default().check(&record);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report)
        .with_names(community())
        .to_string();
    assert!(
        text.contains("- Who decided, and how: nobody yet; Decision circle, which was to decide by consent, escalated it"),
        "{text}"
    );
    // The round it holds escalated it: it neither consented nor refused the proposal.
    let held = record.round_held.clone().unwrap();
    assert!(held.escalated && !held.consented, "{held:?}");
    assert!(
        text.contains("- The consent round held for it, proposing to accept the offer, escalated the matter: \"f-round\"."),
        "{text}"
    );
    let offer = offer_taken_up("f-community", "2024-05-17T10:00:00Z");
    engine.handle(offer).unwrap();
    let round = taking_up("f-community-round", "2024-05-17T10:05:00Z");
    let err = refused(&engine, round);
    assert!(
        matches!(err, EngineError::NotEscalated { .. })
            && err.to_string().contains("another process has taken it up"),
        "{err}"
    );
}

/// A round held for an offer, escalated by its facilitator and taken up by the body it went
/// to: the take-up carries the offer's funder and checks as its process witnessed them, so
/// the body decides on the offer, and no member may state another funder or other checks.
#[test]
fn a_round_for_an_offer_escalated_and_taken_up_carries_the_offers_funder() {
    let (engine, written) = offer_round_escalated();
    // In the same batch, the offer records its round as not consenting and its decision as
    // escalated to the same body: it ends escalated, its record citing the round.
    let offer_events: Vec<&FundingEvent> = written
        .iter()
        .filter(|e| e.stream == stream("f"))
        .filter_map(|e| match &e.event {
            EngineEvent::Funding { event, .. } => Some(event),
            _ => None,
        })
        .collect();
    assert!(
        matches!(
            offer_events.as_slice(),
            [
                FundingEvent::ConsentRoundRecorded { consented: false, .. },
                FundingEvent::DecidingStarted { .. },
                FundingEvent::Decided {
                    outcome: FundingOutcome::Escalate { to },
                    ..
                },
            ] if to.as_str() == "whole_community"
        ),
        "{offer_events:?}"
    );
    assert_eq!(
        engine.phase::<coproduction::funding::FundingProcess>(&stream("f")),
        Some(FundingPhase::Escalated)
    );
    let escalated = engine
        .record(&stream("f"), at("2024-05-16T19:00:00Z"))
        .unwrap();
    assert_eq!(
        escalated.outcome,
        Some(coproduction::values::Outcome::Escalated)
    );
    assert!(
        escalated
            .participants
            .as_ref()
            .is_some_and(|p| !p.is_empty())
    );
    let publication_due = |when: &str| {
        engine.due(at(when)).into_iter().any(|d| {
            d.stream == stream("f")
                && matches!(
                    d.item,
                    coproduction::process::DueItem::PublicationDue { .. }
                )
        })
    };
    assert!(publication_due("2024-05-17T09:00:00Z"));
    let take_up = taking_up("f-community", "2024-05-17T10:00:00Z");
    // Taken up, the matter is decided where it went: the take-up decides for no other
    // process (the offer's route names the circle), and states no facts that would put it
    // in another case than the one it was escalated in.
    let err = refused(&engine, take_up.clone().deciding_for(stream("f")));
    assert!(matches!(err, EngineError::NotEscalated { .. }), "{err}");
    let offer = restricting_offer();
    let claimed = route_facts(&offer, &FundingPolicy::seed()).red_line_hit();
    let err = refused(&engine, take_up.clone().with_facts(claimed));
    assert!(matches!(err, EngineError::Unwitnessed { .. }), "{err}");
    let written = engine.handle(take_up).unwrap();
    // The circle it left takes nothing more there: no second round for the offer, no step
    // of the offer's own; the metrics count the circle's round as escalated.
    let err = refused(&engine, offer_round("f-round-2", "2024-05-17T11:00:00Z"));
    assert!(matches!(err, EngineError::RoundNotAwaited { .. }), "{err}");
    assert!(err.to_string().contains("in phase `escalated`"), "{err}");
    let withdraw = FundingCommand::Withdraw {
        reason: "The circle would rather not wait".into(),
    };
    let err = refused(&engine, funding("f", 1, "2024-05-17T11:00:00Z", withdraw));
    assert!(err.to_string().contains("escalated"), "{err}");
    // The offer is counted once, as its round, settled by the offer's escalation.
    assert_eq!(round_row(&engine).outcome, "escalated");
    let EngineEvent::Started {
        escalated_from: Some(from),
        ..
    } = &written[0].event
    else {
        panic!("the take-up starts with what it takes up: {:?}", written[0]);
    };
    let offer = engine
        .record(&stream("f"), at("2024-05-17T10:00:00Z"))
        .unwrap();
    assert!(offer.funder.is_some());
    assert_eq!(from.funder, offer.funder);
    assert_eq!(from.due_diligence, offer.due_diligence);
    let record = engine
        .record(&stream("f-community"), at("2024-05-17T10:00:00Z"))
        .unwrap();
    assert_eq!(record.funder, offer.funder);
    let mut other = offer.funder.clone().unwrap();
    other.funder = "Another trust".into();
    let attest = Request::new(
        stream("f-community"),
        m(20),
        at("2024-05-17T10:05:00Z"),
        ProcessCommand::Evidence {},
    )
    .with_evidence(coproduction::values::Evidence {
        funder: Some(other),
        ..Default::default()
    });
    let err = refused(&engine, attest);
    assert!(matches!(err, EngineError::Unattested { .. }), "{err}");
    // The offer's own process publishes the escalation, once, and stays escalated.
    let publish = || FundingCommand::Publish {
        withheld_reason: None,
    };
    engine
        .handle(funding("f", 13, "2024-05-17T11:05:00Z", publish()))
        .unwrap();
    assert!(!publication_due("2024-06-17T09:00:00Z"));
    assert_eq!(
        engine.phase::<coproduction::funding::FundingProcess>(&stream("f")),
        Some(FundingPhase::Escalated)
    );
    let err = refused(&engine, funding("f", 13, "2024-05-17T11:10:00Z", publish()));
    assert!(matches!(err, EngineError::Refused { .. }), "{err}");
    // The offer escalated with its round: one matter, taken up once. A funding decision
    // taking up the offer itself as well is refused.
    let again = offer_taken_up("f-again", "2024-05-17T12:00:00Z");
    let err = refused(&engine, again);
    assert!(
        matches!(err, EngineError::NotEscalated { .. })
            && err.to_string().contains("another process has taken it up"),
        "{err}"
    );
}

/// A funding decision whose consultation holds all its route asks for waits on its deciding
/// body, as `due` lists at the offer: not while a piece of advice is unanswered; in
/// consultation once it is, in deciding once deciding has started; and not once decided.
#[test]
fn a_funding_decision_ready_to_decide_waits_on_its_deciding_body() {
    use coproduction::process::DueItem;
    let engine = engine(MemoryJournal::new());
    let offer_due = |when| -> Vec<DueItem> {
        engine
            .due(at(when))
            .into_iter()
            .filter(|d| d.stream.as_str() == "room-hire")
            .map(|d| d.item)
            .collect()
    };
    let waits = |phase| DueItem::BodyDecisionAwaited {
        body: BodyId::new("staff_team").unwrap(),
        phase,
        members: Some((1..=4).map(m).collect()),
    };
    let ready = ready_requests();
    let (start_deciding, advised) = ready.split_last().unwrap();
    for request in advised {
        engine.handle(request.clone()).unwrap();
        // Each piece of advice is answered in the request after it: the decision is ready
        // each time one is answered, and not before the first advice, nor while the
        // second waits for its answer.
        let answered = matches!(
            &request.command,
            ProcessCommand::Funding {
                command: FundingCommand::AnswerAdvice { .. },
            }
        );
        let expected = match answered {
            true => vec![waits(FundingPhase::Consultation)],
            false => vec![],
        };
        assert_eq!(offer_due("2024-03-04T23:00:00Z"), expected, "{request:?}");
    }
    engine.handle(start_deciding.clone()).unwrap();
    assert_eq!(
        offer_due("2024-03-05T09:30:00Z"),
        [waits(FundingPhase::Deciding)]
    );
    engine.handle(decide_with_evidence()).unwrap();
    assert!(
        !offer_due("2024-03-06T00:00:00Z")
            .iter()
            .any(|item| matches!(item, DueItem::BodyDecisionAwaited { .. })),
        "{:?}",
        offer_due("2024-03-06T00:00:00Z")
    );
}

/// `due` names who of the deciding body may take the decision's next step, as the engine
/// would take it: not a member who has left the community, nor one who stepped out, nor,
/// before deciding starts, one who declared an interest and did not step out. Where nobody
/// is left who may, it says so: an empty list, until the body as it stands has a member
/// who may (the body as it stood has nobody left to take the steps).
#[test]
fn a_funding_decision_awaits_those_of_its_body_who_may_still_decide_it() {
    use coproduction::living::{self, CommunityChange};
    use coproduction::process::{DueItem, PartCommand};
    let engine = offer_ready_to_decide();
    let members_awaited = |when| {
        engine.due(at(when)).into_iter().find_map(|d| match d.item {
            DueItem::BodyDecisionAwaited { members, .. } if d.stream.as_str() == "room-hire" => {
                members
            }
            _ => None,
        })
    };
    // A member who declares an interest and does not step out starts no deciding.
    let declare = FundingCommand::DeclareInterest {
        interest: Some("I volunteer for the trust".into()),
        recused: false,
    };
    engine
        .handle(funding("room-hire", 2, "2024-03-04T14:05:00Z", declare))
        .unwrap();
    assert_eq!(
        members_awaited("2024-03-04T14:06:00Z"),
        Some(vec![m(1), m(3), m(4)])
    );
    let start = || FundingCommand::StartDeciding {};
    let err = refused(
        &engine,
        funding("room-hire", 2, "2024-03-04T14:06:00Z", start()),
    );
    assert!(err.to_string().contains("declared an interest"), "{err}");
    for (who, minute) in [(3, 10), (4, 11)] {
        let leave = CommunityChange::Leave { member: m(who) };
        let when = at(&format!("2024-03-04T14:{minute}:00Z"));
        let request = Request::new(
            living::stream(),
            m(who),
            when,
            ProcessCommand::Change {
                change: Box::new(leave),
            },
        );
        engine.handle(request).unwrap();
    }
    assert_eq!(members_awaited("2024-03-04T15:00:00Z"), Some(vec![m(1)]));
    // An offer takes interests one way, through its own declaration, which its rules read:
    // the declaration every process shares is refused on it, and nothing is written.
    for command in [
        PartCommand::DeclareInterests {
            interest: Some("I am a trustee of the trust".into()),
        },
        PartCommand::Recuse {
            reason: "I am a trustee of the trust".into(),
        },
    ] {
        let request = Request::new(
            stream("room-hire"),
            m(1),
            at("2024-03-04T15:05:00Z"),
            command,
        );
        let err = refused(&engine, request);
        assert!(
            matches!(
                &err,
                EngineError::Part {
                    source: coproduction::process::PartError::DeclaredByTheProcess {
                        command: "declare_interest",
                        ..
                    },
                    ..
                }
            ) && err.to_string().contains(
                "interests in a funding decision are declared with its own `declare_interest`"
            ),
            "{err}"
        );
    }
    for (who, minute) in [(1, 10), (2, 20)] {
        let when = format!("2024-03-04T15:{minute}:00Z");
        let step_out = FundingCommand::DeclareInterest {
            interest: Some("I am a trustee of the trust".into()),
            recused: true,
        };
        engine
            .handle(funding("room-hire", who, &when, step_out))
            .unwrap();
    }
    assert_eq!(members_awaited("2024-03-04T16:00:00Z"), Some(vec![]));
    for who in [1, 2] {
        let err = refused(
            &engine,
            funding("room-hire", who, "2024-03-04T16:00:00Z", start()),
        );
        assert!(
            matches!(
                err.refusal().map(|r| &r.kind),
                Some(RefusalKind::WrongRole { .. })
            ),
            "{err}"
        );
    }
    // With none left of the body as it stood, the body as it stands takes the offer's
    // steps: a member appointed to it since is awaited, and starts its deciding.
    let staff = BodyId::new("staff_team").unwrap();
    let engine = with_changes(
        engine,
        at("2024-03-04T16:30:00Z"),
        vec![CommunityChange::Appoint {
            body: staff,
            members: vec![m(20)],
        }],
    );
    let awaited = engine
        .due(at("2024-03-04T17:00:00Z"))
        .into_iter()
        .find_map(|d| match d.item {
            DueItem::BodyDecisionAwaited { members, .. } if d.stream.as_str() == "room-hire" => {
                members
            }
            _ => None,
        });
    assert_eq!(awaited, Some(vec![m(20)]));
    engine
        .handle(funding("room-hire", 20, "2024-03-04T17:00:00Z", start()))
        .unwrap();
    // Taking it on while it is decided, they declare then, and may decide it: whatever the
    // value gate makes of the evidence, the offer's own rules take them as its decider.
    let declare = FundingCommand::DeclareInterest {
        interest: None,
        recused: false,
    };
    engine
        .handle(funding("room-hire", 20, "2024-03-04T17:05:00Z", declare))
        .unwrap();
    let decline = FundingCommand::Decide {
        outcome: FundingOutcome::Decline {},
        deciders: vec![m(20)],
        rationale: "Nobody is left who asked for it".into(),
    };
    match engine.handle(funding("room-hire", 20, "2024-03-04T17:10:00Z", decline)) {
        Ok(_) => {}
        Err(err) => assert!(matches!(err, EngineError::Gate { .. }), "{err}"),
    }
}

/// A round held for an offer and withdrawn reached nothing: the offer holds no round for
/// it, and waits for one that reaches something. While a second round deliberates, the
/// offer is not decided: its deciding body deliberates there (refused, nothing written).
#[test]
fn a_withdrawn_round_holds_nothing_for_the_offer_and_a_running_one_holds_its_decision() {
    let engine = offer_round_withdrawn("The circle will meet again once it is whole");
    let recorded = engine
        .journal()
        .read_stream(&stream("f"))
        .unwrap()
        .into_iter()
        .any(|e| {
            matches!(
                e.event,
                EngineEvent::Funding {
                    event: FundingEvent::ConsentRoundRecorded { .. },
                    ..
                }
            )
        });
    assert!(!recorded, "a withdrawn round is recorded on the offer");
    let decision = match engine.state(&stream("f")) {
        Some(ProcessState::Funding(state)) => state.decision().cloned().unwrap(),
        other => panic!("not a funding decision: {other:?}"),
    };
    assert_eq!(decision.consent_round(), None);

    engine
        .handle(offer_round("f-round-2", "2024-05-17T18:00:00Z"))
        .unwrap();
    for command in [
        FundingCommand::StartDeciding {},
        FundingCommand::Decide {
            outcome: FundingOutcome::Decline {},
            deciders: vec![m(1)],
            rationale: "Declined while the circle deliberates".into(),
        },
    ] {
        let err = refused(&engine, funding("f", 1, "2024-05-17T19:00:00Z", command));
        assert!(
            matches!(&err, EngineError::RoundRunning { stream: s, round }
                if s.as_str() == "f" && round.as_str() == "f-round-2"),
            "{err}"
        );
        assert_eq!(err.kind(), "round_running");
    }
}

/// An offer ready to decide, for which its deciding body holds a round: while the round
/// deliberates, `due` awaits the round, not the body's decision. The round is an advice
/// process (the staff team decides by one): the members it seats are those whose advice it
/// seeks, and once it has ended, the offer's steps are still the staff team's, not theirs;
/// and what the round's decider decided binds the offer: declined there, it is not accepted.
#[test]
fn an_offer_whose_round_deliberates_awaits_the_round_not_the_body() {
    use coproduction::process::DueItem;
    let engine = offer_ready_to_decide();
    let awaits_body = |when| {
        engine
            .due(at(when))
            .into_iter()
            .any(|d| matches!(d.item, DueItem::BodyDecisionAwaited { .. }))
    };
    assert!(awaits_body("2024-03-04T14:00:00Z"));
    staff_round_advised(&engine);
    assert!(!awaits_body("2024-03-04T16:10:00Z"));
    let decide = RoundCommand::Decide {
        adopt: false,
        rationale: "The trust's terms bind us for too long".into(),
    };
    engine.handle(in_round(1, 6, decide)).unwrap();
    // Co-producer 13, whose advice the round sought, takes no step of the staff team's.
    let start = || FundingCommand::StartDeciding {};
    let err = refused(
        &engine,
        funding("room-hire", 13, "2024-03-04T17:00:00Z", start()),
    );
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::WrongRole { .. })
        ),
        "{err}"
    );
    engine
        .handle(funding("room-hire", 2, "2024-03-04T17:00:00Z", start()))
        .unwrap();
    // The round held for the offer declined it: the staff team does not accept it over
    // its decider's decision.
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T17:10:00Z", accept()),
    );
    assert!(
        err.to_string()
            .contains("did not consent to accept it, so the decision may not accept it"),
        "{err}"
    );
}

/// A round held for an offer says what it proposes for it, to accept or to decline, and the
/// offer's decision takes what the round reached on that: what its decider consented to,
/// and never what they did not. Deferring stays open.
#[test]
fn an_offer_is_decided_as_its_round_decided_what_it_proposed() {
    use RoundProposes::{Accept, Decline};
    let accept = || FundingOutcome::Accept {};
    let decline = || FundingOutcome::Decline {};
    for (proposes, adopt, against, taken) in [
        (Accept, true, decline(), accept()),
        (Decline, true, accept(), decline()),
        (Decline, false, decline(), FundingOutcome::Defer {}),
        (Accept, false, accept(), decline()),
    ] {
        let engine = offer_after_its_round(proposes, adopt);
        let start = FundingCommand::StartDeciding {};
        engine
            .handle(funding("room-hire", 2, "2024-03-04T17:00:00Z", start))
            .unwrap();
        // The round witnesses who objected: the evidence leaves that to it.
        let mut evidence = evidence();
        evidence.objections = None;
        let decide = |outcome| {
            room_hire_decided(outcome, "2024-03-04T17:10:00Z").with_evidence(evidence.clone())
        };
        let case = format!("{proposes:?} adopted {adopt}: {against:?}");
        let err = refused(&engine, decide(against.clone()));
        match (against_round(&err), adopt, &against) {
            (Some((round, p, consented)), _, _) => {
                assert_eq!(round, "room-hire-round", "{case}");
                assert_eq!((p, consented), (proposes, adopt), "{case}");
                assert_eq!(err.kind(), "refused");
            }
            // Accepting after a round that did not consent is refused by the offer's own
            // rule, as it always was.
            (None, false, FundingOutcome::Accept {}) => {
                assert!(
                    err.to_string().contains("no recorded round consented"),
                    "{case}: {err}"
                );
            }
            _ => panic!("{case}: {err}"),
        }
        engine.handle(decide(taken)).unwrap();
    }
}

/// A round held for an offer says what it proposes for it, and the decision stays bound to
/// what it reached: no round is recorded by hand over it. The refusal of a decision against
/// the round says what the round reached and what the decision may not do.
#[test]
fn a_round_that_proposed_binds_the_rounds_after_it() {
    let engine = offer_after_its_round(RoundProposes::Decline, false);
    let recorded = FundingCommand::RecordConsentRound {
        reference: "The staff team's meeting".into(),
        consented: false,
        proposes: None,
    };
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T17:00:00Z", recorded),
    );
    assert!(
        matches!(&err, EngineError::HeldOnTheEngine { round, .. } if round.as_str() == "room-hire-round"),
        "{err}"
    );
    assert_eq!(err.kind(), "held_on_the_engine");
    let again =
        |proposes| staff_round_opening("room-hire-round-2", "2024-03-04T17:05:00Z", proposes);
    let err = refused(&engine, again(None));
    assert!(
        matches!(&err, EngineError::ProposesMissing { target, .. } if target.as_str() == "room-hire")
            && err.to_string().ends_with(
                "a round held for the offer `room-hire` says what it proposes for it: `proposes`, \"accept\" or \"decline\""
            ),
        "{err}"
    );
    assert_eq!(err.kind(), "proposes_missing");
    // A second round, proposing to accept, does not consent either: neither round's
    // proposal is taken, and the first still bars declining.
    staff_round_on(
        &engine,
        "room-hire-round-2",
        18,
        Some(RoundProposes::Accept),
    );
    let decide = RoundCommand::Decide {
        adopt: false,
        rationale: "Not on these terms either".into(),
    };
    let in_second = Request::new(
        stream("room-hire-round-2"),
        m(1),
        at("2024-03-04T19:06:00Z"),
        decide,
    );
    engine.handle(in_second).unwrap();
    let start = FundingCommand::StartDeciding {};
    engine
        .handle(funding("room-hire", 2, "2024-03-04T20:00:00Z", start))
        .unwrap();
    let decide = |outcome| room_hire_decided(outcome, "2024-03-04T20:10:00Z");
    let err = refused(&engine, decide(FundingOutcome::Decline {}));
    assert_eq!(
        against_round(&err).map(|(round, ..)| round),
        Some("room-hire-round"),
        "{err}"
    );
    let err = refused(&engine, decide(FundingOutcome::Accept {}));
    assert!(err.is_refusal(), "{err}");
    engine.handle(decide(FundingOutcome::Defer {})).unwrap();

    // Against a round that consented, the refusal says what it may not do.
    let engine = offer_after_its_round(RoundProposes::Accept, true);
    let decline = FundingCommand::Decide {
        outcome: FundingOutcome::Decline {},
        deciders: vec![m(1)],
        rationale: "Declined after all".into(),
    };
    // Before its deciding has started, the offer's own rule answers.
    let early = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T17:00:00Z", decline.clone()),
    );
    assert!(against_round(&early).is_none(), "{early}");
    let start = FundingCommand::StartDeciding {};
    engine
        .handle(funding("room-hire", 2, "2024-03-04T17:00:00Z", start))
        .unwrap();
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T17:10:00Z", decline),
    );
    assert!(
        err.to_string().ends_with(
            "round `room-hire-round`, held for the offer, consented to accept it, so the decision may not decline it (deferring or escalating stays open)"
        ),
        "{err}"
    );
}

/// A round held elsewhere and recorded by hand may say what it proposed, and then binds the
/// offer's decision as a round the engine ran does; once a round for the offer said what
/// it proposed, one recorded after it says so too. None is recorded by hand once a round
/// the engine ran reached a result on the offer: no member's word decides over what the
/// engine witnessed.
#[test]
fn a_round_recorded_by_hand_may_say_what_it_proposed_and_binds() {
    // The engine's round did not consent to declining: a meeting held elsewhere is not
    // recorded over it.
    let engine = offer_after_its_round(RoundProposes::Decline, false);
    let meeting = || FundingCommand::RecordConsentRound {
        reference: "The staff team's meeting of 4 March".into(),
        consented: true,
        proposes: Some(RoundProposes::Accept),
    };
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T17:00:00Z", meeting()),
    );
    assert!(
        matches!(&err, EngineError::HeldOnTheEngine { round, .. } if round.as_str() == "room-hire-round"),
        "{err}"
    );
    // Before any round the engine ran, it is recorded, and binds.
    let engine = offer_ready_to_decide();
    let written = engine
        .handle(funding("room-hire", 1, "2024-03-04T17:00:00Z", meeting()))
        .unwrap();
    assert!(
        written.iter().any(|e| matches!(
            &e.event,
            EngineEvent::Funding {
                event: FundingEvent::ConsentRoundRecorded {
                    proposes: Some(RoundProposes::Accept),
                    consented: true,
                    ..
                },
                ..
            }
        )),
        "{written:?}"
    );
    let start = FundingCommand::StartDeciding {};
    engine
        .handle(funding("room-hire", 2, "2024-03-04T17:05:00Z", start))
        .unwrap();
    let decide = |outcome| room_hire_decided(outcome, "2024-03-04T17:10:00Z");
    let err = refused(&engine, decide(FundingOutcome::Decline {}));
    assert!(against_round(&err).is_some(), "{err}");
    // The meeting was held elsewhere: its objections are the evidence's to give.
    engine
        .handle(decide(FundingOutcome::Accept {}).with_evidence(evidence()))
        .unwrap();

    // Recorded first, proposing: a round recorded after it says what it proposed too, the
    // refusal naming the recorded one.
    let engine = offer_ready_to_decide();
    let recorded = |reference: &str, proposes| FundingCommand::RecordConsentRound {
        reference: reference.into(),
        consented: false,
        proposes,
    };
    let first = recorded(
        "The staff team's meeting of 1 March",
        Some(RoundProposes::Decline),
    );
    engine
        .handle(funding("room-hire", 1, "2024-03-04T14:00:00Z", first))
        .unwrap();
    let second = recorded("The staff team's meeting of 2 March", None);
    let err = refused(
        &engine,
        funding("room-hire", 1, "2024-03-04T14:10:00Z", second),
    );
    assert!(
        matches!(&err, EngineError::ProposesRequired { round, .. }
            if round == "The staff team's meeting of 1 March"),
        "{err}"
    );
    // Nor is a round recorded by one who declared an interest in the offer and has not
    // stepped out: their word would decide what binds it.
    let declare = FundingCommand::DeclareInterest {
        interest: Some("I volunteer for the trust".into()),
        recused: false,
    };
    engine
        .handle(funding("room-hire", 2, "2024-03-04T14:20:00Z", declare))
        .unwrap();
    let third = recorded(
        "The staff team's meeting of 3 March",
        Some(RoundProposes::Accept),
    );
    let err = refused(
        &engine,
        funding("room-hire", 2, "2024-03-04T14:30:00Z", third),
    );
    assert!(
        err.to_string().ends_with(
            "cannot record_consent_round: member m2 declared an interest in this offer (\"I volunteer for the trust\") and has not stepped out"
        ),
        "{err}"
    );
    // A round kept elsewhere takes a name no stream here has: not the offer's own, nor the
    // community's; and a round the engine runs for the offer takes none recorded for it.
    for taken in ["room-hire", coproduction::living::stream().as_str()] {
        let named = recorded(taken, Some(RoundProposes::Accept));
        let err = refused(
            &engine,
            funding("room-hire", 1, "2024-03-04T14:40:00Z", named),
        );
        assert!(
            matches!(&err, EngineError::RoundStreamTaken { round, .. } if round.as_str() == taken),
            "{err}"
        );
    }
    let named = recorded("staff-meeting-4-march", Some(RoundProposes::Accept));
    engine
        .handle(funding("room-hire", 1, "2024-03-04T14:40:00Z", named))
        .unwrap();
    let err = refused(
        &engine,
        staff_round_opening(
            "staff-meeting-4-march",
            "2024-03-04T15:00:00Z",
            Some(RoundProposes::Accept),
        ),
    );
    assert!(
        err.to_string()
            .contains("a round held elsewhere was recorded for it as `staff-meeting-4-march`"),
        "{err}"
    );
}

/// A journal written while a round said what it proposed with its start only (its result
/// recorded on the offer without it) still binds the offer: the engine reads what the round
/// proposed from its start when it opens, without rewriting the journal (catching up with
/// another writer reads it the same way, through the same function).
#[test]
fn a_round_result_journalled_without_what_it_proposed_reads_it_from_the_rounds_start() {
    use coproduction::journal::NewEvent;
    let engine = offer_after_its_round(RoundProposes::Decline, false);
    let older = MemoryJournal::new();
    let mut lacking = 0;
    for e in engine.journal().read_all().unwrap() {
        let mut event = e.event.clone();
        if let EngineEvent::Funding {
            event: FundingEvent::ConsentRoundRecorded { proposes, .. },
            ..
        } = &mut event
        {
            lacking += usize::from(proposes.take().is_some());
        }
        let event = NewEvent::new(e.actor, e.time, event);
        older.append(&e.stream, e.seq - 1, vec![event]).unwrap();
    }
    assert_eq!(lacking, 1);
    let reopened = Engine::from_journal(older).unwrap();
    let start = FundingCommand::StartDeciding {};
    reopened
        .handle(funding("room-hire", 2, "2024-03-04T17:00:00Z", start))
        .unwrap();
    let err = refused(
        &reopened,
        room_hire_decided(FundingOutcome::Decline {}, "2024-03-04T17:10:00Z"),
    );
    assert_eq!(
        against_round(&err),
        Some(("room-hire-round", RoundProposes::Decline, false)),
        "{err}"
    );
    let record = reopened
        .record(&stream("room-hire"), at("2024-03-04T17:10:00Z"))
        .unwrap();
    assert_eq!(
        record.round_held.and_then(|r| r.proposes),
        Some(RoundProposes::Decline)
    );
}

/// Member 1 decides the room-hire offer `outcome` at `when`, as the rounds held for it
/// decided.
fn room_hire_decided(outcome: FundingOutcome, when: &str) -> Request {
    let command = FundingCommand::Decide {
        outcome,
        deciders: vec![m(1)],
        rationale: "As the rounds held for it decided".into(),
    };
    funding("room-hire", 1, when, command)
}

/// The round a refusal of a funding decision says it goes against: what the round proposed
/// and whether it consented.
fn against_round(err: &EngineError) -> Option<(&str, RoundProposes, bool)> {
    match err {
        EngineError::Refused {
            source:
                ProcessError::Funding(FundingError::AgainstRound {
                    round,
                    proposes,
                    consented,
                }),
            ..
        } => Some((round.as_str(), *proposes, *consented)),
        _ => None,
    }
}

/// Only a round opened for a funding or partnership decision proposes an outcome for it.
#[test]
fn only_a_round_held_for_an_offer_proposes_an_outcome() {
    let engine = offer_ready_to_decide();
    let start = FundingCommand::StartDeciding {};
    let request =
        funding("room-hire", 2, "2024-03-04T17:00:00Z", start).proposing(RoundProposes::Accept);
    let err = refused(&engine, request);
    assert!(matches!(err, EngineError::ProposesNothing { .. }), "{err}");
    assert_eq!(err.kind(), "proposes_nothing");
    let json = r#"{"stream": "r", "actor": 1, "now": "2024-03-04T15:00:00Z", "kind": "funding",
        "decides_for": "room-hire", "proposes": "decline_politely",
        "command": {"process": "consent", "command": {"type": "open_on_route", "title": "T",
        "proposal": "P", "roles": {"proposer": 1, "facilitator": 2, "secretary": 3}}}}"#;
    let err = engine.handle_json(json).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown variant `decline_politely`"),
        "{err}"
    );
}

/// An engine holding the room-hire offer ready to decide: `ready_requests` but its last,
/// which starts deciding.
fn offer_ready_to_decide() -> Engine<MemoryJournal<EngineEvent>> {
    let engine = engine(MemoryJournal::new());
    let ready = ready_requests();
    let (_, advised) = ready.split_last().unwrap();
    for request in advised {
        engine.handle(request.clone()).unwrap();
    }
    engine
}

/// The staff team's advice process held for the room-hire offer, once ready to decide
/// (from `ready_requests`): opened on its route at 15:00 by member 1, its decider, with 2
/// facilitating; moved to its objection round; co-producer 13's advice given and answered
/// (by 16:05).
fn staff_round_advised(engine: &Engine<MemoryJournal<EngineEvent>>) {
    staff_round_proposing(engine, Some(RoundProposes::Accept));
}

/// [`staff_round_advised`], the round opened proposing `proposes` for the offer, if said.
fn staff_round_proposing(
    engine: &Engine<MemoryJournal<EngineEvent>>,
    proposes: Option<RoundProposes>,
) {
    staff_round_on(engine, "room-hire-round", 15, proposes);
}

/// [`staff_round_proposing`] on stream `round`, opened at `hour`:00 and its steps taken
/// in the hour after.
fn staff_round_on(
    engine: &Engine<MemoryJournal<EngineEvent>>,
    round: &str,
    hour: u32,
    proposes: Option<RoundProposes>,
) {
    let opened = format!("2024-03-04T{hour}:00:00Z");
    engine
        .handle(staff_round_opening(round, &opened, proposes))
        .unwrap();
    let in_round = |who: u64, minute: u32, command| {
        let now = at(&format!("2024-03-04T{}:{minute:02}:00Z", hour + 1));
        Request::new(stream(round), m(who), now, command)
    };
    for minute in 1..=3 {
        engine
            .handle(in_round(2, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    let advice = Response::Advice {
        advice: "Book rooms on the bus route".into(),
        affected: true,
        expertise: false,
    };
    let respond = RoundCommand::Respond {
        member: m(13),
        response: advice,
    };
    engine.handle(in_round(13, 4, respond)).unwrap();
    let answer = RoundCommand::AnswerAdvice {
        member: m(13),
        answer: "All three rooms are on it".into(),
    };
    engine.handle(in_round(1, 5, answer)).unwrap();
}

/// The room-hire offer ready to decide, after the staff team's round held for it, proposing
/// `proposes`, whose decider adopted the proposal or not (`adopt`, at 16:06).
fn offer_after_its_round(
    proposes: RoundProposes,
    adopt: bool,
) -> Engine<MemoryJournal<EngineEvent>> {
    let engine = offer_ready_to_decide();
    staff_round_proposing(&engine, Some(proposes));
    let decide = RoundCommand::Decide {
        adopt,
        rationale: "The staff lead weighed the advice".into(),
    };
    engine.handle(in_round(1, 6, decide)).unwrap();
    engine
}

/// The staff team's round on `round` for the room-hire offer, opened by member 1, its
/// decider, at `when`, proposing `proposes` for the offer, if said.
fn staff_round_opening(round: &str, when: &str, proposes: Option<RoundProposes>) -> Request {
    let open = RoundCommand::OpenOnRoute {
        title: "Take the trust's room hire".into(),
        proposal: "Accept the year's free rooms.".into(),
        roles: RoundRoles {
            proposer: m(1),
            facilitator: m(2),
            secretary: m(3),
        },
    };
    let request = Request::new(stream(round), m(1), at(when), open)
        .with_kind(DecisionKind::Funding)
        .deciding_for(stream("room-hire"));
    match proposes {
        Some(proposes) => request.proposing(proposes),
        None => request,
    }
}

/// `command` on the room-hire offer's round by `who` at 16:`minute` on 4 March 2024.
fn in_round(who: u64, minute: u32, command: RoundCommand) -> Request {
    let now = at(&format!("2024-03-04T16:{minute:02}:00Z"));
    Request::new(stream("room-hire-round"), m(who), now, command)
}
