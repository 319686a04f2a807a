//! Who decides what, and a change to it: in September 2021 the whole community, by consent,
//! adopts a governance map that gives recruitment to the decision circle and makes the staff
//! team's everyday decisions delegated ones that must publish their basis, with the funding
//! policy the March session asked for (red lines, tiers, who is consulted). In the autumn
//! of 2022 the first wave of co-producers is appointed on the new route. Each decision's
//! gate names the map it was routed by, so a record from before the change still cites the
//! founding map.

use std::collections::BTreeSet;

use coproduction::community::{
    AccessNeed, AccessNeedKind, Body, BodyId, BodyKind, Member, MemberId, Role,
};
use coproduction::consent::RoundRoles;
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::funding::FundingPolicy;
use coproduction::governance::RouteFacts;
use coproduction::governance::{Conditions, Edge, Governance, GovernanceMap, Procedure, Route};
use coproduction::journal::{Hash, StreamId};
use coproduction::living::{CommunityChange, governance_hash};
use coproduction::values::{AdviceBasis, Evidence, RecruitmentFacts, ValueReport};

use super::StoryEngine;
use super::cocreation::HOW_WE_DECIDE_ID;
use super::deciding::{Calendar, Proposed, decide, draft};
use super::{
    FIRST_WAVE, FIRST_WAVE_PROPOSAL, FUNDING, HOW_WE_DECIDE, HOW_WE_DECIDE_PROPOSAL, SECOND_WAVE,
    SECOND_WAVE_PROPOSAL, TEAM, TEAM_PROPOSAL, at, round_evidence, show,
};
use coproduction::cocreation::{ItemId, ProposalId, ThemeId};

/// The advert for the first wave of co-producers: open from 22 September to 6 October 2022.
pub const CO_PRODUCERS_ADVERT: (&str, &str) = ("2022-09-22T09:00:00Z", "2022-10-06T17:00:00Z");

/// When the second wave's advert opened and closed.
pub const SECOND_WAVE_ADVERT: (&str, &str) = ("2023-09-25T09:00:00Z", "2023-10-09T17:00:00Z");

/// When the new map and the funding policy take effect: the start of October 2021.
pub const NEW_MAP_FROM: &str = "2021-10-01T00:00:00Z";

