//! The working-model round on the seed community's map, shared by the engine's tests and
//! the tool's: the requests that run it, and the evidence a round does not hold.

#![allow(dead_code)]

pub mod funding;
pub mod living;

use coproduction::community::{Community, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundPhase, RoundRoles};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{Engine, EngineError, EngineEvent, ProcessCommand, Request};
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::journal::{Journal, StreamId};
use coproduction::process::PartCommand;
use coproduction::values::{
    AdviceBasis, Credit, Evidence, ExpensesFacts, FunderFacts, FundingCondition, Restriction,
    StakeholderFacts, Way,
};
use jiff::Timestamp;

pub fn community() -> Community {
    serde_json::from_str(include_str!("../../examples/data/community.json")).unwrap()
}

pub fn governance(community: &Community) -> Governance {
    let map: GovernanceMap =
        serde_json::from_str(include_str!("../../examples/data/governance.json")).unwrap();
    Governance::new(map, community).unwrap()
}

/// An engine on the seed community and its governance map, journalling in memory.
pub fn engine() -> Engine<coproduction::journal::MemoryJournal<EngineEvent>> {
    let community = community();
    Engine::builder(community.clone())
        .governance(governance(&community))
        .open(coproduction::journal::MemoryJournal::new())
        .unwrap()
}

/// `request`'s refusal, having checked that it is a refusal and wrote nothing.
pub fn refused<J: Journal<Event = EngineEvent>>(
    engine: &Engine<J>,
    request: Request,
) -> EngineError {
    let before = engine.journal().read_all().unwrap().len();
    let err = engine.handle(request).unwrap_err();
    assert!(err.is_refusal(), "{err}");
    assert_eq!(
        engine.journal().read_all().unwrap().len(),
        before,
        "a refused request writes nothing: {err}"
    );
    err
}

pub fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(1_661_000_000 + minute * 60).unwrap()
}

pub const STAFF_1: MemberId = MemberId::new(1);
pub const STAFF_2: MemberId = MemberId::new(2);
pub const CO_1: MemberId = MemberId::new(13);
pub const CO_2: MemberId = MemberId::new(14);
/// In the Allies Group.
pub const ALLY: MemberId = MemberId::new(6);
/// In the whole community only.
pub const MEMBER: MemberId = MemberId::new(20);

pub fn stream() -> StreamId {
    StreamId::new("working-model").unwrap()
}

pub fn consent(actor: MemberId, minute: i64, command: RoundCommand) -> Request {
    Request::new(
        stream(),
        actor,
        at(minute),
        ProcessCommand::Consent { command },
    )
}

pub fn config(community: &Community, body: &str, method: Method) -> RoundConfig {
    let roles = RoundRoles {
        proposer: STAFF_1,
        facilitator: CO_1,
        secretary: STAFF_2,
    };
    let mut config = RoundConfig::consent(
        community,
        &body.parse().unwrap(),
        "Pilot the working model",
        "Six months from March.",
        roles,
    )
    .unwrap();
    config.method = method;
    config
}

pub fn open(community: &Community) -> Request {
    let config = config(community, "associate_roles_team", Method::Consent);
    consent(
        STAFF_1,
        0,
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(DecisionKind::WorkingModel)
}

/// The requests that run a round on the working model to `consented`.
pub fn to_consented_requests(community: &Community) -> Vec<Request> {
    let mut requests = vec![open(community)];
    for minute in 1..=3 {
        requests.push(consent(CO_1, minute, RoundCommand::Advance {}));
    }
    for (n, who) in [STAFF_1, CO_1, CO_2].into_iter().enumerate() {
        let respond = RoundCommand::Respond {
            member: who,
            response: Response::consent(),
        };
        requests.push(consent(who, 10 + n as i64, respond));
    }
    requests.push(consent(CO_1, 20, RoundCommand::CloseRound {}));
    requests.push(acknowledge_allies());
    requests
}

/// The facilitator, who answers for the round, acknowledges I9's warning: the Allies Group
/// advised with three of its eight members bringing lived experience (minute 21).
pub fn acknowledge_allies() -> Request {
    acknowledge_allies_by(CO_1)
}

/// I9's warning acknowledged by `member`, in their own name (minute 21).
pub fn acknowledge_allies_by(member: MemberId) -> Request {
    Request::new(stream(), member, at(21), ProcessCommand::Evidence {}).with_evidence(
        Evidence::default().with_acknowledgement(
            "I9".parse().unwrap(),
            member,
            "The Allies Group is being rebalanced; its advice was weighed with that in mind",
        ),
    )
}

/// Runs a round on the working model to `consented`, its members taking part beside it.
pub fn to_consented<J: Journal<Event = EngineEvent>>(engine: &Engine<J>) {
    for request in to_consented_taking_part(&engine.community()) {
        engine.handle(request).unwrap();
    }
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream()),
        Some(RoundPhase::Consented)
    );
}

pub fn adopt() -> Request {
    consent(
        STAFF_2,
        30,
        RoundCommand::RecordOutcome {
            statement: "Piloted from March".into(),
            review_date: at(60 * 24 * 180),
        },
    )
}

