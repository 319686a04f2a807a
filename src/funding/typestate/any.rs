//! The bridge between the runtime state and the typed decisions: `From`, `TryFrom`, and
//! [`AnyFunding`] for a decision in whichever phase its state is in.

use super::{
    Accepted, AcceptedWithConditions, AnyFunding, Consultation, Deciding, Declined, Deferred,
    DueDiligence, Ended, Escalated, Funding, FundingPhaseMarker, Identified, Monitoring, Published,
    Renewed, Screening, Triaged, UnderReview, Withdrawn,
};
use crate::funding::{FundingError, FundingEvent, FundingPhase, FundingProcess, FundingState};
use crate::machine::Decider;

use std::fmt;

/// A refused step: the error, and the decision as it was.
pub struct Refused<R> {
    /// The decision, unchanged.
    pub funding: R,
    /// Why the step was refused.
    pub error: FundingError,
}

impl<R> fmt::Debug for Refused<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refused")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<R> fmt::Display for Refused<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<R> std::error::Error for Refused<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<R> From<Refused<R>> for FundingError {
    fn from(refused: Refused<R>) -> Self {
        refused.error
    }
}

/// What screening led to.
#[derive(Debug)]
#[non_exhaustive]
pub enum Screened {
    /// The screen passed: triaged into a tier.
    Triaged(Funding<Triaged>),
    /// A red line: declined automatically, the reason published.
    Declined(Funding<Declined>),
}

/// What a review concluded.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reviewed {
    /// Renewed.
    Renewed(Funding<Renewed>),
    /// Ended.
    Ended(Funding<Ended>),
}

impl<P> From<Funding<P>> for FundingState {
    fn from(funding: Funding<P>) -> Self {
        funding.state
    }
}

impl<P: FundingPhaseMarker> TryFrom<FundingState> for Funding<P> {
    type Error = FundingError;

    /// Wraps a runtime state whose phase is `P`.
    fn try_from(state: FundingState) -> Result<Self, Self::Error> {
        let phase = state.phase();
        if phase == P::PHASE {
            Ok(Self::new(state, Vec::new()))
        } else {
            Err(FundingError::WrongPhase {
                attempted: "take the decision as typed",
                phase,
            })
        }
    }
}

impl TryFrom<FundingState> for AnyFunding {
    type Error = FundingError;

    /// Wraps an identified runtime state in its typed decision.
    fn try_from(state: FundingState) -> Result<Self, Self::Error> {
        match state {
            FundingState::NotIdentified => Err(FundingError::NotIdentified {
                attempted: "take the decision as typed",
            }),
            state => Ok(AnyFunding::with_events(state, Vec::new())),
        }
    }
}

macro_rules! any_funding {
    ($($v:ident),*) => {
        impl AnyFunding {
            /// The runtime state.
            pub fn state(&self) -> &FundingState {
                match self { $(AnyFunding::$v(f) => f.state(),)* }
            }

            /// The events held.
            pub fn events(&self) -> &[FundingEvent] {
                match self { $(AnyFunding::$v(f) => f.events(),)* }
            }

            pub(super) fn into_parts(self) -> (FundingState, Vec<FundingEvent>) {
                match self { $(AnyFunding::$v(f) => (f.state, f.events),)* }
            }

            pub(super) fn with_events(state: FundingState, events: Vec<FundingEvent>) -> Self {
                match state.phase() {
                    // Not reachable from an identified decision; kept total by treating it
                    // as identified, whose every step the decider refuses as not identified.
                    FundingPhase::NotIdentified => {
                        AnyFunding::Identified(Funding::new(state, events))
                    }
                    $(FundingPhase::$v => AnyFunding::$v(Funding::new(state, events)),)*
                }
            }

            /// The phase the typed decision claims (the runtime phase, by construction).
            pub fn claimed_phase(&self) -> FundingPhase {
                match self { $(AnyFunding::$v(_) => <$v as FundingPhaseMarker>::PHASE,)* }
            }
        }
    };
}

any_funding!(
    Identified,
    Screening,
    Triaged,
    DueDiligence,
    Consultation,
    Deciding,
    Accepted,
    AcceptedWithConditions,
    Declined,
    Deferred,
    Escalated,
    Published,
    Monitoring,
    UnderReview,
    Renewed,
    Ended,
    Withdrawn
);

impl AnyFunding {
    /// Rebuilds a decision from its events and wraps it in its typed phase.
    ///
    /// # Errors
    ///
    /// [`FundingError::NotIdentified`] if the events do not identify an offer.
    pub fn replay(events: Vec<FundingEvent>) -> Result<Self, FundingError> {
        let state = FundingProcess::replay(&events);
        match state {
            FundingState::NotIdentified => Err(FundingError::NotIdentified {
                attempted: "replay",
            }),
            state => Ok(AnyFunding::with_events(state, events)),
        }
    }

    /// The runtime phase.
    pub fn phase(&self) -> FundingPhase {
        self.state().phase()
    }
}
