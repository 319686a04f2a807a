//! The living community's test helpers: an engine on the seed community under a light
//! charter, members' own changes, and proposals carrying changes to a decision taken in a
//! round kept elsewhere.

use coproduction::cocreation::{ItemId, ProposalId};
use coproduction::community::{BodyId, Member, MemberId};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent, ProcessCommand, Request};
use coproduction::journal::{Journal, StreamId};
use coproduction::living::{self, CommunityChange};
use coproduction::proposal::{DecisionResult, ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{Charter, Evidence};
use jiff::Timestamp;

use super::{ALLY, CO_1, STAFF_1, at, community, governance};

pub fn allies() -> BodyId {
    BodyId::new("allies_group").unwrap()
}

/// A charter whose one rule asks only for a published rationale, so that the tests using
/// it are about the community's changes, not the evidence a decision needs.
pub fn light_charter() -> Charter {
    Charter::from_json(r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T2"}]}"#).unwrap()
}

pub fn open_on<J: Journal<Event = EngineEvent>>(journal: J) -> Engine<J> {
    open_with(journal, light_charter())
}

/// As [`open_on`], under `charter`.
pub fn open_with<J: Journal<Event = EngineEvent>>(journal: J, charter: Charter) -> Engine<J> {
    let community = community();
    Engine::builder(community.clone())
        .governance(governance(&community))
        .charter(charter)
        .founded_at(at(-100_000))
        .open(journal)
        .unwrap()
}

/// The seed map without `body`: what it decided goes to the whole community, and no
/// escalation leads to it or from it.
pub fn map_without(body: &BodyId) -> coproduction::governance::GovernanceMap {
    let mut map: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/data/governance.json")).unwrap();
    let edges = map["edges"].as_array_mut().unwrap();
    edges.retain(|e| {
        e["type"] != "escalates_to" || (e["from"] != body.as_str() && e["to"] != body.as_str())
    });
    for edge in edges.iter_mut().filter(|e| e["body"] == body.as_str()) {
        edge["body"] = "whole_community".into();
    }
    serde_json::from_value(map).unwrap()
}

/// A governance decision on `stream`, proposed from `minute` on and adopted 10 minutes
/// later (in a round kept elsewhere), that replaces the map with [`map_without`] `body`
/// and dissolves it.
pub fn dissolve<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    stream: &StreamId,
    body: &BodyId,
    minute: i64,
) {
    let changes = vec![
        CommunityChange::Governance {
            map: map_without(body),
        },
        CommunityChange::DissolveBody { body: body.clone() },
    ];
    propose(engine, stream, DecisionKind::Governance, changes, minute);
    engine.handle(adopt(stream, minute + 10)).unwrap();
    assert!(engine.community().body(body).is_none());
}

pub fn change(actor: MemberId, minute: i64, change: CommunityChange) -> Request {
    Request::new(
        living::stream(),
        actor,
        at(minute),
        ProcessCommand::Change {
            change: Box::new(change),
        },
    )
}

/// Someone joining as a community member, with nothing declared: what they declare is
/// theirs to say once they are in.
pub fn newcomer(id: u64) -> Member {
    Member::new(MemberId::new(id), format!("New ally {id}"))
}

/// `actor` records that `id` joins at `minute`, and the joiner then declares their lived
/// experience themselves.
pub fn joins<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    actor: MemberId,
    minute: i64,
    id: u64,
) {
    engine
        .handle(change(
            actor,
            minute,
            CommunityChange::Join {
                member: newcomer(id),
            },
        ))
        .unwrap();
    engine.handle(declares(id, minute)).unwrap();
}

/// Someone a decision recruits as an ally: what only they declare (their lived
/// experience), they declare themselves once they have joined ([`declares`]).
pub fn joiner(id: u64) -> Member {
    Member::new(MemberId::new(id), format!("New ally {id}"))
}

