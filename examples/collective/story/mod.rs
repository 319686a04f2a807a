//! A year in the life of a co-production community, told through the crate: the story the
//! `collective` example prints and `tests/story.rs` checks.
//!
//! 1. The community: the staff team, the Allies Group, the co-producers, and how many in each
//!    body bring lived experience.
//! 2. Who decides what: the governance map's route for a funding offer at each tier.
//! 3. Two funding offers on the engine: one whose condition on publication forces tier 2,
//!    routed to the decision circle, consulted along the route and accepted with the
//!    community's own condition; one from a red-line sector, declined at screening, which
//!    nothing can accept (rule C4).
//! 4. The Allies Group's make-up tested against the community's values: rule I9 flags the
//!    advice the foundation's offer relied on.
//! 5. A co-creation session on how the community decides: what people said about the Allies
//!    Group, grouped into themes, and the one comment no theme carries.
//! 6. The recruitment to rebalance it: a proposal decided by advice process, through the
//!    value gate (rule I6 on inclusive recruitment), then published.
//! 7. The associate-roles working model: its time box extended with a reason, a member
//!    reminded to respond, an objection the report flags until it is dealt with (rule T3),
//!    integrated; adopted as a pilot scheduled to start in the spring.
//! 8. Who decides recruitment: a governance decision by the whole community, by consent,
//!    whose proposal carries a new governance map giving recruitment to the decision circle.
//! 9. The first co-producers appointed on the new route. Each decision's gate names the map
//!    it was routed by: the foundation's offer the founding map, the appointment the new one.
//!    Then the working model's pilot: the engine's tick starts it on its day, its review
//!    falls due six months from that start, and a reassessment round held for the proposal,
//!    advised by the Allies Group, consents to continue it.
//! 10. "You said, we did"; metrics from the journal; the records (Markdown and HTML pages,
//!     the red-line offer's among them), the diagrams
//!     (DOT) and the metrics (JSON), written to the output folder.
//!
//! Every decision runs on one engine with a journal file in the output folder. The seed
//! community and its governance map are the JSON files under `examples/data/`. Nobody in
//! them is a real person: people are named by what they do.

mod funding;
mod governance;
mod recruitment;
mod working_model;

use std::path::{Path, PathBuf};

use coproduction::cocreation::{
    CoCreation, Decision, DecisionId, Link, ProposalId, SessionId, ThemeId, ThemeOutcome, Version,
    VersionId,
};
use coproduction::community::{Community, Member, MemberId, Naming};
use coproduction::consent::{ConsentProcess, RoundCommand};
use coproduction::decision::{DecisionKind, Tier};
use coproduction::engine::{DueItem, Engine, EngineEvent, ProcessCommand, Request, StepTaken};
use coproduction::funding::FundingProcess;
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::journal::{FileJournal, Journal, StreamId};
use coproduction::living::{self, CommunityChange};
use coproduction::machine::Decider;
use coproduction::metrics::Metrics;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalProcess};
use coproduction::report::{DecisionRecordMarkdown, svg_from_dot};
use coproduction::values::{
    Charter, Evidence, ExpensesFacts, Finding, StakeholderFacts, Status, ValueReport, Way,
};
use jiff::Timestamp;

/// The foundation's offer (a funding decision).
pub const FOUNDATION: &str = "offer-foundation";
/// The decision circle's consent round on it.
pub const FOUNDATION_ROUND: &str = "offer-foundation-round";
/// The red-line offer.
pub const TOBACCO: &str = "offer-tobacco";
/// The recruitment proposal.
pub const RECRUITMENT_PROPOSAL: &str = "allies-recruitment-proposal";
/// The staff team's advice round deciding it.
pub const RECRUITMENT: &str = "allies-recruitment";
/// The proposal that appointed the first wave of new allies.
pub const WAVE_PROPOSAL: &str = "allies-first-wave-proposal";
/// The advice round that decided the first wave.
pub const WAVE: &str = "allies-first-wave";
/// The working model's proposal.
pub const WORKING_MODEL: &str = "working-model";
/// The associate-roles team's consent round deciding it.
pub const WORKING_MODEL_ROUND: &str = "working-model-round";
/// The associate-roles team's round reassessing the working model when its pilot ends.
pub const WORKING_MODEL_REASSESSMENT: &str = "working-model-reassessment";
/// The governance proposal that gives recruitment to the decision circle.
pub const WHO_RECRUITS_PROPOSAL: &str = "who-recruits-proposal";
/// The whole community's consent round deciding it.
pub const WHO_RECRUITS: &str = "who-recruits";
/// The proposal that appointed the first co-producers.
pub const APPOINTMENT_PROPOSAL: &str = "first-co-producers-proposal";
/// The decision circle's consent round deciding it, on the new route.
pub const APPOINTMENT: &str = "first-co-producers";

