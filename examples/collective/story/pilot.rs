//! The working model's pilot, from March 2023: the engine's tick starts it on its day
//! ([`start`]); the benefits and impact evaluation agreed that day, and the figures and
//! people's words gathered while it runs ([`evaluate`]); its review falls due six months
//! from that start and is opened ([`review`]); the associate-roles team reassesses it, on
//! that evidence, in a round held for the proposal, which the Allies Group advises
//! ([`reassess`]).

use coproduction::community::BodyId;
use coproduction::community::MemberId;
use coproduction::consent::{RoundCommand, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{DueItem, ProcessState, StepTaken};
use coproduction::evaluation::{
    Benefit, Datum, Evaluation, EvaluationPlan, Gathered, Question, QuestionId, Source,
};
use coproduction::journal::StreamId;
use coproduction::proposal::ProposalCommand;
use coproduction::values::{AdviceBasis, ValueReport};

use super::StoryEngine;
use super::deciding::{Outcome, meet_access, record_and_publish};
use super::working_model::{Beside, PILOT_STARTS, PILOT_WEEKS};
use super::{
    WORKING_MODEL, WORKING_MODEL_REASSESSMENT, at, proposal_request, round_evidence, round_request,
    show,
};

/// What the pilot's start shows.
pub(super) struct Started {
    /// What was due the evening before the pilot's start: the pilot starting.
    pub(super) starting: DueItem,
    /// The step the tick took on the day.
    pub(super) started: StepTaken,
}

/// The phase label of the process on `stream`.
fn phase_of(engine: &StoryEngine, stream: &StreamId) -> &'static str {
    engine
        .state(stream)
        .map(|s| s.phase_label())
        .unwrap_or("unknown")
}

/// What is due on the working model's proposal at `when`.
fn due_on_model(engine: &StoryEngine, when: &str) -> Result<DueItem, coproduction::Error> {
    let stream = StreamId::new(WORKING_MODEL)?;
    Ok(engine
        .due(at(when))
        .into_iter()
        .find(|d| d.stream == stream)
        .map(|d| d.item)
        .expect("the working model waits on its pilot"))
}

/// 1 March 2023: due the evening before, the pilot is started by the engine's tick, as
/// the steward chose when scheduling it.
pub(super) fn start(engine: &StoryEngine) -> Result<Started, coproduction::Error> {
    let stream = StreamId::new(WORKING_MODEL)?;
    let starting = due_on_model(engine, "2023-02-28T18:00:00Z")?;
    if let DueItem::PilotStarting {
        starts,
        review_date,
        ..
    } = &starting
    {
        println!(
            "  2023-02-28: due, the pilot starts at {starts}, to be reviewed at {review_date}."
        );
    }
    let tick = engine.tick(at(PILOT_STARTS))?;
    let started = tick
        .taken
        .into_iter()
        .find(|t| t.stream == stream)
        .expect("the tick starts the pilot");
    println!(
        "  {}: the engine's tick starts the pilot across projects: the proposal is {}.",
        &PILOT_STARTS[..10],
        phase_of(engine, &stream)
    );
    Ok(Started { starting, started })
}

/// The questions the associate-roles team and the first wave agreed as the pilot started,
/// one for each benefit the working model promises: for co-producers, for projects, for
/// the community.
fn plan() -> Result<EvaluationPlan, coproduction::Error> {
    let question = |n, benefit, asks: &str, criteria: &[&str]| Question {
        id: QuestionId::new(n),
        benefit,
        asks: asks.into(),
        criteria: criteria.iter().map(|c| (*c).to_owned()).collect(),
    };
    Ok(EvaluationPlan {
        agreed_by: BodyId::new("associate_roles_team")?,
        questions: vec![
            question(
                1,
                Benefit::CoProducers,
                "Do co-producers grow in skills, confidence and income through the roles?",
                &[
                    "Most co-producers say they use something they learned",
                    "Preparation time is paid within 30 days",
                ],
            ),
            question(
                2,
                Benefit::Projects,
                "Do projects gain from a co-producer taking responsibility for part of them?",
                &["Project leads can say what changed because of the co-producer"],
            ),
            question(
                3,
                Benefit::Community,
                "Do more members of the community take part in its work?",
                &["More members take part than before the pilot"],
            ),
        ],
    })
}

/// One piece of evidence for question `n`.
fn gathered(n: u64, observation: Datum, source: Source, when: &str) -> Gathered {
    Gathered {
        question: QuestionId::new(n),
        observation,
        source,
        gathered_at: at(when),
    }
}

