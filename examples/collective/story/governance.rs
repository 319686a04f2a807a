//! Who decides recruitment: the whole community, by consent, adopts a governance map that
//! gives recruitment to the decision circle; the first co-producers are then appointed on
//! the new route. Each decision's gate names the map it was routed by, so a record from
//! before the change still cites the founding map.

use std::collections::BTreeSet;

use coproduction::cocreation::{ItemId, ProposalId, ThemeId};
use coproduction::community::{AccessNeedKind, BodyId, Member, MemberId, Role};
use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::{ProcessCommand, Request};
use coproduction::governance::{
    Conditions, Edge, Governance, GovernanceMap, Procedure, Route, RouteFacts,
};
use coproduction::journal::{Hash, StreamId};
use coproduction::living::{CommunityChange, governance_hash};
use coproduction::process::PartCommand;
use coproduction::proposal::{ProposalCommand, ProposalConfig, ProposalRoles};
use coproduction::values::{AdviceBasis, Evidence, Publication, ValueReport};
use jiff::civil::Date;

use super::StoryEngine;
use super::recruitment::recruitment_evidence;
use super::{
    APPOINTMENT, APPOINTMENT_PROPOSAL, FOUNDATION, WHO_RECRUITS, WHO_RECRUITS_PROPOSAL, at,
    part_request, pay_public_contributors, proposal_request, round_evidence, round_request, show,
};

/// The advert for the first co-producers: open from mid-September to the start of October.
const CO_PRODUCERS_ADVERT: (&str, &str) = ("2021-09-15T09:00:00Z", "2021-10-01T17:00:00Z");

/// The governance decision: the whole community consents to a map that gives recruitment to
/// the decision circle, on the route `founding` (the map the journal was founded with) gives
/// a governance decision. Returns the round's report.
pub(super) fn who_recruits(
    engine: &StoryEngine,
    founding: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    // Why this change: in April the community asked who should take part in which
    // decisions, and said the staff team's decisions behind the scenes should be more
    // visible and accountable. This year the staff team decided both recruitments on its
    // own; yet whoever is recruited speaks for the community and sits in its bodies.
    println!(
        "  In April the community asked who should take part in which decisions. Both\n  \
         recruitments since were the staff team's own, by advice process; yet whoever is\n  \
         recruited speaks for the community and sits in its bodies. A co-producer proposes\n  \
         that the decision circle, where six of eight bring lived experience, decide\n  \
         recruitment by consent, with the staff team among those whose advice it answers.\n  \
         Everyday decisions stay with the staff team."
    );
    let route = founding.route(&DecisionKind::Governance, RouteFacts::new())?;
    println!("  Route of a governance decision: {}", route_line(&route));
    let map = recruitment_by_the_circle(founding.map())?;
    let roles = RoundRoles {
        proposer: MemberId::new(13),
        facilitator: MemberId::new(16),
        secretary: MemberId::new(3),
    };
    let governance = decide_by_consent(
        engine,
        &route,
        Proposed {
            proposal: WHO_RECRUITS_PROPOSAL,
            round: WHO_RECRUITS,
            id: ProposalId::new(3),
            kind: DecisionKind::Governance,
            title: "Recruitment is decided by the decision circle",
            text: "The decision circle decides recruitment by consent; the staff team, the \
                   associate-roles team and the Allies Group advise.",
            // The whole community may object to the standing agreement.
            members: engine.community().members().map(|m| m.id).collect(),
            changes: vec![CommunityChange::Governance { map }],
            // From the start of October, so that no process opened in September changes
            // hands while the new map is announced.
            effective_from: Some("2021-10-01T00:00:00Z"),
            roles,
            feedback: (vec![ItemId::new(1), ItemId::new(2)], vec![ThemeId::new(1)]),
            advice: &[
                (
                    29,
                    AdviceBasis::Affected,
                    "Every recruitment panel should seat someone with lived experience",
                    "The circle seats a member with lived experience on every panel",
                ),
                (
                    8,
                    AdviceBasis::Expertise,
                    "Keep a quick way to cover a colleague's absence",
                    "Cover for an absence of up to three months stays an operational decision",
                ),
                (
                    3,
                    AdviceBasis::Affected,
                    "Staff still run the adverts and interviews; the circle decides on the panel's choice",
                    "The staff team runs the process; the circle decides on the panel's choice",
                ),
            ],
            calendar: Calendar::drafted(2021, 9, 13)?,
            evidence: |cal: Calendar| {
                round_evidence(
                    &[
                        "Keep recruitment with the staff team, publishing each rationale",
                        "Give recruitment to the whole community",
                    ],
                    &cal.papers(),
                    &cal.session(),
                )
            },
            rationale: "Recruitment decides who speaks for the community: a mixed circle decides it, \
                        in the open, with the staff team's advice.",
            outcome: "From 1 October the decision circle decides recruitment, by consent.",
            review_date: "2022-03-27T00:00:00Z",
        },
    )?;
    show(&governance);
    let in_force = in_force(engine);
    println!(
        "  The whole community consented on 27 September; the new map, journalled in the same\n  \
         batch as the adoption, took effect on 1 October as the proposal stated: governance\n  \
         map {}\n  \
         -> {}.",
        governance_hash(founding.map()),
        governance_hash(in_force.map())
    );
    Ok(governance)
}

