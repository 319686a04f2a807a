//! The one list of the processes the engine runs, and what it generates.

use serde::{Deserialize, Serialize};

use std::collections::BTreeSet;

use crate::community::{Community, MemberId};
use crate::consent::{ConsentError, ConsentProcess, RoundCommand, RoundEvent, RoundState};
use crate::decision::DecisionKind;
use crate::funding::FundingPolicy;
use crate::funding::{FundingCommand, FundingError, FundingEvent, FundingProcess, FundingState};
use crate::governance::Route;
use crate::journal::StreamId;
use crate::living::{Adoption, CommunityChange, LivingEvent};
use crate::machine::{Context, Decider, Phase, RefusalKind};

use super::part::{PartCommand, PartEvent};
use crate::proposal::{
    ProposalCommand, ProposalError, ProposalEvent, ProposalProcess, ProposalState,
};
use crate::values::{DecisionRecord, Evidence, GateSummary};

use super::{
    Answerable, Claim, Opening, Process, Projection, Reached, Refusal, Requested, Witness,
};

mod sealed {
    pub trait Sealed {}
}

/// A process in the engine's list: how to find its state in a stream's [`ProcessState`].
/// Implemented for every listed process, and only for them.
pub trait Listed: Process + sealed::Sealed {
    /// The process's state, if `state` is of this process.
    fn state_of(state: &ProcessState) -> Option<&Self::State>;
}

