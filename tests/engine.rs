//! The engine through its public API: a round on the seed community's map, the route and the
//! value gate enforced, refusals that write nothing, replay from a file, and concurrent use.

use std::sync::Arc;

use coproduction::community::MemberId;
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundPhase, RoundRoles};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{Engine, EngineError, ProcessCommand, ProcessState, Request};
use coproduction::journal::{FileJournal, Journal, MemoryJournal, StreamId};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{Charter, Evidence, GateSummary, Status, Verdict};
mod engine_support;

use engine_support::*;

/// The community and an engine on a memory journal routing by its governance map.
fn routed() -> (
    coproduction::community::Community,
    Engine<MemoryJournal<coproduction::engine::EngineEvent>>,
) {
    let community = community();
    let engine = Engine::open(
        community.clone(),
        Some(governance(&community)),
        Charter::default(),
        MemoryJournal::new(),
    )
    .unwrap();
    (community, engine)
}

#[test]
fn a_round_is_adopted_only_through_the_value_gate() {
    let (_, engine) = routed();
    to_consented(&engine);
    let before = engine.journal().read_all().unwrap().len();

    // Without the evidence the round does not hold, the gate refuses, and nothing is written.
    let err = engine.handle(adopt()).unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("expected the gate: {err}")
    };
    let unmet: Vec<&str> = source.unmet().iter().map(|u| u.rule.as_str()).collect();
    // What members did is witnessed (interests declared, payment, advice); what nobody
    // attested is missing: the rationale and alternatives (T2), the papers' date (H4).
    assert!(unmet.contains(&"T2") && unmet.contains(&"H4"), "{unmet:?}");
    assert!(
        !unmet.contains(&"T4") && !unmet.contains(&"H1"),
        "{unmet:?}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream()),
        Some(RoundPhase::Consented)
    );

    // With it, the round is adopted, and the evidence is journalled with the outcome.
    let written = engine.handle(adopt().with_evidence(evidence())).unwrap();
    assert_eq!(written.len(), 2);
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream()),
        Some(RoundPhase::Adopted)
    );
    let report = engine.report(&stream(), at(40)).unwrap();
    assert!(
        report
            .verdicts()
            .iter()
            .all(|v| v.verdict == Verdict::Upheld || v.value.as_str() == "inclusive"),
        "{:?}",
        report.verdicts()
    );
    // The Allies Group advised with three of eight bringing lived experience: I9's warning,
    // acknowledged, leaves inclusion at risk rather than upheld.
    assert_eq!(report.verdict("inclusive"), Some(Verdict::AtRisk));
    let i9 = report.finding("I9").unwrap();
    assert_eq!(i9.status, coproduction::values::Status::Violated);
    assert!(i9.acknowledged.is_some());
}

#[test]
fn a_round_on_its_route_passes_t7_without_restating_the_route() {
    let (_, engine) = routed();
    to_consented(&engine);
    engine.handle(adopt().with_evidence(evidence())).unwrap();
    let record = engine.record(&stream(), at(40)).unwrap();
    let taken = record.route_taken.as_ref().unwrap();
    assert_eq!(taken.tier, Some(coproduction::decision::Tier::Zero));
    assert_eq!(Some(taken), record.route_given.as_ref());
    let t7 = engine.report(&stream(), at(40)).unwrap();
    let t7 = t7.finding("T7").unwrap();
    assert_eq!(t7.status, Status::Satisfied, "{}", t7.message);
}

#[test]
fn a_body_the_route_consults_and_nobody_heard_is_not_consulted() {
    let (community, engine) = routed();
    // No advice from the Allies Group: the ally asked does not give it.
    let from_ally = |r: &Request| {
        r.actor == ALLY
            || matches!(
                &r.command,
                ProcessCommand::Part {
                    command: coproduction::process::PartCommand::AnswerAdvice { member, .. }
                } if *member == ALLY
            )
    };
    for request in to_consented_taking_part(&community) {
        if !from_ally(&request) {
            engine.handle(request).unwrap();
        }
    }
    let err = engine
        .handle(adopt().with_evidence(evidence()))
        .unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("expected the gate: {err}")
    };
    let t7 = source.unmet().iter().find(|u| u.rule.as_str() == "T7");
    assert!(
        t7.is_some_and(|u| u.message == "not consulted: allies_group"),
        "{err}"
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream()),
        Some(RoundPhase::Consented)
    );
}

