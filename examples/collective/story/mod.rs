//! The community's own story, on its own timeline, told through the crate: the story the
//! `collective` example prints and `tests/story.rs` checks. Its script is the community's
//! two posts (April 2021 and August 2022); its situations and dates are theirs.
//!
//! 1. Since 2017: the community, its bodies and how many in each bring lived experience;
//!    who decides what under the founding governance map, as it stood in 2021 (the staff
//!    team deciding offers, the Allies Group advising).
//! 2. 30 March 2021: an open co-creation session on deciding about funding and
//!    partnerships; its feedback in themes, and the one comment no theme carries, listed.
//! 3. April to June 2021: the Allies Group's make-up questioned, flagged by rule I9 on the
//!    decision that relies on its advice, and rebalanced: members of the community with
//!    lived experience join it, a change to a body decided as governance requires.
//! 4. September 2021: who decides what, and a change to it: the whole community consents
//!    to a new map (recruitment, and offers from tier 2, to the decision circle; everyday
//!    decisions delegated to the staff team, basis published) and to the funding policy.
//! 5. October 2021: a trusted staff decision, delegated, its rationale and the values that
//!    guided it published.
//! 6. November 2021 to January 2022: the funding process used: a red-line offer declined at
//!    screening; a foundation's grant accepted with the community's condition; a
//!    partnership declined, end to end, in the open.
//! 7. Spring 2022: the associate-roles co-production team formed by the whole community's
//!    consent, and given the working model to decide, from 1 May; the three it names step
//!    out of the decision.
//! 8. June 2022: the associate-roles workshops (two, each held twice, which the staff team
//!    decided by delegation in May) and the thoughts of people who could not come; themes,
//!    nothing lost.
//! 9. July 2022: what to call the new role: "partner" objected to, "co-producers" agreed,
//!    no titles and no hierarchy.
//! 10. 28 August 2022: the draft working model open for comment, and amended in answer.
//! 11. Autumn 2022: the inclusive recruitment of the first wave of co-producers, on the new
//!     route, on the community's timeline.
//! 12. February 2023: the working model agreed for a pilot.
//! 13. From 1 March 2023: the pilot started by the engine's tick; its benefits and impact
//!     evaluation agreed that day (for co-producers, projects and the community) and the
//!     figures and people's words gathered while it runs, each with its provenance; its
//!     review due six months on, and its reassessment, decided on that evidence (rule C8).
//! 14. Autumn 2023: the second wave of co-producers, as the reassessment asked: two members
//!     of the community who worked on the pilot's projects and a newcomer; the waves, from
//!     the community's history in the journal.
//! 15. "You said, we did"; metrics from the journal; the records (Markdown and HTML pages),
//!     the diagrams (DOT) and the metrics (JSON), written to the output folder.
//!
//! Every decision runs on one engine with a journal file in the output folder. The seed
//! community and its governance map are the JSON files under `examples/data/`: the story
//! founds the journal on the community without its associate-roles team and on the 2021
//! map (`governance-2021.json`), and its decisions bring it to the seed's map. Nobody in
//! them is a real person: people are named by what they do.

mod allies;
mod cocreation;
mod deciding;
mod funding;
mod governance;
mod pilot;
mod staff;
mod working_model;

use std::path::{Path, PathBuf};

use coproduction::cocreation::{CoCreation, SessionId, ThemeOutcome, VersionId, VersionNumber};
use coproduction::community::{Community, Member, MemberId, Naming};
use coproduction::consent::{ConsentProcess, RoundCommand};
use coproduction::decision::{DecisionKind, Tier};
use coproduction::engine::{DueItem, Engine, EngineEvent, ProcessCommand, Request, StepTaken};
use coproduction::funding::FundingProcess;
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::journal::{FileJournal, Journal, StreamId};
use coproduction::living::{self, CommunityChange};
use coproduction::machine::Decider;
use coproduction::metrics::{CommunityMetrics, Metrics};
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalProcess};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{
    Charter, Evidence, ExpensesFacts, Finding, StakeholderFacts, Status, ValueReport, Way,
};
use jiff::Timestamp;

pub use cocreation::{
    DRAFT_COMMENTS, FIRST_GROUP_SESSION, MARCH_SESSION, NOT_IN_THE_ROOM, WORKSHOPS,
};
pub use working_model::PILOT_STARTS;

