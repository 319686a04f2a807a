//! The process layer: what every decision process offers the engine and the metrics, and
//! the one list of the processes the engine runs.
//!
//! A [`Process`] is a [`Decider`] that also says
//!
//! - which of its events *decide* (move it to a decided state), so the value gate runs
//!   before they are written;
//! - which other process its record builds on (a proposal on the round that decided it, a
//!   funding decision on its consent round): [`Process::cites`];
//! - how its state projects into a [`DecisionRecord`], given a [`Projection`]: the
//!   community, the route governance gave when the process opened, the time, and the record
//!   of the process it cites;
//! - how it opens: the decision's kind and the facts governance routes it on
//!   ([`Process::opening`]), and whether what it asks for is the route governance gives
//!   ([`Process::follows`]);
//! - how a round and the process it decides for settle each other, in one batch: what the
//!   round reached, taken by that process ([`Process::reached`], [`Process::take_reached`]),
//!   and a round ended when that process ends without it ([`Process::outlived`]).
//!
//! One list of processes, at the bottom of this module, generates the engine's wire
//! enums ([`ProcessKind`], [`ProcessCommand`], [`EngineEvent`]), the state of one stream
//! ([`ProcessState`]), their refusal ([`ProcessError`]) and the dispatch between them.
//! What every process refuses alike is one vocabulary ([`RefusalKind`](crate::machine::RefusalKind)),
//! which each process's error carries as a [`Refusal`] naming the process. The
//! engine and the metrics both build on this module: a new process touches its own module
//! and that list.
//!
//! # Example
//!
//! The engine's types are generated from the list, with a `From` conversion from each
//! process's own command:
//!
//! ```
//! use coproduction::consent::{ConsentProcess, RoundCommand};
//! use coproduction::process::{Process, ProcessCommand, ProcessKind};
//!
//! let command = ProcessCommand::from(RoundCommand::Advance {});
//! assert_eq!(command.process(), Some(ProcessKind::Consent));
//! assert_eq!(ConsentProcess::KIND, ProcessKind::Consent);
//! let json = serde_json::to_string(&command)?;
//! assert_eq!(json, r#"{"process":"consent","command":{"type":"advance"}}"#);
//! # Ok::<(), coproduction::Error>(())
//! ```

pub mod due;
mod list;
pub mod part;
mod refusal;
mod stream;

use jiff::Timestamp;

use std::collections::BTreeSet;

use crate::community::{BodyId, Community, MemberId};
use crate::decision::DecisionKind;
use crate::funding::FundingPolicy;
use crate::governance::{Route, RouteFacts};
use crate::journal::StreamId;
use crate::living::{Adoption, Version};
use crate::machine::{Context, Decider, Events};
use crate::values::DecisionRecord;

pub use due::{Due, DueItem};
pub use list::{EngineEvent, Listed, ProcessCommand, ProcessError, ProcessKind, ProcessState};
pub use part::{PartCommand, PartContext, PartError, PartEvent, Parts};
pub use refusal::Refusal;
pub use stream::{Stream, Streams};

pub(crate) use stream::{cited_record, upcast};

/// What the engine needs to project a process into its decision record.
#[derive(Debug, Clone, Copy)]
pub struct Projection<'a> {
    /// What the decision is about, as the process was opened with.
    pub kind: &'a DecisionKind,
    /// The community, for the roles and make-up of those who took part.
    pub community: &'a Community,
    /// The route governance gave when the process opened, if the engine routes.
    pub route: Option<&'a Route>,
    /// The time the record is made as of.
    pub now: Timestamp,
}

