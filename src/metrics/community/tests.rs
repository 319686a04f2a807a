//! The community's figures over time, on journals written straight, as the engine writes
//! them after its checks.

use super::*;
use crate::community::fixtures::body;
use crate::community::{Body, BodyKind, Member};
use crate::journal::{Journal, MemoryJournal, NewEvent};
use crate::living::{self, LivingEvent};
use crate::values::Charter;

fn m(id: u64) -> MemberId {
    MemberId::new(id)
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ids(members: &[u64]) -> BTreeSet<MemberId> {
    members.iter().copied().map(m).collect()
}

/// Members 1 (lived experience) and 2; a whole community's body and an advisory group
/// with member 2 in it.
fn founding() -> Community {
    let mut c = Community::new();
    c.add_member(Member::new(m(1), "One").with_lived_experience())
        .unwrap();
    c.add_member(Member::new(m(2), "Two")).unwrap();
    c.add_body(
        Body::new(body("whole"), "Whole community", BodyKind::WholeCommunity)
            .with_members([m(1), m(2)]),
    )
    .unwrap();
    c.add_body(Body::new(body("allies"), "Allies", BodyKind::AlliesGroup).with_members([m(2)]))
        .unwrap();
    c
}

/// A journal founded with [`founding`] on 2024-01-15, then `changes` as they are
/// written: (time, decision, change). Written straight to the journal, as the engine
/// would after its checks.
fn journal(changes: Vec<(&str, Option<&str>, CommunityChange)>) -> Vec<Envelope<EngineEvent>> {
    scheduled(
        changes
            .into_iter()
            .map(|(at, decided_by, change)| (at, decided_by, None, change))
            .collect(),
    )
}

/// As [`journal`], each change with the time it takes effect when that is later than it
/// is made: (time, decision, from, change).
fn scheduled(
    changes: Vec<(&str, Option<&str>, Option<&str>, CommunityChange)>,
) -> Vec<Envelope<EngineEvent>> {
    let journal = MemoryJournal::new();
    let stream = living::stream();
    let founded = EngineEvent::Community {
        event: LivingEvent::Founded {
            community: founding(),
            governance: None,
            charter: Box::new(Charter::default()),
            funding_policy: None,
        },
    };
    let mut seq = 0;
    let founding = (t("2024-01-15T09:00:00Z"), founded);
    let events = changes.into_iter().map(|(at, decided_by, from, change)| {
        let event = EngineEvent::Community {
            event: LivingEvent::Changed {
                change: Box::new(change),
                decided_by: decided_by.map(|s| StreamId::new(s).unwrap()),
                from: from.map(t),
                attested_by: None,
            },
        };
        (t(at), event)
    });
    for (at, event) in std::iter::once(founding).chain(events) {
        let actor = if seq == 0 { m(0) } else { m(1) };
        seq = journal
            .append(&stream, seq, vec![NewEvent::new(actor, at, event)])
            .unwrap()
            .last()
            .unwrap()
            .seq;
    }
    journal.read_all().unwrap()
}

fn metrics(changes: Vec<(&str, Option<&str>, CommunityChange)>) -> CommunityMetrics {
    CommunityMetrics::from_journal(&journal(changes)).unwrap()
}

fn join(id: u64, lived: bool) -> CommunityChange {
    let mut member = Member::new(m(id), format!("Member {id}"));
    if lived {
        member = member.with_lived_experience();
    }
    CommunityChange::Join { member }
}

fn appoint(to: &str, members: &[u64]) -> CommunityChange {
    CommunityChange::Appoint {
        body: body(to),
        members: members.iter().copied().map(m).collect(),
    }
}

fn month<'a>(metrics: &'a CommunityMetrics, name: &str) -> &'a CommunityMonth {
    metrics.months.iter().find(|x| x.month == name).unwrap()
}

/// The months listed, oldest first.
fn month_names(metrics: &CommunityMetrics) -> Vec<&str> {
    metrics.months.iter().map(|x| x.month.as_str()).collect()
}

