//! Two engines on one journal, as two servers on one database would be: each catches up
//! with what the other wrote and decides again, never overwriting it. A SQLite file stands
//! for the shared database here (feature `sqlite`); the PostgreSQL journal keeps the same
//! contract.
#![cfg(feature = "sqlite")]

mod engine_support;

use std::sync::Arc;

use coproduction::community::Naming;
use coproduction::engine::{Engine, EngineError, EngineEvent, Request};
use coproduction::governance::Governance;
use coproduction::journal::{Journal, SqliteJournal, StreamId};
use coproduction::living::CommunityChange;
use coproduction::{Community, ConsentProcess, MemberId, ProcessCommand, RoundCommand, RoundPhase};

fn community() -> Community {
    serde_json::from_str(include_str!("../examples/data/community.json")).unwrap()
}

fn founded(path: &std::path::Path) -> Engine<SqliteJournal<EngineEvent>> {
    let community = community();
    let governance =
        Governance::from_json(include_str!("../examples/data/governance.json"), &community)
            .unwrap();
    Engine::builder(community)
        .governance(governance)
        .open(SqliteJournal::open(path).unwrap())
        .unwrap()
}

fn second(path: &std::path::Path) -> Engine<SqliteJournal<EngineEvent>> {
    Engine::from_journal(SqliteJournal::open(path).unwrap()).unwrap()
}

/// Two engines on one SQLite journal in `dir`: the first founds it, the second opens it.
fn two_engines(
    dir: &std::path::Path,
) -> (
    Engine<SqliteJournal<EngineEvent>>,
    Engine<SqliteJournal<EngineEvent>>,
) {
    let path = dir.join("journal.db");
    let a = founded(&path);
    (a, second(&path))
}

fn at(minute: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_661_000_000 + minute * 60).unwrap()
}

fn round(n: usize) -> StreamId {
    StreamId::new(&format!("round-{n}")).unwrap()
}

fn open(stream: &StreamId, minute: i64) -> Request {
    let command = RoundCommand::OpenOnRoute {
        title: "Pilot the working model".into(),
        proposal: "Paid, flexible roles without titles.".into(),
        roles: coproduction::RoundRoles {
            proposer: MemberId::new(1),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(2),
        },
    };
    Request::new(stream.clone(), MemberId::new(1), at(minute), command)
        .with_kind(coproduction::DecisionKind::WorkingModel)
}

fn advance(stream: &StreamId, minute: i64) -> Request {
    Request::new(
        stream.clone(),
        MemberId::new(13),
        at(minute),
        RoundCommand::Advance {},
    )
}

#[test]
fn each_engine_decides_on_what_the_other_wrote_and_neither_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_engines(dir.path());
    let stream = round(1);

    // A opens the round; B has never seen it, catches up, and advances it.
    a.handle(open(&stream, 0)).unwrap();
    b.handle(advance(&stream, 1)).unwrap();
    // A's view of the round is one step behind: its append loses the race, it catches up
    // and advances from where B left it.
    a.handle(advance(&stream, 2)).unwrap();
    b.handle(advance(&stream, 3)).unwrap();
    b.catch_up().unwrap();
    a.catch_up().unwrap();
    assert_eq!(
        a.phase::<ConsentProcess>(&stream),
        Some(RoundPhase::ObjectionRound)
    );
    assert_eq!(a.state(&stream), b.state(&stream));

    // A refusal stays a refusal after catching up, and writes nothing.
    let before = a.journal().read_all().unwrap().len();
    let refused = b.handle(open(&stream, 4));
    assert!(refused.is_err_and(|e| e.is_refusal()));
    assert_eq!(a.journal().read_all().unwrap().len(), before);

    // A member's own change to the community, on A, reaches B.
    let member = MemberId::new(20);
    a.handle(Request::new(
        coproduction::living::stream(),
        member,
        at(5),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Named {
                member,
                named: Naming::Anonymous,
            }),
        },
    ))
    .unwrap();
    assert!(b.catch_up().unwrap() >= 1);
    assert_eq!(
        b.community().member(member).unwrap().named,
        Naming::Anonymous
    );
    // Caught up, there is nothing more to read.
    assert_eq!(b.catch_up().unwrap(), 0);

    // A third engine opened from the journal alone agrees with both.
    let c = second(&dir.path().join("journal.db"));
    assert_eq!(c.state(&stream), a.state(&stream));
    assert_eq!(c.community(), b.community());
}

