//! The Allies Group's rebalancing: the co-creation session on how the community decides, and
//! the recruitment it led to, decided by advice process on the engine.

use coproduction::cocreation::ProposalId;
use coproduction::cocreation::{
    CoCreation, Facilitator, FeedbackItem, ItemId, Link, ProposalVersion, Session, SessionId,
    SessionKind, Theme, ThemeId, WayToTakePart,
};
use coproduction::community::{BodyId, Community, Member, MemberId, Role};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::{Journal, StreamId};
use coproduction::living::CommunityChange;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{Evidence, Publication, RecruitmentFacts};

use super::StoryEngine;
use super::{
    RECRUITMENT, RECRUITMENT_PROPOSAL, WAVE, WAVE_PROPOSAL, at, part_request, proposal_request,
    round_evidence, round_request, show, version,
};

/// The advert for the four paid places on the Allies Group: open three weeks from 14 June.
const ALLIES_ADVERT: (&str, &str) = ("2021-06-14T09:00:00Z", "2021-07-05T17:00:00Z");

/// The co-creation session on how the community makes decisions: what people said about who
/// sits on the Allies Group, and the themes it was gathered into.
pub(super) fn co_creation_session(
    community: &Community,
) -> Result<CoCreation, coproduction::Error> {
    let mut model = CoCreation::new();
    let session = SessionId::new(1);
    model.add_session(
        Session::new(
            session,
            SessionKind::Workshop,
            "How we decide: who should sit on the Allies Group?",
            at("2021-05-12T17:30:00Z"),
            Facilitator::Body {
                body: BodyId::new("staff_team")?,
            },
            "How should the Allies Group change so that lived experience is fairly represented?",
        )
        .offering(WayToTakePart::Live)
        .offering(WayToTakePart::Written),
    )?;
    let said = [
        (
            Some(16),
            "Advertise places in community groups, not only through the university",
        ),
        (None, "Let people apply by voice note or video"),
        (
            Some(18),
            "Pay allies with lived experience for their time, as co-producers are paid",
        ),
        (
            Some(13),
            "Expenses must come quickly; waiting weeks is not affordable",
        ),
        (
            None,
            "Replace some university members rather than growing the group",
        ),
        (Some(20), "Hold some meetings in the evening"),
    ];
    for (n, (author, text)) in (1..).zip(said) {
        let id = ItemId::new(n);
        let when = at("2021-05-12T18:00:00Z");
        let item = match author {
            Some(m) if community.member(MemberId::new(m)).is_some() => {
                FeedbackItem::by(id, session, MemberId::new(m), text, when)
            }
            _ => FeedbackItem::anonymous(id, session, text, when),
        };
        model.add_item(item)?;
    }
    let themes = [
        (
            1,
            "Open, inclusive recruitment",
            "Advertise widely; several ways to apply",
            vec![1, 2],
        ),
        (
            2,
            "Pay and expenses",
            "Allies with lived experience are paid, and expenses come fast",
            vec![3, 4],
        ),
        (
            3,
            "Change the make-up, not only the size",
            "Replace rather than add",
            vec![5],
        ),
    ];
    model.add_version(ProposalVersion::new(
        version(),
        "Recruit allies with lived experience",
    ))?;
    for (n, title, summary, items) in themes {
        model.add_theme(Theme::new(ThemeId::new(n), title, summary))?;
        for item in items {
            model.link(Link::Carries {
                theme: ThemeId::new(n),
                item: ItemId::new(item),
            })?;
        }
        model.link(Link::Informs {
            theme: ThemeId::new(n),
            version: version(),
        })?;
    }
    Ok(model)
}

