//! The funding policy the community agreed, used: a red-line offer declined at screening,
//! which nothing can accept; a foundation's grant whose condition on publication forces
//! tier 2, routed to the decision circle, consulted along the route and accepted with the
//! community's own condition; and a partnership whose condition on what co-producers may
//! say forces tier 2 too, taken through the same process end to end and declined, in the
//! open. Every offer is identified under the policy in force, not one the caller states.

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, ProcessState, Request};
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingOutcome, Offer, RoundProposes, route_facts,
};
use coproduction::journal::StreamId;
use coproduction::values::{FundingCondition, Restriction, Rung, SetAside, ValueReport, Way};
use jiff::civil::Date;

use super::StoryEngine;
use super::deciding::Calendar;
use super::governance::in_force;
use super::{
    FUNDING, FUNDING_ROUND, PARTNERSHIP, PARTNERSHIP_ROUND, TOBACCO, at, pay_public_contributors,
    round_evidence, round_request, show,
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

/// One offer taken through the tier-2 process: what it is, who steps out, the checks, the
/// advice and the community's views, and what the decision circle decides.
struct OfferScene<'a> {
    stream: &'a str,
    round: &'a str,
    offer: Offer,
    /// The day the offer is identified; every step is dated from it.
    day: Date,
    /// A decider who declares an interest and steps out, and the interest.
    recused: Option<(u64, &'a str)>,
    /// The checks of the tier's list: which, by whom, what was found.
    checks: [(Check, u64, &'a str); 7],
    /// Advice from the advising bodies: the body, the adviser, the advice, the answer.
    advice: [(&'a str, u64, &'a str, &'a str); 3],
    /// A comment in the whole community's window.
    comment: (u64, &'a str),
    /// The open session the route asks for from tier 2.
    session: &'a str,
    /// What the circle's round decides, in a line and in full.
    round_title: &'a str,
    round_text: &'a str,
    outcome: FundingOutcome,
    rationale: &'a str,
    alternatives: [&'a str; 2],
}

impl OfferScene<'_> {
    fn on(&self, days: i64, time: &str) -> String {
        Calendar::on(self.day, days, time)
    }
}

/// Takes `scene` through the process on the route the map in force gives, from the offer
/// identified to the decision published. Returns the decision's value report.
fn run_offer(
    engine: &StoryEngine,
    scene: OfferScene<'_>,
) -> Result<ValueReport, coproduction::Error> {
    let community = &engine.community();
    let governance = in_force(engine);
    let policy = engine
        .history()
        .and_then(|h| h.at(at(&scene.on(0, "09:00"))).funding_policy().cloned())
        .expect("the community agreed a funding policy");
    let facts = route_facts(&scene.offer, &policy);
    let route = governance.route(&scene.offer.kind, facts)?;
    let step = |who: u64, when: &str, command: FundingCommand| {
        engine.handle(funding(scene.stream, who, when, command))
    };
    step(
        1,
        &scene.on(0, "09:00"),
        FundingCommand::Identify {
            offer: Box::new(scene.offer.clone()),
            policy: None,
        },
    )?;
    step(1, &scene.on(0, "09:05"), FundingCommand::StartScreening {})?;
    step(1, &scene.on(0, "09:10"), FundingCommand::Screen {})?;
    if let Some(ProcessState::Funding(state)) = engine.state(&StreamId::new(scene.stream)?)
        && let Some(triage) = state.decision().and_then(|d| d.triage())
    {
        println!(
            "  {}: {} ({}); the red-line screen passed; {} decides by {}",
            &scene.on(0, "09:10")[..10],
            scene.offer.funder,
            triage.tier,
            route.decider,
            route.procedure
        );
        for condition in &scene.offer.conditions {
            println!("  Its condition: {}", condition.text);
        }
    }
    step(
        1,
        &scene.on(0, "09:15"),
        FundingCommand::StartDueDiligence {},
    )?;

    // Declarations: whoever has a tie steps out; everyone else in the circle declares none.
    let circle: Vec<MemberId> = community
        .body(&route.decider)
        .expect("the decision circle")
        .members()
        .collect();
    let stepped_out = scene.recused.map(|(m, _)| MemberId::new(m));
    if let Some((member, interest)) = scene.recused {
        step(
            member,
            &scene.on(0, "09:20"),
            FundingCommand::DeclareInterest {
                interest: Some(interest.into()),
                recused: true,
            },
        )?;
    }
    let deciders: Vec<MemberId> = circle
        .iter()
        .copied()
        .filter(|&m| Some(m) != stepped_out)
        .collect();
    for (minute, member) in (21..).zip(&deciders) {
        step(
            member.get(),
            &scene.on(0, &format!("09:{minute}")),
            FundingCommand::DeclareInterest {
                interest: None,
                recused: false,
            },
        )?;
    }
    // Due diligence: the tier's checklist, each check by a named member, with evidence.
    for (hour, (check, who, evidence)) in (10..).zip(scene.checks) {
        step(
            who,
            &scene.on(1, &format!("{hour}:00")),
            FundingCommand::CompleteCheck {
                check,
                evidence: evidence.into(),
            },
        )?;
    }

    // Consultation along the route: advice, each piece answered; the whole community's
    // comment window; an open co-creation session.
    step(
        1,
        &scene.on(1, "17:00"),
        FundingCommand::StartConsultation {},
    )?;
    if let Some(ProcessState::Funding(state)) = engine.state(&StreamId::new(scene.stream)?) {
        let asks: Vec<String> = state
            .decision()
            .map(|d| d.requirements().iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        println!("  The route asks for: {}", asks.join("; "));
    }
    for (n, (from_body, from, text, answer)) in (1..).zip(scene.advice) {
        // Each adviser gives their advice in their own name; the staff lead answers it.
        step(
            from,
            &scene.on(2, &format!("1{n}:00")),
            FundingCommand::RecordAdvice {
                body: body(from_body)?,
                from: MemberId::new(from),
                advice: text.into(),
            },
        )?;
        step(
            1,
            &scene.on(2, &format!("1{n}:30")),
            FundingCommand::AnswerAdvice {
                advice: AdviceId(n),
                answer: answer.into(),
            },
        )?;
    }
    step(
        1,
        &scene.on(2, "17:00"),
        FundingCommand::OpenCommentWindow {
            body: body("whole_community")?,
        },
    )?;
    step(
        scene.comment.0,
        &scene.on(4, "18:00"),
        FundingCommand::Comment {
            body: body("whole_community")?,
            text: scene.comment.1.into(),
        },
    )?;
    step(
        13,
        &scene.on(7, "18:00"),
        FundingCommand::RecordSession {
            body: body("whole_community")?,
            reference: scene.session.into(),
        },
    )?;

    // The consent round in the decision circle, on the engine, without the member who
    // stepped out. It says what it proposes for the offer (to accept it, or to decline it),
    // and the offer is then decided as the circle consented.
    let mut config = RoundConfig::from_route(
        &route,
        community,
        scene.round_title,
        scene.round_text,
        RoundRoles {
            proposer: MemberId::new(1),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(14),
        },
    )?;
    config.eligible.retain(|e| Some(e.member) != stepped_out);
    let round_stream = StreamId::new(scene.round)?;
    let round = |who: u64, when: &str, command: RoundCommand| {
        round_request(&round_stream, MemberId::new(who), when, command)
    };
    let open = round(
        1,
        &scene.on(9, "18:00"),
        RoundCommand::Open {
            config: Box::new(config),
        },
    )
    .with_kind(scene.offer.kind.clone())
    .with_facts(facts)
    .deciding_for(StreamId::new(scene.stream)?);
    engine.handle(match RoundProposes::of(&scene.outcome) {
        Some(proposes) => open.proposing(proposes),
        None => open,
    })?;
    for minute in ["05", "15", "30"] {
        engine.handle(round(
            13,
            &scene.on(9, &format!("18:{minute}")),
            RoundCommand::Advance {},
        ))?;
    }
    for (minute, member) in (31..).zip(&deciders) {
        engine.handle(round(
            member.get(),
            &scene.on(9, &format!("18:{minute}")),
            RoundCommand::Respond {
                member: *member,
                response: Response::consent(),
            },
        ))?;
    }
    engine.handle(round(
        13,
        &scene.on(9, "18:45"),
        RoundCommand::CloseRound {},
    ))?;

    // The circle's co-producers and allies are offered payment for their time, with
    // benefits advice, and accept: each answers for themselves.
    pay_public_contributors(
        engine,
        &StreamId::new(scene.stream)?,
        &circle,
        MemberId::new(1),
        (&scene.on(9, "18:50"), &scene.on(9, "18:55")),
    )?;

    // What neither the round nor the funding decision holds, attested by the member who
    // records the decision: alternatives, the ways offered, expenses, the dates.
    let mut evidence = round_evidence(
        &scene.alternatives,
        &scene.on(2, "09:00"),
        &scene.on(9, "18:00"),
    );
    evidence.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    // Co-produced, and labelled so: the circle where co-producers and allies with lived
    // experience decide by consent shares the power (Arnstein's "partnership"), which rule
    // I7 asks of anything the community calls co-produced.
    evidence.labelled_coproduced = true;
    evidence.ladder = Some(Rung::Partnership);
    if scene.outcome.accepts() {
        evidence.dates.review_at = Some(at(&scene.on(365, "00:00")));
    }

    // Deciding, once the comment window has run its seven days; the gate runs on the
    // decision's record (the funding decision's own, the round's, and the evidence).
    step(1, &scene.on(9, "19:00"), FundingCommand::StartDeciding {})?;
    let accepts = scene.outcome.accepts();
    engine.handle(
        funding(
            scene.stream,
            14,
            &scene.on(9, "19:05"),
            FundingCommand::Decide {
                outcome: scene.outcome.clone(),
                deciders: deciders.clone(),
                rationale: scene.rationale.into(),
            },
        )
        .with_evidence(evidence),
    )?;
    let stream = StreamId::new(scene.stream)?;
    // Every decision goes in the public register with why, a decline too.
    step(
        1,
        &scene.on(14, "09:00"),
        FundingCommand::Publish {
            withheld_reason: None,
        },
    )?;
    if accepts {
        step(
            1,
            &scene.on(14, "09:05"),
            FundingCommand::StartMonitoring {
                review_date: at(&scene.on(365, "00:00")),
            },
        )?;
    }
    let phase = engine
        .state(&stream)
        .map(|s| s.phase_label())
        .unwrap_or("unknown");
    println!(
        "  {}: the circle decides, {} of its {} members deciding; published {}; now {phase}.",
        &scene.on(9, "19:05")[..10],
        deciders.len(),
        circle.len(),
        &scene.on(14, "09:00")[..10],
    );
    if let Some(why) = engine
        .record(&stream, at(&scene.on(14, "10:00")))
        .and_then(|r| r.rationale)
    {
        println!("  Why, as published: {why}");
    }
    let report = engine
        .report(&stream, at(&scene.on(14, "10:00")))
        .expect("the offer's stream");
    show(&report);
    Ok(report)
}

/// The tier-2 checklist, each check by a named member, with what they found.
const FOUNDATION_CHECKS: [(Check, u64, &str); 7] = [
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
        "The project's questions are the community's own",
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

/// A foundation's grant towards the Value of Co-production project, offered in November
/// 2021: £12,000 alone is tier 1, but its condition on publication forces tier 2 (rule
/// C5), so governance routes it to the decision circle by consent. A staff member with a
/// past tie to the foundation declares it and steps out. Accepted with the community's own
/// condition in place of the foundation's. Returns the decision's value report.
pub(super) fn foundation_offer(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let offer = Offer::new(
        DecisionKind::Funding,
        "A pharmaceutical company's foundation",
        "Pharmaceutical philanthropy",
        "£12,000 towards the Value of Co-production project",
    )
    .amount(12_000)
    .condition(
        "The foundation reviews findings before they are published",
        [Restriction::Publication],
    );
    run_offer(
        engine,
        OfferScene {
            stream: FUNDING,
            round: FUNDING_ROUND,
            offer,
            day: "2021-11-08".parse()?,
            recused: Some((2, "Worked for the foundation's parent company until 2019")),
            checks: FOUNDATION_CHECKS,
            advice: [
                (
                    "allies_group",
                    7,
                    "Take it only if we can publish whatever we find",
                    "Agreed: free publication will be our condition",
                ),
                (
                    "allies_group",
                    16,
                    "Point 1: the review clause needs a short deadline and no veto",
                    "The foundation may comment for 14 days; it cannot stop or change publication",
                ),
                (
                    "allies_group",
                    8,
                    "Point 2: say publicly who funds the project",
                    "The register entry and every output will name the funder",
                ),
            ],
            comment: (17, "Will co-producers be paid from the grant?"),
            session: "Open co-creation session, 15 November: what the project should ask",
            round_title: "Accept the foundation's £12,000 with our publication condition",
            round_text: "Accept, on condition that findings are published in full; the \
                         foundation may comment within 14 days.",
            outcome: FundingOutcome::AcceptWithConditions {
                conditions: vec![FundingCondition {
                    text: "Findings are published in full; the foundation may comment within \
                           14 days but not change or delay them"
                        .into(),
                    restricts: Default::default(),
                }],
                // The foundation's review before publication does not stand.
                set_aside: vec![SetAside {
                    condition: "The foundation reviews findings before they are published".into(),
                    reason: "Findings are the community's to publish; our condition replaces it"
                        .into(),
                }],
            },
            rationale: "The project's questions are the community's own; with free publication \
                        secured, the grant pays co-producers for their time.",
            alternatives: [
                "Decline the offer",
                "Accept the offer as made, with the foundation's review",
            ],
        },
    )
}

/// A partnership offered in January 2022: a health-technology company invites the
/// community to co-brand its patient-engagement programme, on condition that it approves
/// what co-producers say about it in public. No money changes hands, but the condition on
/// contributors' voice forces tier 2 (rule C5). Consulted along the route and declined by
/// the decision circle's consent, the reason published. Returns the decision's report.
pub(super) fn partnership_offer(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let offer = Offer::new(
        DecisionKind::Partnership,
        "A health-technology company",
        "Health technology",
        "Co-brand its patient-engagement programme with the community",
    )
    .condition(
        "The company approves what co-producers say in public about the programme",
        [Restriction::Voice],
    );
    run_offer(
        engine,
        OfferScene {
            stream: PARTNERSHIP,
            round: PARTNERSHIP_ROUND,
            offer,
            day: "2022-01-17".parse()?,
            recused: None,
            checks: [
                (
                    Check::LegalAndSanctions,
                    3,
                    "A registered company; on no sanctions list",
                ),
                (Check::Reputation, 4, "No public disputes found"),
                (
                    Check::ConflictsOfInterest,
                    1,
                    "Every member of the circle declared none",
                ),
                (
                    Check::EthicsAndMissionFit,
                    13,
                    "The programme's aims are close to ours, but its users were not involved in setting them",
                ),
                (
                    Check::Conditions,
                    14,
                    "Approval of what co-producers say would silence criticism of the programme",
                ),
                (
                    Check::FinancialStability,
                    3,
                    "No money changes hands; no dependency",
                ),
                (
                    Check::InvolvementPractice,
                    5,
                    "Its advisory panel has no members with lived experience",
                ),
            ],
            advice: [
                (
                    "allies_group",
                    6,
                    "We cannot sign away what co-producers may say",
                    "Agreed: we asked the company to drop the condition; it declined",
                ),
                (
                    "allies_group",
                    18,
                    "Offer to work with them later, on our terms",
                    "The reply says we would talk again without the condition",
                ),
                (
                    "allies_group",
                    9,
                    "Say publicly why we said no",
                    "The record and a post say why",
                ),
            ],
            comment: (
                22,
                "Our name on their programme would look like an endorsement",
            ),
            session: "Open co-creation session, 24 January: what partners ask of our voice",
            round_title: "Decline the health-technology company's partnership",
            round_text: "Decline: the company would approve what co-producers say in public, \
                         and would not drop that condition.",
            outcome: FundingOutcome::Decline {},
            rationale: "Co-producers speak for themselves: a partner who approves what they say \
                        would silence the challenge our values ask of us. The company would not \
                        drop the condition.",
            alternatives: [
                "Accept with our own condition in place of theirs (they refused)",
                "Accept as offered",
            ],
        },
    )
}

/// A tobacco company's grant, offered in November 2021: the red-line screen of the policy
/// in force declines it and publishes the reason. The machine takes no step from
/// `declined` but publishing it, done here at the screen, and the value gate refuses an acceptance even with an override recorded:
/// rule C4 takes none. Returns the decision's value report.
pub(super) fn red_line_offer(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
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
            &format!("2021-11-02T10:{minute}:00Z"),
            command,
        ))
    };
    step(
        "00",
        FundingCommand::Identify {
            offer: Box::new(offer),
            policy: None,
        },
    )?;
    step("05", FundingCommand::StartScreening {})?;
    step("10", FundingCommand::Screen {})?;
    let stream = StreamId::new(TOBACCO)?;
    let now = at("2021-11-02T11:00:00Z");
    let record = engine.record(&stream, now).expect("the offer's stream");
    println!(
        "  2021-11-02: a tobacco company's grant, declined at screening; published: {}",
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
