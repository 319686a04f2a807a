//! The `collective` example's year, run again through the public API, with its outcomes,
//! the findings the value-check must raise, and the metrics asserted.

#[allow(dead_code)]
#[path = "../examples/collective/story/mod.rs"]
mod story;

use std::collections::BTreeMap;

use coproduction::community::BodyId;
use coproduction::consent::{DeadlineStep, RoundPhase};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{DueItem, ENGINE_ACTOR, Engine, EngineEvent};
use coproduction::funding::{FundingEvent, FundingPhase};
use coproduction::governance::{GovernanceMap, Procedure, RouteFacts};
use coproduction::journal::{
    FileJournal, Journal, JournalError, MemoryJournal, NewEvent, StreamId,
};
use coproduction::living::{CommunityChange, LivingEvent, governance_hash};
use coproduction::proposal::ProposalPhase;
use coproduction::values::{Status, ValueReport, Verdict};

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
    for (_, _, name, _) in story::RECORDS {
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
    }
}

#[test]
fn a_year_in_the_life_of_the_collective() {
    let dir = tempfile::tempdir().unwrap();
    let s = story::run(dir.path()).unwrap();
    let engine = &s.engine;

    // Each member is named as they asked, the same in every record: Community member 6
    // asked not to be named after the May session, and is not, in any record or in "you
    // said, we did", while others are named.
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    for name in [
        "working-model-record.md",
        "governance-record.md",
        "you-said-we-did.md",
    ] {
        let text = read(name);
        assert!(text.contains("anonymous member m20"), "{name}");
        assert!(!text.contains("Community member 6"), "{name}");
        assert!(!text.contains("- m"), "{name}: a member shown by id alone");
    }
    let working_model = read("working-model-record.md");
    assert!(working_model.contains("- Co-producer 2 (lived experience"));
    // The objection, in its objector's words, and the amendment that integrated it.
    assert!(working_model.contains(
        "- Objection by Co-producer 2 (\"Without paid preparation time, co-producers with caring responsibilities cannot take part.\"), tested valid: integrated. Answered by the amendment: Two hours of paid preparation time for every session.\n"
    ));
    assert!(working_model.contains(
        "### What was proposed\n\nCo-producers take flexible roles without titles, offered project by project.\n"
    ));
    // Who stepped out of the foundation's decision, and why, not "no response".
    assert!(read("funding-record.md").contains(
        "- Staff member 2: stepped out; declared an interest (Worked for the foundation's parent company until 2019)\n"
    ));
    // The funder, the band, the screen, every condition and what the register lists.
    let funding = read("funding-record.md");
    for line in [
        "### Funder\n\nA pharmaceutical company's foundation, £2000 to under £25000; the red-line screen passed.\n",
        // Which condition stands: the community's; the foundation's review is set aside.
        "Conditions that stand:\n\n- The community's: Findings are published in full; the foundation may comment within 14 days but not change or delay them\n",
        "The funder's conditions set aside, which do not stand:\n\n- The foundation reviews findings before they are published: Findings are the community's to publish; our condition replaces it\n",
        "The public register lists: funder, amount_band, conditions, route.\n",
    ] {
        assert!(funding.contains(line), "{line}");
    }
    // What was decided reaches the record in the words recorded with the outcome.
    assert!(working_model.contains(
        "Outcome: adopted.\nWhat was decided: Piloted for six months from the spring, with paid preparation time.\n"
    ));
    // The time box extended with its reason, and the member reminded before responding.
    assert!(working_model.contains(
        "- 2021-08-30: the time box was extended from 2021-08-31 to 2021-09-03 by Co-producer 1: The team asked to meet in person after the bank holiday: the session is on 1 September.\n"
    ));
    assert!(
        working_model.contains(
            "- 2021-09-01: Co-producer 2 reminded by email, recorded by Staff member 2\n"
        )
    );

    // The outcomes.
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream(story::FOUNDATION)),
        Some(FundingPhase::Monitoring)
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream(story::FOUNDATION_ROUND)),
        Some(RoundPhase::Consented)
    );
    assert_eq!(
        engine.phase::<coproduction::FundingProcess>(&stream(story::TOBACCO)),
        Some(FundingPhase::Declined)
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream(story::RECRUITMENT)),
        Some(RoundPhase::Adopted)
    );
    assert_eq!(
        engine.phase::<coproduction::ProposalProcess>(&stream(story::RECRUITMENT_PROPOSAL)),
        Some(ProposalPhase::Published)
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream(story::WORKING_MODEL_ROUND)),
        Some(RoundPhase::Adopted)
    );
    // The pilot, scheduled at the decision for the spring, was due to start the evening
    // before; the tick started it on its day; its review fell due six months from that start
    // (not from the decision's review date, 1 September); the reassessment round held for
    // the proposal consented to continue it, and the proposal recorded that in one batch:
    // in force until its next review.
    assert_eq!(
        s.pilot_starting,
        DueItem::PilotStarting {
            starts: story::at("2022-03-07T09:00:00Z"),
            review_date: story::at("2022-09-05T09:00:00Z"),
            step: None,
        }
    );
    assert_eq!(s.pilot_started.step, DeadlineStep::StartPilot);
    assert_eq!(s.pilot_started.events.len(), 1);
    assert_eq!(s.pilot_started.events[0].actor, ENGINE_ACTOR);
    assert_eq!(
        s.pilot_review,
        DueItem::ReviewDue {
            review_date: story::at("2022-09-05T09:00:00Z"),
            overdue: true,
        }
    );
    assert!(
        s.reassessment
            .findings()
            .iter()
            .all(|f| !matches!(f.status, Status::Violated) || f.rule.as_str() == "I6")
    );
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&stream(story::WORKING_MODEL_REASSESSMENT)),
        Some(RoundPhase::Adopted)
    );
    let model = match engine.state(&stream(story::WORKING_MODEL)) {
        Some(coproduction::engine::ProcessState::Proposal(p)) => p,
        other => panic!("the working model's proposal: {other:?}"),
    };
    let model = model.proposal().unwrap();
    let review = &model.reviews()[0];
    assert!(review.pilot);
    assert_eq!(
        review.reassessments[0].round,
        stream(story::WORKING_MODEL_REASSESSMENT)
    );
    assert_eq!(model.review_date(), Some(story::at("2023-09-14T00:00:00Z")));
    let reassessment = read("working-model-reassessment-record.md");
    assert!(reassessment.contains(
        "What was decided: Continued as the standing working model, reviewed in a year.\n"
    ));
    assert_eq!(
        engine.phase::<coproduction::ProposalProcess>(&stream(story::WORKING_MODEL)),
        Some(ProposalPhase::Implementing)
    );
    for (round, proposal) in [
        (story::WHO_RECRUITS, story::WHO_RECRUITS_PROPOSAL),
        (story::APPOINTMENT, story::APPOINTMENT_PROPOSAL),
    ] {
        assert_eq!(
            engine.phase::<coproduction::ConsentProcess>(&stream(round)),
            Some(RoundPhase::Adopted),
            "{round}"
        );
        assert_eq!(
            engine.phase::<coproduction::ProposalProcess>(&stream(proposal)),
            Some(ProposalPhase::Published),
            "{proposal}"
        );
    }

    // The findings the value-check must raise: I9 on the Allies Group's advice while three
    // of its eight members brought lived experience (acknowledged, so inclusion is at risk);
    // C4 on the red-line funder; T3 on the objection while it had no disposition.
    assert_eq!(status(&s.foundation, "I9"), Status::Violated);
    assert!(s.foundation.finding("I9").unwrap().acknowledged.is_some());
    assert_eq!(s.foundation.verdict("inclusive"), Some(Verdict::AtRisk));
    assert_eq!(status(&s.recruitment, "I9"), Status::Violated);
    // The first wave brought four allies with lived experience into the group, in the batch
    // that adopted it: seven of twelve. The working model, advised by the group afterwards,
    // keeps I9.
    let allies = coproduction::community::BodyId::new("allies_group").unwrap();
    let figures = |t: &str| {
        let c = engine.community_at(story::at(t)).unwrap();
        let f = c.figures(&allies).unwrap();
        (f.size, f.lived_experience)
    };
    assert_eq!(figures("2021-07-20T12:09:00Z"), (8, 3));
    assert_eq!(figures("2021-07-20T12:10:00Z"), (12, 7));
    assert_eq!(status(&s.working_model, "I9"), Status::Satisfied);
    // Declining the tobacco company's offer at the red-line screen, and publishing why, is
    // the red line held: challenging upheld, and no value reads as failed.
    assert_eq!(status(&s.red_line, "C4"), Status::Satisfied);
    for value in ["human", "inclusive", "transparent", "challenging"] {
        assert_eq!(s.red_line.verdict(value), Some(Verdict::Upheld), "{value}");
    }
    assert_eq!(status(&s.open_objection, "T3"), Status::Violated);
    assert!(s.open_objection.gate().is_err());
    // Once dealt with, and in every decision taken, the same rules hold.
    assert_eq!(status(&s.working_model, "T3"), Status::Satisfied);
    assert_eq!(status(&s.foundation, "C4"), Status::Satisfied);
    // The foundation's condition restricting publication was set aside: no condition that
    // stands restricts publication, so C5 has nothing to judge.
    assert_eq!(status(&s.foundation, "C5"), Status::NotApplicable);
    assert_eq!(status(&s.recruitment, "I6"), Status::Satisfied);
    assert_eq!(status(&s.appointment, "I6"), Status::Satisfied);
    // The whole community's round seated the member who asked for captions and papers in
    // advance: both were met before the session.
    assert_eq!(status(&s.governance, "I4"), Status::Satisfied);
    for report in [
        &s.foundation,
        &s.recruitment,
        &s.wave,
        &s.working_model,
        &s.governance,
        &s.appointment,
    ] {
        assert!(report.gate().is_ok());
        for value in ["human", "transparent", "challenging"] {
            assert_eq!(report.verdict(value), Some(Verdict::Upheld), "{value}");
        }
    }
    // Inclusion was at risk while the group advised unbalanced, and upheld once it was not.
    for report in [&s.foundation, &s.recruitment, &s.wave] {
        assert_eq!(report.verdict("inclusive"), Some(Verdict::AtRisk));
    }
    for report in [&s.working_model, &s.governance, &s.appointment] {
        assert_eq!(report.verdict("inclusive"), Some(Verdict::Upheld));
    }

    // The metrics: seven decisions with a round (the pilot's reassessment among them), who
    // took part (all 29 members of the whole community in its governance round), the
    // objection integrated, all seven decided and published with a rationale in time (the
    // foundation's offer by its own decision and register entry: its round stops at
    // consent), one item no theme carries.
    let m = &s.metrics;
    assert_eq!(m.totals.decisions, 7);
    assert_eq!(
        (m.totals.participation.part, m.totals.participation.whole),
        (58, 75)
    );
    assert_eq!(
        (
            m.totals.lived_experience.part,
            m.totals.lived_experience.whole
        ),
        (42, 58)
    );
    assert_eq!(m.totals.objections.raised, 1);
    assert_eq!(m.totals.objections.integrated, 1);
    assert_eq!(m.totals.concerns, 0);
    assert_eq!(m.totals.outcomes.get("adopted"), Some(&6));
    assert_eq!(m.totals.outcomes.get("monitoring"), Some(&1));
    assert_eq!(
        (m.publication.in_time.part, m.publication.in_time.whole),
        (7, 7)
    );
    let feedback = m.feedback.as_ref().unwrap();
    assert_eq!((feedback.carried.part, feedback.carried.whole), (5, 6));
    assert_eq!(s.cocreation.uncarried().len(), 1);
    assert_eq!(m.bodies.len(), 4);
    assert_eq!(m.lived_experience_by_month.len(), 6);

    // Time to decision runs from the proposal, not from the round: each round decides a
    // proposal or an offer in the journal, and counts from its creation or identification
    // to the decision (the story's own dates).
    let matter = |round: &str| {
        let d = m
            .decisions
            .iter()
            .find(|d| d.stream.as_str() == round)
            .unwrap();
        assert!(d.decided && d.proposed_at < d.opened_at, "{round}");
        (
            d.decides_for.as_ref().map(|s| s.as_str().to_owned()),
            d.proposed_at,
            d.decided_at,
            d.time_to_decision,
        )
    };
    let day = |days: i64, hours: i64, minutes: i64| {
        Some(jiff::SignedDuration::from_mins(
            (days * 24 + hours) * 60 + minutes,
        ))
    };
    assert_eq!(
        matter(story::WORKING_MODEL_ROUND),
        (
            Some(story::WORKING_MODEL.into()),
            story::at("2021-08-02T09:00:00Z"),
            Some(story::at("2021-09-01T11:10:00Z")),
            day(30, 2, 10)
        )
    );
    assert_eq!(
        matter(story::RECRUITMENT),
        (
            Some(story::RECRUITMENT_PROPOSAL.into()),
            story::at("2021-05-13T09:00:00Z"),
            Some(story::at("2021-06-10T12:10:00Z")),
            day(28, 3, 10)
        )
    );
    assert_eq!(
        matter(story::WHO_RECRUITS),
        (
            Some(story::WHO_RECRUITS_PROPOSAL.into()),
            story::at("2021-09-13T09:00:00Z"),
            Some(story::at("2021-09-27T19:00:00Z")),
            day(14, 10, 0)
        )
    );
    assert_eq!(
        matter(story::FOUNDATION_ROUND),
        (
            Some(story::FOUNDATION.into()),
            story::at("2021-04-19T09:00:00Z"),
            Some(story::at("2021-04-28T19:05:00Z")),
            day(9, 10, 5)
        )
    );

    // The files it names exist, and the journal rebuilds every process.
    for file in &s.files {
        assert!(file.exists(), "{}", file.display());
    }
    let path = dir.path().join("journal.jsonl");
    // While the engine holds the journal, nobody else can write to it.
    assert!(matches!(
        FileJournal::<coproduction::engine::EngineEvent>::open(&path),
        Err(JournalError::Locked { .. })
    ));
    // A whole decision exports as one JSON document: its record, report and gate, how each
    // member it mentions asked to be named, and every event of its stream.
    let foundation = stream(story::FOUNDATION);
    let document = engine
        .export(&foundation, story::at("2021-05-03T10:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(
        document.names[&coproduction::community::MemberId::new(2)],
        "Staff member 2"
    );
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
        .export(&stream(story::TOBACCO), story::at("2021-04-20T10:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(red_line.gate, None);
    assert!(
        engine
            .export(
                &stream("no-such-decision"),
                story::at("2021-05-03T10:00:00Z")
            )
            .unwrap()
            .is_none()
    );

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
        undecided.phase::<coproduction::FundingProcess>(&foundation),
        Some(FundingPhase::Deciding)
    );
    let record = undecided
        .record(&foundation, story::at("2021-04-29T00:00:00Z"))
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
fn a_governance_decision_reroutes_recruitment_and_each_record_names_its_map() {
    let dir = tempfile::tempdir().unwrap();
    let s = story::run(dir.path()).unwrap();
    let engine = &s.engine;
    let founding: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    let founding_hash = governance_hash(&founding);
    let adopted = engine.governance().unwrap();
    let adopted_hash = governance_hash(adopted.map());
    assert_ne!(founding_hash, adopted_hash);

    // The journal's history: founded with the seed map, changed once, by the governance
    // decision, when the whole community's round adopted it.
    let history = engine.history().unwrap();
    assert_eq!(history.founding().governance_hash(), Some(founding_hash));
    assert_eq!(history.current().governance_hash(), Some(adopted_hash));
    let adopted_at = story::at("2021-09-27T19:00:00Z");
    let map_changes: Vec<_> = engine
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
                    },
            } if matches!(*change, CommunityChange::Governance { .. }) => {
                Some((e.time, decided_by, from))
            }
            _ => None,
        })
        .collect();
    // Journalled with the adoption, in force from the time the proposal stated.
    let in_force_from = story::at("2021-10-01T00:00:00Z");
    assert_eq!(
        map_changes,
        vec![(
            adopted_at,
            Some(stream(story::WHO_RECRUITS_PROPOSAL)),
            Some(in_force_from)
        )]
    );

    // Recruitment's route, at the adoption and to the end of September, and from 1 October
    // on: the staff team by advice process, then the decision circle by consent with the
    // staff team advising.
    let recruitment = |t: &str| {
        let version = history.at(story::at(t));
        let route = version
            .governance()
            .unwrap()
            .route(&DecisionKind::Recruitment, RouteFacts::new())
            .unwrap();
        let consult: Vec<String> = route.consult.iter().map(|c| c.body.to_string()).collect();
        (route.decider.to_string(), route.procedure, consult)
    };
    for t in ["2021-09-27T19:00:00Z", "2021-09-30T23:59:59Z"] {
        assert_eq!(
            recruitment(t).0,
            "staff_team",
            "{t}: before the stated time"
        );
    }
    let (decider, procedure, consult) = recruitment("2021-09-27T18:59:00Z");
    assert_eq!(
        (decider.as_str(), procedure),
        ("staff_team", Procedure::Method(Method::AdviceProcess))
    );
    assert_eq!(consult, ["associate_roles_team", "allies_group"]);
    let (decider, procedure, consult) = recruitment("2021-10-01T00:00:00Z");
    assert_eq!(
        (decider.as_str(), procedure),
        ("decision_circle", Procedure::Method(Method::Consent))
    );
    assert_eq!(
        consult,
        ["associate_roles_team", "allies_group", "staff_team"]
    );

    // The records: the allies' recruitment taken on the old route, the co-producers'
    // appointment on the new one, each the route the map in force gave.
    let route_of = |round: &str, t: &str| {
        let record = engine.record(&stream(round), story::at(t)).unwrap();
        let taken = record.route_taken.unwrap();
        assert_eq!(Some(&taken), record.route_given.as_ref(), "{round}");
        (taken.deciding_body.to_string(), taken.method)
    };
    assert_eq!(
        route_of(story::RECRUITMENT, "2021-06-20T09:00:00Z"),
        ("staff_team".to_owned(), Method::AdviceProcess)
    );
    assert_eq!(
        route_of(story::APPOINTMENT, "2021-10-25T10:00:00Z"),
        ("decision_circle".to_owned(), Method::Consent)
    );

    // Each gate names the map its process opened under: the foundation's offer in April
    // and the governance decision itself the founding map, the appointment the new one.
    let routed_by = |s: &str| {
        let gates = engine.gates(&stream(s));
        assert!(!gates.is_empty(), "{s}");
        gates.iter().map(|g| g.governance).collect::<Vec<_>>()
    };
    for s in [story::FOUNDATION, story::WHO_RECRUITS, story::RECRUITMENT] {
        assert!(
            routed_by(s).iter().all(|h| *h == Some(founding_hash)),
            "{s}"
        );
    }
    assert!(
        routed_by(story::APPOINTMENT)
            .iter()
            .all(|h| *h == Some(adopted_hash))
    );
    assert_eq!(
        engine
            .review(&stream(story::FOUNDATION))
            .unwrap()
            .passed
            .governance,
        Some(founding_hash)
    );

    // The records written out say so.
    let written = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let routed = |hash| format!("Routed by governance map {hash}.");
    assert!(written("funding-record.md").contains(&routed(founding_hash)));
    let appointment = written("co-producers-record.md");
    assert!(appointment.contains(&routed(adopted_hash)), "{appointment}");
    assert!(!appointment.contains(&routed(founding_hash)));

    // Adopted with the appointment, in one batch: three co-producers with lived experience
    // join the associate-roles team.
    let team = BodyId::new("associate_roles_team").unwrap();
    let figures = |t: &str| {
        let c = engine.community_at(story::at(t)).unwrap();
        let f = c.figures(&team).unwrap();
        (f.size, f.lived_experience)
    };
    assert_eq!(figures("2021-10-18T18:59:00Z"), (3, 3));
    assert_eq!(figures("2021-10-18T19:00:00Z"), (6, 6));
}