/// The governance decision: the whole community consents to a map that gives recruitment to
/// the decision circle and delegates everyday decisions to the staff team, and to the
/// funding policy, on the route `founding` (the map the journal was founded with) gives a
/// governance decision. Returns the round's report.
pub(super) fn how_we_decide(
    engine: &StoryEngine,
    founding: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    println!(
        "  The March session asked that offers be decided in the open, with red lines and with\n  \
         the community; the April post said the staff team's decisions behind the scenes\n  \
         needed a published basis; and whoever is recruited speaks for the community. A\n  \
         co-producer proposes: recruitment decided by the decision circle by consent, the\n  \
         staff team advising; everyday decisions delegated to the staff team, each with its\n  \
         rationale and the values that guided it published; and a funding policy for offers\n  \
         of money and partnership."
    );
    let route = founding.route(&DecisionKind::Governance, RouteFacts::new())?;
    println!("  Route of a governance decision: {}", route_line(&route));
    // The seed map's funding and partnership routes (red lines, tiers, the circle from
    // tier 2, the community consulted from tier 1), without the associate-roles team, not
    // formed until 2022.
    let map = new_map(&without_team(&seed_map()?)?)?;
    let p = Proposed {
        proposal: HOW_WE_DECIDE_PROPOSAL,
        round: HOW_WE_DECIDE,
        id: HOW_WE_DECIDE_ID,
        kind: DecisionKind::Governance,
        title: "How we decide: who decides what, and how offers are decided",
        text: "The decision circle decides recruitment by consent; the staff team and the \
               Allies Group advise. Everyday decisions are delegated to the staff team, who \
               publish each one's rationale and the values that guided it. Offers of funding \
               and partnership follow the funding policy: red lines, tiers, due diligence, \
               the community consulted from tier 1, and from tier 2 the decision circle \
               deciding by consent.",
        // The whole community may object to the standing agreement.
        members: engine.community().members().map(|m| m.id).collect(),
        changes: vec![
            CommunityChange::Governance { map },
            CommunityChange::FundingPolicy {
                policy: Box::new(FundingPolicy::seed()),
            },
        ],
        // From the start of October, so that no process opened in September changes
        // hands while the new map is announced.
        effective_from: Some(NEW_MAP_FROM),
        roles: RoundRoles {
            proposer: MemberId::new(13),
            facilitator: MemberId::new(16),
            secretary: MemberId::new(3),
        },
        feedback: (
            (1..=4).map(ItemId::new).collect(),
            (1..=3).map(ThemeId::new).collect(),
        ),
        advice: &[
            (
                5,
                AdviceBasis::LivedExperience,
                "Every recruitment panel should seat someone with lived experience",
                "The circle seats a member with lived experience on every panel",
            ),
            (
                8,
                AdviceBasis::Expertise,
                "Keep a quick way to cover a colleague's absence",
                "Cover for an absence of up to three months stays an everyday decision",
            ),
            (
                3,
                AdviceBasis::Affected,
                "Staff still run adverts and interviews; the circle decides on the panel's choice",
                "The staff team runs the process; the circle decides on the panel's choice",
            ),
        ],
        stepping_out: &[],
        calendar: Calendar::new("2021-09-06", "2021-09-20", "2021-09-27", "2021-10-04")?,
        evidence: |cal: Calendar| {
            round_evidence(
                &[
                    "Keep recruitment with the staff team, publishing each rationale",
                    "Give every decision to the whole community",
                ],
                &cal.papers_at(),
                &cal.session_at(),
            )
        },
        rationale: "Recruitment decides who speaks for the community, so a mixed circle decides \
                    it in the open; the staff team keeps everyday decisions, with their basis \
                    published; offers follow a policy the community agreed.",
        outcome: "From 1 October: recruitment by the decision circle; everyday decisions \
                  delegated to the staff team, basis published; the funding policy in force.",
        review_date: "2022-09-27T00:00:00Z",
    };
    draft(engine, &p)?;
    let report = decide(engine, &route, p)?;
    show(&report);
    let in_force = in_force(engine);
    for (kind, facts) in [
        (DecisionKind::Recruitment, RouteFacts::new()),
        (DecisionKind::Operational, RouteFacts::new()),
        (DecisionKind::Funding, RouteFacts::new().risk(Tier::Two)),
    ] {
        println!(
            "  {kind}: before, {}\n  {:width$}  from 1 October, {}",
            route_line(&founding.route(&kind, facts)?),
            "",
            route_line(&in_force.route(&kind, facts)?),
            width = kind.to_string().len()
        );
    }
    println!(
        "  The whole community consented on {}; the new map and the funding policy, journalled\n  \
         in the same batch as the adoption, took effect on {}: governance map\n  {} -> {}.",
        super::decided_on(engine, HOW_WE_DECIDE),
        &NEW_MAP_FROM[..10],
        governance_hash(founding.map()),
        governance_hash(in_force.map())
    );
    Ok(report)
}

/// When the associate-roles team, and the routes that name it, take effect: 1 May 2022.
pub const TEAM_FROM: &str = "2022-05-01T00:00:00Z";