/// Member `id` declares, at `minute`, that they bring lived experience.
pub fn declares(id: u64, minute: i64) -> Request {
    let member = MemberId::new(id);
    change(
        member,
        minute,
        CommunityChange::LivedExperience {
            member,
            declared: true,
        },
    )
}

pub fn proposal(
    stream: &StreamId,
    actor: MemberId,
    minute: i64,
    command: ProposalCommand,
) -> Request {
    Request::new(
        stream.clone(),
        actor,
        at(minute),
        ProcessCommand::Proposal { command },
    )
}

/// A proposal of `kind` carrying `changes`, taken from creation to a decision in a round
/// kept elsewhere, from `minute` on.
pub fn propose<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    stream: &StreamId,
    kind: DecisionKind,
    changes: Vec<CommunityChange>,
    minute: i64,
) {
    propose_from(engine, stream, kind, changes, None, minute);
}

/// As [`propose`], with the changes to take effect from `effective_from`.
pub fn propose_from<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    stream: &StreamId,
    kind: DecisionKind,
    changes: Vec<CommunityChange>,
    effective_from: Option<Timestamp>,
    minute: i64,
) {
    for request in proposal_requests(stream, kind, changes, effective_from, minute) {
        engine.handle(request).unwrap();
    }
}

/// The id of the proposal on `stream`, its own (a proposal's id is held by one stream only):
/// a number from the stream's name.
pub fn proposal_id(stream: &StreamId) -> ProposalId {
    let n = stream
        .as_str()
        .bytes()
        .fold(7u64, |n, b| n.wrapping_mul(31).wrapping_add(u64::from(b)));
    ProposalId::new(n % 1_000_000 + 1)
}

/// The requests of [`propose_from`]: the proposal created by staff member 1, shared for
/// co-creation, linked to feedback and made ready by its steward (co-producer 13), and its
/// decision started in a round kept elsewhere, a minute apart from `minute` on.
pub fn proposal_requests(
    stream: &StreamId,
    kind: DecisionKind,
    changes: Vec<CommunityChange>,
    effective_from: Option<Timestamp>,
    minute: i64,
) -> Vec<Request> {
    let config = ProposalConfig {
        id: proposal_id(stream),
        title: "Rebalance the Allies Group".into(),
        kind: kind.clone(),
        text: "Recruit allies with lived experience into the group.".into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [STAFF_1].into(),
            steward: CO_1,
            members: [ALLY].into(),
        },
        changes,
        effective_from,
    };
    let steps = [
        (
            STAFF_1,
            ProposalCommand::Create {
                config: Box::new(config),
            },
        ),
        (CO_1, ProposalCommand::StartCoCreation {}),
        (
            CO_1,
            ProposalCommand::LinkFeedback {
                items: vec![ItemId::new(1)],
                themes: vec![],
            },
        ),
        (CO_1, ProposalCommand::MarkReady {}),
        (
            CO_1,
            ProposalCommand::StartDecision {
                round: round_of(stream),
            },
        ),
    ];
    steps
        .into_iter()
        .enumerate()
        .map(|(i, (actor, command))| {
            let request = proposal(stream, actor, minute + i as i64, command);
            if i == 0 {
                request.with_kind(kind.clone())
            } else {
                request
            }
        })
        .collect()
}

/// The round deciding the proposal on `stream`, kept elsewhere.
pub fn round_of(stream: &StreamId) -> StreamId {
    StreamId::new(&format!("{stream}-round")).unwrap()
}

pub fn adopt(stream: &StreamId, minute: i64) -> Request {
    proposal(
        stream,
        CO_1,
        minute,
        ProposalCommand::RecordDecision {
            round: round_of(stream),
            result: DecisionResult::Adopted {
                review_date: at(minute + 60 * 24 * 180),
            },
        },
    )
    .with_evidence(Evidence {
        rationale: Some("The group advises on decisions about people with lived experience".into()),
        alternatives: Some(vec!["Leave the group as it is".into()]),
        ..Evidence::default()
    })
}
