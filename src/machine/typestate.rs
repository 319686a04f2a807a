//! The frame every typestate façade shares: consent rounds, proposals, funding decisions.
//!
//! A façade wraps a [`Decider`]'s runtime data in a type whose parameter is its phase, so a
//! step the phase does not allow does not compile. Each façade is written as one *step
//! table*: for each phase (or group of phases), the steps it offers, the command each sends,
//! and the phase or phases it lands in. [`typestate!`] turns the table into the façade:
//!
//! - the phase markers (sealed, each naming its runtime twin) and the marker groups that
//!   share steps;
//! - the wrapper, holding the runtime data, the events produced through it, and the value
//!   gate's proof its last gated step took;
//! - one method per step, which runs the command through `decide` and `evolve` and checks
//!   where it landed: a landing the row does not name is refused with a typed error
//!   ([`PhaseMismatch`]), the process handed back unchanged;
//! - an enum per step that can land in several phases, and the enum of every phase;
//! - `TryFrom` the runtime state for each typed form, checked the same way;
//! - the table itself as data ([`Facade::steps`], rows of [`Step`]), which
//!   [`testkit::StepCheck`](super::testkit::StepCheck) checks against the decider's
//!   `TRANSITIONS` and against what `decide` and `evolve` do;
//! - [`Facade`], the same steps taken by a runtime command, for code generic over processes.
//!
//! A step that moves a process to a decided state takes the value gate's
//! [`GatePassed`] by value, refuses a proof made for another process (or for this one before
//! its last event), and keeps the proof with the process it lands in, as rustls moves a
//! verified certificate into its next state.

use std::fmt;

use super::{Context, Decider, Phase};
use crate::values::{GatePassed, Subject};

/// One row of a façade's step table: a typed step, the phases that offer it, the phases it
/// may land in, and which commands it sends.
///
/// Written by the crate's `typestate!` macro from the table, and read by
/// [`testkit::StepCheck`](super::testkit::StepCheck) and by [`Facade::step`].
#[derive(Clone, Copy)]
pub struct Step<P: 'static, C: 'static> {
    /// The step's name: the façade's method.
    pub name: &'static str,
    /// The phases whose typed values offer the step.
    pub from: &'static [P],
    /// The phases the step may land in from each phase that offers it: one, or the
    /// variants of its enum (empty for a phase that does not offer it).
    pub lands: fn(P) -> &'static [P],
    /// Whether the step takes the value gate's proof.
    pub gated: bool,
    /// Whether `command` is one the step sends (the step's command, whatever its data).
    pub sends: fn(&C) -> bool,
}

impl<P: Phase, C> fmt::Debug for Step<P, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step")
            .field("name", &self.name)
            .field("from", &self.from)
            .field(
                "lands",
                &self
                    .from
                    .iter()
                    .map(|&p| (self.lands)(p))
                    .collect::<Vec<_>>(),
            )
            .field("gated", &self.gated)
            .finish_non_exhaustive()
    }
}

impl<P: Phase, C> Step<P, C> {
    /// The phase changes the row declares: every `(from, to)` with `from != to`.
    pub fn edges(&self) -> impl Iterator<Item = (P, P)> + '_ {
        self.from.iter().flat_map(move |&from| {
            (self.lands)(from)
                .iter()
                .filter(move |&&to| to != from)
                .map(move |&to| (from, to))
        })
    }
}

/// A process taken as a typed phase it is not in: a typed step that landed in a phase its
/// row of the step table does not name, or a runtime state offered to a typed phase not its
/// own. Refused inside the process's own error; the process is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseMismatch<P: Phase> {
    /// What was attempted: the step's name, or taking a state as typed.
    pub attempted: &'static str,
    /// The phases the typed value may be in; empty for a command no typed step of the phase
    /// sends (which the decider would have taken).
    pub expected: &'static [P],
    /// The phase the process is in.
    pub phase: P,
}

impl<P: Phase> fmt::Display for PhaseMismatch<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (attempted, phase) = (self.attempted, self.phase.label());
        if self.expected.is_empty() {
            return write!(
                f,
                "cannot {attempted} in phase `{phase}`: no typed step of the phase sends it"
            );
        }
        write!(
            f,
            "cannot {attempted}: the process is in phase `{phase}`, not "
        )?;
        for (i, expected) in self.expected.iter().enumerate() {
            let separator = if i == 0 { "" } else { " or " };
            write!(f, "{separator}`{}`", expected.label())?;
        }
        Ok(())
    }
}

impl<P: Phase> std::error::Error for PhaseMismatch<P> {}

/// The phase of a decider `D`.
pub type PhaseOf<D> = <D as Decider>::Phase;

/// The command of a decider `D`.
pub type CommandOf<D> = <D as Decider>::Command;

/// A row of the step table of a façade over the decider `D`.
pub type StepOf<D> = Step<PhaseOf<D>, CommandOf<D>>;

/// A typestate façade's enum of every typed phase, seen from code generic over processes:
/// the step table as data, and its steps taken by a runtime command.
///
/// The crate's `typestate!` macro implements it for
/// [`AnyRound`](crate::consent::AnyRound), [`AnyProposal`](crate::proposal::AnyProposal) and
/// [`AnyFunding`](crate::funding::AnyFunding).
pub trait Facade: Sized {
    /// The decider whose `decide` and `evolve` the façade runs.
    type Decider: Decider;