/// What the year left behind, for the reader and for the test.
pub struct Story {
    /// The engine, with every decision of the year in its journal.
    pub engine: Engine<FileJournal<EngineEvent>>,
    /// The foundation's offer, accepted.
    pub foundation: ValueReport,
    /// The red-line offer, declined at screening.
    pub red_line: ValueReport,
    /// The recruitment round, adopted.
    pub recruitment: ValueReport,
    /// The first wave of appointments, adopted: four allies joined with it.
    pub wave: ValueReport,
    /// The working model's round while an objection was open.
    pub open_objection: ValueReport,
    /// The working model's round, adopted.
    pub working_model: ValueReport,
    /// What was due the evening before the working model's pilot started: its start.
    pub pilot_starting: DueItem,
    /// The step the engine's tick took on the pilot's first day.
    pub pilot_started: StepTaken,
    /// What was due the day the pilot ended: its review.
    pub pilot_review: DueItem,
    /// The round that reassessed the pilot, adopted: the model continues.
    pub reassessment: ValueReport,
    /// The governance decision's round, adopted with a new governance map.
    pub governance: ValueReport,
    /// The first co-producers' appointment, routed by the new map.
    pub appointment: ValueReport,
    /// The co-creation model: the session, its items and themes, what the decision did.
    pub cocreation: CoCreation,
    /// The metrics from the journal.
    pub metrics: Metrics,
    /// The files written to the output folder.
    pub files: Vec<PathBuf>,
}

/// The decision records the story writes out: stream, title, file name (without its
/// extension: each is written as Markdown and as an HTML page), and the time it is taken at.
pub const RECORDS: [(&str, &str, &str, &str); 7] = [
    (
        FOUNDATION,
        "Accept the foundation's grant, with our condition",
        "funding-record",
        "2021-05-03T10:00:00Z",
    ),
    (
        TOBACCO,
        "A tobacco company's offer, declined at the red-line screen",
        "red-line-record",
        "2021-04-20T10:00:00Z",
    ),
    (
        RECRUITMENT,
        "Recruit allies with lived experience",
        "recruitment-record",
        "2021-06-20T09:00:00Z",
    ),
    (
        WORKING_MODEL_ROUND,
        "Pilot the associate-roles working model",
        "working-model-record",
        "2021-09-06T10:00:00Z",
    ),
    (
        WHO_RECRUITS,
        "Recruitment is decided by the decision circle",
        "governance-record",
        "2021-10-04T10:00:00Z",
    ),
    (
        APPOINTMENT,
        "Appoint the first three co-producers",
        "co-producers-record",
        "2021-10-25T10:00:00Z",
    ),
    (
        WORKING_MODEL_REASSESSMENT,
        "Continue the working model after its pilot",
        "working-model-reassessment-record",
        "2022-09-15T10:00:00Z",
    ),
];

/// The engine the story runs on, journalling to a file.
pub(crate) type StoryEngine = Engine<FileJournal<EngineEvent>>;

/// A timestamp from the story's calendar.
pub fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