/// The first co-producers for the pilot, appointed after an open advert on the route the
/// map in force gives, which differs from the one `founding` gave. Returns the round's
/// report.
pub(super) fn first_co_producers(
    engine: &StoryEngine,
    founding: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    let in_force = in_force(engine);
    let before = founding.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let after = in_force.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    println!(
        "  The advert for the pilot's first co-producers ran from 15 September to 1 October;\n  \
         the panel chose three applicants. Their appointment is the first decision the new map\n  \
         routes."
    );
    println!("  Recruitment by the founding map: {}", route_line(&before));
    println!("  Recruitment by the map in force: {}", route_line(&after));
    let newcomers: Vec<MemberId> = (33..=35).map(MemberId::new).collect();
    let mut changes: Vec<CommunityChange> = newcomers
        .iter()
        .zip(3..)
        .map(|(&id, n)| CommunityChange::Join {
            member: Member::new(id, format!("Co-producer {n}"))
                .with_role(Role::CommunityMember)
                .with_role(Role::CoProducer)
                .with_lived_experience(),
        })
        .collect();
    changes.push(CommunityChange::Appoint {
        body: BodyId::new("associate_roles_team")?,
        members: newcomers.clone(),
    });
    let roles = RoundRoles {
        proposer: MemberId::new(1),
        facilitator: MemberId::new(13),
        secretary: MemberId::new(14),
    };
    let appointment = decide_by_consent(
        engine,
        &after,
        Proposed {
            proposal: APPOINTMENT_PROPOSAL,
            round: APPOINTMENT,
            id: ProposalId::new(4),
            kind: DecisionKind::Recruitment,
            title: "Appoint the first three co-producers",
            text: "Appoint the three applicants the panel chose to the associate-roles team, as \
                   freelance co-producers for the pilot.",
            // The team they join may object to the standing agreement.
            members: [MemberId::new(14)].into(),
            changes,
            effective_from: None,
            roles,
            feedback: (vec![ItemId::new(2)], vec![ThemeId::new(1)]),
            advice: &[
                (
                    14,
                    AdviceBasis::Affected,
                    "Ask each new co-producer which parts of the pilot they want to lead",
                    "Each chooses a part of the pilot at the first group session",
                ),
                (
                    30,
                    AdviceBasis::Affected,
                    "Pair each new co-producer with one who has done the work",
                    "Each is paired with Co-producer 1 or 2 for the pilot",
                ),
                (
                    4,
                    AdviceBasis::Expertise,
                    "Set up contracts and payment before the first group session",
                    "Contracts and payment are in place before the session at the end of October",
                ),
            ],
            calendar: Calendar::drafted(2021, 10, 4)?,
            evidence: |cal: Calendar| {
                recruitment_evidence(&cal.papers(), &cal.session(), CO_PRODUCERS_ADVERT)
            },
            rationale: "The panel's choice, on the circle's consent and with the advice of those they join.",
            outcome: "Three co-producers join the associate-roles team from 18 October.",
            review_date: "2022-03-01T00:00:00Z",
        },
    )?;
    show(&appointment);
    println!(
        "  Adopted: {} co-producers joined the community and the associate-roles team; the \
         first group session follows at the end of October.",
        newcomers.len()
    );

    // The gates name the map each decision was routed by: the one in force when its
    // process opened, whatever came after.
    println!("  Each decision's gate names the map its process opened under:");
    for (label, stream) in [
        ("The foundation's offer (April)", FOUNDATION),
        ("The co-producers' appointment (October)", APPOINTMENT),
    ] {
        println!(
            "  {label:<40} routed by governance map {}",
            routed_by(engine, stream)?.map_or_else(|| "none".to_owned(), |h| h.to_string())
        );
    }
    Ok(appointment)
}

/// The governance map in force today.
fn in_force(engine: &StoryEngine) -> std::sync::Arc<Governance> {
    engine
        .governance()
        .expect("the community routes its decisions")
}

/// The hash of the governance map the last gate of the decision on `stream` names.
fn routed_by(engine: &StoryEngine, stream: &str) -> Result<Option<Hash>, coproduction::Error> {
    Ok(engine
        .gates(&StreamId::new(stream)?)
        .last()
        .and_then(|gate| gate.governance))
}

