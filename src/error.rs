//! The crate's one error type, [`Error`], and what it can be, [`ErrorKind`].
//!
//! Each module refuses in its own terms ([`ConsentError`], [`JournalError`], ...), and a
//! caller working with one module can keep to its type. Code that works across modules (an
//! app, a test, every example in these docs) returns [`Error`] instead: every error the
//! crate returns converts into it, so `?` works across modules, and [`Error::kind`] gives
//! the module's error back to match on.
//!
//! # Guide
//!
//! - [`Error`] is one pointer wide (`Error(Box<ErrorKind>)`, as csv's error is), so a
//!   `Result<T, Error>` costs little more than a `T` on the path that succeeds.
//! - Each [`ErrorKind`] variant carries a module's error and is named for it: without
//!   `Error` ([`ConsentError`] is [`ErrorKind::Consent`]), as it is ([`InvalidHash`] is
//!   [`ErrorKind::InvalidHash`]), or for what it is about ([`GateRefusal`] is
//!   [`ErrorKind::Gate`], [`ChainBreak`] is [`ErrorKind::Chain`]). The enum is
//!   `#[non_exhaustive]`, so a match needs a wildcard arm, and a new module error is not a
//!   breaking change.
//! - The engine's errors come in two kinds, as cqrs-es learned to keep them: a **refusal**
//!   of the request ([`ErrorKind::Refused`]: an unknown actor, a route not governance's, a
//!   command the process does not take, the value gate) changes nothing and will be refused
//!   again unless the request changes; a **failure** ([`ErrorKind::Failed`]: the journal
//!   could not be read or written, is corrupt, or a thread panicked holding the engine)
//!   says nothing about the request, and needs someone to look at the store.
//!   [`EngineError::is_refusal`] draws the line, and [`JournalError::is_refusal`] for the
//!   journal's own errors.
//! - What every process refuses alike (not started, wrong phase, wrong role, blank text,
//!   clock gone back, a proof not for this decision) is one vocabulary,
//!   [`RefusalKind`](crate::machine::RefusalKind), which each process's error carries as
//!   a [`Refusal`] naming the process. [`Error::refusal`] finds it wherever it is carried
//!   (a process's error, the engine's refusal of a request), so an app handles "not in
//!   this phase" once for every process.
//! - Three conversions carry errors from outside the crate that code around it meets: a
//!   [`serde_json::Error`] is refused input ([`ErrorKind::Input`] with
//!   [`InputError::Json`], its message shortened as [`limits::json_message`] does), a
//!   [`jiff::Error`] (a time that could not be read or made) is [`ErrorKind::Time`], and a
//!   [`std::io::Error`] is [`ErrorKind::Io`]. The last two keep the message (and the I/O
//!   error's kind) because the errors themselves cannot be compared or cloned.
//! - [`Display`](fmt::Display) writes the inner error's message and
//!   [`source`](std::error::Error::source) is the inner error's source, as if the module's
//!   error were returned itself: a reporter that walks the chain prints each message once.
//!
//! # Example
//!
//! ```
//! use coproduction::{Error, ErrorKind, StreamId};
//! use coproduction::journal::JournalError;
//!
//! fn stream(slug: &str) -> Result<StreamId, Error> {
//!     Ok(StreamId::new(slug)?)
//! }
//!
//! let refused = stream("Round 17").unwrap_err();
//! assert!(matches!(refused.kind(), ErrorKind::Journal(JournalError::InvalidStreamId { .. })));
//! assert_eq!(stream("round-17")?.as_str(), "round-17");
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::fmt;