/// Runs the year, writing the journal and the files into `out` (created if missing; a
/// journal left by an earlier run is replaced).
pub fn run(out: &Path) -> Result<Story, coproduction::Error> {
    let community: Community = serde_json::from_str(include_str!("../../data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("../../data/governance.json"))?;

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

    // One engine for the year, journalling to a file in the output folder.
    std::fs::create_dir_all(out)?;
    let journal_path = out.join("journal.jsonl");
    if journal_path.exists() {
        std::fs::remove_file(&journal_path)?;
    }
    let (journal, _) = FileJournal::open(&journal_path)?;
    let charter = Charter::default();
    let engine = Engine::open(
        community.clone(),
        Some(governance.clone()),
        charter.clone(),
        journal,
    )?;

    heading("3. Two funding offers, on the engine");
    let foundation = funding::foundation_offer(&engine, &governance)?;
    let red_line = funding::red_line_offer(&engine)?;

    heading("4. The Allies Group, tested against the community's values");
    // The group advises; it does not decide. I9 asks that a body whose advice a decision
    // relies on has enough members with lived experience, and flagged the group's advice on
    // the foundation's offer.
    if let Some(i9) = foundation.finding("I9") {
        println!("  {}", finding_line(i9));
    }
    println!(
        "  The group advises with fewer than half bringing lived experience: the community recruits."
    );

    heading("5. A co-creation session on how the community decides");
    let mut cocreation = recruitment::co_creation_session(&community)?;
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
    // After the session, the member who asked for evening meetings asks not to be named in
    // what the community publishes: their own change, on the engine.
    let anonymous = MemberId::new(20);
    engine.handle(Request::new(
        living::stream(),
        anonymous,
        at("2021-05-12T17:00:00Z"),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Named {
                member: anonymous,
                named: Naming::Anonymous,
            }),
        },
    ))?;
    println!(
        "  {} asks not to be named in what the community publishes: from now on, {}.",
        community
            .member(anonymous)
            .map_or("A member", |m| m.name.as_str()),
        engine
            .community()
            .member(anonymous)
            .map(Member::shown_as)
            .unwrap_or_default()
    );

    heading("6. The recruitment decision, by advice process, on the engine");
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
    let recruitment = recruitment::recruitment_decision(&engine, &governance)?;
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
        ThemeOutcome::AdoptedAsProposed,
    )?;
    cocreation.record_outcome(
        DecisionId::new(1),
        ThemeId::new(2),
        ThemeOutcome::adapted("Paid at the co-producer rate, with expenses within two weeks")?,
    )?;
    cocreation.record_outcome(
        DecisionId::new(1),
        ThemeId::new(3),
        ThemeOutcome::not_taken_forward(
            "The group keeps its university members; it grows instead",
        )?,
    )?;

    heading("6b. The first wave of appointments, on the engine");
    let wave = recruitment::first_wave(&engine, &governance)?;

    heading("7. The associate-roles working model: a pilot scheduled for the spring");
    let model = working_model::working_model(&engine, &governance)?;

    heading("8. Who decides recruitment: a governance decision, on the engine");
    let who_recruits = governance::who_recruits(&engine, &governance)?;

    heading("9. The first co-producers, on the new route");
    let appointment = governance::first_co_producers(&engine, &governance)?;
    heading("9b. The working model's pilot: started in the spring, reviewed, reassessed");
    let pilot = working_model::pilot(&engine)?;

    let adopted_map = engine
        .governance()
        .map(|g| g.map().clone())
        .expect("the community routes its decisions");

    heading("10. You said, we did");
    let you_said = cocreation
        .you_said_we_did(session)?
        .markdown()
        .with_names(&engine.community())
        .to_string();
    println!("{you_said}");

    heading("11. How the community decided: metrics from the journal");
    let metrics = engine.metrics(Some(&cocreation))?;
    let envelopes = engine.journal().read_all()?;
    println!("{}", metrics.table());

    heading("12. The records, written out");
    let mut written = Vec::new();
    for (stream, title, name, now) in RECORDS {
        let stream = StreamId::new(stream)?;
        let record = engine.record(&stream, at(now)).expect("a decided stream");
        let report = engine.charter().check(&record);
        // Each member named as they asked, the same in every record.
        let names = engine.community();
        let mut markdown = DecisionRecordMarkdown::new(&record, &report)
            .titled(title)
            .with_names(&names);
        // The gate it passed: the charter and the governance map it was judged and routed
        // by. An offer declined at its red-line screen never reached the gate.
        let review = engine.review(&stream);
        if let Some(review) = &review {
            markdown = markdown.with_review(review);
        }
        written.push((format!("{name}.md"), markdown.to_string()));
        // The same record as a page, its path drawn where Graphviz is installed.
        let page = markdown.html();
        let page = match svg_from_dot(&page.path_dot()) {
            Some(svg) => page.with_path_svg(&svg).to_string(),
            None => page.to_string(),
        };
        written.push((format!("{name}.html"), page));
    }
    written.extend([
        ("you-said-we-did.md".to_owned(), you_said),
        (
            "consent-round.dot".to_owned(),
            ConsentProcess::graph()?.dot().to_string(),
        ),
        (
            "proposal.dot".to_owned(),
            ProposalProcess::graph()?.dot().to_string(),
        ),
        (
            "funding-decision.dot".to_owned(),
            FundingProcess::graph()?.dot().to_string(),
        ),
        (
            "governance.dot".to_owned(),
            governance.map().dot().to_string(),
        ),
        (
            "governance-adopted.dot".to_owned(),
            adopted_map.dot().to_string(),
        ),
        (
            "metrics.json".to_owned(),
            serde_json::to_string_pretty(&metrics)?,
        ),
    ]);
    let mut files = vec![journal_path];
    for (name, text) in &written {
        let path = out.join(name);
        std::fs::write(&path, text)?;
        files.push(path);
    }
    println!(
        "Wrote the journal ({} events) and {} files to {}",
        envelopes.len(),
        written.len(),
        out.display()
    );
    Ok(Story {
        engine,
        foundation,
        red_line,
        recruitment,
        wave,
        open_objection: model.with_open_objection,
        working_model: model.adopted,
        pilot_starting: pilot.starting,
        pilot_started: pilot.started,
        pilot_review: pilot.review,
        reassessment: pilot.reassessment,
        governance: who_recruits,
        appointment,
        cocreation,
        metrics,
        files,
    })
}

