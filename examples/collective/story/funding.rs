//! Two funding offers on the engine: one routed by its tier to the decision circle, consulted
//! along the route and accepted with the community's own condition; one from a red-line
//! sector, declined at screening, which nothing can accept.

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, ProcessState, Request};
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingOutcome, FundingPolicy, Offer, route_facts, tier,
};
use coproduction::governance::Governance;
use coproduction::journal::StreamId;
use coproduction::values::{
    Evidence, ExpensesFacts, FundingCondition, Restriction, SetAside, StakeholderFacts,
    ValueReport, Way,
};

use super::StoryEngine;
use super::{
    FOUNDATION, FOUNDATION_ROUND, TOBACCO, at, pay_public_contributors, round_request, show,
};

fn body(slug: &str) -> Result<BodyId, coproduction::Error> {
    Ok(BodyId::new(slug)?)
}

/// A request to the funding decision on `stream`.
fn funding(stream: &str, who: u64, when: &str, command: FundingCommand) -> Request {
    Request::new(
        StreamId::new(stream).expect("a valid stream id"),
        MemberId::new(who),
        at(when),
        ProcessCommand::Funding { command },
    )
}

/// The foundation's offer: £12,000 alone is tier 1, but its condition on publication forces
/// tier 2 (rule C5), so governance routes it to the decision circle by consent, after advice
/// from the associate-roles team and the Allies Group and the whole community's views. A
/// staff member with a past tie to the foundation declares it and steps out. Returns the
/// decision's value report.
pub(super) fn foundation_offer(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    let community = &engine.community();
    let policy = FundingPolicy::seed();
    let offer = Offer::new(
        DecisionKind::Funding,
        "A pharmaceutical company's foundation",
        "Pharmaceutical philanthropy",
        "£12,000 towards the associate-roles pilot",
    )
    .amount(12_000)
    .condition(
        "The foundation reviews findings before they are published",
        [Restriction::Publication],
    );
    let triage = tier(&offer, &policy);
    let facts = route_facts(&offer, &policy);
    let route = governance.route(&offer.kind, facts)?;
    println!(
        "  {}: {}; {} decides by {}",
        offer.funder, triage.tier, route.decider, route.procedure
    );
    let step = |who: u64, when: &str, command: FundingCommand| {
        engine.handle(funding(FOUNDATION, who, when, command))
    };
    step(
        1,
        "2021-04-19T09:00:00Z",
        FundingCommand::Identify {
            offer: Box::new(offer.clone()),
            policy: Some(Box::new(policy.clone())),
        },
    )?;
    step(1, "2021-04-19T09:05:00Z", FundingCommand::StartScreening {})?;
    step(1, "2021-04-19T09:10:00Z", FundingCommand::Screen {})?;
    step(
        1,
        "2021-04-19T09:15:00Z",
        FundingCommand::StartDueDiligence {},
    )?;

    // Declarations: Staff member 2 once worked for the foundation's parent company and
    // steps out; everyone else in the circle declares no interest.
    let circle: Vec<MemberId> = community
        .body(&route.decider)
        .expect("the decision circle")
        .members()
        .collect();
    let stepped_out = MemberId::new(2);
    step(
        2,
        "2021-04-19T09:20:00Z",
        FundingCommand::DeclareInterest {
            interest: Some("Worked for the foundation's parent company until 2019".into()),
            recused: true,
        },
    )?;
    let deciders: Vec<MemberId> = circle
        .iter()
        .copied()
        .filter(|&m| m != stepped_out)
        .collect();
    for (i, member) in deciders.iter().enumerate() {
        step(
            member.get(),
            &format!("2021-04-19T09:{:02}:00Z", 21 + i),
            FundingCommand::DeclareInterest {
                interest: None,
                recused: false,
            },
        )?;
    }

    // Due diligence: the tier-2 checklist, each check by a named member, with evidence.
    let checks = [
        (
            Check::LegalAndSanctions,
            3,
            "A registered charity; on no sanctions list",
        ),
        (
            Check::Reputation,
            4,
            "A past marketing dispute, settled in 2019",
        ),
        (
            Check::ConflictsOfInterest,
            1,
            "One declared tie; Staff member 2 steps out",
        ),
        (
            Check::EthicsAndMissionFit,
            13,
            "The pilot's questions are the community's own",
        ),
        (
            Check::Conditions,
            14,
            "A review before publication would let the funder delay findings",
        ),
        (
            Check::FinancialStability,
            3,
            "An endowed foundation; the grant is a small share of its giving",
        ),
        (
            Check::InvolvementPractice,
            5,
            "It funds patient panels but pays nobody on them",
        ),
    ];
    for (i, (check, who, evidence)) in checks.into_iter().enumerate() {
        step(
            who,
            &format!("2021-04-20T{}:00:00Z", 10 + i),
            FundingCommand::CompleteCheck {
                check,
                evidence: evidence.into(),
            },
        )?;
    }

    // Consultation along the route: advice, each piece answered; the whole community's
    // comment window; a co-creation session.
    step(
        1,
        "2021-04-20T17:00:00Z",
        FundingCommand::StartConsultation {},
    )?;
    if let Some(ProcessState::Funding(state)) = engine.state(&StreamId::new(FOUNDATION)?) {
        let asks: Vec<String> = state
            .decision()
            .map(|d| d.requirements().iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        println!("  The route asks for: {}", asks.join("; "));
    }
    let advice = [
        (
            "associate_roles_team",
            13,
            "Take it only if we can publish whatever we find",
            "Agreed: free publication will be our condition",
        ),
        (
            "allies_group",
            5,
            "Point 1: the review clause needs a short deadline and no veto",
            "The foundation may comment for 14 days; it cannot stop or change publication",
        ),
        (
            "allies_group",
            8,
            "Point 2: say publicly who funds the pilot",
            "The register entry and every output will name the funder",
        ),
    ];
    for (n, (from_body, from, text, answer)) in (1..).zip(advice) {
        // Each adviser gives their advice in their own name; the staff lead answers it.
        step(
            from,
            &format!("2021-04-21T1{n}:00:00Z"),
            FundingCommand::RecordAdvice {
                body: body(from_body)?,
                from: MemberId::new(from),
                advice: text.into(),
            },
        )?;
        step(
            1,
            &format!("2021-04-21T1{n}:30:00Z"),
            FundingCommand::AnswerAdvice {
                advice: AdviceId(n),
                answer: answer.into(),
            },
        )?;
    }
    step(
        1,
        "2021-04-21T17:00:00Z",
        FundingCommand::OpenCommentWindow {
            body: body("whole_community")?,
        },
    )?;
    step(
        17,
        "2021-04-23T18:00:00Z",
        FundingCommand::Comment {
            body: body("whole_community")?,
            text: "Will co-producers be paid from the grant?".into(),
        },
    )?;
    step(
        13,
        "2021-04-26T18:00:00Z",
        FundingCommand::RecordSession {
            body: body("whole_community")?,
            reference: "Co-creation session, 26 April: what the pilot should ask".into(),
        },
    )?;

    // The consent round in the decision circle, on the engine, without the member who
    // stepped out.
    let mut config = RoundConfig::from_route(
        &route,
        community,
        "Accept the foundation's £12,000 with our publication condition",
        "Accept, on condition that findings are published in full; the foundation may comment within 14 days.",
        RoundRoles {
            proposer: MemberId::new(1),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(14),
        },
    )?;
    config.eligible.retain(|e| e.member != stepped_out);
    let round_stream = StreamId::new(FOUNDATION_ROUND)?;
    let round = |who: u64, when: &str, command: RoundCommand| {
        round_request(&round_stream, MemberId::new(who), when, command)
    };
    engine.handle(
        round(
            1,
            "2021-04-28T18:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::Funding)
        .with_facts(facts)
        .deciding_for(StreamId::new(FOUNDATION)?),
    )?;
    for minute in ["05", "15", "30"] {
        engine.handle(round(
            13,
            &format!("2021-04-28T18:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    for (i, member) in deciders.iter().enumerate() {
        engine.handle(round(
            member.get(),
            &format!("2021-04-28T18:{:02}:00Z", 31 + i),
            RoundCommand::Respond {
                member: *member,
                response: Response::consent(),
            },
        ))?;
    }
    engine.handle(round(
        13,
        "2021-04-28T18:45:00Z",
        RoundCommand::CloseRound {},
    ))?;

    // The circle's co-producers and allies are offered payment for their time, with
    // benefits advice, and accept: each answers for themselves.
    pay_public_contributors(
        engine,
        &StreamId::new(FOUNDATION)?,
        &circle,
        MemberId::new(1),
        ("2021-04-28T18:50:00Z", "2021-04-28T18:55:00Z"),
    )?;

    // What neither the round nor the funding decision holds, attested by the member who
    // records the decision: alternatives, the ways offered, expenses, the dates.
    let mut evidence = Evidence {
        alternatives: Some(vec![
            "Decline the offer".into(),
            "Accept the offer as made, with the foundation's review".into(),
        ]),
        ..Evidence::default()
    };
    evidence.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(String::from).into(),
        waivers: Default::default(),
    });
    evidence.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(10),
    });
    evidence.credits = Some(Vec::new());
    evidence.dates.review_at = Some(at("2022-04-28T00:00:00Z"));
    evidence.dates.session_at = Some(at("2021-04-28T18:00:00Z"));
    evidence.dates.papers_sent_at = Some(at("2021-04-21T09:00:00Z"));
    // The Allies Group advised with three of its eight members bringing lived experience:
    // I9's warning, acknowledged by the circle member who records the decision.
    let evidence = evidence.with_acknowledgement(
        "I9".parse()?,
        MemberId::new(14),
        "The Allies Group is being rebalanced; its advice was weighed with that in mind",
    );

    // The round's consent is the circle's; the engine recorded it in the funding decision when
    // the round closed, and it is the decision that the gate checks, with the round's record
    // beneath it.

    // Deciding, once the comment window has run its seven days; the gate runs on the
    // decision's record (the funding decision's own, the round's, and the evidence).
    step(1, "2021-04-28T19:00:00Z", FundingCommand::StartDeciding {})?;
    let rationale = "The pilot is the community's own; with free publication secured, the grant pays co-producers for their time.";
    engine.handle(
        funding(
            FOUNDATION,
            14,
            "2021-04-28T19:05:00Z",
            FundingCommand::Decide {
                outcome: FundingOutcome::AcceptWithConditions {
                    conditions: vec![FundingCondition {
                        text: "Findings are published in full; the foundation may comment within 14 days but not change or delay them".into(),
                        restricts: Default::default(),
                    }],
                    // The foundation's review before publication does not stand.
                    set_aside: vec![SetAside {
                        condition: "The foundation reviews findings before they are published".into(),
                        reason: "Findings are the community's to publish; our condition replaces it".into(),
                    }],
                },
                deciders: deciders.clone(),
                rationale: rationale.into(),
            },
        )
        .with_evidence(evidence),
    )?;
    step(
        1,
        "2021-05-03T09:00:00Z",
        FundingCommand::Publish {
            withheld_reason: None,
        },
    )?;
    step(
        1,
        "2021-05-03T09:05:00Z",
        FundingCommand::StartMonitoring {
            review_date: at("2022-04-28T00:00:00Z"),
        },
    )?;
    let stream = StreamId::new(FOUNDATION)?;
    let phase = engine
        .state(&stream)
        .map(|s| s.phase_label())
        .unwrap_or("unknown");
    println!(
        "  Accepted with the community's condition; the register entry is published; now {phase}."
    );
    let report = engine
        .report(&stream, at("2021-05-03T10:00:00Z"))
        .expect("the offer's stream");
    show(&report);
    Ok(report)
}

/// A tobacco company's grant: the red-line screen declines it and publishes the reason.
/// The machine has no step from `declined`, and the value gate refuses an acceptance even
/// with an override recorded: rule C4 takes none. Returns the decision's value report.
pub(super) fn red_line_offer(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let policy = FundingPolicy::seed();
    let offer = Offer::new(
        DecisionKind::Funding,
        "A tobacco company",
        "Tobacco",
        "A grant towards community events",
    )
    .amount(5_000);
    let step = |minute: &str, command: FundingCommand| {
        engine.handle(funding(
            TOBACCO,
            1,
            &format!("2021-04-19T10:{minute}:00Z"),
            command,
        ))
    };
    step(
        "00",
        FundingCommand::Identify {
            offer: Box::new(offer),
            policy: Some(Box::new(policy)),
        },
    )?;
    step("05", FundingCommand::StartScreening {})?;
    step("10", FundingCommand::Screen {})?;
    let stream = StreamId::new(TOBACCO)?;
    let now = at("2021-04-19T11:00:00Z");
    let record = engine.record(&stream, now).expect("the offer's stream");
    println!(
        "\n  A tobacco company: declined at screening; published: {}",
        record.rationale.as_deref().unwrap_or("")
    );
    let accept = FundingCommand::Decide {
        outcome: FundingOutcome::Accept {},
        deciders: vec![MemberId::new(1)],
        rationale: "We need the money".into(),
    };
    let refused = step("15", accept).expect_err("nothing accepts it");
    println!("  Accepting it anyway, on the engine: {refused}");
    // Nor can an override: rule C4 takes none.
    let mut adopted = record.clone();
    adopted.outcome = Some(coproduction::values::Outcome::Adopted);
    let adopted = adopted.with_override("C4".parse()?, MemberId::new(1), "We need the money");
    if let Err(refusal) = engine.charter().gate(&adopted) {
        for unmet in refusal.unmet().iter().filter(|u| u.rule.as_str() == "C4") {
            println!(
                "  With an override recorded, the gate still refuses: {}",
                unmet.message
            );
        }
    }
    Ok(engine.charter().check(&record))
}