use crate::cocreation::{CoCreationError, InvalidThemeOutcome};
use crate::community::CommunityError;
use crate::consent::ConsentError;
use crate::decision::{InvalidKind, InvalidMethod, InvalidTier};
use crate::engine::EngineError;
use crate::evaluation::EvaluationError;
use crate::funding::FundingError;
use crate::governance::GovernanceError;
use crate::hash::InvalidHash;
use crate::journal::{ChainBreak, CorruptionReason, JournalError};
use crate::limits::{self, InputError};
use crate::living::LivingError;
use crate::machine::GraphError;
use crate::process::{PartError, ProcessError, Refusal};
use crate::proposal::ProposalError;
use crate::values::{CharterError, GateRefusal, InvalidId, ProofMismatch};

/// Any error the crate returns.
///
/// [`kind`](Error::kind) says which, and carries the module's own error. Every module error
/// converts into it with `From`, so `?` works across modules.
///
/// # Example
///
/// ```
/// use coproduction::{Community, Error, ErrorKind, MemberId};
/// use coproduction::community::CommunityError;
///
/// fn remove(community: &mut Community, member: MemberId) -> Result<(), Error> {
///     community.remove_member(member)?;
///     Ok(())
/// }
///
/// let err = remove(&mut Community::new(), MemberId::new(7)).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::Community(CommunityError::UnknownMember { .. })));
/// assert_eq!(err.to_string(), "unknown member m7");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// Which error this is, carrying the module's own error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The kind, taken out of the error: the module's own error, by value.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Error, ErrorKind, StreamId};
    ///
    /// let err = Error::from(StreamId::new("Round 17").unwrap_err());
    /// let ErrorKind::Journal(journal) = err.into_kind() else { unreachable!() };
    /// assert!(journal.is_refusal());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// The refusal, if the error is one every process makes alike (not started, wrong
    /// phase, wrong role, blank text, clock gone back, ...), with the process that made it:
    /// from a process's own error, or from the engine's refusal of a request.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::consent::{ConsentProcess, RoundState};
    /// use coproduction::machine::{Context, Decider, RefusalKind};
    /// use coproduction::process::ProcessKind;
    /// use coproduction::{Error, MemberId, RoundCommand};
    ///
    /// let ctx = Context::new(MemberId::new(1), "2021-04-19T10:00:00Z".parse()?);
    /// let refused = ConsentProcess::decide(&RoundState::NotOpened, &RoundCommand::Advance {}, &ctx);
    /// let error = Error::from(refused.unwrap_err());
    /// let refusal = error.refusal().expect("a refusal every process makes");
    /// assert_eq!(refusal.process, ProcessKind::Consent);
    /// assert!(matches!(refusal.kind, RefusalKind::NotStarted { .. }));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn refusal(&self) -> Option<&Refusal> {
        match self.kind() {
            ErrorKind::Refused(error) => error.refusal(),
            ErrorKind::Consent(error) => error.refusal(),
            ErrorKind::Proposal(error) => error.refusal(),
            ErrorKind::Funding(error) => error.refusal(),
            ErrorKind::Process(error) => error.refusal(),
            ErrorKind::Part(error) => error.refusal(),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The kind alone: the box is how the error is held, not what it says.
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
    }
}