/// The proposal to rebalance the Allies Group.
pub const ALLIES_PROPOSAL: &str = "allies-rebalance-proposal";
/// The staff team's advice round deciding it.
pub const ALLIES: &str = "allies-rebalance";
/// The governance proposal: who decides what, and how offers are decided.
pub const HOW_WE_DECIDE_PROPOSAL: &str = "how-we-decide-proposal";
/// The whole community's consent round deciding it.
pub const HOW_WE_DECIDE: &str = "how-we-decide";
/// The governance proposal forming the associate-roles co-production team.
pub const TEAM_PROPOSAL: &str = "associate-roles-team-proposal";
/// The whole community's consent round deciding it.
pub const TEAM: &str = "associate-roles-team";
/// The staff team's delegated decision on how co-creation sessions are run.
pub const STAFF_DECISION: &str = "staff-sessions-decision";
/// The staff team's delegated decision to hold each associate-roles workshop twice.
pub const WORKSHOPS_TWICE: &str = "staff-workshops-twice";
/// The red-line offer.
pub const TOBACCO: &str = "offer-tobacco";
/// The foundation's offer (a funding decision).
pub const FUNDING: &str = "offer-foundation";
/// The decision circle's consent round on it.
pub const FUNDING_ROUND: &str = "offer-foundation-round";
/// The health-technology company's partnership (a partnership decision).
pub const PARTNERSHIP: &str = "partnership-health-tech";
/// The decision circle's consent round on it.
pub const PARTNERSHIP_ROUND: &str = "partnership-health-tech-round";
/// The associate-roles team's round on what to call the new role.
pub const NAMING: &str = "role-name";
/// The proposal that appointed the first wave of co-producers.
pub const FIRST_WAVE_PROPOSAL: &str = "first-wave-proposal";
/// The decision circle's consent round deciding it, on the new route.
pub const FIRST_WAVE: &str = "first-wave";
/// The proposal that appointed the second wave, after the pilot's reassessment.
pub const SECOND_WAVE_PROPOSAL: &str = "second-wave-proposal";
/// The decision circle's consent round deciding it.
pub const SECOND_WAVE: &str = "second-wave";
/// The working model's proposal.
pub const WORKING_MODEL: &str = "working-model";
/// The associate-roles team's consent round agreeing it for the pilot.
pub const WORKING_MODEL_ROUND: &str = "working-model-round";
/// The associate-roles team's round reassessing the working model after its pilot.
pub const WORKING_MODEL_REASSESSMENT: &str = "working-model-reassessment";

/// What the story left behind, for the reader and for the test.
pub struct Story {
    /// The engine, with every decision of the story in its journal.
    pub engine: Engine<FileJournal<EngineEvent>>,
    /// The Allies Group rebalanced (June 2021), flagged by I9.
    pub allies: ValueReport,
    /// The governance decision (September 2021), adopted with a new map and the funding
    /// policy.
    pub how_we_decide: ValueReport,
    /// The staff team's delegated decision (October 2021).
    pub staff: ValueReport,
    /// The associate-roles team formed, by the whole community's consent (April 2022).
    pub team: ValueReport,
    /// The staff team's delegated decision to hold each workshop twice (May 2022).
    pub workshops_twice: ValueReport,
    /// The red-line offer, declined at screening (November 2021).
    pub red_line: ValueReport,
    /// The foundation's offer, accepted with the community's condition (November 2021).
    pub funding: ValueReport,
    /// The partnership, declined (January 2022).
    pub partnership: ValueReport,
    /// The naming round while the objection was open (July 2022).
    pub naming_open_objection: ValueReport,
    /// The naming round, adopted.
    pub naming: ValueReport,
    /// The first wave of co-producers, appointed on the new route (October 2022).
    pub first_wave: ValueReport,
    /// The working model, agreed for the pilot (February 2023).
    pub working_model: ValueReport,
    /// What was due the evening before the pilot started: its start.
    pub pilot_starting: DueItem,
    /// The step the engine's tick took on the pilot's first day.
    pub pilot_started: StepTaken,
    /// The pilot's benefits and impact evaluation as the pilot ended (March to August
    /// 2023): the questions agreed and the evidence gathered.
    pub evaluation: coproduction::evaluation::Evaluation,
    /// What was due when the review opened: the pilot's review.
    pub pilot_review: DueItem,
    /// The round that reassessed the pilot, adopted: the model continues (September 2023).
    pub reassessment: ValueReport,
    /// The second wave of co-producers, appointed (October 2023).
    pub second_wave: ValueReport,
    /// The waves of co-producers appointed to the associate-roles team, from the
    /// community's history in the journal.
    pub waves: Vec<coproduction::metrics::Wave>,
    /// The co-creation model: the sessions, their items and themes, what the decisions did.
    pub cocreation: CoCreation,
    /// The metrics from the journal.
    pub metrics: Metrics,
    /// The files written, each with what it shows.
    pub files: Vec<(PathBuf, String)>,
}

