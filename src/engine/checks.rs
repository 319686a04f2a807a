//! What the engine checks beyond each process's own rules: the route governance gives, and
//! that a decision recorded from a round is the one the round reached.

use std::collections::BTreeMap;

use crate::consent::{RoundCommand, RoundPhase};
use crate::decision::DecisionKind;
use crate::funding::{FundingCommand, FundingState, route_facts};
use crate::governance::{Route, RouteFacts};
use crate::journal::{Journal, StreamId};
use crate::proposal::ProposalCommand;
use crate::values::{Outcome, RouteSummary};

use super::{Engine, EngineError, EngineEvent, ProcessCommand, ProcessKind, ProcessState, Stream};

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// A fresh stream for a command that starts a process: its kind, and the route
    /// governance gives, which a consent round must follow.
    pub(super) fn start(
        &self,
        id: &StreamId,
        kind: Option<DecisionKind>,
        facts: Option<RouteFacts>,
        command: &ProcessCommand,
    ) -> Result<Stream, EngineError> {
        match command {
            ProcessCommand::Consent {
                command: RoundCommand::Open { config },
            } => {
                let kind = kind.ok_or_else(|| EngineError::KindRequired { stream: id.clone() })?;
                let mut stream = Stream::new(ProcessKind::Consent, kind.clone());
                if let Some(route) = self.route(id, &kind, facts)? {
                    if route.decider != config.deciding_body
                        || route.method() != Some(config.method)
                    {
                        return Err(EngineError::OffRoute {
                            stream: id.clone(),
                            kind,
                            asked: format!("`{}` by {}", config.deciding_body, config.method),
                            given: format!("`{}` by {}", route.decider, route.procedure),
                        });
                    }
                    stream.route_given = route.summary();
                }
                Ok(stream)
            }
            ProcessCommand::Proposal {
                command: ProposalCommand::Create { config },
            } => {
                let kind = config.kind.clone();
                let mut stream = Stream::new(ProcessKind::Proposal, kind.clone());
                if let Some(route) = self.route(id, &kind, facts)? {
                    stream.route_given = route.summary();
                }
                Ok(stream)
            }
            ProcessCommand::Funding {
                command: FundingCommand::Identify { offer, policy },
            } => {
                // A funding decision is routed on its offer's own facts, whatever the
                // request says: the amount, the risks' tier, the red-line screen.
                let kind = offer.kind.clone();
                let mut stream = Stream::new(ProcessKind::Funding, kind.clone());
                if let Some(route) = self.route(id, &kind, Some(route_facts(offer, policy)))? {
                    stream.route_given = route.summary();
                }
                Ok(stream)
            }
            _ => Err(EngineError::UnknownStream { stream: id.clone() }),
        }
    }

    /// What the engine checks of a funding command beyond the decision's own rules: the
    /// route it is screened along is the one governance gives for the offer, and a consent
    /// round it records (when the round runs in this engine) reached what it says.
    pub(super) fn check_funding(
        &self,
        streams: &BTreeMap<StreamId, Stream>,
        id: &StreamId,
        state: &FundingState,
        command: &FundingCommand,
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
            FundingCommand::RecordConsentRound {
                reference,
                consented,
            } => match StreamId::new(reference) {
                Ok(round) => round_agrees(streams, id, &round, |reached| {
                    reached
                        .outcome()
                        .is_some_and(|o| (o == Outcome::Adopted) == *consented)
                }),
                // A reference that names no stream is a record kept elsewhere.
                Err(_) => Ok(()),
            },
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
    pub(super) fn check_proposal(
        &self,
        streams: &BTreeMap<StreamId, Stream>,
        id: &StreamId,
        stream: &Stream,
        command: &ProposalCommand,
        facts: Option<RouteFacts>,
    ) -> Result<(), EngineError> {
        match command {
            ProposalCommand::MarkReady { route } => {
                let given = match self.route(id, &stream.kind, facts)? {
                    Some(route) => route.summary(),
                    None => return Ok(()),
                };
                if given.as_ref() != Some(route) {
                    return Err(EngineError::OffRoute {
                        stream: id.clone(),
                        kind: stream.kind.clone(),
                        asked: describe(Some(route)),
                        given: describe(given.as_ref()),
                    });
                }
                Ok(())
            }
            ProposalCommand::RecordDecision { round, result } => {
                round_agrees(streams, id, round, |reached| {
                    reached.outcome() == Some(result.outcome())
                })
            }
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

/// Whether the consent round on stream `round`, when it runs in this engine, reached what
/// stream `id` records of it; a round elsewhere is taken on trust.
fn round_agrees(
    streams: &BTreeMap<StreamId, Stream>,
    id: &StreamId,
    round: &StreamId,
    agrees: impl Fn(RoundPhase) -> bool,
) -> Result<(), EngineError> {
    let Some(Stream {
        process: ProcessState::Consent(state),
        ..
    }) = streams.get(round)
    else {
        return Ok(());
    };
    let reached = state.phase();
    if agrees(reached) {
        Ok(())
    } else {
        Err(EngineError::RoundDisagrees {
            stream: id.clone(),
            round: round.clone(),
            phase: reached,
        })
    }
}
