//! Who a process names, and when and where it says things happened, are the community's
//! and the clock's to say, not the requester's: a round's roles are held by members, a
//! proposer who decides alone sits on the deciding body, a facilitator from outside it runs
//! the round but sets no finding aside, supporters are members; a round decides for a
//! process only about that process's kind, on its route, and not before it; a proposal's
//! roles are members; a join with a role beyond a community member's is a recruitment;
//! evidence attests only what has happened; a time box cannot have run out as the round
//! opens; free text holds no control or direction-override characters; no person holds
//! member number 0, the engine's own; and a role whose holder left the community is handed
//! on by whom it answers to, to a member who could hold it. Each refusal writes nothing.

use std::collections::BTreeSet;

use coproduction::community::MemberId;
use coproduction::consent::RoundCommand;
use coproduction::engine::{EngineError, Request};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::limits::InputError;
use coproduction::living::CommunityChange;
use coproduction::machine::RefusalKind;
use coproduction::{EngineEvent, ProcessCommand};

mod engine_support;

use engine_support::living;
use engine_support::*;

type TestEngine = coproduction::Engine<MemoryJournal<EngineEvent>>;

/// How many envelopes the engine's journal holds.
fn written(engine: &TestEngine) -> usize {
    engine.journal().read_all().unwrap().len()
}

/// Handles `json`, and on a refusal checks that nothing was written.
fn refused(engine: &TestEngine, json: &str) -> EngineError {
    let before = written(engine);
    let err = engine.handle_json(json).unwrap_err();
    assert!(err.is_refusal(), "{err}");
    assert_eq!(
        written(engine),
        before,
        "a refused request writes nothing: {err}"
    );
    err
}

/// A round opened on the route governance gives for `kind`, with `roles` as JSON.
fn open_on_route(stream: &str, kind: &str, roles: &str, extra: &str) -> String {
    format!(
        r#"{{"stream": "{stream}", "actor": 1, "now": "2022-09-01T10:00:00Z", "kind": "{kind}"{extra},
        "command": {{"process": "consent", "command": {{"type": "open_on_route",
        "title": "Book the hall for the pilot", "proposal": "Two afternoons a month.",
        "roles": {roles}}}}}}}"#
    )
}

/// The opening request of `open` with its config changed by `change`.
fn open_with(change: impl FnOnce(&mut coproduction::consent::RoundConfig)) -> Request {
    let mut request = open(&community());
    if let ProcessCommand::Consent {
        command: RoundCommand::Open { config },
    } = &mut request.command
    {
        change(config);
    }
    request
}

/// What `due` lists in `stream` at `minute`.
fn due_in(
    engine: &TestEngine,
    stream: &StreamId,
    minute: i64,
) -> Vec<coproduction::engine::DueItem> {
    engine
        .due(at(minute))
        .into_iter()
        .filter(|d| d.stream == *stream)
        .map(|d| d.item)
        .collect()
}

fn unwitnessed(err: &EngineError) -> &str {
    match err {
        EngineError::Unwitnessed { difference, .. } => difference,
        other => panic!("not unwitnessed: {other}"),
    }
}

#[test]
fn a_rounds_roles_are_held_by_members_of_the_community() {
    let engine = engine();
    for (roles, said) in [
        (
            r#"{"proposer": 1, "facilitator": 99, "secretary": 2}"#,
            "the round's facilitator, member m99, is not in the community",
        ),
        (
            r#"{"proposer": 1, "facilitator": 2, "secretary": 0}"#,
            "the round's secretary, member m0, is not in the community",
        ),
    ] {
        let err = refused(&engine, &open_on_route("hall", "operational", roles, ""));
        assert_eq!(unwitnessed(&err), said);
    }
}

/// The staff team decides operational matters by advice process: its proposer decides
/// alone. A community member outside the team, naming themselves to every role, would
/// decide for the staff team; they are refused, and a staff member is not.
#[test]
fn a_proposer_who_decides_alone_sits_on_the_deciding_body() {
    let engine = engine();
    let mut json = open_on_route(
        "hall",
        "operational",
        r#"{"proposer": 21, "facilitator": 21, "secretary": 21}"#,
        "",
    );
    json = json.replace(r#""actor": 1"#, r#""actor": 21"#);
    let err = refused(&engine, &json);
    assert_eq!(
        unwitnessed(&err),
        "member m21 would decide alone as the round's proposer, but does not sit on `staff_team`"
    );
    engine
        .handle_json(&open_on_route(
            "hall",
            "operational",
            r#"{"proposer": 1, "facilitator": 21, "secretary": 2}"#,
            "",
        ))
        .unwrap();
}

#[test]
fn supporters_are_other_members_for_members_who_are_eligible() {
    let engine = engine();
    let cases: [(Vec<(u64, u64)>, &str); 3] = [
        (
            vec![(13, 99)],
            "member m99 cannot support member m13: a supporter is another member of the community",
        ),
        (
            vec![(13, 13)],
            "member m13 cannot support member m13: a supporter is another member of the community",
        ),
        (
            vec![(21, 1)],
            "member m21 is given supporters but is not eligible in the round",
        ),
    ];
    for (pairs, said) in cases {
        let request = open_with(|config| {
            for (supported, supporter) in &pairs {
                config
                    .supporters
                    .entry(MemberId::new(*supported))
                    .or_insert_with(BTreeSet::new)
                    .insert(MemberId::new(*supporter));
            }
        });
        let err = engine.handle(request).unwrap_err();
        assert_eq!(unwitnessed(&err), said);
        assert_eq!(written(&engine), 1, "only the founding");
    }
    let supported = open_with(|config| {
        config
            .supporters
            .insert(CO_2, [MEMBER].into_iter().collect());
    });
    engine.handle(supported).unwrap();
}

/// Whoever opens a round names its facilitator; one from outside the deciding body runs
/// the round and attests evidence, but does not set the community's values aside.
#[test]
fn a_facilitator_from_outside_the_deciding_body_overrides_nothing() {
    let engine = engine();
    let opening = open_with(|config| config.roles.facilitator = MEMBER);
    engine.handle(opening).unwrap();
    let before = written(&engine);
    let err = engine.handle(acknowledge_allies_by(MEMBER)).unwrap_err();
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.starts_with("only the member who answers for the process may make an acknowledgement of I9")),
        "{err}"
    );
    assert_eq!(written(&engine), before);
    // They attest what no step witnesses, as any facilitator does.
    engine
        .handle_json(
            r#"{"stream": "working-model", "actor": 20, "now": "2022-08-20T13:00:00Z",
            "command": {"process": "evidence"}, "evidence": {"alternatives": ["Wait a year"]}}"#,
        )
        .unwrap();
}

