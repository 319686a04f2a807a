//! One driver for the three typed façades, run beside their machines by the same commands.
//!
//! The façades are written from step tables, so nothing here maps a command onto a method:
//! [`Facade::step`] takes the typed step whose row sends the command. What the driver checks
//! is that the typed path and the runtime machine agree, command by command: the façade
//! takes exactly what the machine takes, lands in the same state with the same events (typed
//! as the runtime phase, by construction of the enum of every phase), refuses with the
//! machine's own error and hands the process back unchanged, and takes a gated step only
//! with the proof made for it (a proof for no process is offered first, and must be refused
//! with the process unchanged).

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use coproduction::machine::RefusalKind;
use std::collections::BTreeMap;
use std::fmt::Debug;

use coproduction::decision::DecisionKind;
use coproduction::machine::{Context, Decider, Facade, PhaseOf, StepOf};
use coproduction::values::{
    Charter, DecisionRecord, GatePassed, GateRefusal, ProofMismatch, Subject,
};

type D<F> = <F as Facade>::Decider;
type State<F> = <D<F> as Decider>::State;
type Command<F> = <D<F> as Decider>::Command;
type Event<F> = <D<F> as Decider>::Event;
type Error<F> = <D<F> as Decider>::Error;

/// What the façade made of a command.
#[derive(Debug)]
pub enum Offered<E> {
    /// Started, or stepped: the process as the façade holds it now.
    Taken,
    /// Refused, with this error; the process handed back.
    Refused(E),
    /// No typed step of the phase sends the command (the façade answered with the machine's
    /// refusal, `E`).
    NoStep(E),
    /// The value gate refused the step's record: with no proof, no typed step.
    GateRefused(GateRefusal),
}

/// A typed step seldom taken: its name, the phases that offer it, how often it was taken.
#[derive(Debug)]
pub struct Untaken<P: 'static> {
    pub step: &'static str,
    pub from: &'static [P],
    pub taken: u32,
}

