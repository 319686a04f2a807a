//! The associate-roles working model: a proposal decided by the associate-roles team by
//! consent, with an objection integrated, adopted as a pilot, and reviewed when it ends.

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::MemberId;
use coproduction::consent::{
    Answers, ObjectionId, Response, RoundCommand, RoundConfig, RoundRoles, ValidityCriterion,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::StreamId;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{
    AdviceBasis, Credit, Evidence, ExpensesFacts, Publication, StakeholderFacts, ValueReport, Way,
};

use super::StoryEngine;
use super::{
    WORKING_MODEL, WORKING_MODEL_ROUND, at, part_request, pay_public_contributors,
    proposal_request, round_request, show,
};

/// What the working model's decision shows.
pub(super) struct WorkingModel {
    /// The round's report while an objection was still open: rule T3 flags it.
    pub(super) with_open_objection: ValueReport,
    /// The round's report once it was adopted.
    pub(super) adopted: ValueReport,
}

pub(super) fn working_model(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<WorkingModel, coproduction::Error> {
    let community = &engine.community();
    let route = governance.route(&DecisionKind::WorkingModel, RouteFacts::new())?;
    println!("  Route: {} decides by {}", route.decider, route.procedure);
    let (staff_1, co_producer_1, co_producer_2) =
        (MemberId::new(1), MemberId::new(13), MemberId::new(14));
    let (steward, secretary) = (MemberId::new(2), MemberId::new(2));

    let proposal_stream = StreamId::new(WORKING_MODEL)?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let round_stream = StreamId::new(WORKING_MODEL_ROUND)?;
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };

    let text = "Co-producers take flexible roles without titles, offered project by project.";
    engine.handle(proposal(
        staff_1,
        "2021-08-02T09:00:00Z",
        ProposalCommand::Create {
            config: Box::new(ProposalConfig {
                id: ProposalId::new(2),
                title: "Associate roles working model".into(),
                kind: DecisionKind::WorkingModel,
                text: text.into(),
                answers: Vec::new(),
                roles: ProposalRoles {
                    proposers: [staff_1].into(),
                    steward,
                    members: community.members().map(|m| m.id).collect(),
                },
                changes: vec![],
                effective_from: None,
            }),
        },
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-02T09:30:00Z",
        ProposalCommand::StartCoCreation {},
    ))?;
    // The session's feedback on pay and expenses shapes the model.
    engine.handle(proposal(
        steward,
        "2021-08-09T09:00:00Z",
        ProposalCommand::LinkFeedback {
            items: vec![ItemId::new(3), ItemId::new(4)],
            themes: vec![ThemeId::new(2)],
        },
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-23T09:00:00Z",
        ProposalCommand::MarkReady {},
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-23T09:30:00Z",
        ProposalCommand::StartDecision {
            round: round_stream.clone(),
        },
    ))?;

    let config = RoundConfig::from_route(
        &route,
        community,
        "Pilot the associate-roles working model",
        text,
        RoundRoles {
            proposer: staff_1,
            facilitator: co_producer_1,
            secretary,
        },
    )?;
    let eligible: Vec<MemberId> = config.eligible.iter().map(|e| e.member).collect();
    engine.handle(
        round(
            staff_1,
            "2021-08-23T10:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::WorkingModel)
        .deciding_for(proposal_stream.clone()),
    )?;
    // While the papers are out, the members take part beside the round, as the engine
    // witnesses it: the proposer asks the bodies the route consults (the staff team and
    // the Allies Group advise, the whole community gives its views); a colleague, an ally
    // and a community member give advice and the proposer answers each, and each answer
    // shapes the text the round will consent to; the co-producers are offered payment,
    // with benefits advice, and accept; the deciders declare their interests.
    let part = |who: MemberId, when: &str, command: PartCommand| {
        part_request(&round_stream, who, when, command)
    };
    engine.handle(part(
        staff_1,
        "2021-08-23T10:05:00Z",
        PartCommand::AskAdvice {
            members: Default::default(),
        },
    ))?;
    pay_public_contributors(
        engine,
        &round_stream,
        &eligible,
        secretary,
        ("2021-08-23T10:10:00Z", "2021-08-24T09:00:00Z"),
    )?;
    let heard = [
        (
            3,
            AdviceBasis::Expertise,
            "Pay for preparation time, not only sessions",
            "Preparation time is paid",
        ),
        (
            6,
            AdviceBasis::LivedExperience,
            "Titles put people off: name roles by what people do",
            "No titles: roles are named by what people do",
        ),
        (
            20,
            AdviceBasis::Affected,
            "Daytime sessions shut out people who work",
            "Sessions in the evening as well as the day",
        ),
    ];
    for (day, (from, basis, advice, _)) in (24..).zip(&heard) {
        engine.handle(part(
            MemberId::new(*from),
            &format!("2021-08-{day}T12:00:00Z"),
            PartCommand::GiveAdvice {
                advice: (*advice).into(),
                bases: [*basis].into(),
            },
        ))?;
    }
    for (minute, (from, _, _, answer)) in (0..).zip(&heard) {
        engine.handle(part(
            staff_1,
            &format!("2021-08-30T09:{minute:02}:00Z"),
            PartCommand::AnswerAdvice {
                member: MemberId::new(*from),
                answer: (*answer).into(),
            },
        ))?;
    }
    for (minute, who) in (50..).zip(&eligible) {
        engine.handle(part(
            *who,
            &format!("2021-09-01T09:{minute}:00Z"),
            PartCommand::DeclareInterests { interest: None },
        ))?;
    }
    for minute in ["05", "10", "15"] {
        engine.handle(round(
            co_producer_1,
            &format!("2021-09-01T10:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    let objection = "Without paid preparation time, co-producers with caring responsibilities cannot take part.";
    for (minute, who) in (20..).zip(&eligible) {
        let response = if *who == co_producer_2 {
            Response::Object {
                reason: objection.into(),
            }
        } else {
            Response::consent()
        };
        engine.handle(round(
            *who,
            &format!("2021-09-01T10:{minute}:00Z"),
            RoundCommand::Respond {
                member: *who,
                response,
            },
        ))?;
    }
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:30:00Z",
        RoundCommand::CloseRound {},
    ))?;

    // The objection is raised and not yet dealt with: the report says so (rule T3), and the
    // round could not be adopted as it stands.
    let with_open_objection = engine
        .report(&round_stream, at("2021-09-01T10:31:00Z"))
        .expect("the round");
    if let Some(t3) = with_open_objection.finding("T3") {
        println!(
            "  Co-producer 2 objects. {} {}: {}",
            t3.rule,
            t3.status.label(),
            t3.message
        );
    }

    // Integration: test the objection, amend, both confirm, the next round consents.
    let id = ObjectionId(1);
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:40:00Z",
        RoundCommand::TestObjection {
            objection: id,
            criteria: [
                ValidityCriterion::ReducesCapacity,
                ValidityCriterion::CausedByProposal,
            ]
            .into_iter()
            .collect(),
            reasoning: "Co-producers who would be excluded are part of the group's capacity."
                .into(),
            valid: true,
        },
    ))?;
    engine.handle(round(
        staff_1,
        "2021-09-01T10:50:00Z",
        RoundCommand::Amend {
            text: "Two hours of paid preparation time for every session.".into(),
            answers: vec![Answers::Objection { id }],
        },
    ))?;
    engine.handle(round(
        co_producer_2,
        "2021-09-01T10:52:00Z",
        RoundCommand::ConfirmResolved { objection: id },
    ))?;
    engine.handle(round(
        staff_1,
        "2021-09-01T10:53:00Z",
        RoundCommand::ConfirmResolved { objection: id },
    ))?;
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:55:00Z",
        RoundCommand::Advance {},
    ))?;
    for (minute, who) in (56..).zip(&eligible) {
        engine.handle(round(
            *who,
            &format!("2021-09-01T10:{minute}:00Z"),
            RoundCommand::Respond {
                member: *who,
                response: Response::consent(),
            },
        ))?;
    }
    engine.handle(round(
        co_producer_1,
        "2021-09-01T11:00:00Z",
        RoundCommand::CloseRound {},
    ))?;

    // Adopted as a pilot, through the gate, with what the round does not hold.
    let pilot_ends = at("2022-03-01T00:00:00Z");
    let mut evidence = Evidence {
        alternatives: Some(vec![
            "Keep recruiting project by project".into(),
            "Wait for a full model".into(),
        ]),
        ..Evidence::default()
    };
    evidence.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    evidence.dates.papers_sent_at = Some(at("2021-08-23T09:00:00Z"));
    evidence.dates.session_at = Some(at("2021-09-01T10:00:00Z"));
    evidence.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    evidence.credits = Some(
        eligible
            .iter()
            .map(|&member| Credit {
                member,
                credited: true,
            })
            .collect(),
    );
    evidence.rationale = Some(
        "The workshops asked for paid, flexible roles without titles; a pilot tests them.".into(),
    );
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "staff"].map(String::from).into(),
        waivers: [(
            "allies".to_owned(),
            "The Allies Group reviews the pilot when it ends".to_owned(),
        )]
        .into(),
    });
    engine.handle(
        round(
            secretary,
            "2021-09-01T11:10:00Z",
            RoundCommand::RecordOutcome {
                statement: "Piloted for six months, with paid preparation time.".into(),
                review_date: pilot_ends,
            },
        )
        .with_evidence(evidence),
    )?;
    // The round decides for the proposal: its adoption is the proposal's, in one batch.
    engine.handle(proposal(
        steward,
        "2021-09-06T09:00:00Z",
        ProposalCommand::Publish {
            rationale:
                "The workshops asked for paid, flexible roles without titles; a pilot tests them."
                    .into(),
            alternatives: vec!["Keep recruiting project by project".into()],
        },
    ))?;
    // The round's record is published with the proposal's.
    engine.handle(
        Request::new(
            round_stream.clone(),
            secretary,
            at("2021-09-06T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence {
            publication: Some(Publication {
                published_at: at("2021-09-06T09:00:00Z"),
                redactions: Vec::new(),
            }),
            ..Evidence::default()
        }),
    )?;
    engine.handle(proposal(
        steward,
        "2021-09-06T09:30:00Z",
        ProposalCommand::StartPilot { ends: pilot_ends },
    ))?;
    let adopted = engine
        .report(&round_stream, at("2021-09-06T10:00:00Z"))
        .expect("the round");
    show(&adopted);

    // The pilot ends and is reviewed: continued for a year.
    engine.handle(proposal(
        steward,
        "2022-03-01T09:00:00Z",
        ProposalCommand::OpenReview {},
    ))?;
    engine.handle(proposal(
        steward,
        "2022-03-14T18:00:00Z",
        ProposalCommand::Continue {
            review_date: at("2023-03-01T00:00:00Z"),
        },
    ))?;
    let phase = engine
        .state(&proposal_stream)
        .map(|s| s.phase_label())
        .unwrap_or("unknown");
    println!(
        "  The pilot was reviewed in March and continued for a year: the proposal is {phase}."
    );
    Ok(WorkingModel {
        with_open_objection,
        adopted,
    })
}