/// Spring 2022: the whole community, by consent, forms the associate-roles co-production
/// team (two co-producers who have worked on the idea from the start and a staff member)
/// and gives it the working model to decide, and a voice on recruitment and on offers, on
/// the route the map in force gives a governance decision. The three it names declare
/// their interest and step out. Returns the round's report.
pub(super) fn associate_roles_team(
    engine: &StoryEngine,
) -> Result<ValueReport, coproduction::Error> {
    let route = in_force(engine).route(&DecisionKind::Governance, RouteFacts::new())?;
    println!(
        "  To meet the demand for co-production, the community explores freelance roles for\n  \
         co-producers. A staff member proposes a co-production team for the work: two\n  \
         co-producers who have shaped the idea from the start, and a staff member; it would\n  \
         decide the working model by consent, and advise on recruitment and on offers."
    );
    println!("  Route of a governance decision: {}", route_line(&route));
    let team = Body::new(
        BodyId::new("associate_roles_team")?,
        "Associate roles co-production team",
        BodyKind::ProjectTeam,
    )
    .with_members([13, 14, 1].map(MemberId::new));
    let p = Proposed {
        proposal: TEAM_PROPOSAL,
        round: TEAM,
        id: ProposalId::new(4),
        kind: DecisionKind::Governance,
        title: "Form the associate-roles co-production team",
        text: "Form the associate-roles co-production team: Co-producer 1, Co-producer 2 and \
               Staff member 1. It decides the working model for freelance co-producer roles \
               by consent, the staff team and the Allies Group advising and the whole \
               community consulted; it advises on recruitment and on offers of funding and \
               partnership.",
        members: engine.community().members().map(|m| m.id).collect(),
        changes: vec![
            CommunityChange::FormBody { body: team },
            CommunityChange::Governance {
                map: new_map(&seed_map()?)?,
            },
        ],
        effective_from: Some(TEAM_FROM),
        roles: RoundRoles {
            proposer: MemberId::new(3),
            facilitator: MemberId::new(2),
            secretary: MemberId::new(4),
        },
        feedback: (vec![ItemId::new(3)], vec![ThemeId::new(3)]),
        advice: &[
            (
                5,
                AdviceBasis::LivedExperience,
                "Make sure the team can grow: more co-producers should join it",
                "The first recruitment of co-producers will join the team",
            ),
            (
                8,
                AdviceBasis::Expertise,
                "Say what the team decides and what it only advises on",
                "The map names the working model as the team's; recruitment and offers stay with the circle",
            ),
            (
                3,
                AdviceBasis::Affected,
                "Give the team project management support",
                "Two staff colleagues support the team's project management",
            ),
        ],
        // The three it names are members of the whole community that decides: each declares
        // the interest and steps out.
        stepping_out: &[
            (
                1,
                "Named in the team this forms",
                "Does not decide on a team they are named in",
            ),
            (
                13,
                "Named in the team this forms",
                "Does not decide on a team they are named in",
            ),
            (
                14,
                "Named in the team this forms",
                "Does not decide on a team they are named in",
            ),
        ],
        calendar: Calendar::new("2022-03-21", "2022-04-04", "2022-04-11", "2022-04-19")?,
        evidence: |cal: Calendar| {
            round_evidence(
                &[
                    "Run the work within the staff team, asking the community at each step",
                    "Decide the working model by the whole community",
                ],
                &cal.papers_at(),
                &cal.session_at(),
            )
        },
        rationale: "Co-producers shape the roles they will take; a small team decides the \
                    working model by consent, with the community consulted, while offers and \
                    recruitment stay where the community put them.",
        outcome: "From 1 May: the associate-roles co-production team is formed and decides the \
                  working model; it advises on recruitment and on offers.",
        review_date: "2023-04-11T00:00:00Z",
    };
    draft(engine, &p)?;
    let report = decide(engine, &route, p)?;
    show(&report);
    let working_model = in_force(engine).route(&DecisionKind::WorkingModel, RouteFacts::new())?;
    println!(
        "  Adopted on {}; from {}, the working model: {}",
        super::decided_on(engine, TEAM),
        &TEAM_FROM[..10],
        route_line(&working_model)
    );
    Ok(report)
}