/// A recruitment proposal: the staff team decides it by advice process.
const RECRUIT: &str = r#"{"stream": "allies", "actor": 1, "now": "2021-06-01T09:00:00Z", "kind": "recruitment",
    "command": {"process": "proposal", "command": {"type": "create", "config": {
    "id": 3, "title": "Rebalance the Allies Group", "kind": "recruitment",
    "text": "Recruit two allies with lived experience.",
    "roles": {"proposers": [1], "steward": 2, "members": [6]}}}}}"#;

#[test]
fn a_round_decides_for_a_process_only_about_its_kind_on_its_route_and_not_before_it() {
    let engine = engine();
    engine.handle_json(RECRUIT).unwrap();
    let roles = r#"{"proposer": 1, "facilitator": 2, "secretary": 3}"#;
    let round = |kind: &str, now: &str| {
        open_on_route("allies-round", kind, roles, r#", "decides_for": "allies""#)
            .replace("2022-09-01T10:00:00Z", now)
    };
    // About another kind: the matter would go to another body, by another method.
    let err = refused(&engine, &round("governance", "2021-06-02T09:00:00Z"));
    assert_eq!(
        err.to_string(),
        "stream `allies-round` cannot decide for `allies`: it is about `governance`, and `allies` about `recruitment`"
    );
    // Dated before the proposal it decides for was created.
    let err = refused(&engine, &round("recruitment", "2021-05-31T09:00:00Z"));
    let refusal = err.refusal().expect("a shared refusal");
    assert!(
        matches!(refusal.kind, RefusalKind::ClockWentBack { .. }),
        "{err}"
    );
    // On the proposal's kind, once the decision was started naming it, it follows the
    // proposal's route.
    for (minute, command) in [
        (1, r#"{"type": "start_co_creation"}"#),
        (
            2,
            r#"{"type": "link_feedback", "items": [1], "themes": []}"#,
        ),
        (3, r#"{"type": "mark_ready"}"#),
        (4, r#"{"type": "start_decision", "round": "allies-round"}"#),
    ] {
        engine
            .handle_json(&format!(
                r#"{{"stream": "allies", "actor": 2, "now": "2021-06-01T09:0{minute}:00Z",
                "command": {{"process": "proposal", "command": {command}}}}}"#
            ))
            .unwrap();
    }
    let started = engine
        .handle_json(&round("recruitment", "2021-06-02T09:00:00Z"))
        .unwrap();
    let route = match &started[0].event {
        EngineEvent::Started { route, .. } => route.as_deref().expect("routed").clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(route.decider.as_str(), "staff_team");
}

#[test]
fn a_proposals_roles_are_held_by_members_of_the_community() {
    let engine = engine();
    for (roles, said) in [
        (
            r#"{"proposers": [1], "steward": 99, "members": [6]}"#,
            "the proposal's steward, member m99, is not in the community",
        ),
        (
            r#"{"proposers": [1], "steward": 2, "members": [98]}"#,
            "the proposal's team member, member m98, is not in the community",
        ),
        (
            r#"{"proposers": [0], "steward": 2}"#,
            "the proposal's proposer, member m0, is not in the community",
        ),
    ] {
        let json = RECRUIT.replace(r#"{"proposers": [1], "steward": 2, "members": [6]}"#, roles);
        assert_eq!(unwitnessed(&refused(&engine, &json)), said);
    }
}

#[test]
fn joining_with_a_role_beyond_a_community_members_is_a_recruitment() {
    let engine = engine();
    let join = |roles: &str| {
        format!(
            r#"{{"stream": "community", "actor": 20, "now": "2022-09-01T10:00:00Z",
            "command": {{"process": "change", "change": {{"type": "join",
            "member": {{"id": 41, "name": "New member", "roles": {roles}}}}}}}}}"#
        )
    };
    for roles in [
        r#"["staff"]"#,
        r#"["community_member", "partner_representative"]"#,
    ] {
        let err = refused(&engine, &join(roles));
        assert!(err.to_string().contains("recruitment"), "{err}");
    }
    engine
        .handle_json(&join(r#"["community_member"]"#))
        .unwrap();
}

#[test]
fn evidence_attests_only_what_has_happened_by_the_time_it_is_given() {
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    let evidence = |fields: &str| {
        format!(
            r#"{{"stream": "working-model", "actor": 1, "now": "2022-08-20T13:00:00Z",
            "command": {{"process": "evidence"}}, "evidence": {fields}}}"#
        )
    };
    for (fields, fact) in [
        (
            r#"{"publication": {"published_at": "2030-01-01T00:00:00Z"}}"#,
            "publication.published_at",
        ),
        (
            r#"{"dates": {"session_at": "2022-08-21T13:00:00Z"}}"#,
            "dates.session_at",
        ),
        (
            r#"{"due_diligence": [{"check": "reputation", "required": true, "completed_at": "2023-01-01T00:00:00Z"}]}"#,
            "due_diligence.completed_at",
        ),
    ] {
        let err = refused(&engine, &evidence(fields));
        assert!(
            matches!(&err, EngineError::Unattested { reason, .. } if reason.starts_with(fact)),
            "{err}"
        );
    }
    // A review ahead, and facts already past, are taken.
    engine
        .handle_json(&evidence(
            r#"{"dates": {"session_at": "2022-08-20T12:00:00Z", "review_at": "2023-03-01T00:00:00Z"}}"#,
        ))
        .unwrap();
}

#[test]
fn a_time_box_cannot_have_run_out_as_the_round_opens() {
    let engine = engine();
    let request = open_with(|config| config.time_box.deadline = Some(at(-60)));
    let err = engine.handle(request).unwrap_err();
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::DateNotAhead {
                field: "time_box.deadline",
                ..
            })
        ),
        "{err}"
    );
    assert_eq!(written(&engine), 1, "only the founding");
}