/// Which error an [`Error`] is: the module's own error, by the module's name.
///
/// Each variant's message is the inner error's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The engine refused the request: nothing was written, and the same request will be
    /// refused again ([`EngineError::is_refusal`] holds).
    #[error(transparent)]
    Refused(EngineError),
    /// The engine could not do its work: its journal could not be read or written, is
    /// corrupt, or a thread panicked while holding it. Nothing was written by this request;
    /// it may be taken once the store is sound ([`EngineError::is_refusal`] does not hold).
    #[error(transparent)]
    Failed(EngineError),
    /// A change to a co-creation model, or a query on it, was refused.
    #[error(transparent)]
    CoCreation(CoCreationError),
    /// A command to a funding decision was refused.
    #[error(transparent)]
    Funding(FundingError),
    /// A change to a community was refused.
    #[error(transparent)]
    Community(CommunityError),
    /// A command to a consent round was refused.
    #[error(transparent)]
    Consent(ConsentError),
    /// A command to a proposal was refused.
    #[error(transparent)]
    Proposal(ProposalError),
    /// A pilot's evaluation plan or evidence was refused.
    #[error(transparent)]
    Evaluation(EvaluationError),
    /// A process, taken through the list of processes, refused a command.
    #[error(transparent)]
    Process(ProcessError),
    /// A member's taking part (advice, interests, payment, access) was refused.
    #[error(transparent)]
    Part(PartError),
    /// A charter could not be loaded.
    #[error(transparent)]
    Charter(CharterError),
    /// The value gate refused a decision's record.
    #[error(transparent)]
    Gate(GateRefusal),
    /// A gate's proof was offered to a step it was not made for.
    #[error(transparent)]
    Proof(ProofMismatch),
    /// A governance map was refused, or a decision could not be routed.
    #[error(transparent)]
    Governance(GovernanceError),
    /// A change to the community's history was refused.
    #[error(transparent)]
    Living(LivingError),
    /// A transition graph is broken, or a run left it.
    #[error(transparent)]
    Graph(GraphError),
    /// A journal operation was refused or failed ([`JournalError::is_refusal`] says which).
    #[error(transparent)]
    Journal(JournalError),
    /// A stored envelope is not sound.
    #[error(transparent)]
    Corruption(CorruptionReason),
    /// A sequence of envelopes breaks its hash chain.
    #[error(transparent)]
    Chain(ChainBreak),
    /// Input was refused: a line or a text too long, an object written as an array, JSON
    /// that could not be read.
    #[error(transparent)]
    Input(InputError),
    /// A decision kind could not be read.
    #[error(transparent)]
    InvalidKind(InvalidKind),
    /// A decision method could not be read.
    #[error(transparent)]
    InvalidMethod(InvalidMethod),
    /// A tier number is outside `0..=3`.
    #[error(transparent)]
    InvalidTier(InvalidTier),
    /// A value's or a rule's id breaks the slug rules.
    #[error(transparent)]
    InvalidId(InvalidId),
    /// A theme's outcome could not be made or read.
    #[error(transparent)]
    InvalidThemeOutcome(InvalidThemeOutcome),
    /// Text that is not a hash.
    #[error(transparent)]
    InvalidHash(InvalidHash),
    /// A time could not be read or made.
    #[error("invalid time: {message}")]
    Time {
        /// jiff's message, what it quotes shortened as [`limits::shorten_quotes`] does.
        message: String,
    },
    /// An I/O operation beside the crate's own failed: reading a file to give the crate,
    /// writing out a report. (The journals report their own as [`JournalError::Io`].)
    #[error("{message}")]
    Io {
        /// The kind of I/O error.
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }
}

/// `From<$error> for Error`, each into its own variant.
macro_rules! from_module_errors {
    ($($variant:ident($error:ty),)+) => {
        $(
            impl From<$error> for Error {
                fn from(error: $error) -> Self {
                    ErrorKind::$variant(error).into()
                }
            }
        )+
    };
}

from_module_errors! {
    CoCreation(CoCreationError),
    Funding(FundingError),
    Community(CommunityError),
    Consent(ConsentError),
    Proposal(ProposalError),
    Evaluation(EvaluationError),
    Process(ProcessError),
    Part(PartError),
    Charter(CharterError),
    Gate(GateRefusal),
    Proof(ProofMismatch),
    Governance(GovernanceError),
    Living(LivingError),
    Graph(GraphError),
    Journal(JournalError),
    Corruption(CorruptionReason),
    Chain(ChainBreak),
    Input(InputError),
    InvalidKind(InvalidKind),
    InvalidMethod(InvalidMethod),
    InvalidTier(InvalidTier),
    InvalidId(InvalidId),
    InvalidThemeOutcome(InvalidThemeOutcome),
    InvalidHash(InvalidHash),
}