    /// The step table: one row per typed step.
    fn steps() -> &'static [StepOf<Self::Decider>]
    where
        CommandOf<Self::Decider>: 'static;

    /// Runs the command that starts a process (opening a round, creating a proposal,
    /// identifying an offer): accepted, the process in the phase it landed in.
    ///
    /// # Errors
    ///
    /// The decider's refusal.
    fn start(
        command: CommandOf<Self::Decider>,
        ctx: Context<'_>,
    ) -> Result<Self, <Self::Decider as Decider>::Error>;

    /// Takes the typed step of this phase that sends `command`, and lands where its row
    /// says. A gated step takes `proof` (and refuses without one); other steps ignore it.
    ///
    /// # Errors
    ///
    /// This process, unchanged, and why: the step's refusal (the decider's, a proof not for
    /// this process, or a landing its row does not name); for a command no typed step of
    /// this phase sends, the decider's own refusal, or a [`PhaseMismatch`] naming no phase
    /// if the decider would take it.
    #[allow(clippy::type_complexity)]
    fn step(
        self,
        command: CommandOf<Self::Decider>,
        ctx: Context<'_>,
        proof: Option<GatePassed>,
    ) -> Result<Self, (Self, <Self::Decider as Decider>::Error)>;

    /// The runtime phase.
    fn phase(&self) -> PhaseOf<Self::Decider>;

    /// A copy of the runtime state.
    fn to_state(&self) -> <Self::Decider as Decider>::State;

    /// The events carried, in order.
    fn events(&self) -> &[<Self::Decider as Decider>::Event];

    /// What names this process as it stands (see [`Subject`]); `None` without events.
    fn subject(&self) -> Option<Subject>;

    /// The value gate's proof the process's last gated step took, if it took one through
    /// this value or its predecessors.
    fn proof(&self) -> Option<&GatePassed>;
}

