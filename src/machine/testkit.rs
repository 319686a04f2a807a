//! A given/when/then kit for testing deciders, so each rule reads as one sentence:
//!
//! ```text
//! given(events that happened).when(command, context).then(expected events)
//! given(events that happened).when(command, context).then_error(expected error)
//! ```
//!
//! `then` also checks that every phase change the new events cause is declared in the
//! machine's transition graph, and returns the resulting state for further assertions;
//! `when` checks that [`Decider::apply`] answers the command as `decide` and `evolve` do.
//! The kit is for tests: it panics with a readable message when an expectation fails.
//!
//! [`StepCheck`] checks a typestate façade's step table against the decider it runs: the
//! rows' phase changes against `TRANSITIONS`, and their landings against what `decide` and
//! `evolve` produce over generated runs.
//!
//! # Example
//!
//! ```
//! # use coproduction::community::MemberId;
//! # use coproduction::machine::{Context, Decider, Events, Phase, Transitions};
//! # use coproduction::machine::testkit::given;
//! # #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
//! # enum Light { Off, On }
//! # impl Phase for Light {
//! #     fn label(self) -> &'static str { match self { Light::Off => "off", Light::On => "on" } }
//! # }
//! # #[derive(Debug, Clone, PartialEq)] struct SwitchedOn;
//! # #[derive(Debug, PartialEq, thiserror::Error)] #[error("already on")] struct AlreadyOn;
//! # struct Switch;
//! # impl Decider for Switch {
//! #     type State = Light; type Command = (); type Event = SwitchedOn;
//! #     type Error = AlreadyOn; type Phase = Light;
//! #     const TRANSITIONS: Transitions<Light> = Transitions {
//! #         machine: "switch", start: Light::Off, phases: &[Light::Off, Light::On],
//! #         finals: &[Light::On], edges: &[(Light::Off, Light::On)],
//! #     };
//! #     fn initial() -> Light { Light::Off }
//! #     fn phase(s: &Light) -> Light { *s }
//! #     fn decide(s: &Light, _: &(), _: &Context) -> Result<Events<SwitchedOn>, AlreadyOn> {
//! #         if *s == Light::On { Err(AlreadyOn) } else { Ok(Events::one(SwitchedOn)) }
//! #     }
//! #     fn evolve(_: Light, _: &SwitchedOn) -> Light { Light::On }
//! # }
//! let ctx = Context::new(MemberId::new(1), "2022-08-28T09:00:00Z".parse()?);
//! let state = given::<Switch>([]).when((), ctx).then([SwitchedOn]);
//! assert_eq!(state, Light::On);
//! given::<Switch>([SwitchedOn]).when((), ctx).then_error(AlreadyOn);
//! # Ok::<(), coproduction::Error>(())
//! ```

// The kit's job is to fail tests loudly, so it panics by design.
#![allow(clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use super::{Context, Decider, Events, evolve_checked};

/// The events that happened before the command under test.
///
/// Made by [`given`].
pub struct Given<D: Decider> {
    state: D::State,
}

/// The outcome of a command under test, waiting for its expectation.
///
/// Made by [`Given::when`].
pub struct When<D: Decider> {
    before: D::State,
    outcome: Result<Events<D::Event>, D::Error>,
}

/// Starts a test from the state that `events` build, folded from [`Decider::initial`].
///
/// # Panics
///
/// When the given events take a transition that the machine does not declare: the history a
/// test starts from must itself be a legal run.
pub fn given<D: Decider>(events: impl IntoIterator<Item = D::Event>) -> Given<D> {
    let events: Vec<D::Event> = events.into_iter().collect();
    match evolve_checked::<D>(D::initial(), &events) {
        Ok(state) => Given { state },
        Err(err) => panic!("the given events are not a legal run: {err}"),
    }
}

impl<D: Decider> Given<D> {
    /// Runs `command` in the given state with `ctx`.
    ///
    /// # Panics
    ///
    /// When [`Decider::apply`] gives another outcome or state than `decide` then `evolve`.
    pub fn when(self, command: D::Command, ctx: Context) -> When<D> {
        let outcome = D::decide(&self.state, &command, &ctx);
        assert_applies_alike::<D>(&self.state, &command, &ctx, &outcome);
        When {
            before: self.state,
            outcome,
        }
    }

    /// The state the given events built.
    pub fn state(&self) -> &D::State {
        &self.state
    }
}