fn in_month<'a>(metrics: &'a CommunityMetrics, name: &str, slug: &str) -> Option<&'a BodyMonth> {
    month(metrics, name)
        .bodies
        .iter()
        .find(|b| b.body.as_str() == slug)
}

#[test]
fn a_journal_without_its_founding_is_refused_as_the_engine_refuses_it() {
    assert_eq!(
        CommunityMetrics::from_journal(&[]),
        Err(EngineError::NoFounding)
    );
    let mut envelopes = journal(vec![("2024-02-01T00:00:00Z", None, join(3, false))]);
    envelopes.remove(0);
    assert_eq!(
        CommunityMetrics::from_journal(&envelopes),
        Err(EngineError::NoFounding)
    );
}

#[test]
fn a_change_that_does_not_apply_is_refused_naming_its_position() {
    let envelopes = journal(vec![(
        "2024-02-01T00:00:00Z",
        None,
        CommunityChange::Leave { member: m(9) },
    )]);
    let refused = CommunityMetrics::from_journal(&envelopes).unwrap_err();
    assert!(
        matches!(refused, EngineError::History { position: 2, .. }),
        "{refused:?}"
    );
}

#[test]
fn a_founding_alone_is_one_month_of_the_founding_figures() {
    let metrics = metrics(vec![]);
    assert_eq!(metrics.last_change_at, metrics.founded_at);
    assert_eq!(metrics.months.len(), 1);
    let january = month(&metrics, "2024-01");
    assert_eq!((january.changes, january.members), (0, 2));
    assert_eq!(january.lived_experience, Share::new(1, 2));
    let allies = in_month(&metrics, "2024-01", "allies").unwrap();
    assert_eq!(
        (allies.size, allies.lived_experience),
        (1, Share::new(0, 1))
    );
    assert!(allies.appointed.is_empty() && !allies.formed && !allies.dissolved);
    assert!(metrics.waves.is_empty());
}

#[test]
fn the_months_start_at_the_first_change_from_the_community_as_founded() {
    let metrics = metrics(vec![("2024-05-02T00:00:00Z", None, join(3, true))]);
    assert_eq!(metrics.founded_at, t("2024-01-15T09:00:00Z"));
    assert_eq!(metrics.months.len(), 1);
    let may = month(&metrics, "2024-05");
    assert_eq!(
        (may.changes, may.members, may.joined.clone()),
        (1, 3, ids(&[3]))
    );
    let whole = in_month(&metrics, "2024-05", "whole").unwrap();
    assert_eq!(whole.appointed, ids(&[3]));
}

#[test]
fn every_month_is_listed_and_a_month_with_no_change_repeats_the_one_before() {
    let metrics = metrics(vec![
        ("2024-01-20T00:00:00Z", None, join(3, true)),
        ("2024-04-30T23:59:59Z", None, join(4, false)),
    ]);
    assert_eq!(
        month_names(&metrics),
        ["2024-01", "2024-02", "2024-03", "2024-04"]
    );
    let (january, february) = (month(&metrics, "2024-01"), month(&metrics, "2024-02"));
    assert_eq!(january.joined, ids(&[3]));
    assert_eq!(february.changes, 0);
    assert!(february.joined.is_empty() && february.left.is_empty());
    assert_eq!(february.members, january.members);
    assert_eq!(february.lived_experience, Share::new(2, 3));
    let whole = in_month(&metrics, "2024-03", "whole").unwrap();
    assert_eq!(whole.lived_experience, Share::new(2, 3));
    assert!(whole.appointed.is_empty());
    // The last second of April is April's.
    assert_eq!(month(&metrics, "2024-04").joined, ids(&[4]));
    assert_eq!(metrics.last_change_at, t("2024-04-30T23:59:59Z"));
}

#[test]
fn months_run_across_the_turn_of_a_year() {
    let metrics = metrics(vec![
        ("2024-11-03T00:00:00Z", None, join(3, false)),
        ("2025-02-03T00:00:00Z", None, join(4, false)),
    ]);
    assert_eq!(
        month_names(&metrics),
        ["2024-11", "2024-12", "2025-01", "2025-02"]
    );
}

