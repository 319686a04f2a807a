//! The `collective` example's story, run again through the public API: each step's outcome
//! and its date, the findings the value-check must raise, the co-creation's themes and the
//! items no theme carries, the metrics, the files written, and the records as their golden
//! files keep them.

#[allow(dead_code)]
#[path = "../examples/collective/story/mod.rs"]
mod story;

use std::collections::BTreeMap;

use coproduction::FundingProcess;
use coproduction::cocreation::{ItemId, SessionKind};
use coproduction::community::{BodyId, MemberId};
use coproduction::consent::DeadlineStep;
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{DueItem, ENGINE_ACTOR, Engine, EngineEvent, ProcessState};
use coproduction::evaluation::Benefit;
use coproduction::funding::{FundingEvent, FundingPhase};
use coproduction::governance::{GovernanceMap, Procedure, RouteFacts};
use coproduction::journal::{
    FileJournal, Journal, JournalError, MemoryJournal, NewEvent, StreamId,
};
use coproduction::living::{CommunityChange, LivingEvent, governance_hash};
use coproduction::values::{Status, ValueReport, Verdict};

use story::at;

fn status(report: &ValueReport, rule: &str) -> Status {
    report.finding(rule).map(|f| f.status).unwrap()
}

fn stream(s: &str) -> StreamId {
    StreamId::new(s).unwrap()
}

/// Where the walkthrough's records are kept as they should read.
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

/// `page` without its drawing: the SVG Graphviz makes differs between its versions and is
/// absent where it is not installed, so the golden pages leave the figure out. The dated
/// list beside it says the same.
fn without_figure(page: &str) -> String {
    match (page.find("<figure>"), page.find("</figure>\n")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &page[..start], &page[end + "</figure>\n".len()..])
        }
        _ => page.to_owned(),
    }
}

/// Each record the walkthrough writes, as Markdown and as an HTML page, reads exactly as its
/// golden file under `tests/golden` (the page without its drawing). Run with
/// `COPRODUCTION_BLESS=1` to write the golden files afresh after a deliberate change, then
/// read the difference before committing it.
fn records_match_their_golden_files(out: &std::path::Path) {
    let bless = std::env::var_os("COPRODUCTION_BLESS").is_some();
    let mut differ = Vec::new();
    for (_, _, name, _, _) in story::RECORDS {
        for ext in ["md", "html"] {
            let file = format!("{name}.{ext}");
            let written = std::fs::read_to_string(out.join(&file)).unwrap();
            if ext == "html" {
                page_reads_well(&file, &written);
            }
            let written = without_figure(&written);
            let golden = std::path::Path::new(GOLDEN).join(&file);
            if bless {
                std::fs::write(&golden, &written).unwrap();
                continue;
            }
            let kept = std::fs::read_to_string(&golden).unwrap_or_default();
            if kept != written {
                differ.push(file);
            }
        }
    }
    assert!(
        differ.is_empty(),
        "these records no longer read as their golden files in tests/golden: {differ:?} \
         (if the change is meant, run with COPRODUCTION_BLESS=1 and review the difference)"
    );
    // Every page kept is one the story writes.
    let kept: Vec<String> = std::fs::read_dir(GOLDEN)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for file in kept {
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        assert!(
            story::RECORDS.iter().any(|r| r.2 == stem),
            "{file} is in tests/golden but the story no longer writes it"
        );
    }
}

/// A page a member can read: the easy-read summary first, answering each question, and the
/// drawing, where there is one, with its words beside it.
fn page_reads_well(name: &str, page: &str) {
    let summary_at = page.find("<h2 id=\"in-short\">In short</h2>").unwrap();
    let first_section = page.find("<h2 ").unwrap();
    assert_eq!(summary_at, first_section, "{name}: the summary comes first");
    let summary = &page[summary_at..page[summary_at..].find("</section>").unwrap() + summary_at];
    for question in [
        "What was proposed: ",
        "What was decided: ",
        "Who decided, and how: ",
        "Who was heard: ",
        "What objections changed: ",
        "Why: ",
        "What conditions apply: ",
        "When it will be reviewed: ",
    ] {
        let answer = summary
            .split("<li>")
            .find(|item| item.starts_with(question))
            .unwrap_or_else(|| panic!("{name}: no answer to {question:?}"));
        assert!(!answer.contains("not recorded"), "{name}: {answer}");
    }
    if page.contains("<figure>") {
        assert!(page.contains("<figcaption>"), "{name}");
        // The drawing is one image with a name, for a screen reader.
        assert!(
            page.contains(
                "<svg role=\"img\" aria-label=\"Diagram of the path this decision took: "
            ),
            "{name}"
        );
    }
}

