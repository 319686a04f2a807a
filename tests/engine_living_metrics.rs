//! The community's figures over time, from a journal the engine wrote: members' own changes
//! month by month, and a recruitment wave adopted with its decision, with the Allies Group
//! before and after it as the engine itself reports it.

mod engine_support;

use coproduction::community::{BodyId, MemberId, Share};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent};
use coproduction::journal::{FileJournal, Journal, MemoryJournal, StreamId};
use coproduction::living::CommunityChange;
use coproduction::metrics::{CommunityMetrics, Representation};
use engine_support::living::{adopt, allies, change, joins, open_on, propose};
use engine_support::{ALLY, STAFF_1, at};

/// Minutes in a day, for changes weeks apart.
const DAY: i64 = 60 * 24;

/// A recruitment proposal carrying `changes`, taken from creation to a decision in a round
/// kept elsewhere from `minute` on, and adopted at `minute + 10`.
fn recruit<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    stream: &StreamId,
    changes: Vec<CommunityChange>,
    minute: i64,
) {
    propose(engine, stream, DecisionKind::Recruitment, changes, minute);
    engine.handle(adopt(stream, minute + 10)).unwrap();
}

/// The Allies Group's make-up at `minute`, as the engine's own community says.
fn allies_at<J: Journal<Event = EngineEvent>>(engine: &Engine<J>, minute: i64) -> Representation {
    let figures = engine
        .community_at(at(minute))
        .unwrap()
        .figures(&allies())
        .unwrap();
    Representation {
        size: figures.size,
        lived_experience: figures.lived_experience_share(),
    }
}

/// A member's own change, a recruitment wave of two, and a leaver, each in its own month.
fn drive<J: Journal<Event = EngineEvent>>(engine: &Engine<J>) -> StreamId {
    // Member 21, in the whole community only, declares lived experience.
    let declared = r#"{"stream": "community", "actor": 21, "now": "2022-08-20T13:00:00Z",
        "command": {"process": "change", "change": {"type": "lived_experience", "member": 21, "declared": true}}}"#;
    engine.handle_json(declared).unwrap();
    // Two people join, and declare their lived experience themselves; a recruitment then
    // appoints them to the Allies Group.
    for id in [29, 30] {
        joins(engine, STAFF_1, 30 * DAY, id);
    }
    let stream = StreamId::new("allies-recruitment").unwrap();
    let wave = vec![CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(29), MemberId::new(30)],
    }];
    recruit(engine, &stream, wave, 30 * DAY);
    engine
        .handle(change(
            ALLY,
            100 * DAY,
            CommunityChange::Leave { member: ALLY },
        ))
        .unwrap();
    stream
}

#[test]
fn the_communitys_figures_follow_its_changes_month_by_month() {
    let engine = open_on(MemoryJournal::new());
    let stream = drive(&engine);
    let metrics = CommunityMetrics::from_journal(&engine.journal().read_all().unwrap()).unwrap();

    // Founded in June 2022; the first change in August, the last, the leaver, in November.
    let months: Vec<&str> = metrics.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2022-08", "2022-09", "2022-10", "2022-11"]);
    assert_eq!(metrics.founded_at, at(-100_000));
    assert_eq!(metrics.last_change_at, at(100 * DAY));
    let month = |name: &str| metrics.months.iter().find(|m| m.month == name).unwrap();
    let body = |name: &str, slug: &str| {
        month(name)
            .bodies
            .iter()
            .find(|b| b.body.as_str() == slug)
            .unwrap()
    };

    // August: member 21's own declaration, which the whole community's share shows
    // against the community as founded.
    let founded = engine.community_at(at(-100_000)).unwrap();
    let whole = BodyId::new("whole_community").unwrap();
    let founded = founded.figures(&whole).unwrap();
    let august = body("2022-08", "whole_community");
    assert_eq!(august.size, founded.size);
    assert_eq!(
        august.lived_experience,
        Share::new(founded.lived_experience + 1, founded.size)
    );
    // September: two joiners, appointed to the Allies Group with the recruitment.
    let september = month("2022-09");
    assert_eq!(september.joined, [29, 30].map(MemberId::new).into());
    // Two joins, two declarations, one appointment.
    assert_eq!(september.changes, 5);
    let group = body("2022-09", "allies_group");
    assert_eq!(group.appointed, [29, 30].map(MemberId::new).into());
    let end_of_september = allies_at(&engine, 40 * DAY);
    assert_eq!(
        (group.size, group.lived_experience),
        (end_of_september.size, end_of_september.lived_experience)
    );
    // October had no change: September's figures stand.
    let october = month("2022-10");
    assert_eq!(october.changes, 0);
    assert!(october.joined.is_empty() && october.left.is_empty());
    let quiet = body("2022-10", "allies_group");
    assert!(quiet.appointed.is_empty() && quiet.released.is_empty());
    assert_eq!(
        (quiet.size, quiet.lived_experience),
        (group.size, group.lived_experience)
    );
    // November: the ally leaves the community, and so the group.
    assert_eq!(month("2022-11").left, [ALLY].into());
    assert_eq!(body("2022-11", "allies_group").released, [ALLY].into());

    // The wave: the group just before and just after the adoption, as the engine has it.
    assert_eq!(metrics.waves.len(), 1);
    let wave = &metrics.waves[0];
    assert_eq!((&wave.decided_by, &wave.body), (&stream, &allies()));
    assert_eq!(wave.at, at(30 * DAY + 10));
    assert_eq!(wave.before, Some(allies_at(&engine, 30 * DAY + 9)));
    assert_eq!(wave.after, Some(allies_at(&engine, 30 * DAY + 10)));
    let (before, after) = (wave.before.unwrap(), wave.after.unwrap());
    assert_eq!(after.size, before.size + 2);
    assert_eq!(
        after.lived_experience.part,
        before.lived_experience.part + 2
    );
}

#[test]
fn a_journal_file_reopened_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (file, _) = FileJournal::open(&path).unwrap();
    let engine = open_on(file);
    drive(&engine);
    let written = CommunityMetrics::from_journal(&engine.journal().read_all().unwrap()).unwrap();
    drop(engine);
    let (snapshot, _) = FileJournal::<EngineEvent>::snapshot(&path).unwrap();
    let read = CommunityMetrics::from_journal(&snapshot.read_all().unwrap()).unwrap();
    assert_eq!(read, written);
    let json = serde_json::to_string(&read).unwrap();
    assert_eq!(
        serde_json::from_str::<CommunityMetrics>(&json).unwrap(),
        read
    );
}