/// `map` with recruitment decided by the decision circle, by consent, rather than by the
/// staff team's advice process; the staff team joins the bodies whose advice the circle must
/// answer. Every other edge is as it was.
fn recruitment_by_the_circle(map: &GovernanceMap) -> Result<GovernanceMap, coproduction::Error> {
    let mut changed = GovernanceMap::with_amount_bands(map.amount_bands());
    for kind in map.kinds() {
        changed.add_kind(kind.clone());
    }
    for edge in map.edges() {
        changed.add_edge(match edge {
            Edge::Decides {
                kind: DecisionKind::Recruitment,
                when,
                ..
            } => Edge::Decides {
                body: BodyId::new("decision_circle")?,
                kind: DecisionKind::Recruitment,
                method: Procedure::Method(Method::Consent),
                when: *when,
            },
            other => other.clone(),
        });
    }
    changed.add_edge(Edge::Advises {
        body: BodyId::new("staff_team")?,
        kind: DecisionKind::Recruitment,
        when: Conditions::always(),
    });
    for (body, members) in map.overriders() {
        changed.set_override_by(body.clone(), members.clone());
    }
    Ok(changed)
}

/// Who decides, how, and whom they consult first, in a line.
fn route_line(route: &Route) -> String {
    let consult: Vec<&str> = route.consult.iter().map(|c| c.body.as_str()).collect();
    format!(
        "{} decides by {}; consult first: {}",
        route.decider,
        route.procedure,
        consult.join(", ")
    )
}

/// A decision's calendar: each step is dated from the day its proposal was drafted. The
/// papers go out when the round opens, a week later; the session is a week after that.
#[derive(Clone, Copy)]
struct Calendar {
    drafted: Date,
}

impl Calendar {
    fn drafted(year: i16, month: i8, day: i8) -> Result<Self, coproduction::Error> {
        Ok(Self {
            drafted: Date::new(year, month, day)?,
        })
    }

    /// `days` after the draft, at `time` (`HH:MM`, UTC).
    fn on(self, days: i8, time: &str) -> String {
        let day = self
            .drafted
            .saturating_add(jiff::Span::new().days(i64::from(days)));
        format!("{day}T{time}:00Z")
    }

    fn papers(self) -> String {
        self.on(7, "09:00")
    }

    fn session(self) -> String {
        self.on(14, "18:00")
    }
}

/// A proposal decided by a consent round on the route governance gives for its kind. The
/// round's proposer brings the proposal and its facilitator stewards it.
struct Proposed<'a, E> {
    proposal: &'a str,
    round: &'a str,
    id: ProposalId,
    kind: DecisionKind,
    title: &'a str,
    text: &'a str,
    /// Who may object to the standing agreement besides the proposer.
    members: BTreeSet<MemberId>,
    /// The changes to the community it makes when adopted.
    changes: Vec<CommunityChange>,
    /// When the changes take effect, if later than the adoption.
    effective_from: Option<&'a str>,
    roles: RoundRoles,
    /// The feedback items and themes from co-creation the proposal answers.
    feedback: (Vec<ItemId>, Vec<ThemeId>),
    /// Advice from members of the bodies the route consults: who, on what footing, the
    /// advice, and the proposer's answer.
    advice: &'a [(u64, AdviceBasis, &'a str, &'a str)],
    calendar: Calendar,
    /// What the round does not hold, attested with the outcome, for the calendar's dates.
    evidence: E,
    rationale: &'a str,
    outcome: &'a str,
    review_date: &'a str,
}

