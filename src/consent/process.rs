//! The consent round as one of the engine's processes.

use std::collections::BTreeMap;

use crate::community::Community;
use crate::community::MemberId;
use crate::decision::Method;
use crate::governance::Route;
use crate::journal::StreamId;
use crate::machine::Decider;
use crate::process::{
    Answerable, Opening, Process, ProcessKind, Projection, Reached, Requested, Witness,
};
use crate::values::DecisionRecord;

use super::{
    ConsentError, ConsentProcess, EligibleMember, Ending, RoundCommand, RoundConfig, RoundEvent,
    RoundStage, RoundState, snapshot,
};

impl Process for ConsentProcess {
    const KIND: ProcessKind = ProcessKind::Consent;

    /// Recording the outcome adopts what the round consented to.
    fn decides(event: &RoundEvent) -> bool {
        matches!(event, RoundEvent::OutcomeRecorded { .. })
    }

    fn cites(_: &RoundState) -> Option<StreamId> {
        None
    }

    /// The body the facilitator escalated the round to.
    fn escalated_to(state: &RoundState) -> Option<(crate::community::BodyId, jiff::Timestamp)> {
        match state.round()?.ending()? {
            Ending::Escalated { to, at, .. } => Some((to.clone(), *at)),
            _ => None,
        }
    }

    /// Responses awaited, advice unanswered, a time box passed (see
    /// [`AtDeadline`](super::AtDeadline)).
    fn due(state: &RoundState, now: jiff::Timestamp) -> Vec<crate::process::DueItem> {
        state
            .round()
            .map(|round| super::deadline::due(round, now))
            .unwrap_or_default()
    }

    /// The step the round's [`AtDeadline`](super::AtDeadline) chose, once a time box has
    /// passed.
    fn lapse(
        state: &RoundState,
        now: jiff::Timestamp,
    ) -> Option<(super::DeadlineStep, crate::machine::Events<RoundEvent>)> {
        let (step, events) = super::deadline::lapse(state.round()?, now)?;
        Some((step, events.into()))
    }

    /// The round's own record; on the route governance gave (the engine refuses a round
    /// off it), the route taken is treated at the route's tier.
    fn record(
        state: &RoundState,
        projection: &Projection<'_>,
        decided_for: Option<DecisionRecord>,
    ) -> Option<DecisionRecord> {
        let mut record = state.round()?.record(
            projection.kind.clone(),
            projection.community,
            projection.now,
        );
        // A round held for a piloted agreement's review decides on the pilot's evaluation:
        // as it stood when the round decided, and none if it was agreed after.
        let decided_on = record
            .dates
            .decided_at
            .map_or(projection.now, |at| at.min(projection.now));
        record.evaluation = decided_for
            .and_then(|r| r.evaluation)
            .and_then(|e| e.as_of(decided_on));
        if let (Some(taken), Some(given)) = (record.route_taken.as_mut(), projection.route)
            && taken.deciding_body == given.decider
            && given.method() == Some(taken.method)
        {
            taken.tier = Some(given.tier());
        }
        Some(record)
    }

    /// A round opens with the kind and facts its request names.
    fn opening(command: &RoundCommand, requested: &Requested<'_>) -> Option<Option<Opening>> {
        match command {
            RoundCommand::Open { .. } | RoundCommand::OpenOnRoute { .. } => {
                Some(requested.kind.map(|kind| Opening {
                    kind: kind.clone(),
                    facts: requested.facts.cloned(),
                }))
            }
            _ => None,
        }
    }

    /// The round's proposer, facilitator and secretary record what the round does not hold;
    /// its facilitator, who answers for the process, overrides, when they sit on the
    /// deciding body: whoever opens a round names its roles, and a role named does not
    /// give a member outside the body standing to set the community's values aside.
    fn answerable(state: &RoundState, _: Option<&Route>, community: &Community) -> Answerable {
        let Some(round) = state.round() else {
            return Answerable::default();
        };
        let config = round.config();
        let roles = config.roles;
        let seated = community
            .body(&config.deciding_body)
            .is_some_and(|body| body.contains(roles.facilitator));
        Answerable {
            attest: [roles.proposer, roles.facilitator, roles.secretary].into(),
            overrule: if seated {
                [roles.facilitator].into()
            } else {
                Default::default()
            },
        }
    }