#[test]
fn free_text_holds_no_control_or_direction_override_characters() {
    let engine = engine();
    let roles = r#"{"proposer": 1, "facilitator": 2, "secretary": 3}"#;
    for (title, code, at) in [
        (r"Book the \u0000hall", "U+0000", 10),
        (r"\u001b[31mBook the hall", "U+001B", 1),
        (r"Book the \u202ellah", "U+202E", 10),
        (r"Book\u0085 the hall", "U+0085", 5),
    ] {
        let json = open_on_route("hall", "operational", roles, "")
            .replace("Book the hall for the pilot", title);
        let err = refused(&engine, &json);
        let expected = InputError::HiddenCharacter {
            path: "command.command.title".into(),
            code: code.into(),
            at,
        };
        assert!(
            matches!(&err, EngineError::Input(input) if *input == expected),
            "{err}"
        );
    }
    // Line breaks and tabs are text.
    let json = open_on_route("hall", "operational", roles, "").replace(
        "Two afternoons a month.",
        r"Two afternoons\na month:\tTuesdays.",
    );
    engine.handle_json(&json).unwrap();
}

/// Member number 0 is the engine's own: what it does on its own (a founding, a tick's step)
/// is journalled by it, so no person may hold it.
#[test]
fn no_member_holds_the_engines_own_number() {
    let mut community = community();
    community
        .add_member(coproduction::community::Member::new(
            MemberId::new(0),
            "Engine",
        ))
        .unwrap();
    let refused_open = coproduction::Engine::builder(community.clone())
        .governance(governance(&engine_support::community()))
        .open(MemoryJournal::new());
    assert!(
        matches!(refused_open, Err(EngineError::EngineActorInCommunity)),
        "{refused_open:?}"
    );
    let engine = engine();
    let err = refused(
        &engine,
        r#"{"stream": "community", "actor": 20, "now": "2022-09-01T10:00:00Z",
        "command": {"process": "change", "change": {"type": "join",
        "member": {"id": 0, "name": "Engine"}}}}"#,
    );
    assert!(err.to_string().contains("member number 0"), "{err}");
}

#[test]
fn a_record_is_published_once_there_is_a_decision_and_not_before_it() {
    use coproduction::values::{Evidence, Publication, Status};
    let engine = engine();
    to_consented(&engine);
    let published = |minute: i64, on: i64| {
        Request::new(stream(), CO_1, at(minute), ProcessCommand::Evidence {}).with_evidence(
            Evidence {
                publication: Some(Publication {
                    published_at: at(on),
                    redactions: Vec::new(),
                }),
                ..Evidence::default()
            },
        )
    };
    // Consented, not yet adopted: there is no decision to publish.
    let before = written(&engine);
    let err = engine.handle(published(25, 25)).unwrap_err();
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.contains("nothing has been decided yet")),
        "{err}"
    );
    assert_eq!(written(&engine), before);
    // Adopted at minute 30; a publication dated before it is refused, one after it taken.
    engine.handle(adopt().with_evidence(evidence())).unwrap();
    let err = engine.handle(published(40, 29)).unwrap_err();
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.contains("before the decision it publishes")),
        "{err}"
    );
    engine.handle(published(40, 35)).unwrap();
    let report = engine.report(&stream(), at(41)).unwrap();
    let t1 = report.finding("T1").unwrap();
    assert_eq!(t1.status, Status::Satisfied, "{t1:?}");
}

