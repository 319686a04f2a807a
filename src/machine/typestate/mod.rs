//! The frame every typestate façade shares: consent rounds, proposals, funding decisions.
//!
//! A façade wraps a [`Decider`]'s runtime data in a type whose parameter is its phase, so a
//! step the phase does not allow does not compile. Each façade is written as one *step
//! table*: for each phase (or group of phases), the steps it offers, the command each sends,
//! and the phase or phases it lands in. [`typestate!`] turns the table into the façade:
//!
//! - the runtime phase enum, declared in the table's header and nowhere else (its variants'
//!   docs document the markers too);
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

mod frame;
#[cfg(test)]
mod mislabelled;

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

pub(crate) use frame::{previews, typestate};
