//! The embeddable decision engine: requests in, journalled events out.
//!
//! An [`Engine`] holds the community, its governance map, its value charter and a
//! [`Journal`]. Each [`Request`] names a stream (one decision process), the acting member,
//! the time, and a command. The engine
//!
//! 1. **authorises** the actor: they must be a member of the community (the process itself
//!    checks the role each command needs);
//! 2. **routes** a process when it opens: the decision's kind (and facts, such as the amount)
//!    go to governance, and a round whose deciding body or method differs from the route is
//!    refused; a funding decision is routed on its offer's own facts, and must be screened
//!    along that route;
//! 3. runs the process's **`decide`**;
//! 4. runs the **value gate** when the events would move the process to a decided state (a
//!    round's outcome, a proposal's adoption, a funding offer's acceptance):
//!    the process's own record, supplemented with the evidence the request carries, is checked
//!    against the charter; a refused gate writes nothing;
//! 5. **appends** the events to the journal with the stream's expected sequence number;
//! 6. **evolves** the process.
//!
//! A refused request changes nothing: not the journal, not the engine's state. Opening an
//! engine on an existing journal replays it. The engine is `Send + Sync`: share it across
//! threads behind an `Arc`; requests are applied one at a time.
//!
//! Requests and events have a stable JSON shape, so a tool in any language can drive the
//! engine (the `coproduction` command-line tool does, with the `cli` feature):
//!
//! ```json
//! {"stream": "working-model", "actor": 13, "now": "2022-09-01T10:32:00Z",
//!  "command": {"process": "consent", "command": {"type": "respond", "member": 13,
//!              "response": {"type": "consent"}}}}
//! ```
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
//! use coproduction::consent::{RoundCommand, RoundConfig, RoundPhase, RoundRoles};
//! use coproduction::engine::{Engine, ProcessCommand, Request};
//! use coproduction::journal::{MemoryJournal, StreamId};
//! use coproduction::values::Charter;
//!
//! let mut community = Community::new();
//! for n in 1..=3 {
//!     community.add_member(Member::new(MemberId::new(n), format!("Co-producer {n}")).with_role(Role::CoProducer))?;
//! }
//! let team = BodyId::new("project_team")?;
//! community.add_body(Body::new(team.clone(), "Project team", BodyKind::ProjectTeam).with_members((1..=3).map(MemberId::new)))?;
//!
//! let roles = RoundRoles { proposer: MemberId::new(1), facilitator: MemberId::new(2), secretary: MemberId::new(3) };
//! let config = RoundConfig::consent(&community, &team, "Meet monthly", "Meet on the first Monday.", roles)?;
//! let engine = Engine::open(community, None, Charter::default(), MemoryJournal::new())?;
//!
//! let stream = StreamId::new("meetings")?;
//! let open = Request::new(stream.clone(), MemberId::new(1), "2022-01-10T10:00:00Z".parse()?,
//!     ProcessCommand::Consent { command: RoundCommand::Open { config: Box::new(config) } })
//!     .with_kind(coproduction::decision::DecisionKind::Operational);
//! let written = engine.handle(open)?;
//! assert_eq!(written.len(), 2); // the process started, the round opened
//! assert_eq!(engine.phase(&stream), Some(RoundPhase::Presented));
//!
//! // The same request again is refused, and nothing is written.
//! let again = engine.handle_json(r#"{"stream": "meetings", "actor": 2, "now": "2022-01-10T10:05:00Z",
//!     "command": {"process": "consent", "command": {"type": "close_round"}}}"#);
//! assert!(again.is_err());
//! assert_eq!(engine.phase(&stream), Some(RoundPhase::Presented));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod request;

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use jiff::Timestamp;

use crate::cocreation::CoCreation;
use crate::community::{Community, MemberId};
use crate::consent::{
    ConsentError, ConsentProcess, RoundCommand, RoundEvent, RoundPhase, RoundState,
};
use crate::decision::DecisionKind;
use crate::funding::{
    FundingCommand, FundingError, FundingEvent, FundingPhase, FundingProcess, FundingState,
    route_facts,
};
use crate::governance::{Governance, GovernanceError, Route, RouteFacts};
use crate::journal::{Envelope, Journal, JournalError, NewEvent, StreamId};
use crate::machine::{Context, Decider};
use crate::metrics::Metrics;
use crate::proposal::{
    DecisionResult, ProposalCommand, ProposalError, ProposalEvent, ProposalPhase, ProposalProcess,
    ProposalState,
};
use crate::values::{Charter, DecisionRecord, GateRefusal, RouteSummary, ValueReport};