#[test]
fn two_engines_racing_on_shared_streams_lose_nothing_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_engines(dir.path());
    let (a, b) = (Arc::new(a), Arc::new(b));
    let streams: Vec<StreamId> = (0..6).map(round).collect();
    for (n, stream) in streams.iter().enumerate() {
        a.handle(open(stream, n as i64)).unwrap();
    }
    // Each engine advances every round, in turns; each round takes three advances to
    // reach its objection round, and a fourth is refused: so of the twelve tries per
    // round, exactly three succeed, whichever engine makes them.
    let run = |engine: Arc<Engine<SqliteJournal<EngineEvent>>>| {
        let streams = streams.clone();
        std::thread::spawn(move || {
            let mut taken = 0;
            for minute in 10..16 {
                for stream in &streams {
                    match engine.handle(advance(stream, minute)) {
                        Ok(_) => taken += 1,
                        Err(e @ EngineError::Refused { .. }) => assert!(e.is_refusal()),
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            taken
        })
    };
    let (ta, tb) = (run(Arc::clone(&a)), run(Arc::clone(&b)));
    let taken = ta.join().unwrap() + tb.join().unwrap();
    assert_eq!(taken, 3 * streams.len());

    let all = a.journal().read_all().unwrap();
    // Positions run 1, 2, 3... with no gap and no repeat, each envelope chained to the one
    // before; every stream's sequence numbers likewise.
    for (n, e) in all.iter().enumerate() {
        assert_eq!(e.position, n as u64 + 1);
        if n > 0 {
            assert_eq!(e.prev, all[n - 1].hash);
        }
    }
    for stream in &streams {
        let seqs: Vec<u64> = a
            .journal()
            .read_stream(stream)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
        a.catch_up().unwrap();
        b.catch_up().unwrap();
        assert_eq!(a.state(stream), b.state(stream), "{stream}");
        assert_eq!(
            a.phase::<ConsentProcess>(stream),
            Some(RoundPhase::ObjectionRound)
        );
    }
}

/// A check that reads more than the stream it writes is made on what every writer wrote:
/// a member who left through one engine is not heard through another that had not read
/// the leave yet, and a request made on that stale view writes nothing. The other engine
/// finds the journal moved on, reads what it missed, and decides again.
#[test]
fn a_member_who_left_through_one_engine_is_not_heard_through_another() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_engines(dir.path());
    let stream = round(1);
    a.handle(open(&stream, 0)).unwrap();
    for minute in 1..=3 {
        a.handle(advance(&stream, minute)).unwrap();
    }
    b.catch_up().unwrap();
    assert_eq!(
        b.phase::<ConsentProcess>(&stream),
        Some(RoundPhase::ObjectionRound)
    );
    // Member 14 of the associate-roles team leaves, through A; B has not read it.
    let member = MemberId::new(14);
    let leave = Request::new(
        coproduction::living::stream(),
        member,
        at(4),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Leave { member }),
        },
    );
    a.handle(leave).unwrap();
    let before = a.journal().read_all().unwrap().len();
    let consent = RoundCommand::Respond {
        member,
        response: coproduction::Response::consent(),
    };
    let refused = b
        .handle(Request::new(stream.clone(), member, at(5), consent))
        .unwrap_err();
    assert!(refused.is_refusal(), "{refused}");
    assert!(
        !matches!(refused, EngineError::Journal(_)),
        "refused on the community as it stands, not on the journal's position: {refused}"
    );
    assert_eq!(b.journal().read_all().unwrap().len(), before);
    assert!(b.community().member(member).is_none());
}

/// A round one engine opened for a proposal ends with the proposal when its proposer
/// withdraws it through another engine that had not read the round: that engine finds the
/// journal moved on, reads the round, and decides again, ending the round in the same batch.
#[test]
fn a_proposal_withdrawn_through_one_engine_ends_the_round_another_opened() {
    use coproduction::proposal::ProposalPhase;
    use coproduction::{ProposalCommand, ProposalProcess};
    use engine_support::living::{proposal, proposal_requests, round_of};
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_engines(dir.path());
    let model = StreamId::new("working-model").unwrap();
    let kind = coproduction::decision::DecisionKind::WorkingModel;
    for request in proposal_requests(&model, kind, vec![], None, 0) {
        a.handle(request).unwrap();
    }
    b.catch_up().unwrap();
    let round = round_of(&model);
    let mut open = engine_support::open(&community()).deciding_for(model.clone());
    open.stream = round.clone();
    open.now = engine_support::at(10);
    a.handle(open).unwrap();
    let withdraw = ProposalCommand::Withdraw {
        reason: "Members asked for more co-creation first".into(),
    };
    let written = b
        .handle(proposal(&model, engine_support::STAFF_1, 11, withdraw))
        .unwrap();
    let streams: Vec<&StreamId> = written.iter().map(|e| &e.stream).collect();
    assert_eq!(streams, [&model, &round]);
    a.catch_up().unwrap();
    for engine in [&a, &b] {
        assert_eq!(
            engine.phase::<ProposalProcess>(&model),
            Some(ProposalPhase::Withdrawn)
        );
        assert_eq!(
            engine.phase::<ConsentProcess>(&round),
            Some(RoundPhase::Withdrawn)
        );
    }
}