/// The decision record `state` would project after `command`: decide, evolve a copy,
/// project ([`Process::record`], building on `cited`). The one way a decided state is
/// previewed for the value gate: the engine previews a stream so before each deciding event
/// (adding the evidence and what members did beside the process), and the typed façades'
/// `preview` calls this. Nothing changes: `state` is only read.
///
/// # Errors
///
/// The process's refusal of `command`.
pub fn preview<P: Process>(
    state: &P::State,
    command: &P::Command,
    ctx: &Context<'_>,
    projection: &Projection<'_>,
    cited: Option<DecisionRecord>,
) -> Result<Option<DecisionRecord>, P::Error> {
    let events = P::decide(state, command, ctx)?;
    let after = events.iter().fold(state.clone(), P::evolve);
    Ok(P::record(&after, projection, cited))
}

/// What a process that decides for another (a round for a proposal or a funding decision)
/// reached with a request, for the engine to record in the other in the same atomic batch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reached {
    /// Consent carried; the outcome is not recorded yet.
    Consented,
    /// Adopted, to be reviewed on `review_date`.
    Adopted {
        /// When the agreement comes back for review.
        review_date: Timestamp,
    },
    /// Declined.
    Declined,
    /// Withdrawn.
    Withdrawn,
    /// Deferred, or broken down: nothing decided.
    Deferred,
    /// Escalated to another body.
    Escalated {
        /// The body.
        to: BodyId,
    },
}

/// What a request names beside its command, and the community's documents in force: what a
/// process may open with where its command does not say ([`Process::opening`]).
#[derive(Debug, Clone, Copy)]
pub struct Requested<'a> {
    /// What the decision is about, as the request names it.
    pub kind: Option<&'a DecisionKind>,
    /// The facts governance routes on, as the request gives them.
    pub facts: Option<&'a RouteFacts>,
    /// The community's documents in force (a funding decision screens by its funding
    /// policy).
    pub in_force: &'a Version,
}

/// What the engine knows when a process opens, beyond the command: the route governance
/// gives, the community as it stands, and the members who stepped out of the process this
/// one decides for (a funding decision's recusals, declared there by the members).
#[derive(Debug, Clone, Copy)]
pub struct Witness<'a> {
    /// The route governance gives, if the engine routes.
    pub route: Option<&'a Route>,
    /// The community as it stands.
    pub community: &'a Community,
    /// Members who stepped out of the process decided for.
    pub recused: &'a BTreeSet<MemberId>,
    /// The funding policy in force, if the community keeps one in its journal.
    pub funding_policy: Option<&'a FundingPolicy>,
}

/// Who answers for a process beyond the commands its machine checks: who may attest the facts
/// the engine cannot witness (evidence), and who may override a value finding for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answerable {
    /// Members who may record evidence for the process.
    pub attest: BTreeSet<MemberId>,
    /// Members who may override or acknowledge a finding of the value-check.
    pub overrule: BTreeSet<MemberId>,
}

/// What a command states about the community that the engine witnesses against the
/// community's history, whatever the process's phase ([`Process::claims`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim<'a> {
    /// `body` is one the community has now; `what` says what the command names it as.
    Body {
        /// What the command names the body as ("the body that agreed the evaluation").
        what: &'static str,
        /// The body.
        body: &'a BodyId,
    },
    /// The member who sends the command is in `body` now: `what` says what the command
    /// has them do there ("comments in the window of").
    ActorIn {
        /// What the command has the actor do in the body, followed by the body's id in a
        /// refusal ("member m20 comments in the window of `allies_group` but is not in it").
        what: &'static str,
        /// The body.
        body: &'a BodyId,
    },
    /// `member` was a member of the community at `at`.
    MemberAt {
        /// What the command names the member as ("the author of words gathered").
        what: &'static str,
        /// The member.
        member: MemberId,
        /// When they must have been a member.
        at: Timestamp,
    },
}

/// How a process opens: the decision's kind and the facts governance routes it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// What the decision is about.
    pub kind: DecisionKind,
    /// What governance routes on, when the route depends on more than the kind.
    pub facts: Option<RouteFacts>,
}

/// A decision process the engine runs: a [`Decider`] that knows its deciding events, the
/// process it cites, and how it projects into a [`DecisionRecord`]. See the
/// [module guide](self).
pub trait Process: Decider {
    /// The process's kind, its tag on the wire.
    const KIND: ProcessKind;

