//! What the phases of a funding decision group into, and its declared transitions. The phases
//! themselves are declared once, with the typed façade's step table (`typestate`).

use super::FundingPhase;

impl FundingPhase {
    /// Whether the offer is identified and not yet decided.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Whether the offer was accepted (with or without conditions), at any later phase.
    pub fn is_accepted(self) -> bool {
        matches!(
            self,
            FundingPhase::Accepted
                | FundingPhase::AcceptedWithConditions
                | FundingPhase::Published
                | FundingPhase::Monitoring
                | FundingPhase::UnderReview
                | FundingPhase::Renewed
                | FundingPhase::Ended
        )
    }
}

use FundingPhase as P;

/// The phases a decision ends in.
pub(super) const FINALS: &[FundingPhase] = &[
    P::Declined,
    P::Deferred,
    P::Escalated,
    P::Renewed,
    P::Ended,
    P::Withdrawn,
];

/// The declared transitions.
pub(super) const EDGES: &[(FundingPhase, FundingPhase)] = &[
    (P::NotIdentified, P::Identified),
    (P::Identified, P::Screening),
    (P::Screening, P::Triaged),
    // A red line: declined at screening, the reason published.
    (P::Screening, P::Declined),
    (P::Triaged, P::DueDiligence),
    (P::DueDiligence, P::Consultation),
    (P::Consultation, P::Deciding),
    (P::Deciding, P::Accepted),
    (P::Deciding, P::AcceptedWithConditions),
    (P::Deciding, P::Declined),
    (P::Deciding, P::Deferred),
    (P::Deciding, P::Escalated),
    (P::Accepted, P::Published),
    (P::AcceptedWithConditions, P::Published),
    (P::Published, P::Monitoring),
    (P::Monitoring, P::UnderReview),
    (P::UnderReview, P::Renewed),
    (P::UnderReview, P::Ended),
    (P::Identified, P::Withdrawn),
    (P::Screening, P::Withdrawn),
    (P::Triaged, P::Withdrawn),
    (P::DueDiligence, P::Withdrawn),
    (P::Consultation, P::Withdrawn),
    (P::Deciding, P::Withdrawn),
];