/// A funding offer at tier 1 goes to the staff team's advice process; a round held on that
/// route is at tier 1, so a condition that restricts publication is found against C5, and
/// nobody had to say which tier the round was at.
#[test]
fn a_restricting_condition_on_a_tier_one_route_is_found_against_c5() {
    let community = community();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap();
    for request in grant_requests(&community) {
        engine.handle(request).unwrap();
    }
    let report = engine.report(&grant(), at(2)).unwrap();
    let c5 = report.finding("C5").unwrap();
    assert_eq!(c5.status, Status::Violated, "{}", c5.message);
    assert!(
        c5.message.contains("the decision is at tier 1"),
        "{}",
        c5.message
    );
}

/// A round opened on its route takes its deciding body, method and eligible members from
/// governance and the community; without a map, or on a red-line route, it is refused.
#[test]
fn a_round_opens_on_its_route_with_the_body_governance_names() {
    let community = community();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap();
    let roles = RoundRoles {
        proposer: STAFF_1,
        facilitator: CO_1,
        secretary: STAFF_2,
    };
    let on_route = || RoundCommand::OpenOnRoute {
        title: "Pilot the working model".into(),
        proposal: "Six months from March.".into(),
        roles,
    };
    let open = |command| {
        Request::new(stream(), STAFF_1, at(0), command).with_kind(DecisionKind::WorkingModel)
    };
    engine.handle(open(on_route())).unwrap();
    let Some(ProcessState::Consent(state)) = engine.state(&stream()) else {
        panic!("a round")
    };
    let config = state.round().unwrap().config();
    assert_eq!(config.deciding_body.as_str(), "associate_roles_team");
    let eligible: Vec<u64> = config.eligible.iter().map(|m| m.member.get()).collect();
    assert_eq!(eligible, [1, 13, 14]);

    // Without a map there is no route to open on, and nothing is written.
    let unrouted = Engine::builder(community.clone())
        .open(MemoryJournal::new())
        .unwrap();
    let err = unrouted.handle(open(on_route())).unwrap_err();
    assert!(
        err.to_string()
            .contains("only through an engine with a governance map"),
        "{err}"
    );
    assert!(unrouted.streams().is_empty());

    // A red-line offer is declined without a round.
    let red_line = Request::new(
        StreamId::new("tobacco").unwrap(),
        STAFF_1,
        at(0),
        on_route(),
    )
    .with_kind(DecisionKind::Funding)
    .with_facts(coproduction::governance::RouteFacts::new().red_line_hit());
    let err = engine.handle(red_line).unwrap_err();
    assert!(err.to_string().contains("automatic decline"), "{err}");
    assert_eq!(engine.streams(), [stream()]);
}

#[test]
fn an_override_is_recorded_and_shows_in_the_next_report() {
    let (_, engine) = routed();
    to_consented(&engine);
    let mut partial = evidence();
    partial.alternatives = None; // T2 now fails
    // The secretary who records the outcome does not answer for the round: only its
    // facilitator overrides, in their own name.
    let by_secretary = partial.clone().with_override(
        "T2".parse().unwrap(),
        STAFF_2,
        "Alternatives to be published within the week",
    );
    let err = engine
        .handle(adopt().with_evidence(by_secretary))
        .unwrap_err();
    assert!(matches!(err, EngineError::Unattested { .. }), "{err}");
    let override_t2 = Evidence::default().with_override(
        "T2".parse().unwrap(),
        CO_1,
        "Alternatives to be published within the week",
    );
    engine
        .handle(
            Request::new(stream(), CO_1, at(29), ProcessCommand::Evidence {})
                .with_evidence(override_t2),
        )
        .unwrap();
    engine.handle(adopt().with_evidence(partial)).unwrap();
    let report = engine.report(&stream(), at(40)).unwrap();
    let t2 = report.finding("T2").unwrap();
    assert!(
        t2.overridden
            .as_ref()
            .is_some_and(|o| o.by == CO_1 && o.at == Some(at(29))),
        "{t2:?}"
    );
    assert_eq!(report.verdict("transparent"), Some(Verdict::AtRisk));
}