    /// Whether `event` moves the process to a decided state: the value gate runs before
    /// such an event is written, and the event carries the gate's summary.
    fn decides(event: &Self::Event) -> bool;

    /// Whether `event` ends what the process adopted (a retirement): the changes to the
    /// community it adopted that have not taken effect yet are withdrawn with it, in the
    /// same batch. None, by default.
    fn revokes(_event: &Self::Event) -> bool {
        false
    }

    /// The stream of the process whose record this process's record builds on, if any.
    fn cites(state: &Self::State) -> Option<StreamId>;

    /// The process as evidence for the value-check, given what the engine knows around it
    /// and the record of the process it [cites](Process::cites), or, when it cites none,
    /// of the process it decides for (when that runs in the same engine). `None` before the
    /// process has started.
    fn record(
        state: &Self::State,
        projection: &Projection<'_>,
        cited: Option<DecisionRecord>,
    ) -> Option<DecisionRecord>;

    /// If `command` starts the process: its kind and routing facts, from the command itself
    /// or, where the command does not carry them, from what the request names and the
    /// community's documents in force (`requested`). `Some(None)` when the command opens the
    /// process but the kind is missing.
    fn opening(command: &Self::Command, requested: &Requested<'_>) -> Option<Option<Opening>>;

    /// An opening command that leaves to the engine what governance and the community say
    /// (a round opened on its route, say), as the command the process runs: `None` when
    /// `command` needs nothing resolved.
    ///
    /// # Errors
    ///
    /// The process's refusal: no route to resolve, or a route the command cannot follow.
    fn resolve(
        command: &Self::Command,
        witness: &Witness<'_>,
    ) -> Result<Option<Self::Command>, Self::Error> {
        let _ = (command, witness);
        Ok(None)
    }

    /// Whether what the opening `command` states about the community (who is eligible, and
    /// with which lived experience) is what the engine sees; `Err` names the first
    /// difference. Processes that state nothing about the community keep the default.
    ///
    /// # Errors
    ///
    /// The first difference, in words.
    fn witnessed(command: &Self::Command, witness: &Witness<'_>) -> Result<(), String> {
        let _ = (command, witness);
        Ok(())
    }

    /// What any command of the process states about the community (a body it names, a
    /// member it quotes as of a time), for the engine to witness against the community's
    /// history before the command is taken. The default: nothing.
    fn claims(command: &Self::Command) -> Vec<Claim<'_>> {
        let _ = command;
        Vec::new()
    }

