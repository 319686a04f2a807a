//! Three decisions on the seed community, driven through the engine, for the metrics tests:
//!
//! - `working-model` (decision circle, August): one objection raised, tested valid,
//!   integrated by an amendment; one concern logged; adopted after two objection rounds,
//!   150 minutes after opening, with a rationale and published two days later.
//! - `meeting-times` (staff team): one response, then withdrawn by the proposer.
//! - `allies-terms` (Allies Group, September): a proxy response recorded by a supporter,
//!   four members absent; adopted 90 minutes after opening with a rationale, never published.

use coproduction::cocreation::{
    CoCreation, Facilitator, FeedbackItem, ItemId, Link, Session, SessionId, SessionKind, Theme,
    ThemeId,
};
use coproduction::community::{BodyId, Community, MemberId};
use coproduction::consent::{
    Answers, ObjectionId, Response, RoundCommand, RoundConfig, RoundRoles, ValidityCriterion,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent, ProcessCommand, Request};
use coproduction::journal::{Journal, StreamId};
use coproduction::values::{Charter, Evidence, Publication};
use jiff::Timestamp;

pub const CHARTER: &str =
    r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T1", "publish_days": 14}]}"#;

pub fn community() -> Community {
    serde_json::from_str(include_str!("../../examples/data/community.json")).unwrap()
}

pub fn charter() -> Charter {
    Charter::from_json(CHARTER).unwrap()
}

pub fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(1_661_000_000 + minute * 60).unwrap()
}

/// Minutes from the first round to the third: fifteen days, into September.
pub const SEPTEMBER: i64 = 60 * 24 * 15;

fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

struct Driver<'e, J> {
    engine: &'e Engine<J>,
    stream: StreamId,
}

impl<J: Journal<Event = EngineEvent>> Driver<'_, J> {
    fn request(&self, actor: u64, minute: i64, command: RoundCommand) -> Request {
        Request::new(
            self.stream.clone(),
            m(actor),
            at(minute),
            ProcessCommand::Consent { command },
        )
    }

    fn run(&self, actor: u64, minute: i64, command: RoundCommand) {
        self.engine
            .handle(self.request(actor, minute, command))
            .unwrap();
    }

    fn open(&self, minute: i64, kind: DecisionKind, config: RoundConfig) {
        let actor = config.roles.proposer.get();
        let request = self
            .request(
                actor,
                minute,
                RoundCommand::Open {
                    config: Box::new(config),
                },
            )
            .with_kind(kind);
        self.engine.handle(request).unwrap();
    }

    fn respond(&self, actor: u64, member: u64, minute: i64, response: Response) {
        self.run(
            actor,
            minute,
            RoundCommand::Respond {
                member: m(member),
                response,
            },
        );
    }
}

fn config(community: &Community, body: &str, roles: [u64; 3], title: &str) -> RoundConfig {
    let [proposer, facilitator, secretary] = roles.map(m);
    RoundConfig::consent(
        community,
        &BodyId::new(body).unwrap(),
        title,
        "The proposal as presented.",
        RoundRoles {
            proposer,
            facilitator,
            secretary,
        },
    )
    .unwrap()
}

fn outcome(statement: &str) -> RoundCommand {
    RoundCommand::RecordOutcome {
        statement: statement.into(),
        review_date: at(60 * 24 * 180),
    }
}