#[test]
fn joiners_and_leavers_are_counted_by_month_with_their_bodies() {
    let metrics = metrics(vec![
        ("2024-02-01T00:00:00Z", None, join(3, true)),
        (
            "2024-02-10T00:00:00Z",
            None,
            CommunityChange::Leave { member: m(3) },
        ),
        (
            "2024-02-11T00:00:00Z",
            None,
            CommunityChange::Leave { member: m(2) },
        ),
    ]);
    let february = month(&metrics, "2024-02");
    assert_eq!(
        (february.joined.clone(), february.left.clone()),
        (ids(&[3]), ids(&[2, 3]))
    );
    assert_eq!(february.changes, 3);
    let whole = in_month(&metrics, "2024-02", "whole").unwrap();
    assert_eq!(
        (whole.appointed.clone(), whole.released.clone()),
        (ids(&[3]), ids(&[2, 3]))
    );
    let allies = in_month(&metrics, "2024-02", "allies").unwrap();
    assert_eq!((allies.size, allies.released.clone()), (0, ids(&[2])));
    assert_eq!(allies.lived_experience, Share::new(0, 0));
}

#[test]
fn a_body_formed_mid_range_is_listed_from_its_month() {
    let circle =
        Body::new(body("circle"), "Decision circle", BodyKind::Custom).with_members([m(1)]);
    let metrics = metrics(vec![
        ("2024-02-01T00:00:00Z", None, join(3, false)),
        (
            "2024-03-05T00:00:00Z",
            Some("form-circle"),
            CommunityChange::FormBody { body: circle },
        ),
        (
            "2024-04-01T00:00:00Z",
            Some("recruit"),
            appoint("circle", &[2]),
        ),
    ]);
    assert!(in_month(&metrics, "2024-02", "circle").is_none());
    let march = in_month(&metrics, "2024-03", "circle").unwrap();
    assert!(march.formed && !march.dissolved);
    assert_eq!((march.size, march.appointed.clone()), (1, ids(&[1])));
    assert_eq!(march.lived_experience, Share::new(1, 1));
    let april = in_month(&metrics, "2024-04", "circle").unwrap();
    assert!(!april.formed);
    assert_eq!(april.lived_experience, Share::new(1, 2));
    // Forming a body appoints nobody by decision: only the appointment is a wave.
    assert_eq!(metrics.waves.len(), 1);
}

#[test]
fn a_body_dissolved_is_listed_empty_in_its_month_and_not_after() {
    let metrics = metrics(vec![
        ("2024-01-20T00:00:00Z", None, join(3, false)),
        (
            "2024-02-05T00:00:00Z",
            Some("close-allies"),
            CommunityChange::DissolveBody {
                body: body("allies"),
            },
        ),
        ("2024-03-05T00:00:00Z", None, join(4, false)),
    ]);
    let february = in_month(&metrics, "2024-02", "allies").unwrap();
    assert!(february.dissolved && !february.formed);
    assert_eq!((february.size, february.name.as_str()), (0, "Allies"));
    assert_eq!(february.released, ids(&[2]));
    assert!(in_month(&metrics, "2024-03", "allies").is_none());
    let bodies: Vec<&str> = month(&metrics, "2024-01")
        .bodies
        .iter()
        .map(|b| b.body.as_str())
        .collect();
    assert_eq!(bodies, ["allies", "whole"]);
}

