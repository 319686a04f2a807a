//! The engine's wire messages: requests in, events out.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::consent::{RoundCommand, RoundEvent};
use crate::decision::DecisionKind;
use crate::funding::{FundingCommand, FundingEvent};
use crate::governance::RouteFacts;
use crate::journal::StreamId;
use crate::proposal::{ProposalCommand, ProposalEvent};
use crate::values::{DecisionRecord, RouteSummary};

/// The kinds of process the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProcessKind {
    /// A consent round (or another method run as a round).
    Consent,
    /// A proposal's lifecycle.
    Proposal,
    /// A funding or partnership decision.
    Funding,
}

/// A command for one kind of process.
///
/// JSON: `{"process": "consent", "command": {"type": "advance"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "process", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ProcessCommand {
    /// A command to a consent round.
    Consent {
        /// The command.
        command: RoundCommand,
    },
    /// A command to a proposal.
    Proposal {
        /// The command.
        command: ProposalCommand,
    },
    /// A command to a funding or partnership decision.
    Funding {
        /// The command.
        command: FundingCommand,
    },
    /// Only record the request's evidence for the stream's decision, whatever its process and
    /// phase: a publication, a declaration made late, an override given after a refusal.
    Evidence {},
}

impl ProcessCommand {
    /// The kind of process the command is for; `None` for evidence, which any process takes.
    pub fn process(&self) -> Option<ProcessKind> {
        match self {
            ProcessCommand::Consent { .. } => Some(ProcessKind::Consent),
            ProcessCommand::Proposal { .. } => Some(ProcessKind::Proposal),
            ProcessCommand::Funding { .. } => Some(ProcessKind::Funding),
            ProcessCommand::Evidence {} => None,
        }
    }
}

/// One request to the engine.
///
/// JSON: `{"stream": "...", "actor": 3, "now": "2022-09-01T10:00:00Z", "command": {...}}`,
/// with `kind` and `facts` when the request opens a process, and `evidence` when it decides.
/// Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The process the request is for.
    pub stream: StreamId,
    /// Who acts.
    pub actor: MemberId,
    /// When.
    pub now: Timestamp,
    /// What the decision is about; required when the request opens a process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DecisionKind>,
    /// The facts governance routes on (amount, risk, red line, institutional policy), when
    /// the request opens a process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<RouteFacts>,
    /// The command.
    pub command: ProcessCommand,
    /// Evidence the process does not hold (payments offered, conflicts declared, the
    /// alternatives considered, overrides and acknowledgements...), for the value gate. It is
    /// journalled, so the record and its reports can be rebuilt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<DecisionRecord>,
}

impl Request {
    /// A request without kind, facts or evidence.
    pub fn new(stream: StreamId, actor: MemberId, now: Timestamp, command: ProcessCommand) -> Self {
        Self {
            stream,
            actor,
            now,
            kind: None,
            facts: None,
            command,
            evidence: None,
        }
    }

    /// Names the decision's kind (needed when opening).
    #[must_use]
    pub fn with_kind(mut self, kind: DecisionKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Gives the facts governance routes on.
    #[must_use]
    pub fn with_facts(mut self, facts: RouteFacts) -> Self {
        self.facts = Some(facts);
        self
    }

    /// Attaches evidence for the value gate.
    #[must_use]
    pub fn with_evidence(mut self, evidence: DecisionRecord) -> Self {
        self.evidence = Some(evidence);
        self
    }
}

/// What the engine journals.
///
/// JSON: internally tagged, `{"type": "consent", "event": {"type": "opened", ...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum EngineEvent {
    /// A process started on this stream.
    Started {
        /// Which kind of process.
        process: ProcessKind,
        /// What the decision is about.
        kind: DecisionKind,
        /// The route governance gave, if the engine has a governance map.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        route_given: Option<RouteSummary>,
    },
    /// Evidence was recorded for the decision.
    EvidenceRecorded {
        /// The evidence.
        evidence: Box<DecisionRecord>,
    },
    /// A consent round's event.
    Consent {
        /// The event.
        event: RoundEvent,
    },
    /// A proposal's event.
    Proposal {
        /// The event.
        event: ProposalEvent,
    },
    /// A funding or partnership decision's event.
    Funding {
        /// The event.
        event: FundingEvent,
    },
}