impl<D: Decider> When<D>
where
    D::Event: PartialEq,
{
    /// Expects the command to be accepted with exactly `expected`, checks that the events
    /// only take declared transitions, and returns the state after them.
    ///
    /// # Panics
    ///
    /// When the command was refused, produced other events, or left the declared graph.
    pub fn then(self, expected: impl IntoIterator<Item = D::Event>) -> D::State {
        let expected: Vec<D::Event> = expected.into_iter().collect();
        match self.outcome {
            Err(err) => panic!("expected events {expected:?}, but the command was refused: {err}"),
            Ok(events) => {
                let events = events.into_vec();
                assert_eq!(events, expected, "the command produced other events");
                match evolve_checked::<D>(self.before, &events) {
                    Ok(state) => state,
                    Err(err) => panic!("the events left the declared graph: {err}"),
                }
            }
        }
    }
}

impl<D: Decider> When<D> {
    /// Expects the command to be refused with exactly `expected`.
    ///
    /// # Panics
    ///
    /// When the command was accepted or refused with another error.
    pub fn then_error(self, expected: D::Error)
    where
        D::Error: PartialEq,
    {
        match self.outcome {
            Ok(events) => panic!("expected the error `{expected}`, but got events {events:?}"),
            Err(err) => assert_eq!(err, expected, "the command was refused for another reason"),
        }
    }

    /// Expects the command to be refused with an error that satisfies `check`, for errors
    /// that carry data a test does not want to spell out.
    ///
    /// # Panics
    ///
    /// When the command was accepted or `check` returns false.
    pub fn then_error_matching(self, check: impl FnOnce(&D::Error) -> bool) {
        match self.outcome {
            Ok(events) => panic!("expected an error, but got events {events:?}"),
            Err(err) => assert!(
                check(&err),
                "the command was refused with `{err}` ({err:?})"
            ),
        }
    }

    /// Returns the raw outcome, for assertions the kit does not cover.
    pub fn outcome(self) -> Result<Events<D::Event>, D::Error> {
        self.outcome
    }
}

/// Checks that [`Decider::apply`] does what `decide` then `evolve` do: the same events or
/// refusal, and the same state after (`state` itself after a refusal). States and outcomes
/// are compared by their debug output, which every decider's types have.
///
/// # Panics
///
/// When they differ.
pub fn assert_applies_alike<D: Decider>(
    state: &D::State,
    command: &D::Command,
    ctx: &Context,
    decided: &Result<Events<D::Event>, D::Error>,
) {
    let mut applied = state.clone();
    let outcome = D::apply(&mut applied, command, ctx);
    assert_eq!(
        format!("{outcome:?}"),
        format!("{decided:?}"),
        "`apply` and `decide` answer the command differently"
    );
    let expected = match decided {
        Ok(events) => events.iter().fold(state.clone(), D::evolve),
        Err(_) => state.clone(),
    };
    assert_eq!(
        format!("{applied:?}"),
        format!("{expected:?}"),
        "`apply` left another state than `decide` and `evolve`"
    );
}

/// A landing a step table declares that no run took: see [`StepCheck::unseen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unseen<P: 'static> {
    /// The step's name.
    pub step: &'static str,
    /// The phases that offer it.
    pub from: &'static [P],
    /// The landing no run took.
    pub lands: P,
}

/// Checks a typestate façade's step table (its [`Facade::steps`](super::Facade::steps))
/// against the decider it runs, so the table cannot drift from `decide`, `evolve` and
/// [`Decider::TRANSITIONS`]:
///
/// - [`StepCheck::new`]: every phase a row names is declared, no row is offered where
///   the process has not started, and every phase change a row declares is an edge of
///   `TRANSITIONS`;
/// - [`StepCheck::run`]: [`Decider::apply`] answers every command as `decide` and `evolve`
///   do ([`assert_applies_alike`]); a command the decider takes from a typed phase is sent by exactly
///   one row offered there, and lands in a phase that row names;
/// - [`StepCheck::assert_every_landing_seen`]: over the runs given, every landing a row
///   declares is one that `decide` and `evolve` produced (from some phase that offers it).
///
/// Feed it the runs of a reference model's generator, command by command.
///
/// # Example
///
/// ```
/// use coproduction::consent::AnyRound;
/// use coproduction::machine::testkit::StepCheck;
/// use coproduction::machine::Facade;
///
/// let check = StepCheck::<coproduction::consent::ConsentProcess>::new(AnyRound::steps());
/// assert!(!check.unseen().is_empty()); // nothing run yet
/// # Ok::<(), coproduction::Error>(())
/// ```
pub struct StepCheck<D: Decider>
where
    D::Command: 'static,
{
    steps: &'static [super::StepOf<D>],
    seen: BTreeSet<(usize, D::Phase, D::Phase)>,
}

