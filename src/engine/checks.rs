//! What the engine checks beyond each process's own rules: the route governance gives when
//! a process opens, and that nobody copies by hand a result the engine records itself.

use std::collections::BTreeSet;

use crate::decision::DecisionKind;
use crate::funding::{FundingCommand, route_facts};
use crate::governance::{Route, RouteFacts};
use crate::journal::{Journal, StreamId};
use crate::process::{ProcessState, Stream};
use crate::proposal::ProposalCommand;
use crate::values::RouteSummary;

use super::{Engine, EngineError, EngineEvent, Held, ProcessCommand, Request};

/// The other stream a command names, which the engine reads to check it.
pub(super) fn referenced(command: &ProcessCommand) -> BTreeSet<StreamId> {
    let named = match command {
        ProcessCommand::Proposal {
            command: ProposalCommand::RecordDecision { round, .. },
        } => Some(round.clone()),
        ProcessCommand::Funding {
            command: FundingCommand::RecordConsentRound { reference, .. },
        } => StreamId::new(reference).ok(),
        _ => None,
    };
    named.into_iter().collect()
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// A fresh stream for a request whose command starts a process, and the event that
    /// starts it: the decision's kind and the route governance gives, which the process
    /// must follow.
    pub(super) fn start(
        &self,
        request: &Request,
    ) -> Result<(Stream, EngineEvent, Option<ProcessCommand>), EngineError> {
        let id = &request.stream;
        let opening = request
            .command
            .opening(request.kind.as_ref(), request.facts.as_ref())
            .ok_or_else(|| EngineError::UnknownStream { stream: id.clone() })?
            .ok_or_else(|| EngineError::KindRequired { stream: id.clone() })?;
        let Some(process) = request.command.process() else {
            return Err(EngineError::UnknownStream { stream: id.clone() });
        };
        let route = self.route(id, &opening.kind, opening.facts)?;
        let resolved = request
            .command
            .resolve(route.as_ref(), &self.community)
            .map_err(|source| EngineError::Refused {
                stream: id.clone(),
                source,
            })?;
        if let Some(route) = &route {
            resolved
                .as_ref()
                .unwrap_or(&request.command)
                .follows(route)
                .map_err(|asked| EngineError::OffRoute {
                    stream: id.clone(),
                    kind: opening.kind.clone(),
                    asked,
                    given: format!("`{}` by {}", route.decider, route.procedure),
                })?;
        }
        let stream = Stream::new(process, opening.kind.clone());
        let started = EngineEvent::Started {
            process,
            kind: opening.kind,
            route_given: route.as_ref().and_then(Route::summary),
            decides_for: request.decides_for.clone(),
        };
        Ok((stream, started, resolved))
    }

    /// What the engine checks of a command beyond the process's own rules.
    pub(super) fn check(
        &self,
        id: &StreamId,
        stream: &Stream,
        command: &ProcessCommand,
        facts: Option<&RouteFacts>,
        held: &Held<'_>,
    ) -> Result<(), EngineError> {
        match (command, stream.process()) {
            (ProcessCommand::Proposal { command }, _) => {
                self.check_proposal(id, stream, command, facts, held)
            }
            (ProcessCommand::Funding { command }, ProcessState::Funding(state)) => {
                self.check_funding(id, state, command, held)
            }
            _ => Ok(()),
        }
    }

    /// What the engine checks of a funding command beyond the decision's own rules: the
    /// route it is screened along is the one governance gives for the offer, and a consent
    /// round it records (when the round runs in this engine) reached what it says.
    fn check_funding(
        &self,
        id: &StreamId,
        state: &crate::funding::FundingState,
        command: &FundingCommand,
        held: &Held<'_>,
    ) -> Result<(), EngineError> {
        match command {
            FundingCommand::Screen { route } => {
                let Some(decision) = state.decision() else {
                    return Ok(());
                };
                let facts = route_facts(decision.offer(), decision.policy());
                let Some(given) = self.route(id, &decision.offer().kind, Some(facts))? else {
                    return Ok(());
                };
                if given == **route {
                    Ok(())
                } else {
                    Err(EngineError::ScreenOffRoute {
                        stream: id.clone(),
                        given: describe(given.summary().as_ref()),
                    })
                }
            }
            FundingCommand::RecordConsentRound { reference, .. } => {
                match StreamId::new(reference) {
                    Ok(round) => by_hand(held, id, &round),
                    // A reference that names no stream is a record kept elsewhere.
                    Err(_) => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// The route governance gives, when the engine has a governance map.
    pub(super) fn route(
        &self,
        id: &StreamId,
        kind: &DecisionKind,
        facts: Option<RouteFacts>,
    ) -> Result<Option<Route>, EngineError> {
        let Some(governance) = &self.governance else {
            return Ok(None);
        };
        governance
            .route(kind, facts.unwrap_or_default())
            .map(Some)
            .map_err(|source| EngineError::Governance {
                stream: id.clone(),
                source,
            })
    }

    /// What the engine checks of a proposal command beyond the proposal's own rules: the
    /// route it is made ready along is the one governance gives, and a decision it records
    /// is the one its round (when the round runs in this engine) actually reached.
    fn check_proposal(
        &self,
        id: &StreamId,
        stream: &Stream,
        command: &ProposalCommand,
        facts: Option<&RouteFacts>,
        held: &Held<'_>,
    ) -> Result<(), EngineError> {
        match command {
            ProposalCommand::MarkReady { route } => {
                let given = match self.route(id, stream.kind(), facts.cloned())? {
                    Some(route) => route.summary(),
                    None => return Ok(()),
                };
                if given.as_ref() != Some(route) {
                    return Err(EngineError::OffRoute {
                        stream: id.clone(),
                        kind: stream.kind().clone(),
                        asked: describe(Some(route)),
                        given: describe(given.as_ref()),
                    });
                }
                Ok(())
            }
            ProposalCommand::RecordDecision { round, .. } => by_hand(held, id, round),
            _ => Ok(()),
        }
    }
}

/// A route as an error names it: the deciding body and its method, or (no summary) the
/// automatic decline of a red-line offer.
fn describe(route: Option<&RouteSummary>) -> String {
    route.map_or_else(
        || "an automatic decline".to_owned(),
        |r| format!("`{}` by {}", r.deciding_body, r.method),
    )
}

/// Refuses a round's result copied by hand into stream `id` when the round runs in this
/// engine, which records it itself; a round kept elsewhere is taken on the caller's word.
fn by_hand(held: &Held<'_>, id: &StreamId, round: &StreamId) -> Result<(), EngineError> {
    match held.get(round).map(|s| s.process()) {
        Some(ProcessState::Consent(_)) => Err(EngineError::RecordedByTheEngine {
            stream: id.clone(),
            round: round.clone(),
        }),
        _ => Ok(()),
    }
}
