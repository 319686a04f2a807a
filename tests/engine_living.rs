//! The living community through the engine: members' own changes on the community's
//! stream, changes a decision adopts, a governance map that changes who decides, and a
//! journal that opens from its founding alone.

mod engine_support;

use coproduction::Community;
use coproduction::community::{BodyId, MemberId};
use coproduction::decision::DecisionKind;
use coproduction::decision::Method;
use coproduction::engine::ProcessState;
use coproduction::engine::{Engine, EngineError, EngineEvent, ProcessCommand, Request};
use coproduction::funding::{FundingCommand, FundingPolicy, Offer};
use coproduction::governance::GovernanceMap;
use coproduction::governance::{Procedure, Route};
use coproduction::hash::Hash;
use coproduction::journal::{FileJournal, Journal, MemoryJournal, StreamId};
use coproduction::living::{self, CommunityChange, LivingError, LivingEvent};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::CharterAdoption;
use engine_support::living::{
    adopt, allies, change, declares, dissolve, joiner, joins, light_charter, newcomer, open_on,
    proposal, proposal_requests, propose, propose_from,
};
use engine_support::{ALLY, CO_1, STAFF_1, at, community, governance, refused};
use proptest::prelude::*;

type TestEngine = Engine<MemoryJournal<EngineEvent>>;

/// In the whole community only, and records no lived experience.
const MEMBER: MemberId = MemberId::new(21);

fn engine() -> TestEngine {
    open_on(MemoryJournal::new())
}

fn figures(engine: &TestEngine, minute: i64) -> (usize, usize) {
    let f = engine
        .community_at(at(minute))
        .unwrap()
        .figures(&allies())
        .unwrap();
    (f.size, f.lived_experience)
}

/// The community's own events in the journal.
fn history_events(engine: &TestEngine) -> Vec<LivingEvent> {
    engine
        .journal()
        .read_all()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.event {
            EngineEvent::Community { event } => Some(event),
            _ => None,
        })
        .collect()
}

#[test]
fn a_new_journal_opens_with_its_founding() {
    let engine = engine();
    let events = history_events(&engine);
    assert_eq!(events.len(), 1);
    let LivingEvent::Founded {
        community: founded,
        governance,
        charter,
        ..
    } = &events[0]
    else {
        panic!("a founding first: {events:?}");
    };
    assert_eq!(*founded, community());
    assert_eq!(
        governance.as_deref(),
        Some(engine_support::governance(&community()).map())
    );
    assert_eq!(charter.hash(), light_charter().hash());
    assert_eq!(
        engine.journal().read_all().unwrap()[0].actor,
        coproduction::engine::ENGINE_ACTOR
    );
}

#[test]
fn a_member_makes_their_own_changes_and_nobody_elses() {
    let engine = engine();
    let declared = r#"{"stream": "community", "actor": 21, "now": "2022-08-20T13:00:00Z",
        "command": {"process": "change", "change": {"type": "lived_experience", "member": 21, "declared": true}}}"#;
    engine.handle_json(declared).unwrap();
    let before = engine.community_at(at(-1)).unwrap();
    assert!(!before.member(MEMBER).unwrap().lived_experience);
    assert!(engine.community().member(MEMBER).unwrap().lived_experience);
    // Declared again, it changes nothing, and nothing is journalled.
    let written = engine.journal().read_all().unwrap().len();
    let err = engine.handle_json(declared).unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::ChangesNothing { .. },
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);

    let written = engine.journal().read_all().unwrap().len();
    // Another member cannot declare it for them.
    let forged = change(
        CO_1,
        200,
        CommunityChange::LivedExperience {
            member: MEMBER,
            declared: false,
        },
    );
    let err = engine.handle(forged).unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::NotOwnChange { member, .. },
                ..
            } if *member == MEMBER
        ),
        "{err}"
    );
    // Joining a body that decides needs a decision.
    let appoint = change(
        ALLY,
        200,
        CommunityChange::Appoint {
            body: allies(),
            members: vec![MEMBER],
        },
    );
    let err = engine.handle(appoint).unwrap_err();
    assert!(
        err.to_string().contains("needs a recruitment decision"),
        "{err}"
    );
    // Dated before the last change, the journal's last event.
    let backdated = change(
        MEMBER,
        -50,
        CommunityChange::LivedExperience {
            member: MEMBER,
            declared: false,
        },
    );
    let err = engine.handle(backdated).unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Change {
                source: LivingError::BeforeJournal { .. },
                ..
            }
        ),
        "{err}"
    );
    // Someone who is not a member.
    let stranger = change(
        MemberId::new(99),
        200,
        CommunityChange::Join {
            member: newcomer(29),
        },
    );
    assert!(matches!(
        engine.handle(stranger),
        Err(EngineError::UnknownActor { .. })
    ));
    // The community's stream takes nothing else, and a change goes nowhere else.
    let elsewhere = Request::new(
        StreamId::new("working-model").unwrap(),
        MEMBER,
        at(200),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Leave { member: MEMBER }),
        },
    );
    assert!(matches!(
        engine.handle(elsewhere),
        Err(EngineError::ReservedStream { .. })
    ));
    let round_there = Request::new(
        living::stream(),
        STAFF_1,
        at(200),
        ProcessCommand::Part {
            command: coproduction::process::PartCommand::DeclareInterests { interest: None },
        },
    );
    assert!(matches!(
        engine.handle(round_there),
        Err(EngineError::ReservedStream { .. })
    ));
    assert_eq!(engine.journal().read_all().unwrap().len(), written);

    // A member records a join; the joiner is in the whole community from then on.
    engine
        .handle(change(
            STAFF_1,
            300,
            CommunityChange::Join {
                member: newcomer(29),
            },
        ))
        .unwrap();
    let whole = BodyId::new("whole_community").unwrap();
    assert!(
        engine
            .community()
            .body(&whole)
            .unwrap()
            .contains(MemberId::new(29))
    );
    assert!(
        engine
            .community_at(at(299))
            .unwrap()
            .member(MemberId::new(29))
            .is_none()
    );
}

