//! A request to the engine: who acts on which stream, when, and with which command.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::decision::DecisionKind;
use crate::engine::EngineError;
use crate::governance::RouteFacts;
use crate::journal::StreamId;
use crate::limits::{self, InputError};
use crate::process::ProcessCommand;
use crate::values::{Charter, Evidence};

/// One request to the engine.
///
/// JSON: `{"stream": "...", "actor": 3, "now": "2022-09-01T10:00:00Z", "command": {...}}`,
/// with `kind` and `facts` when the request opens a process (and `decides_for` or
/// `escalated_from` when it is held for or takes up another; with `decides_for` an offer,
/// `proposes`), and `evidence` when it decides.
/// Unknown fields are refused.
#[serde_with::skip_serializing_none]
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
    pub kind: Option<DecisionKind>,
    /// The facts governance routes on (amount, risk, red line, institutional policy), when
    /// the request opens a process.
    pub facts: Option<RouteFacts>,
    /// The process the one this request opens decides for (a round held for a proposal or
    /// a funding decision): when the round ends, the engine records what it reached there,
    /// in the same atomic batch. Only a consent round decides for another process, and it
    /// is brought, as its actor and its proposer, by one who runs that process or sits on
    /// the body its route gives the decision
    /// ([`EngineError::RoundNotTheirs`](crate::engine::EngineError::RoundNotTheirs)).
    pub decides_for: Option<StreamId>,
    /// What a round held for a funding or partnership decision (`decides_for` an offer)
    /// proposes for it: to accept the offer or to decline it. Journalled with the round's
    /// start and in the round's result the engine records on the offer, it binds the
    /// offer's decision to what the round reached: what it consented to is taken, and what
    /// it did not consent to is not
    /// ([`FundingError::AgainstRound`](crate::funding::FundingError::AgainstRound)). Required
    /// on such a round
    /// ([`EngineError::ProposesMissing`](crate::engine::EngineError::ProposesMissing)), and
    /// refused on any other request ([`EngineError::ProposesNothing`](crate::engine::EngineError::ProposesNothing)).
    pub proposes: Option<crate::funding::RoundProposes>,
    /// The escalated process the one this request opens takes up, in the body it was
    /// escalated to: the engine routes the new process to that body and journals, with its
    /// start, what the escalated one hands on (its stream, outcome and objections).
    pub escalated_from: Option<StreamId>,
    /// The command.
    pub command: ProcessCommand,
    /// Evidence no process step witnesses (the alternatives considered, the papers' date,
    /// the funder's conditions...), and overrides and acknowledgements, for the value gate,
    /// attested by the actor. It is journalled with the actor and the time, so the record
    /// and its reports can be rebuilt and show who attested what.
    pub evidence: Option<Evidence>,
}

impl Request {
    /// Reads a request from its JSON, as [`Engine::handle_json`](crate::engine::Engine::handle_json)
    /// does: the line's length first, then a strict read (no unknown fields, no positional
    /// arrays), with errors that quote the request only in short. Its texts are checked
    /// when it is handled.
    ///
    /// # Errors
    ///
    /// [`EngineError::Json`] for JSON that is not a request, [`EngineError::Input`] for a
    /// line over the limit.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::engine::Request;
    ///
    /// let request = Request::from_json(r#"{"stream": "working-model", "actor": 13,
    ///     "now": "2022-09-01T10:05:00Z", "command": {"process": "consent", "command": {"type": "advance"}}}"#)?;
    /// assert_eq!(request.now.to_string(), "2022-09-01T10:05:00Z");
    /// assert!(Request::from_json(r#"["working-model", 13]"#).is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Request, EngineError> {
        limits::check_line(json)?;
        limits::from_json(json).map_err(|e| match e {
            InputError::Json { message } => EngineError::Json { message },
            other => EngineError::Input(other),
        })
    }

    /// A request without kind, facts or evidence. The command is a [`ProcessCommand`] or
    /// any process's own command (a `RoundCommand`, say), which converts into one.
    pub fn new(
        stream: StreamId,
        actor: MemberId,
        now: Timestamp,
        command: impl Into<ProcessCommand>,
    ) -> Self {
        Self {
            stream,
            actor,
            now,
            kind: None,
            facts: None,
            decides_for: None,
            proposes: None,
            escalated_from: None,
            command: command.into(),
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

    /// Names the process the one this request opens decides for.
    #[must_use]
    pub fn deciding_for(mut self, stream: StreamId) -> Self {
        self.decides_for = Some(stream);
        self
    }

    /// Names what the round this request opens, held for a funding or partnership
    /// decision, proposes for it.
    #[must_use]
    pub fn proposing(mut self, proposes: crate::funding::RoundProposes) -> Self {
        self.proposes = Some(proposes);
        self
    }

    /// Names the escalated process the one this request opens takes up.
    #[must_use]
    pub fn taking_up(mut self, escalated: StreamId) -> Self {
        self.escalated_from = Some(escalated);
        self
    }

    /// Checks every string the request carries (in its command and its evidence) against
    /// its field's limit ([`limits`](crate::limits)): what [`Engine::handle`] does first, so a
    /// request over a limit is refused before anything is read or written.
    ///
    /// [`Engine::handle`]: crate::engine::Engine::handle
    ///
    /// # Errors
    ///
    /// [`InputError::TextTooLong`] naming the first field over its limit by its JSON path
    /// (`command.command.response.comment`), with its length and the limit.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::consent::{Response, RoundCommand};
    /// use coproduction::engine::Request;
    /// use coproduction::journal::StreamId;
    /// use coproduction::limits::{InputError, NOTE_CHARS};
    ///
    /// let comment = "Glad to see it. ".repeat(300); // 4,800 characters
    /// let respond = RoundCommand::Respond {
    ///     member: MemberId::new(4),
    ///     response: Response::Consent { comment: Some(comment) },
    /// };
    /// let request = Request::new(StreamId::new("meetings")?, MemberId::new(4), "2022-01-10T10:00:00Z".parse()?, respond);
    /// assert_eq!(
    ///     request.check_limits(),
    ///     Err(InputError::TextTooLong {
    ///         path: "command.command.response.comment".into(),
    ///         chars: 4_800,
    ///         limit: NOTE_CHARS,
    ///     })
    /// );
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn check_limits(&self) -> Result<(), InputError> {
        limits::check_texts(self)
    }

    /// What the engine checks of a request before anything else: its texts
    /// ([`check_limits`](Request::check_limits)), and that its evidence overrides and
    /// acknowledges only rules `charter` has ([`Charter::check_citations`]): evidence can be
    /// journalled without a gate, and an override of a misspelt rule would otherwise stand
    /// in the record, clearing nothing, until it blocked the decision's gate for good.
    pub(crate) fn check_input(&self, charter: &Charter) -> Result<(), EngineError> {
        self.check_limits()?;
        if let Some(evidence) = &self.evidence {
            // Only the overrides and acknowledgements are read: the kind plays no part.
            let cited = evidence.to_record(crate::decision::DecisionKind::Operational);
            charter
                .check_citations(&cited)
                .map_err(|source| EngineError::Gate {
                    stream: self.stream.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    /// Attaches evidence for the value gate.
    #[must_use]
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }
}
