//! The associate-roles work of 2022 and early 2023: what to call the new freelance role
//! ("partner" was popular, but would blur the line with the community's members and its
//! external partners: "co-producers", with no titles and no hierarchy), decided by the
//! associate-roles team by consent after an objection is integrated; the draft working
//! model open for comment from 28 August 2022 and amended in answer to the comments; and,
//! once the first wave of co-producers has joined the team, the model agreed for a pilot
//! from March 2023.

use coproduction::cocreation::{ItemId, ThemeId};
use coproduction::community::MemberId;
use coproduction::consent::{
    Answers, ObjectionId, Response, RoundCommand, RoundConfig, RoundRoles, ValidityCriterion,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{DueItem, ProcessState};
use coproduction::journal::StreamId;
use coproduction::process::PartCommand;
use coproduction::proposal::{Answer, ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{AdviceBasis, Credit, Evidence, StakeholderFacts, ValueReport, Way};
use jiff::{SignedDuration, Timestamp};

use super::StoryEngine;
use super::cocreation::WORKING_MODEL_ID;
use super::deciding::{Calendar, Outcome, Proposed, decide, record_and_publish};
use super::governance::{in_force, route_line};
use super::{
    NAMING, WORKING_MODEL, WORKING_MODEL_ROUND, at, part_request, pay_public_contributors,
    proposal_request, round_evidence, round_request, show,
};

/// When the working model's pilot starts.
pub const PILOT_STARTS: &str = "2023-03-01T09:00:00Z";

/// How long the pilot runs: 26 weeks.
pub const PILOT_WEEKS: i64 = 26;

/// The objection to the name "partner", in its objector's words.
pub const OBJECTION: &str = "Calling them \"partners\" would blur the line with our members, who remain \
    important contributors, and with the external partners we work with on projects.";

/// What the naming round shows.
pub(super) struct Naming {
    /// The round's report while the objection was still open: rule T3 flags it.
    pub(super) with_open_objection: ValueReport,
    /// The round's report once it was adopted.
    pub(super) adopted: ValueReport,
}

/// July 2022: the associate-roles team names the new role by consent. The proposal is the
/// name the workshops suggested most; its time box is extended with a reason; a member is
/// reminded to respond; Co-producer 2 objects; the objection is tested, integrated by an
/// amendment ("co-producers", no titles, no hierarchy) and resolved; the team consents.
pub(super) fn naming(engine: &StoryEngine) -> Result<Naming, coproduction::Error> {
    let community = &engine.community();
    let route = in_force(engine).route(
        &DecisionKind::WorkingModel,
        coproduction::governance::RouteFacts::new(),
    )?;
    println!("  Route: {}", route_line(&route));
    let (staff_1, co_producer_1, co_producer_2) =
        (MemberId::new(1), MemberId::new(13), MemberId::new(14));
    let secretary = MemberId::new(2);
    let round_stream = StreamId::new(NAMING)?;
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };
    let text = "Call the new freelance role \"partner\", the name the workshops suggested most.";
    let mut config = RoundConfig::from_route(
        &route,
        community,
        "What to call the new freelance role",
        text,
        RoundRoles {
            proposer: staff_1,
            facilitator: co_producer_1,
            secretary,
        },
    )?;
    // The team meant to decide by the middle of July.
    config.time_box.deadline = Some(at("2022-07-15T17:00:00Z"));
    let eligible: Vec<MemberId> = config.eligible.iter().map(|e| e.member).collect();
    engine.handle(
        round(
            staff_1,
            "2022-07-11T10:00:00Z",
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(DecisionKind::WorkingModel),
    )?;
    // While the papers are out, the members take part beside the round, as the engine
    // witnesses it: the proposer asks the bodies the route consults; a colleague, an ally
    // and a community member give advice and the proposer answers each; the co-producers
    // are offered payment, with benefits advice, and accept.
    let heard = [
        (
            3,
            AdviceBasis::Expertise,
            "Our contracts already call the organisations we work with \"partners\"",
            "The name must not be one our contracts use",
        ),
        (
            6,
            AdviceBasis::LivedExperience,
            "Titles put people off: name people by what they do",
            "No titles: people are named by what they do",
        ),
        (
            20,
            AdviceBasis::Affected,
            "Will members who are not \"partners\" feel second class?",
            "The new roles sit beside members, not above them",
        ),
    ];
    let beside = Beside::of(&round_stream, &eligible);
    beside.advise_and_pay(
        engine,
        &heard,
        [
            "2022-07-11T10:05:00Z",
            "2022-07-11T10:10:00Z",
            "2022-07-12T09:00:00Z",
        ],
        ["2022-07-12T12:00:00Z", "2022-07-15T09:00:00Z"],
    )?;
    // The team asks to meet in person: the facilitator extends the time box, and the record
    // keeps why.
    let reason = "The team asked to meet in person to settle the name: the session is on 19 July.";
    engine.handle(round(
        co_producer_1,
        "2022-07-15T10:00:00Z",
        RoundCommand::ExtendTimeBox {
            until: at("2022-07-22T17:00:00Z"),
            reason: reason.into(),
        },
    ))?;
    println!("  2022-07-15: Co-producer 1 extends the time box to 22 July: {reason}");
    beside.declare_interests(engine, "2022-07-19T09:50:00Z")?;
    for minute in ["05", "10", "15"] {
        engine.handle(round(
            co_producer_1,
            &format!("2022-07-19T10:{minute}:00Z"),
            RoundCommand::Advance {},
        ))?;
    }
    let in_the_room = eligible.iter().filter(|&&who| who != co_producer_2);
    for (minute, who) in (20..).zip(in_the_room) {
        engine.handle(round(
            *who,
            &format!("2022-07-19T10:{minute}:00Z"),
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
        .due(at("2022-07-19T10:24:00Z"))
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
        "2022-07-19T10:24:00Z",
        PartCommand::Remind {
            members: awaited.iter().copied().collect(),
            channel: "email".into(),
        },
    ))?;
    println!(
        "  2022-07-19, 10:24: due, a response from {}; the secretary reminds them by email.",
        awaited
            .iter()
            .map(|m| super::name(engine, *m))
            .collect::<Vec<_>>()
            .join(", ")
    );
    engine.handle(round(
        co_producer_2,
        "2022-07-19T10:26:00Z",
        RoundCommand::Respond {
            member: co_producer_2,
            response: Response::Object {
                reason: OBJECTION.into(),
            },
        },
    ))?;
    engine.handle(round(
        co_producer_1,
        "2022-07-19T10:30:00Z",
        RoundCommand::CloseRound {},
    ))?;

    // The objection is raised and not yet dealt with: the report says so (rule T3), and the
    // round could not be adopted as it stands.
    let with_open_objection = engine
        .report(&round_stream, at("2022-07-19T10:31:00Z"))
        .expect("the round");
    if let Some(t3) = with_open_objection.finding("T3") {
        println!(
            "  Co-producer 2 objects. While the objection is open: {} {}: {}",
            t3.rule,
            t3.status.label(),
            t3.message
        );
    }

    // Integration: test the objection, amend, both confirm, the next round consents.
    let id = ObjectionId(1);
    engine.handle(round(
        co_producer_1,
        "2022-07-19T10:40:00Z",
        RoundCommand::TestObjection {
            objection: id,
            criteria: [
                ValidityCriterion::ReducesCapacity,
                ValidityCriterion::CausedByProposal,
            ]
            .into_iter()
            .collect(),
            reasoning: "Members and external partners the community works with would be \
                        confused, and its relationships with both harmed."
                .into(),
            valid: true,
        },
    ))?;
    let amended = "Call them co-producers: no job titles and no hierarchy.";
    engine.handle(round(
        staff_1,
        "2022-07-19T10:50:00Z",
        RoundCommand::Amend {
            text: amended.into(),
            answers: vec![Answers::Objection { id }],
        },
    ))?;
    for who in [co_producer_2, staff_1] {
        engine.handle(round(
            who,
            "2022-07-19T10:52:00Z",
            RoundCommand::ConfirmResolved { objection: id },
        ))?;
    }
    engine.handle(round(
        co_producer_1,
        "2022-07-19T10:55:00Z",
        RoundCommand::Advance {},
    ))?;
    beside.all_consent(
        engine,
        co_producer_1,
        ["2022-07-19T10:56:00Z", "2022-07-19T11:00:00Z"],
    )?;

    let mut evidence = Evidence {
        alternatives: Some(vec![
            "Partners".into(),
            "Associates".into(),
            "Co-producers".into(),
        ]),
        ..Evidence::default()
    };
    evidence.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    evidence.dates.papers_sent_at = Some(at("2022-07-11T10:00:00Z"));
    evidence.dates.session_at = Some(at("2022-07-19T10:00:00Z"));
    evidence.expenses = Some(coproduction::values::ExpensesFacts {
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
        "Job titles and hierarchies do not sit well in co-production; \"partner\" would confuse \
         members and external partners."
            .into(),
    );
    evidence.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
        waivers: Default::default(),
    });
    record_and_publish(
        engine,
        &round_stream,
        secretary,
        ("2022-07-19T11:10:00Z", "2022-07-26T09:00:00Z"),
        Outcome {
            statement: "The new freelance roles are co-producers, with no titles and no \
                        hierarchy.",
            review_date: "2023-07-19T00:00:00Z",
        },
        evidence,
    )?;
    let adopted = engine
        .report(&round_stream, at("2022-07-26T10:00:00Z"))
        .expect("the round");
    println!(
        "  2022-07-19: the objection is tested valid and integrated by an amendment; adopted: \
         {amended}"
    );
    println!("  The adopted round's report, as published on 2022-07-26:");
    show(&adopted);
    Ok(Naming {
        with_open_objection,
        adopted,
    })
}

/// The draft working model's first version.
const DRAFT: &str = "Freelance co-producers, with no titles or hierarchy, take responsibility \
    for parts of projects with support, paid for preparation as well as sessions, recruited \
    openly in waves; benefits and impact are evaluated all round.";

/// The draft, amended in answer to the comments.
const AMENDED: &str = "Freelance co-producers, with no titles or hierarchy, take \
    responsibility for parts of projects with support, paid for preparation as well as \
    sessions, recruited openly in waves; benefits and impact are evaluated all round. The \
    role asks about two days a month; a co-producer may pause and come back; a named member \
    of staff arranges access needs.";

/// 28 August 2022: the draft working model, open for comment, linked to the workshops'
/// feedback and themes; the comments linked as they come; amended in answer to three of
/// them on 19 September.
pub(super) fn draft_open_for_comment(engine: &StoryEngine) -> Result<(), coproduction::Error> {
    let stream = StreamId::new(WORKING_MODEL)?;
    let (proposer, steward) = (MemberId::new(4), MemberId::new(13));
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&stream, who, when, command)
    };
    engine.handle(
        proposal(
            proposer,
            "2022-08-28T09:00:00Z",
            ProposalCommand::Create {
                config: Box::new(ProposalConfig {
                    id: WORKING_MODEL_ID,
                    title: "The associate-roles working model".into(),
                    kind: DecisionKind::WorkingModel,
                    text: DRAFT.into(),
                    answers: Vec::new(),
                    roles: ProposalRoles {
                        proposers: [proposer].into(),
                        steward,
                        members: engine.community().members().map(|m| m.id).collect(),
                    },
                    changes: vec![],
                    effective_from: None,
                }),
            },
        )
        .with_kind(DecisionKind::WorkingModel),
    )?;
    for (when, command) in [
        ("2022-08-28T09:30:00Z", ProposalCommand::StartCoCreation {}),
        (
            "2022-08-28T10:00:00Z",
            ProposalCommand::LinkFeedback {
                items: (10..=20).map(ItemId::new).collect(),
                themes: (5..=8).map(ThemeId::new).collect(),
            },
        ),
        (
            "2022-09-12T09:00:00Z",
            ProposalCommand::LinkFeedback {
                items: (21..=24).map(ItemId::new).collect(),
                themes: vec![ThemeId::new(9)],
            },
        ),
    ] {
        engine.handle(proposal(steward, when, command))?;
    }
    println!(
        "  2022-08-28: the first draft is open for comment, linked to the workshops' feedback\n  \
         and themes; four comments by 10 September, linked on 12 September."
    );
    engine.handle(proposal(
        proposer,
        "2022-09-19T09:00:00Z",
        ProposalCommand::Amend {
            text: AMENDED.into(),
            answers: [21, 22, 23]
                .map(|n| Answer::Item { id: ItemId::new(n) })
                .to_vec(),
        },
    ))?;
    if let Some(ProcessState::Proposal(state)) = engine.state(&stream)
        && let Some(latest) = state.proposal().and_then(|p| p.latest())
    {
        println!(
            "  {}: amended in answer to comments {}: version {}.",
            &latest.at.to_string()[..10],
            latest
                .answers
                .iter()
                .filter_map(|a| match a {
                    Answer::Item { id } => Some(id.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(", "),
            latest.version
        );
    }
    Ok(())
}

/// February 2023: the associate-roles team, now with the first wave of co-producers,
/// consents to the amended model for a pilot across projects from 1 March 2023, six months
/// long. Returns the round's report.
pub(super) fn agreed_for_pilot(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let route = in_force(engine).route(
        &DecisionKind::WorkingModel,
        coproduction::governance::RouteFacts::new(),
    )?;
    println!("  Route: {}", route_line(&route));
    let p = Proposed {
        proposal: WORKING_MODEL,
        round: WORKING_MODEL_ROUND,
        id: WORKING_MODEL_ID,
        kind: DecisionKind::WorkingModel,
        title: "Pilot the associate-roles working model",
        text: AMENDED,
        members: Default::default(),
        changes: vec![],
        effective_from: None,
        roles: RoundRoles {
            proposer: MemberId::new(4),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(2),
        },
        feedback: (Vec::new(), Vec::new()),
        advice: &[
            (
                3,
                AdviceBasis::Expertise,
                "Pilot it across several projects, not only one",
                "Piloted across the projects the co-producers chose",
            ),
            (
                6,
                AdviceBasis::LivedExperience,
                "Agree before it starts how you will know it worked",
                "The pilot's evaluation is agreed when it starts",
            ),
            (
                20,
                AdviceBasis::Affected,
                "Keep members who are not co-producers in the loop",
                "A short update to the whole community every month",
            ),
        ],
        stepping_out: &[],
        calendar: Calendar::new("2022-08-28", "2023-01-30", "2023-02-06", "2023-02-13")?,
        evidence: |cal: Calendar| {
            round_evidence(
                &[
                    "Keep recruiting project by project",
                    "Wait for a full model",
                ],
                &cal.papers_at(),
                &cal.session_at(),
            )
        },
        rationale: "The workshops asked for paid, flexible roles without titles; the first wave \
                    helped shape the model; a pilot tests it in practice.",
        outcome: "Piloted across projects for six months from 1 March 2023, then reassessed.",
        // The pilot's own review: 26 weeks from its start.
        review_date: "2023-08-30T09:00:00Z",
    };
    let report = decide(engine, &route, p)?;
    show(&report);
    // The pilot starts on 1 March: six months from its start, not from the decision.
    engine.handle(proposal_request(
        &StreamId::new(WORKING_MODEL)?,
        MemberId::new(13),
        "2023-02-13T10:30:00Z",
        ProposalCommand::SchedulePilot {
            starts: at(PILOT_STARTS),
            lasts: SignedDuration::from_hours(24 * 7 * PILOT_WEEKS),
        },
    ))?;
    println!(
        "  2023-02-06: the team consents; 2023-02-13: published, and the pilot scheduled to start \
         on {PILOT_STARTS} for {PILOT_WEEKS} weeks."
    );
    Ok(report)
}

/// A round and those who take part beside it, as the engine witnesses it.
pub(super) struct Beside<'a> {
    stream: &'a StreamId,
    proposer: MemberId,
    secretary: MemberId,
    eligible: &'a [MemberId],
}

impl<'a> Beside<'a> {
    /// The round on `stream`, deciders `eligible`, proposed by staff member 1 with staff
    /// member 2 its secretary.
    pub(super) fn of(stream: &'a StreamId, eligible: &'a [MemberId]) -> Self {
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
    pub(super) fn advise_and_pay(
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
    pub(super) fn all_consent(
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
    pub(super) fn declare_interests(
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