/// The façade `F` beside its machine.
pub struct Driver<F: Facade>
where
    Command<F>: 'static,
{
    typed: Option<F>,
    /// The row that took the last command, with the phase it was offered in.
    last: Option<(PhaseOf<D<F>>, &'static str)>,
    /// The typed steps taken, by the phase each was offered in and the step's name (a
    /// process started is counted under the start phase, as `start`).
    pub taken: BTreeMap<(PhaseOf<D<F>>, &'static str), u32>,
    /// The typed steps taken, by where they landed.
    pub landed: BTreeMap<(&'static str, PhaseOf<D<F>>), u32>,
    /// What the façade made of the commands: taken, refused, no step, refused by the gate.
    pub answers: [u32; 4],
}

/// A proof for `subject` (for no process if `None`), from a charter with no rules: the
/// façade tests are about phases, not values.
pub fn proof_for(subject: Option<Subject>) -> GatePassed {
    let mut record = DecisionRecord::new(DecisionKind::Strategy);
    record.subject = subject;
    Charter::from_json(r#"{"values": [{"id": "human"}], "rules": []}"#)
        .unwrap()
        .gate(&record)
        .unwrap()
}

/// A proof for no process.
pub fn proof_for_nothing() -> GatePassed {
    proof_for(None)
}

impl<F> Driver<F>
where
    F: Facade + Debug,
    Command<F>: Clone + Debug + 'static,
    State<F>: PartialEq + Debug,
    Event<F>: PartialEq + Debug,
    Error<F>: PartialEq + Debug + Clone + From<RefusalKind>,
{
    /// A driver before the process starts.
    pub fn new() -> Self {
        Self {
            typed: None,
            last: None,
            taken: BTreeMap::new(),
            landed: BTreeMap::new(),
            answers: [0; 4],
        }
    }

    /// The typed step that took the last command (the phase it was offered in, and its
    /// name), if it was taken.
    pub fn last(&self) -> Option<(PhaseOf<D<F>>, &'static str)> {
        self.last
    }

    /// The typed process, once started.
    pub fn typed(&self) -> Option<&F> {
        self.typed.as_ref()
    }

    /// The row of the step table that sends `command` from `phase`, if any.
    pub fn row(phase: PhaseOf<D<F>>, command: &Command<F>) -> Option<&'static StepOf<D<F>>> {
        let mut rows = F::steps()
            .iter()
            .filter(|step| step.from.contains(&phase) && (step.sends)(command));
        let row = rows.next();
        assert!(
            rows.next().is_none(),
            "two rows send {command:?} from {phase:?}"
        );
        row
    }

    /// Runs `command` through the façade: a process not yet started is started by it; a gated
    /// step is offered a proof for nothing first (refused, the process unchanged), then the
    /// proof `gate` makes for the process as it stands.
    pub fn offer(
        &mut self,
        command: &Command<F>,
        ctx: Context,
        gate: impl FnOnce(&F) -> Result<GatePassed, GateRefusal>,
    ) -> Offered<Error<F>> {
        self.last = None;
        let Some(typed) = self.typed.take() else {
            let start = <D<F> as Decider>::TRANSITIONS.start;
            return match F::start(command.clone(), ctx) {
                Ok(typed) => {
                    self.typed = Some(typed);
                    self.last = Some((start, "start"));
                    Offered::Taken
                }
                Err(error) => Offered::Refused(error),
            };
        };
        let phase = typed.phase();
        let Some(row) = Self::row(phase, command) else {
            return match typed.step(command.clone(), ctx, None) {
                Ok(typed) => panic!("the façade took {command:?}, which no row sends: {typed:?}"),
                Err((typed, error)) => {
                    self.typed = Some(typed);
                    Offered::NoStep(error)
                }
            };
        };
        let (typed, proof) = if row.gated {
            let (state, events, subject) =
                (typed.to_state(), typed.events().to_vec(), typed.subject());
            let Err((typed, error)) = typed.step(command.clone(), ctx, Some(proof_for_nothing()))
            else {
                panic!("a proof for no process took `{}`", row.name);
            };
            let mismatch = ProofMismatch {
                step: subject,
                proof: None,
            };
            assert_eq!(
                error,
                Error::<F>::from(RefusalKind::ProofNotForThis(Box::new(mismatch))),
                "`{}` with a proof for nothing",
                row.name
            );
            assert_eq!(
                typed.to_state(),
                state,
                "a refused proof changed the process"
            );
            assert_eq!(typed.events(), events.as_slice());
            match gate(&typed) {
                Ok(proof) => (typed, Some(proof)),
                Err(refusal) => {
                    self.typed = Some(typed);
                    return Offered::GateRefused(refusal);
                }
            }
        } else {
            (typed, None)
        };
        match typed.step(command.clone(), ctx, proof) {
            Ok(typed) => {
                if row.gated {
                    assert!(
                        typed.proof().is_some(),
                        "`{}` did not keep its proof",
                        row.name
                    );
                }
                *self.landed.entry((row.name, typed.phase())).or_default() += 1;
                self.typed = Some(typed);
                self.last = Some((phase, row.name));
                Offered::Taken
            }
            Err((typed, error)) => {
                self.typed = Some(typed);
                Offered::Refused(error)
            }
        }
    }

    /// Checks what the façade made of `command` against the machine, which `decided` in
    /// `before`, and holds `after` with `events` now (the same as before if refused).
    pub fn check(
        &mut self,
        offered: &Offered<Error<F>>,
        command: &Command<F>,
        before: &State<F>,
        decided: Result<(), Error<F>>,
        after: &State<F>,
        events: &[Event<F>],
    ) {
        let answer = match offered {
            Offered::Taken => 0,
            Offered::Refused(_) => 1,
            Offered::NoStep(_) => 2,
            Offered::GateRefused(_) => 3,
        };
        self.answers[answer] += 1;
        let Some(typed) = &self.typed else {
            // Not started: the start was refused, as the machine refused it.
            let Offered::Refused(error) = offered else {
                panic!("no typed process after {command:?}: {offered:?}");
            };
            assert_eq!(
                Err(error.clone()),
                decided,
                "the façade and the machine on {command:?}"
            );
            return;
        };
        match offered {
            Offered::Taken => {
                assert!(
                    decided.is_ok(),
                    "the façade took {command:?}, the machine did not: {decided:?}"
                );
                assert_eq!(
                    &typed.to_state(),
                    after,
                    "the façade's state after {command:?}"
                );
                assert_eq!(
                    typed.events(),
                    events,
                    "the façade's events after {command:?}"
                );
                if let Some(kind) = self.last {
                    *self.taken.entry(kind).or_default() += 1;
                }
            }
            Offered::Refused(error) | Offered::NoStep(error) => {
                assert_eq!(
                    Err(error.clone()),
                    decided,
                    "the façade and the machine on {command:?}"
                );
                assert_eq!(
                    &typed.to_state(),
                    before,
                    "a refused {command:?} changed the process"
                );
                assert_eq!(
                    typed.events(),
                    events,
                    "a refused {command:?} changed the events"
                );
            }
            Offered::GateRefused(_) => {
                assert_eq!(
                    &typed.to_state(),
                    before,
                    "a refused gate changed the process"
                );
                assert_eq!(typed.events(), events, "a refused gate changed the events");
            }
        }
    }

    /// Every typed step of the table taken fewer than `min` times (from all the phases that
    /// offer it): its name, those phases, and how often it was taken.
    pub fn untaken(&self, min: u32) -> Vec<Untaken<PhaseOf<D<F>>>> {
        F::steps()
            .iter()
            .map(|step| {
                let n = step
                    .from
                    .iter()
                    .map(|&from| self.taken.get(&(from, step.name)).copied().unwrap_or(0))
                    .sum();
                Untaken {
                    step: step.name,
                    from: step.from,
                    taken: n,
                }
            })
            .filter(|untaken| untaken.taken < min)
            .collect()
    }

    /// Runs `commands` from the start (a new process), each as `(command, context)`, through
    /// the machine and the façade side by side, checking each as [`Driver::check`] does.
    pub fn run<'r>(&mut self, commands: impl IntoIterator<Item = (Command<F>, Context<'r>)>) {
        self.typed = None;
        let mut state = <D<F> as Decider>::initial();
        let mut events = Vec::new();
        for (command, ctx) in commands {
            let offered = self.offer(&command, ctx, |typed| Ok(proof_for(typed.subject())));
            let before = state.clone();
            let decided = <D<F> as Decider>::decide(&state, &command, &ctx);
            if let Ok(new) = &decided {
                for event in new.iter() {
                    state = <D<F> as Decider>::evolve(state, event);
                    events.push(event.clone());
                }
            }
            let decided = decided.map(|_| ());
            self.check(&offered, &command, &before, decided, &state, &events);
        }
    }

    /// Adds another driver's counts to this one's.
    pub fn add(&mut self, other: &Self) {
        for (kind, n) in &other.taken {
            *self.taken.entry(*kind).or_default() += n;
        }
        for (kind, n) in &other.landed {
            *self.landed.entry(*kind).or_default() += n;
        }
        for (all, n) in self.answers.iter_mut().zip(other.answers) {
            *all += n;
        }
    }
}
