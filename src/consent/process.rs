//! The consent round as one of the engine's processes.

use crate::community::Community;
use crate::decision::DecisionKind;
use crate::governance::{Route, RouteFacts};
use crate::journal::StreamId;
use crate::machine::Decider;
use crate::process::{Opening, Process, ProcessKind, Projection, Reached};
use crate::values::DecisionRecord;

use super::{
    ConsentError, ConsentProcess, Ending, RoundCommand, RoundConfig, RoundEvent, RoundPhase,
    RoundState,
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

    /// The round's own record; on the route governance gave (the engine refuses a round
    /// off it), the route taken is treated at the route's tier.
    fn record(
        state: &RoundState,
        projection: &Projection<'_>,
        _: Option<DecisionRecord>,
    ) -> Option<DecisionRecord> {
        let mut record = state.round()?.record(
            projection.kind.clone(),
            projection.community,
            projection.now,
        );
        if let (Some(taken), Some(given)) = (record.route_taken.as_mut(), projection.route)
            && taken.deciding_body == given.deciding_body
            && taken.method == given.method
        {
            taken.tier = given.tier;
        }
        Some(record)
    }

    /// A round opens with the kind and facts its request names.
    fn opening(
        command: &RoundCommand,
        kind: Option<&DecisionKind>,
        facts: Option<&RouteFacts>,
    ) -> Option<Option<Opening>> {
        match command {
            RoundCommand::Open { .. } | RoundCommand::OpenOnRoute { .. } => {
                Some(kind.map(|kind| Opening {
                    kind: kind.clone(),
                    facts: facts.cloned(),
                }))
            }
            _ => None,
        }
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
        let ending = after.round().and_then(|r| r.ending());
        match (after.phase(), ending) {
            (RoundPhase::Consented, _) => Some(Reached::Consented),
            (RoundPhase::Adopted, Some(Ending::Adopted { review_date, .. })) => {
                Some(Reached::Adopted {
                    review_date: *review_date,
                })
            }
            (RoundPhase::Declined, _) => Some(Reached::Declined),
            (RoundPhase::Withdrawn, _) => Some(Reached::Withdrawn),
            (RoundPhase::Deferred | RoundPhase::BrokenDown, _) => Some(Reached::Deferred),
            (RoundPhase::Escalated, Some(Ending::Escalated { to, .. })) => {
                Some(Reached::Escalated { to: to.clone() })
            }
            _ => None,
        }
    }

    /// A round opened on its route takes its deciding body, method and eligible members from
    /// the route and the community as they stand.
    fn resolve(
        command: &RoundCommand,
        route: Option<&Route>,
        community: &Community,
    ) -> Result<Option<RoundCommand>, ConsentError> {
        let RoundCommand::OpenOnRoute {
            title,
            proposal,
            roles,
        } = command
        else {
            return Ok(None);
        };
        let route = route.ok_or(ConsentError::NoRoute)?;
        let config = RoundConfig::from_route(route, community, title, proposal, *roles)?;
        Ok(Some(RoundCommand::Open {
            config: Box::new(config),
        }))
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
