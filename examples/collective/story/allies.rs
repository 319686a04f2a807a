//! April to June 2021: the Allies Group's make-up questioned (fewer members with lived
//! experience than members there in their professional roles), flagged by rule I9 on the
//! decision that relies on its advice, and rebalanced: members of the community with lived
//! experience answer an open call and join the group, a change to a body the community
//! decides by the route governance gives recruitment (the staff team's advice process).

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::StreamId;
use coproduction::living::CommunityChange;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{Evidence, RecruitmentFacts, ValueReport};

use super::StoryEngine;
use super::cocreation::ALLIES_PROPOSAL_ID;
use super::deciding::{Outcome, record_and_publish};
use super::{
    ALLIES, ALLIES_PROPOSAL, at, part_request, proposal_request, round_evidence, round_request,
    show,
};
use coproduction::cocreation::{ItemId, ThemeId};

/// The open call to the community for places on the Allies Group: three weeks from 26
/// April 2021.
pub const OPEN_CALL: (&str, &str) = ("2021-04-26T09:00:00Z", "2021-05-17T17:00:00Z");

/// The members of the community, each bringing lived experience, who answered the call
/// and whom the panel chose.
pub const JOINING: [u64; 4] = [16, 18, 22, 24];

/// The rebalancing: a proposal of kind recruitment carrying the appointment of four
/// members to the group, decided by the staff team's advice process after advice from the
/// group itself. Prints the group's figures before and
/// after, and rule I9's finding on the group's advice. Returns the round's report.
pub(super) fn rebalance(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    let allies = BodyId::new("allies_group")?;
    let before = engine.community().figures(&allies)?;
    println!(
        "  2021-04-19: the community's post on how it decides says the Allies Group has fewer\n  \
         members with lived experience than members there in their professional roles: {}.",
        before.lived_experience_share()
    );
    let route = governance.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let (decider, facilitator, secretary) = (MemberId::new(1), MemberId::new(2), MemberId::new(3));
    let joining: Vec<MemberId> = JOINING.map(MemberId::new).to_vec();
    let text = "Open places on the Allies Group to members of the community with lived \
                experience, through an open call, so that they are at least half of it.";
    let proposal_stream = StreamId::new(ALLIES_PROPOSAL)?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let draft = ProposalConfig {
        id: ALLIES_PROPOSAL_ID,
        title: "Rebalance the Allies Group".into(),
        kind: DecisionKind::Recruitment,
        text: text.into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [decider].into(),
            steward: facilitator,
            members: [MemberId::new(5)].into(),
        },
        changes: vec![CommunityChange::Appoint {
            body: allies.clone(),
            members: joining.clone(),
        }],
        effective_from: None,
    };
    let stream = StreamId::new(ALLIES)?;
    engine.handle(
        proposal(
            decider,
            "2021-04-20T09:00:00Z",
            ProposalCommand::Create {
                config: Box::new(draft),
            },
        )
        .with_kind(DecisionKind::Recruitment),
    )?;
    for (when, command) in [
        ("2021-04-20T09:05:00Z", ProposalCommand::StartCoCreation {}),
        (
            "2021-04-22T09:00:00Z",
            ProposalCommand::LinkFeedback {
                items: vec![ItemId::new(5)],
                themes: vec![ThemeId::new(4)],
            },
        ),
        ("2021-05-24T08:30:00Z", ProposalCommand::MarkReady {}),
        (
            "2021-05-24T08:45:00Z",
            ProposalCommand::StartDecision {
                round: stream.clone(),
            },
        ),
    ] {
        engine.handle(proposal(facilitator, when, command))?;
    }
    println!(
        "  {} to {}: an open call to the community for places on the group; four members\n  \
         with lived experience are chosen by a panel on which two bring lived experience.",
        &OPEN_CALL.0[..10],
        &OPEN_CALL.1[..10]
    );
    println!("  Route: {}", super::governance::route_line(&route));
    let config = RoundConfig::from_route(
        &route,
        &engine.community(),
        "Rebalance the Allies Group",
        text,
        RoundRoles {
            proposer: decider,
            facilitator,
            secretary,
        },
    )?;
    let request = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&stream, who, when, command)
    };
    engine.handle(
        request(
            decider,
            "2021-05-24T09:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::Recruitment)
        .deciding_for(proposal_stream.clone()),
    )?;
    for minute in 1..=3 {
        engine.handle(request(
            facilitator,
            &format!("2021-05-24T09:0{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    // Advice from the body the route consults: three allies, two of them with lived
    // experience, one there in a professional role.
    let advice = [
        (
            6,
            "Pay the new allies for their time, as co-producers are paid",
            true,
            false,
        ),
        (
            5,
            "Pair each new ally with a member for their first meetings",
            true,
            true,
        ),
        (
            8,
            "Hold some meetings in the evening, so people who work can come",
            false,
            true,
        ),
    ];
    for (day, (m, text, affected, expertise)) in (25..).zip(advice) {
        let member = MemberId::new(m);
        engine.handle(request(
            member,
            &format!("2021-05-{day}T10:00:00Z"),
            RoundCommand::Respond {
                member,
                response: Response::Advice {
                    advice: text.into(),
                    affected,
                    expertise,
                },
            },
        ))?;
        engine.handle(request(
            decider,
            &format!("2021-05-{day}T11:00:00Z"),
            RoundCommand::AnswerAdvice {
                member,
                answer: "Part of how the new allies are welcomed".into(),
            },
        ))?;
    }
    engine.handle(part_request(
        &stream,
        decider,
        "2021-06-01T11:55:00Z",
        PartCommand::DeclareInterests { interest: None },
    ))?;
    engine.handle(request(
        decider,
        "2021-06-01T12:00:00Z",
        RoundCommand::Decide {
            adopt: true,
            rationale: "The group should reflect the community it advises; the panel's choice, \
                        advised by the group itself."
                .into(),
        },
    ))?;
    // The group advising this decision is the one being rebalanced: I9's warning,
    // acknowledged by the facilitator, who answers for the round.
    engine.handle(
        Request::new(
            stream.clone(),
            facilitator,
            at("2021-06-01T12:05:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence::default().with_acknowledgement(
            "I9".parse()?,
            facilitator,
            "The Allies Group is being rebalanced by this decision; its advice was weighed with that in mind",
        )),
    )?;
    let mut evidence = round_evidence(
        &["Invite people directly", "Replace professional members"],
        "2021-05-24T09:00:00Z",
        "2021-06-01T10:00:00Z",
    );
    evidence.recruitment = Some(RecruitmentFacts {
        advert_opened_at: Some(at(OPEN_CALL.0)),
        advert_closed_at: Some(at(OPEN_CALL.1)),
        ways_to_apply: ["written form", "voice note", "a conversation"]
            .map(String::from)
            .into(),
        criteria_published_at: Some(at(OPEN_CALL.0)),
        panel_with_lived_experience: Some(2),
    });
    record_and_publish(
        engine,
        &stream,
        secretary,
        ("2021-06-01T12:10:00Z", "2021-06-08T09:00:00Z"),
        Outcome {
            statement: "Four members of the community with lived experience join the Allies \
                        Group from 1 June.",
            review_date: "2021-12-01T12:00:00Z",
        },
        evidence,
    )?;
    engine.handle(proposal(
        facilitator,
        "2021-06-08T09:00:00Z",
        ProposalCommand::Publish {
            rationale: "The group should reflect the community it advises.".into(),
            alternatives: vec!["Invite people directly".into()],
        },
    ))?;
    let report = engine
        .report(&stream, at("2021-06-08T10:00:00Z"))
        .expect("the stream has a round");
    if let Some(ack) = report.finding("I9").and_then(|f| f.acknowledged.as_ref()) {
        println!(
            "  The value-check flags the group's make-up on this very decision, which relies on\n  \
             its advice (rule I9); {} acknowledges it: {}",
            super::name(engine, ack.by),
            ack.reason
        );
    }
    show(&report);
    let after = engine.community().figures(&allies)?;
    println!(
        "  2021-06-01: adopted; in the same batch {} members joined the group: {} members, lived \
         experience {} -> {} members, lived experience {}.",
        joining.len(),
        before.size,
        before.lived_experience_share(),
        after.size,
        after.lived_experience_share()
    );
    Ok(report)
}
