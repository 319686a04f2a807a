//! The phases of a proposal and its declared transitions.

use crate::machine::phase_enum;

phase_enum! {
    /// The phases of a proposal, from its first draft to its retirement.
    pub enum ProposalPhase {
        /// Before the creating event.
        NotCreated,
        /// A first draft, not yet shared for co-creation.
        Draft,
        /// Shared: feedback is gathered and linked to themes; the text may be amended.
        CoCreating,
        /// Governance has given the route it is decided by.
        Ready,
        /// One or more consent rounds (or another method) are deciding it.
        InDecision,
        /// Adopted, the value gate passed; the record is not yet published.
        Adopted,
        /// The decision record is published with its rationale.
        Published,
        /// The standing agreement is in force.
        Implementing,
        /// A pilot is scheduled to start at a later date (the decision in the autumn, the pilot
        /// from the spring); it starts on its own on that date.
        PilotScheduled,
        /// The agreement is piloted until an end date.
        Pilot,
        /// Under review: the review date came, or a member objected to the standing agreement.
        UnderReview,
        /// Declined by the deciding body.
        Declined,
        /// Withdrawn by a proposer (or the deciding round was withdrawn).
        Withdrawn,
        /// Escalated to another body.
        Escalated,
        /// Retired after a review.
        Retired,
    }
}

impl ProposalPhase {
    /// The phases a proposer may still withdraw from: before a decision is taken.
    pub const WITHDRAWABLE: [ProposalPhase; 4] = [
        ProposalPhase::Draft,
        ProposalPhase::CoCreating,
        ProposalPhase::Ready,
        ProposalPhase::InDecision,
    ];

    /// The phases in which the agreement stands and can be objected to or reviewed.
    pub const STANDING: [ProposalPhase; 2] = [ProposalPhase::Implementing, ProposalPhase::Pilot];

    /// The phases with no way out.
    pub const FINAL: [ProposalPhase; 4] = [
        ProposalPhase::Declined,
        ProposalPhase::Withdrawn,
        ProposalPhase::Escalated,
        ProposalPhase::Retired,
    ];

    /// Whether the proposal has ended.
    pub fn is_final(self) -> bool {
        Self::FINAL.contains(&self)
    }
}

use ProposalPhase as P;

/// The declared transitions of a proposal.
pub(super) const EDGES: &[(ProposalPhase, ProposalPhase)] = &[
    (P::NotCreated, P::Draft),
    (P::Draft, P::CoCreating),
    (P::CoCreating, P::Ready),
    (P::Ready, P::InDecision),
    // The decided transition: only through the value gate.
    (P::InDecision, P::Adopted),
    (P::InDecision, P::Declined),
    (P::InDecision, P::Escalated),
    (P::Adopted, P::Published),
    (P::Published, P::Implementing),
    (P::Published, P::Pilot),
    // A pilot scheduled for later starts on its date: the engine's tick takes the step the
    // steward chose when scheduling it.
    (P::Published, P::PilotScheduled),
    (P::PilotScheduled, P::Pilot),
    (P::Implementing, P::UnderReview),
    (P::Pilot, P::UnderReview),
    // Continued with a new review date: a pilot that continues becomes the standing agreement.
    // Also what a reassessment round reaches: consent to continue puts it in force, a
    // decline retires it.
    (P::UnderReview, P::Implementing),
    // Amended: the new version goes back to co-creation, so the people affected shape it
    // again before it is decided; the adopted version stays in force meanwhile.
    (P::UnderReview, P::CoCreating),
    (P::UnderReview, P::Retired),
    (P::Draft, P::Withdrawn),
    (P::CoCreating, P::Withdrawn),
    (P::Ready, P::Withdrawn),
    (P::InDecision, P::Withdrawn),
];
