//! October 2021: one of the staff team's trusted everyday decisions, taken the way the new
//! map asks: delegated to the staff team, advice recorded first (from someone affected, with
//! lived experience and with expertise), decided by one accountable member with a rationale
//! that names the values that guided it, and published.

use coproduction::community::MemberId;
use coproduction::consent::{RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::journal::StreamId;
use coproduction::process::PartCommand;
use coproduction::values::{AdviceBasis, ValueReport};

use super::StoryEngine;
use super::deciding::{Outcome, record_and_publish};
use super::governance::{in_force, route_line};
use super::{STAFF_DECISION, at, part_request, round_evidence, round_request, show};

/// The rationale the staff lead publishes: what was decided, why, and the values that
/// guided it.
pub const RATIONALE: &str = "Guided by our values. Inclusive: nobody is shut out by one \
    format, so every co-creation session is online and in a room, with a recording. Human: \
    people need time to read, so papers go out a week ahead. Transparent: this rationale is \
    published with the decision.";

/// The staff team's delegated decision on how co-creation sessions are run. Returns its
/// report.
pub(super) fn trusted_decision(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let route = in_force(engine).route(
        &DecisionKind::Operational,
        coproduction::governance::RouteFacts::new(),
    )?;
    println!("  Route of an everyday decision: {}", route_line(&route));
    let stream = StreamId::new(STAFF_DECISION)?;
    let (lead, colleague, secretary) = (MemberId::new(1), MemberId::new(2), MemberId::new(3));
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&stream, who, when, command)
    };
    let part =
        |who: MemberId, when: &str, command: PartCommand| part_request(&stream, who, when, command);
    engine.handle(
        round(
            lead,
            "2021-10-04T09:00:00Z",
            RoundCommand::OpenOnRoute {
                title: "Run every co-creation session online and in a room".into(),
                proposal: "From November, every co-creation session is held online and in a \
                           room at once, recorded, with papers sent a week ahead."
                    .into(),
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
        "2021-10-04T09:05:00Z",
        PartCommand::AskAdvice {
            members: [MemberId::new(13), MemberId::new(25)].into(),
        },
    ))?;
    let heard = [
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
    ];
    for (day, (from, basis, advice, _)) in (5..).zip(heard) {
        engine.handle(part(
            MemberId::new(from),
            &format!("2021-10-0{day}T12:00:00Z"),
            PartCommand::GiveAdvice {
                advice: advice.into(),
                bases: [basis].into(),
            },
        ))?;
    }
    for (minute, (from, _, _, answer)) in (10..).zip(heard) {
        engine.handle(part(
            lead,
            &format!("2021-10-14T09:{minute}:00Z"),
            PartCommand::AnswerAdvice {
                member: MemberId::new(from),
                answer: answer.into(),
            },
        ))?;
    }
    engine.handle(part(
        lead,
        "2021-10-15T09:55:00Z",
        PartCommand::DeclareInterests { interest: None },
    ))?;
    engine.handle(round(
        lead,
        "2021-10-15T10:00:00Z",
        RoundCommand::Decide {
            adopt: true,
            rationale: RATIONALE.into(),
        },
    ))?;
    let mut evidence = round_evidence(
        &[
            "Alternate online and in-room sessions",
            "Keep sessions online only",
        ],
        "2021-10-04T09:00:00Z",
        "2021-10-15T10:00:00Z",
    );
    evidence.rationale = Some(RATIONALE.into());
    record_and_publish(
        engine,
        &stream,
        secretary,
        ("2021-10-15T10:10:00Z", "2021-10-18T09:00:00Z"),
        Outcome {
            statement: "Every co-creation session from November: online and in a room, \
                        recorded with captions, papers a week ahead.",
            review_date: "2022-10-15T00:00:00Z",
        },
        evidence,
    )?;
    let report = engine
        .report(&stream, at("2021-10-18T10:00:00Z"))
        .expect("the staff decision");
    let record = engine
        .record(&stream, at("2021-10-18T10:00:00Z"))
        .expect("the staff decision");
    println!(
        "  {}: {} decides, by delegation, after advice from {} members;\n  \
         published {} with its basis: {}",
        record
            .dates
            .decided_at
            .map(|t| t.to_string()[..10].to_owned())
            .unwrap_or_default(),
        super::name(engine, lead),
        record.advice.as_ref().map_or(0, Vec::len),
        record
            .publication
            .as_ref()
            .map(|p| p.published_at.to_string()[..10].to_owned())
            .unwrap_or_default(),
        record.rationale.as_deref().unwrap_or("not recorded")
    );
    show(&report);
    Ok(report)
}
