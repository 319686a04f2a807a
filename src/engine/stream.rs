//! One stream's process, what the engine keeps beside it, and its decision record.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::community::Community;
use crate::consent::{ConsentProcess, RoundState};
use crate::decision::DecisionKind;
use crate::funding::{FundingProcess, FundingState};
use crate::journal::StreamId;
use crate::machine::Decider;
use crate::proposal::{ProposalProcess, ProposalState};
use crate::values::{DecisionRecord, RouteSummary};

use super::{EngineEvent, ProcessKind};

/// The state of one process.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ProcessState {
    /// A consent round (or another method run as a round).
    Consent(RoundState),
    /// A proposal.
    Proposal(ProposalState),
    /// A funding or partnership decision.
    Funding(FundingState),
}

impl ProcessState {
    pub(super) fn new(kind: ProcessKind) -> Self {
        match kind {
            ProcessKind::Consent => ProcessState::Consent(RoundState::NotOpened),
            ProcessKind::Proposal => ProcessState::Proposal(ProposalState::NotCreated),
            ProcessKind::Funding => ProcessState::Funding(FundingState::NotIdentified),
        }
    }

    /// The kind of process.
    pub fn kind(&self) -> ProcessKind {
        match self {
            ProcessState::Consent(_) => ProcessKind::Consent,
            ProcessState::Proposal(_) => ProcessKind::Proposal,
            ProcessState::Funding(_) => ProcessKind::Funding,
        }
    }

    /// The phase label of the process.
    pub fn phase_label(&self) -> &'static str {
        match self {
            ProcessState::Consent(s) => crate::machine::Phase::label(s.phase()),
            ProcessState::Proposal(s) => crate::machine::Phase::label(s.phase()),
            ProcessState::Funding(s) => crate::machine::Phase::label(s.phase()),
        }
    }
}

/// One stream's process and what the engine keeps beside it.
#[derive(Debug, Clone)]
pub(super) struct Stream {
    pub(super) version: u64,
    pub(super) kind: DecisionKind,
    pub(super) route_given: Option<RouteSummary>,
    pub(super) evidence: Option<DecisionRecord>,
    pub(super) process: ProcessState,
}

impl Stream {
    pub(super) fn new(process: ProcessKind, kind: DecisionKind) -> Self {
        Stream {
            version: 0,
            kind,
            route_given: None,
            evidence: None,
            process: ProcessState::new(process),
        }
    }

    pub(super) fn apply(&mut self, event: &EngineEvent) {
        match (event, &mut self.process) {
            (
                EngineEvent::Started {
                    kind,
                    route_given,
                    process,
                },
                state,
            ) => {
                self.kind = kind.clone();
                self.route_given.clone_from(route_given);
                if state.kind() != *process {
                    *state = ProcessState::new(*process);
                }
            }
            (EngineEvent::EvidenceRecorded { evidence }, _) => {
                merge_evidence(&mut self.evidence, evidence);
            }
            (EngineEvent::Consent { event }, ProcessState::Consent(state)) => {
                *state = ConsentProcess::evolve(std::mem::take(state), event);
            }
            (EngineEvent::Proposal { event }, ProcessState::Proposal(state)) => {
                *state = ProposalProcess::evolve(std::mem::take(state), event);
            }
            (EngineEvent::Funding { event }, ProcessState::Funding(state)) => {
                *state = FundingProcess::evolve(std::mem::take(state), event);
            }
            // An event of another process is never appended to this stream (the engine
            // checks the process of every command); evolving stays total by ignoring it.
            _ => {}
        }
    }
}

/// Takes `newer` evidence into what a stream holds: the newer wins where both say something,
/// the older fills the gaps.
pub(crate) fn merge_evidence(held: &mut Option<DecisionRecord>, newer: &DecisionRecord) {
    let mut merged = newer.clone();
    if let Some(older) = held.take() {
        merged.supplement(older);
    }
    *held = Some(merged);
}

/// The decision record of stream `id` as of `now`, as [`Engine::record`] gives it.
pub(super) fn record_of(
    streams: &BTreeMap<StreamId, Stream>,
    id: &StreamId,
    community: &Community,
    now: Timestamp,
) -> Option<DecisionRecord> {
    record_with(streams, id, streams.get(id)?, community, now)
}

/// The decision record of stream `id` in the state `stream` (the stored one, or a preview
/// of it after a command), with the rounds it cites read from `streams`.
pub(super) fn record_with(
    streams: &BTreeMap<StreamId, Stream>,
    id: &StreamId,
    stream: &Stream,
    community: &Community,
    now: Timestamp,
) -> Option<DecisionRecord> {
    let mut record = match &stream.process {
        ProcessState::Consent(state) => state.round()?.record(stream.kind.clone(), community, now),
        ProcessState::Proposal(state) => {
            let proposal = state.proposal()?;
            // A proposal's record builds on the record of the round that decided it, when
            // that round runs in this engine.
            let round = proposal
                .adopting_round()
                .map(|(round, _)| round)
                .or_else(|| proposal.current_round().map(|r| &r.round))
                .filter(|round| *round != id)
                .and_then(|round| record_of(streams, round, community, now));
            proposal.record(round, now)
        }
        ProcessState::Funding(state) => {
            let decision = state.decision()?;
            let mut record = decision.record(community, now);
            // The consent round the deciding body held, when it runs in this engine, adds
            // what it holds: the objections and their dispositions, the absence policy. What
            // was decided, when, why and along which route is the funding decision's to say:
            // a round that consented has not accepted the offer.
            let round = decision
                .consent_round()
                .and_then(|r| StreamId::new(&r.reference).ok())
                .filter(|round| round != id)
                .and_then(|round| record_of(streams, &round, community, now));
            if let Some(mut round) = round {
                round.outcome = None;
                round.dates.decided_at = None;
                round.rationale = None;
                round.route_taken = None;
                record.supplement(round);
            }
            record
        }
    };
    if record.route_given.is_none() {
        record.route_given.clone_from(&stream.route_given);
    }
    if let Some(evidence) = &stream.evidence {
        record.supplement(evidence.clone());
    }
    Some(record)
}
