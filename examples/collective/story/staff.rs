//! The staff team's trusted everyday decisions, taken the way the map of October 2021 asks:
//! delegated to the staff team, advice recorded first (from someone affected, with lived
//! experience and with expertise), decided by one accountable member with a rationale that
//! names the values that guided it, and published. Two of them: how co-creation sessions
//! are run (October 2021), and holding the associate-roles workshops twice because so many
//! wanted to come (May 2022).

use coproduction::community::MemberId;
use coproduction::consent::{RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::journal::StreamId;
use coproduction::process::PartCommand;
use coproduction::values::{AdviceBasis, ValueReport};

use super::StoryEngine;
use super::deciding::{Calendar, Outcome, record_and_publish};
use super::governance::{in_force, route_line};
use super::{
    STAFF_DECISION, WORKSHOPS_TWICE, at, part_request, round_evidence, round_request, show,
};

/// The rationale the staff lead publishes for the sessions decision: what was decided,
/// why, and the values that guided it.
pub const RATIONALE: &str = "Guided by our values. Inclusive: nobody is shut out by one \
    format, so every co-creation session is online and in a room, with a recording. Human: \
    people need time to read, so papers go out a week ahead. Transparent: this rationale is \
    published with the decision.";

/// One delegated decision: what, who is asked beyond the bodies the route consults, the
/// advice heard and answered, the days it runs, and what is published.
struct Delegation<'a> {
    stream: &'a str,
    title: &'a str,
    proposal: &'a str,
    /// Members asked for advice beyond the bodies the route consults.
    asked: &'a [u64],
    /// Who advised, on what footing, the advice, and the answer.
    heard: [(u64, AdviceBasis, &'a str, &'a str); 3],
    /// The days it was opened (advice asked the same morning, given on the three days
    /// after), decided (each advice answered that morning) and published.
    calendar: Calendar,
    rationale: &'a str,
    alternatives: [&'a str; 2],
    statement: &'a str,
    review_date: &'a str,
}

/// Runs `d` on the route the map in force gives an everyday decision, Staff member 1
/// deciding. Returns its report.
fn delegate(engine: &StoryEngine, d: Delegation<'_>) -> Result<ValueReport, coproduction::Error> {
    let stream = StreamId::new(d.stream)?;
    let (lead, colleague, secretary) = (MemberId::new(1), MemberId::new(2), MemberId::new(3));
    let opened = |days: i64, time: &str| Calendar::on(d.calendar.papers, days, time);
    let decided = |time: &str| Calendar::on(d.calendar.session, 0, time);
    let part =
        |who: MemberId, when: &str, command: PartCommand| part_request(&stream, who, when, command);
    engine.handle(
        round_request(
            &stream,
            lead,
            &opened(0, "09:00"),
            RoundCommand::OpenOnRoute {
                title: d.title.into(),
                proposal: d.proposal.into(),
                roles: RoundRoles {
                    proposer: lead,
                    facilitator: colleague,
                    secretary,
                },
            },
        )
        .with_kind(DecisionKind::Operational),
    )?;
    engine.handle(part(
        lead,
        &opened(0, "09:05"),
        PartCommand::AskAdvice {
            members: d.asked.iter().copied().map(MemberId::new).collect(),
        },
    ))?;
    for (day, (from, basis, advice, _)) in (1..).zip(d.heard) {
        engine.handle(part(
            MemberId::new(from),
            &opened(day, "12:00"),
            PartCommand::GiveAdvice {
                advice: advice.into(),
                bases: [basis].into(),
            },
        ))?;
    }
    for (minute, (from, _, _, answer)) in (10..).zip(d.heard) {
        engine.handle(part(
            lead,
            &decided(&format!("09:{minute}")),
            PartCommand::AnswerAdvice {
                member: MemberId::new(from),
                answer: answer.into(),
            },
        ))?;
    }
    engine.handle(part(
        lead,
        &decided("09:55"),
        PartCommand::DeclareInterests { interest: None },
    ))?;
    engine.handle(round_request(
        &stream,
        lead,
        &decided("10:00"),
        RoundCommand::Decide {
            adopt: true,
            rationale: d.rationale.into(),
        },
    ))?;
    let mut evidence = round_evidence(&d.alternatives, &opened(0, "09:00"), &decided("10:00"));
    evidence.rationale = Some(d.rationale.to_owned().into());
    let published = Calendar::on(d.calendar.published, 0, "09:00");
    record_and_publish(
        engine,
        &stream,
        secretary,
        (&decided("10:10"), &published),
        Outcome {
            statement: d.statement,
            review_date: d.review_date,
        },
        evidence,
    )?;
    let now = at(&Calendar::on(d.calendar.published, 0, "10:00"));
    let report = engine.report(&stream, now).expect("the staff decision");
    let record = engine.record(&stream, now).expect("the staff decision");
    let day = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string()[..10].to_owned());
    println!(
        "  {}: {} decides, by delegation, after advice from {} members; published {} with its\n  \
         basis: {}",
        day(record.dates.decided_at).unwrap_or_default(),
        super::name(engine, lead),
        record.advice.as_ref().map_or(0, Vec::len),
        day(record.publication.as_ref().map(|p| p.published_at)).unwrap_or_default(),
        record.rationale.as_deref().unwrap_or("not recorded")
    );
    show(&report);
    Ok(report)
}

