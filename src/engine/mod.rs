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

mod checks;
mod error;
mod request;
mod stream;

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use jiff::Timestamp;

use crate::cocreation::CoCreation;
use crate::community::Community;
use crate::consent::{ConsentProcess, RoundEvent, RoundPhase, RoundState};
use crate::decision::DecisionKind;
use crate::funding::{FundingEvent, FundingPhase, FundingProcess};
use crate::governance::Governance;
use crate::journal::{Envelope, Journal, NewEvent, StreamId};
use crate::machine::{Context, Decider};
use crate::metrics::Metrics;
use crate::proposal::{DecisionResult, ProposalEvent, ProposalPhase, ProposalProcess};
use crate::values::{Charter, DecisionRecord, ValueReport};

pub use error::EngineError;
pub use request::{EngineEvent, ProcessCommand, ProcessKind, Request};
pub use stream::ProcessState;

pub(crate) use stream::merge_evidence;
use stream::{Stream, record_of, record_with};

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

    /// Handles one request: start the stream (routed by governance) or find it, decide by
    /// the process's own rules, check what the engine adds to them (the route governance
    /// gives, the round a decision cites), gate a decided state on the charter, append,
    /// evolve. Returns the envelopes written.
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
            // The machine's own rules first; what the engine checks beyond them (the route
            // governance gives, the round a decision cites) only of a command they take.
            (ProcessCommand::Proposal { command }, ProcessState::Proposal(state)) => {
                let events = ProposalProcess::decide(state, command, &ctx).map_err(|source| {
                    EngineError::ProposalRefused {
                        stream: id.clone(),
                        source,
                    }
                })?;
                self.check_proposal(&streams, &id, &stream, command, facts)?;
                events
                    .into_iter()
                    .map(|event| EngineEvent::Proposal { event })
                    .collect()
            }
            (ProcessCommand::Funding { command }, ProcessState::Funding(state)) => {
                let events = FundingProcess::decide(state, command, &ctx).map_err(|source| {
                    EngineError::FundingRefused {
                        stream: id.clone(),
                        source,
                    }
                })?;
                self.check_funding(&streams, &id, state, command)?;
                events
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
            let mut after = stream.clone();
            if let Some(evidence) = &evidence {
                after.apply(&EngineEvent::EvidenceRecorded {
                    evidence: Box::new(evidence.clone()),
                });
            }
            for event in &events {
                after.apply(event);
            }
            let record = record_with(&streams, &id, &after, &self.community, now)
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