fn words(said: &str, from: Option<u64>) -> Datum {
    Datum::Words {
        said: said.into(),
        from: from.map(MemberId::new),
    }
}

fn figure(value: u64, of: &str) -> Datum {
    Datum::Figure {
        value,
        of: of.into(),
    }
}

/// March to August 2023: the evaluation agreed as the pilot starts, then the evidence
/// gathered while it runs, each piece with where it came from and who recorded it: a
/// co-producer's own words, words a new co-producer and a project lead gave in
/// interviews, words given anonymously in the mid-pilot survey, and figures from the
/// community's records. Returns the evaluation as the proposal holds it.
pub(super) fn evaluate(engine: &StoryEngine) -> Result<Evaluation, coproduction::Error> {
    let stream = StreamId::new(WORKING_MODEL)?;
    let steward = MemberId::new(13);
    let record = |who: MemberId, when: &str, command: ProposalCommand| {
        engine.handle(proposal_request(&stream, who, when, command))
    };
    let plan = plan()?;
    println!(
        "  2023-03-01: the evaluation agreed by the associate-roles team with the first wave:"
    );
    for q in &plan.questions {
        println!("    {} {}: {}", q.id, q.benefit.words(), q.asks);
    }
    record(
        steward,
        "2023-03-01T10:00:00Z",
        ProposalCommand::AgreeEvaluation { plan },
    )?;
    // A co-producer in the pilot, in their own words.
    record(
        MemberId::new(14),
        "2023-04-28T17:00:00Z",
        ProposalCommand::GatherEvidence {
            evidence: vec![gathered(
                1,
                words(
                    "Leading the recruitment panel's questions showed me I can do this work.",
                    Some(14),
                ),
                Source::Interview {},
                "2023-04-28T16:00:00Z",
            )],
        },
    )?;
    // The steward: interviews with a new co-producer and a project lead, the mid-pilot
    // survey (anonymous), and the community's records.
    record(
        steward,
        "2023-07-14T12:00:00Z",
        ProposalCommand::GatherEvidence {
            evidence: vec![
                gathered(
                    1,
                    words(
                        "Being paid for preparation time means I can say yes to the work.",
                        Some(29),
                    ),
                    Source::Interview {},
                    "2023-06-20T11:00:00Z",
                ),
                gathered(
                    1,
                    figure(
                        5,
                        "co-producers paid for preparation time within 30 days, of 5",
                    ),
                    Source::Records {},
                    "2023-06-30T17:00:00Z",
                ),
                gathered(
                    2,
                    figure(
                        6,
                        "projects with a co-producer responsible for part of them",
                    ),
                    Source::Records {},
                    "2023-06-30T17:00:00Z",
                ),
                gathered(
                    2,
                    words(
                        "Our co-producer rewrote the participant letters; twice as many replied.",
                        Some(3),
                    ),
                    Source::Interview {},
                    "2023-07-04T10:00:00Z",
                ),
                gathered(
                    3,
                    words(
                        "I came to my first workshop because a co-producer asked me.",
                        None,
                    ),
                    Source::Survey {},
                    "2023-07-10T09:00:00Z",
                ),
            ],
        },
    )?;
    record(
        steward,
        "2023-08-29T12:00:00Z",
        ProposalCommand::GatherEvidence {
            evidence: vec![gathered(
                3,
                figure(
                    9,
                    "members who took part in a co-produced project for the first time",
                ),
                Source::Records {},
                "2023-08-29T09:00:00Z",
            )],
        },
    )?;
    let evaluation = match engine.state(&stream) {
        Some(ProcessState::Proposal(state)) => state
            .proposal()
            .and_then(|p| p.evaluation())
            .cloned()
            .expect("the evaluation was agreed"),
        _ => unreachable!("the working model is a proposal"),
    };
    for f in evaluation.figures() {
        println!(
            "  By 2023-08-29, {} {}: {} figures, {} in people's own words.",
            f.question,
            f.benefit.words(),
            f.figures,
            f.words
        );
    }
    Ok(evaluation)
}