/// The decision records the story writes out: stream, title, file name (without its
/// extension: each is written as Markdown and as an HTML page), the time it is taken at,
/// and what it shows.
pub const RECORDS: [(&str, &str, &str, &str, &str); 12] = [
    (
        ALLIES,
        "Rebalance the Allies Group",
        "allies-record",
        "2021-06-08T10:00:00Z",
        "the Allies Group rebalanced by the staff team's advice process: rule I9's warning on its make-up, acknowledged; the open call (its advert, ways to apply, panel); four members of the community with lived experience joining",
    ),
    (
        HOW_WE_DECIDE,
        "How we decide: who decides what, and how offers are decided",
        "governance-record",
        "2021-10-04T10:00:00Z",
        "the whole community's consent to a new governance map and the funding policy, with captions and papers in advance met",
    ),
    (
        STAFF_DECISION,
        "Run every co-creation session online and in a room",
        "staff-decision-record",
        "2021-10-18T10:00:00Z",
        "a delegated staff decision: the advice taken first, the rationale and the values that guided it, published",
    ),
    (
        TOBACCO,
        "A tobacco company's offer, declined at the red-line screen",
        "red-line-record",
        "2021-11-02T11:00:00Z",
        "a tobacco company's offer declined at the red-line screen, the reason published; it never reached a gate",
    ),
    (
        FUNDING,
        "Accept the foundation's grant, with our condition",
        "funding-record",
        "2021-11-22T10:00:00Z",
        "the foundation's grant: due diligence, a member stepping out, advice answered, the community's condition replacing the funder's",
    ),
    (
        PARTNERSHIP,
        "Decline the health-technology company's partnership",
        "partnership-record",
        "2022-01-31T10:00:00Z",
        "the partnership declined end to end: the due-diligence checks, advice answered, the community's comment window, the circle's consent, why",
    ),
    (
        TEAM,
        "Form the associate-roles co-production team",
        "team-record",
        "2022-04-19T10:00:00Z",
        "the whole community's consent to form the associate-roles team and give it the working model to decide; the three it names step out",
    ),
    (
        NAMING,
        "Call the new roles co-producers",
        "naming-record",
        "2022-07-26T10:00:00Z",
        "the naming round: the time box extended, a reminder, the objection to \"partner\" tested and integrated",
    ),
    (
        FIRST_WAVE,
        "Appoint the first wave of co-producers",
        "co-producers-record",
        "2022-10-21T10:00:00Z",
        "the first wave: an open advert, three ways to apply, a panel with lived experience, decided on the new route",
    ),
    (
        WORKING_MODEL_ROUND,
        "Pilot the associate-roles working model",
        "working-model-record",
        "2023-02-13T10:00:00Z",
        "the working model agreed for the pilot, its advice answered and an access need met",
    ),
    (
        WORKING_MODEL_REASSESSMENT,
        "Continue the working model after its pilot",
        "working-model-reassessment-record",
        "2023-09-14T10:00:00Z",
        "the pilot's reassessment, a round held for the proposal, advised by the Allies Group, decided on the evaluation of benefits and impact it shows",
    ),
    (
        SECOND_WAVE,
        "Appoint the second wave of co-producers",
        "second-wave-record",
        "2023-10-27T10:00:00Z",
        "the second wave: after an open advert, two members of the community and a newcomer take the role; the two step out of the decision on their own appointment",
    ),
];

