//! A given/when/then kit for testing deciders, so each rule reads as one sentence:
//!
//! ```text
//! given(events that happened).when(command, context).then(expected events)
//! given(events that happened).when(command, context).then_error(expected error)
//! ```
//!
//! `then` also checks that every phase change the new events cause is declared in the
//! machine's transition graph, and returns the resulting state for further assertions.
//! The kit is for tests: it panics with a readable message when an expectation fails.
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
//! let ctx = Context::new(MemberId::new(1), "2022-08-28T09:00:00Z".parse().unwrap());
//! let state = given::<Switch>([]).when((), ctx).then([SwitchedOn]);
//! assert_eq!(state, Light::On);
//! given::<Switch>([SwitchedOn]).when((), ctx).then_error(AlreadyOn);
//! ```

// The kit's job is to fail tests loudly, so it panics by design.
#![allow(clippy::panic)]

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
    pub fn when(self, command: D::Command, ctx: Context) -> When<D> {
        let outcome = D::decide(&self.state, &command, &ctx);
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