/// A round's secretary leaves the community after the round consented: the outcome they
/// were to record is not lost. The facilitator hands their role on to a member of the
/// community, which the engine allows only once it sees the secretary has left; `due`
/// then awaits the new secretary, who records the outcome, and the record says who handed
/// the role on, from whom, to whom, and why.
#[test]
fn a_secretary_who_left_has_their_role_handed_on_and_the_outcome_is_recorded() {
    use coproduction::consent::HandedRole;
    use coproduction::engine::DueItem;
    let engine = engine();
    to_consented(&engine);
    let hand_on = |by: MemberId, minute: i64, to: MemberId| {
        let command = RoundCommand::HandOnRole {
            role: HandedRole::Secretary,
            to,
            reason: "The secretary has left the community".into(),
        };
        serde_json::to_string(&consent(by, minute, command)).unwrap()
    };
    // Not while the secretary is still a member.
    let err = refused(&engine, &hand_on(CO_1, 22, STAFF_1));
    assert!(unwitnessed(&err).contains("is in the community"), "{err}");

    let leave = living::change(STAFF_2, 25, CommunityChange::Leave { member: STAFF_2 });
    engine.handle(leave).unwrap();
    let awaited = |minute| {
        engine
            .due(at(minute))
            .into_iter()
            .find_map(|d| match d.item {
                DueItem::OutcomeAwaited { secretary, .. } => Some(secretary),
                _ => None,
            })
    };
    // Nothing is awaited of the secretary who left: their role is the facilitator's to
    // hand on.
    assert_eq!(awaited(26), None);
    let to_hand_on = engine.due(at(26)).into_iter().find_map(|d| match d.item {
        DueItem::RoleToHandOn { role, left, by, .. } => Some((role, left, by)),
        _ => None,
    });
    assert_eq!(
        to_hand_on,
        Some((HandedRole::Secretary, STAFF_2, Some(CO_1)))
    );
    let err = engine.handle(adopt()).unwrap_err();
    assert!(err.is_refusal(), "{err}");

    // Only the facilitator hands the secretary's role on, to a member of the community.
    let err = refused(&engine, &hand_on(CO_2, 27, STAFF_1));
    assert!(err.to_string().contains("facilitator"), "{err}");
    let err = refused(&engine, &hand_on(CO_1, 27, MemberId::new(999)));
    assert!(unwitnessed(&err).contains("not in the community"), "{err}");
    // Nor to one who stepped out of the decision.
    for (minute, command) in [
        (
            26,
            coproduction::process::PartCommand::DeclareInterests {
                interest: Some("I manage the pilot's budget".into()),
            },
        ),
        (
            27,
            coproduction::process::PartCommand::Recuse {
                reason: "I manage the pilot's budget".into(),
            },
        ),
    ] {
        engine
            .handle(Request::new(stream(), ALLY, at(minute), command))
            .unwrap();
    }
    let err = refused(&engine, &hand_on(CO_1, 27, ALLY));
    assert!(unwitnessed(&err).contains("stepped out"), "{err}");
    engine.handle_json(&hand_on(CO_1, 27, STAFF_1)).unwrap();
    assert_eq!(awaited(28), Some(STAFF_1));

    let outcome = RoundCommand::RecordOutcome {
        statement: "Piloted from March".into(),
        review_date: at(60 * 24 * 180),
    };
    engine
        .handle(consent(STAFF_1, 30, outcome).with_evidence(evidence()))
        .unwrap();
    assert_eq!(awaited(31), None);
    let record = engine.record(&stream(), at(31)).unwrap();
    assert_eq!(record.handovers.len(), 1);
    let handover = &record.handovers[0];
    assert_eq!(
        (
            handover.role.as_str(),
            handover.from,
            handover.to,
            handover.by
        ),
        ("secretary", STAFF_2, STAFF_1, CO_1)
    );
    let report = engine.report(&stream(), at(31)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(text.contains("the secretary's role passed from"), "{text}");
}

/// A round's facilitator leaves while it waits for them: its proposer hands the role on;
/// with the proposer gone too, its secretary; with all three gone, any member seated in the
/// round who is still in the community, whom `due` lists. Each in turn, and nobody before
/// them: the others are refused, naming who it falls to, and nothing is written.
#[test]
fn a_facilitator_who_left_is_handed_on_by_whoever_of_the_round_remains() {
    use coproduction::consent::{HandedRole, RoundPhase};
    use coproduction::engine::DueItem;
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    let awaited =
        |minute| -> Vec<DueItem> { engine.due(at(minute)).into_iter().map(|d| d.item).collect() };
    let facilitator_awaited = |facilitator| DueItem::FacilitatorAwaited {
        facilitator,
        phase: RoundPhase::Presented,
        since: at(0),
    };
    assert_eq!(awaited(1), [facilitator_awaited(CO_1)]);
    let hand_on = |by, seated| RoundCommand::HandOnRole {
        role: HandedRole::Facilitator,
        to: by,
        reason: format!("Our facilitator has left; member {seated} takes the role on"),
    };
    for (minute, leaving, by, seated, not_yet) in [
        (2, CO_1, Some(STAFF_1), vec![], vec![STAFF_2, CO_2]),
        (4, STAFF_1, Some(STAFF_2), vec![], vec![CO_2]),
        (6, STAFF_2, None, vec![CO_2], vec![]),
    ] {
        let leave = living::change(leaving, minute, CommunityChange::Leave { member: leaving });
        engine.handle(leave).unwrap();
        let due = |role, left| DueItem::RoleToHandOn {
            role,
            left,
            by,
            seated: seated.clone(),
        };
        // Once the proposer has left too, their role is to hand on as well, by whoever
        // hands on the facilitator's.
        let mut expected = vec![due(HandedRole::Facilitator, CO_1)];
        if leaving != CO_1 {
            expected.push(due(HandedRole::Proposer, STAFF_1));
        }
        assert_eq!(awaited(minute + 1), expected, "{leaving}");
        let first = by.map_or(String::new(), |by| {
            format!("member {by}, is in the community")
        });
        for member in not_yet {
            let before = written(&engine);
            let err = engine
                .handle(consent(member, minute + 1, hand_on(MEMBER, member)))
                .unwrap_err();
            assert!(unwitnessed(&err).contains(&first), "{member}: {err}");
            assert_eq!(written(&engine), before);
        }
    }
    // A member neither seated nor holding a role hands nothing on.
    let err = engine
        .handle(consent(MEMBER, 8, hand_on(MEMBER, MEMBER)))
        .unwrap_err();
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::WrongRole {
                role: "proposer, secretary or a member seated in it",
                ..
            })
        ),
        "{err}"
    );
    engine
        .handle(consent(CO_2, 9, hand_on(MEMBER, CO_2)))
        .unwrap();
    let proposers_role = proposers_role_handed_on_by(MEMBER);
    assert_eq!(awaited(10), [facilitator_awaited(MEMBER), proposers_role]);
    engine
        .handle(consent(MEMBER, 11, RoundCommand::Advance {}))
        .unwrap();
}

