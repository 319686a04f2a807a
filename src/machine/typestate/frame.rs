//! The `typestate!` macro: a façade from its step table (see the parent module's guide).

/// Writes a typestate façade from its step table (see the module guide).
///
/// The runtime phase enum is declared here, once (`phase: pub enum ... { ... }`, written as
/// [`phase_enum!`](crate::machine::phase_enum) writes it): its first variant is the phase
/// before the process starts, and every other one gets a marker type, documented by the
/// phase's own docs. The runtime state enum has a variant of the first phase's name, for the
/// process not started, and one holding the started process's data (`started`, boxed); the
/// error enum converts from a
/// [`RefusalKind`](crate::machine::RefusalKind) (the façade refuses a state not started and
/// a proof not for this process in the shared vocabulary) and has a `PhaseMismatch` variant
/// holding a [`PhaseMismatch`]. The data type has a `phase()` method.
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
        started: $started:ident,
        data: $data_fn:ident: $data:ty,
        event: $event:ty,
        command: $command:ty,
        error: $error:ident,
        $(#[$phase_doc:meta])*
        phase: pub enum $phase:ident {
            $(#[$not_started_doc:meta])*
            $not_started:ident,
            $( $(#[$doc:meta])* $name:ident, )+
        },
        noun: $noun:literal,
        $(#[$marker_doc:meta])*
        marker: $marker:ident,
        $(#[$wrapper_doc:meta])*
        wrapper: $wrapper:ident,
        $(#[$refused_doc:meta])*
        refused: $refused:ident { $(#[$field_doc:meta])* $field:ident },
        $(#[$any_doc:meta])*
        any: $any:ident,
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
            $group:ident $(as $gconst:ident)?: $members:tt { $(
                $(#[$gstep_doc:meta])*
                fn $gstep:ident (
                    $gctx:ident $(, $garg:ident : $garg_ty:ty $(=> $gconv:expr)? )* $(; $ggate:ident)?
                ) -> $glands:ty = $({ $(let $gbind:ident = $gbval:expr;)* })? $gcmd_ty:ident :: $gcmd:ident { $($gcmd_fields:tt)* };
            )+ }
        )* ] $(,)?
    ) => {
        $crate::machine::phase_enum! {
            $(#[$phase_doc])*
            pub enum $phase {
                $(#[$not_started_doc])*
                $not_started,
                $( $(#[$doc])* $name, )+
            }
        }

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
            #[doc = concat!(
                "The compile-time twin of [`", stringify!($phase), "::", stringify!($name),
                "`], the phase it names."
            )]
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
            $crate::machine::typestate!(
                @members const $phase $group [$(#[$group_doc])*] [$($gconst)?] $members
            );
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
                            error: $error::from($crate::machine::RefusalKind::ProofNotForThis(Box::new(mismatch))),
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
                    $crate::machine::typestate!(@row $phase, $command, $step,
                        from: &[$phase::$from],
                        lands: {
                            fn lands(_: $phase) -> &'static [$phase] {
                                <$lands as Landing>::PHASES
                            }
                            lands
                        },
                        gated $($gate)?: $cmd_ty::$cmd { $($cmd_fields)* }
                    ),
                )+)+
                $($(
                    $crate::machine::typestate!(@row $phase, $command, $gstep,
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
                        gated $($ggate)?: $gcmd_ty::$gcmd { $($gcmd_fields)* }
                    ),
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
                    $error::from($crate::machine::RefusalKind::NotStarted {
                        attempted: ATTEMPTED,
                    })
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
                "[`RefusalKind::NotStarted`](crate::machine::RefusalKind::NotStarted) if the events do not start a ", $noun, "."
            )]
            pub fn replay(events: Vec<$event>) -> Result<Self, $error> {
                let state = <$decider as $crate::machine::Decider>::replay(&events);
                $any::from_parts(state, events, None).map_err(|_| {
                    $error::from($crate::machine::RefusalKind::NotStarted { attempted: "replay" })
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
                    let pending = $crate::machine::typestate!(
                        @rows $any, $wrapper, $command, $error, $field, $marker, [$from], pending, ctx;
                        $($step -> $lands, gated $($gate)?: $cmd_ty::$cmd { $($cmd_fields)* };)+
                    );
                )+
                $(
                    let pending = $crate::machine::typestate!(
                        @rows $any, $wrapper, $command, $error, $field, $group, $members, pending, ctx;
                        $($gstep -> $glands, gated $($ggate)?: $gcmd_ty::$gcmd { $($gcmd_fields)* };)+
                    );
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
                    $crate::machine::typestate!(@method $noun, $decider, $error, $refused;
                        $(#[$step_doc])*
                        fn $step($ctx $(, $arg: $arg_ty $(=> $conv)?)* $(; $gate)?) -> $lands =
                            $({ $(let $bind = $bval;)* })? $cmd_ty::$cmd { $($cmd_fields)* };
                    );
                )+
            }
        )+

        $(
            impl<P: $group> $wrapper<P> {
                $(
                    $crate::machine::typestate!(@method $noun, $decider, $error, $refused;
                        $(#[$gstep_doc])*
                        fn $gstep($gctx $(, $garg: $garg_ty $(=> $gconv)?)* $(; $ggate)?) -> $glands =
                            $({ $(let $gbind = $gbval;)* })? $gcmd_ty::$gcmd { $($gcmd_fields)* };
                    );
                )+
            }
        )*
    };
    // One typed step, a method of a phase or of a group of phases: it builds the command
    // and takes the step, documented with what refuses it.
    (@method $noun:literal, $decider:ty, $error:ident, $refused:ident;
        $(#[$step_doc:meta])*
        fn $step:ident (
            $ctx:ident $(, $arg:ident : $arg_ty:ty $(=> $conv:expr)? )* $(; $gate:ident)?
        ) -> $lands:ty = $({ $(let $bind:ident = $bval:expr;)* })? $cmd_ty:ident :: $cmd:ident { $($cmd_fields:tt)* };
    ) => {
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
    };
    // One row of the step table: the step's name, the phases that offer it, where it lands
    // from each, whether it takes the gate's proof, and the command it sends.
    (@row $phase:ident, $command:ty, $step:ident, from: $from:expr, lands: $lands:expr,
        gated $($gate:ident)?: $cmd_ty:ident :: $cmd:ident { $($cmd_fields:tt)* }
    ) => {
        $crate::machine::Step {
            name: stringify!($step),
            from: $from,
            lands: $lands,
            gated: $crate::machine::typestate!(@gated $($gate)?),
            sends: {
                #[allow(unused_variables)]
                fn sends(command: &$command) -> bool {
                    matches!(command, $cmd_ty::$cmd { $($cmd_fields)* })
                }
                sends
            },
        }
    };
    // The rows of one phase, or of a group of phases, that a command is tried against: the
    // first row that sends it takes the step; with none, `pending` is handed on.
    (@rows $any:ident, $wrapper:ident, $command:ty, $error:ident, $field:ident, $bound:ident,
        $members:tt, $pending:ident, $ctx:ident;
        $( $step:ident -> $lands:ty, gated $($gate:ident)?: $cmd_ty:ident :: $cmd:ident { $($cmd_fields:tt)* }; )+
    ) => {{
        #[allow(unused_variables, clippy::result_large_err)]
        fn rows<P: $bound>(
            typed: $wrapper<P>,
            command: $command,
            ctx: $crate::machine::Context<'_>,
            proof: Option<$crate::values::GatePassed>,
        ) -> Result<
            Result<$any, ($any, $error)>,
            ($wrapper<P>, $command, Option<$crate::values::GatePassed>),
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
        $crate::machine::typestate!(@members dispatch $any $pending rows $ctx $members)
    }};
    (@members impl $group:ident [ $($member:ident),+ ]) => {
        $(impl $group for $member {})+
    };
    (@members const $phase:ident $group:ident [$($doc:tt)*] [] $members:tt) => {};
    (@members const $phase:ident $group:ident [$($doc:tt)*] [$name:ident] $members:tt) => {
        impl $phase {
            #[doc = concat!(
                "The phases of the [`", stringify!($group), "`] group, as the step table lists them: "
            )]
            $($doc)*
            pub const $name: &'static [$phase] =
                &$crate::machine::typestate!(@members slice $phase $members);
        }
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
            "; or [`RefusalKind::ProofNotForThis`](crate::machine::RefusalKind::ProofNotForThis) when the proof's record was not named as this one's, as it stands"
        )
    };
}

pub(crate) use typestate;

/// Writes `preview` for a façade written by [`typestate!`] over a decider that is a
/// [`Process`](crate::process::Process): the record the process would project after a
/// command, named as this process's (see the method's documentation).
macro_rules! previews {
    ($wrapper:ident, $decider:ty, $state:ident :: $started:ident, $command:ty, $error:ty) => {
        impl<P> $wrapper<P> {
            /// The decision record this process would project after `command`, named as
            /// this process's as it stands: decide, evolve a copy, project
            /// ([`process::preview`](crate::process::preview), the one way the engine
            /// previews a decided state too). Add what the process does not hold, pass the
            /// record to [`Charter::gate`](crate::values::Charter::gate), and the proof to the
            /// gated step that sends `command`. Nothing changes.
            ///
            /// # Errors
            ///
            /// The process's refusal of `command`.
            pub fn preview(
                &self,
                command: &$command,
                ctx: &$crate::machine::Context<'_>,
                projection: &$crate::process::Projection<'_>,
                cited: ::std::option::Option<$crate::values::DecisionRecord>,
            ) -> ::std::result::Result<::std::option::Option<$crate::values::DecisionRecord>, $error> {
                let state = $state::$started(self.data.clone());
                let record = $crate::process::preview::<$decider>(&state, command, ctx, projection, cited)?;
                Ok(record.map(|record| self.name_record(record)))
            }

        }
    };
}

pub(crate) use previews;