#[test]
fn a_recruitment_adopted_brings_new_members_into_the_group_in_one_batch() {
    let engine = engine();
    let stream = StreamId::new("allies-recruitment").unwrap();
    let wave = vec![
        CommunityChange::Join { member: joiner(29) },
        CommunityChange::Join { member: joiner(30) },
        CommunityChange::Appoint {
            body: allies(),
            members: vec![MemberId::new(29), MemberId::new(30)],
        },
    ];
    propose(&engine, &stream, DecisionKind::Recruitment, wave, 0);
    let before = figures(&engine, 10);
    let written = engine.handle(adopt(&stream, 10)).unwrap();
    // Once in, the joiners declare their lived experience themselves.
    for id in [29, 30] {
        engine.handle(declares(id, 10)).unwrap();
    }
    // The adoption and the three changes, in one batch that the last event closes.
    let changes: Vec<_> = written
        .iter()
        .filter(|e| e.stream == living::stream())
        .collect();
    assert_eq!(changes.len(), 3);
    assert!(written.last().unwrap().last_in_batch);
    assert!(written.iter().rev().skip(1).all(|e| !e.last_in_batch));
    for e in &changes {
        assert!(matches!(
            &e.event,
            EngineEvent::Community {
                event: LivingEvent::Changed { decided_by: Some(by), .. }
            } if *by == stream
        ));
    }
    let after = figures(&engine, 10);
    assert_eq!(after, (before.0 + 2, before.1 + 2));
    assert_eq!(figures(&engine, 9), before);
}

#[test]
fn a_change_the_decision_cannot_make_stops_the_adoption_and_writes_nothing() {
    let engine = engine();
    let stream = StreamId::new("quiet-restructure").unwrap();
    // A recruitment cannot dissolve a body: that is a governance decision. The proposal
    // is refused when it is created, before anyone is asked to decide it.
    let dissolve = vec![CommunityChange::DissolveBody { body: allies() }];
    let create = creating(&stream, DecisionKind::Recruitment, dissolve, None, 0);
    let err = refused(&engine, create);
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::NeedsDecision {
                    kind: DecisionKind::Governance,
                    ..
                },
                ..
            }
        ),
        "{err}"
    );
    assert!(engine.community().body(&allies()).is_some());

    // Appointing someone who has left is refused at adoption, naming who.
    let stream = StreamId::new("late-appointment").unwrap();
    engine
        .handle(change(
            MEMBER,
            20,
            CommunityChange::Leave { member: MEMBER },
        ))
        .unwrap();
    let appoint = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MEMBER],
    }];
    propose(&engine, &stream, DecisionKind::Recruitment, appoint, 30);
    let err = refused(&engine, adopt(&stream, 40));
    assert!(err.to_string().contains("unknown member m21"), "{err}");
}

/// The seed map with recruitment decided by the decision circle, by consent.
fn recruitment_by_the_circle() -> GovernanceMap {
    let mut map: serde_json::Value =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    for edge in map["edges"].as_array_mut().unwrap() {
        if edge["kind"] == "recruitment" && edge["type"] == "decides" {
            edge["body"] = "decision_circle".into();
            edge["method"] = serde_json::json!({"type": "consent"});
        }
    }
    serde_json::from_value(map).unwrap()
}

fn route_of(engine: &TestEngine, stream: &StreamId) -> BodyId {
    let Some(ProcessState::Proposal(state)) = engine.state(stream) else {
        panic!("a proposal on {stream}");
    };
    state
        .proposal()
        .unwrap()
        .route()
        .unwrap()
        .deciding_body
        .clone()
}

/// A round deciding for a proposal follows the proposal's route, and names the map that
/// gave it: the one in force when the proposal opened, not a map adopted since, which
/// would route the decision elsewhere.
#[test]
fn a_round_names_the_map_that_routed_the_proposal_it_decides_for() {
    let engine = engine();
    let model = StreamId::new("working-model-proposal").unwrap();
    propose(&engine, &model, DecisionKind::WorkingModel, vec![], 0);
    let governance = StreamId::new("who-recruits").unwrap();
    propose(
        &engine,
        &governance,
        DecisionKind::Governance,
        vec![CommunityChange::Governance {
            map: recruitment_by_the_circle(),
        }],
        10,
    );
    engine.handle(adopt(&governance, 20)).unwrap();
    let founding_map =
        coproduction::living::governance_hash(engine_support::governance(&community()).map());
    let new_map = coproduction::living::governance_hash(&recruitment_by_the_circle());

    let round = engine_support::living::round_of(&model);
    let mut open = engine_support::open(&community()).deciding_for(model.clone());
    open.stream = round.clone();
    open.now = at(30);
    let written = engine.handle(open).unwrap();
    let EngineEvent::Started { routed_by, .. } = &written[0].event else {
        panic!("{:?}", written[0].event);
    };
    assert_eq!(*routed_by, Some(founding_map));
    let history = engine.history().unwrap();
    let streams = coproduction::process::Streams::replay(&engine.journal().read_all().unwrap());
    for stream in [&model, &round] {
        assert_eq!(
            streams.get(stream).unwrap().routed_by(&history),
            Some(founding_map),
            "{stream}"
        );
    }
    assert_eq!(history.current().governance_hash(), Some(new_map));
}

#[test]
fn a_governance_decision_changes_who_decides_from_then_on() {
    let engine = engine();
    let earlier = StreamId::new("first-recruitment").unwrap();
    propose(&engine, &earlier, DecisionKind::Recruitment, vec![], 0);
    assert_eq!(route_of(&engine, &earlier).as_str(), "staff_team");

    let governance = StreamId::new("who-recruits").unwrap();
    let new_map = recruitment_by_the_circle();
    propose(
        &engine,
        &governance,
        DecisionKind::Governance,
        vec![CommunityChange::Governance {
            map: new_map.clone(),
        }],
        10,
    );
    engine.handle(adopt(&governance, 20)).unwrap();
    assert_eq!(engine.governance().unwrap().map(), &new_map);

    let later = StreamId::new("second-recruitment").unwrap();
    propose(&engine, &later, DecisionKind::Recruitment, vec![], 30);
    assert_eq!(route_of(&engine, &later).as_str(), "decision_circle");
    engine.handle(adopt(&later, 40)).unwrap();
    // Each decision's gate names the map it was routed by: the governance decision the
    // founding's, the later recruitment the new one.
    let founding_map =
        coproduction::living::governance_hash(engine_support::governance(&community()).map());
    assert_eq!(engine.gates(&governance)[0].governance, Some(founding_map));
    assert_eq!(
        engine.gates(&later)[0].governance,
        Some(coproduction::living::governance_hash(&new_map))
    );
    // The earlier process keeps the route it opened on.
    assert_eq!(route_of(&engine, &earlier).as_str(), "staff_team");
    let history = engine.history().unwrap();
    assert_eq!(history.versions().count(), 2);
    assert_ne!(
        history.founding().governance_hash(),
        history.current().governance_hash()
    );
}