/// The first wave of co-producers, appointed in October 2022 after an open advert, on the
/// route the map in force gives, which differs from the one `founding` gave. Returns the
/// round's report.
pub(super) fn first_wave(
    engine: &StoryEngine,
    founding: &Governance,
) -> Result<ValueReport, coproduction::Error> {
    let in_force = in_force(engine);
    let before = founding.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let after = in_force.route(&DecisionKind::Recruitment, RouteFacts::new())?;
    println!("  Recruitment by the founding map: {}", route_line(&before));
    println!("  Recruitment by the map in force: {}", route_line(&after));
    let newcomers: Vec<MemberId> = (29..=31).map(MemberId::new).collect();
    let mut changes: Vec<CommunityChange> = newcomers
        .iter()
        .zip(3..)
        .map(|(&id, n)| {
            let mut member = Member::new(id, format!("Co-producer {n}"))
                .with_role(Role::CommunityMember)
                .with_role(Role::CoProducer)
                .with_lived_experience();
            if n == 5 {
                member = member.with_access_need(AccessNeed::new(AccessNeedKind::EasyRead));
            }
            CommunityChange::Join { member }
        })
        .collect();
    changes.push(CommunityChange::Appoint {
        body: BodyId::new("associate_roles_team")?,
        members: newcomers.clone(),
    });
    let p = Proposed {
        proposal: FIRST_WAVE_PROPOSAL,
        round: FIRST_WAVE,
        id: ProposalId::new(5),
        kind: DecisionKind::Recruitment,
        title: "Appoint the first wave of co-producers",
        text: "Appoint the three applicants the panel chose as freelance co-producers in the \
               associate-roles team, welcomed from 17 October; later waves to follow.",
        // The team they join may object to the standing agreement.
        members: [MemberId::new(14)].into(),
        changes,
        effective_from: Some("2022-10-17T09:00:00Z"),
        roles: RoundRoles {
            proposer: MemberId::new(1),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(14),
        },
        feedback: (
            vec![ItemId::new(10), ItemId::new(11), ItemId::new(18)],
            vec![ThemeId::new(5)],
        ),
        advice: &[
            (
                14,
                AdviceBasis::Affected,
                "Ask each new co-producer which parts of the work they want to lead",
                "Each chooses a part of the work at the first group session",
            ),
            (
                5,
                AdviceBasis::LivedExperience,
                "Pair each new co-producer with one who has done the work",
                "Each is paired with Co-producer 1 or 2",
            ),
            (
                4,
                AdviceBasis::Expertise,
                "Set up contracts and payment before the first group session",
                "Contracts and payment are in place before the session at the end of October",
            ),
        ],
        stepping_out: &[],
        calendar: Calendar::new("2022-09-15", "2022-10-07", "2022-10-14", "2022-10-21")?,
        evidence: |cal: Calendar| {
            // The update of mid-September published the process and what the role asks.
            advertised(
                cal,
                &[
                    "Invite people we already know",
                    "Wait until the pilot starts",
                ],
                CO_PRODUCERS_ADVERT,
                "2022-09-15T09:00:00Z",
            )
        },
        rationale: "The panel's choice, after an open advert and open conversations, on the \
                    circle's consent and with the advice of those they join.",
        outcome: "Three co-producers join the associate-roles team, welcomed from 17 October; \
                  the first group session is at the end of October.",
        review_date: "2023-04-14T00:00:00Z",
    };
    println!(
        "  {}: the recruitment update is published with the application process and what the\n  \
         role asks (a draft appointment, open for questions); the advert opens {} and closes\n  \
         {}, with open conversations in early October before the panel chooses.",
        &Calendar::on(p.calendar.drafted, 0, "09:00")[..10],
        &CO_PRODUCERS_ADVERT.0[..10],
        &CO_PRODUCERS_ADVERT.1[..10],
    );
    draft(engine, &p)?;
    let report = decide(engine, &after, p)?;
    show(&report);
    println!(
        "{} Later waves are to follow.",
        team_grown(engine, FIRST_WAVE, "2022-10-17T09:00:00Z", "17 October")?
    );
    // The gates name the map each decision was routed by: the one in force when its
    // process opened, whatever came after.
    println!("  Each decision's gate names the map its process opened under:");
    for (label, stream) in [
        ("The Allies Group rebalanced (June 2021)", super::ALLIES),
        ("The foundation's offer (November 2021)", FUNDING),
        ("The first wave appointed (October 2022)", FIRST_WAVE),
    ] {
        println!(
            "  {label:<42} routed by governance map {}",
            routed_by(engine, stream)?.map_or_else(|| "none".to_owned(), |h| h.to_string())
        );
    }
    Ok(report)
}