#[test]
fn a_round_off_the_governance_route_is_refused() {
    let (community, engine) = routed();
    let wrong_body = config(&community, "staff_team", Method::Consent);
    let request = consent(
        STAFF_1,
        0,
        RoundCommand::Open {
            config: Box::new(wrong_body),
        },
    )
    .with_kind(DecisionKind::WorkingModel);
    let err = engine.handle(request).unwrap_err();
    assert!(matches!(err, EngineError::OffRoute { .. }), "{err}");
    assert!(
        err.to_string().contains(
            "governance routes this working_model decision to `associate_roles_team` by consent"
        ),
        "{err}"
    );
    let wrong_method = config(&community, "associate_roles_team", Method::Majority);
    let request = consent(
        STAFF_1,
        0,
        RoundCommand::Open {
            config: Box::new(wrong_method),
        },
    )
    .with_kind(DecisionKind::WorkingModel);
    assert!(matches!(
        engine.handle(request),
        Err(EngineError::OffRoute { .. })
    ));
    // The journal holds its founding, and nothing of the refused request.
    assert_eq!(engine.journal().read_all().unwrap().len(), 1);
    assert!(engine.streams().is_empty());
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let community = community();
    let engine = Engine::open(
        community.clone(),
        None,
        Charter::default(),
        MemoryJournal::new(),
    )
    .unwrap();

    let stranger = consent(MemberId::new(999), 0, RoundCommand::Advance {});
    assert!(matches!(
        engine.handle(stranger),
        Err(EngineError::UnknownActor { .. })
    ));
    assert!(matches!(
        engine.handle(consent(CO_1, 0, RoundCommand::Advance {})),
        Err(EngineError::UnknownStream { .. })
    ));
    let mut no_kind = open(&community);
    no_kind.kind = None;
    assert!(matches!(
        engine.handle(no_kind),
        Err(EngineError::KindRequired { .. })
    ));

    engine.handle(open(&community)).unwrap();
    // Only the facilitator moves the round on.
    let err = engine
        .handle(consent(CO_2, 1, RoundCommand::Advance {}))
        .unwrap_err();
    assert!(
        err.to_string().contains("is not the round's facilitator"),
        "{err}"
    );

    let err = engine
        .handle_json(r#"{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:00:00Z", "command": {"process": "consent", "command": {"type": "advance"}}, "priority": 1}"#)
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::Json { message } if message.contains("unknown field `priority`")),
        "{err}"
    );
    let err = engine
        .handle_json(r#"{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:00:00Z", "command": {"process": "consent", "command": {"type": "advance", "force": true}}}"#)
        .unwrap_err();
    assert!(matches!(err, EngineError::Json { .. }), "{err}");
    // The founding, and the opening's two events.
    assert_eq!(engine.journal().read_all().unwrap().len(), 3);
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream()),
        Some(RoundPhase::Presented)
    );
}

/// A decision keeps the charter it passed under: the deciding event carries the gate's
/// summary, a reopened engine reads the same summaries back, and an engine judging by
/// another charter says so.
#[test]
fn a_decision_keeps_the_charter_it_passed_under() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let community = community();
    let (journal, _) = FileJournal::open(&path).unwrap();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(journal)
        .unwrap();
    to_consented(&engine);
    let written = engine.handle(adopt().with_evidence(evidence())).unwrap();
    let seed = Charter::default();
    let gates: Vec<GateSummary> = written
        .iter()
        .filter_map(|e| e.event.gate().cloned())
        .collect();
    assert_eq!(gates.len(), 1, "the outcome, and only it, carries the gate");
    assert_eq!(gates[0].charter, seed.hash());
    assert_eq!(gates[0].rules_checked.len(), 32);
    assert_eq!(engine.gates(&stream()), gates);
    let review = engine.review(&stream(), at(60)).unwrap();
    assert!(review.same_charter() && !review.judged_differently());
    drop(engine);

    // Reopened under a charter without T2, the journal is refused: it was founded under
    // the seed charter, and history is not judged again by a file edited since.
    let mut spec = seed.to_spec();
    spec.rules.retain(|r| r.id.as_str() != "T2");
    let today = Charter::from_spec(spec).unwrap();
    let (journal, _) = FileJournal::open(&path).unwrap();
    let refused = Engine::builder(community.clone())
        .governance(governance(&community))
        .charter(today.clone())
        .open(journal);
    assert!(
        matches!(
            refused,
            Err(EngineError::NotTheFounding {
                part: "charter",
                ..
            })
        ),
        "{refused:?}"
    );
    // From the journal alone it opens; the gates say which charter the decision passed
    // under, and a review by the charter without T2 that it would judge on other rules.
    let (journal, _) = FileJournal::open(&path).unwrap();
    let again = Engine::from_journal(journal).unwrap();
    assert_eq!(again.charter_hash(), seed.hash());
    assert_eq!(again.gates(&stream()), gates);
    let review = again.review_by(&stream(), &today).unwrap();
    assert_eq!(review.passed.charter, seed.hash());
    assert_eq!(review.today, today.hash());
    assert!(!review.same_charter());
    assert!(review.judged_differently());
    let record = again.record(&stream(), at(40)).unwrap();
    let report = again.report(&stream(), at(40)).unwrap();
    let markdown = DecisionRecordMarkdown::new(&record, &report)
        .with_review(&review)
        .to_string();
    assert!(
        markdown.contains(&format!(
            "### Value gate\n\nPassed under charter {} (32 rules checked).\nRouted by governance map {}.\n\n- Cleared by an acknowledgement of I9 by m13: ",
            seed.hash(),
            coproduction::living::governance_hash(governance(&community).map()),
        )),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!(
            "\nToday's charter ({}) would pass it too, on 31 rules instead of 32.\n",
            today.hash()
        )),
        "{markdown}"
    );
}

