//! What the phases of a proposal group into, and its declared transitions. The phases
//! themselves are declared once, with the typed façade's step table (`typestate`).

use super::ProposalPhase;

impl ProposalPhase {
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
    // A published agreement stands before the steward starts it: its review date comes,
    // or a member objects (to a scheduled pilot too, which calls it off).
    (P::Published, P::UnderReview),
    (P::PilotScheduled, P::UnderReview),
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
