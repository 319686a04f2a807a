//! What a step whose next phase depends on data leads to, and the typed decision in a given
//! phase from a runtime state.

use super::{Declined, Ended, Funding, FundingPhaseMarker, Renewed, Triaged};
use crate::funding::{FundingError, FundingState};

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
