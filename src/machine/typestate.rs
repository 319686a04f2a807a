//! The frame every typestate façade shares: consent rounds, proposals, funding decisions.
//!
//! A façade wraps a [`Decider`](crate::machine::Decider)'s runtime state in a type whose
//! parameter is its phase, so a step the phase does not allow does not compile. The frame is
//! the same for every process: sealed phase markers naming their runtime twins, the wrapper
//! holding the state and the events produced through it, the one function that runs a
//! command through `decide` and `evolve`, the `Refused` value that hands the process back
//! unchanged, the enum of every typed phase for a state read back from a journal, and the
//! conversions between typed and runtime forms. [`typestate!`] writes that frame once; each
//! façade writes only its own steps.

/// Writes the frame of a typestate façade (see the module guide).
///
/// The runtime phase enum must have one variant per listed phase, with the marker's name,
/// and one `not_started` variant; the state enum and the error enum have a variant of that
/// name too (the state before the process starts, and the error that says so, with an
/// `attempted` field). `first` is the phase a process starts in. The error enum has a
/// `ProofNotForThis` variant too, holding the [`ProofMismatch`](crate::values::ProofMismatch)
/// of a gated step offered a proof made for something else.
macro_rules! typestate {
    (
        decider: $decider:ty,
        state: $state:ident,
        event: $event:ty,
        command: $command:ty,
        error: $error:ident,
        phase: $phase:ident,
        noun: $noun:literal,
        not_started: $not_started:ident,
        first: $first:ident,
        $(#[$marker_doc:meta])*
        marker: $marker:ident,
        $(#[$wrapper_doc:meta])*
        wrapper: $wrapper:ident,
        $(#[$refused_doc:meta])*
        refused: $refused:ident { $(#[$field_doc:meta])* $field:ident },
        $(#[$any_doc:meta])*
        any: $any:ident,
        phases: [ $( $(#[$doc:meta])* $name:ident $(, $extra:ident)*; )+ ] $(,)?
    ) => {
        mod sealed {
            pub trait Sealed {}
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
            impl sealed::Sealed for $name {}
            impl $marker for $name {
                const PHASE: $phase = $phase::$name;
            }
            $(impl $extra for $name {})*
        )+

        $(#[$wrapper_doc])*
        pub struct $wrapper<P> {
            state: $state,
            events: Vec<$event>,
            phase: ::std::marker::PhantomData<P>,
        }

        impl<P: $marker> ::std::fmt::Debug for $wrapper<P> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($wrapper))
                    .field("phase", &P::PHASE)
                    .field("events", &self.events.len())
                    .finish_non_exhaustive()
            }
        }

        impl<P> $wrapper<P> {
            fn new(state: $state, events: Vec<$event>) -> Self {
                Self {
                    state,
                    events,
                    phase: ::std::marker::PhantomData,
                }
            }

            /// The runtime state.
            pub fn state(&self) -> &$state {
                &self.state
            }

            /// The runtime phase (`P`'s runtime twin, by construction).
            pub fn phase(&self) -> $phase {
                <$decider as $crate::machine::Decider>::phase(&self.state)
            }

            /// The events produced through this value (and its predecessors), in order:
            /// what an app stores in its journal.
            pub fn events(&self) -> &[$event] {
                &self.events
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

            /// This process, if `gate` was made for it as it stands; refused, unchanged, if
            /// not.
            fn proven(self, gate: &$crate::values::GatePassed) -> Result<Self, $refused<Self>> {
                match gate.fits(self.subject()) {
                    Ok(()) => Ok(self),
                    Err(mismatch) => Err($refused {
                        $field: self,
                        error: $error::ProofNotForThis(mismatch),
                    }),
                }
            }

            /// Runs the command that starts a process: accepted, the process in its first
            /// phase with the events so far.
            fn start(command: $command, ctx: $crate::machine::Context) -> Result<Self, $error> {
                let events = <$decider as $crate::machine::Decider>::decide(
                    &$state::$not_started,
                    &command,
                    &ctx,
                )?;
                let state = events.iter().fold(
                    $state::$not_started,
                    <$decider as $crate::machine::Decider>::evolve,
                );
                Ok(Self::new(state, events.into_vec()))
            }

            /// Runs a command through the decider. Accepted: the state after its events
            /// and the events so far. Refused: this value, unchanged.
            fn apply(
                self,
                command: $command,
                ctx: $crate::machine::Context,
            ) -> Result<($state, Vec<$event>), $refused<Self>> {
                match <$decider as $crate::machine::Decider>::decide(&self.state, &command, &ctx) {
                    Err(error) => Err($refused { $field: self, error }),
                    Ok(new) => {
                        let state = new
                            .iter()
                            .fold(self.state, <$decider as $crate::machine::Decider>::evolve);
                        let mut events = self.events;
                        events.extend(new);
                        Ok((state, events))
                    }
                }
            }

            /// A step whose next phase the rules fix: `Q` is that phase. (Tests check that
            /// every such step lands in its declared phase; the runtime state stays the
            /// authority either way.)
            fn step<Q>(
                self,
                command: $command,
                ctx: $crate::machine::Context,
            ) -> Result<$wrapper<Q>, $refused<Self>> {
                let (state, events) = self.apply(command, ctx)?;
                Ok($wrapper::new(state, events))
            }
        }

        impl<P> From<$wrapper<P>> for $state {
            fn from(typed: $wrapper<P>) -> Self {
                typed.state
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

        $(#[$any_doc])*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $any {
            $(
                #[doc = concat!("In phase `", stringify!($name), "`.")]
                $name($wrapper<$name>),
            )+
        }

        impl $any {
            /// Wraps `state` in its typed phase, carrying `events`.
            fn with_events(state: $state, events: Vec<$event>) -> Self {
                match <$decider as $crate::machine::Decider>::phase(&state) {
                    // Not reachable from a started process; kept total by treating it as
                    // the first phase, whose every step the decider refuses as not started.
                    $phase::$not_started => $any::$first($wrapper::new(state, events)),
                    $($phase::$name => $any::$name($wrapper::new(state, events)),)+
                }
            }

            /// The runtime state.
            pub fn state(&self) -> &$state {
                match self {
                    $($any::$name(typed) => typed.state(),)+
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

            /// The runtime state and the events carried: what a journal stores, taken apart.
            pub fn into_parts(self) -> ($state, Vec<$event>) {
                match self {
                    $($any::$name(typed) => (typed.state, typed.events),)+
                }
            }

            /// The phase the typed value claims: its marker's runtime twin (the runtime
            /// phase, by construction).
            pub fn claimed_phase(&self) -> $phase {
                match self {
                    $($any::$name(_) => <$name as $marker>::PHASE,)+
                }
            }

            /// The runtime phase.
            pub fn phase(&self) -> $phase {
                <$decider as $crate::machine::Decider>::phase(self.state())
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
                match <$decider as $crate::machine::Decider>::replay(&events) {
                    $state::$not_started => Err($error::$not_started {
                        attempted: "replay",
                    }),
                    state => Ok($any::with_events(state, events)),
                }
            }
        }

        impl TryFrom<$state> for $any {
            type Error = $error;

            #[doc = concat!("Wraps a started runtime state in its typed ", $noun, ".")]
            fn try_from(state: $state) -> Result<Self, Self::Error> {
                match state {
                    $state::$not_started => Err($error::$not_started {
                        attempted: concat!("take the ", $noun, " as typed"),
                    }),
                    state => Ok($any::with_events(state, Vec::new())),
                }
            }
        }
    };
}

pub(crate) use typestate;