/// The staff team decides the recruitment after advice from the co-producers and the Allies
/// Group. Every step goes through the engine, which routes it, gates the decision on the
/// community's values and journals it in `journal.jsonl` in the output folder.
pub(super) fn recruitment_decision(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<coproduction::values::ValueReport, coproduction::Error> {
    let community = &engine.community();
    let route = governance.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let (decider, facilitator, secretary) = (MemberId::new(1), MemberId::new(2), MemberId::new(3));
    let config = RoundConfig::from_route(
        &route,
        community,
        "Recruit four allies with lived experience",
        "Open four paid places on the Allies Group to people with lived experience.",
        RoundRoles {
            proposer: decider,
            facilitator,
            secretary,
        },
    )?;
    let stream = StreamId::new(RECRUITMENT)?;
    let request = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&stream, who, when, command)
    };
    // The proposal the round decides: drafted, shared for co-creation, linked to the
    // workshop's feedback, made ready along the route governance gives.
    let proposal_stream = StreamId::new(RECRUITMENT_PROPOSAL)?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let draft = ProposalConfig {
        id: ProposalId::new(1),
        title: "Recruit allies with lived experience".into(),
        kind: DecisionKind::Recruitment,
        text: "Open four paid places on the Allies Group to people with lived experience.".into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [decider].into(),
            steward: facilitator,
            members: [MemberId::new(13)].into(),
        },
        changes: vec![],
        effective_from: None,
    };
    engine.handle(proposal(
        decider,
        "2021-05-13T09:00:00Z",
        ProposalCommand::Create {
            config: Box::new(draft),
        },
    ))?;
    engine.handle(proposal(
        facilitator,
        "2021-05-13T09:05:00Z",
        ProposalCommand::StartCoCreation {},
    ))?;
    let link = ProposalCommand::LinkFeedback {
        items: (1..=5).map(ItemId::new).collect(),
        themes: (1..=3).map(ThemeId::new).collect(),
    };
    engine.handle(proposal(facilitator, "2021-05-20T09:00:00Z", link))?;
    let ready = ProposalCommand::MarkReady {};
    engine.handle(proposal(facilitator, "2021-05-31T09:00:00Z", ready))?;
    engine.handle(proposal(
        facilitator,
        "2021-05-31T09:30:00Z",
        ProposalCommand::StartDecision {
            round: stream.clone(),
        },
    ))?;
    open_for_advice(
        engine,
        (&stream, &proposal_stream),
        (decider, facilitator),
        "2021-06-01",
        config,
    )?;
    let advice = [
        (13, "Let applicants choose how to apply", true, false),
        (
            5,
            "Panel should include someone with lived experience",
            true,
            true,
        ),
        (8, "Budget for payment before advertising", false, true),
    ];
    for (day, (m, text, affected, expertise)) in (2..).zip(advice) {
        let member = MemberId::new(m);
        let response = Response::Advice {
            advice: text.into(),
            affected,
            expertise,
        };
        engine.handle(request(
            member,
            &format!("2021-06-0{day}T10:00:00Z"),
            RoundCommand::Respond { member, response },
        ))?;
        let answer = RoundCommand::AnswerAdvice {
            member,
            answer: "Taken into the plan".into(),
        };
        engine.handle(request(
            decider,
            &format!("2021-06-0{day}T11:00:00Z"),
            answer,
        ))?;
    }
    let decide = RoundCommand::Decide {
        adopt: true,
        rationale:
            "The group needs more members with lived experience; advice shaped how we recruit."
                .into(),
    };
    // The decider declares their interests before deciding: none.
    engine.handle(part_request(
        &stream,
        decider,
        "2021-06-10T11:55:00Z",
        PartCommand::DeclareInterests { interest: None },
    ))?;
    engine.handle(request(decider, "2021-06-10T12:00:00Z", decide))?;

    // The Allies Group advised with three of its eight members bringing lived experience:
    // I9's warning, acknowledged by the facilitator, who answers for the round.
    engine.handle(acknowledge_allies(
        &stream,
        facilitator,
        "2021-06-10T12:05:00Z",
    )?)?;
    // What the round does not hold, recorded with the adopting request: the engine's gate
    // checks the round's own record supplemented with it.
    let evidence = recruitment_evidence(
        "2021-05-28T09:00:00Z",
        "2021-06-04T10:00:00Z",
        ALLIES_ADVERT,
    );
    let outcome = RoundCommand::RecordOutcome {
        statement: "Four paid places on the Allies Group, advertised openly from 14 June.".into(),
        review_date: at("2021-12-10T12:00:00Z"),
    };
    engine.handle(request(secretary, "2021-06-10T12:10:00Z", outcome).with_evidence(evidence))?;

    // Published a week later: evidence recorded after the decision.
    let published = Evidence {
        publication: Some(Publication {
            published_at: at("2021-06-17T09:00:00Z"),
            redactions: Vec::new(),
        }),
        ..Evidence::default()
    };
    engine.handle(
        Request::new(
            stream.clone(),
            secretary,
            at("2021-06-17T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(published),
    )?;

    // The round decided for the proposal: the engine recorded its adoption there when the
    // round was adopted, gated on a record built on the round's. The proposal publishes it
    // with its rationale.
    let publish = ProposalCommand::Publish {
        rationale:
            "More members with lived experience; the workshop's advice shaped how we recruit."
                .into(),
        alternatives: vec!["Invite people directly".into()],
    };
    engine.handle(proposal(facilitator, "2021-06-17T09:00:00Z", publish))?;
    let phase = engine
        .phase::<coproduction::ProposalProcess>(&proposal_stream)
        .expect("a proposal");
    println!(
        "  The proposal is {}.",
        coproduction::machine::Phase::label(phase)
    );

    let now = at("2021-06-20T09:00:00Z");
    let report = engine.report(&stream, now).expect("the stream has a round");
    show(&report);
    println!(
        "  {} adopted and published; the journal holds {} events.",
        stream,
        engine.journal().read_all()?.len()
    );
    Ok(report)
}

/// The first wave of appointments, after the advert closed: a second recruitment decision,
/// by the same advice process, whose proposal carries the changes to the community. Four
/// applicants with lived experience join the community and the Allies Group when it is
/// adopted, in the same batch; the group's figures before and after are printed.
pub(super) fn first_wave(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<coproduction::values::ValueReport, coproduction::Error> {
    let community = &engine.community();
    let allies = BodyId::new("allies_group")?;
    let route = governance.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let (decider, facilitator, secretary) = (MemberId::new(1), MemberId::new(2), MemberId::new(3));
    let applicants: Vec<MemberId> = (29..=32).map(MemberId::new).collect();
    let mut changes: Vec<CommunityChange> = applicants
        .iter()
        .zip(["Ally 9", "Ally 10", "Ally 11", "Ally 12"])
        .map(|(id, name)| CommunityChange::Join {
            member: Member::new(*id, name)
                .with_role(Role::Ally)
                .with_lived_experience(),
        })
        .collect();
    changes.push(CommunityChange::Appoint {
        body: allies.clone(),
        members: applicants.clone(),
    });
    let proposal_stream = StreamId::new(WAVE_PROPOSAL)?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let draft = ProposalConfig {
        id: ProposalId::new(2),
        title: "Appoint the first four allies with lived experience".into(),
        kind: DecisionKind::Recruitment,
        text: "Appoint the four applicants the panel selected to paid places on the Allies Group."
            .into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [decider].into(),
            steward: facilitator,
            members: [MemberId::new(5)].into(),
        },
        changes,
        effective_from: None,
    };
    let stream = StreamId::new(WAVE)?;
    engine.handle(
        proposal(
            decider,
            "2021-07-09T09:00:00Z",
            ProposalCommand::Create {
                config: Box::new(draft),
            },
        )
        .with_kind(DecisionKind::Recruitment),
    )?;
    for (when, command) in [
        ("2021-07-09T09:05:00Z", ProposalCommand::StartCoCreation {}),
        (
            "2021-07-10T09:00:00Z",
            ProposalCommand::LinkFeedback {
                items: vec![ItemId::new(1)],
                themes: vec![ThemeId::new(1)],
            },
        ),
        ("2021-07-11T09:30:00Z", ProposalCommand::MarkReady {}),
        (
            "2021-07-11T09:45:00Z",
            ProposalCommand::StartDecision {
                round: stream.clone(),
            },
        ),
    ] {
        engine.handle(proposal(facilitator, when, command))?;
    }
    let config = RoundConfig::from_route(
        &route,
        community,
        "Appoint the first four allies with lived experience",
        "Appoint the four applicants the panel selected.",
        RoundRoles {
            proposer: decider,
            facilitator,
            secretary,
        },
    )?;
    let request = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&stream, who, when, command)
    };
    open_for_advice(
        engine,
        (&stream, &proposal_stream),
        (decider, facilitator),
        "2021-07-12",
        config,
    )?;
    // Advice from the bodies the route consults: a co-producer of the associate-roles team,
    // and an ally, on the terms the new members join on.
    let advice = [
        (
            13,
            "Offer each new ally the co-producer induction",
            true,
            false,
        ),
        (
            5,
            "Pair each new ally with a member for their first three meetings",
            true,
            true,
        ),
    ];
    for (day, (m, text, affected, expertise)) in (13..).zip(advice) {
        let member = MemberId::new(m);
        let response = Response::Advice {
            advice: text.into(),
            affected,
            expertise,
        };
        engine.handle(request(
            member,
            &format!("2021-07-{day}T10:00:00Z"),
            RoundCommand::Respond { member, response },
        ))?;
        engine.handle(request(
            decider,
            &format!("2021-07-{day}T11:00:00Z"),
            RoundCommand::AnswerAdvice {
                member,
                answer: "Part of how the new allies are welcomed".into(),
            },
        ))?;
    }
    engine.handle(part_request(
        &stream,
        decider,
        "2021-07-20T11:55:00Z",
        PartCommand::DeclareInterests { interest: None },
    ))?;
    engine.handle(request(
        decider,
        "2021-07-20T12:00:00Z",
        RoundCommand::Decide {
            adopt: true,
            rationale: "The panel's choice, advised by the group itself.".into(),
        },
    ))?;
    // The group advising this decision is still the one being rebalanced: I9's warning,
    // acknowledged by the facilitator, who answers for the round.
    engine.handle(acknowledge_allies(
        &stream,
        facilitator,
        "2021-07-20T12:05:00Z",
    )?)?;
    let before = community.figures(&allies)?;
    let outcome = RoundCommand::RecordOutcome {
        statement: "Four allies with lived experience appointed from 20 July.".into(),
        review_date: at("2022-01-20T12:00:00Z"),
    };
    engine.handle(
        request(secretary, "2021-07-20T12:10:00Z", outcome).with_evidence(recruitment_evidence(
            "2021-07-05T09:00:00Z",
            "2021-07-13T10:00:00Z",
            ALLIES_ADVERT,
        )),
    )?;
    // Published a week later, on the round and with the proposal's rationale.
    let published = Evidence {
        publication: Some(Publication {
            published_at: at("2021-07-27T09:00:00Z"),
            redactions: Vec::new(),
        }),
        ..Evidence::default()
    };
    engine.handle(
        Request::new(
            stream.clone(),
            secretary,
            at("2021-07-27T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(published),
    )?;
    let publish = ProposalCommand::Publish {
        rationale: "The panel's choice, advised by the group itself.".into(),
        alternatives: vec!["Invite people directly".into()],
    };
    engine.handle(proposal(facilitator, "2021-07-27T09:00:00Z", publish))?;
    let after = engine.community().figures(&allies)?;
    println!(
        "  Adopted: {} applicants joined the Allies Group in one batch with the adoption.",
        applicants.len()
    );
    println!(
        "  The group: {} members, lived experience {} -> {} members, lived experience {}.",
        before.size,
        before.lived_experience_share(),
        after.size,
        after.lived_experience_share()
    );
    let report = engine
        .report(&stream, at("2021-07-21T09:00:00Z"))
        .expect("the stream has a round");
    show(&report);
    Ok(report)
}

/// An acknowledgement of I9's warning on `stream`, by `by`, who answers for the process.
pub(super) fn acknowledge_allies(
    stream: &StreamId,
    by: MemberId,
    when: &str,
) -> Result<Request, coproduction::Error> {
    Ok(Request::new(stream.clone(), by, at(when), ProcessCommand::Evidence {}).with_evidence(
        Evidence::default().with_acknowledgement(
            "I9".parse()?,
            by,
            "The Allies Group is being rebalanced by this recruitment; its advice was weighed with that in mind",
        ),
    ))
}

/// What a recruitment round does not hold, attested with its outcome: what any round of the
/// year holds (see [`round_evidence`]) and the recruitment's own facts, for an advert open
/// from `advert.0` to `advert.1` with its criteria published when it opened.
pub(super) fn recruitment_evidence(
    papers_sent: &str,
    session: &str,
    (opened, closed): (&str, &str),
) -> Evidence {
    let mut evidence = round_evidence(&["Invite people directly"], papers_sent, session);
    evidence.recruitment = Some(RecruitmentFacts {
        advert_opened_at: Some(at(opened)),
        advert_closed_at: Some(at(closed)),
        ways_to_apply: ["written form", "voice note", "video call"]
            .map(String::from)
            .into(),
        criteria_published_at: Some(at(opened)),
        panel_with_lived_experience: Some(2),
    });
    evidence
}

/// Opens the recruitment round on `round` for the proposal on `proposal`: the decider opens
/// it at 09:00 on `day` and the facilitator advances it, a minute a step, to gathering
/// advice.
fn open_for_advice(
    engine: &StoryEngine,
    (round, proposal): (&StreamId, &StreamId),
    (decider, facilitator): (MemberId, MemberId),
    day: &str,
    config: RoundConfig,
) -> Result<(), coproduction::Error> {
    let open = RoundCommand::Open {
        config: Box::new(config),
    };
    engine.handle(
        round_request(round, decider, &format!("{day}T09:00:00Z"), open)
            .with_kind(DecisionKind::Recruitment)
            .deciding_for(proposal.clone()),
    )?;
    for minute in 1..=3 {
        engine.handle(round_request(
            round,
            facilitator,
            &format!("{day}T09:0{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    Ok(())
}
