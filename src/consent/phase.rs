//! What the phases of a round group into, and its declared transitions. The phases
//! themselves are declared once, with the typed façade's step table (`typestate`).

use super::RoundPhase;
use crate::values::Outcome;

impl RoundPhase {
    /// Whether the round is opened and not yet ended.
    #[inline]
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Whether the round is still deliberating: open and not yet consented. A consented
    /// round waits only for its outcome to be recorded.
    ///
    /// ```
    /// use coproduction::consent::RoundPhase;
    /// assert!(RoundPhase::Integrating.is_deliberating());
    /// assert!(!RoundPhase::Consented.is_deliberating());
    /// assert!(!RoundPhase::Withdrawn.is_deliberating());
    /// ```
    #[inline]
    pub fn is_deliberating(self) -> bool {
        self.is_open() && self != RoundPhase::Consented
    }

    /// What a round in this phase has reached, as a decision record says it: consent
    /// (outcome still to record, or recorded) is adoption; a round broken down is escalated;
    /// a phase before any of these has no outcome yet.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::consent::RoundPhase;
    /// use coproduction::values::Outcome;
    /// assert_eq!(RoundPhase::Adopted.outcome(), Some(Outcome::Adopted));
    /// // Consent carried is not yet a decision: the outcome is recorded when it is adopted.
    /// assert_eq!(RoundPhase::Consented.outcome(), None);
    /// assert_eq!(RoundPhase::BrokenDown.outcome(), Some(Outcome::Escalated));
    /// assert_eq!(RoundPhase::ObjectionRound.outcome(), None);
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn outcome(self) -> Option<Outcome> {
        match self {
            RoundPhase::Adopted => Some(Outcome::Adopted),
            RoundPhase::Declined => Some(Outcome::Declined),
            RoundPhase::Withdrawn => Some(Outcome::Withdrawn),
            RoundPhase::Deferred => Some(Outcome::Deferred),
            RoundPhase::Escalated | RoundPhase::BrokenDown => Some(Outcome::Escalated),
            RoundPhase::NotOpened
            | RoundPhase::Consented
            | RoundPhase::Presented
            | RoundPhase::Clarifying
            | RoundPhase::Reactions
            | RoundPhase::Amending
            | RoundPhase::ObjectionRound
            | RoundPhase::Integrating => None,
        }
    }
}

use RoundPhase as P;

/// The declared transitions of a round.
pub(super) const EDGES: &[(RoundPhase, RoundPhase)] = &[
    (P::NotOpened, P::Presented),
    (P::Presented, P::Clarifying),
    (P::Clarifying, P::Reactions),
    (P::Reactions, P::Amending),
    (P::Reactions, P::ObjectionRound),
    (P::Amending, P::ObjectionRound),
    (P::ObjectionRound, P::Integrating),
    (P::ObjectionRound, P::Consented),
    (P::ObjectionRound, P::Declined),
    (P::Integrating, P::ObjectionRound),
    (P::Integrating, P::BrokenDown),
    (P::Consented, P::Adopted),
    // A delegated decision is taken by its decider straight after presenting it.
    (P::Presented, P::Consented),
    (P::Presented, P::Declined),
    // Exits from every open phase.
    (P::Presented, P::Withdrawn),
    (P::Clarifying, P::Withdrawn),
    (P::Reactions, P::Withdrawn),
    (P::Amending, P::Withdrawn),
    (P::ObjectionRound, P::Withdrawn),
    (P::Integrating, P::Withdrawn),
    (P::Consented, P::Withdrawn),
    (P::Presented, P::Deferred),
    (P::Clarifying, P::Deferred),
    (P::Reactions, P::Deferred),
    (P::Amending, P::Deferred),
    (P::ObjectionRound, P::Deferred),
    (P::Integrating, P::Deferred),
    (P::Consented, P::Deferred),
    (P::Presented, P::Escalated),
    (P::Clarifying, P::Escalated),
    (P::Reactions, P::Escalated),
    (P::Amending, P::Escalated),
    (P::ObjectionRound, P::Escalated),
    (P::Integrating, P::Escalated),
    (P::Consented, P::Escalated),
];