pub use request::{EngineEvent, ProcessCommand, ProcessKind, Request};

/// Why the engine refused a request. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The request could not be read.
    #[error("cannot read the request: {message}")]
    Json {
        /// What was wrong, with the line and column.
        message: String,
    },
    /// The actor is not a member of the community.
    #[error("member {actor} is not in the community and cannot act on stream `{stream}`")]
    UnknownActor {
        /// The actor.
        actor: MemberId,
        /// The stream.
        stream: StreamId,
    },
    /// The stream has no process yet, and the command does not start one.
    #[error("stream `{stream}` has no process yet: its first command must open one")]
    UnknownStream {
        /// The stream.
        stream: StreamId,
    },
    /// The request starts a process but does not say what kind of decision it is.
    #[error("stream `{stream}`: a request that opens a process must name the decision's kind")]
    KindRequired {
        /// The stream.
        stream: StreamId,
    },
    /// The round's deciding body or method is not the one governance gives.
    #[error(
        "stream `{stream}`: governance routes this {kind} decision to {given}, but the round asks {asked}"
    )]
    OffRoute {
        /// The stream.
        stream: StreamId,
        /// The decision's kind.
        kind: DecisionKind,
        /// The body and method the round names, as "`body` by method".
        asked: String,
        /// The body and method governance gives, likewise.
        given: String,
    },
    /// Governance could not route the decision.
    #[error("stream `{stream}`: {source}")]
    Governance {
        /// The stream.
        stream: StreamId,
        /// Why.
        source: GovernanceError,
    },
    /// The process refused the command.
    #[error("stream `{stream}`: {source}")]
    Refused {
        /// The stream.
        stream: StreamId,
        /// The process's reason.
        source: ConsentError,
    },
    /// A proposal refused the command.
    #[error("stream `{stream}`: {source}")]
    ProposalRefused {
        /// The stream.
        stream: StreamId,
        /// The proposal's reason.
        source: ProposalError,
    },
    /// A funding or partnership decision refused the command.
    #[error("stream `{stream}`: {source}")]
    FundingRefused {
        /// The stream.
        stream: StreamId,
        /// The funding decision's reason.
        source: FundingError,
    },
    /// A funding decision is screened along another route than governance gives for its
    /// offer.
    #[error(
        "stream `{stream}`: the screen names a route other than governance's for this offer: {given}"
    )]
    ScreenOffRoute {
        /// The stream.
        stream: StreamId,
        /// The route governance gives, as "`body` by method" (or an automatic decline).
        given: String,
    },
    /// An evidence request carries no evidence.
    #[error("stream `{stream}`: an evidence request must carry `evidence`")]
    EvidenceRequired {
        /// The stream.
        stream: StreamId,
    },
    /// The command is for another kind of process than the stream runs.
    #[error("stream `{stream}` runs a {process:?} process; the command is for another kind")]
    WrongProcess {
        /// The stream.
        stream: StreamId,
        /// The process the stream runs.
        process: ProcessKind,
    },
    /// A proposal records a decision its round did not reach.
    #[error("stream `{stream}`: the round `{round}` is in phase `{}`, which is not the decision recorded", crate::machine::Phase::label(*phase))]
    RoundDisagrees {
        /// The proposal's stream.
        stream: StreamId,
        /// The round's stream.
        round: StreamId,
        /// The phase the round is in.
        phase: RoundPhase,
    },
    /// The value gate refused a decided transition.
    #[error("stream `{stream}`: {source}")]
    Gate {
        /// The stream.
        stream: StreamId,
        /// The unmet findings.
        source: GateRefusal,
    },
    /// The journal refused or failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Another thread panicked while holding the engine.
    #[error("the engine's state lock is poisoned: a thread panicked while handling a request")]
    Poisoned,
}

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
    fn new(kind: ProcessKind) -> Self {
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
struct Stream {
    version: u64,
    kind: DecisionKind,
    route_given: Option<RouteSummary>,
    evidence: Option<DecisionRecord>,
    process: ProcessState,
}

impl Stream {
    fn new(process: ProcessKind, kind: DecisionKind) -> Self {
        Stream {
            version: 0,
            kind,
            route_given: None,
            evidence: None,
            process: ProcessState::new(process),
        }
    }

    fn apply(&mut self, event: &EngineEvent) {
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
                let mut newer = (**evidence).clone();
                if let Some(older) = self.evidence.take() {
                    newer.supplement(older);
                }
                self.evidence = Some(newer);
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

/// The decision record of stream `id` as of `now`, as [`Engine::record`] gives it.
fn record_of(
    streams: &BTreeMap<StreamId, Stream>,
    id: &StreamId,
    community: &Community,
    now: Timestamp,
) -> Option<DecisionRecord> {
    let stream = streams.get(id)?;
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
            // what it holds: the objections and their dispositions, the absence policy.
            let round = decision
                .consent_round()
                .and_then(|r| StreamId::new(&r.reference).ok())
                .filter(|round| round != id)
                .and_then(|round| record_of(streams, &round, community, now));
            if let Some(round) = round {
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

/// The decision engine. See the [module guide](self).
pub struct Engine<J> {
    community: Community,
    governance: Option<Governance>,
    charter: Charter,
    journal: J,
    streams: Mutex<BTreeMap<StreamId, Stream>>,
}

impl<J> std::fmt::Debug for Engine<J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("members", &self.community.members().len())
            .field("governance", &self.governance.is_some())
            .finish_non_exhaustive()
    }
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// Opens an engine on `journal`, replaying every event it holds.
    ///
    /// `governance` is optional: without it, processes are not routed and the value-check's
    /// route rule (T7) has no route to compare with.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] if the journal cannot be read.
    pub fn open(
        community: Community,
        governance: Option<Governance>,
        charter: Charter,
        journal: J,
    ) -> Result<Self, EngineError> {
        let mut streams: BTreeMap<StreamId, Stream> = BTreeMap::new();
        for envelope in journal.read_all()? {
            let stream = streams
                .entry(envelope.stream.clone())
                .or_insert_with(|| Stream {
                    version: 0,
                    kind: DecisionKind::Operational,
                    route_given: None,
                    evidence: None,
                    process: ProcessState::Consent(RoundState::NotOpened),
                });
            stream.apply(&envelope.event);
            stream.version = envelope.seq;
        }
        Ok(Self {
            community,
            governance,
            charter,
            journal,
            streams: Mutex::new(streams),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, BTreeMap<StreamId, Stream>>, EngineError> {
        self.streams.lock().map_err(|_| EngineError::Poisoned)
    }

    /// Reads a request from JSON (unknown fields refused) and handles it.
    ///
    /// # Errors
    ///
    /// [`EngineError::Json`] if the request cannot be read; otherwise as [`Engine::handle`].
    pub fn handle_json(&self, json: &str) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let request: Request = serde_json::from_str(json).map_err(|e| EngineError::Json {
            message: e.to_string(),
        })?;
        self.handle(request)
    }

    /// Handles one request: authorise, route, decide, gate, append, evolve. Returns the
    /// envelopes written.
    ///
    /// # Errors
    ///
    /// Any [`EngineError`]; a refused request writes nothing and changes nothing.
    pub fn handle(&self, request: Request) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let Request {
            stream: id,
            actor,
            now,
            kind,
            facts,
            command,
            evidence,
        } = request;
        if self.community.member(actor).is_none() {
            return Err(EngineError::UnknownActor { actor, stream: id });
        }
        let ctx = Context::new(actor, now);
        let mut streams = self.lock()?;

        let Some(process) = command.process() else {
            // Evidence alone: journalled for the stream's decision, nothing decided.
            let stream = streams
                .get_mut(&id)
                .ok_or_else(|| EngineError::UnknownStream { stream: id.clone() })?;
            let evidence =
                evidence.ok_or_else(|| EngineError::EvidenceRequired { stream: id.clone() })?;
            let batch = vec![NewEvent::new(
                actor,
                now,
                EngineEvent::EvidenceRecorded {
                    evidence: Box::new(evidence),
                },
            )];
            let written = self.journal.append(&id, stream.version, batch)?;
            for envelope in &written {
                stream.apply(&envelope.event);
                stream.version = envelope.seq;
            }
            return Ok(written);
        };

        // The stream as it is, or a fresh one when the command starts a process.
        let mut started = None;
        let stream = match streams.get(&id) {
            Some(stream) => {
                if stream.process.kind() != process {
                    return Err(EngineError::WrongProcess {
                        stream: id,
                        process: stream.process.kind(),
                    });
                }
                stream.clone()
            }
            None => {
                let fresh = self.start(&id, kind, facts, &command)?;
                started = Some(EngineEvent::Started {
                    process,
                    kind: fresh.kind.clone(),
                    route_given: fresh.route_given.clone(),
                });
                fresh
            }
        };

        let events: Vec<EngineEvent> = match (&command, &stream.process) {
            (ProcessCommand::Consent { command }, ProcessState::Consent(state)) => {
                ConsentProcess::decide(state, command, &ctx)
                    .map_err(|source| EngineError::Refused {
                        stream: id.clone(),
                        source,
                    })?
                    .into_iter()
                    .map(|event| EngineEvent::Consent { event })
                    .collect()
            }
            (ProcessCommand::Proposal { command }, ProcessState::Proposal(state)) => {
                self.check_proposal(&streams, &id, &stream, command, facts)?;
                ProposalProcess::decide(state, command, &ctx)
                    .map_err(|source| EngineError::ProposalRefused {
                        stream: id.clone(),
                        source,
                    })?
                    .into_iter()
                    .map(|event| EngineEvent::Proposal { event })
                    .collect()
            }
            (ProcessCommand::Funding { command }, ProcessState::Funding(state)) => {
                self.check_funding(&streams, &id, state, command)?;
                FundingProcess::decide(state, command, &ctx)
                    .map_err(|source| EngineError::FundingRefused {
                        stream: id.clone(),
                        source,
                    })?
                    .into_iter()
                    .map(|event| EngineEvent::Funding { event })
                    .collect()
            }
            _ => {
                return Err(EngineError::WrongProcess {
                    stream: id,
                    process: stream.process.kind(),
                });
            }
        };

        // The value gate, before a decided state, on the record as it will be after the
        // transition: a copy of the stream takes the evidence and the events first.
        if events.iter().any(decides) {
            let mut preview = streams.clone();
            let after = preview.entry(id.clone()).or_insert_with(|| stream.clone());
            if let Some(evidence) = &evidence {
                after.apply(&EngineEvent::EvidenceRecorded {
                    evidence: Box::new(evidence.clone()),
                });
            }
            for event in &events {
                after.apply(event);
            }
            let record = record_of(&preview, &id, &self.community, now)
                .ok_or_else(|| EngineError::UnknownStream { stream: id.clone() })?;
            self.charter
                .gate(&record)
                .map_err(|source| EngineError::Gate {
                    stream: id.clone(),
                    source,
                })?;
        }

        let mut batch = Vec::with_capacity(events.len() + 2);
        batch.extend(started);
        if let Some(evidence) = evidence {
            batch.push(EngineEvent::EvidenceRecorded {
                evidence: Box::new(evidence),
            });
        }
        batch.extend(events);
        let batch = batch
            .into_iter()
            .map(|e| NewEvent::new(actor, now, e))
            .collect();
        let written = self.journal.append(&id, stream.version, batch)?;

        let entry = streams.entry(id).or_insert(stream);
        for envelope in &written {
            entry.apply(&envelope.event);
            entry.version = envelope.seq;
        }
        Ok(written)
    }

    /// A fresh stream for a command that starts a process: its kind, and the route
    /// governance gives, which a consent round must follow.
    fn start(
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
    fn check_funding(
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
                        given: given.summary().map_or_else(
                            || "an automatic decline".to_owned(),
                            |g| format!("`{}` by {}", g.deciding_body, g.method),
                        ),
                    })
                }
            }
            FundingCommand::RecordConsentRound {
                reference,
                consented,
            } => match StreamId::new(reference) {
                Ok(round) => round_agrees(streams, id, &round, |reached| {
                    if *consented {
                        matches!(reached, RoundPhase::Adopted | RoundPhase::Consented)
                    } else {
                        matches!(
                            reached,
                            RoundPhase::Declined
                                | RoundPhase::Withdrawn
                                | RoundPhase::Deferred
                                | RoundPhase::Escalated
                                | RoundPhase::BrokenDown
                        )
                    }
                }),
                // A reference that names no stream is a record kept elsewhere.
                Err(_) => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The route governance gives, when the engine has a governance map.
    fn route(
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
                        asked: format!("`{}` by {}", route.deciding_body, route.method),
                        given: given.map_or_else(
                            || "an automatic decline".to_owned(),
                            |g| format!("`{}` by {}", g.deciding_body, g.method),
                        ),
                    });
                }
                Ok(())
            }
            ProposalCommand::RecordDecision { round, result } => {
                round_agrees(streams, id, round, |reached| match result {
                    DecisionResult::Adopted { .. } => {
                        matches!(reached, RoundPhase::Adopted | RoundPhase::Consented)
                    }
                    DecisionResult::Declined {} => reached == RoundPhase::Declined,
                    DecisionResult::Withdrawn {} => reached == RoundPhase::Withdrawn,
                    DecisionResult::Escalated { .. } => {
                        matches!(reached, RoundPhase::Escalated | RoundPhase::BrokenDown)
                    }
                    DecisionResult::Deferred {} => reached == RoundPhase::Deferred,
                })
            }
            _ => Ok(()),
        }
    }

    /// The streams the engine knows, in order.
    pub fn streams(&self) -> Vec<StreamId> {
        self.lock()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The state of a stream's process.
    pub fn state(&self, stream: &StreamId) -> Option<ProcessState> {
        self.lock().ok()?.get(stream).map(|s| s.process.clone())
    }

    /// The phase of a stream's consent round.
    pub fn phase(&self, stream: &StreamId) -> Option<RoundPhase> {
        match &self.lock().ok()?.get(stream)?.process {
            ProcessState::Consent(state) => Some(state.phase()),
            _ => None,
        }
    }

    /// The phase of a stream's proposal.
    pub fn proposal_phase(&self, stream: &StreamId) -> Option<ProposalPhase> {
        match &self.lock().ok()?.get(stream)?.process {
            ProcessState::Proposal(state) => Some(state.phase()),
            _ => None,
        }
    }

    /// The phase of a stream's funding or partnership decision.
    pub fn funding_phase(&self, stream: &StreamId) -> Option<FundingPhase> {
        match &self.lock().ok()?.get(stream)?.process {
            ProcessState::Funding(state) => Some(state.phase()),
            _ => None,
        }
    }

    /// The decision record of a stream as of `now`: the process's projection (a proposal's
    /// builds on the record of the round that decided it), the route governance gave, and
    /// the evidence recorded with its requests.
    pub fn record(&self, stream: &StreamId, now: Timestamp) -> Option<DecisionRecord> {
        let streams = self.lock().ok()?;
        record_of(&streams, stream, &self.community, now)
    }

    /// The value report of a stream's decision as of `now`.
    pub fn report(&self, stream: &StreamId, now: Timestamp) -> Option<ValueReport> {
        Some(self.charter.check(&self.record(stream, now)?))
    }

    /// The impact metrics of every decision in the journal (see [`Metrics`]), with feedback
    /// figures from `cocreation` when given.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] if the journal cannot be read.
    pub fn metrics(&self, cocreation: Option<&CoCreation>) -> Result<Metrics, EngineError> {
        let envelopes = self.journal.read_all()?;
        Ok(Metrics::from_journal(
            &envelopes,
            &self.community,
            &self.charter,
            cocreation,
        ))
    }

    /// The journal.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// The community.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// The charter.
    pub fn charter(&self) -> &Charter {
        &self.charter
    }
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

/// Whether an event moves its process to a decided state, where the value gate runs first.
fn decides(event: &EngineEvent) -> bool {
    match event {
        EngineEvent::Consent { event } => matches!(event, RoundEvent::OutcomeRecorded { .. }),
        EngineEvent::Proposal { event } => matches!(
            event,
            ProposalEvent::DecisionRecorded {
                result: DecisionResult::Adopted { .. },
                ..
            }
        ),
        EngineEvent::Funding {
            event: FundingEvent::Decided { outcome, .. },
        } => outcome.accepts(),
        _ => false,
    }
}
