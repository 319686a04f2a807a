//! The associate-roles working model: a proposal decided by the associate-roles team by
//! consent, its time box extended with a reason and a member reminded to respond, an
//! objection integrated, adopted as a pilot scheduled to start in the spring; then the pilot
//! started on its day, its review due six months from its start, and the reassessment round
//! that decides it.

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::MemberId;
use coproduction::consent::{
    Answers, ObjectionId, Response, RoundCommand, RoundConfig, RoundRoles, ValidityCriterion,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{DueItem, ProcessCommand, ProcessState, Request, StepTaken};
use coproduction::governance::{Governance, RouteFacts};
use coproduction::journal::StreamId;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{
    AdviceBasis, Credit, Evidence, ExpensesFacts, Publication, StakeholderFacts, ValueReport, Way,
};

use jiff::{SignedDuration, Timestamp};

use super::StoryEngine;
use super::{
    WORKING_MODEL, WORKING_MODEL_REASSESSMENT, WORKING_MODEL_ROUND, at, part_request,
    pay_public_contributors, proposal_request, round_evidence, round_request, show,
};

/// What the working model's decision shows.
/// When the working model's pilot starts: the spring after the decision.
pub const PILOT_STARTS: &str = "2022-03-07T09:00:00Z";

pub(super) struct WorkingModel {
    /// The round's report while an objection was still open: rule T3 flags it.
    pub(super) with_open_objection: ValueReport,
    /// The round's report once it was adopted.
    pub(super) adopted: ValueReport,
}

pub(super) fn working_model(
    engine: &StoryEngine,
    governance: &Governance,
) -> Result<WorkingModel, coproduction::Error> {
    let community = &engine.community();
    let route = governance.route(&DecisionKind::WorkingModel, RouteFacts::new())?;
    println!("  Route: {} decides by {}", route.decider, route.procedure);
    let (staff_1, co_producer_1, co_producer_2) =
        (MemberId::new(1), MemberId::new(13), MemberId::new(14));
    let (steward, secretary) = (MemberId::new(2), MemberId::new(2));

    let proposal_stream = StreamId::new(WORKING_MODEL)?;
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let round_stream = StreamId::new(WORKING_MODEL_ROUND)?;
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };

    let text = "Co-producers take flexible roles without titles, offered project by project.";
    engine.handle(proposal(
        staff_1,
        "2021-08-02T09:00:00Z",
        ProposalCommand::Create {
            config: Box::new(ProposalConfig {
                id: ProposalId::new(2),
                title: "Associate roles working model".into(),
                kind: DecisionKind::WorkingModel,
                text: text.into(),
                answers: Vec::new(),
                roles: ProposalRoles {
                    proposers: [staff_1].into(),
                    steward,
                    members: community.members().map(|m| m.id).collect(),
                },
                changes: vec![],
                effective_from: None,
            }),
        },
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-02T09:30:00Z",
        ProposalCommand::StartCoCreation {},
    ))?;
    // The session's feedback on pay and expenses shapes the model.
    engine.handle(proposal(
        steward,
        "2021-08-09T09:00:00Z",
        ProposalCommand::LinkFeedback {
            items: vec![ItemId::new(3), ItemId::new(4)],
            themes: vec![ThemeId::new(2)],
        },
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-23T09:00:00Z",
        ProposalCommand::MarkReady {},
    ))?;
    engine.handle(proposal(
        steward,
        "2021-08-23T09:30:00Z",
        ProposalCommand::StartDecision {
            round: round_stream.clone(),
        },
    ))?;

    let mut config = RoundConfig::from_route(
        &route,
        community,
        "Pilot the associate-roles working model",
        text,
        RoundRoles {
            proposer: staff_1,
            facilitator: co_producer_1,
            secretary,
        },
    )?;
    // The round is to be decided by the end of August.
    config.time_box.deadline = Some(at("2021-08-31T17:00:00Z"));
    let eligible: Vec<MemberId> = config.eligible.iter().map(|e| e.member).collect();
    engine.handle(
        round(
            staff_1,
            "2021-08-23T10:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::WorkingModel)
        .deciding_for(proposal_stream.clone()),
    )?;
    // While the papers are out, the members take part beside the round, as the engine
    // witnesses it: the proposer asks the bodies the route consults (the staff team and
    // the Allies Group advise, the whole community gives its views); a colleague, an ally
    // and a community member give advice and the proposer answers each, and each answer
    // shapes the text the round will consent to; the co-producers are offered payment,
    // with benefits advice, and accept; the deciders declare their interests.
    let heard = [
        (
            3,
            AdviceBasis::Expertise,
            "Pay for preparation time, not only sessions",
            "Preparation time is paid",
        ),
        (
            6,
            AdviceBasis::LivedExperience,
            "Titles put people off: name roles by what people do",
            "No titles: roles are named by what people do",
        ),
        (
            20,
            AdviceBasis::Affected,
            "Daytime sessions shut out people who work",
            "Sessions in the evening as well as the day",
        ),
    ];
    let beside = Beside::of(&round_stream, &eligible);
    beside.advise_and_pay(
        engine,
        &heard,
        [
            "2021-08-23T10:05:00Z",
            "2021-08-23T10:10:00Z",
            "2021-08-24T09:00:00Z",
        ],
        ["2021-08-24T12:00:00Z", "2021-08-30T09:00:00Z"],
    )?;
    // The team asks to meet in person after the bank holiday: the facilitator extends the
    // time box, and the record keeps why.
    let reason =
        "The team asked to meet in person after the bank holiday: the session is on 1 September.";
    engine.handle(round(
        co_producer_1,
        "2021-08-30T10:00:00Z",
        RoundCommand::ExtendTimeBox {
            until: at("2021-09-03T17:00:00Z"),
            reason: reason.into(),
        },
    ))?;
    println!("  Co-producer 1 extends the time box to 3 September: {reason}");
    beside.declare_interests(engine, "2021-09-01T09:50:00Z")?;
    for minute in ["05", "10", "15"] {
        engine.handle(round(
            co_producer_1,
            &format!("2021-09-01T10:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    let objection = "Without paid preparation time, co-producers with caring responsibilities cannot take part.";
    let in_the_room = eligible.iter().filter(|&&who| who != co_producer_2);
    for (minute, who) in (20..).zip(in_the_room) {
        engine.handle(round(
            *who,
            &format!("2021-09-01T10:{minute}:00Z"),
            RoundCommand::Respond {
                member: *who,
                response: Response::consent(),
            },
        ))?;
    }
    // Co-producer 2 takes part in writing. What is due says whose response the round still
    // awaits; the secretary records the reminder the app sent, so the record shows they were
    // reminded before any absence could be counted.
    let awaited: Vec<MemberId> = engine
        .due(at("2021-09-01T10:24:00Z"))
        .into_iter()
        .filter(|d| d.stream == round_stream)
        .find_map(|d| match d.item {
            DueItem::ResponsesAwaited { members, .. } => Some(members),
            _ => None,
        })
        .unwrap_or_default();
    engine.handle(part_request(
        &round_stream,
        secretary,
        "2021-09-01T10:24:00Z",
        PartCommand::Remind {
            members: awaited.iter().copied().collect(),
            channel: "email".into(),
        },
    ))?;
    println!(
        "  Due at 10:24: a response from {}; the secretary reminds them by email.",
        awaited
            .iter()
            .map(|m| engine
                .community()
                .member(*m)
                .map_or_else(|| m.to_string(), |m| m.name.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    engine.handle(round(
        co_producer_2,
        "2021-09-01T10:26:00Z",
        RoundCommand::Respond {
            member: co_producer_2,
            response: Response::Object {
                reason: objection.into(),
            },
        },
    ))?;
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:30:00Z",
        RoundCommand::CloseRound {},
    ))?;

    // The objection is raised and not yet dealt with: the report says so (rule T3), and the
    // round could not be adopted as it stands.
    let with_open_objection = engine
        .report(&round_stream, at("2021-09-01T10:31:00Z"))
        .expect("the round");
    if let Some(t3) = with_open_objection.finding("T3") {
        println!(
            "  Co-producer 2 objects. {} {}: {}",
            t3.rule,
            t3.status.label(),
            t3.message
        );
    }

    // Integration: test the objection, amend, both confirm, the next round consents.
    let id = ObjectionId(1);
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:40:00Z",
        RoundCommand::TestObjection {
            objection: id,
            criteria: [
                ValidityCriterion::ReducesCapacity,
                ValidityCriterion::CausedByProposal,
            ]
            .into_iter()
            .collect(),
            reasoning: "Co-producers who would be excluded are part of the group's capacity."
                .into(),
            valid: true,
        },
    ))?;
    engine.handle(round(
        staff_1,
        "2021-09-01T10:50:00Z",
        RoundCommand::Amend {
            text: "Two hours of paid preparation time for every session.".into(),
            answers: vec![Answers::Objection { id }],
        },
    ))?;
    engine.handle(round(
        co_producer_2,
        "2021-09-01T10:52:00Z",
        RoundCommand::ConfirmResolved { objection: id },
    ))?;
    engine.handle(round(
        staff_1,
        "2021-09-01T10:53:00Z",
        RoundCommand::ConfirmResolved { objection: id },
    ))?;
    engine.handle(round(
        co_producer_1,
        "2021-09-01T10:55:00Z",
        RoundCommand::Advance {},
    ))?;
    beside.all_consent(
        engine,
        co_producer_1,
        ["2021-09-01T10:56:00Z", "2021-09-01T11:00:00Z"],
    )?;

    // Adopted as a pilot from the spring, through the gate, with what the round does not
    // hold.
    let review_date = at("2022-09-01T00:00:00Z");
    let mut evidence = Evidence {
        alternatives: Some(vec![
            "Keep recruiting project by project".into(),
            "Wait for a full model".into(),
        ]),
        ..Evidence::default()
    };
    evidence.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    evidence.dates.papers_sent_at = Some(at("2021-08-23T09:00:00Z"));
    evidence.dates.session_at = Some(at("2021-09-01T10:00:00Z"));
    evidence.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    evidence.credits = Some(
        eligible
            .iter()
            .map(|&member| Credit {
                member,
                credited: true,
            })
            .collect(),
    );
    evidence.rationale = Some(
        "The workshops asked for paid, flexible roles without titles; a pilot tests them.".into(),
    );
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "staff"].map(String::from).into(),
        waivers: [(
            "allies".to_owned(),
            "The Allies Group reviews the pilot when it ends".to_owned(),
        )]
        .into(),
    });
    engine.handle(
        round(
            secretary,
            "2021-09-01T11:10:00Z",
            RoundCommand::RecordOutcome {
                statement: "Piloted for six months from the spring, with paid preparation time."
                    .into(),
                review_date,
            },
        )
        .with_evidence(evidence),
    )?;
    // The round decides for the proposal: its adoption is the proposal's, in one batch.
    engine.handle(proposal(
        steward,
        "2021-09-06T09:00:00Z",
        ProposalCommand::Publish {
            rationale:
                "The workshops asked for paid, flexible roles without titles; a pilot tests them."
                    .into(),
            alternatives: vec!["Keep recruiting project by project".into()],
        },
    ))?;
    // The round's record is published with the proposal's.
    engine.handle(
        Request::new(
            round_stream.clone(),
            secretary,
            at("2021-09-06T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence {
            publication: Some(Publication {
                published_at: at("2021-09-06T09:00:00Z"),
                redactions: Vec::new(),
            }),
            ..Evidence::default()
        }),
    )?;
    // The pilot starts in the spring, once the first co-producers are recruited: six
    // months from its start, not from the decision.
    engine.handle(proposal(
        steward,
        "2021-09-06T09:30:00Z",
        ProposalCommand::SchedulePilot {
            starts: at(PILOT_STARTS),
            lasts: SignedDuration::from_hours(24 * 7 * 26),
        },
    ))?;
    let adopted = engine
        .report(&round_stream, at("2021-09-06T10:00:00Z"))
        .expect("the round");
    show(&adopted);

    println!("  The pilot is scheduled to start on {PILOT_STARTS} and run for 26 weeks.");
    Ok(WorkingModel {
        with_open_objection,
        adopted,
    })
}

/// What the working model's pilot shows, from the spring.
pub(super) struct Pilot {
    /// What was due the evening before the pilot's start: the pilot starting.
    pub(super) starting: DueItem,
    /// The step the tick took on the day.
    pub(super) started: StepTaken,
    /// What was due on the day the pilot ended: its review.
    pub(super) review: DueItem,
    /// The reassessment round's report, once it decided.
    pub(super) reassessment: ValueReport,
}

/// The pilot scheduled when the model was adopted: it starts on its day (the engine's tick
/// takes the step the steward chose), its review falls due six months from that start, and
/// the associate-roles team reassesses it, on the pilot's evaluation, in a round held for the
/// proposal, which the Allies Group advises as the waiver promised.
pub(super) fn pilot(engine: &StoryEngine) -> Result<Pilot, coproduction::Error> {
    let (staff_1, co_producer_1) = (MemberId::new(1), MemberId::new(13));
    let (steward, secretary) = (MemberId::new(2), MemberId::new(2));
    let proposal_stream = StreamId::new(WORKING_MODEL)?;
    let round_stream = StreamId::new(WORKING_MODEL_REASSESSMENT)?;
    let due_here = |when: &str| {
        engine
            .due(at(when))
            .into_iter()
            .find(|d| d.stream == proposal_stream)
            .map(|d| d.item)
            .expect("the working model waits on its pilot")
    };

    let starting = due_here("2022-03-06T18:00:00Z");
    if let DueItem::PilotStarting {
        starts,
        review_date,
        ..
    } = &starting
    {
        println!("  Due: the pilot starts at {starts}, to be reviewed at {review_date}.");
    }
    let tick = engine.tick(at(PILOT_STARTS))?;
    let started = tick
        .taken
        .into_iter()
        .find(|t| t.stream == proposal_stream)
        .expect("the tick starts the pilot");
    println!(
        "  On {PILOT_STARTS} the engine's tick starts the pilot, as the steward chose: the proposal is {}.",
        phase_of(engine, &proposal_stream)
    );

    let review = due_here("2022-09-05T09:00:00Z");
    if let DueItem::ReviewDue { review_date, .. } = &review {
        println!("  Due: the pilot's review, from {review_date}, six months from its start.");
    }
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    engine.handle(proposal(
        steward,
        "2022-09-05T09:30:00Z",
        ProposalCommand::OpenReview {},
    ))?;
    engine.handle(proposal(
        steward,
        "2022-09-05T09:35:00Z",
        ProposalCommand::StartDecision {
            round: round_stream.clone(),
        },
    ))?;
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };
    engine.handle(
        round(
            staff_1,
            "2022-09-05T10:00:00Z",
            RoundCommand::OpenOnRoute {
                title: "Continue the working model after its pilot".into(),
                proposal: "The pilot's evaluation: paid preparation time let carers take part, \
                           and no titles kept roles open. Continue the model as it stands."
                    .into(),
                roles: RoundRoles {
                    proposer: staff_1,
                    facilitator: co_producer_1,
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
    let heard = [
        (
            6,
            AdviceBasis::Expertise,
            "Count who left the pilot as well as who stayed",
            "The evaluation now says who left the pilot, and why",
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
            "2022-09-05T10:05:00Z",
            "2022-09-05T10:10:00Z",
            "2022-09-06T09:00:00Z",
        ],
        ["2022-09-08T12:00:00Z", "2022-09-12T09:00:00Z"],
    )?;
    beside.declare_interests(engine, "2022-09-14T17:50:00Z")?;
    for minute in ["00", "05", "10"] {
        engine.handle(round(
            co_producer_1,
            &format!("2022-09-14T18:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    beside.all_consent(
        engine,
        co_producer_1,
        ["2022-09-14T18:20:00Z", "2022-09-14T18:30:00Z"],
    )?;
    let mut evidence = round_evidence(
        &["Pilot for six more months", "End the pilot"],
        "2022-09-05T10:00:00Z",
        "2022-09-14T18:00:00Z",
    );
    evidence.rationale =
        Some("The pilot's evaluation showed paid, flexible roles without titles worked.".into());
    // The round decides for the proposal: its consent continues the model, in one batch.
    engine.handle(
        round(
            secretary,
            "2022-09-14T18:40:00Z",
            RoundCommand::RecordOutcome {
                statement: "Continued as the standing working model, reviewed in a year.".into(),
                review_date: at("2023-09-14T00:00:00Z"),
            },
        )
        .with_evidence(evidence),
    )?;
    engine.handle(
        Request::new(
            round_stream.clone(),
            secretary,
            at("2022-09-15T09:00:00Z"),
            ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence {
            publication: Some(Publication {
                published_at: at("2022-09-15T09:00:00Z"),
                redactions: Vec::new(),
            }),
            ..Evidence::default()
        }),
    )?;
    let reassessment = engine
        .report(&round_stream, at("2022-09-15T10:00:00Z"))
        .expect("the reassessment round");
    show(&reassessment);
    println!(
        "  The team consented to continue the model: the proposal is {}, to be reviewed in a year.",
        phase_of(engine, &proposal_stream)
    );
    Ok(Pilot {
        starting,
        started,
        review,
        reassessment,
    })
}

/// The phase label of the process on `stream`.
fn phase_of(engine: &StoryEngine, stream: &StreamId) -> &'static str {
    engine
        .state(stream)
        .map(|s| s.phase_label())
        .unwrap_or("unknown")
}

/// A round and those who take part beside it, as the engine witnesses it.
struct Beside<'a> {
    stream: &'a StreamId,
    proposer: MemberId,
    secretary: MemberId,
    eligible: &'a [MemberId],
}

impl<'a> Beside<'a> {
    /// The round on `stream`, deciders `eligible`, proposed by staff member 1 with staff
    /// member 2 its secretary, as both of the working model's rounds are.
    fn of(stream: &'a StreamId, eligible: &'a [MemberId]) -> Self {
        Self {
            stream,
            proposer: MemberId::new(1),
            secretary: MemberId::new(2),
            eligible,
        }
    }

    /// The proposer asks the bodies the route consults for advice; the public contributors
    /// among the deciders are offered payment by the secretary, with benefits advice, and
    /// accept (`[asked, offered, accepted]`); each of `heard` (member, footing, advice,
    /// answer) gives advice a day apart from the first, and the proposer answers each a
    /// minute apart (`[first advice, first answer]`).
    fn advise_and_pay(
        &self,
        engine: &StoryEngine,
        heard: &[(u64, AdviceBasis, &str, &str)],
        [asked, offered, accepted]: [&str; 3],
        [advised, answered]: [&str; 2],
    ) -> Result<(), coproduction::Error> {
        let part = |who: MemberId, when: Timestamp, command: PartCommand| {
            part_request(self.stream, who, &when.to_string(), command)
        };
        engine.handle(part(
            self.proposer,
            at(asked),
            PartCommand::AskAdvice {
                members: Default::default(),
            },
        ))?;
        pay_public_contributors(
            engine,
            self.stream,
            self.eligible,
            self.secretary,
            (offered, accepted),
        )?;
        for (day, (from, basis, advice, _)) in (0..).zip(heard) {
            engine.handle(part(
                MemberId::new(*from),
                at(advised) + SignedDuration::from_hours(24 * day),
                PartCommand::GiveAdvice {
                    advice: (*advice).into(),
                    bases: [*basis].into(),
                },
            ))?;
        }
        for (minute, (from, _, _, answer)) in (0..).zip(heard) {
            engine.handle(part(
                self.proposer,
                at(answered) + SignedDuration::from_mins(minute),
                PartCommand::AnswerAdvice {
                    member: MemberId::new(*from),
                    answer: (*answer).into(),
                },
            ))?;
        }
        Ok(())
    }

    /// Each decider consents in the objection round, a minute apart from the first time,
    /// and `facilitator` closes the round at the second.
    fn all_consent(
        &self,
        engine: &StoryEngine,
        facilitator: MemberId,
        [from, closed]: [&str; 2],
    ) -> Result<(), coproduction::Error> {
        for (minute, who) in (0..).zip(self.eligible) {
            engine.handle(round_request(
                self.stream,
                *who,
                &(at(from) + SignedDuration::from_mins(minute)).to_string(),
                RoundCommand::Respond {
                    member: *who,
                    response: Response::consent(),
                },
            ))?;
        }
        engine.handle(round_request(
            self.stream,
            facilitator,
            closed,
            RoundCommand::CloseRound {},
        ))?;
        Ok(())
    }

    /// Each decider declares no interests, a minute apart from `from`.
    fn declare_interests(
        &self,
        engine: &StoryEngine,
        from: &str,
    ) -> Result<(), coproduction::Error> {
        for (minute, who) in (0..).zip(self.eligible) {
            engine.handle(part_request(
                self.stream,
                *who,
                &(at(from) + SignedDuration::from_mins(minute)).to_string(),
                PartCommand::DeclareInterests { interest: None },
            ))?;
        }
        Ok(())
    }
}