/// The Allies Group advises on funding and recruitment: released all at once, no decision of
/// those kinds could gather the advice it must answer, so the release is refused.
#[test]
fn a_release_that_would_empty_an_advising_body_is_refused_at_adoption() {
    let engine = engine();
    let stream = StreamId::new("release-all-allies").unwrap();
    let everyone = vec![CommunityChange::Release {
        body: allies(),
        members: (5..=12).map(MemberId::new).collect(),
    }];
    propose(&engine, &stream, DecisionKind::Recruitment, everyone, 0);
    let err = refused(&engine, adopt(&stream, 10));
    assert!(
        matches!(&err, EngineError::ChangeNotAdopted { .. })
            && err.to_string().contains("advises on"),
        "{err}"
    );
    assert_eq!(engine.community().body(&allies()).unwrap().len(), 8);
}

#[test]
fn a_map_that_does_not_validate_is_refused_at_adoption_with_its_problems() {
    let engine = engine();
    let stream = StreamId::new("route-to-nobody").unwrap();
    // Recruitment decided by a body the community does not have.
    let mut map: serde_json::Value =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    for edge in map["edges"].as_array_mut().unwrap() {
        if edge["kind"] == "recruitment" && edge["type"] == "decides" {
            edge["body"] = "hiring_panel".into();
        }
    }
    let broken: GovernanceMap = serde_json::from_value(map).unwrap();
    propose(
        &engine,
        &stream,
        DecisionKind::Governance,
        vec![CommunityChange::Governance { map: broken }],
        0,
    );
    let err = refused(&engine, adopt(&stream, 10));
    assert!(
        matches!(
            &err,
            EngineError::ChangeNotAdopted {
                source: LivingError::Governance { .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("hiring_panel"), "{err}");
    assert_eq!(
        engine.governance().unwrap().map(),
        governance(&community()).map()
    );
}

#[test]
fn a_journal_opens_from_its_founding_and_refuses_another_community() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    {
        let (journal, _) = FileJournal::open(&path).unwrap();
        let engine = open_on(journal);
        engine
            .handle(change(
                STAFF_1,
                0,
                CommunityChange::Join {
                    member: newcomer(29),
                },
            ))
            .unwrap();
    }
    // Edited since: member 21 now declares lived experience in the file.
    let mut edited: Community = community();
    edited.set_lived_experience(MEMBER, true).unwrap();
    let (journal, _) = FileJournal::open(&path).unwrap();
    let refused = Engine::builder(edited)
        .governance(governance(&community()))
        .charter(light_charter())
        .open(journal);
    let err = refused.unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::NotTheFounding {
                part: "community",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("founded with another community"),
        "{err}"
    );

    let (journal, _) = FileJournal::open(&path).unwrap();
    let reopened = Engine::from_journal(journal).unwrap();
    assert!(reopened.community().member(MemberId::new(29)).is_some());
    assert_eq!(reopened.charter_hash(), light_charter().hash());
    assert!(
        reopened
            .community_at(at(-1))
            .unwrap()
            .member(MemberId::new(29))
            .is_none()
    );
    drop(reopened);
    // The same parts as the founding open it too.
    let (journal, _) = FileJournal::open(&path).unwrap();
    assert!(
        Engine::builder(community())
            .governance(governance(&community()))
            .charter(light_charter())
            .open(journal)
            .is_ok()
    );
    // An empty journal has no founding to open from.
    assert!(matches!(
        Engine::from_journal(MemoryJournal::new()),
        Err(EngineError::NoFounding)
    ));
}

/// A new journal holding every event of `engine`'s, written again one by one.
fn copy_of(engine: &TestEngine) -> MemoryJournal<EngineEvent> {
    let copy = MemoryJournal::new();
    for e in engine.journal().read_all().unwrap() {
        let event = coproduction::journal::NewEvent::new(e.actor, e.time, e.event);
        copy.append(&e.stream, e.seq - 1, vec![event]).unwrap();
    }
    copy
}

/// A member's own change, from a small alphabet.
#[derive(Debug, Clone)]
enum Step {
    Join(u64),
    Leave(u64),
    Declare(u64, bool),
    /// Sent on its own: needs a decision.
    Appoint(u64),
    /// Carried by a recruitment proposal, adopted, in force from the adoption or the
    /// given number of minutes after it.
    Recruit(u64, Option<i64>),
    /// A governance decision giving recruitment to the decision circle (or back to the
    /// staff team), in force from the adoption or the given number of minutes after it.
    Govern(bool, Option<i64>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (29u64..34).prop_map(Step::Join),
        (15u64..34).prop_map(Step::Leave),
        (15u64..34, any::<bool>()).prop_map(|(m, d)| Step::Declare(m, d)),
        (15u64..34).prop_map(Step::Appoint),
        (15u64..34, prop::option::of(0i64..40)).prop_map(|(m, later)| Step::Recruit(m, later)),
        (any::<bool>(), prop::option::of(0i64..40))
            .prop_map(|(circle, later)| Step::Govern(circle, later)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever members change, refused or taken, replaying the journal gives the same
    /// community at every point in time, a refused change leaves no trace, and no change
    /// that needs a decision takes effect without one.
    #[test]
    fn replay_gives_the_same_community_at_every_time(steps in prop::collection::vec(step(), 1..24)) {
        let engine = engine();
        for (i, step) in steps.iter().enumerate() {
            let minute = i as i64 * 10;
            let appoint = |m: u64| CommunityChange::Appoint { body: allies(), members: vec![MemberId::new(m)] };
            let (actor, change) = match *step {
                Step::Join(m) => (STAFF_1, CommunityChange::Join { member: newcomer(m) }),
                Step::Leave(m) => (MemberId::new(m), CommunityChange::Leave { member: MemberId::new(m) }),
                Step::Declare(m, declared) => (MemberId::new(m), CommunityChange::LivedExperience { member: MemberId::new(m), declared }),
                Step::Appoint(m) => (ALLY, appoint(m)),
                Step::Recruit(..) | Step::Govern(..) => {
                    let stream = StreamId::new(&format!("decision-{i}")).unwrap();
                    let (kind, change, later) = match *step {
                        Step::Recruit(m, later) => (DecisionKind::Recruitment, appoint(m), later),
                        Step::Govern(circle, later) => {
                            let map = if circle { recruitment_by_the_circle() } else { governance(&community()).map().clone() };
                            (DecisionKind::Governance, CommunityChange::Governance { map }, later)
                        }
                        _ => unreachable!(),
                    };
                    let from = later.map(|later| at(minute + 8 + later));
                    propose_from(&engine, &stream, kind, vec![change], from, minute);
                    let before = engine.journal().read_all().unwrap().len();
                    // Taken with the adoption, or the adoption refused and nothing written.
                    match engine.handle(adopt(&stream, minute + 8)) {
                        Ok(written) => prop_assert_eq!(
                            written.iter().filter(|e| e.stream == living::stream()).count(),
                            1
                        ),
                        Err(_) => prop_assert_eq!(engine.journal().read_all().unwrap().len(), before),
                    }
                    continue;
                }
            };
            let before = engine.journal().read_all().unwrap().len();
            let taken = engine.handle(self::change(actor, minute, change)).is_ok();
            let after = engine.journal().read_all().unwrap().len();
            prop_assert_eq!(after, before + usize::from(taken));
        }
        let replayed = Engine::from_journal(copy_of(&engine)).unwrap();
        // Every change that needed a decision names the one that adopted it.
        let history = engine.history().unwrap();
        for e in engine.journal().read_all().unwrap() {
            if let EngineEvent::Community { event: LivingEvent::Changed { change, decided_by, .. } } = e.event {
                let community = history.at(e.time - jiff::SignedDuration::from_nanos(1)).community().clone();
                if change.needs_decision(&community).is_some() {
                    prop_assert!(decided_by.is_some(), "{change:?}");
                }
            }
        }
        let replayed_history = replayed.history().unwrap();
        for minute in (-10..steps.len() as i64 * 10 + 60).step_by(5) {
            prop_assert_eq!(engine.community_at(at(minute)), replayed.community_at(at(minute)));
            let (ours, theirs) = (history.at(at(minute)), replayed_history.at(at(minute)));
            prop_assert_eq!(ours.governance_hash(), theirs.governance_hash());
            prop_assert_eq!(ours.charter_hash(), theirs.charter_hash());
            // And every process's record, as it stood then, with the gates it passed.
            for stream in engine.streams() {
                prop_assert_eq!(engine.record(&stream, at(minute)), replayed.record(&stream, at(minute)));
                prop_assert_eq!(engine.gates(&stream), replayed.gates(&stream));
            }
        }
    }
}

/// Members 41 and 42 join (and declare their lived experience); a recruitment proposed
/// from minute 30 appoints them to the Allies Group from minute `from`, to be adopted.
fn wave_from(from: i64) -> (TestEngine, StreamId) {
    let engine = engine();
    for id in [41, 42] {
        joins(&engine, MEMBER, 0, id);
    }
    let wave = StreamId::new("allies-wave").unwrap();
    let appoint = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(41), MemberId::new(42)],
    }];
    propose_from(
        &engine,
        &wave,
        DecisionKind::Recruitment,
        appoint,
        Some(at(from)),
        30,
    );
    (engine, wave)
}

#[test]
fn a_change_adopted_to_take_effect_later_is_in_force_from_then_and_not_before() {
    // Adopted at minute 40, in force from minute 1,000.
    let (engine, wave) = wave_from(1_000);
    let before = figures(&engine, 39);
    engine.handle(adopt(&wave, 40)).unwrap();
    assert_eq!(figures(&engine, 40), before);
    assert_eq!(figures(&engine, 999), before);
    assert_eq!(figures(&engine, 1_000), (before.0 + 2, before.1 + 2));
    let Some(LivingEvent::Changed {
        from, decided_by, ..
    }) = history_events(&engine).pop()
    else {
        panic!("the wave's change last");
    };
    assert_eq!((from, decided_by), (Some(at(1_000)), Some(wave.clone())));

    // A member's own change meanwhile applies beneath the scheduled wave, and a member
    // appointed by it may still leave: the wave lapses for them, as the history says.
    joins(&engine, MEMBER, 50, 43);
    engine
        .handle(change(
            MemberId::new(41),
            60,
            CommunityChange::Leave {
                member: MemberId::new(41),
            },
        ))
        .unwrap();
    assert_eq!(figures(&engine, 1_000), (before.0 + 1, before.1 + 1));
    let history = engine.history().unwrap();
    let april = history.at(at(1_000));
    assert!(april.community().member(MemberId::new(43)).is_some());
    assert!(april.community().member(MemberId::new(41)).is_none());
    assert_eq!(
        april.entry().unwrap().lapsed,
        std::collections::BTreeSet::from([MemberId::new(41)])
    );

    // Replayed from the journal alone, the same versions at the same times.
    let replayed = Engine::from_journal(copy_of(&engine)).unwrap();
    for minute in [39, 999, 1_000] {
        assert_eq!(
            replayed.community_at(at(minute)),
            engine.community_at(at(minute))
        );
    }
}

#[test]
fn a_stated_time_already_past_at_adoption_means_from_the_adoption() {
    let engine = engine();
    joins(&engine, MEMBER, 0, 41);
    let wave = StreamId::new("allies-wave").unwrap();
    let appoint = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(41)],
    }];
    propose_from(
        &engine,
        &wave,
        DecisionKind::Recruitment,
        appoint,
        Some(at(5)),
        30,
    );
    let before = figures(&engine, 39);
    engine.handle(adopt(&wave, 40)).unwrap();
    // Never backdated: from the adoption, not minute 5.
    assert_eq!(figures(&engine, 39), before);
    assert_eq!(figures(&engine, 40), (before.0 + 1, before.1 + 1));
    let Some(LivingEvent::Changed { from, .. }) = history_events(&engine).pop() else {
        panic!("the wave's change last");
    };
    assert_eq!(from, None);
}