/// The second wave, from the autumn of 2023, as the reassessment asked: two members of
/// the community who took part in the pilot's projects take the role (their roles change;
/// they keep their names), and a newcomer joins; all three join the associate-roles team
/// from 30 October. Decided on the same route as the first, after an open advert. Returns
/// the round's report.
pub(super) fn second_wave(engine: &StoryEngine) -> Result<ValueReport, coproduction::Error> {
    let route = in_force(engine).route(&DecisionKind::Recruitment, RouteFacts::new())?;
    let newcomer = MemberId::new(32);
    let members = [MemberId::new(16), MemberId::new(18)];
    let co_producer: BTreeSet<Role> = [Role::CommunityMember, Role::CoProducer].into();
    let mut changes: Vec<CommunityChange> = members
        .iter()
        .map(|&member| CommunityChange::Roles {
            member,
            roles: co_producer.clone(),
        })
        .collect();
    changes.push(CommunityChange::Join {
        member: Member::new(newcomer, "Co-producer 6")
            .with_role(Role::CommunityMember)
            .with_role(Role::CoProducer)
            .with_lived_experience(),
    });
    changes.push(CommunityChange::Appoint {
        body: BodyId::new("associate_roles_team")?,
        members: vec![members[0], members[1], newcomer],
    });
    let p = Proposed {
        proposal: SECOND_WAVE_PROPOSAL,
        round: SECOND_WAVE,
        id: ProposalId::new(6),
        kind: DecisionKind::Recruitment,
        title: "Appoint the second wave of co-producers",
        text: "Appoint the three applicants the panel chose, two of them members of the \
               community who worked on the pilot's projects, as freelance co-producers in the \
               associate-roles team, welcomed from 30 October.",
        members: [MemberId::new(14)].into(),
        changes,
        effective_from: Some("2023-10-30T09:00:00Z"),
        roles: RoundRoles {
            proposer: MemberId::new(1),
            facilitator: MemberId::new(13),
            secretary: MemberId::new(14),
        },
        feedback: (vec![ItemId::new(10)], vec![ThemeId::new(5)]),
        advice: &[
            (
                29,
                AdviceBasis::LivedExperience,
                "Tell members in the projects that the role is open to them",
                "The advert went to every project team first, then to the community",
            ),
            (
                5,
                AdviceBasis::LivedExperience,
                "Keep the voice-note way to apply: it is how most of the first wave applied",
                "The three ways to apply stay",
            ),
            (
                4,
                AdviceBasis::Expertise,
                "Budget the pairing with an experienced co-producer from the start",
                "Each new co-producer is paired, paid from the core budget",
            ),
        ],
        // The two members of the community it appoints sit in the deciding circle: each
        // declares the interest and steps out, and the rest of the circle decides.
        stepping_out: &[
            (
                16,
                "Applied for the role and is one of the three this appoints",
                "Does not decide on their own appointment",
            ),
            (
                18,
                "Applied for the role and is one of the three this appoints",
                "Does not decide on their own appointment",
            ),
        ],
        calendar: Calendar::new("2023-09-18", "2023-10-13", "2023-10-20", "2023-10-27")?,
        evidence: |cal: Calendar| {
            advertised(
                cal,
                &["Wait a year", "Appoint from the pilot's projects only"],
                SECOND_WAVE_ADVERT,
                "2023-09-18T09:00:00Z",
            )
        },
        rationale: "The pilot's evaluation found the roles worked for those who took them; \
                    members of the community who worked on its projects asked to take them on.",
        outcome: "Three co-producers join the associate-roles team from 30 October, two of \
                  them members of the community already.",
        review_date: "2024-04-30T00:00:00Z",
    };
    println!(
        "  2023-09-18: the reassessment asked for a second wave: the process is published; the \
         advert\n  opens {} and closes {}, first to the pilot's project teams.",
        &SECOND_WAVE_ADVERT.0[..10],
        &SECOND_WAVE_ADVERT.1[..10],
    );
    draft(engine, &p)?;
    let report = decide(engine, &route, p)?;
    show(&report);
    println!(
        "{}",
        team_grown(engine, SECOND_WAVE, "2023-10-30T09:00:00Z", "30 October")?
    );
    Ok(report)
}