#[test]
fn reopening_a_file_journal_rebuilds_every_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let community = community();
    let (journal, _) = FileJournal::open(&path).unwrap();
    let engine = Engine::open(
        community.clone(),
        Some(governance(&community)),
        Charter::default(),
        journal,
    )
    .unwrap();
    to_consented(&engine);
    engine.handle(adopt().with_evidence(evidence())).unwrap();
    let state = engine.state(&stream()).unwrap();
    let record = engine.record(&stream(), at(40)).unwrap();
    drop(engine);

    let (journal, report) = FileJournal::open(&path).unwrap();
    assert!(report.torn_tail.is_none());
    let again = Engine::open(
        community.clone(),
        Some(governance(&community)),
        Charter::default(),
        journal,
    )
    .unwrap();
    assert_eq!(again.state(&stream()).unwrap(), state);
    assert_eq!(again.record(&stream(), at(40)).unwrap(), record);
    // And it goes on where it stopped: the adopted round takes no more commands.
    assert!(matches!(
        again.handle(adopt()),
        Err(EngineError::Refused { .. })
    ));
}

#[test]
fn four_threads_lose_and_duplicate_nothing() {
    const THREADS: u64 = 4;
    const COMMANDS: usize = 2_500;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let community = community();
    let (journal, _) = FileJournal::open(&path).unwrap();
    let engine =
        Arc::new(Engine::open(community.clone(), None, Charter::default(), journal).unwrap());
    let whole: Vec<MemberId> = community
        .body(&"whole_community".parse().unwrap())
        .unwrap()
        .members()
        .collect();

    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let engine = Arc::clone(&engine);
            let whole = whole.clone();
            std::thread::spawn(move || {
                let stream = StreamId::new(&format!("round-{t}")).unwrap();
                let request = |minute: i64, actor: MemberId, command| {
                    Request::new(
                        stream.clone(),
                        actor,
                        at(minute),
                        ProcessCommand::Consent { command },
                    )
                };
                let roles = RoundRoles {
                    proposer: STAFF_1,
                    facilitator: STAFF_2,
                    secretary: STAFF_2,
                };
                let config = RoundConfig::consent(
                    &engine.community(),
                    &"whole_community".parse().unwrap(),
                    "Thread round",
                    "Text",
                    roles,
                )
                .unwrap();
                engine
                    .handle(
                        request(
                            0,
                            STAFF_1,
                            RoundCommand::Open {
                                config: Box::new(config),
                            },
                        )
                        .with_kind(DecisionKind::Strategy),
                    )
                    .unwrap();
                for _ in 0..3 {
                    engine
                        .handle(request(1, STAFF_2, RoundCommand::Advance {}))
                        .unwrap();
                }
                // The rest are responses: members answer again and again; the last counts.
                for n in 4..COMMANDS {
                    let member = whole[n % whole.len()];
                    let response = if n % 7 == 0 {
                        Response::ConsentWithConcern {
                            concern: format!("concern {n}"),
                        }
                    } else {
                        Response::consent()
                    };
                    engine
                        .handle(request(
                            2,
                            member,
                            RoundCommand::Respond { member, response },
                        ))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }

    let all = engine.journal().read_all().unwrap();
    // +2: each stream's `started`, and the access requests it raised as it opened (one
    // member of the whole community declares needs).
    // +1: the journal's founding.
    assert_eq!(all.len(), THREADS as usize * (COMMANDS + 2) + 1);
    let mut positions: Vec<u64> = all.iter().map(|e| e.position).collect();
    positions.dedup();
    assert_eq!(positions.len(), all.len(), "no position twice");
    let live: Vec<_> = engine
        .streams()
        .iter()
        .map(|s| engine.state(s).unwrap())
        .collect();
    drop(engine);

    // A serial replay of the file gives the same state for every stream.
    let (journal, _) = FileJournal::open(&path).unwrap();
    let replayed = Engine::open(community, None, Charter::default(), journal).unwrap();
    let again: Vec<_> = replayed
        .streams()
        .iter()
        .map(|s| replayed.state(s).unwrap())
        .collect();
    assert_eq!(again, live);
    assert_eq!(replayed.streams().len(), THREADS as usize);
}

mod proposals {
    use super::*;
    use coproduction::cocreation::{ItemId, ProposalId};
    use coproduction::proposal::{
        DecisionResult, ProposalCommand, ProposalConfig, ProposalPhase, ProposalRoles,
    };
    use coproduction::values::Publication;

    fn proposal_stream() -> StreamId {
        StreamId::new("working-model-proposal").unwrap()
    }

    fn proposal(actor: MemberId, minute: i64, command: ProposalCommand) -> Request {
        Request::new(
            proposal_stream(),
            actor,
            at(minute),
            ProcessCommand::Proposal { command },
        )
    }

    fn create() -> Request {
        let config = ProposalConfig {
            id: ProposalId::new(1),
            title: "The co-producer working model".into(),
            kind: DecisionKind::WorkingModel,
            text: "Freelance co-producers work to the model for a six-month pilot.".into(),
            answers: Vec::new(),
            roles: ProposalRoles {
                proposers: [STAFF_1].into(),
                steward: CO_1,
                members: [CO_2].into(),
            },
            changes: vec![],
            effective_from: None,
        };
        proposal(
            STAFF_1,
            -30,
            ProposalCommand::Create {
                config: Box::new(config),
            },
        )
    }

    /// A proposal made ready along the route governance gives, deciding in the round.
    fn in_decision(engine: &Engine<MemoryJournal<coproduction::engine::EngineEvent>>) {
        let community = engine.community().clone();
        let route = governance(&community)
            .route(&DecisionKind::WorkingModel, Default::default())
            .unwrap()
            .summary()
            .unwrap();
        engine.handle(create()).unwrap();
        engine
            .handle(proposal(CO_1, -29, ProposalCommand::StartCoCreation {}))
            .unwrap();
        let link = ProposalCommand::LinkFeedback {
            items: vec![ItemId::new(1)],
            themes: vec![],
        };
        engine.handle(proposal(CO_1, -28, link)).unwrap();

        // A proposal names no route: one that tries is refused as any unknown field is.
        let named = r#"{"stream": "working-model-proposal", "actor": 13, "now": "2022-08-20T10:00:00Z",
            "command": {"process": "proposal", "command": {"type": "mark_ready",
                "route": {"deciding_body": "staff_team", "method": {"type": "consent"}}}}}"#;
        assert!(matches!(
            engine.handle_json(named),
            Err(EngineError::Json { .. })
        ));

        engine
            .handle(proposal(CO_1, -27, ProposalCommand::MarkReady {}))
            .unwrap();
        // It is ready on the route governance gave when it was created.
        let Some(ProcessState::Proposal(state)) = engine.state(&proposal_stream()) else {
            panic!("a proposal")
        };
        assert_eq!(state.proposal().unwrap().route(), Some(&route));
        engine
            .handle(proposal(
                CO_1,
                -26,
                ProposalCommand::StartDecision { round: stream() },
            ))
            .unwrap();
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&proposal_stream()),
            Some(ProposalPhase::InDecision)
        );
    }

    fn adopted() -> ProposalCommand {
        ProposalCommand::RecordDecision {
            round: stream(),
            result: DecisionResult::Adopted {
                review_date: at(60 * 24 * 180),
            },
        }
    }

    fn declined() -> ProposalCommand {
        ProposalCommand::RecordDecision {
            round: stream(),
            result: DecisionResult::Declined {},
        }
    }

    #[test]
    fn a_round_records_what_it_reached_in_its_proposal_and_both_pass_the_gate() {
        let (_, engine) = routed();
        in_decision(&engine);
        to_consented_on(&engine);
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&proposal_stream()),
            Some(ProposalPhase::InDecision),
            "consent alone does not decide the proposal"
        );

        // Nobody copies the round's result into the proposal by hand: the engine does.
        let before = engine.journal().read_all().unwrap().len();
        for by_hand in [adopted(), declined()] {
            let err = engine.handle(proposal(CO_1, 25, by_hand)).unwrap_err();
            assert!(
                matches!(&err, EngineError::RecordedByTheEngine { round, .. } if *round == stream()),
                "{err}"
            );
        }

        // Adopting the round without the evidence it does not hold is refused by the gate,
        // and nothing is written to either stream.
        let err = engine.handle(adopt()).unwrap_err();
        assert!(matches!(err, EngineError::Gate { .. }), "{err}");
        assert_eq!(engine.journal().read_all().unwrap().len(), before);

        // With it, the round's adoption and the proposal's are one batch, each through
        // its own gate; the proposal's record holds the round's.
        let written = engine.handle(adopt().with_evidence(evidence())).unwrap();
        let streams: Vec<&str> = written.iter().map(|e| e.stream.as_str()).collect();
        assert_eq!(
            streams,
            ["working-model", "working-model", "working-model-proposal"]
        );
        assert!(written.iter().filter(|e| e.event.gate().is_some()).count() == 2);
        assert!(written[2].last_in_batch && !written[1].last_in_batch);
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&proposal_stream()),
            Some(ProposalPhase::Adopted)
        );
        let record = engine.record(&proposal_stream(), at(40)).unwrap();
        assert_eq!(record.kind, DecisionKind::WorkingModel);
        assert_eq!(
            record.participants.as_ref().map(|p| p.len()),
            Some(3),
            "the round's participants"
        );
    }

    #[test]
    fn evidence_can_be_recorded_after_the_decision() {
        let (_, engine) = routed();
        to_consented(&engine);
        engine.handle(adopt().with_evidence(evidence())).unwrap();
        assert!(
            engine
                .record(&stream(), at(40))
                .unwrap()
                .publication
                .is_none()
        );

        let published = Evidence {
            publication: Some(Publication {
                published_at: at(60 * 24 * 2),
                redactions: Vec::new(),
            }),
            ..Evidence::default()
        };
        let note = Request::new(
            stream(),
            STAFF_2,
            at(60 * 24 * 2),
            ProcessCommand::Evidence {},
        );
        assert!(matches!(
            engine.handle(note.clone()),
            Err(EngineError::EvidenceRequired { .. })
        ));
        let written = engine.handle(note.with_evidence(published)).unwrap();
        assert_eq!(written.len(), 1);
        let record = engine.record(&stream(), at(60 * 24 * 3)).unwrap();
        assert_eq!(
            record.publication.map(|p| p.published_at),
            Some(at(60 * 24 * 2))
        );
        assert_eq!(
            engine.phase::<coproduction::ConsentProcess>(&stream()),
            Some(RoundPhase::Adopted)
        );
    }

    #[test]
    fn a_command_for_another_process_is_refused() {
        let community = community();
        let engine = Engine::open(
            community.clone(),
            None,
            Charter::default(),
            MemoryJournal::new(),
        )
        .unwrap();
        engine.handle(open(&community)).unwrap();
        let wrong = Request::new(
            stream(),
            CO_1,
            at(1),
            ProcessCommand::Proposal {
                command: ProposalCommand::StartCoCreation {},
            },
        );
        assert!(matches!(
            engine.handle(wrong),
            Err(EngineError::WrongProcess { .. })
        ));
    }

    /// A proposal whose round escalated the matter is published all the same, as rule T1
    /// asks of every decision: what is due names the publication, the steward publishes the
    /// record with its rationale, once, and the proposal stays escalated.
    #[test]
    fn a_proposal_escalated_by_its_round_is_published_and_stays_escalated() {
        use coproduction::engine::DueItem;
        let (community, engine) = routed();
        in_decision(&engine);
        let mut open = open(&community).deciding_for(proposal_stream());
        open.now = at(0);
        engine.handle(open).unwrap();
        for minute in 1..=3 {
            engine
                .handle(consent(CO_1, minute, RoundCommand::Advance {}))
                .unwrap();
        }
        let escalate = RoundCommand::Escalate {
            to: coproduction::community::BodyId::new("decision_circle").unwrap(),
            reason: "The team cannot settle the roles' pay alone".into(),
        };
        engine.handle(consent(CO_1, 5, escalate)).unwrap();
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&proposal_stream()),
            Some(ProposalPhase::Escalated)
        );
        let publication_due = |minute| {
            engine.due(at(minute)).into_iter().any(|d| {
                d.stream == proposal_stream() && matches!(d.item, DueItem::PublicationDue { .. })
            })
        };
        assert!(publication_due(10));
        let publish = || ProposalCommand::Publish {
            rationale: "The team asked the circle to weigh the roles' pay".into(),
            alternatives: vec!["Decide the roles without pay bands".into()],
        };
        engine.handle(proposal(CO_1, 20, publish())).unwrap();
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&proposal_stream()),
            Some(ProposalPhase::Escalated)
        );
        assert!(!publication_due(30));
        let record = engine.record(&proposal_stream(), at(30)).unwrap();
        assert_eq!(record.publication.map(|p| p.published_at), Some(at(20)));
        let err = engine.handle(proposal(CO_1, 31, publish())).unwrap_err();
        assert!(err.to_string().contains("phase `escalated`"), "{err}");
    }

    /// A round deciding for a proposal reaches its deadline, which defers it: a tick dated
    /// before the proposal's last event takes no step (the journal would say the proposal's
    /// round ended before what the proposal holds since), writes nothing and says why; a
    /// tick after it defers the round and records the deferral on the proposal.
    #[test]
    fn a_tick_dated_before_the_last_event_of_the_process_decided_for_takes_no_step() {
        use coproduction::consent::{AtDeadline, ConsentProcess, DeadlineStep, RoundPhase};
        use coproduction::process::PartCommand;
        let (community, engine) = routed();
        in_decision(&engine);
        let mut open = open(&community).deciding_for(proposal_stream());
        open.now = at(0);
        if let ProcessCommand::Consent {
            command: RoundCommand::Open { config },
        } = &mut open.command
        {
            config.time_box.deadline = Some(at(30));
            config.time_box.at_deadline = AtDeadline::Defer;
        }
        engine.handle(open).unwrap();
        let declare = PartCommand::DeclareInterests { interest: None };
        engine
            .handle(Request::new(proposal_stream(), CO_2, at(40), declare))
            .unwrap();
        let written = || engine.journal().read_all().unwrap().len();
        let before = written();
        let tick = engine.tick(at(35)).unwrap();
        assert!(tick.taken.is_empty(), "{tick:?}");
        let [refused] = tick.refused.as_slice() else {
            panic!("{tick:?}");
        };
        assert_eq!(
            (&refused.stream, refused.step),
            (&stream(), DeadlineStep::Defer)
        );
        assert!(
            refused.reason.contains(&proposal_stream().to_string()),
            "{}",
            refused.reason
        );
        assert_eq!(written(), before);
        assert_eq!(
            engine.phase::<ConsentProcess>(&stream()),
            Some(RoundPhase::Presented)
        );
        let tick = engine.tick(at(41)).unwrap();
        assert_eq!(tick.taken.len(), 1, "{tick:?}");
        assert_eq!(
            engine.phase::<ConsentProcess>(&stream()),
            Some(RoundPhase::Deferred)
        );
        let Some(ProcessState::Proposal(state)) = engine.state(&proposal_stream()) else {
            panic!("a proposal")
        };
        assert_eq!(state.phase(), ProposalPhase::InDecision);
        assert!(state.proposal().unwrap().current_round().is_none());
    }

    /// The round on the working model, deciding for the proposal that started it, run to
    /// consent.
    fn to_consented_on(engine: &Engine<MemoryJournal<coproduction::engine::EngineEvent>>) {
        let mut requests = to_consented_taking_part(&engine.community());
        requests[0] = requests[0].clone().deciding_for(proposal_stream());
        for request in requests {
            engine.handle(request).unwrap();
        }
    }
}