fn heading(text: &str) {
    println!("\n== {text} ==\n");
}

pub(crate) fn version() -> VersionId {
    VersionId::new(ProposalId::new(1), Version::new(1))
}

/// A report's verdicts in a line: each value and its verdict, comma-separated.
pub(crate) fn verdicts(report: &ValueReport) -> String {
    report
        .verdicts()
        .iter()
        .map(|v| format!("{} {}", v.value.as_str(), v.verdict.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints a report's verdicts and every finding that is not simply satisfied.
pub(crate) fn show(report: &ValueReport) {
    println!("  Values: {}", verdicts(report));
    for f in report.findings() {
        if f.rule.as_str() == "I6" || !matches!(f.status, Status::Satisfied | Status::NotApplicable)
        {
            println!("    {}", finding_line(f));
        }
    }
}

/// One finding in a line: rule, value, severity, status and message.
fn finding_line(f: &Finding) -> String {
    format!(
        "{} [{}, {}] {}: {}",
        f.rule,
        f.value,
        f.severity.label(),
        f.status.label(),
        f.message
    )
}

/// What a round of the year does not hold, attested with its outcome: the alternatives
/// considered, the three ways offered to take part, expenses paid within two weeks, no
/// output to credit, every stakeholder group taking part, and when the papers went out and
/// the session was held.
pub(crate) fn round_evidence(alternatives: &[&str], papers_sent: &str, session: &str) -> Evidence {
    let mut evidence = Evidence {
        alternatives: Some(alternatives.iter().map(|&a| a.to_owned()).collect()),
        ..Evidence::default()
    };
    evidence.ways_offered = Some(
        [Way::Live, Way::Written, Way::Asynchronous]
            .into_iter()
            .collect(),
    );
    evidence.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    evidence.credits = Some(Vec::new());
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(String::from).into(),
        waivers: Default::default(),
    });
    evidence.dates.papers_sent_at = Some(at(papers_sent));
    evidence.dates.session_at = Some(at(session));
    evidence
}

/// A request to a consent round on `stream`.
pub(crate) fn round_request(
    stream: &StreamId,
    who: MemberId,
    when: &str,
    command: RoundCommand,
) -> Request {
    Request::new(
        stream.clone(),
        who,
        at(when),
        ProcessCommand::Consent { command },
    )
}

/// A request to a proposal on `stream`.
pub(crate) fn proposal_request(
    stream: &StreamId,
    who: MemberId,
    when: &str,
    command: ProposalCommand,
) -> Request {
    Request::new(
        stream.clone(),
        who,
        at(when),
        ProcessCommand::Proposal { command },
    )
}

/// A member taking part in the process on `stream`: advice, interests, payment, access.
pub(crate) fn part_request(
    stream: &StreamId,
    who: MemberId,
    when: &str,
    command: PartCommand,
) -> Request {
    Request::new(stream.clone(), who, at(when), command)
}

/// The co-producers of `members` (the public contributors, by their roles in the community)
/// offered payment by `by` on `stream` at `offered`, with benefits advice signposted, each
/// accepting it at `answered`.
pub(crate) fn pay_public_contributors(
    engine: &Engine<FileJournal<EngineEvent>>,
    stream: &StreamId,
    members: &[MemberId],
    by: MemberId,
    (offered, answered): (&str, &str),
) -> Result<(), coproduction::Error> {
    let community = &engine.community();
    let contributors: Vec<MemberId> = members
        .iter()
        .copied()
        .filter(|&m| {
            community
                .member(m)
                .is_some_and(|m| m.is_public_contributor())
        })
        .collect();
    for &member in &contributors {
        engine.handle(part_request(
            stream,
            by,
            offered,
            PartCommand::OfferPayment {
                member,
                benefits_advice: true,
            },
        ))?;
    }
    for &member in &contributors {
        engine.handle(part_request(
            stream,
            member,
            answered,
            PartCommand::AnswerPayment { accept: true },
        ))?;
    }
    Ok(())
}