fn betting_offer() -> Offer {
    Offer::new(
        DecisionKind::Funding,
        "A betting company",
        "Gambling",
        "Sponsorship of the summer event",
    )
    .amount(1_500)
}

fn identify(stream: &StreamId, minute: i64, policy: Option<FundingPolicy>) -> Request {
    Request::new(
        stream.clone(),
        STAFF_1,
        at(minute),
        ProcessCommand::Funding {
            command: FundingCommand::Identify {
                offer: Box::new(betting_offer()),
                policy: policy.map(Box::new),
            },
        },
    )
}

/// The route the engine journalled when the process on `stream` opened.
fn started_route(engine: &TestEngine, stream: &StreamId) -> Route {
    engine
        .journal()
        .read_all()
        .unwrap()
        .into_iter()
        .find_map(|e| match e.event {
            EngineEvent::Started { route, .. } if e.stream == *stream => route,
            _ => None,
        })
        .map(|r| *r)
        .unwrap()
}

#[test]
fn the_funding_policy_is_the_communitys_and_changes_by_its_decision() {
    let community = community();
    let open = |journal, policy| {
        Engine::builder(community.clone())
            .governance(governance(&community))
            .charter(light_charter())
            .funding_policy(policy)
            .founded_at(at(-100_000))
            .open(journal)
    };
    let engine: TestEngine = open(MemoryJournal::new(), FundingPolicy::seed()).unwrap();

    // No policy stated: the community's, in force, screens the offer.
    let first = StreamId::new("betting-first").unwrap();
    engine.handle(identify(&first, 0, None)).unwrap();
    let Some(ProcessState::Funding(state)) = engine.state(&first) else {
        panic!("a funding decision");
    };
    assert_eq!(state.decision().unwrap().policy(), &FundingPolicy::seed());
    assert_eq!(
        started_route(&engine, &first).procedure,
        Procedure::Method(Method::AdviceProcess)
    );

    // A stated policy that is not the one in force is refused, and nothing is written.
    let mut lenient = FundingPolicy::seed();
    lenient.red_line_sectors.clear();
    let other = StreamId::new("betting-other").unwrap();
    let err = refused(&engine, identify(&other, 1, Some(lenient)));
    assert!(matches!(err, EngineError::Unwitnessed { .. }), "{err}");
    assert!(err.to_string().contains("not the one in force"), "{err}");
    // Stating the policy in force is no different from leaving it out.
    engine
        .handle(identify(&other, 2, Some(FundingPolicy::seed())))
        .unwrap();

    // The community adds gambling to its red lines by a governance decision.
    let mut stricter = FundingPolicy::seed();
    stricter.red_line_sectors.insert("gambling".into());
    let decision = StreamId::new("red-lines").unwrap();
    propose(
        &engine,
        &decision,
        DecisionKind::Governance,
        vec![CommunityChange::FundingPolicy {
            policy: Box::new(stricter.clone()),
        }],
        10,
    );
    // Sent on its own, the change is refused: it needs that decision.
    let alone = change(
        STAFF_1,
        15,
        CommunityChange::FundingPolicy {
            policy: Box::new(stricter.clone()),
        },
    );
    assert!(engine.handle(alone).is_err());
    engine.handle(adopt(&decision, 20)).unwrap();

    // A later offer from the same funder is screened by the new policy and declined on
    // the red-line route; the first keeps the policy it opened under.
    let later = StreamId::new("betting-later").unwrap();
    engine.handle(identify(&later, 30, None)).unwrap();
    assert_eq!(
        started_route(&engine, &later).procedure,
        Procedure::AutomaticDecline
    );
    let Some(ProcessState::Funding(state)) = engine.state(&first) else {
        panic!("a funding decision");
    };
    assert_eq!(state.decision().unwrap().policy(), &FundingPolicy::seed());
    let history = engine.history().unwrap();
    assert_eq!(
        history.at(at(19)).funding_policy_hash(),
        Some(Hash::of_json(&FundingPolicy::seed()))
    );
    assert_eq!(
        history.current().funding_policy_hash(),
        Some(Hash::of_json(&stricter))
    );

    // The journal holds the founding policy: reopening with another is refused.
    let err = open(copy_of(&engine), stricter).unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::NotTheFounding {
                part: "funding policy",
                ..
            }
        ),
        "{err}"
    );
}