/// Generates, from one list of `Variant("noun"): Decider (Command, Event, State, Error)`, the wire
/// enums, the stream state, the refusal and the dispatch between them.
macro_rules! processes {
    ($(
        $(#[$doc:meta])*
        $variant:ident ($noun:literal): $decider:ident ($command:ident, $event:ident, $state:ident, $error:ident)
    ),+ $(,)?) => {
        /// The kinds of process the engine runs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ProcessKind {
            $($(#[$doc])* $variant,)+
        }

        impl ProcessKind {
            /// Every kind, in the list's order.
            pub const ALL: &'static [ProcessKind] = &[$(ProcessKind::$variant),+];

            /// What a process of this kind is called in messages: "round", "proposal",
            /// "funding decision".
            pub fn noun(self) -> &'static str {
                match self {
                    $(ProcessKind::$variant => $noun,)+
                }
            }
        }

        /// A command for one kind of process.
        ///
        /// JSON: `{"process": "consent", "command": {"type": "advance"}}`. Each process's own
        /// command converts into it with `From`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "process", rename_all = "snake_case", deny_unknown_fields)]
        #[non_exhaustive]
        pub enum ProcessCommand {
            $(
                $(#[$doc])*
                $variant {
                    /// The command.
                    command: $command,
                },
            )+
            /// Only record the request's evidence for the stream's decision, whatever its
            /// process and phase: a publication, a declaration made late, an override given
            /// after a refusal.
            Evidence {},
            /// What a member does in the process beside its own steps (advice, interests,
            /// payment, access), which any process takes: see [`part`](crate::process::part).
            Part {
                /// The command.
                command: PartCommand,
            },
            /// A change to the community, its bodies, governance map or charter, sent on
            /// the community's own stream ([`living::stream`](crate::living::stream)): a
            /// member's own change; one that needs a decision is carried by a proposal.
            Change {
                /// The change.
                change: Box<CommunityChange>,
            },
        }

        impl ProcessCommand {
            /// The kind of process the command is for; `None` for evidence, which any
            /// process takes.
            pub fn process(&self) -> Option<ProcessKind> {
                match self {
                    $(ProcessCommand::$variant { .. } => Some(ProcessKind::$variant),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => None,
                }
            }
        }

        impl From<PartCommand> for ProcessCommand {
            fn from(command: PartCommand) -> Self {
                ProcessCommand::Part { command }
            }
        }

        $(
            impl From<$command> for ProcessCommand {
                fn from(command: $command) -> Self {
                    ProcessCommand::$variant { command }
                }
            }
        )+

        /// What the engine journals.
        ///
        /// JSON: internally tagged, `{"type": "consent", "event": {"type": "opened", ...}}`;
        /// a deciding event carries `"gate"`, the summary of the value gate it passed.
        #[serde_with::skip_serializing_none]
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
                /// The route governance gave, if the engine has a governance map: the
                /// process is routed and judged by it for as long as it runs.
                route: Option<Box<Route>>,
                /// The hash of the governance map that gave `route`: for a round deciding
                /// for another process, or one taking up an escalated matter, the map that
                /// routed that one. Absent from journals written before it was journalled,
                /// where the map in force when the process opened stands in.
                routed_by: Option<crate::hash::Hash>,
                /// The process this one decides for (a round's proposal or funding
                /// decision), which records what it reaches.
                decides_for: Option<StreamId>,
                /// What a round held for a funding or partnership decision proposes for
                /// it, where its opening said ([`Request::proposes`](crate::engine::Request::proposes)).
                proposes: Option<crate::funding::RoundProposes>,
                /// The escalated process this one takes up in the body it was escalated
                /// to, as the engine saw it: its stream, outcome and objections.
                escalated_from: Option<Box<crate::values::EscalatedFrom>>,
            },
            /// Evidence was recorded for the decision.
            EvidenceRecorded {
                /// The evidence.
                evidence: Box<Evidence>,
            },
            /// A member took part: advice asked, given or answered, interests declared, a
            /// payment offered or answered, an access need met.
            Part {
                /// The event.
                event: PartEvent,
            },
            /// The community's own history, on its own stream: its founding, and each
            /// change since.
            Community {
                /// The event.
                event: LivingEvent,
            },
            $(
                $(#[$doc])*
                $variant {
                    /// The event.
                    event: $event,
                    /// The value gate the event passed, when it decides.
                    gate: Option<Box<GateSummary>>,
                },
            )+
        }

        impl EngineEvent {
            /// Whether the event moves its process to a decided state, where the value gate
            /// runs first.
            pub fn decides(&self) -> bool {
                match self {
                    $(EngineEvent::$variant { event, .. } => <$decider as Process>::decides(event),)+
                    EngineEvent::Started { .. } | EngineEvent::EvidenceRecorded { .. } | EngineEvent::Part { .. } | EngineEvent::Community { .. } => false,
                }
            }

            /// Whether the event ends what its process adopted (a retirement), withdrawing
            /// the changes to the community still to take effect.
            pub fn revokes(&self) -> bool {
                match self {
                    $(EngineEvent::$variant { event, .. } => <$decider as Process>::revokes(event),)+
                    EngineEvent::Started { .. } | EngineEvent::EvidenceRecorded { .. } | EngineEvent::Part { .. } | EngineEvent::Community { .. } => false,
                }
            }

            /// The summary of the value gate the event passed, if it carries one.
            pub fn gate(&self) -> Option<&GateSummary> {
                match self {
                    $(EngineEvent::$variant { gate, .. } => gate.as_deref(),)+
                    EngineEvent::Started { .. } | EngineEvent::EvidenceRecorded { .. } | EngineEvent::Part { .. } | EngineEvent::Community { .. } => None,
                }
            }

            /// Attaches the gate's summary to a process event.
            pub(crate) fn with_gate(mut self, summary: GateSummary) -> Self {
                match &mut self {
                    $(EngineEvent::$variant { gate, .. } => *gate = Some(Box::new(summary)),)+
                    EngineEvent::Started { .. } | EngineEvent::EvidenceRecorded { .. } | EngineEvent::Part { .. } | EngineEvent::Community { .. } => {}
                }
                self
            }
        }

        $(
            impl From<$event> for EngineEvent {
                fn from(event: $event) -> Self {
                    EngineEvent::$variant { event, gate: None }
                }
            }
        )+

        /// The state of one process.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ProcessState {
            $($(#[$doc])* $variant($state),)+
        }

        /// Why a process refused a command.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        #[non_exhaustive]
        pub enum ProcessError {
            $(
                $(#[$doc])*
                #[error(transparent)]
                $variant(#[from] $error),
            )+
        }

        impl ProcessError {
            /// The refusal, if it is one every process makes alike.
            pub fn refusal(&self) -> Option<&Refusal> {
                match self {
                    $(ProcessError::$variant(error) => error.refusal(),)+
                }
            }

            /// A refusal every process makes alike, as the error of the process that
            /// made it.
            pub fn shared(refusal: Refusal) -> Self {
                match refusal.process {
                    $(ProcessKind::$variant => ProcessError::$variant($error::Shared(refusal)),)+
                }
            }
        }

        $(
            impl From<RefusalKind> for $error {
                fn from(kind: RefusalKind) -> Self {
                    $error::Shared(Refusal { process: ProcessKind::$variant, kind })
                }
            }

            impl $error {
                /// The refusal, if it is one every process makes alike.
                pub fn refusal(&self) -> Option<&Refusal> {
                    match self {
                        $error::Shared(refusal) => Some(refusal),
                        _ => None,
                    }
                }
            }
        )+

        impl ProcessState {
            /// The state before any event of a process of `kind`.
            pub fn new(kind: ProcessKind) -> Self {
                match kind {
                    $(ProcessKind::$variant => ProcessState::$variant(<$decider as Decider>::initial()),)+
                }
            }

            /// The kind of process.
            pub fn kind(&self) -> ProcessKind {
                match self {
                    $(ProcessState::$variant(_) => ProcessKind::$variant,)+
                }
            }

            /// The phase label of the process.
            pub fn phase_label(&self) -> &'static str {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Decider>::phase(s).label(),)+
                }
            }

            /// Whether the process is in one of its final phases (see
            /// [`Transitions::finals`](crate::machine::Transitions)).
            pub fn is_final(&self) -> bool {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Decider>::TRANSITIONS
                        .finals
                        .contains(&<$decider as Decider>::phase(s)),)+
                }
            }

            /// The events `command` causes, or why the process refuses it; `None` when the
            /// command is for another kind of process (or is evidence only).
            pub(crate) fn decide(
                &self,
                command: &ProcessCommand,
                ctx: &Context,
            ) -> Option<Result<Vec<EngineEvent>, ProcessError>> {
                match (self, command) {
                    $(
                        (ProcessState::$variant(state), ProcessCommand::$variant { command }) => Some(
                            <$decider as Decider>::decide(state, command, ctx)
                                .map(|events| events.into_iter().map(EngineEvent::from).collect())
                                .map_err(ProcessError::from),
                        ),
                    )+
                    _ => None,
                }
            }

            /// Folds a process event into the state; an event of another process, or one
            /// the engine keeps beside the process, leaves it as it is.
            pub(crate) fn evolve(&mut self, event: &EngineEvent) {
                match (self, event) {
                    $(
                        (ProcessState::$variant(state), EngineEvent::$variant { event, .. }) => {
                            *state = <$decider as Decider>::evolve(std::mem::take(state), event);
                        }
                    )+
                    _ => {}
                }
            }

            /// What the process waits on at `now` (see [`Process::due`]).
            pub fn due(&self, now: jiff::Timestamp) -> Vec<super::DueItem> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::due(s, now),)+
                }
            }

            /// The step the process's configuration chose for `now`, and its events (see
            /// [`Process::lapse`]).
            pub(crate) fn lapse(
                &self,
                now: jiff::Timestamp,
            ) -> Option<(crate::consent::DeadlineStep, Vec<EngineEvent>)> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::lapse(s, now)
                        .map(|(step, events)| (step, events.into_iter().map(EngineEvent::from).collect())),)+
                }
            }

            /// The body the process was escalated to, once it has been (see
            /// [`Process::escalated_to`]).
            pub fn escalated_to(&self) -> Option<crate::community::BodyId> {
                self.escalation().map(|(to, _)| to)
            }

            /// The body the process was escalated to, and when, once it has been (see
            /// [`Process::escalated_to`]).
            pub fn escalation(&self) -> Option<(crate::community::BodyId, jiff::Timestamp)> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::escalated_to(s),)+
                }
            }

            /// Who answers for the process (see [`Process::answerable`]).
            pub fn answerable(&self, route: Option<&Route>, community: &Community) -> Answerable {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::answerable(s, route, community),)+
                }
            }

            /// The members who stepped out of the process (see [`Process::recused`]).
            pub fn recused(&self) -> BTreeSet<MemberId> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::recused(s),)+
                }
            }

            /// Whether `member` is held back from the step the process waits on (see
            /// [`Process::held_back`]).
            pub fn held_back(&self, member: MemberId) -> bool {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::held_back(s, member),)+
                }
            }

            /// The process's own command for declaring interests, if it has one (see
            /// [`Process::declares_interests`]).
            pub fn declares_interests(&self) -> Option<&'static str> {
                match self {
                    $(ProcessState::$variant(_) => <$decider as Process>::declares_interests(),)+
                }
            }

            /// Whether a round opening on `round` may decide for the process now (see
            /// [`Process::takes_round`]).
            ///
            /// # Errors
            ///
            /// Why the process does not wait for that round now.
            pub fn takes_round(&self, round: &StreamId) -> Result<(), String> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::takes_round(s, round),)+
                }
            }

            /// Whether a round may decide for a process of this kind.
            pub fn decided_by_rounds(&self) -> bool {
                match self {
                    $(ProcessState::$variant(_) => <$decider as Process>::DECIDED_BY_ROUNDS,)+
                }
            }

            /// Whether `actor` may end this process by withdrawing a round deciding for it
            /// (see [`Process::withdrawn_by`]).
            ///
            /// # Errors
            ///
            /// Who may withdraw the process, when `actor` may not.
            pub fn withdrawn_by(
                &self,
                actor: MemberId,
                community: &Community,
            ) -> Result<(), &'static str> {
                match self {
                    $(ProcessState::$variant(s) => {
                        <$decider as Process>::withdrawn_by(s, actor, community)
                    })+
                }
            }

            /// Who brings a round deciding for this process (see [`Process::BROUGHT_BY`]).
            pub fn brought_by(&self) -> &'static str {
                match self {
                    $(ProcessState::$variant(_) => <$decider as Process>::BROUGHT_BY,)+
                }
            }

            /// Whether a round deciding for this process is done with it at its close (see
            /// [`Process::TAKES_CONSENT`]).
            pub fn takes_consent(&self) -> bool {
                match self {
                    $(ProcessState::$variant(_) => <$decider as Process>::TAKES_CONSENT,)+
                }
            }

            /// What `events` (this process's, among others) settle of what the process
            /// decides for another (see [`Process::reached`]).
            pub(crate) fn reached(&self, events: &[EngineEvent]) -> Option<Reached> {
                match self {
                    $(
                        ProcessState::$variant(state) => <$decider as Process>::reached(
                            state,
                            events.iter().filter_map(|e| match e {
                                EngineEvent::$variant { event, .. } => Some(event),
                                #[allow(unreachable_patterns)]
                                _ => None,
                            }),
                        ),
                    )+
                }
            }

            /// The events this process records for what the process on stream `from`
            /// reached (see [`Process::take_reached`]).
            pub(crate) fn take_reached(
                &self,
                from: &StreamId,
                reached: &Reached,
                proposes: Option<crate::funding::RoundProposes>,
                ctx: &Context,
            ) -> Option<Result<Vec<EngineEvent>, ProcessError>> {
                match self {
                    $(
                        ProcessState::$variant(state) => <$decider as Process>::take_reached(state, from, reached, proposes, ctx)
                            .map(|r| r
                                .map(|events| events.into_iter().map(EngineEvent::from).collect())
                                .map_err(ProcessError::from)),
                    )+
                }
            }

            /// The events this process records when the process on `round` opens to take
            /// up a matter escalated from it (see [`Process::take_up`]).
            pub(crate) fn take_up(
                &self,
                round: &StreamId,
                ctx: &Context,
            ) -> Option<Result<Vec<EngineEvent>, ProcessError>> {
                match self {
                    $(
                        ProcessState::$variant(state) => <$decider as Process>::take_up(state, round, ctx)
                            .map(|r| r
                                .map(|events| events.into_iter().map(EngineEvent::from).collect())
                                .map_err(ProcessError::from)),
                    )+
                }
            }

            /// The events that end this process because the process it decides for, on
            /// `target`, ended in phase `ended` without it (see [`Process::outlived`]).
            pub(crate) fn outlived(
                &self,
                target: &StreamId,
                ended: &str,
                ctx: &Context,
            ) -> Option<Vec<EngineEvent>> {
                match self {
                    $(
                        ProcessState::$variant(state) => <$decider as Process>::outlived(state, target, ended, ctx)
                            .map(|events| events.into_iter().map(EngineEvent::from).collect()),
                    )+
                }
            }

            /// The changes to the community the process makes when it decides (see
            /// [`Process::adopts`]).
            pub fn adopts(&self) -> Adoption<'_> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::adopts(s),)+
                }
            }

            /// The funding policy the process follows, if it is screened by one (see
            /// [`Process::funding_policy`]).
            pub fn funding_policy(&self) -> Option<&FundingPolicy> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::funding_policy(s),)+
                }
            }

            /// The stream whose record this process's record builds on.
            pub fn cites(&self) -> Option<StreamId> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::cites(s),)+
                }
            }

            /// The process's own projection into a record (see [`Process::record`]).
            pub fn record(
                &self,
                projection: &Projection<'_>,
                cited: Option<DecisionRecord>,
            ) -> Option<DecisionRecord> {
                match self {
                    $(ProcessState::$variant(s) => <$decider as Process>::record(s, projection, cited),)+
                }
            }
        }

        impl ProcessCommand {
            /// If the command starts its process: the kind and routing facts it opens with
            /// (see [`Process::opening`]).
            pub(crate) fn opening(&self, requested: &Requested<'_>) -> Option<Option<Opening>> {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::opening(command, requested),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => None,
                }
            }

            /// The opening command as its process runs it, with what governance and the
            /// community say resolved (see [`Process::resolve`]).
            pub(crate) fn resolve(
                &self,
                witness: &Witness<'_>,
            ) -> Result<Option<ProcessCommand>, ProcessError> {
                match self {
                    $(ProcessCommand::$variant { command } => Ok(<$decider as Process>::resolve(command, witness)?.map(ProcessCommand::from)),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => Ok(None),
                }
            }

            /// Whether what an opening command states about the community is what the
            /// engine sees (see [`Process::witnessed`]).
            pub(crate) fn witnessed(&self, witness: &Witness<'_>) -> Result<(), String> {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::witnessed(command, witness),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => Ok(()),
                }
            }

            /// The command's name, as its process's errors give it.
            pub(crate) fn label(&self) -> &'static str {
                match self {
                    $(ProcessCommand::$variant { command } => command.label(),)+
                    ProcessCommand::Evidence {} => "evidence",
                    ProcessCommand::Part { command } => command.label(),
                    ProcessCommand::Change { .. } => "change",
                }
            }

            /// The members the command names as deciding (see [`Process::deciders`]).
            pub(crate) fn deciders(&self) -> &[MemberId] {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::deciders(command),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => &[],
                }
            }

            /// The role of those who run the process, if only they may send the command
            /// (see [`Process::taken_by`]).
            pub(crate) fn taken_by(&self) -> Option<&'static str> {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::taken_by(command),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => None,
                }
            }

            /// What the command states about the community (see [`Process::claims`]).
            pub(crate) fn claims(&self) -> Vec<Claim<'_>> {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::claims(command),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => Vec::new(),
                }
            }

            /// Whether an opening command asks for the route governance gives.
            pub(crate) fn follows(&self, route: &Route) -> Result<(), String> {
                match self {
                    $(ProcessCommand::$variant { command } => <$decider as Process>::follows(command, route),)+
                    ProcessCommand::Evidence {} | ProcessCommand::Part { .. } | ProcessCommand::Change { .. } => Ok(()),
                }
            }
        }

        $(
            impl sealed::Sealed for $decider {}

            impl Listed for $decider {
                fn state_of(state: &ProcessState) -> Option<&$state> {
                    match state {
                        ProcessState::$variant(s) => Some(s),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )+
    };
}

processes! {
    /// A consent round (or another method run as a round).
    Consent("round"): ConsentProcess (RoundCommand, RoundEvent, RoundState, ConsentError),
    /// A proposal's lifecycle.
    Proposal("proposal"): ProposalProcess (ProposalCommand, ProposalEvent, ProposalState, ProposalError),
    /// A funding or partnership decision.
    Funding("funding decision"): FundingProcess (FundingCommand, FundingEvent, FundingState, FundingError),
}