    /// A round still deliberating, or consented and waiting for its outcome, is withdrawn
    /// when the matter it decides for ends without it, by the member whose request ended
    /// that matter.
    fn outlived(
        state: &RoundState,
        target: &StreamId,
        ended: &str,
        ctx: &crate::machine::Context,
    ) -> Option<crate::machine::Events<RoundEvent>> {
        if ConsentProcess::TRANSITIONS
            .finals
            .contains(&ConsentProcess::phase(state))
        {
            return None;
        }
        state.round()?;
        Some(crate::machine::Events::one(RoundEvent::Withdrawn {
            by: ctx.actor,
            reason: format!(
                "`{target}`, the matter this round decided for, ended ({ended}) while the round ran: nothing is left for it to decide"
            ),
            at: ctx.now,
        }))
    }

    /// Only an event that ends a stage of the round can settle what it decides for; the
    /// round is previewed (a copy) only then, so a response costs what it touches.
    fn reached<'a>(
        state: &RoundState,
        events: impl Iterator<Item = &'a RoundEvent> + Clone,
    ) -> Option<Reached> {
        let settles = |e: &RoundEvent| {
            matches!(
                e,
                RoundEvent::RoundClosed { .. }
                    | RoundEvent::Decided { .. }
                    | RoundEvent::OutcomeRecorded { .. }
                    | RoundEvent::Withdrawn { .. }
                    | RoundEvent::Deferred { .. }
                    | RoundEvent::Escalated { .. }
                    | RoundEvent::BrokenDown { .. }
            )
        };
        if !events.clone().any(settles) {
            return None;
        }
        let after = events.fold(state.clone(), ConsentProcess::evolve);
        if after.phase() == state.phase() {
            return None;
        }
        // The stage says what was reached: a round ended holds the ending that says how.
        match after.round()?.stage() {
            RoundStage::Deliberating(_) => None,
            RoundStage::Consented(_) => Some(Reached::Consented),
            RoundStage::Ended(end) => Some(match end.ending() {
                Ending::Adopted { review_date, .. } => Reached::Adopted {
                    review_date: *review_date,
                },
                Ending::Declined { .. } => Reached::Declined,
                Ending::Withdrawn { .. } => Reached::Withdrawn,
                Ending::Deferred { .. } | Ending::BrokenDown { .. } => Reached::Deferred,
                Ending::Escalated { to, .. } => Reached::Escalated { to: to.clone() },
            }),
        }
    }

    /// A round opened on its route takes its deciding body, method and eligible members from
    /// the route and the community as they stand, less those who stepped out of the process
    /// it decides for.
    fn resolve(
        command: &RoundCommand,
        witness: &Witness<'_>,
    ) -> Result<Option<RoundCommand>, ConsentError> {
        let RoundCommand::OpenOnRoute {
            title,
            proposal,
            roles,
        } = command
        else {
            return Ok(None);
        };
        let route = witness.route.ok_or(ConsentError::NoRoute)?;
        let mut config =
            RoundConfig::from_route(route, witness.community, title, proposal, *roles)?;
        config
            .eligible
            .retain(|m| !witness.recused.contains(&m.member));
        Ok(Some(RoundCommand::Open {
            config: Box::new(config),
        }))
    }

    /// Who is eligible, and with which lived experience, is the community's to say: the
    /// members the route seats (the deciding body's, or for an advice process the consulted
    /// bodies'), as the community records them, less those who stepped out of the process
    /// decided for. Without a route, the deciding body's members; an advice process's
    /// advisers are then only checked to be members, as recorded.
    fn witnessed(command: &RoundCommand, witness: &Witness<'_>) -> Result<(), String> {
        let RoundCommand::Open { config } = command else {
            return Ok(());
        };
        let community = witness.community;
        seated(config, witness)?;
        let expected = match witness.route {
            Some(route) => {
                let roles = config.roles;
                RoundConfig::from_route(route, community, "", "", roles)
                    .map_err(|e| e.to_string())?
                    .eligible
            }
            None if config.method == Method::AdviceProcess => {
                for seat in &config.eligible {
                    match community.member(seat.member) {
                        None => {
                            return Err(format!("member {} is not in the community", seat.member));
                        }
                        Some(m) if m.lived_experience != seat.lived_experience => {
                            return Err(lived(seat.member, m.lived_experience));
                        }
                        Some(_) => {}
                    }
                }
                return Ok(());
            }
            None => snapshot(community, &config.deciding_body).map_err(|e| e.to_string())?,
        };
        let expected: BTreeMap<MemberId, bool> = expected
            .into_iter()
            .filter(|m| !witness.recused.contains(&m.member))
            .map(|m| (m.member, m.lived_experience))
            .collect();
        let mut given: Vec<&EligibleMember> = config.eligible.iter().collect();
        given.sort_by_key(|m| m.member);
        for seat in &given {
            match expected.get(&seat.member) {
                None if witness.recused.contains(&seat.member) => {
                    return Err(format!(
                        "member {} stepped out of the decision this round is for",
                        seat.member
                    ));
                }
                None => {
                    return Err(format!(
                        "member {} is not among those the route seats from `{}`",
                        seat.member, config.deciding_body
                    ));
                }
                Some(recorded) if *recorded != seat.lived_experience => {
                    return Err(lived(seat.member, *recorded));
                }
                Some(_) => {}
            }
        }
        if let Some(left_out) = expected
            .keys()
            .find(|m| given.binary_search_by_key(*m, |g| g.member).is_err())
        {
            return Err(format!("member {left_out} is left out"));
        }
        Ok(())
    }

    /// A round is held by the deciding body, by the method, that the route names.
    fn follows(command: &RoundCommand, route: &Route) -> Result<(), String> {
        match command {
            RoundCommand::Open { config }
                if route.decider != config.deciding_body
                    || route.method() != Some(config.method) =>
            {
                Err(format!("`{}` by {}", config.deciding_body, config.method))
            }
            _ => Ok(()),
        }
    }
}

