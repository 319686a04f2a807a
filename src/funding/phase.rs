//! The phases of a funding decision and its declared transitions.

use crate::machine::phase_enum;

phase_enum! {
    /// The phases of a funding or partnership decision.
    pub enum FundingPhase {
        /// Before the offer is identified.
        NotIdentified,
        /// The offer is identified.
        Identified,
        /// The red-line screen is running.
        Screening,
        /// Screened clear and given a tier and its governance route.
        Triaged,
        /// Due-diligence checks are being completed.
        DueDiligence,
        /// Consultation along the route.
        Consultation,
        /// The deciders are deciding.
        Deciding,
        /// Accepted.
        Accepted,
        /// Accepted with conditions.
        AcceptedWithConditions,
        /// Declined: by decision, or automatically at a red line (reason published).
        Declined,
        /// Deferred.
        Deferred,
        /// Escalated to another body (an institution's committee).
        Escalated,
        /// The register entry is published.
        Published,
        /// Conditions are monitored until the review date.
        Monitoring,
        /// Under review.
        UnderReview,
        /// Renewed after review.
        Renewed,
        /// Ended after review.
        Ended,
        /// Withdrawn before a decision.
        Withdrawn,
    }
}

impl FundingPhase {
    /// The phases an offer can be withdrawn from: identified, and not yet decided.
    pub const OPEN: [FundingPhase; 6] = [
        FundingPhase::Identified,
        FundingPhase::Screening,
        FundingPhase::Triaged,
        FundingPhase::DueDiligence,
        FundingPhase::Consultation,
        FundingPhase::Deciding,
    ];

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