    /// If `command` is a step only a member who runs the process may take (one of those
    /// [`answerable`](Process::answerable) names as attesting for it), the role they hold,
    /// as a refusal names it: a step that moves the process on, as a round's steps are its
    /// facilitator's. The engine refuses it from anyone else when the process has a route
    /// ([`RefusalKind::WrongRole`](crate::machine::RefusalKind::WrongRole)). The default:
    /// `None` for every command (a process whose own rules check roles, as a round's and a
    /// proposal's do, says so there).
    fn taken_by(command: &Self::Command) -> Option<&'static str> {
        let _ = command;
        None
    }

    /// The members `command` names as deciding (a funding decision's deciders): the engine
    /// takes them only from the deciding body the route gives, so a record cannot name as a
    /// decider someone the route does not seat (whether a decider stepped out is the
    /// process's own rule). The default: none.
    fn deciders(command: &Self::Command) -> &[MemberId] {
        let _ = command;
        &[]
    }

    /// Who answers for the process as it stands (see [`Answerable`]), given the route
    /// governance gave it and the community. The default: nobody.
    fn answerable(state: &Self::State, route: Option<&Route>, community: &Community) -> Answerable {
        let _ = (state, route, community);
        Answerable::default()
    }

    /// The changes to the community the process makes when it decides (a proposal's
    /// [`changes`](crate::proposal::ProposalConfig::changes)), and from when: the engine
    /// writes them to the community's stream in the same batch as the deciding event.
    fn adopts(state: &Self::State) -> Adoption<'_> {
        let _ = state;
        Adoption::default()
    }

    /// The funding policy the process follows, fixed when it opened (a funding decision's):
    /// its gate summary names it by hash. The default: none.
    fn funding_policy(state: &Self::State) -> Option<&FundingPolicy> {
        let _ = state;
        None
    }

    /// The members who stepped out of this process (declared a conflict and recused), as
    /// its own events record them: a round deciding for it seats none of them.
    fn recused(state: &Self::State) -> BTreeSet<MemberId> {
        let _ = state;
        BTreeSet::new()
    }

    /// Whether `member`, who runs the process, is held back by its own rule from the step
    /// it waits on now (a funding decision in consultation: an interest declared and not
    /// stepped out from holds them back from starting its deciding). The default: nobody.
    fn held_back(state: &Self::State, member: MemberId) -> bool {
        let _ = (state, member);
        false
    }

    /// The process's own command through which members declare their interests in it,
    /// where it has one that its rules read (a funding decision's `declare_interest`): the
    /// shared [`PartCommand::DeclareInterests`] and [`PartCommand::Recuse`] are then refused
    /// on it, so that an interest is declared one way and read one way. The default: none.
    fn declares_interests() -> Option<&'static str> {
        None
    }

    /// What the process reaches with `events` from `state`, when that settles what it
    /// decides for another process; `None` when the events settle nothing. Processes that
    /// decide for no other keep the default.
    fn reached<'a>(
        state: &Self::State,
        events: impl Iterator<Item = &'a Self::Event> + Clone,
    ) -> Option<Reached>
    where
        Self::Event: 'a,
    {
        let _ = (state, events);
        None
    }

    /// Whether a process of this kind takes what a round deciding for it reaches.
    const DECIDED_BY_ROUNDS: bool = false;

    /// Whether `actor`, withdrawing a round that decides for this process, may end the
    /// process with it, `community` as it stands: where the round's withdrawal would
    /// withdraw the process (a proposal's first decision), `Err` names who may withdraw
    /// it, as a refusal reads
    /// ([`EngineError::RoundWithdrawsTarget`](crate::engine::EngineError::RoundWithdrawsTarget)).
    /// The default: `Ok`, the round's own rules say who withdraws it.
    ///
    /// # Errors
    ///
    /// Who may withdraw the process, when `actor` may not.
    fn withdrawn_by(
        state: &Self::State,
        actor: MemberId,
        community: &Community,
    ) -> Result<(), &'static str> {
        let _ = (state, actor, community);
        Ok(())
    }

    /// Who brings a round deciding for a process of this kind, as a refusal names them:
    /// the members [`answerable`](Process::answerable) names as attesting for it and the
    /// members of the body its route gives the decision, less those who stepped out of
    /// it. The engine refuses a round deciding for it opened by anyone else, or naming
    /// anyone else as its proposer (who withdraws it, where
    /// [`withdrawn_by`](Process::withdrawn_by) lets them)
    /// ([`EngineError::RoundNotTheirs`](crate::engine::EngineError::RoundNotTheirs)).
    const BROUGHT_BY: &'static str = "a member who runs it or sits on the body its route gives the decision, who has not stepped out of it";

    /// Whether a round deciding for a process of this kind is done with it at its close:
    /// the process takes the consent the round reached and then decides itself, so no
    /// outcome is recorded in the round (a funding decision, whose deciders decide once the
    /// round consented). `false`: the process waits for the round's outcome (a proposal,
    /// adopted by it).
    const TAKES_CONSENT: bool = false;

    /// Whether a round opening now on stream `round` may decide for this process: `Err`
    /// says why not (a proposal whose steward has not started a decision naming that
    /// round; an offer not in consultation). A round that took consent the process was not
    /// waiting for would have it read as consent to whatever the process holds by the time
    /// it ends. Processes no round decides for keep the default.
    ///
    /// # Errors
    ///
    /// Why the process does not wait for that round now.
    fn takes_round(state: &Self::State, round: &StreamId) -> Result<(), String> {
        let _ = (state, round);
        Ok(())
    }

    /// The events this process records when the process on stream `from`, which decides for
    /// it, reaches `reached`: `None` when there is nothing to record (a proposal waits for
    /// its round's adoption, not its consent). `proposes` is what the round said, when it
    /// opened, it proposes for a funding or partnership decision. The engine witnessed what
    /// it records, so no member's role is asked for; the process's own rules (its phase,
    /// the round it waits for) still apply.
    ///
    /// # Errors
    ///
    /// The process's refusal: the result does not fit where it stands.
    fn take_reached(
        state: &Self::State,
        from: &StreamId,
        reached: &Reached,
        proposes: Option<crate::funding::RoundProposes>,
        ctx: &Context,
    ) -> Option<Result<Events<Self::Event>, Self::Error>> {
        let _ = (state, from, reached, proposes, ctx);
        None
    }

    /// The events this process records when the process on stream `round` opens to take up
    /// a matter that a round deciding for this one escalated: `None` when the escalation
    /// left nothing here to decide (the process ended with it), and the take-up then
    /// decides for no process; otherwise what registers `round` as the one that decides
    /// here now (a proposal's review escalated by its reassessment round). The engine
    /// witnessed the escalation and the take-up, so no member's role is asked for.
    ///
    /// # Errors
    ///
    /// The process's refusal: the take-up does not fit where it stands.
    fn take_up(
        state: &Self::State,
        round: &StreamId,
        ctx: &Context,
    ) -> Option<Result<Events<Self::Event>, Self::Error>> {
        let _ = (state, round, ctx);
        None
    }

    /// The events that end this process when the process it decides for, on stream
    /// `target`, ends without it (an offer withdrawn while its round runs): the engine
    /// records them in the same batch, so that no round goes on deciding for a matter that
    /// has ended. `ended` names the phase the target ended in. `None` when this process has
    /// ended already, or is not one that decides for another.
    fn outlived(
        state: &Self::State,
        target: &StreamId,
        ended: &str,
        ctx: &Context,
    ) -> Option<Events<Self::Event>> {
        let _ = (state, target, ended, ctx);
        None
    }

    /// What the process waits on at `now` (see the guide of [`due`]): responses,
    /// answers, a time box passed, a review date. Processes with nothing to wait on keep
    /// the default: nothing.
    fn due(state: &Self::State, now: Timestamp) -> Vec<DueItem> {
        let _ = (state, now);
        Vec::new()
    }

    /// The step the process's own configuration chose for `now`, with the events that take
    /// it (a round's [`AtDeadline`](crate::consent::AtDeadline) once its time box has
    /// passed): `None` when nothing is due or the configuration chose nothing. The engine's
    /// [`tick`](crate::engine::Engine::tick) journals the events, by
    /// [`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR). Processes that take no step on their
    /// own keep the default.
    fn lapse(
        state: &Self::State,
        now: Timestamp,
    ) -> Option<(crate::consent::DeadlineStep, Events<Self::Event>)> {
        let _ = (state, now);
        None
    }

    /// The body the process was escalated to, and when, once it has been: a process
    /// opened in that body may take the matter up
    /// ([`Request::escalated_from`](crate::engine::Request)). Processes that never
    /// escalate keep the default: none.
    fn escalated_to(state: &Self::State) -> Option<(BodyId, Timestamp)> {
        let _ = state;
        None
    }

    /// Whether the opening `command` asks for what the `route` governance gives; `Err`
    /// describes what it asks for, as "`body` by method", when it does not. Processes that
    /// take their route from governance follow it by construction.
    ///
    /// # Errors
    ///
    /// The description of the route the command asks for, when it differs.
    fn follows(command: &Self::Command, route: &Route) -> Result<(), String> {
        let _ = (command, route);
        Ok(())
    }
}