/// Runs `p` on the engine, every step a request: the proposal drafted and co-created; the
/// round opened on `route`; advice asked, given and answered; access needs met; the public
/// contributors offered payment; interests declared; every member of the deciding body
/// consenting at the session; the outcome recorded (adopting the proposal, with any change
/// it carries, in one batch) and published a week later. Returns the round's report.
fn decide_by_consent<E: FnOnce(Calendar) -> Evidence>(
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
    let steward = facilitator;
    let config = RoundConfig::from_route(route, &community, p.title, p.text, p.roles)?;
    let eligible: Vec<MemberId> = config.eligible.iter().map(|e| e.member).collect();

    let draft = ProposalConfig {
        id: p.id,
        title: p.title.into(),
        kind: p.kind.clone(),
        text: p.text.into(),
        answers: Vec::new(),
        roles: ProposalRoles {
            proposers: [proposer].into(),
            steward,
            members: p.members,
        },
        changes: p.changes,
        effective_from: p.effective_from.map(at),
    };
    engine.handle(
        proposal(
            proposer,
            &cal.on(0, "09:00"),
            ProposalCommand::Create {
                config: Box::new(draft),
            },
        )
        .with_kind(p.kind.clone()),
    )?;
    let (items, themes) = p.feedback;
    for (when, command) in [
        (cal.on(0, "09:30"), ProposalCommand::StartCoCreation {}),
        (
            cal.on(3, "09:00"),
            ProposalCommand::LinkFeedback { items, themes },
        ),
        (cal.on(7, "08:30"), ProposalCommand::MarkReady {}),
        (
            cal.on(7, "08:45"),
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
            &cal.papers(),
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
        &cal.on(7, "09:05"),
        PartCommand::AskAdvice {
            members: Default::default(),
        },
    ))?;
    // Met on the round, a need is met on the proposal the round decides for as well: its
    // record builds on the round's.
    meet_access(engine, &round_stream, secretary, &cal.on(7, "09:10"))?;
    pay_public_contributors(
        engine,
        &round_stream,
        &eligible,
        secretary,
        (&cal.on(7, "10:00"), &cal.on(8, "09:00")),
    )?;
    for (day, (from, basis, advice, _)) in (8..).zip(p.advice) {
        engine.handle(part(
            MemberId::new(*from),
            &cal.on(day, "12:00"),
            PartCommand::GiveAdvice {
                advice: (*advice).into(),
                bases: [*basis].into(),
            },
        ))?;
    }
    for (minute, (from, _, _, answer)) in (10..).zip(p.advice) {
        engine.handle(part(
            proposer,
            &cal.on(11, &format!("09:{minute}")),
            PartCommand::AnswerAdvice {
                member: MemberId::new(*from),
                answer: (*answer).into(),
            },
        ))?;
    }
    for (minute, &who) in (10..).zip(&eligible) {
        engine.handle(part(
            who,
            &cal.on(14, &format!("17:{minute}")),
            PartCommand::DeclareInterests { interest: None },
        ))?;
    }

    // The session: the facilitator moves the round to its objection round; each member
    // consents; the round closes and the secretary records the outcome.
    for minute in ["01", "02", "03"] {
        engine.handle(round(
            facilitator,
            &cal.on(14, &format!("18:{minute}")),
            RoundCommand::Advance {},
        ))?;
    }
    for (minute, &who) in (10..).zip(&eligible) {
        engine.handle(round(
            who,
            &cal.on(14, &format!("18:{minute}")),
            RoundCommand::Respond {
                member: who,
                response: Response::consent(),
            },
        ))?;
    }
    engine.handle(round(
        facilitator,
        &cal.on(14, "18:50"),
        RoundCommand::CloseRound {},
    ))?;
    let mut evidence = (p.evidence)(cal);
    evidence.rationale = Some(p.rationale.into());
    let alternatives = evidence.alternatives.clone().unwrap_or_default();
    engine.handle(
        round(
            secretary,
            &cal.on(14, "19:00"),
            RoundCommand::RecordOutcome {
                statement: p.outcome.into(),
                review_date: at(p.review_date),
            },
        )
        .with_evidence(evidence),
    )?;

    // Published a week later: the round's record, and the proposal with its rationale.
    let published = cal.on(21, "09:00");
    engine.handle(
        Request::new(
            round_stream.clone(),
            secretary,
            at(&published),
            ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence {
            publication: Some(Publication {
                published_at: at(&published),
                redactions: Vec::new(),
            }),
            ..Evidence::default()
        }),
    )?;
    engine.handle(proposal(
        steward,
        &cal.on(21, "09:30"),
        ProposalCommand::Publish {
            rationale: p.rationale.into(),
            alternatives,
        },
    ))?;
    Ok(engine
        .report(&round_stream, at(&cal.on(21, "10:00")))
        .expect("the round"))
}

/// Meets, by `by` at `when`, each access request the process on `stream` raised and has not
/// met yet (the needs its members declared to the community).
fn meet_access(
    engine: &StoryEngine,
    stream: &StreamId,
    by: MemberId,
    when: &str,
) -> Result<(), coproduction::Error> {
    let open: Vec<(MemberId, AccessNeedKind)> = engine
        .record(stream, at(when))
        .and_then(|r| r.access_requests)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.met_at.is_none())
        .map(|r| (r.member, r.need))
        .collect();
    for (member, need) in open {
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
    Ok(())
}

/// The adjustment made for an access need, in words.
fn adjustment(need: AccessNeedKind) -> &'static str {
    match need {
        AccessNeedKind::Captions => "Live captions in the session and on its recording",
        AccessNeedKind::PapersInAdvance => "Papers sent with the invitation, a week ahead",
        _ => "Arranged with the member before the session",
    }
}