/// A request may not be backdated across a change to the community: a member who has left
/// cannot act by dating a request before they left, and nobody can have a request judged by
/// the community as it stood before its last change. The refusal writes nothing; the same
/// request dated after the change is judged by the community as it stands.
#[test]
fn a_request_dated_before_the_last_change_is_refused_and_writes_nothing() {
    let engine = open_on(MemoryJournal::new());
    let stream = StreamId::new("after-leaving").unwrap();
    propose(&engine, &stream, DecisionKind::Recruitment, vec![], 0);
    engine
        .handle(change(ALLY, 100, CommunityChange::Leave { member: ALLY }))
        .unwrap();
    let before = engine.journal().read_all().unwrap().len();
    let object = |minute| {
        proposal(
            &stream,
            ALLY,
            minute,
            coproduction::proposal::ProposalCommand::Withdraw {
                reason: "Dated before I left.".into(),
            },
        )
    };
    let err = engine.handle(object(90)).unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::BeforeLastChange { now, last_change, .. }
                if *now == at(90) && *last_change == at(100)
        ),
        "{err}"
    );
    assert!(err.is_refusal());
    assert_eq!(err.kind(), "before_last_change");
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    // Dated after the change, the request meets the community as it stands: the member
    // has left.
    assert!(matches!(
        engine.handle(object(110)),
        Err(EngineError::UnknownActor { .. })
    ));
}