/// A round whose time box has passed, leaving the next step to its facilitator, who has left:
/// `due` lists the passed box and the facilitator's role to hand on.
#[test]
fn a_passed_time_box_awaiting_a_facilitator_who_left_lists_their_role_to_hand_on() {
    use coproduction::consent::{AtDeadline, HandedRole, RoundPhase};
    use coproduction::engine::DueItem;
    let engine = engine();
    engine
        .handle(open_with(|config| config.time_box.deadline = Some(at(30))))
        .unwrap();
    let leave = living::change(CO_1, 40, CommunityChange::Leave { member: CO_1 });
    engine.handle(leave).unwrap();
    let due: Vec<DueItem> = engine.due(at(41)).into_iter().map(|d| d.item).collect();
    assert_eq!(
        due,
        [
            DueItem::TimeBoxPassed {
                ended: at(30),
                phase: RoundPhase::Presented,
                at_deadline: AtDeadline::None,
                step: None,
            },
            DueItem::RoleToHandOn {
                role: HandedRole::Facilitator,
                left: CO_1,
                by: Some(STAFF_1),
                seated: vec![],
            }
        ]
    );
}

/// A member seated in the round who stepped out of the decision neither is listed among
/// those who may hand the facilitator's role on, once all who ran the round have left, nor
/// hands it on (nothing written).
#[test]
fn a_seated_member_who_stepped_out_hands_no_role_on() {
    use coproduction::consent::HandedRole;
    use coproduction::engine::DueItem;
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    step_out(
        &engine,
        &stream(),
        CO_2,
        1,
        "I would be paid under the model",
    );
    for (minute, leaving) in [(3, CO_1), (4, STAFF_1), (5, STAFF_2)] {
        let leave = living::change(leaving, minute, CommunityChange::Leave { member: leaving });
        engine.handle(leave).unwrap();
    }
    let due: Vec<DueItem> = engine.due(at(6)).into_iter().map(|d| d.item).collect();
    let to_hand_on = |role, left| DueItem::RoleToHandOn {
        role,
        left,
        by: None,
        seated: vec![],
    };
    assert_eq!(
        due,
        [
            to_hand_on(HandedRole::Facilitator, CO_1),
            to_hand_on(HandedRole::Proposer, STAFF_1)
        ]
    );
    let hand_on = RoundCommand::HandOnRole {
        role: HandedRole::Facilitator,
        to: MEMBER,
        reason: "Everyone who ran the round has left".into(),
    };
    let err = engine_support::refused(&engine, consent(CO_2, 7, hand_on));
    assert!(
        unwitnessed(&err).contains("member m14 stepped out of this decision"),
        "{err}"
    );
}

