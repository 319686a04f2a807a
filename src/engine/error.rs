//! Why the engine refuses a request, or fails to take it.

use crate::community::{BodyId, MemberId};
use crate::decision::DecisionKind;
use crate::governance::GovernanceError;
use crate::journal::{Hash, JournalError, StreamId};
use crate::limits::InputError;
use crate::living::LivingError;
use crate::process::{PartError, ProcessError, ProcessKind, Refusal};
use crate::values::GateRefusal;

/// Why the engine refused a request, or failed to take it. Nothing was written.
///
/// Most variants are refusals of the request; a journal that failed and a poisoned lock
/// are failures of the engine. [`EngineError::is_refusal`] tells them apart, and
/// [`crate::Error`] carries them as different kinds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum EngineError {
    /// The request could not be read.
    #[error("cannot read the request: {message}")]
    Json {
        /// What was wrong, with the line and column; what it quotes of the request is
        /// shortened ([`limits::json_message`](crate::limits::json_message)).
        message: String,
    },
    /// The request breaks a limit on input (see [`limits`](crate::limits)): a line too long,
    /// a text too long, an object written as a positional array.
    #[error("cannot take the request: {0}")]
    Input(#[from] InputError),
    /// The actor is not a member of the community.
    #[error("member {actor} is not in the community and cannot act on stream `{stream}`")]
    UnknownActor {
        /// The actor.
        actor: MemberId,
        /// The stream.
        stream: StreamId,
    },
    /// The request is dated before the community's last change was made: it would be judged
    /// by a community that no longer stands (a member since gone, a map since changed), so
    /// it is refused rather than backdated across that change.
    #[error(
        "cannot take a request on stream `{stream}` dated {now}: the community last changed at {last_change}, and a request may not be dated before that"
    )]
    BeforeLastChange {
        /// The stream.
        stream: StreamId,
        /// The request's time.
        now: jiff::Timestamp,
        /// When the last change to the community was made.
        last_change: jiff::Timestamp,
    },
    /// A record, report or list of what is due was asked as of a time before the last
    /// event it would be read from: the engine holds the history as it stands, which read
    /// at an earlier time would state what had not happened yet.
    #[error(
        "cannot read {} as of {now}: {} last event is at {last}, and what happened since would be dated before it happened; read at {last} or later",
        stream.as_ref().map_or_else(|| "the journal".to_owned(), |s| format!("stream `{s}`")),
        if stream.is_some() { "its" } else { "the journal's" }
    )]
    ReadBeforeLastEvent {
        /// The stream read, or `None` for the whole journal (what is due).
        stream: Option<StreamId>,
        /// The time asked.
        now: jiff::Timestamp,
        /// When its last event was journalled.
        last: jiff::Timestamp,
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
    /// What a command states about the community is not what the engine sees: who is
    /// eligible in an opening round, with which lived experience (against the community as
    /// it stands, the route governance gives, and who stepped out of the process decided
    /// for); the funding policy an offer is identified under; the body that agreed a pilot's
    /// evaluation, or the member whose words its evidence quotes (a member when the words
    /// were gathered).
    #[error(
        "stream `{stream}`: the request states what the engine does not see in the community and its governance: {difference}"
    )]
    Unwitnessed {
        /// The stream.
        stream: StreamId,
        /// The first difference, in words.
        difference: String,
    },
    /// Evidence (or an override or acknowledgement in it) that the engine does not take
    /// from this member: a fact the engine records itself, a member who does not answer for
    /// the process, an override in another's name or of a rule that takes none, a date
    /// before the process's last event.
    #[error("stream `{stream}`: member {actor} cannot record this evidence: {reason}")]
    Unattested {
        /// The stream.
        stream: StreamId,
        /// Who tried.
        actor: MemberId,
        /// Why it is refused.
        reason: String,
    },
    /// The route a round follows, given when the process it decides for opened, names a
    /// body a change to the community has dissolved since (and perhaps formed again under
    /// its id, with other members). An escalated matter whose body was dissolved is not
    /// refused so: the map in force routes it.
    #[error(
        "stream `{stream}`: the route it follows, given when {given} opened, names the body `{body}`, which a change to the community has dissolved since; that process can be withdrawn, or decided in a round held elsewhere"
    )]
    RouteGone {
        /// The stream.
        stream: StreamId,
        /// The body the route names.
        body: BodyId,
        /// Whose route it is: `the process it decides for`.
        given: &'static str,
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
        source: ProcessError,
    },
    /// A member's taking part (advice, interests, payment, access) was refused.
    #[error("stream `{stream}`: {source}")]
    #[strum(serialize = "part_refused")]
    Part {
        /// The stream.
        stream: StreamId,
        /// Why.
        source: PartError,
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
    /// A funding decision was asked to record a round kept elsewhere by hand after a round
    /// the engine ran for it reached a result there: the rounds after a witnessed one are
    /// held on the engine too, so that no round taken on one member's word decides over it.
    #[error(
        "stream `{stream}`: round `{round}`, run by the engine for it, reached a result here; a round after it is held on the engine too, where what it reaches is witnessed"
    )]
    HeldOnTheEngine {
        /// The funding decision's stream.
        stream: StreamId,
        /// The round the engine ran.
        round: StreamId,
    },
    /// A proposal or a funding decision was asked to record a round's result by hand, where
    /// the round runs in this engine: the engine records it itself when the round ends.
    #[error(
        "stream `{stream}`: the round `{round}` runs in this engine, which records its result here when it ends (open the round deciding for `{stream}`)"
    )]
    RecordedByTheEngine {
        /// The stream of the proposal or funding decision.
        stream: StreamId,
        /// The round's stream.
        round: StreamId,
    },
    /// A proposal's decision (or its review's reassessment) was to start in, or a funding
    /// decision to record, a round named by a stream that already holds a process here
    /// (another proposal's round, another proposal, the community's own stream, its own):
    /// that round's result is not this one's, and would never reach it.
    #[error(
        "stream `{stream}` cannot take `{round}` as the round of its decision: that stream holds another process here, whose result is not this one's (a round the engine runs for `{stream}` opens on a stream of its own; a round kept elsewhere takes an id no stream here has)"
    )]
    RoundStreamTaken {
        /// The proposal's or funding decision's stream.
        stream: StreamId,
        /// The round it named.
        round: StreamId,
    },
    /// A proposal's decision (or its review's reassessment) was to start in a round another
    /// proposal, still open, has started its own in: the round would open for one of them
    /// only, and the other would wait for it for good.
    #[error(
        "stream `{stream}` cannot start its decision in round `{round}`: the proposal on `{by}` started its own in a round of that name"
    )]
    RoundNameTaken {
        /// The proposal's stream.
        stream: StreamId,
        /// The round it named.
        round: StreamId,
        /// The stream of the proposal that named it first.
        by: StreamId,
    },
    /// A process was to open, not deciding for it, on the stream a proposal started its
    /// decision (or its review's reassessment) in: it would leave the proposal waiting for
    /// good, as its result would not reach it, and one copied in by hand is refused for a
    /// round the engine runs.
    #[error(
        "cannot open stream `{stream}`: the proposal on `{by}` started its decision in a round of that name, so a process opening there decides for `{by}`"
    )]
    RoundClaimed {
        /// The stream the request would open.
        stream: StreamId,
        /// The proposal's stream.
        by: StreamId,
    },
    /// A process was opened to decide for a stream that is not in the engine, or whose
    /// process no round decides for.
    #[error(
        "stream `{stream}` cannot decide for `{target}`: no process there takes a round's result"
    )]
    UnknownLink {
        /// The stream.
        stream: StreamId,
        /// The stream it was to decide for.
        target: StreamId,
    },
    /// A round was opened to decide for a process about another kind of decision: a round
    /// decides only the kind of decision the process it is for is about, on that process's
    /// route.
    #[error(
        "stream `{stream}` cannot decide for `{target}`: it is about `{kind}`, and `{target}` about `{target_kind}`"
    )]
    LinkedKind {
        /// The stream.
        stream: StreamId,
        /// The stream it was to decide for.
        target: StreamId,
        /// The kind the request named.
        kind: DecisionKind,
        /// The kind the process decided for is about.
        target_kind: DecisionKind,
    },
    /// A request to take up an escalated matter named a stream whose process cannot be
    /// taken up: none runs there, it has not been escalated, or it is about another kind of
    /// decision.
    #[error("cannot open stream `{stream}` on the matter escalated from `{escalated}`: {reason}")]
    NotEscalated {
        /// The stream the request would open.
        stream: StreamId,
        /// The stream it named as escalated.
        escalated: StreamId,
        /// What is wrong.
        reason: &'static str,
    },
    /// A round was to open deciding for a process that does not wait for it now.
    #[error("stream `{stream}` cannot decide for `{target}`: {reason}")]
    RoundNotAwaited {
        /// The round's stream.
        stream: StreamId,
        /// The stream it would decide for.
        target: StreamId,
        /// Why the process there does not wait for it.
        reason: String,
    },
    /// A round was to open deciding for a process that the member opening it, or the one it
    /// names as its proposer, does not run: such a round is brought by one who does
    /// ([`Process::BROUGHT_BY`](crate::process::Process::BROUGHT_BY)). A round taking up a
    /// review escalated elsewhere decides for the proposal too, and is refused alike.
    #[error(
        "cannot open round `{stream}` deciding for `{target}`: member {member}, {role}, is not {brought_by}{}",
        body.as_ref().map(|b| format!(" (`{b}`)")).unwrap_or_default()
    )]
    RoundNotTheirs {
        /// The round's stream.
        stream: StreamId,
        /// The stream it would decide for.
        target: StreamId,
        /// The member who opened it, or whom it names as its proposer.
        member: MemberId,
        /// Which of the two they are: "who opens it" or "named its proposer".
        role: &'static str,
        /// Who brings a round deciding for that process.
        brought_by: &'static str,
        /// The body its route gives the decision, if it has one.
        body: Option<BodyId>,
    },
    /// A round was to be withdrawn by a member who may not withdraw the process it decides
    /// for, which its withdrawal would withdraw (a proposal in its first decision, which
    /// only its proposers withdraw). They withdraw the process, and the round with it;
    /// otherwise the round runs to its end.
    #[error(
        "member {member} cannot withdraw round `{stream}`: that would withdraw `{target}`, which it decides for, and only {who} withdraw that (withdrawing `{target}` withdraws its round too); otherwise the round runs to its end"
    )]
    RoundWithdrawsTarget {
        /// The round's stream.
        stream: StreamId,
        /// The stream it decides for.
        target: StreamId,
        /// The member who would withdraw it.
        member: MemberId,
        /// Who may withdraw the process it decides for.
        who: &'static str,
    },
    /// An outcome was to be recorded in a round held for a process that took the round's
    /// consent when it closed ([`Process::TAKES_CONSENT`](crate::process::Process::TAKES_CONSENT),
    /// a funding decision), or a role handed on there that has nothing left to do (the
    /// secretary's; any, once the round closed): that process decides, and the round records
    /// nothing more.
    #[error(
        "round `{stream}` records no outcome: `{target}`, which it decides for, took its consent when it closed and is decided there"
    )]
    OutcomeTakenBy {
        /// The round's stream.
        stream: StreamId,
        /// The stream it decides for.
        target: StreamId,
    },
    /// A funding decision's deciding step while a round held for it is still deliberating:
    /// its deciding body deliberates there, and decides once that round has ended.
    #[error(
        "stream `{stream}` is decided once round `{round}`, held for it, has ended: its deciding body deliberates there"
    )]
    RoundRunning {
        /// The funding decision's stream.
        stream: StreamId,
        /// The round still deliberating.
        round: StreamId,
    },
    /// A round opened for a funding or partnership decision that does not say what it
    /// proposes for it: its consent would bind the decision to nothing, and its record
    /// could not say what was consented to.
    #[error(
        "stream `{stream}`: a round held for the offer `{target}` says what it proposes for it: `proposes`, \"accept\" or \"decline\""
    )]
    ProposesMissing {
        /// The round's stream.
        stream: StreamId,
        /// The offer it decides for.
        target: StreamId,
    },
    /// `proposes` on a request that opens no round for a funding or partnership decision:
    /// only such a round proposes an outcome for the process it decides for.
    #[error(
        "stream `{stream}`: `proposes` names what a round held for a funding or partnership decision proposes for it, and this request opens no such round"
    )]
    ProposesNothing {
        /// The stream of the request.
        stream: StreamId,
    },
    /// A round recorded by hand for a funding or partnership decision after one that said
    /// what it proposed (a round the engine ran says so always,
    /// [`EngineError::ProposesMissing`]): the one that follows says so too, and binds the
    /// decision as that one did.
    #[error(
        "stream `{stream}`: round `{round}`, held for the offer, said what it proposed for it; a round recorded after it says what it proposed too"
    )]
    ProposesRequired {
        /// The stream of the request.
        stream: StreamId,
        /// The earlier round that said what it proposed: its stream, or its reference as
        /// recorded by hand (a short prefix).
        round: String,
    },
    /// A new round for a process whose round escalated the matter: the body it went to takes
    /// it up and decides it, and no other round decides it here. (An offer ends escalated
    /// with its round; a proposal's review stays open, and nothing on the proposal decides
    /// it any more.)
    #[error(
        "stream `{stream}`: round `{round}` escalated the matter to `{to}`, which takes it up and decides it; nothing more is taken here"
    )]
    EscalatedAway {
        /// The stream the request was for.
        stream: StreamId,
        /// The round that escalated the matter.
        round: StreamId,
        /// The body it went to.
        to: crate::community::BodyId,
    },
    /// A proposal was to be created with an id another stream's proposal holds: each
    /// proposal's id (which its co-creation versions carry) is its own.
    #[error(
        "cannot create proposal {id} on stream `{stream}`: the proposal on stream `{held_by}` has that id"
    )]
    ProposalIdTaken {
        /// The stream the request would open.
        stream: StreamId,
        /// The id asked for.
        id: crate::cocreation::ProposalId,
        /// The stream whose proposal holds it.
        held_by: StreamId,
    },
    /// The process a round decides for refused what the round reached; nothing was written
    /// to either.
    #[error(
        "stream `{stream}` decides for `{target}`, which cannot take what it reached: {source}"
    )]
    LinkRefused {
        /// The round's stream.
        stream: StreamId,
        /// The stream it decides for.
        target: StreamId,
        /// Why the process there refused.
        source: ProcessError,
    },
    /// The value gate refused a decided transition.
    #[error("stream `{stream}`: {source}")]
    Gate {
        /// The stream.
        stream: StreamId,
        /// The unmet findings.
        source: GateRefusal,
    },
    /// A change to the community was refused: it does not apply, is dated before the last
    /// change, needs a decision, or is another member's own to make.
    #[error("the community's stream: member {actor} cannot make this change: {source}")]
    #[strum(serialize = "change_refused")]
    Change {
        /// Who tried.
        actor: MemberId,
        /// Why.
        source: LivingError,
    },
    /// A request named the community's own stream with a command that is not a change to
    /// the community, or sent a change to another stream.
    #[error(
        "stream `{stream}`: changes to the community go to the stream `community`, and nothing else does"
    )]
    ReservedStream {
        /// The stream named.
        stream: StreamId,
    },
    /// A decision adopted changes to the community that no longer apply (a member who left,
    /// a map that no longer validates), or that a decision of its kind cannot make; nothing
    /// was written.
    #[error("stream `{stream}`: the changes it adopts cannot take effect: {source}")]
    ChangeNotAdopted {
        /// The deciding stream.
        stream: StreamId,
        /// Why.
        source: LivingError,
    },
    /// The journal was founded with another community, governance map or charter than the
    /// one supplied: history is judged by its own founding, never by a file edited since.
    #[error(
        "the journal was founded with another {part} (founding {founded}, supplied {supplied}): open it from the journal alone, or with its founding {part}"
    )]
    NotTheFounding {
        /// `community`, `governance map` or `charter`.
        part: &'static str,
        /// The hash of the founding's.
        founded: Hash,
        /// The hash of the one supplied.
        supplied: Hash,
    },
    /// The community supplied to found a journal has a member numbered 0, the engine's own
    /// ([`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR)): what that member did would read as
    /// what the engine did on its own.
    #[error(
        "the community has a member numbered 0: that number is the engine's own, for what it does on its own; give the member another"
    )]
    EngineActorInCommunity,
    /// The journal has no founding and no community was supplied to open it with.
    #[error("the journal has no founding: open it with the community it was started with")]
    NoFounding,
    /// The community's history in the journal does not replay: a change that does not
    /// apply to what came before it.
    #[error("the community's history does not replay at position {position}: {source}")]
    History {
        /// The envelope's position.
        position: u64,
        /// Why.
        source: LivingError,
    },
    /// The journal refused or failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Another thread panicked while holding the engine.
    #[error("the engine's state lock is poisoned: a thread panicked while handling a request")]
    Poisoned,
}