/// Writes a typestate façade from its step table (see the module guide).
///
/// The runtime state enum has a variant for the process not started (`not_started`) and one
/// holding the started process's data (`started`, boxed); the runtime phase enum has a
/// variant of each phase's name, and `not_started`; the error enum has a `not_started`
/// variant with an `attempted` field, a `ProofNotForThis` variant holding a
/// [`ProofMismatch`](crate::values::ProofMismatch) and a `PhaseMismatch` variant holding a
/// [`PhaseMismatch`]. The data type has a `phase()` method.
///
/// The table has a block per phase (`Phase { steps }`) and per group of phases sharing steps
/// (`/// docs` `Group: [A, B] { steps }`, which also writes the marker trait `Group`). A step
/// is written
///
/// ```text
/// /// docs
/// fn name(ctx, arg: Type => conversion, ...; proof) -> Lands =
///     { let extra = value; } Command::Variant { field, other: Nested::Variant { x } };
/// ```
///
/// The arguments after `ctx` become the method's, each rebound to its conversion if it has
/// one; `; proof` makes the step gated (a last argument `proof: GatePassed`); `Lands` is the
/// wrapper in one phase (`Wrapper<P>` in a group: the phase it was taken from), or a branch
/// enum; the optional `{ let ... }` binds what the method does not take. The command is
/// written once, and serves both to build the command the method sends and as the pattern
/// of the commands its row sends: every field is a binding (a wildcard in the pattern) or a
/// nested variant (which the pattern matches). So what tells two rows of one phase apart
/// must be written in the command, not bound by a `let`: the step check refuses a table
/// whose rows both send one command.
macro_rules! typestate {
    (
        decider: $decider:ty,
        state: $state:ident,
        not_started: $not_started:ident,
        started: $started:ident,
        data: $data_fn:ident: $data:ty,
        event: $event:ty,
        command: $command:ty,
        error: $error:ident,
        phase: $phase:ident,
        noun: $noun:literal,
        $(#[$marker_doc:meta])*
        marker: $marker:ident,
        $(#[$wrapper_doc:meta])*
        wrapper: $wrapper:ident,
        $(#[$refused_doc:meta])*
        refused: $refused:ident { $(#[$field_doc:meta])* $field:ident },
        $(#[$any_doc:meta])*
        any: $any:ident,
        phases: [ $( $(#[$doc:meta])* $name:ident, )+ ],
        branches: [ $(
            $(#[$branch_doc:meta])*
            $branch:ident { $( $(#[$variant_doc:meta])* $variant:ident, )+ },
        )* ],
        steps: [ $(
            $from:ident { $(
                $(#[$step_doc:meta])*
                fn $step:ident (
                    $ctx:ident $(, $arg:ident : $arg_ty:ty $(=> $conv:expr)? )* $(; $gate:ident)?
                ) -> $lands:ty = $({ $(let $bind:ident = $bval:expr;)* })? $cmd_ty:ident :: $cmd:ident { $($cmd_fields:tt)* };
            )+ }
        )+ ],
        groups: [ $(
            $(#[$group_doc:meta])*
            $group:ident: $members:tt { $(
                $(#[$gstep_doc:meta])*
                fn $gstep:ident (
                    $gctx:ident $(, $garg:ident : $garg_ty:ty $(=> $gconv:expr)? )* $(; $ggate:ident)?
                ) -> $glands:ty = $({ $(let $gbind:ident = $gbval:expr;)* })? $gcmd_ty:ident :: $gcmd:ident { $($gcmd_fields:tt)* };
            )+ }
        )* ] $(,)?
    ) => {
        mod sealed {
            pub trait Sealed {
                /// The typed value of this phase, as the enum of every phase.
                fn wrap(typed: super::$wrapper<Self>) -> super::$any
                where
                    Self: Sized;
            }
        }

        $(#[$marker_doc])*
        pub trait $marker: sealed::Sealed {
            /// The runtime phase this marker stands for.
            const PHASE: $phase;
        }

        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum $name {}
            impl sealed::Sealed for $name {
                fn wrap(typed: $wrapper<$name>) -> $any {
                    $any::$name(typed)
                }
            }
            impl $marker for $name {
                const PHASE: $phase = $phase::$name;
            }
        )+

        $(
            $(#[$group_doc])*
            pub trait $group: $marker {}
            $crate::machine::typestate!(@members impl $group $members);
        )*

        /// Where a typed step may land: a typed value of one phase, or an enum of several.
        trait Landing: Sized {
            /// The phases a value of this type may be in.
            const PHASES: &'static [$phase];
            /// The value, if `any` is in one of its phases; `any` back if not.
            fn land(any: $any) -> Result<Self, $any>;
            /// The value as the enum of every phase.
            fn into_any(self) -> $any;
            /// The value, keeping `proof` (the gate's proof its step took, or the one kept
            /// before).
            fn keep(self, proof: Option<$crate::values::GatePassed>) -> Self;
        }

        impl<Q: $marker> Landing for $wrapper<Q> {
            const PHASES: &'static [$phase] = &[Q::PHASE];

            fn land(any: $any) -> Result<Self, $any> {
                if any.phase() == Q::PHASE {
                    let (data, events, proof) = any.into_inner();
                    Ok($wrapper::new(data, events, proof))
                } else {
                    Err(any)
                }
            }

            fn into_any(self) -> $any {
                <Q as sealed::Sealed>::wrap(self)
            }

            fn keep(mut self, proof: Option<$crate::values::GatePassed>) -> Self {
                self.proof = proof.map(Box::new);
                self
            }
        }

        /// Runs the command that starts a process, and checks it landed where `T` says.
        fn start_typed<T: Landing>(
            command: $command,
            ctx: $crate::machine::Context<'_>,
        ) -> Result<T, $error> {
            let state = $state::$not_started;
            let events = <$decider as $crate::machine::Decider>::decide(&state, &command, &ctx)?;
            let state = events
                .iter()
                .fold(state, <$decider as $crate::machine::Decider>::evolve);
            let mismatch = |phase| {
                $error::PhaseMismatch($crate::machine::PhaseMismatch {
                    attempted: concat!("start a ", $noun),
                    expected: T::PHASES,
                    phase,
                })
            };
            match $any::from_parts(state, events.into_vec(), None) {
                Err(_) => Err(mismatch($phase::$not_started)),
                Ok(any) => T::land(any).map_err(|any| mismatch(any.phase())),
            }
        }

        $(#[$wrapper_doc])*
        pub struct $wrapper<P> {
            data: Box<$data>,
            events: Vec<$event>,
            proof: Option<Box<$crate::values::GatePassed>>,
            phase: ::std::marker::PhantomData<P>,
        }

        impl<P: $marker> ::std::fmt::Debug for $wrapper<P> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($wrapper))
                    .field("phase", &P::PHASE)
                    .field("events", &self.events.len())
                    .field("proof", &self.proof.is_some())
                    .finish_non_exhaustive()
            }
        }

        impl<P> $wrapper<P> {
            fn new(
                data: Box<$data>,
                events: Vec<$event>,
                proof: Option<Box<$crate::values::GatePassed>>,
            ) -> Self {
                Self {
                    data,
                    events,
                    proof,
                    phase: ::std::marker::PhantomData,
                }
            }

            #[doc = concat!("The ", $noun, "'s data.")]
            pub fn $data_fn(&self) -> &$data {
                &self.data
            }

            /// The runtime phase (`P`'s runtime twin: every step checks where it landed).
            pub fn phase(&self) -> $phase {
                self.data.phase()
            }

            /// The events produced through this value (and its predecessors), in order:
            /// what an app stores in its journal.
            pub fn events(&self) -> &[$event] {
                &self.events
            }

            /// The value gate's proof this process's last gated step took, kept with the
            /// process since: `None` if it took no gated step through this value or its
            /// predecessors (rebuilt from its state or events, it has none; an engine
            /// journals the gate's summary with the deciding event instead). Its summary
            /// is [`GateSummary::new`](crate::values::GateSummary::new) with the hash of the
            /// charter that gated it.
            pub fn proof(&self) -> Option<&$crate::values::GatePassed> {
                self.proof.as_deref()
            }

            /// What names this process as it stands, for the value gate: the digest of its
            /// events (a [`Subject`](crate::values::Subject)). `None` when it carries no
            /// events: made from a bare runtime state, it has nothing to be named by.
            pub fn subject(&self) -> Option<$crate::values::Subject> {
                (!self.events.is_empty()).then(|| $crate::values::Subject::of_events(&self.events))
            }

            /// Names `record` as this process's, as it stands: a proof made from it fits
            /// this process's gated step, and no other process's, nor this one's after its
            /// next event.
            pub fn name_record(
                &self,
                mut record: $crate::values::DecisionRecord,
            ) -> $crate::values::DecisionRecord {
                record.subject = self.subject();
                record
            }

            /// The runtime state and the events carried: what a journal stores, taken apart.
            pub fn into_parts(self) -> ($state, Vec<$event>) {
                ($state::$started(self.data), self.events)
            }

            /// Takes a step: checks the proof of a gated step, runs `command` through the
            /// decider, and checks that it landed where `T` says. Refused, this value comes
            /// back unchanged; taken, a new proof replaces the one kept.
            fn take_step<T: Landing>(
                self,
                attempted: &'static str,
                command: $command,
                ctx: $crate::machine::Context<'_>,
                gated: bool,
                gate: Option<$crate::values::GatePassed>,
            ) -> Result<T, $refused<Self>> {
                let gate = if gated {
                    let fits = match &gate {
                        Some(gate) => gate.fits(self.subject()),
                        None => Err($crate::values::ProofMismatch {
                            step: self.subject(),
                            proof: None,
                        }),
                    };
                    if let Err(mismatch) = fits {
                        return Err($refused {
                            $field: self,
                            error: $error::ProofNotForThis(mismatch),
                        });
                    }
                    gate
                } else {
                    None
                };
                let Self {
                    data,
                    mut events,
                    proof,
                    ..
                } = self;
                let before = data.clone();
                let state = $state::$started(data);
                let new = match <$decider as $crate::machine::Decider>::decide(&state, &command, &ctx) {
                    Ok(new) => new,
                    Err(error) => {
                        return Err($refused {
                            $field: Self::new(before, events, proof),
                            error,
                        });
                    }
                };
                let state = new
                    .iter()
                    .fold(state, <$decider as $crate::machine::Decider>::evolve);
                let len = events.len();
                events.extend(new);
                let (phase, mut events) = match $any::from_parts(state, events, None) {
                    Err(events) => ($phase::$not_started, events),
                    Ok(any) => match T::land(any) {
                        Ok(landed) => return Ok(landed.keep(gate.or(proof.map(|kept| *kept)))),
                        Err(any) => {
                            let phase = any.phase();
                            (phase, any.into_inner().1)
                        }
                    },
                };
                events.truncate(len);
                Err($refused {
                    $field: Self::new(before, events, proof),
                    error: $error::PhaseMismatch($crate::machine::PhaseMismatch {
                        attempted,
                        expected: T::PHASES,
                        phase,
                    }),
                })
            }
        }

        impl<P> From<$wrapper<P>> for $state {
            fn from(typed: $wrapper<P>) -> Self {
                $state::$started(typed.data)
            }
        }

        impl<Q: $marker> TryFrom<$state> for $wrapper<Q> {
            type Error = $error;

            /// Wraps a runtime state whose phase is `Q`.
            fn try_from(state: $state) -> Result<Self, Self::Error> {
                $any::typed(state)
            }
        }

        $(#[$refused_doc])*
        pub struct $refused<R> {
            $(#[$field_doc])*
            pub $field: R,
            /// Why the step was refused.
            pub error: $error,
        }

        impl<R> ::std::fmt::Debug for $refused<R> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($refused))
                    .field("error", &self.error)
                    .finish_non_exhaustive()
            }
        }

        impl<R> ::std::fmt::Display for $refused<R> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.error, f)
            }
        }

        impl<R> ::std::error::Error for $refused<R> {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(&self.error)
            }
        }

        impl<R> From<$refused<R>> for $error {
            fn from(refused: $refused<R>) -> Self {
                refused.error
            }
        }

        $(
            $(#[$branch_doc])*
            #[derive(Debug)]
            #[non_exhaustive]
            pub enum $branch {
                $(
                    $(#[$variant_doc])*
                    $variant($wrapper<$variant>),
                )+
            }

            impl Landing for $branch {
                const PHASES: &'static [$phase] = &[$($phase::$variant),+];

                fn land(any: $any) -> Result<Self, $any> {
                    match any {
                        $($any::$variant(typed) => Ok($branch::$variant(typed)),)+
                        #[allow(unreachable_patterns)]
                        other => Err(other),
                    }
                }

                fn into_any(self) -> $any {
                    match self {
                        $($branch::$variant(typed) => $any::$variant(typed),)+
                    }
                }

                fn keep(self, proof: Option<$crate::values::GatePassed>) -> Self {
                    match self {
                        $($branch::$variant(typed) => $branch::$variant(typed.keep(proof)),)+
                    }
                }
            }

            impl From<$branch> for $any {
                fn from(branch: $branch) -> Self {
                    branch.into_any()
                }
            }

            impl TryFrom<$state> for $branch {
                type Error = $error;

                /// Wraps a runtime state whose phase is one of this enum's.
                fn try_from(state: $state) -> Result<Self, Self::Error> {
                    $any::typed(state)
                }
            }
        )*

        $(#[$any_doc])*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $any {
            $(
                #[doc = concat!("In phase `", stringify!($name), "`.")]
                $name($wrapper<$name>),
            )+
        }

        impl Landing for $any {
            const PHASES: &'static [$phase] = &[$($phase::$name),+];

            fn land(any: $any) -> Result<Self, $any> {
                Ok(any)
            }

            fn into_any(self) -> $any {
                self
            }

            fn keep(self, proof: Option<$crate::values::GatePassed>) -> Self {
                match self {
                    $($any::$name(typed) => $any::$name(typed.keep(proof)),)+
                }
            }
        }

        impl $any {
            /// The step table: one row per typed step, written by the same table as the
            /// methods.
            pub const STEPS: &'static [$crate::machine::Step<$phase, $command>] = &[
                $($(
                    $crate::machine::Step {
                        name: stringify!($step),
                        from: &[$phase::$from],
                        lands: {
                            fn lands(_: $phase) -> &'static [$phase] {
                                <$lands as Landing>::PHASES
                            }
                            lands
                        },
                        gated: $crate::machine::typestate!(@gated $($gate)?),
                        sends: {
                            #[allow(unused_variables)]
                            fn sends(command: &$command) -> bool {
                                matches!(command, $cmd_ty::$cmd { $($cmd_fields)* })
                            }
                            sends
                        },
                    },
                )+)+
                $($(
                    $crate::machine::Step {
                        name: stringify!($gstep),
                        from: &$crate::machine::typestate!(@members slice $phase $members),
                        lands: {
                            #[allow(clippy::extra_unused_type_parameters)]
                            fn lands_of<P: $group>() -> &'static [$phase] {
                                <$glands as Landing>::PHASES
                            }
                            fn lands(from: $phase) -> &'static [$phase] {
                                $crate::machine::typestate!(@members lands from lands_of $phase $members)
                            }
                            lands
                        },
                        gated: $crate::machine::typestate!(@gated $($ggate)?),
                        sends: {
                            #[allow(unused_variables)]
                            fn sends(command: &$command) -> bool {
                                matches!(command, $gcmd_ty::$gcmd { $($gcmd_fields)* })
                            }
                            sends
                        },
                    },
                )+)*
            ];

            /// Wraps started data in its typed phase; the events back if `state` is not
            /// started.
            fn from_parts(
                state: $state,
                events: Vec<$event>,
                proof: Option<Box<$crate::values::GatePassed>>,
            ) -> Result<Self, Vec<$event>> {
                let data = match state {
                    $state::$not_started => return Err(events),
                    $state::$started(data) => data,
                };
                Ok(match data.phase() {
                    $phase::$not_started => return Err(events),
                    $($phase::$name => $any::$name($wrapper::new(data, events, proof)),)+
                })
            }

            /// The data, events and proof of whichever typed value this is.
            fn into_inner(self) -> (Box<$data>, Vec<$event>, Option<Box<$crate::values::GatePassed>>) {
                match self {
                    $($any::$name(typed) => (typed.data, typed.events, typed.proof),)+
                }
            }

            /// A runtime state as the typed form `T`.
            fn typed<T: Landing>(state: $state) -> Result<T, $error> {
                const ATTEMPTED: &str = concat!("take the ", $noun, " as typed");
                let any = $any::from_parts(state, Vec::new(), None).map_err(|_| {
                    $error::$not_started {
                        attempted: ATTEMPTED,
                    }
                })?;
                T::land(any).map_err(|any| {
                    $error::PhaseMismatch($crate::machine::PhaseMismatch {
                        attempted: ATTEMPTED,
                        expected: T::PHASES,
                        phase: any.phase(),
                    })
                })
            }

            #[doc = concat!("The ", $noun, "'s data, whatever its phase.")]
            pub fn $data_fn(&self) -> &$data {
                match self {
                    $($any::$name(typed) => typed.$data_fn(),)+
                }
            }

            /// The events carried, in order.
            pub fn events(&self) -> &[$event] {
                match self {
                    $($any::$name(typed) => typed.events(),)+
                }
            }

            /// What names this process as it stands, whatever its phase: as the typed
            /// value's `subject`.
            pub fn subject(&self) -> Option<$crate::values::Subject> {
                match self {
                    $($any::$name(typed) => typed.subject(),)+
                }
            }

            /// The value gate's proof kept with the process, whatever its phase: as the
            /// typed value's `proof`.
            pub fn proof(&self) -> Option<&$crate::values::GatePassed> {
                match self {
                    $($any::$name(typed) => typed.proof(),)+
                }
            }

            /// The runtime state and the events carried: what a journal stores, taken apart.
            pub fn into_parts(self) -> ($state, Vec<$event>) {
                let (data, events, _) = self.into_inner();
                ($state::$started(data), events)
            }

            /// The runtime phase (the variant's, by construction).
            pub fn phase(&self) -> $phase {
                self.$data_fn().phase()
            }

            #[doc = concat!("Rebuilds a ", $noun, " from its events and wraps it in its typed phase.")]
            ///
            /// # Errors
            ///
            #[doc = concat!(
                "[`", stringify!($error), "::", stringify!($not_started),
                "`] if the events do not start a ", $noun, "."
            )]
            pub fn replay(events: Vec<$event>) -> Result<Self, $error> {
                let state = <$decider as $crate::machine::Decider>::replay(&events);
                $any::from_parts(state, events, None).map_err(|_| $error::$not_started {
                    attempted: "replay",
                })
            }
        }

        impl TryFrom<$state> for $any {
            type Error = $error;

            #[doc = concat!("Wraps a started runtime state in its typed ", $noun, ".")]
            fn try_from(state: $state) -> Result<Self, Self::Error> {
                $any::typed(state)
            }
        }

        impl $crate::machine::Facade for $any {
            type Decider = $decider;

            fn steps() -> &'static [$crate::machine::Step<$phase, $command>] {
                $any::STEPS
            }

            fn start(command: $command, ctx: $crate::machine::Context<'_>) -> Result<Self, $error> {
                start_typed(command, ctx)
            }

            fn step(
                self,
                command: $command,
                ctx: $crate::machine::Context<'_>,
                proof: Option<$crate::values::GatePassed>,
            ) -> Result<Self, (Self, $error)> {
                let pending = (self, command, proof);
                $(
                    let pending = {
                        #[allow(unused_variables, clippy::result_large_err)]
                        fn rows(
                            typed: $wrapper<$from>,
                            command: $command,
                            ctx: $crate::machine::Context<'_>,
                            proof: Option<$crate::values::GatePassed>,
                        ) -> Result<
                            Result<$any, ($any, $error)>,
                            ($wrapper<$from>, $command, Option<$crate::values::GatePassed>),
                        > {
                            $(
                                if matches!(&command, $cmd_ty::$cmd { $($cmd_fields)* }) {
                                    let gated = $crate::machine::typestate!(@gated $($gate)?);
                                    return Ok(typed
                                        .take_step::<$lands>(stringify!($step), command, ctx, gated, proof)
                                        .map(Landing::into_any)
                                        .map_err(|refused| (refused.$field.into_any(), refused.error)));
                                }
                            )+
                            Err((typed, command, proof))
                        }
                        match pending {
                            ($any::$from(typed), command, proof) => match rows(typed, command, ctx, proof) {
                                Ok(done) => return done,
                                Err((typed, command, proof)) => ($any::$from(typed), command, proof),
                            },
                            other => other,
                        }
                    };
                )+
                $(
                    let pending = {
                        #[allow(unused_variables, clippy::result_large_err)]
                        fn rows<P: $group>(
                            typed: $wrapper<P>,
                            command: $command,
                            ctx: $crate::machine::Context<'_>,
                            proof: Option<$crate::values::GatePassed>,
                        ) -> Result<
                            Result<$any, ($any, $error)>,
                            ($wrapper<P>, $command, Option<$crate::values::GatePassed>),
                        > {
                            $(
                                if matches!(&command, $gcmd_ty::$gcmd { $($gcmd_fields)* }) {
                                    let gated = $crate::machine::typestate!(@gated $($ggate)?);
                                    return Ok(typed
                                        .take_step::<$glands>(stringify!($gstep), command, ctx, gated, proof)
                                        .map(Landing::into_any)
                                        .map_err(|refused| (refused.$field.into_any(), refused.error)));
                                }
                            )+
                            Err((typed, command, proof))
                        }
                        $crate::machine::typestate!(@members dispatch $any pending rows ctx $members)
                    };
                )*
                // No typed step of this phase sends the command: the decider's own answer.
                let (any, command, _) = pending;
                let state = $crate::machine::Facade::to_state(&any);
                match <$decider as $crate::machine::Decider>::decide(&state, &command, &ctx) {
                    Err(error) => Err((any, error)),
                    Ok(_) => {
                        let phase = any.phase();
                        Err((
                            any,
                            $error::PhaseMismatch($crate::machine::PhaseMismatch {
                                attempted: "take the command",
                                expected: &[],
                                phase,
                            }),
                        ))
                    }
                }
            }

            fn phase(&self) -> $phase {
                $any::phase(self)
            }

            fn to_state(&self) -> $state {
                $state::$started(Box::new(self.$data_fn().clone()))
            }

            fn events(&self) -> &[$event] {
                $any::events(self)
            }

            fn subject(&self) -> Option<$crate::values::Subject> {
                $any::subject(self)
            }

            fn proof(&self) -> Option<&$crate::values::GatePassed> {
                $any::proof(self)
            }
        }

        $(
            impl $wrapper<$from> {
                $(
                    $(#[$step_doc])*
                    ///
                    /// # Errors
                    ///
                    #[doc = concat!(
                        "Refused, the ", $noun, " unchanged, as [`Decider::decide`](crate::machine::Decider::decide) of [`",
                        stringify!($decider), "`] refuses `", stringify!($cmd), "`",
                        $crate::machine::typestate!(@gate_doc $error $($gate)?),
                        "; or [`", stringify!($error), "::PhaseMismatch`] should it land outside this step's row of the table."
                    )]
                    pub fn $step(
                        self,
                        $ctx: $crate::machine::Context<'_>,
                        $($arg: $arg_ty,)*
                        $($gate: $crate::values::GatePassed,)?
                    ) -> Result<$lands, $refused<Self>> {
                        $($(let $arg = $conv;)?)*
                        $($(let $bind = $bval;)*)?
                        let command = $cmd_ty::$cmd { $($cmd_fields)* };
                        let gated = $crate::machine::typestate!(@gated $($gate)?);
                        self.take_step(stringify!($step), command, $ctx, gated, $crate::machine::typestate!(@proof $($gate)?))
                    }
                )+
            }
        )+

        $(
            impl<P: $group> $wrapper<P> {
                $(
                    $(#[$gstep_doc])*
                    ///
                    /// # Errors
                    ///
                    #[doc = concat!(
                        "Refused, the ", $noun, " unchanged, as [`Decider::decide`](crate::machine::Decider::decide) of [`",
                        stringify!($decider), "`] refuses `", stringify!($gcmd), "`",
                        $crate::machine::typestate!(@gate_doc $error $($ggate)?),
                        "; or [`", stringify!($error), "::PhaseMismatch`] should it land outside this step's row of the table."
                    )]
                    pub fn $gstep(
                        self,
                        $gctx: $crate::machine::Context<'_>,
                        $($garg: $garg_ty,)*
                        $($ggate: $crate::values::GatePassed,)?
                    ) -> Result<$glands, $refused<Self>> {
                        $($(let $garg = $gconv;)?)*
                        $($(let $gbind = $gbval;)*)?
                        let command = $gcmd_ty::$gcmd { $($gcmd_fields)* };
                        let gated = $crate::machine::typestate!(@gated $($ggate)?);
                        self.take_step(stringify!($gstep), command, $gctx, gated, $crate::machine::typestate!(@proof $($ggate)?))
                    }
                )+
            }
        )*
    };
    (@members impl $group:ident [ $($member:ident),+ ]) => {
        $(impl $group for $member {})+
    };
    (@members slice $phase:ident [ $($member:ident),+ ]) => {
        [$($phase::$member),+]
    };
    (@members lands $from:ident $lands_of:ident $phase:ident [ $($member:ident),+ ]) => {
        match $from {
            $($phase::$member => $lands_of::<$member>(),)+
            #[allow(unreachable_patterns)]
            _ => &[],
        }
    };
    (@members dispatch $any:ident $pending:ident $rows:ident $ctx:ident [ $($member:ident),+ ]) => {
        match $pending {
            $(
                ($any::$member(typed), command, proof) => match $rows(typed, command, $ctx, proof) {
                    Ok(done) => return done,
                    Err((typed, command, proof)) => ($any::$member(typed), command, proof),
                },
            )+
            #[allow(unreachable_patterns)]
            other => other,
        }
    };
    (@gated) => { false };
    (@gated $gate:ident) => { true };
    (@proof) => { None };
    (@proof $gate:ident) => { Some($gate) };
    (@gate_doc $error:ident) => { "" };
    (@gate_doc $error:ident $gate:ident) => {
        concat!(
            "; or [`", stringify!($error), "::ProofNotForThis`] when the proof's record was not named as this one's, as it stands"
        )
    };
}

pub(crate) use typestate;

/// A façade whose step table names the wrong landing for every step: each is refused with a
/// typed error, the notice handed back unchanged, however it is taken.
#[cfg(test)]
mod mislabelled {
    #![allow(dead_code, clippy::unwrap_used, clippy::panic)]

    use crate::community::MemberId;
    use crate::machine::testkit::StepCheck;
    use crate::machine::{Context, Decider, Events, Facade, Phase, PhaseMismatch, Transitions};
    use crate::values::ProofMismatch;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum NoticePhase {
        NotPosted,
        Draft,
        Posted,
        Removed,
        Archived,
    }

    impl Phase for NoticePhase {
        fn label(self) -> &'static str {
            match self {
                NoticePhase::NotPosted => "not_posted",
                NoticePhase::Draft => "draft",
                NoticePhase::Posted => "posted",
                NoticePhase::Removed => "removed",
                NoticePhase::Archived => "archived",
            }
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Notice {
        phase: NoticePhase,
    }

    impl Notice {
        pub fn phase(&self) -> NoticePhase {
            self.phase
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum NoticeState {
        NotPosted,
        Started(Box<Notice>),
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    pub enum NoticeCommand {
        Write {},
        Post {},
        Remove {},
        Archive {},
    }

    #[derive(Debug, Clone, PartialEq, thiserror::Error)]
    pub enum NoticeError {
        #[error("cannot {attempted}: no notice")]
        NotPosted { attempted: &'static str },
        #[error("not now")]
        NotNow,
        #[error("{0}")]
        ProofNotForThis(ProofMismatch),
        #[error("{0}")]
        PhaseMismatch(PhaseMismatch<NoticePhase>),
    }

    pub struct Notices;

    impl Decider for Notices {
        type State = NoticeState;
        type Command = NoticeCommand;
        type Event = NoticeCommand;
        type Error = NoticeError;
        type Phase = NoticePhase;

        const TRANSITIONS: Transitions<NoticePhase> = Transitions {
            machine: "notice",
            start: NoticePhase::NotPosted,
            phases: &[
                NoticePhase::NotPosted,
                NoticePhase::Draft,
                NoticePhase::Posted,
                NoticePhase::Removed,
                NoticePhase::Archived,
            ],
            finals: &[NoticePhase::Removed, NoticePhase::Archived],
            edges: &[
                (NoticePhase::NotPosted, NoticePhase::Draft),
                (NoticePhase::Draft, NoticePhase::Posted),
                (NoticePhase::Draft, NoticePhase::Archived),
                (NoticePhase::Posted, NoticePhase::Removed),
                (NoticePhase::Posted, NoticePhase::Archived),
            ],
        };

        fn initial() -> NoticeState {
            NoticeState::NotPosted
        }

        fn phase(state: &NoticeState) -> NoticePhase {
            match state {
                NoticeState::NotPosted => NoticePhase::NotPosted,
                NoticeState::Started(notice) => notice.phase,
            }
        }

        fn decide(
            state: &NoticeState,
            command: &NoticeCommand,
            _: &Context,
        ) -> Result<Events<NoticeCommand>, NoticeError> {
            use NoticePhase as P;
            match (Self::phase(state), command) {
                (P::NotPosted, NoticeCommand::Write {})
                | (P::Draft, NoticeCommand::Post {})
                | (P::Posted, NoticeCommand::Remove {})
                | (P::Draft | P::Posted, NoticeCommand::Archive {}) => {
                    Ok(Events::one(command.clone()))
                }
                _ => Err(NoticeError::NotNow),
            }
        }

        fn evolve(_: NoticeState, event: &NoticeCommand) -> NoticeState {
            let phase = match event {
                NoticeCommand::Write {} => NoticePhase::Draft,
                NoticeCommand::Post {} => NoticePhase::Posted,
                NoticeCommand::Remove {} => NoticePhase::Removed,
                NoticeCommand::Archive {} => NoticePhase::Archived,
            };
            NoticeState::Started(Box::new(Notice { phase }))
        }
    }

    typestate! {
        decider: Notices,
        state: NoticeState,
        not_started: NotPosted,
        started: Started,
        data: notice: Notice,
        event: NoticeCommand,
        command: NoticeCommand,
        error: NoticeError,
        phase: NoticePhase,
        noun: "notice",
        marker: NoticeMarker,
        wrapper: Typed,
        refused: Refused { notice },
        any: AnyNotice,
        phases: [Draft, Posted, Removed, Archived,],
        branches: [
            Settled { Archived, },
        ],
        steps: [
            Draft {
                // Lands in `posted`.
                fn post(ctx) -> Typed<Removed> = NoticeCommand::Post {};
            }
            Posted {
                // Lands in `removed`.
                fn remove(ctx) -> Settled = NoticeCommand::Remove {};
            }
        ],
        groups: [
            Open: [Draft, Posted] {
                // Lands in `archived`.
                fn archive(ctx) -> Typed<P> = NoticeCommand::Archive {};
            }
        ],
    }

    fn ctx() -> Context<'static> {
        Context::new(MemberId::new(1), "2024-01-01T00:00:00Z".parse().unwrap())
    }

    fn draft() -> Typed<Draft> {
        start_typed(NoticeCommand::Write {}, ctx()).unwrap()
    }

    fn posted() -> AnyNotice {
        AnyNotice::from_parts(
            NoticeState::Started(Box::new(Notice {
                phase: NoticePhase::Posted,
            })),
            vec![NoticeCommand::Write {}, NoticeCommand::Post {}],
            None,
        )
        .unwrap()
    }

    /// The refusal of a step that landed in `phase`, its row naming `expected`.
    fn mislanded(
        attempted: &'static str,
        expected: &'static [NoticePhase],
        phase: NoticePhase,
    ) -> NoticeError {
        NoticeError::PhaseMismatch(PhaseMismatch {
            attempted,
            expected,
            phase,
        })
    }

    #[test]
    fn every_typed_method_refuses_its_mislabelled_landing() {
        use NoticePhase as P;
        let refused = draft().post(ctx()).unwrap_err();
        assert_eq!(refused.error, mislanded("post", &[P::Removed], P::Posted));
        assert_eq!(refused.notice.phase(), P::Draft);
        assert_eq!(refused.notice.events(), &[NoticeCommand::Write {}]);

        let AnyNotice::Posted(posted) = posted() else {
            panic!("posted");
        };
        let refused = posted.remove(ctx()).unwrap_err();
        assert_eq!(
            refused.error,
            mislanded("remove", &[P::Archived], P::Removed)
        );
        assert_eq!(refused.notice.phase(), P::Posted);
        assert_eq!(refused.notice.events().len(), 2);

        let refused = draft().archive(ctx()).unwrap_err();
        assert_eq!(
            refused.error,
            mislanded("archive", &[P::Draft], P::Archived)
        );
        assert_eq!(refused.notice.phase(), P::Draft);
    }

    #[test]
    fn every_row_refuses_its_mislabelled_landing_from_every_phase_that_offers_it() {
        let from = |phase| match phase {
            NoticePhase::Draft => AnyNotice::Draft(draft()),
            _ => posted(),
        };
        let mut taken = 0;
        for row in AnyNotice::steps() {
            for &phase in row.from {
                let notice = from(phase);
                assert_eq!(notice.phase(), phase);
                let (state, events) = (Facade::to_state(&notice), notice.events().to_vec());
                let command = [
                    NoticeCommand::Post {},
                    NoticeCommand::Remove {},
                    NoticeCommand::Archive {},
                ]
                .into_iter()
                .find(|c| (row.sends)(c))
                .unwrap();
                let landed = Notices::phase(&Notices::evolve(state.clone(), &command));
                assert!(
                    !(row.lands)(phase).contains(&landed),
                    "the table mislabels it"
                );
                let (notice, error) = notice.step(command, ctx(), None).unwrap_err();
                assert_eq!(error, mislanded(row.name, (row.lands)(phase), landed));
                assert_eq!(Facade::to_state(&notice), state);
                assert_eq!(notice.events(), events.as_slice());
                taken += 1;
            }
        }
        assert_eq!(taken, 4);
    }

    #[test]
    fn a_state_is_typed_only_in_a_phase_its_type_names() {
        let state = NoticeState::Started(Box::new(Notice {
            phase: NoticePhase::Posted,
        }));
        assert!(matches!(
            Settled::try_from(state.clone()),
            Err(NoticeError::PhaseMismatch(PhaseMismatch {
                phase: NoticePhase::Posted,
                ..
            }))
        ));
        assert!(Typed::<Posted>::try_from(state).is_ok());
        assert!(matches!(
            AnyNotice::try_from(NoticeState::NotPosted),
            Err(NoticeError::NotPosted { .. })
        ));
    }

    #[test]
    #[should_panic(expected = "not an edge")]
    fn the_step_check_catches_the_mislabelled_table() {
        StepCheck::<Notices>::new(AnyNotice::steps());
    }
}