impl From<EngineError> for Error {
    /// [`ErrorKind::Refused`] or [`ErrorKind::Failed`], as [`EngineError::is_refusal`] says.
    fn from(error: EngineError) -> Self {
        if error.is_refusal() {
            ErrorKind::Refused(error).into()
        } else {
            ErrorKind::Failed(error).into()
        }
    }
}

impl From<serde_json::Error> for Error {
    /// Refused input, [`InputError::Json`], its message as [`limits::json_message`] gives it.
    fn from(error: serde_json::Error) -> Self {
        InputError::Json {
            message: limits::json_message(&error),
        }
        .into()
    }
}

impl From<jiff::Error> for Error {
    /// [`ErrorKind::Time`] with jiff's message.
    fn from(error: jiff::Error) -> Self {
        ErrorKind::Time {
            message: limits::shorten_quotes(&error.to_string()).into_owned(),
        }
        .into()
    }
}

impl From<std::io::Error> for Error {
    /// [`ErrorKind::Io`] with the error's kind and message.
    fn from(error: std::io::Error) -> Self {
        ErrorKind::Io {
            kind: error.kind(),
            message: error.to_string(),
        }
        .into()
    }
}

/// A typed step refused: the process it hands back is dropped, its error kept, as csv's
/// `IntoInnerError` converts into the I/O error it carries.
macro_rules! from_refused_steps {
    ($($refused:path,)+) => {
        $(
            impl<R> From<$refused> for Error {
                fn from(refused: $refused) -> Self {
                    refused.error.into()
                }
            }
        )+
    };
}

