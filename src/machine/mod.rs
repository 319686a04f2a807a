//! The state-machine pattern every decision process is written in.
//!
//! A process (a consent round, a proposal, a funding decision) is a [`Decider`]:
//!
//! - [`Decider::decide`] looks at the current state and a command and either returns the
//!   events that the command causes or refuses it with an error. It never mutates anything,
//!   so a refused command changes nothing.
//! - [`Decider::evolve`] folds one event into the state. It is total: it never fails, because
//!   the events it sees were either produced by `decide` or read back from a journal of such
//!   events. The same function serves live runs and replay.
//! - [`Decider::apply`] does both for a caller that keeps the state itself: it decides, and
//!   folds the events into the state in place when the command is taken (a refused command
//!   leaves the state as it was). By default it is [`decide_then_evolve`]; a process may
//!   check and record in one step where that saves work (a consent round finds a
//!   responding member's seat once), and the [`testkit`] holds it to the two-step result on
//!   every command a test sends. The engine keeps the two steps apart: it appends a
//!   command's events to its journal before the state moves.
//! - [`Decider::TRANSITIONS`] declares the phases and the allowed phase changes. Turned into a
//!   [`TransitionGraph`] (petgraph underneath) it is checked once: every phase reachable from
//!   the start, every non-final phase able to reach a final one, no exit from a final phase.
//!   The graph draws itself as Graphviz DOT through the [`Dot`] adapter, and
//!   [`evolve_checked`] verifies that a run only takes declared transitions.
//!
//! The wall clock is never read: the acting member and the time come in with every command
//! as a [`Context`].
//!
//! What every process refuses alike (not started, wrong phase, wrong role, a blank text, a
//! clock gone back, ...) is one vocabulary, [`RefusalKind`], made by shared checks
//! ([`need_phase`], [`need_text`], [`need_clock`], [`need_ahead`],
//! [`need_next_on_chain`]); each process's own error converts from it.
//!
//! Each process also has a typestate façade (`ConsentRound<P>`, `Lifecycle<P>`,
//! `Funding<P>`), written from one *step table*: for each phase, the steps it offers, the
//! command each sends, and the phase or phases it lands in. Every typed step checks where it
//! landed and refuses a landing its row does not name with a [`PhaseMismatch`]; the table is
//! data too ([`Facade::steps`], rows of [`Step`]), and the same steps can be taken by a
//! runtime command through [`Facade::step`].
//!
//! The [`testkit`] module holds a given/when/then kit for writing rules as one-sentence tests,
//! and [`testkit::StepCheck`], which checks a façade's step table against `TRANSITIONS` and
//! against what `decide` and `evolve` do (and `apply` against both, in either).
//!
//! # Example
//!
//! A two-phase machine: a notice that is posted and then taken down.
//!
//! ```
//! use coproduction::community::MemberId;
//! use coproduction::machine::{Context, Decider, Events, Phase, Transitions};
//!
//! #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
//! enum NoticePhase { Draft, Posted, Removed }
//!
//! impl Phase for NoticePhase {
//!     fn label(self) -> &'static str {
//!         match self {
//!             NoticePhase::Draft => "draft",
//!             NoticePhase::Posted => "posted",
//!             NoticePhase::Removed => "removed",
//!         }
//!     }
//! }
//!
//! #[derive(Debug, Clone, PartialEq)]
//! enum NoticeEvent { Posted, Removed }
//!
//! #[derive(Debug, PartialEq, thiserror::Error)]
//! #[error("cannot {attempted} a notice in phase `{}`", phase.label())]
//! struct NoticeError { attempted: &'static str, phase: NoticePhase }
//!
//! struct Notice;
//!
//! impl Decider for Notice {
//!     type State = NoticePhase;
//!     type Command = NoticeEvent; // commands and events coincide in this toy
//!     type Event = NoticeEvent;
//!     type Error = NoticeError;
//!     type Phase = NoticePhase;
//!
//!     const TRANSITIONS: Transitions<NoticePhase> = Transitions {
//!         machine: "notice",
//!         start: NoticePhase::Draft,
//!         phases: &[NoticePhase::Draft, NoticePhase::Posted, NoticePhase::Removed],
//!         finals: &[NoticePhase::Removed],
//!         edges: &[
//!             (NoticePhase::Draft, NoticePhase::Posted),
//!             (NoticePhase::Posted, NoticePhase::Removed),
//!         ],
//!     };
//!
//!     fn initial() -> NoticePhase { NoticePhase::Draft }
//!     fn phase(state: &NoticePhase) -> NoticePhase { *state }
//!
//!     fn decide(state: &NoticePhase, command: &NoticeEvent, _: &Context)
//!         -> Result<Events<NoticeEvent>, NoticeError>
//!     {
//!         match (state, command) {
//!             (NoticePhase::Draft, NoticeEvent::Posted) => Ok(Events::one(NoticeEvent::Posted)),
//!             (NoticePhase::Posted, NoticeEvent::Removed) => Ok(Events::one(NoticeEvent::Removed)),
//!             (phase, NoticeEvent::Posted) => Err(NoticeError { attempted: "post", phase: *phase }),
//!             (phase, NoticeEvent::Removed) => Err(NoticeError { attempted: "remove", phase: *phase }),
//!         }
//!     }
//!
//!     fn evolve(_: NoticePhase, event: &NoticeEvent) -> NoticePhase {
//!         match event {
//!             NoticeEvent::Posted => NoticePhase::Posted,
//!             NoticeEvent::Removed => NoticePhase::Removed,
//!         }
//!     }
//! }
//!
//! let graph = Notice::graph()?;
//! assert!(graph.allows(NoticePhase::Draft, NoticePhase::Posted));
//! assert!(!graph.allows(NoticePhase::Removed, NoticePhase::Posted));
//!
//! let ctx = Context::new(MemberId::new(1), "2021-04-19T10:00:00Z".parse()?);
//! let removed = Notice::decide(&NoticePhase::Draft, &NoticeEvent::Removed, &ctx);
//! assert_eq!(removed.unwrap_err().to_string(), "cannot remove a notice in phase `draft`");
//! let events = Notice::decide(&Notice::initial(), &NoticeEvent::Posted, &ctx)
//!     .expect("a draft is posted"); // the notice's own error, not the crate's
//! let state = coproduction::machine::evolve_checked::<Notice>(Notice::initial(), &events)?;
//! assert_eq!(state, NoticePhase::Posted);
//! # Ok::<(), coproduction::Error>(())
//! ```