#[test]
fn a_decision_retired_before_its_changes_take_effect_withdraws_them_with_the_retirement() {
    use coproduction::proposal::ProposalCommand;
    // Adopted at minute 40 to take effect from minute 100,000 (years ahead, say).
    let (engine, wave) = wave_from(100_000);
    let before = figures(&engine, 39);
    engine.handle(adopt(&wave, 40)).unwrap();
    let step = |actor, minute, command| engine.handle(proposal(&wave, actor, minute, command));
    step(
        CO_1,
        50,
        ProposalCommand::Publish {
            rationale: "More allies with lived experience".into(),
            alternatives: vec![],
        },
    )
    .unwrap();
    step(CO_1, 60, ProposalCommand::StartImplementing {}).unwrap();
    step(
        STAFF_1,
        70,
        ProposalCommand::ObjectToStanding {
            reason: "The people appointed were not asked".into(),
        },
    )
    .unwrap();
    assert_eq!(figures(&engine, 100_000), (before.0 + 2, before.1 + 2));
    let written = step(
        CO_1,
        80,
        ProposalCommand::Retire {
            reason: "Appoint again once they are asked".into(),
        },
    )
    .unwrap();
    // The retirement and the withdrawal, in one batch.
    assert!(written.iter().any(|e| matches!(
        &e.event,
        EngineEvent::Community { event: LivingEvent::Withdrawn { decided_by } } if *decided_by == wave
    )));
    assert_eq!(figures(&engine, 100_000), before);
    // Replayed from the journal alone, the same.
    let replayed = Engine::from_journal(copy_of(&engine)).unwrap();
    assert_eq!(
        replayed.community_at(at(100_000)),
        engine.community_at(at(100_000))
    );
}

#[test]
fn a_change_is_not_dated_before_what_the_journal_holds() {
    // Co-producer 2 consents in the round at minute 12; a leave dated minute 5 would make
    // the journal say they consented when they were no member.
    let engine = engine_support::engine();
    engine_support::to_consented(&engine);
    let written = engine.journal().read_all().unwrap().len();
    let leave = |minute| {
        change(
            engine_support::CO_2,
            minute,
            CommunityChange::Leave {
                member: engine_support::CO_2,
            },
        )
    };
    let err = engine.handle(leave(5)).unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::BeforeJournal { last, .. },
                ..
            } if *last >= at(12)
        ),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    // After it, their own change as ever; and the journal reopened knows the same.
    let reopened = Engine::from_journal(copy_of(&engine)).unwrap();
    assert!(matches!(
        reopened.handle(leave(5)),
        Err(EngineError::Change {
            source: LivingError::BeforeJournal { .. },
            ..
        })
    ));
    engine.handle(leave(60)).unwrap();
}

/// "Today's charter", which a record sets beside the gate a past decision passed, is the
/// one in force when the record is read: a charter adopted to take effect later is not
/// today's before then.
#[test]
fn a_charter_adopted_for_later_is_not_todays_before_it_takes_effect() {
    let engine = engine();
    let earlier = StreamId::new("first-recruitment").unwrap();
    propose(&engine, &earlier, DecisionKind::Recruitment, vec![], 0);
    engine.handle(adopt(&earlier, 10)).unwrap();

    // The stricter charter asks for the alternatives considered too, from minute 1,000.
    let stricter = coproduction::values::Charter::from_json(
        r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T2"}, {"id": "T5"}]}"#,
    )
    .unwrap();
    let governance = StreamId::new("stricter-charter").unwrap();
    propose_from(
        &engine,
        &governance,
        DecisionKind::Governance,
        vec![CommunityChange::Charter {
            charter: stricter.clone(),
        }],
        Some(at(1_000)),
        20,
    );
    engine.handle(adopt(&governance, 30)).unwrap();
    assert_eq!(engine.charter().hash(), stricter.hash());

    // Read before it takes effect, the founding charter is today's; from then, the new one.
    let light = light_charter();
    assert_eq!(engine.charter_at(at(999)).unwrap().hash(), light.hash());
    let before = engine.review(&earlier, at(999)).unwrap();
    assert!(before.same_charter(), "{before:?}");
    assert_eq!(before.today, light.hash());
    let after = engine.review(&earlier, at(1_000)).unwrap();
    assert!(!after.same_charter());
    assert_eq!(after.today, stricter.hash());
    // The report stays the one the decision was judged by when its process opened.
    let record = engine.record(&earlier, at(1_000)).unwrap();
    let report = engine.report(&earlier, at(1_000)).unwrap();
    assert_eq!(report, light.check(&record));

    // The review says how each charter came in: the founding one with the community, the
    // stricter one by the governance decision, on the word of the member who recorded it
    // from a round held elsewhere.
    assert_eq!(
        after.passed_adopted,
        Some(CharterAdoption {
            from: at(-100_000),
            decided_by: None,
            attested_by: None
        })
    );
    let by_decision = CharterAdoption {
        from: at(1_000),
        decided_by: Some(governance.clone()),
        attested_by: Some(CO_1),
    };
    assert_eq!(after.today_adopted, Some(by_decision.clone()));
    assert_eq!(before.today_adopted.and_then(|a| a.decided_by), None);
    let community = engine.community();
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_review(&after)
        .with_names(&community)
        .to_string();
    let member = community.member(CO_1).unwrap().shown_as();
    assert!(
        text.contains(&format!(
            "It was adopted by the decision \\`stricter-charter\\`, in force from 2022-08-21, on the word of {member}, who recorded that decision from a round held elsewhere."
        )),
        "{text}"
    );
    // A decision judged under the stricter charter passed under a charter a decision
    // adopted, and says so.
    let later = StreamId::new("later-recruitment").unwrap();
    propose(&engine, &later, DecisionKind::Recruitment, vec![], 1_100);
    engine.handle(adopt(&later, 1_110)).unwrap();
    let review = engine.review(&later, at(1_200)).unwrap();
    assert_eq!(review.passed_adopted, Some(by_decision));
    assert!(review.same_charter());

    // A decision that brings the founding charter back: the earlier decision's charter is
    // today's again, and stands on that decision now, which its record says.
    let back = StreamId::new("light-charter-again").unwrap();
    let change = CommunityChange::Charter {
        charter: light.clone(),
    };
    propose(
        &engine,
        &back,
        DecisionKind::Governance,
        vec![change],
        1_300,
    );
    engine.handle(adopt(&back, 1_310)).unwrap();
    let again = engine.review(&earlier, at(1_400)).unwrap();
    assert!(again.same_charter());
    assert_eq!(
        again.today_adopted.and_then(|a| a.decided_by),
        Some(back.clone())
    );
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_review(&engine.review(&earlier, at(1_400)).unwrap())
        .to_string();
    assert!(
        text.contains(&format!(
            "Today's charter is the same, adopted again by a later decision: it was adopted by the decision \\`{back}\\`"
        )),
        "{text}"
    );
}