/// What members do beside the round, as the engine witnesses it (minutes 4 to 9, between
/// the round's reactions and its objection round): the proposer asks the bodies the route
/// consults for advice; a colleague, an ally and a community member give it and the
/// proposer answers each; the deciders declare no interests; the co-producers are offered
/// payment, with benefits advice, and accept.
pub fn taking_part_requests() -> Vec<Request> {
    let part = |actor: MemberId, minute: i64, command: PartCommand| {
        Request::new(stream(), actor, at(minute), command)
    };
    let mut requests = vec![part(
        STAFF_1,
        4,
        PartCommand::AskAdvice {
            members: Default::default(),
        },
    )];
    let advisers = [
        (STAFF_2, AdviceBasis::Expertise),
        (ALLY, AdviceBasis::LivedExperience),
        (MEMBER, AdviceBasis::Affected),
    ];
    for (from, basis) in advisers {
        requests.push(part(
            from,
            5,
            PartCommand::GiveAdvice {
                advice: "Pay for the time, and keep the roles flexible".into(),
                bases: [basis].into(),
            },
        ));
    }
    for (from, _) in advisers {
        requests.push(part(
            STAFF_1,
            6,
            PartCommand::AnswerAdvice {
                member: from,
                answer: "Taken into the pilot's terms".into(),
            },
        ));
    }
    for m in [STAFF_1, CO_1, CO_2] {
        requests.push(part(m, 7, PartCommand::DeclareInterests { interest: None }));
    }
    for m in [CO_1, CO_2] {
        requests.push(part(
            STAFF_2,
            8,
            PartCommand::OfferPayment {
                member: m,
                benefits_advice: true,
            },
        ));
    }
    for m in [CO_1, CO_2] {
        requests.push(part(m, 9, PartCommand::AnswerPayment { accept: true }));
    }
    requests
}

/// The requests that run the working-model round to `consented` with its members taking
/// part beside it: [`to_consented_requests`] with [`taking_part_requests`] after its
/// reactions.
pub fn to_consented_taking_part(community: &Community) -> Vec<Request> {
    let mut requests = to_consented_requests(community);
    let objection_round = requests
        .iter()
        .position(|r| r.now >= at(10))
        .unwrap_or(requests.len());
    requests.splice(objection_round..objection_round, taking_part_requests());
    requests
}

/// What no step of the round witnesses, as its secretary attests it: not the route, which
/// the engine resolved when the round opened, nor advice, interests or payment, which the
/// members record themselves.
pub fn evidence() -> Evidence {
    let mut evidence = Evidence {
        rationale: Some("The workshops asked for paid, flexible roles".into()),
        alternatives: Some(vec!["Recruit project by project".into()]),
        ways_offered: Some([Way::Live, Way::Written].into_iter().collect()),
        expenses: Some(ExpensesFacts {
            policy_applies: true,
            longest_wait_days: Some(14),
        }),
        credits: Some(
            [CO_1, CO_2]
                .map(|member| Credit {
                    member,
                    credited: true,
                })
                .to_vec(),
        ),
        stakeholders: Some(StakeholderFacts {
            took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
            waivers: Default::default(),
        }),
        ..Evidence::default()
    };
    evidence.dates.papers_sent_at = Some(at(-60 * 24 * 10));
    evidence.dates.session_at = Some(at(0));
    evidence
}

/// The stream of a trust's grant of £5,000: tier 1.
pub fn grant() -> StreamId {
    StreamId::new("trust-grant").unwrap()
}

/// The requests that open a round on the grant's governance route (the staff team's advice
/// process, tier 1) and record the trust's condition, which restricts publication.
pub fn grant_requests(community: &Community) -> Vec<Request> {
    let facts = RouteFacts::new().amount(5_000);
    let route = governance(community)
        .route(&DecisionKind::Funding, facts)
        .unwrap();
    assert_eq!(route.tier(), coproduction::decision::Tier::One);
    let roles = RoundRoles {
        proposer: STAFF_1,
        facilitator: STAFF_2,
        secretary: STAFF_2,
    };
    let config = RoundConfig::from_route(
        &route,
        community,
        "Accept the trust's grant",
        "£5,000 for the pilot.",
        roles,
    )
    .unwrap();
    let open = Request::new(
        grant(),
        STAFF_1,
        at(0),
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(DecisionKind::Funding)
    .with_facts(facts);
    let mut funder = FunderFacts::new("A local trust");
    funder.conditions.push(FundingCondition {
        text: "Findings are published only with the trust's approval".into(),
        restricts: [Restriction::Publication].into(),
    });
    let evidence = Evidence {
        funder: Some(funder),
        ..Evidence::default()
    };
    let record =
        Request::new(grant(), STAFF_2, at(1), ProcessCommand::Evidence {}).with_evidence(evidence);
    vec![open, record]
}

/// Runs the grant's advice process to advice-gathering (`grant_requests`, then three steps
/// on) and has the ally respond with advice, affected by the decision, at minute 5.
pub fn grant_advised<J: Journal<Event = EngineEvent>>(engine: &Engine<J>) {
    for request in grant_requests(&engine.community()) {
        engine.handle(request).unwrap();
    }
    let round = |actor: MemberId, minute: i64, command: RoundCommand| {
        Request::new(grant(), actor, at(minute), command)
    };
    for minute in 2..=4 {
        engine
            .handle(round(STAFF_2, minute, RoundCommand::Advance {}))
            .unwrap();
    }
    let advice = Response::Advice {
        advice: "Ask the trust to drop its approval of findings".into(),
        affected: true,
        expertise: false,
    };
    engine
        .handle(round(
            ALLY,
            5,
            RoundCommand::Respond {
                member: ALLY,
                response: advice,
            },
        ))
        .unwrap();
}