impl<D: Decider> StepCheck<D>
where
    D::Command: Debug + 'static,
{
    /// Checks `steps` against [`Decider::TRANSITIONS`].
    ///
    /// # Panics
    ///
    /// When a row names an undeclared phase, is offered before the process starts, offers
    /// no landing from a phase it names, or declares a phase change that is not an edge.
    pub fn new(steps: &'static [super::StepOf<D>]) -> Self {
        let transitions = D::TRANSITIONS;
        let declared = |p: &D::Phase| transitions.phases.contains(p);
        for step in steps {
            for &from in step.from {
                assert!(
                    declared(&from),
                    "step `{}`: {from:?} is not declared",
                    step.name
                );
                assert!(
                    from != transitions.start,
                    "step `{}` is offered before the process starts",
                    step.name
                );
                let lands = (step.lands)(from);
                assert!(
                    !lands.is_empty(),
                    "step `{}` lands nowhere from {from:?}",
                    step.name
                );
                for to in lands {
                    assert!(declared(to), "step `{}`: {to:?} is not declared", step.name);
                }
            }
            for (from, to) in step.edges() {
                assert!(
                    transitions.edges.contains(&(from, to)),
                    "step `{}` declares {from:?} -> {to:?}, which is not an edge of `{}`",
                    step.name,
                    transitions.machine
                );
            }
        }
        Self {
            steps,
            seen: BTreeSet::new(),
        }
    }

    /// Runs `command` in `state` through `decide` and `evolve`; if the decider takes it from
    /// a typed phase (any but the start), checks the one row that sends it there and where it
    /// landed. Returns the state after the command (`state` itself when it is refused).
    ///
    /// # Panics
    ///
    /// When the decider takes a command that no row offered in the phase sends, or that two
    /// rows send, or that lands in a phase its row does not name, or takes an undeclared
    /// transition.
    pub fn run(&mut self, state: D::State, command: &D::Command, ctx: &Context) -> D::State {
        let from = D::phase(&state);
        let decided = D::decide(&state, command, ctx);
        assert_applies_alike::<D>(&state, command, ctx, &decided);
        let Ok(events) = decided else {
            return state;
        };
        let next = match evolve_checked::<D>(state, &events) {
            Ok(next) => next,
            Err(err) => panic!("{command:?} left the declared graph: {err}"),
        };
        if from == D::TRANSITIONS.start {
            return next;
        }
        let to = D::phase(&next);
        let rows: Vec<(usize, &super::StepOf<D>)> = self
            .steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.from.contains(&from) && (step.sends)(command))
            .collect();
        let [(row, step)] = rows[..] else {
            let names: Vec<&str> = rows.iter().map(|(_, step)| step.name).collect();
            panic!("the decider took {command:?} in {from:?}, which the rows {names:?} send");
        };
        assert!(
            (step.lands)(from).contains(&to),
            "step `{}` from {from:?} landed in {to:?}, not in {:?}",
            step.name,
            (step.lands)(from)
        );
        self.seen.insert((row, from, to));
        next
    }

    /// Every landing a row declares that no run has taken, from any phase that offers the
    /// step.
    pub fn unseen(&self) -> Vec<Unseen<D::Phase>> {
        let mut unseen = Vec::new();
        for (row, step) in self.steps.iter().enumerate() {
            let declared: BTreeSet<D::Phase> = step
                .from
                .iter()
                .flat_map(|&from| (step.lands)(from).iter().copied())
                .collect();
            for to in declared {
                if !self.seen.iter().any(|&(r, _, t)| r == row && t == to) {
                    unseen.push(Unseen {
                        step: step.name,
                        from: step.from,
                        lands: to,
                    });
                }
            }
        }
        unseen
    }

    /// How many distinct landings the runs took.
    pub fn seen(&self) -> usize {
        self.seen.len()
    }

    /// Expects every landing the table declares to have been taken.
    ///
    /// # Panics
    ///
    /// Naming the landings no run took.
    pub fn assert_every_landing_seen(&self) {
        let unseen = self.unseen();
        assert!(
            unseen.is_empty(),
            "landings the table declares that no run took: {unseen:?}"
        );
    }
}