/// A review reads the funding policy in force at its time beside the gate a decision
/// passed: a new policy a governance decision adopted to take effect later is today's only
/// from then on, as the charter is.
#[test]
fn a_review_names_the_funding_policy_in_force_at_its_time() {
    use coproduction::funding::FundingPolicy;
    let engine = engine();
    let policy = StreamId::new("stricter-policy").unwrap();
    let mut stricter = FundingPolicy::seed();
    stricter.red_line_sectors.insert("gambling".into());
    let change = CommunityChange::FundingPolicy {
        policy: Box::new(stricter.clone()),
    };
    propose_from(
        &engine,
        &policy,
        DecisionKind::Governance,
        vec![change],
        Some(at(1_000)),
        10,
    );
    engine.handle(adopt(&policy, 20)).unwrap();
    let history = engine.history().unwrap();
    let (before, after) = (
        history.at(at(30)).funding_policy_hash(),
        history.at(at(1_000)).funding_policy_hash(),
    );
    assert_eq!(after, Some(Hash::of_json(&stricter)));
    assert_ne!(before, after);
    let review = |minute| {
        engine
            .review(&policy, at(minute))
            .unwrap()
            .today_funding_policy
    };
    assert_eq!(review(30), before);
    assert_eq!(review(1_000), after);
}

/// Joining or leaving the whole community is each member's own act: one member cannot
/// take others out of it (and so decide with the few left), nor put them in.
#[test]
fn a_member_joins_or_leaves_the_whole_community_for_themselves_alone() {
    let engine = engine();
    let whole = BodyId::new("whole_community").unwrap();
    let written = engine.journal().read_all().unwrap().len();
    for others in [vec![MEMBER, ALLY], vec![ALLY, MEMBER]] {
        let release = change(
            MEMBER,
            10,
            CommunityChange::Release {
                body: whole.clone(),
                members: others,
            },
        );
        let err = refused(&engine, release);
        assert!(
            matches!(
                &err,
                EngineError::Change {
                    source: LivingError::NotOwnChange { member, actor, .. },
                    ..
                } if *member == ALLY && *actor == MEMBER
            ),
            "{err}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    assert!(engine.community().body(&whole).unwrap().contains(ALLY));
    // Their own leaving of it is theirs to make.
    engine
        .handle(change(
            MEMBER,
            20,
            CommunityChange::Release {
                body: whole.clone(),
                members: vec![MEMBER],
            },
        ))
        .unwrap();
    assert!(!engine.community().body(&whole).unwrap().contains(MEMBER));
}

/// No decision makes a member's own change for them: their leaving, their lived
/// experience, how they are named, their place in the whole community. A proposal
/// carrying one is refused when it is created.
#[test]
fn no_decision_makes_a_members_own_change_for_them() {
    let engine = engine();
    let whole = BodyId::new("whole_community").unwrap();
    let owns = [
        CommunityChange::Leave { member: MEMBER },
        CommunityChange::LivedExperience {
            member: MEMBER,
            declared: true,
        },
        CommunityChange::Release {
            body: whole,
            members: vec![MEMBER],
        },
    ];
    let written = engine.journal().read_all().unwrap().len();
    for (n, own) in owns.into_iter().enumerate() {
        let stream = StreamId::new(&format!("for-them-{n}")).unwrap();
        let create = creating(&stream, DecisionKind::Recruitment, vec![own], None, 0);
        let err = refused(&engine, create);
        assert!(
            err.to_string().contains("own to make") || err.to_string().contains("their own"),
            "{err}"
        );
    }
    // A list naming a member twice is refused when the proposal is created, as such.
    let twice = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MEMBER, MEMBER],
    }];
    let stream = StreamId::new("named-twice").unwrap();
    let create = creating(&stream, DecisionKind::Recruitment, twice, None, 0);
    let err = refused(&engine, create);
    assert!(err.to_string().contains("names a member twice"), "{err}");
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    assert!(engine.community().member(MEMBER).is_some());
}

/// A member number stays with the member who had it: a person joining under the number of
/// a member who left is refused, so the records of what that member did keep naming them.
#[test]
fn a_member_number_is_not_given_to_a_newcomer_after_its_member_left() {
    let engine = engine();
    engine
        .handle(change(
            MEMBER,
            10,
            CommunityChange::Leave { member: MEMBER },
        ))
        .unwrap();
    let reused = change(
        STAFF_1,
        20,
        CommunityChange::Join {
            member: newcomer(MEMBER.get()),
        },
    );
    let err = refused(&engine, reused);
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::NumberTaken { member },
                ..
            } if *member == MEMBER
        ),
        "{err}"
    );
    assert!(engine.community().member(MEMBER).is_none());
    // Nor does a decision bring someone in under it: refused when the proposal is created,
    // before anyone decides it; and so for a number a member has now.
    for (n, id) in [MEMBER, ALLY].into_iter().enumerate() {
        let stream = StreamId::new(&format!("reused-{n}")).unwrap();
        let join = vec![CommunityChange::Join {
            member: newcomer(id.get()),
        }];
        assert_number_taken(&engine, &stream, join, id);
    }
    // Nor two joins of one proposal under one number.
    let twice = vec![
        CommunityChange::Join {
            member: newcomer(60),
        },
        CommunityChange::Join {
            member: newcomer(60),
        },
    ];
    let stream = StreamId::new("one-number-twice").unwrap();
    assert_number_taken(&engine, &stream, twice, MemberId::new(60));
    // Nor number 0, the engine's own.
    let zero = vec![CommunityChange::Join {
        member: newcomer(0),
    }];
    let stream = StreamId::new("number-zero").unwrap();
    let err = refused(
        &engine,
        creating(&stream, DecisionKind::Recruitment, zero, None, 30),
    );
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::EnginesOwn { .. },
                ..
            }
        ),
        "{err}"
    );
}