/// A seated member who leaves the community before responding or declaring is asked
/// nothing more: rules C1 and T4 do not count them as silent or undeclared, and the record
/// says they had left, and the metrics do not count them among those entitled to respond.
/// A member who left after the decision does not change it.
#[test]
fn a_member_who_left_before_responding_is_not_counted_silent_or_undeclared() {
    use coproduction::process::PartCommand;
    use coproduction::values::{Charter, Status};
    let community = community();
    let charter = Charter::from_json(
        r#"{"values": [{"id": "challenging"}, {"id": "transparent"}],
            "rules": [{"id": "C1"}, {"id": "T4"}]}"#,
    )
    .unwrap();
    let engine = coproduction::Engine::builder(community.clone())
        .governance(governance(&community))
        .charter(charter)
        .open(MemoryJournal::new())
        .unwrap();
    engine.handle(open(&community)).unwrap();
    for minute in 1..=3 {
        engine
            .handle(consent(CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    // Member 14 of the team leaves before responding or declaring.
    let leave = living::change(CO_2, 4, CommunityChange::Leave { member: CO_2 });
    engine.handle(leave).unwrap();
    for (n, who) in [STAFF_1, CO_1].into_iter().enumerate() {
        let declare = PartCommand::DeclareInterests { interest: None };
        engine
            .handle(Request::new(stream(), who, at(5 + n as i64), declare))
            .unwrap();
    }
    for (n, who) in [STAFF_1, CO_1].into_iter().enumerate() {
        let respond = RoundCommand::Respond {
            member: who,
            response: coproduction::Response::consent(),
        };
        engine.handle(consent(who, 10 + n as i64, respond)).unwrap();
    }
    // Everyone still in the community has answered: the facilitator is awaited, to close
    // the objection round they entered at minute 3.
    let due: Vec<_> = engine.due(at(15)).into_iter().map(|d| d.item).collect();
    assert_eq!(
        due,
        [coproduction::engine::DueItem::FacilitatorAwaited {
            facilitator: CO_1,
            phase: coproduction::consent::RoundPhase::ObjectionRound,
            since: at(3),
        }]
    );
    engine
        .handle(consent(CO_1, 20, RoundCommand::CloseRound {}))
        .unwrap();
    engine.handle(adopt()).unwrap();
    let record = engine.record(&stream(), at(31)).unwrap();
    let left: Vec<MemberId> = record
        .participants
        .as_ref()
        .unwrap()
        .iter()
        .filter(|p| p.left)
        .map(|p| p.member)
        .collect();
    assert_eq!(left, [CO_2]);
    let report = engine.report(&stream(), at(31)).unwrap();
    for rule in ["C1", "T4"] {
        let finding = report.finding(rule).unwrap();
        assert_eq!(finding.status, Status::Satisfied, "{finding:?}");
    }
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(text.contains("had left the community"), "{text}");
    // Nor do the metrics count them among those entitled to respond.
    let participation = |engine: &coproduction::Engine<MemoryJournal<_>>| {
        let metrics = engine.metrics(None).unwrap();
        let d = &metrics.decisions[0];
        (d.eligible, d.responded, d.participation)
    };
    let counted = participation(&engine);
    assert_eq!(counted, (2, 2, coproduction::community::Share::new(2, 2)));
    // One who leaves after the decision leaves its record and figures as they were.
    let later = living::change(CO_1, 40, CommunityChange::Leave { member: CO_1 });
    engine.handle(later).unwrap();
    let after = engine.record(&stream(), at(41)).unwrap();
    assert_eq!(after.participants, record.participants);
    assert_eq!(participation(&engine), counted);
}

/// The hall's advice process (an operational matter: the staff team decides by advice),
/// with member 1 its proposer and decider, member 3 its facilitator and member 2 its
/// secretary, in its objection round with advice from members 5 and 6 of the Allies Group,
/// whom the route consults (minutes 0 to 5).
fn hall_with_advice(engine: &TestEngine) -> StreamId {
    use coproduction::consent::Response;
    let open = open_on_route(
        "hall",
        "operational",
        r#"{"proposer": 1, "facilitator": 3, "secretary": 2}"#,
        "",
    )
    .replace("2022-09-01T10:00:00Z", &at(0).to_string());
    engine.handle_json(&open).unwrap();
    let hall = StreamId::new("hall").unwrap();
    let step = |actor: u64, minute, command| {
        let request = Request::new(
            hall.clone(),
            MemberId::new(actor),
            at(minute),
            ProcessCommand::Consent { command },
        );
        engine.handle(request).unwrap();
    };
    for minute in 1..=3 {
        step(3, minute, RoundCommand::Advance {});
    }
    for (member, minute, advice) in [
        (5, 4, "Ask the families which afternoons suit them"),
        (6, 5, "Check the lease allows weekday use"),
    ] {
        let response = Response::Advice {
            advice: advice.into(),
            affected: true,
            expertise: false,
        };
        let member = MemberId::new(member);
        step(
            member.get(),
            minute,
            RoundCommand::Respond { member, response },
        );
    }
    hall
}

/// An advice process waits for its decider once its advice is in; when the decider (its
/// proposer) leaves, nobody could answer the advice, decide or withdraw it: `due` lists the
/// proposer's role to hand on, by the facilitator, in place of the advice awaiting an
/// answer. It goes only to a member of the deciding body, and from the facilitator first;
/// the member who takes the proposal up answers the advice and decides, and the record
/// keeps who handed the role on.
#[test]
fn an_advice_process_whose_decider_left_is_taken_up_by_a_member_of_the_deciding_body() {
    use coproduction::consent::{HandedRole, RoundPhase};
    use coproduction::engine::DueItem;
    let engine = engine();
    let hall = hall_with_advice(&engine);
    let awaited = |minute| due_in(&engine, &hall, minute);
    let unanswered = DueItem::AdviceUnanswered {
        members: vec![MemberId::new(5), ALLY],
    };
    assert!(awaited(6).contains(&unanswered), "{:?}", awaited(6));
    let leave = living::change(STAFF_1, 7, CommunityChange::Leave { member: STAFF_1 });
    engine.handle(leave).unwrap();
    let to_hand_on = proposers_role_handed_on_by(MemberId::new(3));
    let due = awaited(8);
    assert!(due.contains(&to_hand_on), "{due:?}");
    assert!(!due.contains(&unanswered), "{due:?}");

    let hand_on = |by: u64, minute, to: u64| {
        let command = RoundCommand::HandOnRole {
            role: HandedRole::Proposer,
            to: MemberId::new(to),
            reason: "Our proposer has left; the hall booking is taken up".into(),
        };
        let request = Request::new(
            hall.clone(),
            MemberId::new(by),
            at(minute),
            ProcessCommand::Consent { command },
        );
        serde_json::to_string(&request).unwrap()
    };
    // Not to a member outside the staff team, who would decide alone.
    let err = refused(&engine, &hand_on(3, 9, 20));
    assert_eq!(
        unwitnessed(&err),
        "member m20, named to take the proposer's role, would decide alone but did not sit on `staff_team` when the round opened"
    );
    // Not by the secretary while the facilitator is in the community.
    let err = refused(&engine, &hand_on(2, 9, 4));
    assert!(
        unwitnessed(&err).contains("facilitator, member m3, is in the community"),
        "{err}"
    );
    // Nor by a member who holds none of the roles it answers to.
    let err = refused(&engine, &hand_on(4, 9, 4));
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::WrongRole {
                role: "facilitator, secretary or a member seated in it",
                ..
            })
        ),
        "{err}"
    );
    engine.handle_json(&hand_on(3, 10, 4)).unwrap();
    let due = awaited(11);
    assert!(due.contains(&unanswered), "{due:?}");
    assert!(!due.contains(&to_hand_on), "{due:?}");

    let step = |actor: u64, minute, command| {
        Request::new(
            hall.clone(),
            MemberId::new(actor),
            at(minute),
            ProcessCommand::Consent { command },
        )
    };
    for (minute, member, answer) in [
        (
            12,
            MemberId::new(5),
            "Asked them: Tuesdays and Thursdays suit most",
        ),
        (13, ALLY, "The lease allows weekday use"),
    ] {
        let answer = RoundCommand::AnswerAdvice {
            member,
            answer: answer.into(),
        };
        // The proposer who left answers nothing.
        let err = engine_support::refused(&engine, step(1, minute, answer.clone()));
        assert!(err.is_refusal(), "{err}");
        engine.handle(step(4, minute, answer)).unwrap();
    }
    assert!(
        awaited(14).contains(&DueItem::DecisionAwaited {
            decider: MemberId::new(4),
            phase: RoundPhase::ObjectionRound,
        }),
        "{:?}",
        awaited(14)
    );
    let decide = RoundCommand::Decide {
        adopt: true,
        rationale: "Two weekday afternoons, as the families asked".into(),
    };
    engine
        .handle(step(4, 15, decide).with_evidence(evidence()))
        .unwrap();
    let record = engine.record(&hall, at(16)).unwrap();
    let handover = record
        .handovers
        .iter()
        .map(|h| (h.role.as_str(), h.from, h.to, h.by))
        .collect::<Vec<_>>();
    assert_eq!(
        handover,
        [("proposer", STAFF_1, MemberId::new(4), MemberId::new(3))]
    );

    // Once it has decided, the proposer's role is done with: who decided stays who did,
    // whoever leaves after.
    let leave = living::change(
        MemberId::new(4),
        17,
        CommunityChange::Leave {
            member: MemberId::new(4),
        },
    );
    engine.handle(leave).unwrap();
    assert!(
        !awaited(18)
            .iter()
            .any(|item| matches!(item, DueItem::RoleToHandOn { .. })),
        "{:?}",
        awaited(18)
    );
    let err = refused(&engine, &hand_on(3, 18, 2));
    assert!(
        matches!(
            err.refusal().map(|r| &r.kind),
            Some(RefusalKind::WrongPhase { .. })
        ),
        "{err}"
    );
    let record = engine.record(&hall, at(19)).unwrap();
    let deciders: Vec<MemberId> = record
        .participants
        .iter()
        .flat_map(|p| p.iter().map(|p| p.member))
        .collect();
    assert_eq!(deciders, [MemberId::new(4)]);
}

