//! A year in the life of a co-production community, told through the crate.
//!
//! 1. The community: the staff team, the Allies Group, the co-producers, and how many in each
//!    body bring lived experience.
//! 2. Who decides what: the community's governance map, and the route it gives a funding offer
//!    at each tier.
//! 3. The Allies Group's make-up tested against the community's values: rule I1 flags it.
//! 4. A co-creation session on rebalancing it: what people said, grouped into themes, and the
//!    one comment no theme carries.
//! 5. The recruitment decision, taken by advice process as governance routes it, through the
//!    value gate (with rule I6 on inclusive recruitment), and "you said, we did".
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
use coproduction::community::{BodyId, Community, MemberId};
use coproduction::consent::{ConsentRound, Decided, Response, RoundConfig, RoundRoles};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::machine::Context;
use coproduction::values::{
    Charter, Conflict, DecisionRecord, ExpensesFacts, PaymentStatus, RecruitmentFacts,
    RouteSummary, StakeholderFacts, Status, ValueReport, Way,
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

    heading("2. Who decides what");
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

    heading("5. The recruitment decision, by advice process");
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
    let adopted = recruitment_decision(&community, &governance, &charter)?;
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
    println!(
        "{}",
        cocreation
            .you_said_we_did(session)?
            .markdown()
            .with_names(&community)
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
/// Group, and the decision passes the value gate.
fn recruitment_decision(
    community: &Community,
    governance: &Governance,
    charter: &Charter,
) -> Result<String, Box<dyn Error>> {
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
    let ctx = |who: MemberId, when: &str| Context::new(who, at(when));
    let mut round = ConsentRound::open(config, ctx(decider, "2021-06-01T09:00:00Z"))?
        .start_clarifying(ctx(facilitator, "2021-06-01T09:01:00Z"))?
        .start_reactions(ctx(facilitator, "2021-06-01T09:02:00Z"))?
        .start_objection_round(ctx(facilitator, "2021-06-01T09:03:00Z"))?;
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
    for (n, (m, text, affected, expertise)) in (10..).zip(advice) {
        let member = MemberId::new(m);
        let when = format!("2021-06-0{}T10:00:00Z", n - 8);
        round = round.respond(
            ctx(member, &when),
            member,
            Response::Advice {
                advice: text.into(),
                affected,
                expertise,
            },
        )?;
        round = round.answer_advice(
            ctx(decider, &format!("2021-06-0{}T11:00:00Z", n - 8)),
            member,
            "Taken into the plan",
        )?;
    }
    let decided = round.decide(
        ctx(decider, "2021-06-10T12:00:00Z"),
        true,
        "The group needs more members with lived experience; advice shaped how we recruit.",
    )?;
    let Decided::Consented(round) = decided else {
        return Err("the decider adopted".into());
    };

    let now = at("2021-06-10T12:05:00Z");
    let mut record =
        round
            .round()
            .ok_or("an opened round")?
            .record(DecisionKind::Recruitment, community, now);
    record.route_given = route.summary();
    record.route_taken = route.summary();
    record.alternatives = Some(vec!["Invite people directly".into()]);
    record.ways_offered = Some(
        [Way::Live, Way::Written, Way::Asynchronous]
            .into_iter()
            .collect(),
    );
    record.access_requests = Some(Vec::new());
    record.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    record.benefits_advice_signposted = Some(true);
    record.credits = Some(Vec::new());
    record.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(String::from).into(),
        waivers: Default::default(),
    });
    record.recruitment = Some(RecruitmentFacts {
        advert_opened_at: Some(at("2021-06-14T09:00:00Z")),
        advert_closed_at: Some(at("2021-07-05T17:00:00Z")),
        ways_to_apply: ["written form", "voice note", "video call"]
            .map(String::from)
            .into(),
        criteria_published_at: Some(at("2021-06-14T09:00:00Z")),
        panel_with_lived_experience: Some(2),
    });
    record.dates.review_at = Some(at("2021-12-10T12:00:00Z"));
    record.dates.papers_sent_at = Some(at("2021-05-28T09:00:00Z"));
    record.dates.session_at = Some(at("2021-06-04T10:00:00Z"));
    for p in record.participants.iter_mut().flatten() {
        p.conflict = Some(Conflict::None);
        if p.public_contributor {
            p.payment = Some(PaymentStatus::Accepted);
        }
    }
    let report = charter.check(&record);
    show(&report);
    let proof = report.gate().map_err(|refusal| refusal.to_string())?;
    let adopted = round.record_outcome(
        ctx(secretary, "2021-06-10T12:10:00Z"),
        "Four paid places on the Allies Group, advertised openly from 14 June.",
        at("2021-12-10T12:00:00Z"),
        &proof,
    )?;
    Ok(format!(
        "Adopted after {} events, with the gate passed on {} rules.",
        adopted.events().len(),
        proof.rules_checked().len()
    ))
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