/// Asserts that creating the proposal on `stream` carrying `changes` is refused as giving
/// the taken number `id`.
fn assert_number_taken(
    engine: &TestEngine,
    stream: &StreamId,
    changes: Vec<CommunityChange>,
    id: MemberId,
) {
    let create = creating(stream, DecisionKind::Recruitment, changes, None, 30);
    let err = refused(engine, create);
    assert!(
        matches!(
            &err,
            EngineError::Change {
                source: LivingError::NumberTaken { member },
                ..
            } if *member == id
        ),
        "{err}"
    );
}

/// A decision whose changes would take effect before what the journal already holds is
/// refused: what was done since was judged by the community as it stood.
#[test]
fn a_decision_dated_before_the_journal_adopts_nothing() {
    let engine = engine();
    let stream = StreamId::new("early-wave").unwrap();
    let appoint = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MEMBER],
    }];
    propose(&engine, &stream, DecisionKind::Recruitment, appoint, 0);
    // Another proposal is created at minute 50: the journal holds it.
    let other = StreamId::new("other-matter").unwrap();
    let create = creating(&other, DecisionKind::Recruitment, Vec::new(), None, 50);
    engine.handle(create).unwrap();
    let written = engine.journal().read_all().unwrap().len();
    let err = refused(&engine, adopt(&stream, 40));
    assert!(
        matches!(
            &err,
            EngineError::ChangeNotAdopted {
                source: LivingError::BeforeJournal { .. },
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    assert!(!engine.community().body(&allies()).unwrap().contains(MEMBER));
    // Dated after it, the same decision takes effect.
    engine.handle(adopt(&stream, 60)).unwrap();
    assert!(engine.community().body(&allies()).unwrap().contains(MEMBER));
}

/// A decision recorded from a round held elsewhere stands on the word of whoever recorded
/// it: each change it adopts is journalled as attested by them, and the history says so.
#[test]
fn changes_adopted_on_a_decision_recorded_from_elsewhere_are_marked_attested() {
    let engine = engine();
    let stream = StreamId::new("paper-wave").unwrap();
    let appoint = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MEMBER],
    }];
    propose(&engine, &stream, DecisionKind::Recruitment, appoint, 0);
    engine.handle(adopt(&stream, 10)).unwrap();
    let Some(LivingEvent::Changed {
        decided_by,
        attested_by,
        ..
    }) = history_events(&engine).pop()
    else {
        panic!("no change written");
    };
    assert_eq!(decided_by, Some(stream));
    assert_eq!(attested_by, Some(CO_1));
    let history = engine.history().unwrap();
    let entry = history.versions().last().unwrap().entry().unwrap();
    assert_eq!(entry.attested_by, Some(CO_1));
    // The community's figures name it too: the wave stands on that member's word.
    let metrics = coproduction::metrics::CommunityMetrics::from_journal(
        &engine.journal().read_all().unwrap(),
    )
    .unwrap();
    assert_eq!(metrics.waves.len(), 1);
    assert_eq!(metrics.waves[0].attested_by, Some(CO_1));
}

/// A round deciding for a proposal follows the route the proposal opened on; when a
/// governance decision has since dissolved the body that route names, opening the round is
/// refused saying so, not as an unknown body.
#[test]
fn a_round_on_a_route_whose_body_was_dissolved_since_is_refused_saying_so() {
    let engine = engine();
    let model = StreamId::new("working-model-proposal").unwrap();
    propose(&engine, &model, DecisionKind::WorkingModel, vec![], 0);
    let circle = route_of(&engine, &model);
    // A map that routes nothing to the circle, and the circle dissolved.
    dissolve(&engine, &StreamId::new("no-circle").unwrap(), &circle, 10);

    let round = engine_support::living::round_of(&model);
    let opening = |minute| {
        let mut open = engine_support::open(&community()).deciding_for(model.clone());
        open.stream = round.clone();
        open.now = at(minute);
        open
    };
    let err = refused(&engine, opening(30));
    assert!(
        matches!(&err, EngineError::RouteGone { body, .. } if *body == circle)
            && err.to_string().contains("dissolved since"),
        "{err}"
    );
    // A body formed again under its id is another body, not the one the route named: the
    // round is still refused.
    let again = coproduction::community::Body::new(
        circle.clone(),
        "A new circle",
        coproduction::community::BodyKind::Custom,
    )
    .with_members([STAFF_1, CO_1, ALLY]);
    propose(
        &engine,
        &StreamId::new("circle-again").unwrap(),
        DecisionKind::Governance,
        vec![CommunityChange::FormBody { body: again }],
        40,
    );
    engine
        .handle(adopt(&StreamId::new("circle-again").unwrap(), 50))
        .unwrap();
    assert!(engine.community().body(&circle).is_some());
    let err = refused(&engine, opening(60));
    assert!(
        matches!(&err, EngineError::RouteGone { body, .. } if *body == circle),
        "{err}"
    );
}

/// A decision recorded on one member's word from a round held elsewhere may bring someone
/// in, but not declare for them what only they declare (their lived experience, how they
/// are named, their access needs): its adoption is refused, and writes nothing. They
/// declare it themselves once they have joined.
#[test]
fn a_paper_decision_does_not_declare_a_joiners_lived_experience_for_them() {
    let engine = engine();
    let stream = StreamId::new("declared-for-them").unwrap();
    let wave = vec![CommunityChange::Join {
        member: joiner(29).with_lived_experience(),
    }];
    propose(&engine, &stream, DecisionKind::Recruitment, wave, 0);
    let written = engine.journal().read_all().unwrap().len();
    let err = refused(&engine, adopt(&stream, 10));
    assert!(
        matches!(
            &err,
            EngineError::ChangeNotAdopted {
                source: LivingError::DeclaredByDecision {
                    what: "lived_experience",
                    by,
                    ..
                },
                ..
            } if *by == CO_1
        ),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), written);
    assert!(engine.community().member(MemberId::new(29)).is_none());
}

/// The request that creates the proposal on `stream` of `kind` carrying `changes` (from
/// `effective_from`), at `minute`: the first of [`proposal_requests`].
fn creating(
    stream: &StreamId,
    kind: DecisionKind,
    changes: Vec<CommunityChange>,
    effective_from: Option<jiff::Timestamp>,
    minute: i64,
) -> Request {
    proposal_requests(stream, kind, changes, effective_from, minute)
        .into_iter()
        .next()
        .unwrap()
}