impl EngineError {
    /// A stable `snake_case` name of the error's kind, for the wire (an HTTP server's error
    /// body, a log): `gate`, `refused`, `unknown_actor`, `conflict`... One name per variant,
    /// and for [`EngineError::Journal`] one per kind of journal error.
    pub fn kind(&self) -> &'static str {
        match self {
            EngineError::Journal(journal) => journal.kind(),
            other => other.into(),
        }
    }

    /// The refusal, if the process refused the request (itself, or as the process a round
    /// decides for) in the vocabulary every process shares.
    ///
    /// # Example
    ///
    /// See [`crate::Error::refusal`].
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            EngineError::Refused { source, .. } | EngineError::LinkRefused { source, .. } => {
                source.refusal()
            }
            EngineError::Part { source, .. } => source.refusal(),
            _ => None,
        }
    }

    /// Whether the request was refused, rather than the engine failing to take it.
    ///
    /// A refusal says the request is not one the engine takes: an unknown actor, a route
    /// not governance's, a command the process refuses, the value gate, a journal append
    /// that lost a race. Nothing was written, and the same request is refused again until
    /// it, or what it asks of, changes. A failure ([`EngineError::Journal`] with an error
    /// that is not [`JournalError::is_refusal`], or [`EngineError::Poisoned`]) says nothing
    /// about the request: the store could not be read or written, is corrupt, or a thread
    /// panicked holding the engine, and someone needs to look at it. cqrs-es learned to keep
    /// the two apart; [`crate::Error`] carries them as [`crate::ErrorKind::Refused`] and
    /// [`crate::ErrorKind::Failed`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Engine, EngineError, MemberId, MemoryJournal, Request};
    /// use coproduction::{ProcessCommand, RoundCommand, StreamId};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// let at = jiff::Timestamp::from_second(1_661_000_000)?;
    /// let advance = ProcessCommand::from(RoundCommand::Advance {});
    /// let request = Request::new(StreamId::new("round")?, MemberId::new(1), at, advance);
    /// let refused = engine.handle(request).unwrap_err();
    /// assert!(matches!(refused, EngineError::UnknownActor { .. }));
    /// assert!(refused.is_refusal());
    /// assert!(!EngineError::Poisoned.is_refusal());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn is_refusal(&self) -> bool {
        match self {
            EngineError::Journal(journal) => journal.is_refusal(),
            EngineError::Poisoned => false,
            EngineError::Json { .. }
            | EngineError::Input(_)
            | EngineError::UnknownActor { .. }
            | EngineError::BeforeLastChange { .. }
            | EngineError::ReadBeforeLastEvent { .. }
            | EngineError::UnknownStream { .. }
            | EngineError::KindRequired { .. }
            | EngineError::OffRoute { .. }
            | EngineError::Unwitnessed { .. }
            | EngineError::Unattested { .. }
            | EngineError::Governance { .. }
            | EngineError::RouteGone { .. }
            | EngineError::Refused { .. }
            | EngineError::Part { .. }
            | EngineError::EvidenceRequired { .. }
            | EngineError::WrongProcess { .. }
            | EngineError::RecordedByTheEngine { .. }
            | EngineError::RoundStreamTaken { .. }
            | EngineError::RoundClaimed { .. }
            | EngineError::RoundNameTaken { .. }
            | EngineError::UnknownLink { .. }
            | EngineError::LinkedKind { .. }
            | EngineError::NotEscalated { .. }
            | EngineError::ProposalIdTaken { .. }
            | EngineError::RoundNotAwaited { .. }
            | EngineError::RoundNotTheirs { .. }
            | EngineError::RoundWithdrawsTarget { .. }
            | EngineError::OutcomeTakenBy { .. }
            | EngineError::RoundRunning { .. }
            | EngineError::ProposesNothing { .. }
            | EngineError::ProposesRequired { .. }
            | EngineError::ProposesMissing { .. }
            | EngineError::HeldOnTheEngine { .. }
            | EngineError::EscalatedAway { .. }
            | EngineError::LinkRefused { .. }
            | EngineError::Gate { .. }
            | EngineError::Change { .. }
            | EngineError::ReservedStream { .. }
            | EngineError::ChangeNotAdopted { .. }
            | EngineError::NotTheFounding { .. }
            | EngineError::EngineActorInCommunity
            | EngineError::NoFounding => true,
            // A history that does not replay is a journal that is not sound.
            EngineError::History { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ConsentError;

    fn opened_twice() -> ConsentError {
        crate::machine::RefusalKind::AlreadyStarted {
            attempted: "open the round",
        }
        .into()
    }

    fn stream() -> StreamId {
        StreamId::new("s").unwrap()
    }

    #[test]
    fn every_variant_has_a_kind_of_its_own() {
        let kinds: Vec<&str> = every_variant().iter().map(|(e, _)| e.kind()).collect();
        let distinct: std::collections::BTreeSet<&str> = kinds.iter().copied().collect();
        assert_eq!(distinct.len(), kinds.len(), "{kinds:?}");
        assert!(
            kinds
                .iter()
                .all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }

    /// One of every variant, with whether it is a refusal.
    fn every_variant() -> Vec<(EngineError, bool)> {
        let stream = stream();
        let journal = |error| EngineError::Journal(error);
        vec![
            (
                EngineError::Json {
                    message: "x".into(),
                },
                true,
            ),
            (
                EngineError::Input(InputError::Positional {
                    path: String::new(),
                }),
                true,
            ),
            (
                EngineError::UnknownActor {
                    actor: MemberId::new(1),
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::BeforeLastChange {
                    stream: stream.clone(),
                    now: jiff::Timestamp::UNIX_EPOCH,
                    last_change: jiff::Timestamp::UNIX_EPOCH,
                },
                true,
            ),
            (
                EngineError::ReadBeforeLastEvent {
                    stream: Some(stream.clone()),
                    now: jiff::Timestamp::UNIX_EPOCH,
                    last: jiff::Timestamp::UNIX_EPOCH,
                },
                true,
            ),
            (
                EngineError::UnknownStream {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::KindRequired {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::OffRoute {
                    stream: stream.clone(),
                    kind: DecisionKind::Strategy,
                    asked: "`a` by consent".into(),
                    given: "`b` by consent".into(),
                },
                true,
            ),
            (
                EngineError::Unwitnessed {
                    stream: stream.clone(),
                    difference: "m1".into(),
                },
                true,
            ),
            (
                EngineError::Unattested {
                    stream: stream.clone(),
                    actor: MemberId::new(1),
                    reason: "r".into(),
                },
                true,
            ),
            (
                EngineError::Governance {
                    stream: stream.clone(),
                    source: GovernanceError::UnknownKind {
                        kind: DecisionKind::Strategy,
                    },
                },
                true,
            ),
            (
                EngineError::Refused {
                    stream: stream.clone(),
                    source: ProcessError::Consent(opened_twice()),
                },
                true,
            ),
            (
                EngineError::Part {
                    stream: stream.clone(),
                    source: PartError::NobodyToAsk,
                },
                true,
            ),
            (
                EngineError::EvidenceRequired {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::WrongProcess {
                    stream: stream.clone(),
                    process: ProcessKind::ALL[0],
                },
                true,
            ),
            (
                EngineError::RecordedByTheEngine {
                    stream: stream.clone(),
                    round: stream.clone(),
                },
                true,
            ),
            (
                EngineError::RoundRunning {
                    stream: stream.clone(),
                    round: stream.clone(),
                },
                true,
            ),
            (
                EngineError::ProposesNothing {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::ProposesMissing {
                    stream: stream.clone(),
                    target: stream.clone(),
                },
                true,
            ),
            (
                EngineError::HeldOnTheEngine {
                    stream: stream.clone(),
                    round: stream.clone(),
                },
                true,
            ),
            (
                EngineError::ProposesRequired {
                    stream: stream.clone(),
                    round: stream.to_string(),
                },
                true,
            ),
            (
                EngineError::RoundStreamTaken {
                    stream: stream.clone(),
                    round: stream.clone(),
                },
                true,
            ),
            (
                EngineError::RoundClaimed {
                    stream: stream.clone(),
                    by: stream.clone(),
                },
                true,
            ),
            (
                EngineError::RoundNameTaken {
                    stream: stream.clone(),
                    round: stream.clone(),
                    by: stream.clone(),
                },
                true,
            ),
            (
                EngineError::RoundNotTheirs {
                    stream: stream.clone(),
                    target: stream.clone(),
                    member: MemberId::new(4),
                    role: "who opens it",
                    brought_by: "one of the proposal's proposers or its steward",
                    body: None,
                },
                true,
            ),
            (
                EngineError::RoundWithdrawsTarget {
                    stream: stream.clone(),
                    target: stream.clone(),
                    member: MemberId::new(4),
                    who: "the proposal's proposers",
                },
                true,
            ),
            (
                EngineError::UnknownLink {
                    stream: stream.clone(),
                    target: stream.clone(),
                },
                true,
            ),
            (
                EngineError::LinkRefused {
                    stream: stream.clone(),
                    target: stream.clone(),
                    source: ProcessError::Consent(opened_twice()),
                },
                true,
            ),
            (
                EngineError::Gate {
                    stream: stream.clone(),
                    source: GateRefusal::unknown(Vec::new()),
                },
                true,
            ),
            (
                EngineError::Change {
                    actor: MemberId::new(1),
                    source: LivingError::NobodyNamed { change: "appoint" },
                },
                true,
            ),
            (
                EngineError::ReservedStream {
                    stream: stream.clone(),
                },
                true,
            ),
            (
                EngineError::ChangeNotAdopted {
                    stream: stream.clone(),
                    source: LivingError::NobodyNamed { change: "appoint" },
                },
                true,
            ),
            (
                EngineError::NotTheFounding {
                    part: "community",
                    founded: Hash::of(b"a"),
                    supplied: Hash::of(b"b"),
                },
                true,
            ),
            (EngineError::NoFounding, true),
            (
                EngineError::History {
                    position: 2,
                    source: LivingError::NobodyNamed { change: "appoint" },
                },
                false,
            ),
            (
                journal(JournalError::Conflict {
                    stream: stream.clone(),
                    expected: 1,
                    actual: 2,
                }),
                true,
            ),
            (
                journal(JournalError::InvalidStreamId {
                    id: "S".into(),
                    reason: "r",
                }),
                true,
            ),
            (
                journal(JournalError::Poisoned {
                    journal: "memory".into(),
                }),
                false,
            ),
            (
                journal(JournalError::Locked {
                    journal: "j.jsonl".into(),
                }),
                false,
            ),
            (
                journal(JournalError::Io {
                    journal: "j.jsonl".into(),
                    operation: "append",
                    kind: std::io::ErrorKind::PermissionDenied,
                    message: "denied".into(),
                }),
                false,
            ),
            (EngineError::Poisoned, false),
        ]
    }

    #[test]
    fn refusals_and_failures_are_told_apart() {
        for (error, refusal) in every_variant() {
            assert_eq!(error.is_refusal(), refusal, "{error:?}");
        }
    }
}