#[test]
fn a_wave_is_a_decisions_batch_of_appointments_with_the_body_before_and_after() {
    let metrics = metrics(vec![
        // A member's own change makes no wave.
        (
            "2024-02-01T00:00:00Z",
            None,
            CommunityChange::LivedExperience {
                member: m(2),
                declared: true,
            },
        ),
        ("2024-03-01T00:00:00Z", Some("recruit"), join(3, true)),
        ("2024-03-01T00:00:00Z", Some("recruit"), join(4, true)),
        (
            "2024-03-01T00:00:00Z",
            Some("recruit"),
            appoint("allies", &[3]),
        ),
        (
            "2024-03-01T00:00:00Z",
            Some("recruit"),
            appoint("allies", &[4]),
        ),
    ]);
    assert_eq!(metrics.waves.len(), 1);
    let wave = &metrics.waves[0];
    assert_eq!(wave.decided_by.as_str(), "recruit");
    assert_eq!(
        (wave.body.as_str(), wave.appointed.clone()),
        ("allies", ids(&[3, 4]))
    );
    assert_eq!(wave.at, t("2024-03-01T00:00:00Z"));
    let figures = |size, part| {
        Some(Representation {
            size,
            lived_experience: Share::new(part, size),
        })
    };
    assert_eq!((wave.before, wave.after), (figures(1, 1), figures(3, 3)));
}

#[test]
fn two_decisions_at_one_time_are_two_waves_and_a_body_they_form_has_no_before() {
    let circle = Body::new(body("circle"), "Decision circle", BodyKind::Custom);
    let metrics = metrics(vec![
        (
            "2024-03-01T00:00:00Z",
            Some("recruit"),
            appoint("allies", &[1]),
        ),
        (
            "2024-03-01T00:00:00Z",
            Some("form"),
            CommunityChange::FormBody {
                body: circle.with_members([m(2)]),
            },
        ),
        (
            "2024-03-01T00:00:00Z",
            Some("form"),
            appoint("circle", &[1]),
        ),
    ]);
    let waves: Vec<(&str, &str)> = metrics
        .waves
        .iter()
        .map(|w| (w.decided_by.as_str(), w.body.as_str()))
        .collect();
    assert_eq!(waves, [("recruit", "allies"), ("form", "circle")]);
    assert_eq!(metrics.waves[1].before, None);
    assert_eq!(metrics.waves[1].after.map(|r| r.size), Some(2));
}

#[test]
fn the_json_has_stable_field_names_and_reads_back() {
    let metrics = metrics(vec![(
        "2024-03-01T00:00:00Z",
        Some("recruit"),
        appoint("allies", &[1]),
    )]);
    let json = serde_json::to_value(&metrics).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&json),
        ["founded_at", "last_change_at", "months", "waves"]
    );
    assert_eq!(
        keys(&json["months"][0]),
        [
            "month",
            "changes",
            "members",
            "lived_experience",
            "joined",
            "left",
            "bodies"
        ]
    );
    assert_eq!(
        keys(&json["months"][0]["bodies"][0]),
        [
            "body",
            "name",
            "size",
            "lived_experience",
            "appointed",
            "released",
            "formed",
            "dissolved"
        ]
    );
    assert_eq!(
        keys(&json["waves"][0]),
        ["decided_by", "at", "body", "appointed", "before", "after"]
    );
    assert_eq!(
        json["waves"][0]["before"],
        serde_json::json!({"size": 1, "lived_experience": {"part": 0, "whole": 1}})
    );
    let back: CommunityMetrics = serde_json::from_value(json).unwrap();
    assert_eq!(back, metrics);
}

#[test]
fn a_wave_counts_only_those_still_members_when_it_took_effect() {
    // Adopted on 10 February to take effect on 1 March; member 3 left on 20 February.
    let journal = scheduled(vec![
        ("2024-02-01T09:00:00Z", None, None, join(3, true)),
        ("2024-02-01T09:05:00Z", None, None, join(4, true)),
        (
            "2024-02-10T12:00:00Z",
            Some("recruit"),
            Some("2024-03-01T00:00:00Z"),
            appoint("allies", &[3, 4]),
        ),
        (
            "2024-02-20T09:00:00Z",
            None,
            None,
            CommunityChange::Leave { member: m(3) },
        ),
    ]);
    let metrics = CommunityMetrics::from_journal(&journal).unwrap();
    assert_eq!(metrics.waves.len(), 1);
    let wave = &metrics.waves[0];
    assert_eq!(wave.at, t("2024-03-01T00:00:00Z"));
    assert_eq!(wave.appointed, ids(&[4]));
    assert_eq!(wave.after.as_ref().map(|r| r.size), Some(2));
}
