//! A proposal decided by a consent round on the route governance gives, every step a
//! request to the engine: drafted and shared for co-creation with its feedback linked; made
//! ready; the round opened, advice asked, given and answered, access needs met, the public
//! contributors offered payment, interests declared (a member with an interest in the
//! decision stepping out of it); every other member of the deciding body consenting at the
//! session; the outcome recorded and published a week later. The
//! governance decision, the first wave of co-producers and the working model all take this
//! path.

use std::collections::BTreeSet;

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::{AccessNeedKind, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::governance::Route;
use coproduction::journal::StreamId;
use coproduction::living::CommunityChange;
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{AdviceBasis, Evidence, Publication, ValueReport};
use jiff::civil::Date;

use super::StoryEngine;
use super::{at, part_request, pay_public_contributors, proposal_request, round_request};

/// A decision's calendar: the day its proposal was drafted, the day the round opened and
/// the papers went out, the day of the session that decided it, and the day its record was
/// published.
#[derive(Clone, Copy)]
pub struct Calendar {
    pub drafted: Date,
    pub papers: Date,
    pub session: Date,
    pub published: Date,
}

impl Calendar {
    /// A calendar from four `YYYY-MM-DD` dates.
    pub fn new(
        drafted: &str,
        papers: &str,
        session: &str,
        published: &str,
    ) -> Result<Self, coproduction::Error> {
        Ok(Self {
            drafted: drafted.parse()?,
            papers: papers.parse()?,
            session: session.parse()?,
            published: published.parse()?,
        })
    }

    /// `day` plus `days`, at `time` (`HH:MM`, UTC).
    pub fn on(day: Date, days: i64, time: &str) -> String {
        let day = day.saturating_add(jiff::Span::new().days(days));
        format!("{day}T{time}:00Z")
    }

    /// When the papers went out: the round's opening.
    pub fn papers_at(self) -> String {
        Self::on(self.papers, 0, "09:00")
    }

    /// When the session began.
    pub fn session_at(self) -> String {
        Self::on(self.session, 0, "18:00")
    }
}

/// A proposal decided by a consent round on the route governance gives for its kind. The
/// round's proposer brings the proposal and its facilitator stewards it.
pub struct Proposed<'a, E> {
    pub proposal: &'a str,
    pub round: &'a str,
    pub id: ProposalId,
    pub kind: DecisionKind,
    pub title: &'a str,
    pub text: &'a str,
    /// Who may object to the standing agreement besides the proposer.
    pub members: BTreeSet<MemberId>,
    /// The changes to the community it makes when adopted.
    pub changes: Vec<CommunityChange>,
    /// When the changes take effect, if later than the adoption.
    pub effective_from: Option<&'a str>,
    pub roles: RoundRoles,
    /// The feedback items and themes from co-creation the proposal answers.
    pub feedback: (Vec<ItemId>, Vec<ThemeId>),
    /// Advice from members of the bodies the route consults: who, on what footing, the
    /// advice, and the proposer's answer.
    pub advice: &'a [(u64, AdviceBasis, &'a str, &'a str)],
    /// Members of the deciding body with an interest in the decision, the interest and why
    /// they step out: each declares it and steps out before the session, and does not
    /// respond.
    pub stepping_out: &'a [(u64, &'a str, &'a str)],
    pub calendar: Calendar,
    /// What the round does not hold, attested with the outcome, for the calendar's dates.
    pub evidence: E,
    pub rationale: &'a str,
    pub outcome: &'a str,
    pub review_date: &'a str,
}

/// Drafts `p` and shares it for co-creation on the day it was drafted, linking its
/// feedback three days later.
pub fn draft<E>(engine: &StoryEngine, p: &Proposed<'_, E>) -> Result<(), coproduction::Error> {
    let stream = StreamId::new(p.proposal)?;
    let steward = p.roles.facilitator;
    let draft = ProposalConfig {
        id: p.id,
        title: p.title.into(),
        kind: p.kind.clone(),
        text: p.text.into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [p.roles.proposer].into(),
            steward,
            members: p.members.clone(),
        },
        changes: p.changes.clone(),
        effective_from: p.effective_from.map(at),
    };
    engine.handle(
        proposal_request(
            &stream,
            p.roles.proposer,
            &Calendar::on(p.calendar.drafted, 0, "09:00"),
            ProposalCommand::Create {
                config: Box::new(draft),
            },
        )
        .with_kind(p.kind.clone()),
    )?;
    let (items, themes) = p.feedback.clone();
    for (when, command) in [
        (
            Calendar::on(p.calendar.drafted, 0, "09:30"),
            ProposalCommand::StartCoCreation {},
        ),
        (
            Calendar::on(p.calendar.drafted, 3, "09:00"),
            ProposalCommand::LinkFeedback { items, themes },
        ),
    ] {
        engine.handle(proposal_request(&stream, steward, &when, command))?;
    }
    Ok(())
}