from_refused_steps! {
    crate::consent::RoundRefused<R>,
    crate::funding::FundingRefused<R>,
    crate::proposal::ProposalRefused<R>,
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;
    use crate::community::MemberId;
    use crate::journal::StreamId;
    use crate::machine::RefusalKind;
    use crate::process::ProcessKind;

    fn opened_twice() -> ConsentError {
        RefusalKind::AlreadyStarted {
            attempted: "open the round",
        }
        .into()
    }

    #[test]
    fn a_shared_refusal_is_found_wherever_it_is_carried() {
        let refused = EngineError::Refused {
            stream: stream(),
            source: ProcessError::Consent(opened_twice()),
        };
        for error in [
            Error::from(opened_twice()),
            Error::from(ProcessError::Consent(opened_twice())),
            Error::from(refused),
        ] {
            let refusal = error.refusal().expect("a shared refusal");
            assert_eq!(refusal.process, ProcessKind::Consent);
            assert_eq!(
                refusal.kind,
                RefusalKind::AlreadyStarted {
                    attempted: "open the round"
                }
            );
            assert_eq!(
                error.to_string().rsplit(": ").next(),
                Some("the round has started already")
            );
        }
        let quorum = ConsentError::NoAdviceGiven;
        assert!(Error::from(quorum).refusal().is_none());
        assert!(Error::from(EngineError::Poisoned).refusal().is_none());
    }

    fn stream() -> StreamId {
        StreamId::new("s").unwrap()
    }

    fn io_failure() -> JournalError {
        JournalError::Io {
            journal: "j.jsonl".into(),
            operation: "append",
            kind: std::io::ErrorKind::StorageFull,
            message: "no space left".into(),
        }
    }

    #[test]
    fn an_error_is_one_pointer_wide() {
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }

    #[test]
    fn a_module_error_converts_into_its_own_kind() {
        let consent = opened_twice();
        let err = Error::from(consent.clone());
        assert_eq!(err.kind(), &ErrorKind::Consent(consent.clone()));
        assert_eq!(err.clone().into_kind(), ErrorKind::Consent(consent.clone()));
        assert_eq!(err.to_string(), consent.to_string());
        assert_eq!(
            format!("{err:?}"),
            format!("{:?}", ErrorKind::Consent(consent))
        );

        let hash = "not a hash".parse::<crate::hash::Hash>().unwrap_err();
        assert!(matches!(
            Error::from(hash).kind(),
            ErrorKind::InvalidHash(_)
        ));
        let tier = crate::decision::Tier::try_from(9).unwrap_err();
        assert!(matches!(
            Error::from(tier).kind(),
            ErrorKind::InvalidTier(_)
        ));
        let part = PartError::NotAMember {
            member: MemberId::new(9),
        };
        assert_eq!(Error::from(part.clone()).into_kind(), ErrorKind::Part(part));
        let process = ProcessError::Consent(opened_twice());
        assert!(matches!(Error::from(process).kind(), ErrorKind::Process(_)));
        let input = InputError::Positional {
            path: "dates".into(),
        };
        assert_eq!(
            Error::from(input.clone()).into_kind(),
            ErrorKind::Input(input)
        );
    }

    #[test]
    fn a_refused_engine_request_is_refused_and_a_failure_failed() {
        let unknown = EngineError::UnknownStream { stream: stream() };
        assert_eq!(
            Error::from(unknown.clone()).into_kind(),
            ErrorKind::Refused(unknown)
        );
        let conflict = EngineError::Journal(JournalError::Conflict {
            stream: stream(),
            expected: 1,
            actual: 2,
        });
        assert!(matches!(
            Error::from(conflict).kind(),
            ErrorKind::Refused(_)
        ));

        let io = EngineError::Journal(io_failure());
        assert_eq!(Error::from(io.clone()).into_kind(), ErrorKind::Failed(io));
        let poisoned = Error::from(EngineError::Poisoned);
        assert_eq!(poisoned.kind(), &ErrorKind::Failed(EngineError::Poisoned));
        assert_eq!(poisoned.to_string(), EngineError::Poisoned.to_string());
    }

    #[test]
    fn a_typed_steps_refusal_converts_into_its_process_error() {
        let refused = crate::consent::RoundRefused {
            round: (),
            error: opened_twice(),
        };
        assert_eq!(
            Error::from(refused).into_kind(),
            ErrorKind::Consent(opened_twice())
        );
    }

    #[test]
    fn json_that_cannot_be_read_is_refused_input() {
        let json = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let message = limits::json_message(&json);
        assert_eq!(
            Error::from(json).into_kind(),
            ErrorKind::Input(InputError::Json { message })
        );
    }

    #[test]
    fn a_time_that_cannot_be_read_keeps_jiffs_message() {
        let jiff = "2025-13-01T10:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap_err();
        let err = Error::from(jiff.clone());
        let ErrorKind::Time { message } = err.kind() else {
            panic!("{err:?}")
        };
        assert_eq!(message, &jiff.to_string());
        assert_eq!(err.to_string(), format!("invalid time: {jiff}"));
        assert!(err.source().is_none());
    }

    #[test]
    fn an_io_error_keeps_its_kind_and_message() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let err = Error::from(io);
        assert_eq!(
            err.kind(),
            &ErrorKind::Io {
                kind: std::io::ErrorKind::NotFound,
                message: "no such file".into()
            }
        );
        assert_eq!(err.to_string(), "no such file");
    }

    #[test]
    fn the_source_is_the_inner_errors_own() {
        // The message is the inner error's, so the chain goes on from the inner error's
        // source, and no message is printed twice.
        let refusal = GateRefusal::unknown(Vec::new());
        let gate = EngineError::Gate {
            stream: stream(),
            source: refusal.clone(),
        };
        let err = Error::from(gate);
        let source = err.source().expect("the gate's refusal");
        assert_eq!(source.downcast_ref::<GateRefusal>(), Some(&refusal));

        let consent = Error::from(ConsentError::Community(CommunityError::UnknownMember {
            member: MemberId::new(3),
            body: None,
        }));
        let source = consent.source().expect("the community's refusal");
        assert!(source.downcast_ref::<CommunityError>().is_some());
        assert!(Error::from(opened_twice()).source().is_none());
    }
}