mod dot;
mod events;
mod graph;
mod refusal;
pub mod testkit;
mod typestate;

use std::fmt::Debug;
use std::hash::Hash;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::governance::Route;

pub use dot::Dot;
pub(crate) use dot::Quoted;
pub use events::{Events, IntoIter as EventsIntoIter};
pub use graph::{GraphError, TransitionGraph};
pub(crate) use refusal::comma_list;
pub use refusal::{RefusalKind, need_ahead, need_clock, need_next_on_chain, need_phase, need_text};
pub use typestate::{CommandOf, Facade, PhaseMismatch, PhaseOf, Step, StepOf};
pub(crate) use typestate::{previews, typestate};

/// Declares a process's phase enum: the doc comment and variants given, the derives every
/// phase has, its `snake_case` name on the wire and as its [`Phase::label`] (one spelling,
/// derived from the variant's name), the list of every phase (`ALL`) and the [`Phase`] impl.
macro_rules! phase_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize, strum::IntoStaticStr)]
        #[strum(serialize_all = "snake_case")]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every phase, in the order declared, which is the order diagrams list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
        }

        impl $crate::machine::Phase for $name {
            fn label(self) -> &'static str {
                self.into()
            }
        }
    };
}
pub(crate) use phase_enum;

/// A phase of a process: one node of its transition graph.
///
/// Phases are small `Copy` enums. The label is what diagrams, errors and reports show, so it
/// must be stable: changing it changes the documented output.
pub trait Phase: Copy + Eq + Ord + Hash + Debug + Send + Sync + 'static {
    /// The stable `snake_case` name of this phase, used in DOT output and error messages.
    fn label(self) -> &'static str;
}

/// The declared phases and allowed phase changes of a machine, as constant data.
///
/// It is checked when turned into a [`TransitionGraph`] with [`TransitionGraph::new`].
/// Phases, finals and edges keep their declaration order in every output, so a diagram does
/// not change unless the declaration does.
#[derive(Debug, Clone, Copy)]
pub struct Transitions<P: 'static> {
    /// The machine's name, as it appears in DOT output and errors.
    pub machine: &'static str,
    /// The phase every run starts in.
    pub start: P,
    /// Every phase, in the order diagrams list them.
    pub phases: &'static [P],
    /// The phases a run ends in; they have no exits.
    pub finals: &'static [P],
    /// The allowed phase changes, `(from, to)`.
    pub edges: &'static [(P, P)],
}

/// Who acts, and when, and the route governance gave the process: supplied with every
/// command, because the library never reads the clock, decides who is logged in, or reads a
/// governance map on its own.
///
/// The route is what an [`Engine`](crate::engine::Engine) resolved when the process opened
/// (and journalled with it); a process that needs one (a proposal made ready, a funding
/// offer screened) takes it from here, never from a command. Without an engine, give it
/// with [`Context::with_route`]. On the wire a context is `{"actor": 3, "now": "..."}`: the
/// route is not part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context<'r> {
    /// The member issuing the command.
    pub actor: MemberId,
    /// The time the command is issued at.
    pub now: Timestamp,
    /// The route governance gave the process, if any.
    #[serde(skip)]
    pub route: Option<&'r Route>,
}

impl Context<'static> {
    /// A context for a command issued by `actor` at `now`, with no route.
    pub const fn new(actor: MemberId, now: Timestamp) -> Self {
        Self {
            actor,
            now,
            route: None,
        }
    }
}