/// A round deciding for a proposal whose proposer leaves: its proposer's role goes only to
/// a member who could have brought the round (who runs the proposal or sits on the body
/// that decides it), and the member who takes it up amends the proposal.
/// The proposer's role, `STAFF_1`'s, to hand on by `by`, as `due` lists it.
fn proposers_role_handed_on_by(by: MemberId) -> coproduction::engine::DueItem {
    coproduction::engine::DueItem::RoleToHandOn {
        role: coproduction::consent::HandedRole::Proposer,
        left: STAFF_1,
        by: Some(by),
        seated: vec![],
    }
}

/// `member` declares `interest` in `stream` and steps out of its decision, at `minute`.
fn step_out(engine: &TestEngine, stream: &StreamId, member: MemberId, minute: i64, interest: &str) {
    use coproduction::process::PartCommand;
    let declare = PartCommand::DeclareInterests {
        interest: Some(interest.into()),
    };
    let recuse = PartCommand::Recuse {
        reason: interest.into(),
    };
    for command in [declare, recuse] {
        let request = Request::new(stream.clone(), member, at(minute), command);
        engine.handle(request).unwrap();
    }
}

/// A proposal on the working model (minute 0) and its consent round, opened at minute 10
/// and moved on `advances` times by its facilitator (from minute 11): the proposal's stream
/// and the round's.
fn model_round(engine: &TestEngine, advances: i64) -> (StreamId, StreamId) {
    use coproduction::decision::DecisionKind;
    let model = StreamId::new("working-model-proposal").unwrap();
    living::propose(engine, &model, DecisionKind::WorkingModel, vec![], 0);
    let round = living::round_of(&model);
    let mut open = open(&community()).deciding_for(model.clone());
    open.stream = round.clone();
    open.now = at(10);
    engine.handle(open).unwrap();
    for minute in 11..11 + advances {
        engine
            .handle(round_step(&round, CO_1, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    (model, round)
}

/// `command` on `round` by `actor` at `minute`.
fn round_step(round: &StreamId, actor: MemberId, minute: i64, command: RoundCommand) -> Request {
    Request::new(
        round.clone(),
        actor,
        at(minute),
        ProcessCommand::Consent { command },
    )
}

#[test]
fn a_proposals_round_is_taken_up_only_by_one_who_could_have_brought_it() {
    use coproduction::consent::HandedRole;
    let engine = engine();
    let (_, round) = model_round(&engine, 2);
    let step = |actor, minute, command| round_step(&round, actor, minute, command);
    let leave = living::change(STAFF_1, 13, CommunityChange::Leave { member: STAFF_1 });
    engine.handle(leave).unwrap();
    let hand_on = |to| RoundCommand::HandOnRole {
        role: HandedRole::Proposer,
        to,
        reason: "Our proposer has left; the model is taken up".into(),
    };
    let err = engine_support::refused(&engine, step(CO_1, 14, hand_on(MEMBER)));
    assert_eq!(
        unwitnessed(&err),
        "member m20, named to take the proposer's role, neither ran `working-model-proposal` nor sat on the body that decides it when the round opened"
    );
    engine.handle(step(CO_1, 15, hand_on(CO_2))).unwrap();
    let amend = RoundCommand::Amend {
        text: "Pilot it for six months from April.".into(),
        answers: vec![],
    };
    let err = engine_support::refused(&engine, step(STAFF_1, 16, amend.clone()));
    assert!(err.is_refusal(), "{err}");
    engine.handle(step(CO_2, 16, amend)).unwrap();
}

/// Who stepped out of the process a round decides for stepped out of the round: `due`
/// names none of them to hand the proposer's role on, nor awaits their response, as the
/// engine takes neither from them.
#[test]
fn due_awaits_nobody_who_stepped_out_of_the_process_a_round_decides_for() {
    use coproduction::consent::{HandedRole, Response};
    use coproduction::engine::DueItem;
    let engine = engine();
    let (model, round) = model_round(&engine, 3);
    let step = |actor, minute, command| round_step(&round, actor, minute, command);
    // The facilitator steps out of the proposal, not of the round.
    step_out(&engine, &model, CO_1, 15, "I would lead the pilot");
    let respond = |member| RoundCommand::Respond {
        member,
        response: Response::consent(),
    };
    let err = engine_support::refused(&engine, step(CO_1, 16, respond(CO_1)));
    assert!(err.is_refusal(), "{err}");
    let awaited = |due: &[DueItem]| {
        due.iter()
            .find_map(|item| match item {
                DueItem::ResponsesAwaited { members, .. } => Some(members.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let due = due_in(&engine, &round, 16);
    assert!(!awaited(&due).is_empty(), "{due:?}");
    assert!(!awaited(&due).contains(&CO_1), "{due:?}");

    let leave = living::change(STAFF_1, 17, CommunityChange::Leave { member: STAFF_1 });
    engine.handle(leave).unwrap();
    let due = due_in(&engine, &round, 18);
    let by_secretary = proposers_role_handed_on_by(STAFF_2);
    assert!(due.contains(&by_secretary), "{due:?}");
    let hand_on = RoundCommand::HandOnRole {
        role: HandedRole::Proposer,
        to: CO_2,
        reason: "Our proposer has left; the model is taken up".into(),
    };
    let err = engine_support::refused(&engine, step(CO_1, 18, hand_on.clone()));
    assert!(unwitnessed(&err).contains("chooses nobody"), "{err}");
    engine.handle(step(STAFF_2, 19, hand_on)).unwrap();
}

/// A proposer who decides alone and steps out of the decision decides nothing and answers
/// no advice: their role is to hand on, as one who left, and `due` says so.
#[test]
fn a_decider_who_stepped_out_has_their_role_handed_on() {
    use coproduction::consent::HandedRole;
    use coproduction::engine::DueItem;
    let engine = engine();
    let hall = hall_with_advice(&engine);
    let request = |actor: u64, minute, command: ProcessCommand| {
        Request::new(hall.clone(), MemberId::new(actor), at(minute), command)
    };
    step_out(&engine, &hall, STAFF_1, 7, "My partner runs the hall");
    let consent = |command| ProcessCommand::Consent { command };
    let answer = consent(RoundCommand::AnswerAdvice {
        member: ALLY,
        answer: "The lease allows weekday use".into(),
    });
    let err = engine_support::refused(&engine, request(1, 8, answer));
    assert!(unwitnessed(&err).contains("member m1 stepped out"), "{err}");
    let decide = consent(RoundCommand::Decide {
        adopt: true,
        rationale: "Two weekday afternoons".into(),
    });
    let err = engine_support::refused(&engine, request(1, 8, decide));
    assert!(unwitnessed(&err).contains("decides nothing alone"), "{err}");

    let due: Vec<DueItem> = due_in(&engine, &hall, 9);
    let to_hand_on = proposers_role_handed_on_by(MemberId::new(3));
    assert!(due.contains(&to_hand_on), "{due:?}");
    assert!(
        !due.iter()
            .any(|item| matches!(item, DueItem::AdviceUnanswered { .. })),
        "{due:?}"
    );
    let hand_on = || {
        consent(RoundCommand::HandOnRole {
            role: HandedRole::Proposer,
            to: MemberId::new(4),
            reason: "Our proposer stepped out: their partner runs the hall".into(),
        })
    };
    // A facilitator who stepped out too chooses nobody to take the proposal up: the
    // secretary does.
    step_out(
        &engine,
        &hall,
        MemberId::new(3),
        9,
        "I rent the hall's office",
    );
    let err = engine_support::refused(&engine, request(3, 10, hand_on()));
    assert!(unwitnessed(&err).contains("chooses nobody"), "{err}");
    let due: Vec<DueItem> = due_in(&engine, &hall, 10);
    let by_secretary = proposers_role_handed_on_by(STAFF_2);
    assert!(due.contains(&by_secretary), "{due:?}");
    engine.handle(request(2, 11, hand_on())).unwrap();
}

/// The proposer's role goes to one who could have held it when the round opened: a member
/// appointed to the deciding body since would decide alone on a body the record does not
/// list them in.
#[test]
fn a_decider_is_taken_from_the_deciding_body_as_it_stood_when_the_round_opened() {
    use coproduction::community::BodyId;
    use coproduction::consent::HandedRole;
    use coproduction::decision::DecisionKind;
    // Under a charter that asks only for a rationale: this is about who decides, not the
    // evidence a decision needs.
    let engine = living::open_on(MemoryJournal::new());
    let hall = hall_with_advice(&engine);
    let appointment = StreamId::new("appoint-to-staff").unwrap();
    let appoint = CommunityChange::Appoint {
        body: BodyId::new("staff_team").unwrap(),
        members: vec![MEMBER],
    };
    living::propose(
        &engine,
        &appointment,
        DecisionKind::Recruitment,
        vec![appoint],
        6,
    );
    engine.handle(living::adopt(&appointment, 12)).unwrap();
    let staff = BodyId::new("staff_team").unwrap();
    assert!(engine.community().body(&staff).unwrap().contains(MEMBER));
    let leave = living::change(STAFF_1, 14, CommunityChange::Leave { member: STAFF_1 });
    engine.handle(leave).unwrap();
    let hand_on = |minute, to| {
        let command = RoundCommand::HandOnRole {
            role: HandedRole::Proposer,
            to,
            reason: "Our proposer has left".into(),
        };
        Request::new(
            hall.clone(),
            MemberId::new(3),
            at(minute),
            ProcessCommand::Consent { command },
        )
    };
    let err = engine_support::refused(&engine, hand_on(15, MEMBER));
    assert_eq!(
        unwitnessed(&err),
        "member m20, named to take the proposer's role, would decide alone but did not sit on `staff_team` when the round opened"
    );
    engine.handle(hand_on(16, MemberId::new(4))).unwrap();
}