/// Decides the proposal `p` (drafted, in co-creation) by a consent round on `route`: ready
/// and the round opened the day the papers go out; advice over the next days, answered on
/// the day of the session; every member consenting at the session; the outcome recorded
/// (adopting the proposal, with any change it carries, in one batch) and published on the
/// calendar's day. Returns the round's report.
pub fn decide<E: FnOnce(Calendar) -> Evidence>(
    engine: &StoryEngine,
    route: &Route,
    p: Proposed<'_, E>,
) -> Result<ValueReport, coproduction::Error> {
    let community = engine.community();
    let cal = p.calendar;
    let RoundRoles {
        proposer,
        facilitator,
        secretary,
    } = p.roles;
    let (proposal_stream, round_stream) = (StreamId::new(p.proposal)?, StreamId::new(p.round)?);
    let proposal = |who: MemberId, when: &str, command: ProposalCommand| {
        proposal_request(&proposal_stream, who, when, command)
    };
    let round = |who: MemberId, when: &str, command: RoundCommand| {
        round_request(&round_stream, who, when, command)
    };
    let part = |who: MemberId, when: &str, command: PartCommand| {
        part_request(&round_stream, who, when, command)
    };
    let papers = |days: i64, time: &str| Calendar::on(cal.papers, days, time);
    let session = |time: &str| Calendar::on(cal.session, 0, time);
    let steward = facilitator;
    let config = RoundConfig::from_route(route, &community, p.title, p.text, p.roles)?;
    let eligible: Vec<MemberId> = config.eligible.iter().map(|e| e.member).collect();

    for (when, command) in [
        (papers(0, "08:30"), ProposalCommand::MarkReady {}),
        (
            papers(0, "08:45"),
            ProposalCommand::StartDecision {
                round: round_stream.clone(),
            },
        ),
    ] {
        engine.handle(proposal(steward, &when, command))?;
    }
    engine.handle(
        round(
            proposer,
            &cal.papers_at(),
            RoundCommand::Open {
                config: Box::new(config),
            },
        )
        .with_kind(p.kind)
        .deciding_for(proposal_stream.clone()),
    )?;

    // Beside the round, as the engine witnesses it: advice asked of the bodies the route
    // consults; the access needs the round raised met before the session; the public
    // contributors offered payment, with benefits advice.
    engine.handle(part(
        proposer,
        &papers(0, "09:05"),
        PartCommand::AskAdvice {
            members: Default::default(),
        },
    ))?;
    // Met on the round, a need is met on the proposal the round decides for as well: its
    // record builds on the round's.
    for (member, need) in meet_access(engine, &round_stream, secretary, &papers(0, "09:10"))? {
        println!(
            "  {}: access need met ({}), {}: {}",
            &papers(0, "09:10")[..10],
            need.label(),
            super::name(engine, member),
            adjustment(need)
        );
    }
    pay_public_contributors(
        engine,
        &round_stream,
        &eligible,
        secretary,
        (&papers(0, "10:00"), &papers(1, "09:00")),
    )?;
    for (day, (from, basis, advice, _)) in (1..).zip(p.advice) {
        engine.handle(part(
            MemberId::new(*from),
            &papers(day, "12:00"),
            PartCommand::GiveAdvice {
                advice: (*advice).into(),
                bases: [*basis].into(),
            },
        ))?;
    }
    for (minute, (from, _, _, answer)) in (10..).zip(p.advice) {
        engine.handle(part(
            proposer,
            &session(&format!("16:{minute}")),
            PartCommand::AnswerAdvice {
                member: MemberId::new(*from),
                answer: (*answer).into(),
            },
        ))?;
    }
    // Each member declares their interests; a member with an interest in the decision steps
    // out of it, and the rest decide without them.
    let interest = |who: MemberId| {
        p.stepping_out
            .iter()
            .find(|(m, _, _)| MemberId::new(*m) == who)
            .map(|&(_, interest, reason)| (interest, reason))
    };
    for (minute, &who) in (10..).zip(&eligible) {
        engine.handle(part(
            who,
            &session(&format!("17:{minute}")),
            PartCommand::DeclareInterests {
                interest: interest(who).map(|(interest, _)| interest.into()),
            },
        ))?;
        if let Some((_, reason)) = interest(who) {
            engine.handle(part(
                who,
                &session(&format!("17:{minute}")),
                PartCommand::Recuse {
                    reason: reason.into(),
                },
            ))?;
        }
    }
    let deciders: Vec<MemberId> = eligible
        .iter()
        .copied()
        .filter(|&who| interest(who).is_none())
        .collect();

    // The session: the facilitator moves the round to its objection round; each member
    // consents; the round closes and the secretary records the outcome.
    for minute in ["01", "02", "03"] {
        engine.handle(round(
            facilitator,
            &session(&format!("18:{minute}")),
            RoundCommand::Advance {},
        ))?;
    }
    for (minute, &who) in (10..).zip(&deciders) {
        engine.handle(round(
            who,
            &session(&format!("18:{minute}")),
            RoundCommand::Respond {
                member: who,
                response: Response::consent(),
            },
        ))?;
    }
    engine.handle(round(
        facilitator,
        &session("18:50"),
        RoundCommand::CloseRound {},
    ))?;
    let mut evidence = (p.evidence)(cal);
    evidence.rationale = Some(p.rationale.to_owned().into());
    let alternatives = evidence
        .alternatives
        .iter()
        .flatten()
        .map(|a| a.to_string())
        .collect();
    // Published: the round's record, and the proposal with its rationale.
    record_and_publish(
        engine,
        &round_stream,
        secretary,
        (&session("19:00"), &Calendar::on(cal.published, 0, "09:00")),
        Outcome {
            statement: p.outcome,
            review_date: p.review_date,
        },
        evidence,
    )?;
    engine.handle(proposal(
        steward,
        &Calendar::on(cal.published, 0, "09:30"),
        ProposalCommand::Publish {
            rationale: p.rationale.into(),
            alternatives,
        },
    ))?;
    Ok(engine
        .report(&round_stream, at(&Calendar::on(cal.published, 0, "10:00")))
        .expect("the round"))
}