/// The engine the story runs on, journalling to a file.
pub(crate) type StoryEngine = Engine<FileJournal<EngineEvent>>;

/// A timestamp from the story's calendar.
pub fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

/// How `member` is shown in what the community publishes.
pub(crate) fn name(engine: &StoryEngine, member: MemberId) -> String {
    engine
        .community()
        .member(member)
        .map_or_else(|| member.to_string(), Member::shown_as)
}

/// The day the decision on `stream` was decided, as its record holds it.
pub(crate) fn decided_on(engine: &StoryEngine, stream: &str) -> String {
    stream
        .parse()
        .ok()
        .and_then(|s| engine.record(&s, at("2100-01-01T00:00:00Z")))
        .and_then(|r| r.dates.decided_at)
        .map_or_else(|| "not yet".to_owned(), |t| t.to_string()[..10].to_owned())
}

/// Runs the story, writing the journal and the files into `out` (created if missing; a
/// journal left by an earlier run is replaced).
pub fn run(out: &Path) -> Result<Story, coproduction::Error> {
    let community = founding_community()?;
    let map: GovernanceMap = serde_json::from_str(include_str!("../../data/governance-2021.json"))?;

    heading("1. Since 2017: the community, and who decides what");
    println!(
        "Co-produced by an open community since 2017: {} members in {} bodies\n",
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
    println!();
    let governance = Governance::new(map, &community)?;
    for (label, kind, facts) in [
        (
            "Funding from a red-line sector",
            DecisionKind::Funding,
            RouteFacts::new().amount(5_000).red_line_hit(),
        ),
        (
            "Funding, £8,000",
            DecisionKind::Funding,
            RouteFacts::new().amount(8_000),
        ),
        (
            "Funding, £8,000, restricting publication",
            DecisionKind::Funding,
            RouteFacts::new().amount(8_000).risk(Tier::Two),
        ),
        (
            "A partnership restricting voice",
            DecisionKind::Partnership,
            RouteFacts::new().risk(Tier::Two),
        ),
        ("Recruitment", DecisionKind::Recruitment, RouteFacts::new()),
        (
            "An everyday decision",
            DecisionKind::Operational,
            RouteFacts::new(),
        ),
        (
            "How the community decides",
            DecisionKind::Governance,
            RouteFacts::new(),
        ),
    ] {
        let route = governance.route(&kind, facts)?;
        println!(
            "  {label}: {} ({})",
            governance::route_line(&route),
            route.case
        );
    }

    // One engine for the whole story, journalling to a file in the output folder.
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

    heading("2. 30 March 2021: an open co-creation session on funding and partnerships");
    let mut model = cocreation::build(&community)?;
    describe_session(&model, MARCH_SESSION)?;
    // After the session, a member asks not to be named in what the community publishes:
    // their own change, on the engine.
    let anonymous = MemberId::new(20);
    engine.handle(Request::new(
        living::stream(),
        anonymous,
        at("2021-04-12T17:00:00Z"),
        ProcessCommand::Change {
            change: Box::new(CommunityChange::Named {
                member: anonymous,
                named: Naming::Anonymous,
            }),
        },
    ))?;
    println!(
        "  2021-04-12: {} asks not to be named in what the community publishes: from now on, {}.",
        community
            .member(anonymous)
            .map_or("A member", |m| m.name.as_str()),
        name(&engine, anonymous)
    );

    heading("3. April to June 2021: the Allies Group questioned, flagged and rebalanced");
    let allies = allies::rebalance(&engine, &governance)?;
    cocreation::decided(
        &mut model,
        (1, "Rebalance the Allies Group", "2021-06-01T12:10:00Z"),
        cocreation::first_version(cocreation::ALLIES_PROPOSAL_ID),
        vec![(
            4,
            ThemeOutcome::adapted(
                "Members of the community with lived experience joined; nobody was asked to leave",
            )?,
        )],
    )?;

    heading("4. September 2021: who decides what, and a change to it");
    let how_we_decide = governance::how_we_decide(&engine, &governance)?;
    cocreation::decided(
        &mut model,
        (2, "How we decide", "2021-09-27T19:00:00Z"),
        cocreation::first_version(cocreation::HOW_WE_DECIDE_ID),
        vec![
            (
                1,
                ThemeOutcome::adapted(
                    "Every offer's funder, amount band, conditions and route go in a public register; conditions on publication force the highest scrutiny",
                )?,
            ),
            (2, ThemeOutcome::AdoptedAsProposed),
            (
                3,
                ThemeOutcome::adapted(
                    "The community is consulted from tier 1; from tier 2 a decision circle with lived experience decides by consent",
                )?,
            ),
        ],
    )?;

    heading("5. October 2021: a trusted staff decision, its basis published");
    let staff = staff::sessions_decision(&engine)?;

    heading("6. November 2021 to January 2022: the funding process, used");
    let red_line = funding::red_line_offer(&engine)?;
    println!();
    let funding = funding::foundation_offer(&engine)?;
    println!();
    let partnership = funding::partnership_offer(&engine)?;

    heading("7. Spring 2022: the associate-roles team formed");
    let team = governance::associate_roles_team(&engine)?;

    heading("8. June 2022: the associate-roles workshops");
    println!(
        "So many signed up for the two workshops that the staff team, trusted with such\n\
         decisions, holds each a second time:\n"
    );
    let workshops_twice = staff::workshops_twice(&engine)?;
    // Each workshop's people, counted over its two sessions.
    let came = |a: SessionId, b: SessionId| {
        [a, b]
            .into_iter()
            .filter_map(|s| model.session(s).and_then(|s| s.attendance))
            .sum::<u32>()
    };
    println!(
        "\n{} people came to the first workshop and {} to the second, most to both; a board\n\
         took the thoughts of those who could not:\n",
        came(WORKSHOPS[0], WORKSHOPS[2]),
        came(WORKSHOPS[1], WORKSHOPS[3])
    );
    for session in WORKSHOPS.into_iter().chain([NOT_IN_THE_ROOM]) {
        describe_session(&model, session)?;
    }
    let carried: Vec<String> = WORKSHOPS
        .into_iter()
        .chain([NOT_IN_THE_ROOM])
        .flat_map(|s| model.uncarried_in(s).unwrap_or_default())
        .map(|i| {
            model
                .item(i)
                .map_or_else(|| i.to_string(), |item| format!("{i} \"{}\"", item.text))
        })
        .collect();
    println!(
        "  Summarised into themes, nothing lost: carried by no theme, and kept: {}",
        carried.join("; ")
    );

    heading("9. July 2022: what's in a name");
    let naming = working_model::naming(&engine)?;

    heading("10. 28 August 2022: the draft working model, open for comment");
    describe_session(&model, DRAFT_COMMENTS)?;
    working_model::draft_open_for_comment(&engine)?;

    heading("11. Autumn 2022: inclusive recruitment, the first wave of co-producers");
    let first_wave = governance::first_wave(&engine, &governance)?;
    describe_session(&model, FIRST_GROUP_SESSION)?;

    heading("12. February 2023: the working model agreed for a pilot");
    let working_model = working_model::agreed_for_pilot(&engine)?;
    cocreation::decided(
        &mut model,
        (3, "Pilot the working model", "2023-02-06T19:00:00Z"),
        VersionId::new(cocreation::WORKING_MODEL_ID, VersionNumber::new(2)),
        vec![
            (
                5,
                ThemeOutcome::adapted(
                    "The first wave was recruited openly, with three ways to apply and help to apply",
                )?,
            ),
            (
                6,
                ThemeOutcome::adapted(
                    "Preparation time is paid; each new co-producer is paired with one who has done the work",
                )?,
            ),
            (7, ThemeOutcome::AdoptedAsProposed),
            (8, ThemeOutcome::AdoptedAsProposed),
            (9, ThemeOutcome::AdoptedAsProposed),
        ],
    )?;

    heading("13. From 1 March 2023: the pilot, its evaluation, its review and its reassessment");
    let started = pilot::start(&engine)?;
    let evaluation = pilot::evaluate(&engine)?;
    let pilot_review = pilot::review(&engine)?;
    let reassessment = pilot::reassess(&engine)?;

    heading("14. Autumn 2023: the second wave of co-producers");
    let second_wave = governance::second_wave(&engine)?;
    // Recruitment of co-producers in waves, from the community's own history in the
    // journal: the appointments to the associate-roles team (the Allies Group's rebalance
    // of 2021 is a wave of its own, to another body).
    let waves: Vec<coproduction::metrics::Wave> =
        CommunityMetrics::from_journal(&engine.journal().read_all()?)?
            .waves
            .into_iter()
            .filter(|w| w.body.as_str() == "associate_roles_team")
            .collect();
    for wave in &waves {
        let make_up = |r: &Option<coproduction::metrics::Representation>| {
            r.as_ref().map_or_else(
                || "none".to_owned(),
                |r| format!("{} ({} with lived experience)", r.size, r.lived_experience),
            )
        };
        println!(
            "  Wave of {}: {} appointed by `{}`; the team {} -> {}",
            &wave.at.to_string()[..10],
            wave.appointed.len(),
            wave.decided_by,
            make_up(&wave.before),
            make_up(&wave.after)
        );
    }

    let adopted_map = governance::in_force(&engine).map().clone();

    heading("15. You said, we did");
    let you_said = |sessions: &[SessionId]| -> Result<String, coproduction::Error> {
        let mut text = String::new();
        for &session in sessions {
            text.push_str(
                &model
                    .you_said_we_did(session)?
                    .markdown()
                    .with_names(&engine.community())
                    .to_string(),
            );
            text.push('\n');
        }
        Ok(text)
    };
    let march = you_said(&[MARCH_SESSION])?;
    let workshops = you_said(&[
        WORKSHOPS[0],
        WORKSHOPS[1],
        WORKSHOPS[2],
        WORKSHOPS[3],
        NOT_IN_THE_ROOM,
        DRAFT_COMMENTS,
    ])?;
    println!("{march}");

    heading("16. How the community decided: metrics from the journal");
    let metrics = engine.metrics(Some(&model))?;
    let envelopes = engine.journal().read_all()?;
    println!("{}", metrics.table());

    heading("17. The records, written out");
    let mut written: Vec<(String, String, String)> = Vec::new();
    for (stream, title, file, now, shows) in RECORDS {
        let stream = StreamId::new(stream)?;
        let record = engine.record(&stream, at(now)).expect("a decided stream");
        // Judged by the charter in force when its process opened, as its gate judged it.
        let report = engine.report(&stream, at(now)).expect("a decided stream");
        // Each member named as they asked, the same in every record.
        let names = engine.community();
        let mut markdown = DecisionRecordMarkdown::new(&record, &report)
            .titled(title)
            .with_names(&names);
        // The gate it passed: the charter and the governance map it was judged and routed
        // by. An offer declined at its red-line screen never reached the gate.
        let review = engine.review(&stream, at(now));
        if let Some(review) = &review {
            markdown = markdown.with_review(review);
        }
        // Every decision routed names the map it was routed by, gated or not.
        markdown = markdown.routed_by(engine.routing_map(&stream));
        written.push((
            format!("{file}.md"),
            markdown.to_string(),
            format!("{} (Markdown): {shows}", &now[..10]),
        ));
        // The same record as a page, its path drawn where Graphviz is installed.
        let page = markdown.html().drawn();
        written.push((
            format!("{file}.html"),
            page,
            "the same record as an accessible page: an easy-read summary first, its path drawn"
                .to_owned(),
        ));
    }
    written.extend([
        (
            "you-said-we-did-march-2021.md".to_owned(),
            march,
            "what people said at the March 2021 session, its themes, what was done, and the comment no theme carries".to_owned(),
        ),
        (
            "you-said-we-did-associate-roles.md".to_owned(),
            workshops,
            "the same for the June 2022 workshops, the thoughts from outside them and the comments on the draft".to_owned(),
        ),
        (
            "consent-round.dot".to_owned(),
            ConsentProcess::graph()?.dot().to_string(),
            "the phases of a consent round and the steps between them (Graphviz)".to_owned(),
        ),
        (
            "proposal.dot".to_owned(),
            ProposalProcess::graph()?.dot().to_string(),
            "the phases of a proposal, from draft to pilot, review and reassessment".to_owned(),
        ),
        (
            "funding-decision.dot".to_owned(),
            FundingProcess::graph()?.dot().to_string(),
            "the phases of a funding or partnership decision, from screening to review".to_owned(),
        ),
        (
            "governance.dot".to_owned(),
            governance.map().dot().to_string(),
            "who decides, advises, is consulted and informed: the founding map, as in 2021".to_owned(),
        ),
        (
            "governance-adopted.dot".to_owned(),
            adopted_map.dot().to_string(),
            "the map in force at the end: from October 2021 recruitment and offers from tier 2 by the circle, everyday decisions delegated; from May 2022 the working model by the associate-roles team".to_owned(),
        ),
        (
            "metrics.json".to_owned(),
            serde_json::to_string_pretty(&metrics)?,
            "the metrics above as JSON: who took part, lived experience, objections, time to decide, feedback carried, the pilot's evaluation".to_owned(),
        ),
    ]);
    let mut files = vec![(
        journal_path,
        format!(
            "the journal: every event of the story ({}), hash-chained, replayable",
            envelopes.len()
        ),
    )];
    for (file, text, shows) in written {
        let path = out.join(&file);
        std::fs::write(&path, text)?;
        files.push((path, shows));
    }
    println!(
        "Wrote the journal ({} events) and {} files to {}",
        envelopes.len(),
        files.len() - 1,
        out.display()
    );
    Ok(Story {
        engine,
        allies,
        how_we_decide,
        staff,
        team,
        workshops_twice,
        red_line,
        funding,
        partnership,
        naming_open_objection: naming.with_open_objection,
        naming: naming.adopted,
        first_wave,
        working_model,
        pilot_starting: started.starting,
        pilot_started: started.started,
        evaluation,
        pilot_review,
        reassessment,
        second_wave,
        waves,
        cocreation: model,
        metrics,
        files,
    })
}

/// The community as it stood in 2021: the seed community (`examples/data/community.json`)
/// before its associate-roles team, formed by a decision in 2022.
pub fn founding_community() -> Result<Community, coproduction::Error> {
    let mut seed: serde_json::Value =
        serde_json::from_str(include_str!("../../data/community.json"))?;
    if let Some(bodies) = seed.get_mut("bodies").and_then(|b| b.as_array_mut()) {
        bodies.retain(|b| b.get("id").and_then(|id| id.as_str()) != Some("associate_roles_team"));
    }
    Ok(serde_json::from_value(seed)?)
}

/// Prints a session: its date, title, the ways offered, the access needs met before it,
/// how many items it gathered, their themes, and those no theme carries.
fn describe_session(model: &CoCreation, id: SessionId) -> Result<(), coproduction::Error> {
    let session = model.session(id).expect("a session of the story");
    let items = model.items_of(id)?;
    let mut themes: Vec<String> = items
        .iter()
        .flat_map(|&i| model.themes_carrying(i))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|t| model.theme(t).map(|t| format!("\"{}\"", t.title)))
        .collect();
    themes.dedup();
    let ways: Vec<&str> = session.ways.iter().map(|w| w.label()).collect();
    let met = session
        .access_requests
        .iter()
        .filter(|r| r.met_before_session)
        .count();
    let gathered = if items.is_empty() {
        String::new()
    } else {
        format!(": {} items; themes: {}", items.len(), themes.join(", "))
    };
    let people = session
        .attendance
        .map_or_else(String::new, |n| format!("; {n} people"));
    println!(
        "  {} {} ({}; {}{people}){gathered}",
        &session.date.to_string()[..10],
        session.title,
        session.kind.label(),
        ways.join(", "),
    );
    if !session.access_requests.is_empty() {
        println!(
            "    access needs met before it: {met} of {}",
            session.access_requests.len()
        );
    }
    for item in model.uncarried_in(id)? {
        if let Some(item) = model.item(item) {
            println!(
                "    carried by no theme, kept and listed: \"{}\"",
                item.text
            );
        }
    }
    Ok(())
}

fn heading(text: &str) {
    println!("\n== {text} ==\n");
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
        if (f.rule.as_str() == "I6" && f.status != Status::NotApplicable)
            || !matches!(f.status, Status::Satisfied | Status::NotApplicable)
        {
            println!("    {}", finding_line(f));
        }
    }
}

/// One finding in a line: rule, value, severity, status and message.
pub(crate) fn finding_line(f: &Finding) -> String {
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
        alternatives: Some(alternatives.iter().map(|&a| a.to_owned().into()).collect()),
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
        took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
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