impl<'r> Context<'r> {
    /// The same context, with the route governance gave the process.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, DecisionKind, Governance, MemberId};
    /// use coproduction::machine::Context;
    ///
    /// let community: Community = serde_json::from_str(include_str!("../../examples/data/community.json"))?;
    /// let governance = Governance::from_json(include_str!("../../examples/data/governance.json"), &community)?;
    /// let route = governance.route(&DecisionKind::WorkingModel, Default::default())?;
    /// let ctx = Context::new(MemberId::new(2), "2021-08-02T09:00:00Z".parse()?).with_route(&route);
    /// assert_eq!(ctx.route.map(|r| r.decider.as_str()), Some("associate_roles_team"));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub const fn with_route<'a>(self, route: &'a Route) -> Context<'a> {
        self.routed(Some(route))
    }

    /// The same context, with the route governance gave the process, if any.
    pub const fn routed<'a>(self, route: Option<&'a Route>) -> Context<'a> {
        Context {
            actor: self.actor,
            now: self.now,
            route,
        }
    }
}

/// A decision process written as a pure decider: `decide` validates a command against the
/// state and returns events; `evolve` folds an event into the state.
///
/// Implementors are usually unit structs; all functions are associated functions, because a
/// process's configuration lives in its state (fixed by the event that opened it), not in
/// the decider.
pub trait Decider {
    /// The whole state of one process instance.
    type State: Clone + Debug;
    /// What callers ask the process to do.
    type Command;
    /// What happened: the facts that `evolve` folds and the journal keeps.
    type Event: Clone + Debug;
    /// Why a command was refused.
    type Error: std::error::Error;
    /// The phases of the process.
    type Phase: Phase;

    /// The declared phases and transitions.
    const TRANSITIONS: Transitions<Self::Phase>;

    /// The state before any event.
    fn initial() -> Self::State;

    /// The phase a state is in.
    fn phase(state: &Self::State) -> Self::Phase;

    /// Validates `command` in `state` and returns the events it causes. Pure: it mutates
    /// nothing, so a refused command leaves everything as it was.
    ///
    /// # Errors
    ///
    /// The machine's error when the command is not allowed in this phase, for this actor, or
    /// with this data.
    fn decide(
        state: &Self::State,
        command: &Self::Command,
        ctx: &Context<'_>,
    ) -> Result<Events<Self::Event>, Self::Error>;

    /// Folds one event into the state. Total: never fails and never panics.
    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;

    /// Decides `command` in `state` and folds the events it causes into `state`, returning
    /// them: `decide` then `evolve` for each event, in one call, for a caller that keeps
    /// the state itself (an app driving a process directly, a test). A refused
    /// command leaves `state` as it was.
    ///
    /// The default is [`decide_then_evolve`]. A process may override it with a path that
    /// checks and records in one step (the consent round does, for a response, so a large
    /// round finds each member's seat once); the override must give the same events, state
    /// and refusals, which [`testkit`] checks on every command a test sends.
    ///
    /// # Errors
    ///
    /// The machine's error, as [`Decider::decide`] gives it; `state` is then unchanged.
    fn apply(
        state: &mut Self::State,
        command: &Self::Command,
        ctx: &Context<'_>,
    ) -> Result<Events<Self::Event>, Self::Error> {
        decide_then_evolve::<Self>(state, command, ctx)
    }

    /// Rebuilds a state from the events of one process, in order.
    fn replay<'a, I>(events: I) -> Self::State
    where
        I: IntoIterator<Item = &'a Self::Event>,
        Self::Event: 'a,
    {
        events.into_iter().fold(Self::initial(), Self::evolve)
    }

    /// The checked transition graph of [`Self::TRANSITIONS`].
    ///
    /// # Errors
    ///
    /// A [`GraphError`] naming the phase when the declaration is broken.
    fn graph() -> Result<TransitionGraph<Self::Phase>, GraphError> {
        TransitionGraph::new(&Self::TRANSITIONS)
    }
}

/// [`Decider::apply`] as two steps: `decide` on `state` as it is, then, when the command is
/// taken, `evolve` for each event it caused. A refused command leaves `state` as it was.
///
/// # Errors
///
/// The machine's error, as [`Decider::decide`] gives it.
pub fn decide_then_evolve<D: Decider + ?Sized>(
    state: &mut D::State,
    command: &D::Command,
    ctx: &Context<'_>,
) -> Result<Events<D::Event>, D::Error> {
    let events = D::decide(state, command, ctx)?;
    // `evolve` takes the state by value and is total, so the placeholder never outlives
    // this statement.
    let before = std::mem::replace(state, D::initial());
    *state = events.iter().fold(before, D::evolve);
    Ok(events)
}

/// Evolves `state` through `events`, checking that every phase change is a declared
/// transition of `D`.
///
/// `evolve` itself is total and trusts its input; this is the check that tests and replay
/// tools run to prove that a run stayed on the declared graph.
///
/// # Errors
///
/// [`GraphError::UndeclaredTransition`] naming the phases of the first change that the graph
/// does not declare, or any error of [`Decider::graph`].
pub fn evolve_checked<D: Decider>(
    state: D::State,
    events: &[D::Event],
) -> Result<D::State, GraphError> {
    let graph = D::graph()?;
    events.iter().try_fold(state, |state, event| {
        let from = D::phase(&state);
        let next = D::evolve(state, event);
        graph.check_step(from, D::phase(&next))?;
        Ok(next)
    })
}