/// Drives the three rounds.
pub fn drive<J: Journal<Event = EngineEvent>>(engine: &Engine<J>) {
    let community = engine.community().clone();

    // 1. The working model, in the decision circle.
    let d = Driver {
        engine,
        stream: StreamId::new("working-model").unwrap(),
    };
    d.open(
        0,
        DecisionKind::WorkingModel,
        config(
            &community,
            "decision_circle",
            [1, 13, 2],
            "Pilot the working model",
        ),
    );
    for minute in 1..=3 {
        d.run(13, minute, RoundCommand::Advance {});
    }
    d.respond(1, 1, 10, Response::consent());
    d.respond(
        2,
        2,
        11,
        Response::ConsentWithConcern {
            concern: "Six months may be too short to judge".into(),
        },
    );
    d.respond(9, 9, 12, Response::consent());
    d.respond(
        13,
        13,
        13,
        Response::Object {
            reason: "No pay rate is set, so nobody can plan around it".into(),
        },
    );
    d.respond(14, 14, 14, Response::consent());
    d.run(13, 20, RoundCommand::CloseRound {});
    d.run(
        13,
        30,
        RoundCommand::TestObjection {
            objection: ObjectionId(1),
            criteria: vec![ValidityCriterion::ReducesCapacity],
            reasoning: "Co-producers could not take the roles up".into(),
            valid: true,
        },
    );
    d.run(
        1,
        40,
        RoundCommand::Amend {
            text: "The pay rate is set before the pilot starts".into(),
            answers: vec![Answers::Objection { id: ObjectionId(1) }],
        },
    );
    d.run(
        13,
        50,
        RoundCommand::ConfirmResolved {
            objection: ObjectionId(1),
        },
    );
    d.run(
        1,
        51,
        RoundCommand::ConfirmResolved {
            objection: ObjectionId(1),
        },
    );
    d.run(13, 60, RoundCommand::Advance {});
    for (n, who) in [1, 13, 14, 16].into_iter().enumerate() {
        d.respond(who, who, 70 + n as i64, Response::consent());
    }
    d.run(13, 80, RoundCommand::CloseRound {});
    let evidence = Evidence {
        rationale: Some("The workshops asked for paid, flexible roles".into()),
        ..Evidence::default()
    };
    engine
        .handle(
            d.request(2, 150, outcome("Piloted for six months"))
                .with_evidence(evidence),
        )
        .unwrap();
    // Published two days on, and attested then.
    let published = at(150 + 60 * 24 * 2);
    let publication = Evidence {
        publication: Some(Publication {
            published_at: published,
            redactions: Vec::new(),
        }),
        ..Evidence::default()
    };
    engine
        .handle(
            Request::new(
                d.stream.clone(),
                m(2),
                published,
                ProcessCommand::Evidence {},
            )
            .with_evidence(publication),
        )
        .unwrap();

    // 2. Meeting times, in the staff team: withdrawn.
    let d = Driver {
        engine,
        stream: StreamId::new("meeting-times").unwrap(),
    };
    d.open(
        200,
        DecisionKind::Operational,
        config(&community, "staff_team", [2, 3, 3], "Move the team meeting"),
    );
    for minute in 201..=203 {
        d.run(3, minute, RoundCommand::Advance {});
    }
    d.respond(2, 2, 210, Response::consent());
    d.run(
        2,
        220,
        RoundCommand::Withdraw {
            reason: "The room is no longer free".into(),
        },
    );

    // 3. The Allies Group's terms, in September: a proxy response and four absences.
    let d = Driver {
        engine,
        stream: StreamId::new("allies-terms").unwrap(),
    };
    let mut terms = config(&community, "allies_group", [8, 9, 10], "Terms of reference");
    terms.supporters.insert(m(5), [m(6)].into());
    d.open(SEPTEMBER, DecisionKind::Governance, terms);
    for minute in 1..=3 {
        d.run(9, SEPTEMBER + minute, RoundCommand::Advance {});
    }
    d.respond(6, 5, SEPTEMBER + 10, Response::consent());
    for (n, who) in [6, 8, 10].into_iter().enumerate() {
        d.respond(who, who, SEPTEMBER + 11 + n as i64, Response::consent());
    }
    d.run(9, SEPTEMBER + 20, RoundCommand::CloseRound {});
    let evidence = Evidence {
        rationale: Some("Critical friends need a written remit".into()),
        ..Evidence::default()
    };
    engine
        .handle(
            d.request(10, SEPTEMBER + 90, outcome("Terms agreed"))
                .with_evidence(evidence),
        )
        .unwrap();
}

/// A round on meeting rooms in the staff team (members 1 to 4): member 3 objects and member
/// 4 consents with a concern, then each consents plainly in the same objection round, and
/// the round is closed consented.
pub fn changed_mind<J: Journal<Event = EngineEvent>>(engine: &Engine<J>) {
    let community = engine.community().clone();
    let d = Driver {
        engine,
        stream: StreamId::new("meeting-rooms").unwrap(),
    };
    d.open(
        300,
        DecisionKind::Operational,
        config(
            &community,
            "staff_team",
            [2, 3, 3],
            "Book the meeting rooms",
        ),
    );
    for minute in 301..=303 {
        d.run(3, minute, RoundCommand::Advance {});
    }
    d.respond(2, 2, 310, Response::consent());
    d.respond(
        3,
        3,
        311,
        Response::Object {
            reason: "The rooms are not step-free".into(),
        },
    );
    d.respond(3, 3, 312, Response::consent());
    d.respond(1, 1, 313, Response::consent());
    d.respond(
        4,
        4,
        314,
        Response::ConsentWithConcern {
            concern: "Book them early".into(),
        },
    );
    d.respond(4, 4, 315, Response::consent());
    d.run(3, 320, RoundCommand::CloseRound {});
}

/// Four feedback items from one workshop; a theme carries three of them.
pub fn cocreation() -> CoCreation {
    let mut model = CoCreation::new();
    let session = SessionId::new(1);
    model
        .add_session(Session::new(
            session,
            SessionKind::Workshop,
            "Working model workshop",
            at(-60 * 24 * 30),
            Facilitator::Member { member: m(13) },
            "How should co-producer roles work?",
        ))
        .unwrap();
    for n in 1..=4 {
        model
            .add_item(FeedbackItem::anonymous(
                ItemId::new(n),
                session,
                format!("Comment {n}"),
                at(-60 * 24 * 30),
            ))
            .unwrap();
    }
    let theme = ThemeId::new(1);
    model
        .add_theme(Theme::new(
            theme,
            "Paid roles",
            "Roles are paid and flexible",
        ))
        .unwrap();
    for n in [1, 2, 4] {
        model
            .link(Link::Carries {
                theme,
                item: ItemId::new(n),
            })
            .unwrap();
    }
    model
}