/// What the secretary records when a round has decided: the outcome in words and the
/// review date.
pub struct Outcome<'a> {
    pub statement: &'a str,
    pub review_date: &'a str,
}

/// `secretary` records `outcome` on the round on `stream` at `recorded`, with the `evidence`
/// the round does not hold (the engine's gate checks the round's record supplemented with
/// it), and publishes the round's record at `published`.
pub fn record_and_publish(
    engine: &StoryEngine,
    stream: &StreamId,
    secretary: MemberId,
    (recorded, published): (&str, &str),
    outcome: Outcome<'_>,
    evidence: Evidence,
) -> Result<(), coproduction::Error> {
    engine.handle(
        round_request(
            stream,
            secretary,
            recorded,
            RoundCommand::RecordOutcome {
                statement: outcome.statement.into(),
                review_date: at(outcome.review_date),
            },
        )
        .with_evidence(evidence),
    )?;
    publish_round(engine, stream, secretary, published)
}

/// The record of the process on `stream` published at `when`, attested by `by`.
pub fn publish_round(
    engine: &StoryEngine,
    stream: &StreamId,
    by: MemberId,
    when: &str,
) -> Result<(), coproduction::Error> {
    engine.handle(
        Request::new(stream.clone(), by, at(when), ProcessCommand::Evidence {}).with_evidence(
            Evidence {
                publication: Some(Publication {
                    published_at: at(when),
                    redactions: Vec::new(),
                }),
                ..Evidence::default()
            },
        ),
    )?;
    Ok(())
}

/// Meets, by `by` at `when`, each access request the process on `stream` raised and has not
/// met yet (the needs its members declared to the community). Returns the needs met.
pub fn meet_access(
    engine: &StoryEngine,
    stream: &StreamId,
    by: MemberId,
    when: &str,
) -> Result<Vec<(MemberId, AccessNeedKind)>, coproduction::Error> {
    let open: Vec<(MemberId, AccessNeedKind)> = engine
        .record(stream, at(when))
        .and_then(|r| r.access_requests)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.met_at.is_none())
        .map(|r| (r.member, r.need))
        .collect();
    for &(member, need) in &open {
        engine.handle(part_request(
            stream,
            by,
            when,
            PartCommand::MeetAccess {
                member,
                need,
                adjustment: adjustment(need).into(),
            },
        ))?;
    }
    Ok(open)
}

/// The adjustment made for an access need, in words.
fn adjustment(need: AccessNeedKind) -> &'static str {
    match need {
        AccessNeedKind::Captions => "Live captions in the session and on its recording",
        AccessNeedKind::PapersInAdvance => "Papers sent with the invitation, a week ahead",
        AccessNeedKind::EasyRead => "An easy-read version of every paper",
        AccessNeedKind::ScreenReader => "Papers that work with a screen reader",
        _ => "Arranged with the member before the session",
    }
}
