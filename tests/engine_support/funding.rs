//! A local trust's offer of £500 for room hire, as a funding decision on the engine (in
//! 2024): tier 0, so the staff team (members 1 to 4) decides by advice process. Shared by
//! the funding tests and the hostile-input properties.

use coproduction::community::{BodyId, MemberId};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingOutcome, FundingPolicy, Offer,
};
use coproduction::journal::StreamId;
use coproduction::values::{Evidence, ExpensesFacts, RuleId, StakeholderFacts, Way};

/// A request of member `who` at `when` on the funding decision `id`.
pub fn funding(id: &str, who: u64, when: &str, command: FundingCommand) -> Request {
    Request::new(
        StreamId::new(id).unwrap(),
        MemberId::new(who),
        when.parse().unwrap(),
        ProcessCommand::Funding { command },
    )
}

/// Identifies `offer` under the seed funding policy.
pub fn identify(offer: &Offer) -> FundingCommand {
    FundingCommand::Identify {
        offer: Box::new(offer.clone()),
        policy: Some(Box::new(FundingPolicy::seed())),
    }
}

/// The trust's offer.
pub fn small_grant() -> Offer {
    Offer::new(
        DecisionKind::Funding,
        "A local trust",
        "Charitable trust",
        "Room hire for the co-creation sessions",
    )
    .amount(500)
}

/// The offer identified, screened, checked by member 3 and declared on by the staff team:
/// in consultation.
pub fn consulting_requests() -> Vec<Request> {
    let id = "room-hire";
    let mut requests = vec![
        funding(id, 1, "2024-03-01T09:00:00Z", identify(&small_grant())),
        funding(
            id,
            1,
            "2024-03-01T09:05:00Z",
            FundingCommand::StartScreening {},
        ),
        funding(id, 1, "2024-03-01T09:10:00Z", FundingCommand::Screen {}),
        funding(
            id,
            1,
            "2024-03-01T09:15:00Z",
            FundingCommand::StartDueDiligence {},
        ),
    ];
    for (i, check) in [
        Check::LegalAndSanctions,
        Check::Reputation,
        Check::ConflictsOfInterest,
    ]
    .into_iter()
    .enumerate()
    {
        requests.push(funding(
            id,
            3,
            &format!("2024-03-02T1{i}:00:00Z"),
            FundingCommand::CompleteCheck {
                check,
                evidence: "Looked up; nothing found".into(),
            },
        ));
    }
    for who in 1..=4 {
        requests.push(funding(
            id,
            who,
            &format!("2024-03-03T09:0{who}:00Z"),
            FundingCommand::DeclareInterest {
                interest: None,
                recused: false,
            },
        ));
    }
    requests.push(funding(
        id,
        1,
        "2024-03-04T09:00:00Z",
        FundingCommand::StartConsultation {},
    ));
    requests
}

/// Advice from the associate-roles team, given by co-producer 13 in their own name.
pub fn co_producers_advice() -> Request {
    funding(
        "room-hire",
        13,
        "2024-03-04T10:00:00Z",
        FundingCommand::RecordAdvice {
            body: BodyId::new("associate_roles_team").unwrap(),
            from: MemberId::new(13),
            advice: "Use it for sessions co-producers can reach".into(),
        },
    )
}

/// In consultation, then advised on (by a co-producer, and by a staff member who brings
/// expertise in booking and access), each answered: ready to decide.
pub fn ready_requests() -> Vec<Request> {
    let id = "room-hire";
    let mut requests = consulting_requests();
    requests.extend([
        co_producers_advice(),
        funding(
            id,
            1,
            "2024-03-04T11:00:00Z",
            FundingCommand::AnswerAdvice {
                advice: AdviceId(1),
                answer: "The rooms are on a bus route with step-free access".into(),
            },
        ),
        funding(
            id,
            1,
            "2024-03-04T12:00:00Z",
            FundingCommand::RecordAdvice {
                body: BodyId::new("associate_roles_team").unwrap(),
                from: MemberId::new(1),
                advice: "Check the trust's terms on cancellations".into(),
            },
        ),
        funding(
            id,
            1,
            "2024-03-04T13:00:00Z",
            FundingCommand::AnswerAdvice {
                advice: AdviceId(2),
                answer: "No penalty for cancelling a week ahead".into(),
            },
        ),
        funding(
            id,
            1,
            "2024-03-05T09:00:00Z",
            FundingCommand::StartDeciding {},
        ),
    ]);
    requests
}

/// What the funding decision does not hold, for the gate on acceptance.
pub fn evidence() -> Evidence {
    let mut evidence = Evidence {
        alternatives: Some(vec!["Decline the offer".into()]),
        stakeholders: Some(StakeholderFacts {
            took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
            waivers: Default::default(),
        }),
        expenses: Some(ExpensesFacts {
            policy_applies: true,
            longest_wait_days: Some(10),
        }),
        // Nobody objected: the staff lead decided after advice.
        objections: Some(Vec::new()),
        ways_offered: Some([Way::Live, Way::Written].into_iter().collect()),
        ..Evidence::default()
    };
    evidence.dates.review_at = Some("2025-03-05T00:00:00Z".parse().unwrap());
    // No meeting, so no papers ahead of one: the staff lead says why, for rule H4.
    evidence.with_acknowledgement(
        RuleId::new("H4").unwrap(),
        MemberId::new(1),
        "Advice was taken in writing; there was no meeting to send papers for",
    )
}

/// The staff team accepts.
pub fn accept() -> FundingCommand {
    FundingCommand::Decide {
        outcome: FundingOutcome::Accept {},
        deciders: (1..=4).map(MemberId::new).collect(),
        rationale: "Free rooms for a year let more people take part".into(),
    }
}

/// The acceptance, by the staff lead, with the evidence.
pub fn decide_with_evidence() -> Request {
    funding("room-hire", 1, "2024-03-05T10:00:00Z", accept()).with_evidence(evidence())
}