/// The people a round names besides its eligible members are the community's: each role is
/// held by a member; a proposer who decides alone (an advice process, a delegated decision)
/// sits on the deciding body and has not stepped out of the decision the round is for; a
/// supporter who may respond for a member is a member other than them, for a member who
/// is eligible.
fn seated(config: &RoundConfig, witness: &Witness<'_>) -> Result<(), String> {
    let community = witness.community;
    let roles = config.roles;
    for (role, member) in [
        ("proposer", roles.proposer),
        ("facilitator", roles.facilitator),
        ("secretary", roles.secretary),
    ] {
        if community.member(member).is_none() {
            return Err(format!(
                "the round's {role}, member {member}, is not in the community"
            ));
        }
    }
    if let Some(decider) = config.accountable_decider() {
        if !community
            .body(&config.deciding_body)
            .is_some_and(|body| body.contains(decider))
        {
            return Err(format!(
                "member {decider} would decide alone as the round's proposer, but does not sit on `{}`",
                config.deciding_body
            ));
        }
        if witness.recused.contains(&decider) {
            return Err(format!(
                "member {decider} would decide alone as the round's proposer, but stepped out of the decision this round is for"
            ));
        }
    }
    for (supported, supporters) in &config.supporters {
        if !config.eligible.iter().any(|m| m.member == *supported) {
            return Err(format!(
                "member {supported} is given supporters but is not eligible in the round"
            ));
        }
        if let Some(supporter) = supporters
            .iter()
            .find(|s| **s == *supported || community.member(**s).is_none())
        {
            return Err(format!(
                "member {supporter} cannot support member {supported}: a supporter is another member of the community"
            ));
        }
    }
    Ok(())
}

/// A lived-experience difference, as the engine names it.
fn lived(member: MemberId, recorded: bool) -> String {
    let says = if recorded {
        "records"
    } else {
        "does not record"
    };
    format!("the community {says} lived experience for member {member}; the round says otherwise")
}