/// September 2023: the pilot's review falls due six months from its start; the steward
/// opens it and starts the reassessment round. Returns what was due.
pub(super) fn review(engine: &StoryEngine) -> Result<DueItem, coproduction::Error> {
    let stream = StreamId::new(WORKING_MODEL)?;
    let due = due_on_model(engine, "2023-09-04T09:00:00Z")?;
    if let DueItem::ReviewDue { review_date, .. } = &due {
        println!(
            "  2023-09-04: due, the pilot's review, from {review_date}, {PILOT_WEEKS} weeks from \
             its start."
        );
    }
    let steward = MemberId::new(13);
    engine.handle(proposal_request(
        &stream,
        steward,
        "2023-09-04T09:30:00Z",
        ProposalCommand::OpenReview {},
    ))?;
    engine.handle(proposal_request(
        &stream,
        steward,
        "2023-09-04T09:35:00Z",
        ProposalCommand::StartDecision {
            round: StreamId::new(WORKING_MODEL_REASSESSMENT)?,
        },
    ))?;
    println!(
        "  2023-09-04: the review is open: the proposal is {}.",
        phase_of(engine, &stream)
    );
    Ok(due)
}

/// September 2023: the associate-roles team reassesses the pilot in a round held for the
/// proposal, advised by the Allies Group, the access needs of its members met; it consents
/// to continue the model. Returns the round's report.
pub(super) fn reassess(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let (proposer, facilitator, secretary) =
        (MemberId::new(1), MemberId::new(13), MemberId::new(2));
    let proposal_stream = StreamId::new(WORKING_MODEL)?;
    let round_stream = StreamId::new(WORKING_MODEL_REASSESSMENT)?;
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };
    engine.handle(
        round(
            proposer,
            "2023-09-04T10:00:00Z",
            RoundCommand::OpenOnRoute {
                title: "Continue the working model after its pilot".into(),
                proposal: "Six months across projects: co-producers took responsibility for \
                           parts of projects with support, with no titles. Continue the model \
                           as it stands, and recruit a second wave."
                    .into(),
                roles: RoundRoles {
                    proposer,
                    facilitator,
                    secretary,
                },
            },
        )
        .with_kind(DecisionKind::WorkingModel)
        .deciding_for(proposal_stream.clone()),
    )?;
    let eligible: Vec<MemberId> = match engine.state(&round_stream) {
        Some(ProcessState::Consent(state)) => state
            .round()
            .map(|r| r.config().eligible.iter().map(|e| e.member).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for (member, need) in meet_access(engine, &round_stream, secretary, "2023-09-04T10:02:00Z")? {
        println!(
            "  2023-09-04: access need met ({}), {}",
            need.label(),
            super::name(engine, member)
        );
    }
    let heard = [
        (
            6,
            AdviceBasis::LivedExperience,
            "Count who left the pilot as well as who stayed, and ask them why",
            "The reassessment says who left, and why",
        ),
        (
            3,
            AdviceBasis::Expertise,
            "Pay preparation time from the core budget, not project by project",
            "Preparation time is paid from the core budget",
        ),
    ];
    let beside = Beside::of(&round_stream, &eligible);
    beside.advise_and_pay(
        engine,
        &heard,
        [
            "2023-09-04T10:05:00Z",
            "2023-09-04T10:10:00Z",
            "2023-09-05T09:00:00Z",
        ],
        ["2023-09-06T12:00:00Z", "2023-09-11T09:00:00Z"],
    )?;
    beside.declare_interests(engine, "2023-09-13T17:50:00Z")?;
    for minute in ["00", "05", "10"] {
        engine.handle(round(
            facilitator,
            &format!("2023-09-13T18:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    beside.all_consent(
        engine,
        facilitator,
        ["2023-09-13T18:20:00Z", "2023-09-13T18:40:00Z"],
    )?;
    let mut evidence = round_evidence(
        &["Pilot for six more months", "End the pilot"],
        "2023-09-04T10:00:00Z",
        "2023-09-13T18:00:00Z",
    );
    evidence.rationale = Some(
        "Over six months across projects, the paid, flexible roles without titles worked; a \
         second wave widens them."
            .into(),
    );
    // The round decides for the proposal: its consent continues the model, in one batch.
    record_and_publish(
        engine,
        &round_stream,
        secretary,
        ("2023-09-13T18:50:00Z", "2023-09-14T09:00:00Z"),
        Outcome {
            statement: "Continued as the standing working model, reviewed in a year; a \
                        second wave of co-producers to be recruited.",
            review_date: "2024-09-13T00:00:00Z",
        },
        evidence,
    )?;
    let report = engine
        .report(&round_stream, at("2023-09-14T10:00:00Z"))
        .expect("the reassessment round");
    show(&report);
    if let Some(c8) = report.finding("C8") {
        println!(
            "  The round decided on the pilot's evaluation: C8 {}: {}",
            c8.status.label(),
            c8.message
        );
    }
    println!(
        "  2023-09-13: the team consents to continue the model: the proposal is {}, to be \
         reviewed in a year.",
        phase_of(engine, &proposal_stream)
    );
    Ok(report)
}