/// A recruitment's evidence for the calendar's dates: the alternatives weighed, the advert
/// open from `advert.0` to `advert.1` with three ways to apply, its criteria published at
/// `criteria_at`, a panel on which two bring lived experience.
fn advertised(
    cal: Calendar,
    alternatives: &[&str],
    advert: (&str, &str),
    criteria_at: &str,
) -> Evidence {
    let mut evidence = round_evidence(alternatives, &cal.papers_at(), &cal.session_at());
    evidence.recruitment = Some(RecruitmentFacts {
        advert_opened_at: Some(at(advert.0)),
        advert_closed_at: Some(at(advert.1)),
        ways_to_apply: [
            "written form",
            "voice note",
            "a conversation by phone or video",
        ]
        .map(String::from)
        .into(),
        criteria_published_at: Some(at(criteria_at)),
        panel_with_lived_experience: Some(2),
    });
    evidence
}

/// The associate-roles team's make-up from `from` (written `day`), when a wave appointed by
/// the round on `stream` joined it, against just before.
fn team_grown(
    engine: &StoryEngine,
    stream: &str,
    from: &str,
    day: &str,
) -> Result<String, coproduction::Error> {
    let team = BodyId::new("associate_roles_team")?;
    let joined = at(from);
    let community_at = |t: jiff::Timestamp| {
        engine
            .community_at(t)
            .expect("the community at any time of the story")
    };
    let (then, now) = (
        community_at(joined - jiff::SignedDuration::from_secs(1)),
        community_at(joined),
    );
    Ok(format!(
        "  Adopted on {}; from {day} the associate-roles team has {} members ({} before), {} \
         with lived experience.",
        super::decided_on(engine, stream),
        now.figures(&team)?.size,
        then.figures(&team)?.size,
        now.figures(&team)?.lived_experience,
    ))
}

/// The governance map in force today.
pub(super) fn in_force(engine: &StoryEngine) -> std::sync::Arc<Governance> {
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
/// staff team's advice process (the staff team joins the bodies whose advice the circle
/// must answer), and everyday decisions delegated to the staff team rather than taken by
/// its advice process. Every other edge is as it was.
fn new_map(map: &GovernanceMap) -> Result<GovernanceMap, coproduction::Error> {
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
            Edge::Decides {
                kind: DecisionKind::Operational,
                body,
                when,
                ..
            } => Edge::Decides {
                body: body.clone(),
                kind: DecisionKind::Operational,
                method: Procedure::Method(Method::Delegated),
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

/// The seed community's governance map (`examples/data/governance.json`): who decides what
/// once the community had changed it, with the associate-roles team.
pub(super) fn seed_map() -> Result<GovernanceMap, coproduction::Error> {
    Ok(serde_json::from_str(include_str!(
        "../../data/governance.json"
    ))?)
}

/// `map` without the associate-roles team: without the edges that name it, and without the
/// working model, which only it decides.
fn without_team(map: &GovernanceMap) -> Result<GovernanceMap, coproduction::Error> {
    let team = BodyId::new("associate_roles_team")?;
    let mut changed = GovernanceMap::with_amount_bands(map.amount_bands());
    for kind in map.kinds().filter(|k| **k != DecisionKind::WorkingModel) {
        changed.add_kind(kind.clone());
    }
    for edge in map.edges() {
        let names_team = match edge {
            Edge::Decides { body, kind, .. }
            | Edge::Advises { body, kind, .. }
            | Edge::Consulted { body, kind, .. }
            | Edge::Informed { body, kind, .. } => {
                *body == team || *kind == DecisionKind::WorkingModel
            }
            Edge::EscalatesTo { from, to, .. } => *from == team || *to == team,
            _ => false,
        };
        if !names_team {
            changed.add_edge(edge.clone());
        }
    }
    for (body, members) in map.overriders() {
        if *body != team {
            changed.set_override_by(body.clone(), members.clone());
        }
    }
    Ok(changed)
}

/// Who decides, how, and whom they consult first, in a line.
pub(super) fn route_line(route: &Route) -> String {
    let consult: Vec<&str> = route.consult.iter().map(|c| c.body.as_str()).collect();
    format!(
        "{} decides by {}; consult first: {}",
        route.decider,
        route.procedure,
        if consult.is_empty() {
            "nobody".to_owned()
        } else {
            consult.join(", ")
        }
    )
}