#[test]
fn the_community_s_own_story_on_its_own_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let s = story::run(dir.path()).unwrap();
    let engine = &s.engine;
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let m = &s.metrics;
    // Each decision with a round: what it decides for, when that was proposed, and when it
    // was decided (the story's own dates).
    let dated = |round: &str| {
        let d = m
            .decisions
            .iter()
            .find(|d| d.stream.as_str() == round)
            .unwrap_or_else(|| panic!("{round}"));
        assert!(d.decided, "{round}");
        (
            d.decides_for.as_ref().map(|s| s.as_str().to_owned()),
            d.proposed_at,
            d.decided_at,
        )
    };
    let published_at = |s: &str, t: &str| {
        engine
            .record(&stream(s), at(t))
            .unwrap()
            .publication
            .map(|p| p.published_at)
    };

    // Where every process of the story ended: each decision's outcome.
    let streams = engine.streams();
    let phases: Vec<(&str, &str)> = streams
        .iter()
        .map(|id| {
            let phase = engine.state(id).map_or("none", |s| s.phase_label());
            (id.as_str(), phase)
        })
        .collect();
    let mut expected = vec![
        (story::ALLIES, "adopted"),
        (story::ALLIES_PROPOSAL, "published"),
        (story::TEAM, "adopted"),
        (story::TEAM_PROPOSAL, "published"),
        (story::FIRST_WAVE, "adopted"),
        (story::FIRST_WAVE_PROPOSAL, "published"),
        (story::HOW_WE_DECIDE, "adopted"),
        (story::HOW_WE_DECIDE_PROPOSAL, "published"),
        (story::TOBACCO, "declined"),
        (story::FUNDING, "monitoring"),
        (story::FUNDING_ROUND, "consented"),
        (story::PARTNERSHIP, "declined"),
        (story::PARTNERSHIP_ROUND, "consented"),
        (story::NAMING, "adopted"),
        (story::SECOND_WAVE, "adopted"),
        (story::SECOND_WAVE_PROPOSAL, "published"),
        (story::STAFF_DECISION, "adopted"),
        (story::WORKSHOPS_TWICE, "adopted"),
        (story::WORKING_MODEL, "implementing"),
        (story::WORKING_MODEL_REASSESSMENT, "adopted"),
        (story::WORKING_MODEL_ROUND, "adopted"),
    ];
    expected.sort_unstable();
    assert_eq!(phases, expected);

    // Each decision with a round, when what it decides for was proposed and when it was
    // decided: the story's own dates.
    for (round, decides_for, proposed, decided) in [
        (
            story::ALLIES,
            Some(story::ALLIES_PROPOSAL),
            "2021-04-20T09:00:00Z",
            "2021-06-01T12:10:00Z",
        ),
        (
            story::HOW_WE_DECIDE,
            Some(story::HOW_WE_DECIDE_PROPOSAL),
            "2021-09-06T09:00:00Z",
            "2021-09-27T19:00:00Z",
        ),
        (
            story::STAFF_DECISION,
            None,
            "2021-10-04T09:00:00Z",
            "2021-10-15T10:10:00Z",
        ),
        (
            story::FUNDING_ROUND,
            Some(story::FUNDING),
            "2021-11-08T09:00:00Z",
            "2021-11-17T19:05:00Z",
        ),
        (
            story::PARTNERSHIP_ROUND,
            Some(story::PARTNERSHIP),
            "2022-01-17T09:00:00Z",
            "2022-01-26T19:05:00Z",
        ),
        (
            story::TEAM,
            Some(story::TEAM_PROPOSAL),
            "2022-03-21T09:00:00Z",
            "2022-04-11T19:00:00Z",
        ),
        (
            story::WORKSHOPS_TWICE,
            None,
            "2022-05-16T09:00:00Z",
            "2022-05-27T10:10:00Z",
        ),
        (
            story::NAMING,
            None,
            "2022-07-11T10:00:00Z",
            "2022-07-19T11:10:00Z",
        ),
        (
            story::FIRST_WAVE,
            Some(story::FIRST_WAVE_PROPOSAL),
            "2022-09-15T09:00:00Z",
            "2022-10-14T19:00:00Z",
        ),
        (
            story::WORKING_MODEL_ROUND,
            Some(story::WORKING_MODEL),
            "2022-08-28T09:00:00Z",
            "2023-02-06T19:00:00Z",
        ),
        (
            story::WORKING_MODEL_REASSESSMENT,
            Some(story::WORKING_MODEL),
            "2023-09-04T09:30:00Z",
            "2023-09-13T18:50:00Z",
        ),
        (
            story::SECOND_WAVE,
            Some(story::SECOND_WAVE_PROPOSAL),
            "2023-09-18T09:00:00Z",
            "2023-10-20T19:00:00Z",
        ),
    ] {
        assert_eq!(
            dated(round),
            (
                decides_for.map(str::to_owned),
                at(proposed),
                Some(at(decided))
            ),
            "{round}"
        );
        // The engine ran the round and saw what it reached: the outcome is its record,
        // not a member's word.
        if let Some(process) = decides_for {
            let record = engine.record(&stream(process), at("2100-01-01T00:00:00Z"));
            let attested = record.unwrap().attested;
            assert!(
                attested.iter().all(|a| !a.fact.starts_with("outcome")),
                "{process}: {attested:?}"
            );
        }
    }

    // 2. The open co-creation session at the end of March 2021: live, written and
    // asynchronous, with the access needs asked for met; its feedback in four themes, and
    // the one comment no theme carries, kept and listed.
    let model = &s.cocreation;
    // Every author of an item is a member of the community, as it stands at the end.
    assert_eq!(model.check_authors(&s.engine.community()), Ok(()));
    let march = model.session(story::MARCH_SESSION).unwrap();
    assert_eq!(march.date, at("2021-03-30T17:30:00Z"));
    assert_eq!(march.ways.len(), 3);
    assert_eq!(march.unmet_access_requests().count(), 0);
    assert_eq!(
        model.uncarried_in(story::MARCH_SESSION).unwrap(),
        [ItemId::new(7)]
    );
    // A member asked not to be named after it, on 12 April 2021, and is not, in any record
    // or in "you said, we did", while others are named.
    for name in [
        "naming-record.md",
        "governance-record.md",
        "you-said-we-did-march-2021.md",
    ] {
        let text = read(name);
        assert!(text.contains("anonymous member m20"), "{name}");
        assert!(!text.contains("Community member 6"), "{name}");
        assert!(!text.contains("- m"), "{name}: a member shown by id alone");
    }
    let you_said = read("you-said-we-did-march-2021.md");
    assert!(you_said.contains("- i7 (Community member 8): Could the recap be a short video"));

    // 3. April to June 2021: the Allies Group, three of eight with lived experience, is
    // flagged by I9 on the decision that relies on its advice (acknowledged, so inclusion is
    // at risk), and rebalanced: four members of the community with lived experience join
    // it in the batch that adopts the decision, seven of twelve.
    assert_eq!(status(&s.allies, "I9"), Status::Violated);
    assert!(s.allies.finding("I9").unwrap().acknowledged.is_some());
    assert_eq!(s.allies.verdict("inclusive"), Some(Verdict::AtRisk));
    assert_eq!(status(&s.allies, "I6"), Status::Satisfied);
    let allies = BodyId::new("allies_group").unwrap();
    let figures = |body: &BodyId, t: &str| {
        let c = engine.community_at(at(t)).unwrap();
        let f = c.figures(body).unwrap();
        (f.size, f.lived_experience)
    };
    assert_eq!(figures(&allies, "2021-06-01T12:09:00Z"), (8, 3));
    assert_eq!(figures(&allies, "2021-06-01T12:10:00Z"), (12, 7));
    assert_eq!(
        published_at(story::ALLIES, "2021-06-08T10:00:00Z"),
        Some(at("2021-06-08T09:00:00Z"))
    );

    // 4. September 2021: who decides what, changed by the whole community's consent, the
    // member who asked for captions and papers in advance seated with both met.
    assert_eq!(status(&s.how_we_decide, "I4"), Status::Satisfied);
    // The rebalanced group advises it: I9 holds.
    assert_eq!(status(&s.how_we_decide, "I9"), Status::Satisfied);

    // 5. October 2021: a trusted staff decision, delegated; advice from the affected, with
    // expertise and lived experience recorded before it (T8); its rationale names the
    // values that guided it and is published three days later.
    let staff = engine
        .record(&stream(story::STAFF_DECISION), at("2021-10-18T10:00:00Z"))
        .unwrap();
    let route = staff.route_taken.as_ref().unwrap();
    assert_eq!(
        (route.deciding_body.as_str(), route.method, &staff.kind),
        ("staff_team", Method::Delegated, &DecisionKind::Operational)
    );
    assert_eq!(staff.dates.decided_at, Some(at("2021-10-15T10:10:00Z")));
    assert_eq!(
        staff.publication.as_ref().map(|p| p.published_at),
        Some(at("2021-10-18T09:00:00Z"))
    );
    assert!(
        staff
            .rationale
            .as_deref()
            .is_some_and(|r| r.starts_with("Guided by our values. Inclusive:"))
    );
    assert_eq!(status(&s.staff, "T8"), Status::Satisfied);
    // And in May 2022, the same way, the decision to hold each workshop twice, taken and
    // published before the first of them.
    let twice = engine
        .record(&stream(story::WORKSHOPS_TWICE), at("2022-05-30T10:00:00Z"))
        .unwrap();
    assert_eq!(
        twice.route_taken.as_ref().map(|r| r.method),
        Some(Method::Delegated)
    );
    assert!(
        twice
            .publication
            .is_some_and(|p| p.published_at < model.session(story::WORKSHOPS[0]).unwrap().date)
    );
    assert!(
        twice
            .rationale
            .is_some_and(|r| r.starts_with("Guided by our values."))
    );
    assert_eq!(status(&s.workshops_twice, "T8"), Status::Satisfied);
    assert_eq!(status(&s.staff, "T2"), Status::Satisfied);
    assert!(read("staff-decision-record.md").contains(&format!(
        "### Rationale\n\n{}\n",
        staff.rationale.as_deref().unwrap()
    )));

    // 6. The funding process, used under the policy the community agreed. The red-line
    // offer: declined at screening on 2 November 2021, the reason published; challenging
    // upheld, and no value reads as failed.
    assert_eq!(status(&s.red_line, "C4"), Status::Satisfied);
    for value in ["human", "inclusive", "transparent", "challenging"] {
        assert_eq!(s.red_line.verdict(value), Some(Verdict::Upheld), "{value}");
    }
    // The foundation's grant: identified on 8 November, decided by the circle on 17
    // November, accepted with the community's condition, in monitoring.
    let funding = read("funding-record.md");
    for line in [
        "- Staff member 2: stepped out; declared an interest (Worked for the foundation's parent company until 2019)\n",
        "### Funder\n\nA pharmaceutical company's foundation, £2000 to under £25000; the red-line screen passed on the sector \"Pharmaceutical philanthropy\".\n",
        "Conditions that stand:\n\n- The community's: Findings are published in full; the foundation may comment within 14 days but not change or delay them\n",
        "The funder's conditions set aside, which do not stand:\n\n- The foundation reviews findings before they are published: Findings are the community's to publish; our condition replaces it\n",
        "The public register lists: funder, amount_band, conditions, route.\n",
    ] {
        assert!(funding.contains(line), "{line}");
    }
    // The foundation's condition restricting publication was set aside: no condition that
    // stands restricts publication, so C5 has nothing to judge. The rebalanced Allies
    // Group advised it: I9 holds.
    assert_eq!(status(&s.funding, "C5"), Status::NotApplicable);
    assert_eq!(status(&s.funding, "C4"), Status::Satisfied);
    assert_eq!(status(&s.funding, "I9"), Status::Satisfied);
    // The partnership, end to end: identified on 17 January 2022, its condition on
    // co-producers' voice forcing tier 2, consulted along the route, declined by the
    // circle's consent on 26 January, published on 31 January.
    let partnership = engine
        .record(&stream(story::PARTNERSHIP), at("2022-01-31T10:00:00Z"))
        .unwrap();
    assert_eq!(partnership.kind, DecisionKind::Partnership);
    assert_eq!(
        partnership
            .route_taken
            .as_ref()
            .map(|r| r.deciding_body.as_str()),
        Some("decision_circle")
    );
    assert_eq!(
        partnership.publication.as_ref().map(|p| p.published_at),
        Some(at("2022-01-31T09:00:00Z"))
    );
    // Every check of the tier's list done, by a named member, before the decision.
    let checks = partnership.due_diligence.as_ref().unwrap();
    assert_eq!(checks.len(), 7);
    assert!(checks.iter().all(|c| {
        c.required
            && c.completed_at
                .is_some_and(|t| t < at("2022-01-26T19:05:00Z"))
    }));
    assert_eq!(status(&s.partnership, "C3"), Status::Satisfied);
    assert!(read("partnership-record.md").contains("Outcome: declined.\n"));
    // The record's round is the consent round that decided, as its own record (and the
    // metrics) has it; the community's comment window before it is labelled as such.
    for (offer, round) in [
        (story::PARTNERSHIP, story::PARTNERSHIP_ROUND),
        (story::FUNDING, story::FUNDING_ROUND),
    ] {
        let record = engine
            .record(&stream(offer), at("2100-01-01T00:00:00Z"))
            .unwrap();
        let round_record = engine
            .record(&stream(round), at("2100-01-01T00:00:00Z"))
            .unwrap();
        let opened = round_record.dates.round_opened_at.unwrap();
        assert_eq!(record.dates.round_opened_at, Some(opened), "{offer}");
        assert_eq!(
            record.dates.round_closed_at, round_record.dates.round_closed_at,
            "{offer}"
        );
        let decided = m
            .decisions
            .iter()
            .find(|d| d.stream == stream(round))
            .unwrap();
        assert_eq!(decided.opened_at, opened, "{offer}");
        let window = (
            record.dates.comment_window_opened_at.unwrap(),
            record.dates.comment_window_closed_at.unwrap(),
        );
        assert!(window.0 < window.1 && window.1 <= opened, "{offer}");
    }
    // What the file list says each record shows, the record shows: the checks of due
    // diligence for both offers; the open advert, its ways to apply and its panel for both
    // recruitments.
    for file in ["funding-record.md", "partnership-record.md"] {
        let text = read(file);
        let checks = text
            .split("### Due diligence\n\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{file}: no due diligence"));
        let done = checks
            .lines()
            .take_while(|l| l.starts_with("- "))
            .filter(|l| l.contains(": done "))
            .count();
        assert_eq!(done, 7, "{file}");
        assert!(checks.starts_with("- Legal and sanctions: done "), "{file}");
    }
    for (file, advert) in [
        ("co-producers-record.md", "2022-09-22 to 2022-10-06"),
        ("allies-record.md", "2021-04-26 to 2021-05-17"),
    ] {
        let text = read(file);
        assert!(
            text.contains(&format!(
                "### Recruitment\n\n- Advert open from {advert}\n- 3 ways to apply: "
            )),
            "{file}"
        );
        assert!(
            text.contains("- Panel members with lived experience: 2\n"),
            "{file}"
        );
    }
    let partnership_md = read("partnership-record.md");
    for line in [
        "- Comment window opened: 2022-01-19\n- Comment window closed: 2022-01-26\n",
        "- Round opened: 2022-01-26\n- Round closed: 2022-01-26\n",
    ] {
        assert!(partnership_md.contains(line), "{line}");
    }
    for report in [&s.funding, &s.partnership] {
        assert_eq!(status(report, "I7"), Status::Satisfied);
    }

    // 7. June 2022: two workshops, each held again because so many wanted to come, and the
    // thoughts of people who could not; the access needs asked for met before each; themes,
    // and the one thought no theme carries, kept and listed.
    let workshops: Vec<_> = story::WORKSHOPS
        .iter()
        .map(|&w| model.session(w).unwrap())
        .collect();
    assert!(workshops.iter().all(|w| w.kind == SessionKind::Workshop
        && w.date.to_string().starts_with("2022-06")
        && w.unmet_access_requests().count() == 0
        && !w.access_requests.is_empty()));
    assert_eq!(
        workshops
            .iter()
            .filter(|w| w.title.ends_with("again (evening)"))
            .count(),
        2
    );
    // About fifty people at each workshop, over its two sessions, as the facilitators counted.
    let people: u32 = workshops.iter().filter_map(|w| w.attendance).sum();
    assert_eq!(people, 99);
    let outside = model.session(story::NOT_IN_THE_ROOM).unwrap();
    assert_eq!(outside.kind, SessionKind::OnlineBoard);
    assert_eq!(
        model.uncarried_in(story::NOT_IN_THE_ROOM).unwrap(),
        [ItemId::new(20)]
    );
    for &w in &story::WORKSHOPS {
        assert!(model.uncarried_in(w).unwrap().is_empty());
    }
    assert_eq!(model.uncarried(), [ItemId::new(7), ItemId::new(20)]);
    let workshops_said = read("you-said-we-did-associate-roles.md");
    assert!(workshops_said.contains("Could co-producers mentor each other across projects?"));
    assert!(workshops_said.contains("No titles, no hierarchy"));

    // 8. July 2022: the name. While the objection to "partner" was open, T3 flagged it and
    // the gate would refuse; once integrated, adopted on 19 July.
    assert_eq!(status(&s.naming_open_objection, "T3"), Status::Violated);
    assert!(s.naming_open_objection.gate().is_err());
    assert_eq!(status(&s.naming, "T3"), Status::Satisfied);
    let naming = read("naming-record.md");
    // The objection, in its objector's words, and the amendment that integrated it.
    assert!(naming.contains(
        "- Objection by Co-producer 2 (\"Calling them \"partners\" would blur the line with our members, who remain important contributors, and with the external partners we work with on projects.\"), tested valid: integrated. Answered by the amendment: Call them co-producers: no job titles and no hierarchy.\n"
    ));
    assert!(naming.contains(
        "What was decided: The new freelance roles are co-producers, with no titles and no hierarchy.\n"
    ));
    // The time box extended with its reason, and the member reminded before responding.
    assert!(naming.contains(
        "- 2022-07-15: the time box was extended from 2022-07-15 to 2022-07-22 by Co-producer 1: The team asked to meet in person to settle the name: the session is on 19 July.\n"
    ));
    assert!(
        naming.contains(
            "- 2022-07-19: Co-producer 2 reminded by email, recorded by Staff member 2\n"
        )
    );

    // 9. 28 August 2022: the draft open for comment, its feedback linked; amended on 19
    // September in answer to three comments.
    let model_proposal = match engine.state(&stream(story::WORKING_MODEL)) {
        Some(ProcessState::Proposal(p)) => p,
        other => panic!("the working model's proposal: {other:?}"),
    };
    let model_proposal = model_proposal.proposal().unwrap();
    let versions = model_proposal.versions();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].at, at("2022-08-28T09:00:00Z"));
    assert_eq!(versions[1].at, at("2022-09-19T09:00:00Z"));
    assert_eq!(
        versions[1].answers,
        [21, 22, 23].map(|n| coproduction::proposal::Answer::Item { id: ItemId::new(n) })
    );

    // 10. Autumn 2022: the first wave of co-producers, recruited openly (I6: an advert open
    // from 22 September to 6 October, three ways to apply, the criteria published in the
    // mid-September update, a panel with lived experience), decided by the decision circle
    // on 14 October on the new route, welcomed from 17 October.
    assert_eq!(status(&s.first_wave, "I6"), Status::Satisfied);
    let recruitment = engine
        .record(&stream(story::FIRST_WAVE), at("2022-10-21T10:00:00Z"))
        .unwrap()
        .recruitment
        .unwrap();
    assert_eq!(
        (
            recruitment.advert_opened_at,
            recruitment.advert_closed_at,
            recruitment.criteria_published_at
        ),
        (
            Some(at("2022-09-22T09:00:00Z")),
            Some(at("2022-10-06T17:00:00Z")),
            Some(at("2022-09-15T09:00:00Z"))
        )
    );
    // The first group session at the end of October, the easy-read papers the newest
    // co-producer asked for sent before it.
    let first = model.session(story::FIRST_GROUP_SESSION).unwrap();
    assert_eq!(first.date, at("2022-10-31T13:00:00Z"));
    assert!(!first.access_requests.is_empty() && first.unmet_access_requests().count() == 0);
    let team = BodyId::new("associate_roles_team").unwrap();
    assert_eq!(figures(&team, "2022-10-17T08:59:00Z"), (3, 3));
    assert_eq!(figures(&team, "2022-10-17T09:00:00Z"), (6, 6));

    // 11. February 2023: the working model agreed for the pilot by the team with its new
    // members, the easy-read papers one of them asked for met before the session.
    assert_eq!(status(&s.working_model, "I4"), Status::Satisfied);
    assert!(
        read("working-model-record.md")
            .contains("What was decided: Piloted across projects for six months from 1 March 2023, then reassessed.\n")
    );

    // 12. The pilot from 1 March 2023: due the evening before, started by the engine's
    // tick on its day, its review due 26 weeks from that start (30 August 2023), and the
    // reassessment round held for the proposal consenting on 13 September to continue it:
    // in force until its next review.
    assert_eq!(
        s.pilot_starting,
        DueItem::PilotStarting {
            starts: at("2023-03-01T09:00:00Z"),
            review_date: at("2023-08-30T09:00:00Z"),
            step: None,
        }
    );
    assert_eq!(s.pilot_started.step, DeadlineStep::StartPilot);
    assert_eq!(s.pilot_started.events.len(), 1);
    assert_eq!(s.pilot_started.events[0].actor, ENGINE_ACTOR);
    assert_eq!(s.pilot_started.events[0].time, at(story::PILOT_STARTS));
    assert_eq!(
        s.pilot_review,
        DueItem::ReviewDue {
            review_date: at("2023-08-30T09:00:00Z"),
            overdue: true,
        }
    );
    let model_proposal = match engine.state(&stream(story::WORKING_MODEL)) {
        Some(ProcessState::Proposal(p)) => p.proposal().unwrap().clone(),
        other => panic!("the working model's proposal: {other:?}"),
    };
    let review = &model_proposal.reviews()[0];
    assert!(review.pilot);
    assert_eq!(
        review.reassessments[0].round,
        stream(story::WORKING_MODEL_REASSESSMENT)
    );
    assert_eq!(
        model_proposal.review_date(),
        Some(at("2024-09-13T00:00:00Z"))
    );
    assert_eq!(status(&s.reassessment, "I4"), Status::Satisfied);

    // The pilot's evaluation: agreed the day it started, one question for each benefit the
    // working model promises; every piece of evidence gathered while it ran, before its
    // review opened; each question answered, people's own words among the answers; the
    // reassessment decided on it (C8), and the metrics count it.
    let evaluation = model_proposal.evaluation().unwrap();
    assert_eq!(&s.evaluation, evaluation);
    assert_eq!(evaluation.agreed_at, at("2023-03-01T10:00:00Z"));
    assert_eq!(
        evaluation
            .plan
            .questions
            .iter()
            .map(|q| q.benefit)
            .collect::<Vec<_>>(),
        Benefit::ALL
    );
    assert_eq!((evaluation.evidence.len(), evaluation.words()), (7, 4));
    assert!(evaluation.without_evidence().is_empty());
    for piece in &evaluation.evidence {
        assert!(piece.gathered.gathered_at >= at(story::PILOT_STARTS));
        assert!(piece.at < at("2023-09-04T09:30:00Z"), "{piece:?}");
    }
    // A co-producer's own words, witnessed; the others recorded by the steward, attested.
    assert_eq!(
        evaluation
            .evidence
            .iter()
            .filter(|r| r.in_own_words())
            .count(),
        1
    );
    assert_eq!(status(&s.reassessment, "C8"), Status::Satisfied);
    let evaluated = s
        .metrics
        .evaluations
        .iter()
        .find(|e| e.stream == stream(story::WORKING_MODEL))
        .unwrap();
    assert_eq!(
        evaluated.reassessed,
        Some(coproduction::values::Outcome::Adopted)
    );
    assert_eq!((evaluated.figures, evaluated.words), (3, 4));
    // The metrics table says what metrics.json says.
    let json: serde_json::Value = serde_json::from_str(&read("metrics.json")).unwrap();
    assert_eq!(json["evaluations"][0]["reassessed"], "adopted");
    let table = m.table().to_string();
    let line = table.lines().find(|l| l.starts_with("reassessed")).unwrap();
    assert_eq!(
        line.trim_start_matches("reassessed").trim(),
        "adopted (the agreement continues)"
    );
    let reassessment_record = read("working-model-reassessment-record.md");
    assert!(reassessment_record.contains(
        "### Evaluation of benefits and impact\n\nQuestions agreed by Associate roles co-production team on 2023-03-01"
    ));
    assert!(reassessment_record.contains(
        "On the pilot's evaluation: 3 questions, 7 pieces of evidence (4 in people's own words)."
    ));
    // A record holds only what had happened by its date: the round that agreed the model
    // for the pilot decided in February, before the evaluation was agreed, so neither its
    // record nor the proposal's as of then carries it; the proposal's in June holds only the
    // evidence recorded by then.
    let model_round = stream(story::WORKING_MODEL_ROUND);
    let model = stream(story::WORKING_MODEL);
    for (id, now) in [
        (&model_round, "2023-02-13T10:00:00Z"),
        (&model_round, "2100-01-01T00:00:00Z"),
        (&model, "2023-02-13T10:00:00Z"),
        (&model, "2023-02-28T23:59:59Z"),
    ] {
        let record = engine.record(id, at(now)).unwrap();
        assert_eq!(record.evaluation, None, "{id} at {now}");
    }
    assert_eq!(status(&s.working_model, "C8"), Status::NotApplicable);
    let working_model_record = read("working-model-record.md");
    assert!(!working_model_record.contains("Evaluation of benefits and impact"));
    assert!(!working_model_record.contains("2023-03-01"));
    let june = engine
        .record(&model, at("2023-06-30T23:59:59Z"))
        .and_then(|r| r.evaluation)
        .unwrap();
    assert!(!june.evidence.is_empty() && june.evidence.len() < evaluation.evidence.len());
    assert!(
        june.evidence
            .iter()
            .all(|r| r.at <= at("2023-06-30T23:59:59Z"))
    );
    assert!(read("working-model-reassessment-record.md").contains(
        "What was decided: Continued as the standing working model, reviewed in a year; a second wave of co-producers to be recruited.\n"
    ));

    // Every decision taken passed its gate, and upheld human, transparent and challenging;
    // inclusion was at risk only while the Allies Group advised unbalanced.
    for report in [
        &s.allies,
        &s.how_we_decide,
        &s.staff,
        &s.workshops_twice,
        &s.funding,
        &s.partnership,
        &s.naming,
        &s.first_wave,
        &s.working_model,
        &s.reassessment,
    ] {
        assert!(report.gate().is_ok());
        for value in ["human", "transparent", "challenging"] {
            assert_eq!(report.verdict(value), Some(Verdict::Upheld), "{value}");
        }
    }
    for report in [
        &s.how_we_decide,
        &s.staff,
        &s.workshops_twice,
        &s.funding,
        &s.partnership,
        &s.naming,
        &s.first_wave,
        &s.working_model,
        &s.reassessment,
    ] {
        assert_eq!(report.verdict("inclusive"), Some(Verdict::Upheld));
    }

    // 13. The second wave, as the reassessment asked: an open advert decided on the route
    // in force; two members of the community take the role, keeping their names, and a
    // newcomer joins; recruitment in two waves, each with its date and the team's make-up.
    assert_eq!(status(&s.second_wave, "I6"), Status::Satisfied);
    // The two it appoints sit in the deciding circle: each declared the interest and
    // stepped out, and the rest of the circle decided without them.
    let second = engine
        .record(&stream(story::SECOND_WAVE), at("2023-10-27T10:00:00Z"))
        .unwrap();
    let participants = second.participants.clone().unwrap();
    for id in [16, 18] {
        let p = participants
            .iter()
            .find(|p| p.member == MemberId::new(id))
            .unwrap();
        assert_eq!(
            p.conflict,
            Some(coproduction::values::Conflict::DeclaredAndRecused),
            "{id}"
        );
        assert!(p.interest.is_some(), "{id}");
    }
    let deciders = participants
        .iter()
        .filter(|p| p.conflict == Some(coproduction::values::Conflict::None))
        .count();
    assert_eq!(deciders, 6);
    assert_eq!(status(&s.second_wave, "T4"), Status::Satisfied);
    assert_eq!(status(&s.second_wave, "C1"), Status::Satisfied);
    let second_md = read("second-wave-record.md");
    for who in ["Community member 2", "Community member 4"] {
        assert!(
            second_md.contains(&format!(
                "- {who} (lived experience, public contributor): stepped out: Does not decide on \
                 their own appointment; declared an interest (Applied for the role and is one of \
                 the three this appoints)"
            )),
            "{who}"
        );
    }
    let later = engine.community_at(at("2023-10-30T09:00:00Z")).unwrap();
    for id in [16, 18] {
        let member = later.member(MemberId::new(id)).unwrap();
        assert!(
            member.roles.contains(&coproduction::Role::CoProducer),
            "{id}"
        );
        assert!(member.name.starts_with("Community member"), "{id}");
    }
    assert!(
        s.waves
            .iter()
            .all(|w| w.body.as_str() == "associate_roles_team")
    );
    let waves: Vec<(String, usize, usize, usize)> = s
        .waves
        .iter()
        .map(|w| {
            (
                w.at.to_string(),
                w.appointed.len(),
                w.before.as_ref().map_or(0, |r| r.size),
                w.after.as_ref().map_or(0, |r| r.size),
            )
        })
        .collect();
    assert_eq!(
        waves,
        [
            ("2022-10-17T09:00:00Z".to_owned(), 3, 3, 6),
            ("2023-10-30T09:00:00Z".to_owned(), 3, 6, 9)
        ]
    );

    // 15. The metrics: twelve decisions with a round, who took part (all 25 members of the
    // whole community in its 2021 governance round, 22 in the one forming the team, which
    // the three it named stepped out of; the one accountable decider of each advice
    // process and delegated decision; every seat but the two who stepped out of the second
    // wave's decision), the objection integrated, every one published in time, two items no
    // theme carries. Who stepped out was not entitled to respond, as the records count
    // them: everyone entitled took part.
    assert_eq!(m.totals.decisions, 12);
    assert_eq!(
        (m.totals.participation.part, m.totals.participation.whole),
        (94, 94)
    );
    assert_eq!(
        (
            m.totals.lived_experience.part,
            m.totals.lived_experience.whole
        ),
        (63, 94)
    );
    // A delegated decision has one participant, the accountable decider, as its record says.
    let staff = m
        .decisions
        .iter()
        .find(|d| d.stream == stream(story::STAFF_DECISION))
        .unwrap();
    assert_eq!(
        (staff.method, staff.eligible, staff.responded),
        (Method::Delegated, 1, 1)
    );
    assert_eq!(m.totals.objections.raised, 1);
    assert_eq!(m.totals.objections.integrated, 1);
    assert_eq!(m.totals.concerns, 0);
    assert_eq!(m.totals.outcomes.get("adopted"), Some(&10));
    assert_eq!(m.totals.outcomes.get("monitoring"), Some(&1));
    assert_eq!(m.totals.outcomes.get("declined"), Some(&1));
    assert_eq!(
        (m.publication.in_time.part, m.publication.in_time.whole),
        (12, 12)
    );
    let feedback = m.feedback.as_ref().unwrap();
    assert_eq!((feedback.carried.part, feedback.carried.whole), (20, 22));
    assert_eq!(m.bodies.len(), 4);
    assert_eq!(m.lived_experience_by_month.len(), 12);

    // 16. The files it names exist, each with a line on what it shows; the journal
    // rebuilds every process.
    assert_eq!(s.files.len(), 1 + 2 * story::RECORDS.len() + 8);
    for (file, shows) in &s.files {
        assert!(file.exists(), "{}", file.display());
        assert!(!shows.is_empty(), "{}", file.display());
    }
    let path = dir.path().join("journal.jsonl");
    // While the engine holds the journal, nobody else can write to it.
    assert!(matches!(
        FileJournal::<EngineEvent>::open(&path),
        Err(JournalError::Locked { .. })
    ));
    // A whole decision exports as one JSON document: its record, report and gate, how each
    // member it mentions asked to be named, and every event of its stream.
    let foundation = stream(story::FUNDING);
    let document = engine
        .export(&foundation, at("2021-11-22T10:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(document.names[&MemberId::new(2)], "Staff member 2");
    assert!(document.gate.as_ref().is_some_and(|g| g.same_charter));
    assert_eq!(
        document.history,
        engine.journal().read_stream(&foundation).unwrap()
    );
    let json = serde_json::to_string(&document).unwrap();
    assert_eq!(
        serde_json::from_str::<coproduction::report::DecisionDocument>(&json).unwrap(),
        document
    );
    // The red-line offer passed no gate: declined at its screen, it never reached one.
    let red_line = engine
        .export(&stream(story::TOBACCO), at("2021-11-02T11:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(red_line.gate, None);

    let written = engine.journal().read_all().unwrap();
    let streams = engine.streams();
    let states: Vec<_> = streams.iter().map(|id| engine.state(id)).collect();
    drop(s);

    // The offer's record as it stood after its round consented and before the offer was
    // decided: the round's objections and responses are there, but no outcome, decision
    // time or route taken is borrowed from the round.
    let before = MemoryJournal::new();
    let mut next: BTreeMap<&StreamId, u64> = BTreeMap::new();
    for e in &written {
        if e.stream == foundation
            && matches!(
                e.event,
                EngineEvent::Funding {
                    event: FundingEvent::Decided { .. },
                    ..
                }
            )
        {
            break;
        }
        let seq = next.entry(&e.stream).or_default();
        let event = NewEvent::new(e.actor, e.time, e.event.clone());
        before.append(&e.stream, *seq, vec![event]).unwrap();
        *seq += 1;
    }
    let undecided = Engine::from_journal(before).unwrap();
    assert_eq!(
        undecided.phase::<FundingProcess>(&foundation),
        Some(FundingPhase::Deciding)
    );
    let record = undecided
        .record(&foundation, at("2021-11-18T00:00:00Z"))
        .unwrap();
    assert_eq!(record.outcome, None);
    assert_eq!(record.dates.decided_at, None);
    assert_eq!(record.route_taken, None);
    assert!(record.objections.is_some() && record.absence_policy.is_some());

    records_match_their_golden_files(dir.path());

    let (journal, report) = FileJournal::open(&path).unwrap();
    assert_eq!(report.torn_tail, None);
    assert_eq!(journal.read_all().unwrap(), written);
    let replayed = Engine::from_journal(journal).unwrap();
    assert_eq!(replayed.streams(), streams);
    for (id, state) in streams.iter().zip(states) {
        assert_eq!(replayed.state(id), state, "{id}");
    }
}

#[test]
fn a_governance_decision_changes_who_decides_and_each_record_names_its_map() {
    let dir = tempfile::tempdir().unwrap();
    let s = story::run(dir.path()).unwrap();
    let engine = &s.engine;
    let founding: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance-2021.json")).unwrap();
    let founding_hash = governance_hash(&founding);
    let history = engine.history().unwrap();
    // The map adopted in September 2021, and the one in force since May 2022, with the
    // associate-roles team: the seed map of `examples/data`, with September's changes.
    let adopted_hash = history
        .at(at("2021-10-01T00:00:00Z"))
        .governance_hash()
        .unwrap();
    let team_hash = governance_hash(engine.governance().unwrap().map());
    assert_ne!(founding_hash, adopted_hash);
    assert_ne!(adopted_hash, team_hash);

    // The journal's history: founded with the 2021 map and no funding policy, changed by
    // the governance decision, when the whole community's round adopted it (a new map and
    // the funding policy, in force from 1 October 2021), and again when the whole
    // community formed the associate-roles team (in force from 1 May 2022).
    assert_eq!(history.founding().governance_hash(), Some(founding_hash));
    assert_eq!(
        history.at(at("2022-04-30T23:59:59Z")).governance_hash(),
        Some(adopted_hash)
    );
    assert_eq!(history.current().governance_hash(), Some(team_hash));
    // The team is no body of the community, and no route names it, before May 2022.
    let team = BodyId::new("associate_roles_team").unwrap();
    for t in ["2021-06-01T00:00:00Z", "2022-04-30T23:59:59Z"] {
        let version = history.at(at(t));
        assert!(version.community().body(&team).is_none(), "{t}");
        let map = version.governance().unwrap().map();
        assert!(
            !map.dot().to_string().contains("associate_roles_team"),
            "{t}"
        );
    }
    assert!(
        history
            .at(at("2022-05-01T00:00:00Z"))
            .community()
            .body(&team)
            .is_some()
    );
    assert!(history.founding().funding_policy().is_none());
    assert!(
        history
            .at(at("2021-09-30T23:59:59Z"))
            .funding_policy()
            .is_none()
    );
    assert!(
        history
            .at(at(story::RECORDS[1].3))
            .funding_policy()
            .is_some()
    );
    let adopted_at = at("2021-09-27T19:00:00Z");
    let changes: Vec<_> = engine
        .journal()
        .read_all()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.event {
            EngineEvent::Community {
                event:
                    LivingEvent::Changed {
                        change,
                        decided_by,
                        from,
                        ..
                    },
            } if matches!(
                *change,
                CommunityChange::Governance { .. } | CommunityChange::FundingPolicy { .. }
            ) =>
            {
                Some((change.label(), e.time, decided_by, from))
            }
            _ => None,
        })
        .collect();
    let in_force_from = at("2021-10-01T00:00:00Z");
    let by = Some(stream(story::HOW_WE_DECIDE_PROPOSAL));
    assert_eq!(
        changes,
        vec![
            ("governance", adopted_at, by.clone(), Some(in_force_from)),
            ("funding_policy", adopted_at, by, Some(in_force_from)),
            (
                "governance",
                at("2022-04-11T19:00:00Z"),
                Some(stream(story::TEAM_PROPOSAL)),
                Some(at("2022-05-01T00:00:00Z"))
            ),
        ]
    );

    // Recruitment's and everyday decisions' routes, up to the end of September and from 1
    // October on.
    let route = |kind: DecisionKind, t: &str| {
        let route = history
            .at(at(t))
            .governance()
            .unwrap()
            .route(&kind, RouteFacts::new())
            .unwrap();
        let consult: Vec<String> = route.consult.iter().map(|c| c.body.to_string()).collect();
        (route.decider.to_string(), route.procedure, consult)
    };
    for t in ["2021-09-27T18:59:00Z", "2021-09-30T23:59:59Z"] {
        let (decider, procedure, consult) = route(DecisionKind::Recruitment, t);
        assert_eq!(
            (decider.as_str(), procedure),
            ("staff_team", Procedure::Method(Method::AdviceProcess)),
            "{t}"
        );
        assert_eq!(consult, ["allies_group"]);
        assert_eq!(
            route(DecisionKind::Operational, t).1,
            Procedure::Method(Method::AdviceProcess)
        );
    }
    let (decider, procedure, consult) = route(DecisionKind::Recruitment, "2021-10-01T00:00:00Z");
    assert_eq!(
        (decider.as_str(), procedure),
        ("decision_circle", Procedure::Method(Method::Consent))
    );
    assert_eq!(consult, ["allies_group", "staff_team"]);
    let (_, _, consult) = route(DecisionKind::Recruitment, "2022-05-01T00:00:00Z");
    assert_eq!(
        consult,
        ["associate_roles_team", "allies_group", "staff_team"]
    );
    // An offer restricting publication (tier 2): the staff team's advice process until the
    // end of September 2021, the circle's consent from October, as the "you said, we did"
    // of the March session credits the September decision.
    let tier_two = |t: &str| {
        let route = history
            .at(at(t))
            .governance()
            .unwrap()
            .route(
                &DecisionKind::Funding,
                RouteFacts::new().risk(coproduction::decision::Tier::Two),
            )
            .unwrap();
        (route.decider.to_string(), route.procedure)
    };
    assert_eq!(
        tier_two("2021-09-30T23:59:59Z"),
        (
            "staff_team".to_owned(),
            Procedure::Method(Method::AdviceProcess)
        )
    );
    assert_eq!(
        tier_two("2021-10-01T00:00:00Z"),
        (
            "decision_circle".to_owned(),
            Procedure::Method(Method::Consent)
        )
    );
    let march = written_you_said(dir.path());
    assert!(march.contains("d2 How we decide (2021-09-27): adapted: The community is consulted from tier 1; from tier 2 a decision circle with lived experience decides by consent."), "{march}");
    let (decider, procedure, _) = route(DecisionKind::Operational, "2021-10-01T00:00:00Z");
    assert_eq!(
        (decider.as_str(), procedure),
        ("staff_team", Procedure::Method(Method::Delegated))
    );

    // The records: the Allies Group's rebalancing taken on the old route, the first wave's
    // appointment on the new one, each the route the map in force gave.
    let route_of = |round: &str, t: &str| {
        let record = engine.record(&stream(round), at(t)).unwrap();
        let taken = record.route_taken.unwrap();
        assert_eq!(Some(&taken), record.route_given.as_ref(), "{round}");
        (taken.deciding_body.to_string(), taken.method)
    };
    assert_eq!(
        route_of(story::ALLIES, "2021-06-08T10:00:00Z"),
        ("staff_team".to_owned(), Method::AdviceProcess)
    );
    assert_eq!(
        route_of(story::FIRST_WAVE, "2022-10-21T10:00:00Z"),
        ("decision_circle".to_owned(), Method::Consent)
    );

    // Each gate names the map its process opened under: the rebalancing and the governance
    // decision itself the founding map; the staff decision, the offers and the decision
    // forming the team the September one; the first wave and the working model the one
    // with the team; the offers with the funding policy they followed.
    let gates = |s: &str| {
        let gates = engine.gates(&stream(s));
        assert!(!gates.is_empty(), "{s}");
        gates
    };
    for s in [story::ALLIES, story::HOW_WE_DECIDE] {
        assert!(
            gates(s).iter().all(|g| g.governance == Some(founding_hash)),
            "{s}"
        );
    }
    let policy = history.current().funding_policy_hash();
    assert!(policy.is_some());
    for s in [story::STAFF_DECISION, story::FUNDING, story::TEAM] {
        assert!(
            gates(s).iter().all(|g| g.governance == Some(adopted_hash)),
            "{s}"
        );
    }
    for s in [story::FIRST_WAVE, story::WORKING_MODEL_ROUND] {
        assert!(
            gates(s).iter().all(|g| g.governance == Some(team_hash)),
            "{s}"
        );
    }
    assert!(
        gates(story::FUNDING)
            .iter()
            .all(|g| g.funding_policy == policy)
    );

    // The records written out say so.
    let written = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let routed = |hash| format!("Routed by governance map {hash}");
    assert!(written("allies-record.md").contains(&routed(founding_hash)));
    let appointment = written("co-producers-record.md");
    assert!(appointment.contains(&routed(team_hash)), "{appointment}");
    assert!(!appointment.contains(&routed(founding_hash)));
    // Every record names the map its process opened under, as Markdown and as a page,
    // whether or not its decision passed a gate: the partnership, declined, passed none.
    let later = "2030-01-01T00:00:00Z".parse().unwrap();
    assert!(engine.review(&stream(story::PARTNERSHIP), later).is_none());
    for (id, _, name, _, _) in story::RECORDS {
        let opened = engine
            .journal()
            .read_stream(&stream(id))
            .unwrap()
            .first()
            .unwrap()
            .time;
        let hash = history.at(opened).governance_hash().unwrap();
        for ext in ["md", "html"] {
            let text = written(&format!("{name}.{ext}"));
            assert_eq!(
                text.matches("Routed by governance map").count(),
                1,
                "{name}.{ext}"
            );
            assert!(text.contains(&routed(hash)), "{name}.{ext}");
        }
    }
    assert!(written("partnership-record.md").contains(&format!(
        "### Governance map\n\nRouted by governance map {adopted_hash} (no value gate ran on this decision).\n"
    )));
}

/// The "you said, we did" of the March 2021 session, as the story wrote it in `dir`.
fn written_you_said(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("you-said-we-did-march-2021.md")).unwrap()
}