/// October 2021: how co-creation sessions are run. Returns its report.
pub(super) fn sessions_decision(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let route = in_force(engine).route(
        &DecisionKind::Operational,
        coproduction::governance::RouteFacts::new(),
    )?;
    println!("  Route of an everyday decision: {}", route_line(&route));
    delegate(
        engine,
        Delegation {
            stream: STAFF_DECISION,
            title: "Run every co-creation session online and in a room",
            proposal: "From November, every co-creation session is held online and in a room \
                       at once, recorded, with papers sent a week ahead.",
            asked: &[13, 25],
            heard: [
                (
                    13,
                    AdviceBasis::LivedExperience,
                    "Some of us cannot travel every time; others cannot talk on a screen",
                    "Both, at once, every time",
                ),
                (
                    25,
                    AdviceBasis::Affected,
                    "Captions on the recording as well as live",
                    "The recording is captioned",
                ),
                (
                    6,
                    AdviceBasis::Expertise,
                    "Mixed sessions need a facilitator for each room",
                    "Two facilitators for every mixed session",
                ),
            ],
            calendar: Calendar::new("2021-10-04", "2021-10-04", "2021-10-15", "2021-10-18")?,
            rationale: RATIONALE,
            alternatives: [
                "Alternate online and in-room sessions",
                "Keep sessions online only",
            ],
            statement: "Every co-creation session from November: online and in a room, \
                        recorded with captions, papers a week ahead.",
            review_date: "2022-10-15T00:00:00Z",
        },
    )
}

/// May 2022: so many signed up for the associate-roles workshops that the staff team holds
/// each of them twice, the repeats in the evening. Returns its report.
pub(super) fn workshops_twice(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    delegate(
        engine,
        Delegation {
            stream: WORKSHOPS_TWICE,
            title: "Hold each associate-roles workshop twice",
            proposal: "So many have signed up that each of the two workshops is held a second \
                       time, the repeats in the evening, with the same facilitators.",
            asked: &[13, 20],
            heard: [
                (
                    13,
                    AdviceBasis::LivedExperience,
                    "In a crowded room the quieter voices are the ones lost",
                    "Two smaller sessions of each workshop",
                ),
                (
                    20,
                    AdviceBasis::Affected,
                    "People who work in the day need an evening session",
                    "The repeats are in the evening",
                ),
                (
                    6,
                    AdviceBasis::Expertise,
                    "Keep the same facilitators, so the themes can be drawn together",
                    "The same facilitators run both sessions of each workshop",
                ),
            ],
            calendar: Calendar::new("2022-05-16", "2022-05-16", "2022-05-27", "2022-05-30")?,
            rationale: "Guided by our values. Human: so many signed up that, in one session, \
                        not everyone would be heard. Inclusive: the repeats are in the \
                        evening, for people who work in the day. Transparent: this rationale \
                        is published with the decision.",
            alternatives: [
                "Keep one session of each, and a waiting list",
                "Move the workshops online only, without a cap",
            ],
            statement: "Each workshop is held twice in June: 7 and 14 June, 9 and 16 June, the \
                        repeats in the evening.",
            review_date: "2022-07-01T00:00:00Z",
        },
    )
}
