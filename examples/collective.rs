//! A year in the life of a co-production community, told through the crate.
//!
//! 1. The community: the staff team, the Allies Group, the co-producers, and how many in each
//!    body bring lived experience.
//! 2. Who decides what: the governance map's route for a funding offer at each tier; an offer
//!    whose condition on publication forces tier 2, and a red-line funder declined at
//!    screening, which no override can accept.
//! 3. The Allies Group's make-up tested against the community's values: rule I1 flags it.
//! 4. A co-creation session on rebalancing it: what people said, grouped into themes, and the
//!    one comment no theme carries.
//! 5. The recruitment: a proposal, made ready along the governance route and decided by
//!    advice process, run on the engine with a journal file, through the value gate (rule I6
//!    on inclusive recruitment), then published; and "you said, we did".
//! 6. Metrics from the journal: participation, lived experience, time to decision.
//! 7. The decision record (Markdown), the diagrams (DOT) and the metrics (JSON), written to a
//!    folder the example names.
//!
//! The seed community and its governance map are the JSON files under `examples/data/`.
//! Nobody in them is a real person: people are named by what they do.
//!
//! Run it with `cargo run --example collective`.

use std::error::Error;

use coproduction::cocreation::{
    CoCreation, Decision, DecisionId, Facilitator, FeedbackItem, ItemId, Link, Outcome, ProposalId,
    ProposalVersion, Session, SessionId, SessionKind, Theme, ThemeId, Version, VersionId,
    WayToTakePart,
};
use coproduction::community::{BodyId, Community, MemberId, Role};
use coproduction::consent::{ConsentProcess, Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::engine::{Engine, EngineEvent, ProcessCommand, Request};
use coproduction::funding::{Funding, FundingPolicy, Offer, Screened, route_facts, tier};
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::journal::{FileJournal, Journal, StreamId};
use coproduction::machine::Context;
use coproduction::machine::Decider;
use coproduction::metrics::Metrics;
use coproduction::proposal::{
    DecisionResult, ProposalCommand, ProposalConfig, ProposalProcess, ProposalRoles,
};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{
    Charter, Conflict, DecisionRecord, ExpensesFacts, Participant, PaymentStatus, Publication,
    RecruitmentFacts, Restriction, RouteSummary, StakeholderFacts, Status, ValueReport, Way,
};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

fn main() -> Result<(), Box<dyn Error>> {
    let community: Community = serde_json::from_str(include_str!("data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;

    heading("1. The community");
    println!(
        "{} members in {} bodies\n",
        community.members().len(),
        community.bodies().len()
    );
    for body in community.bodies() {
        let figures = community.figures(&body.id)?;
        let share = figures.lived_experience_share();
        let note = if share.at_least(1, 2) {
            ""
        } else {
            "  <- fewer than half"
        };
        println!(
            "  {:<40} {:>2} members, lived experience {share}{note}",
            body.name, figures.size
        );
    }

    heading("2. Who decides what, and two funding offers");
    let governance = Governance::new(map, &community)?;
    for (label, facts) in [
        (
            "a red-line funder",
            RouteFacts::new().amount(5_000).red_line_hit(),
        ),
        ("a small grant (£1,500)", RouteFacts::new().amount(1_500)),
        ("a grant of £8,000", RouteFacts::new().amount(8_000)),
        (
            "£8,000 that restricts publication",
            RouteFacts::new().amount(8_000).risk(Tier::Two),
        ),
    ] {
        let route = governance.route(&DecisionKind::Funding, facts)?;
        let consult: Vec<&str> = route.consult.iter().map(|c| c.body.as_str()).collect();
        println!(
            "  Funding, {label}: {} ({}), {}; consult first: {}",
            route.decider,
            route.procedure,
            route.case,
            if consult.is_empty() {
                "nobody".to_owned()
            } else {
                consult.join(", ")
            }
        );
    }

    funding_offers(&community, &governance)?;

    heading("3. The Allies Group, tested against the community's values");
    let charter = Charter::default();
    let allies = BodyId::new("allies_group")?;
    // Suppose the Allies Group, as it stands, took a partnership decision.
    let record = DecisionRecord {
        route_taken: Some(RouteSummary::new(allies.clone(), Method::Consent)),
        body: Some(community.figures(&allies)?),
        ..DecisionRecord::new(DecisionKind::Partnership)
    };
    let report = charter.check(&record);
    if let Some(i1) = report.finding("I1") {
        println!(
            "  {} [{}, {}] {}: {}",
            i1.rule,
            i1.value,
            i1.severity.label(),
            i1.status.label(),
            i1.message
        );
    }
    println!("  As it stands, the group could not take such a decision: the community recruits.");

    heading("4. A co-creation session on rebalancing the Allies Group");
    let mut cocreation = co_creation_session(&community)?;
    let session = SessionId::new(1);
    let lost: Vec<String> = cocreation
        .uncarried()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!(
        "  {} items gathered into 3 themes; carried by no theme (listed, not lost): {}",
        cocreation.items_of(session)?.len(),
        lost.join(", ")
    );

    heading("5. The recruitment decision, by advice process, through the engine");
    let out = std::env::temp_dir().join("coproduction-collective");
    std::fs::create_dir_all(&out)?;
    let journal_path = out.join("journal.jsonl");
    // Start the year afresh each run.
    if journal_path.exists() {
        std::fs::remove_file(&journal_path)?;
    }
    let (journal, _) = FileJournal::open(&journal_path)?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;
    let engine = Engine::open(
        community.clone(),
        Some(Governance::new(map, &community)?),
        charter.clone(),
        journal,
    )?;
    let route = governance.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    println!(
        "  Route: {} decides ({}), advised by {}",
        route.decider,
        route.procedure,
        route
            .consult
            .iter()
            .map(|c| c.body.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let adopted = recruitment_decision(&engine, &governance)?;
    println!("  {adopted}");

    cocreation.add_decision(Decision::new(
        DecisionId::new(1),
        "Recruit allies with lived experience",
        at("2021-06-10T12:00:00Z"),
    ))?;
    cocreation.link(Link::LeadsTo {
        version: version(),
        decision: DecisionId::new(1),
    })?;
    cocreation.record_outcome(
        DecisionId::new(1),
        ThemeId::new(1),
        Outcome::AdoptedAsProposed,
    )?;
    cocreation.record_outcome(
        DecisionId::new(1),
        ThemeId::new(2),
        Outcome::adapted("Paid at the co-producer rate, with expenses within two weeks")?,
    )?;
    cocreation.record_outcome(
        DecisionId::new(1),
        ThemeId::new(3),
        Outcome::not_taken_forward("The group keeps its university members; it grows instead")?,
    )?;

    heading("You said, we did");
    let you_said = cocreation
        .you_said_we_did(session)?
        .markdown()
        .with_names(&community)
        .to_string();
    println!("{you_said}");

    heading("6. How the community decided: metrics from the journal");
    let envelopes = engine.journal().read_all()?;
    let metrics =
        Metrics::from_journal(&envelopes, &community, engine.charter(), Some(&cocreation));
    println!("{}", metrics.table());

    heading("7. The record, written out");
    let stream = StreamId::new("allies-recruitment")?;
    let now = at("2021-06-20T09:00:00Z");
    let record = engine
        .record(&stream, now)
        .ok_or("the recruitment stream has a round")?;
    let report = engine.charter().check(&record);
    let files = [
        (
            "recruitment-record.md",
            DecisionRecordMarkdown::new(&record, &report)
                .titled("Recruit allies with lived experience")
                .to_string(),
        ),
        ("you-said-we-did.md", you_said),
        (
            "consent-round.dot",
            ConsentProcess::graph()?.dot().to_string(),
        ),
        ("proposal.dot", ProposalProcess::graph()?.dot().to_string()),
        ("governance.dot", governance.map().dot().to_string()),
        ("metrics.json", serde_json::to_string_pretty(&metrics)?),
    ];
    for (name, text) in &files {
        std::fs::write(out.join(name), text)?;
    }
    println!(
        "Wrote the journal and {} files to {}",
        files.len(),
        out.display()
    );
    Ok(())
}

fn heading(text: &str) {
    println!("\n== {text} ==\n");
}

fn version() -> VersionId {
    VersionId::new(ProposalId::new(1), Version::new(1))
}

/// The co-creation session: what people said about the Allies Group, and the themes.
fn co_creation_session(community: &Community) -> Result<CoCreation, Box<dyn Error>> {
    let mut model = CoCreation::new();
    let session = SessionId::new(1);
    model.add_session(
        Session::new(
            session,
            SessionKind::Workshop,
            "Who should sit on the Allies Group?",
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
fn recruitment_decision(
    engine: &Engine<FileJournal<EngineEvent>>,
    governance: &Governance,
) -> Result<String, Box<dyn Error>> {
    let community = engine.community();
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
    let stream = StreamId::new("allies-recruitment")?;
    let request = |who: MemberId, when: &str, command: RoundCommand| {
        Request::new(
            stream.clone(),
            who,
            at(when),
            ProcessCommand::Consent { command },
        )
    };
    // The proposal the round decides: drafted, shared for co-creation, linked to the
    // workshop's feedback, made ready along the route governance gives.
    let proposal_stream = StreamId::new("allies-recruitment-proposal")?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        Request::new(
            proposal_stream.clone(),
            who,
            at(when),
            ProcessCommand::Proposal { command },
        )
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
    let ready = ProposalCommand::MarkReady {
        route: route.summary().ok_or("a route with a method")?,
    };
    engine.handle(proposal(facilitator, "2021-05-31T09:00:00Z", ready))?;
    engine.handle(proposal(
        facilitator,
        "2021-05-31T09:30:00Z",
        ProposalCommand::StartDecision {
            round: stream.clone(),
        },
    ))?;
    engine.handle(
        request(
            decider,
            "2021-06-01T09:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::Recruitment),
    )?;
    for minute in 1..=3 {
        engine.handle(request(
            facilitator,
            &format!("2021-06-01T09:0{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
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
    engine.handle(request(decider, "2021-06-10T12:00:00Z", decide))?;

    // What the round does not hold, recorded with the adopting request: the engine's gate
    // checks the round's own record supplemented with it.
    let mut evidence = DecisionRecord::new(DecisionKind::Recruitment);
    evidence.route_taken = route.summary();
    evidence.alternatives = Some(vec!["Invite people directly".into()]);
    evidence.ways_offered = Some(
        [Way::Live, Way::Written, Way::Asynchronous]
            .into_iter()
            .collect(),
    );
    evidence.access_requests = Some(Vec::new());
    evidence.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    evidence.benefits_advice_signposted = Some(true);
    evidence.credits = Some(Vec::new());
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(String::from).into(),
        waivers: Default::default(),
    });
    evidence.recruitment = Some(RecruitmentFacts {
        advert_opened_at: Some(at("2021-06-14T09:00:00Z")),
        advert_closed_at: Some(at("2021-07-05T17:00:00Z")),
        ways_to_apply: ["written form", "voice note", "video call"]
            .map(String::from)
            .into(),
        criteria_published_at: Some(at("2021-06-14T09:00:00Z")),
        panel_with_lived_experience: Some(2),
    });
    evidence.dates.papers_sent_at = Some(at("2021-05-28T09:00:00Z"));
    evidence.dates.session_at = Some(at("2021-06-04T10:00:00Z"));
    let deciders: Vec<MemberId> = engine
        .record(&stream, at("2021-06-10T12:00:00Z"))
        .and_then(|r| r.participants)
        .unwrap_or_default()
        .iter()
        .map(|p| p.member)
        .collect();
    evidence.participants = Some(
        deciders
            .into_iter()
            .map(|m| {
                let p = Participant::new(m).declared(Conflict::None);
                let contributor = community.member(m).is_some_and(|c| {
                    c.has_role(Role::CommunityMember) || c.has_role(Role::CoProducer)
                });
                if contributor {
                    p.contributor(PaymentStatus::Accepted)
                } else {
                    p
                }
            })
            .collect(),
    );
    let outcome = RoundCommand::RecordOutcome {
        statement: "Four paid places on the Allies Group, advertised openly from 14 June.".into(),
        review_date: at("2021-12-10T12:00:00Z"),
    };
    engine.handle(request(secretary, "2021-06-10T12:10:00Z", outcome).with_evidence(evidence))?;

    // Published a week later: evidence recorded after the decision.
    let published = DecisionRecord {
        publication: Some(Publication {
            published_at: at("2021-06-17T09:00:00Z"),
            redactions: Vec::new(),
        }),
        ..DecisionRecord::new(DecisionKind::Recruitment)
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

    // The proposal records the round's decision (the engine checks the round reached it, and
    // gates it on a record built on the round's), then publishes it with its rationale.
    let adopted = ProposalCommand::RecordDecision {
        round: stream.clone(),
        result: DecisionResult::Adopted {
            review_date: at("2021-12-10T12:00:00Z"),
        },
    };
    engine.handle(proposal(facilitator, "2021-06-10T12:15:00Z", adopted))?;
    let publish = ProposalCommand::Publish {
        rationale:
            "More members with lived experience; the workshop's advice shaped how we recruit."
                .into(),
        alternatives: vec!["Invite people directly".into()],
    };
    engine.handle(proposal(facilitator, "2021-06-17T09:00:00Z", publish))?;
    let phase = engine
        .proposal_phase(&proposal_stream)
        .ok_or("a proposal")?;
    println!(
        "  The proposal is {}.",
        coproduction::machine::Phase::label(phase)
    );

    let now = at("2021-06-20T09:00:00Z");
    let report = engine
        .report(&stream, now)
        .ok_or("the stream has a round")?;
    show(&report);
    Ok(format!(
        "{} adopted and published; the journal holds {} events.",
        stream,
        engine.journal().read_all()?.len()
    ))
}

/// Two offers: one whose condition on publication forces it to tier 2 and a consent round in
/// the decision circle; one from a red-line sector, declined at screening with the reason
/// published, which nothing can accept. (`examples/funding_decision.rs` takes the first offer
/// all the way through consultation to acceptance with conditions.)
fn funding_offers(community: &Community, governance: &Governance) -> Result<(), Box<dyn Error>> {
    let policy = FundingPolicy::seed();
    let restricting = Offer::new(
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
    let triage = tier(&restricting, &policy);
    let route = governance.route(&restricting.kind, route_facts(&restricting, &policy))?;
    println!(
        "\n  {}: {} ({} reasons: {:?}); {} decides by {}",
        restricting.funder,
        triage.tier,
        triage.reasons.len(),
        triage.reasons,
        route.decider,
        route.procedure
    );

    let red_line = Offer::new(
        DecisionKind::Funding,
        "A tobacco company",
        "Tobacco",
        "A grant towards community events",
    )
    .amount(5_000);
    let route = governance.route(&red_line.kind, route_facts(&red_line, &policy))?;
    let ctx =
        |minute: &str| Context::new(MemberId::new(1), at(&format!("2021-04-19T09:{minute}:00Z")));
    let screened = Funding::identify(red_line, policy, ctx("00"))?
        .start_screening(ctx("05"))?
        .screen(ctx("10"), route)?;
    let Screened::Declined(declined) = screened else {
        return Err("a red line is crossed".into());
    };
    let decision = declined.decision().ok_or("a screened offer")?;
    println!(
        "  {}: declined at screening; published: {}",
        decision.offer().funder,
        decision.listing().map_or("", |l| l.rationale.as_str())
    );
    // An override cannot accept it: rule C4 takes none.
    let mut record = decision.record(community, at("2021-04-19T10:00:00Z"));
    record.outcome = Some(coproduction::values::Outcome::Adopted);
    let record = record.with_override("C4".parse()?, MemberId::new(1), "We need the money");
    let refusal = Charter::default()
        .gate(&record)
        .err()
        .ok_or("the gate refuses C4")?;
    let c4 = refusal
        .unmet()
        .iter()
        .find(|u| u.rule.as_str() == "C4")
        .ok_or("C4 is unmet")?;
    println!(
        "  Accepting it anyway, with an override recorded: the gate refuses: {}",
        c4.message
    );
    Ok(())
}

/// Prints a report's verdicts and every finding that is not simply satisfied.
fn show(report: &ValueReport) {
    let verdicts: Vec<String> = report
        .verdicts()
        .iter()
        .map(|v| format!("{} {}", v.value.as_str(), v.verdict.label()))
        .collect();
    println!("  Values: {}", verdicts.join(", "));
    for f in report.findings() {
        if f.rule.as_str() == "I6" || !matches!(f.status, Status::Satisfied | Status::NotApplicable)
        {
            println!(
                "    {} [{}, {}] {}: {}",
                f.rule,
                f.value,
                f.severity.label(),
                f.status.label(),
                f.message
            );
        }
    }
}
